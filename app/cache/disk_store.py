"""The embedded store: entries in diskcache (SQLite in WAL mode), vectors in an append-only log.

Crash safety: diskcache commits each entry in one SQLite transaction, so a process killed mid-write
leaves either the old state or the new entry, never a torn one. Vectors go to `vectors.bin` after
the entry commits, as fixed-size records each carrying a magic tag; a kill mid-append leaves at most
a partial record at the tail, which readers ignore (and the next writer truncates). The log is only an
index: a missing or damaged one is rebuilt from the entries, which carry their vectors too.

Other processes' writes are picked up before each search by reading the log past the last offset; a
compaction (rewrite without dead records) replaces the file, which readers notice by its inode.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import diskcache  # type: ignore[import-untyped]
import numpy as np
from numpy.typing import NDArray

from app.cache.embedder import DIMENSIONS
from app.cache.entry import CacheEntry
from app.cache.index import VectorIndex
from app.cache.store import CacheStore, CacheUnavailableError


def _posix_flock() -> Callable[[int, bool], None] | None:
    """flock(2) where it exists (released by the kernel if the holder dies); None on Windows."""
    try:
        import fcntl
    except ImportError:
        return None

    def lock(fd: int, exclusive: bool) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_UN)

    return lock


_flock = _posix_flock()

__all__ = ["DiskStore"]

_MAGIC = b"QV01"
_RECORD = np.dtype(
    [("magic", "S4"), ("key", "V32"), ("group", "<u8"), ("vector", "<f4", (DIMENSIONS,))], align=False
)
_MB = 1024 * 1024


class DiskStore(CacheStore):
    backend = "disk"

    def __init__(self, root: Path, *, max_entries: int = 100_000, max_size_mb: int = 1024) -> None:
        super().__init__()
        self.root = root
        self.max_entries = max_entries
        try:
            root.mkdir(parents=True, exist_ok=True)
            self._cache = diskcache.Cache(
                str(root / "entries"),
                size_limit=max_size_mb * _MB,
                eviction_policy="least-recently-stored",
                cull_limit=10,
                statistics=False,
            )
        except (OSError, diskcache.Timeout) as error:
            raise CacheUnavailableError(f"cannot open the cache at {root}: {error}") from error
        self._vectors = root / "vectors.bin"
        self._lock_file = root / "vectors.lock"
        self._synced: tuple[int, int] | None = None  # (inode, device) of the log last read
        self._offset = 0

    # --- entries ----------------------------------------------------------------------------------

    def get(self, key: str) -> CacheEntry | None:
        raw = self._cache.get(key)
        return CacheEntry.from_bytes(raw) if isinstance(raw, bytes) else None

    def put(self, entry: CacheEntry, *, ttl_s: float | None) -> None:
        self._cache.set(entry.key, entry.to_bytes(), expire=ttl_s)
        if entry.vector is not None:
            self._append(entry.key, entry.fingerprint, entry.vector)
        excess = len(self._cache) - self.max_entries
        for _ in range(max(0, excess)):
            with contextlib.suppress(KeyError):
                oldest, _ = self._cache.peekitem(last=False)
                self._cache.delete(oldest)
                self.forget(oldest)

    def put_many(self, entries: list[CacheEntry], *, ttl_s: float | None) -> None:
        """Bulk load (importing or warming a cache): one transaction, one append to the vector log."""
        with self._cache.transact():
            for entry in entries:
                self._cache.set(entry.key, entry.to_bytes(), expire=ttl_s)
        with_vectors = [entry for entry in entries if entry.vector is not None]
        records = _record(
            [entry.key for entry in with_vectors],
            [VectorIndex.group_id(entry.fingerprint) for entry in with_vectors],
            np.stack([entry.vector for entry in with_vectors if entry.vector is not None])
            if with_vectors
            else np.zeros((0, DIMENSIONS), dtype=np.float32),
        )
        with self._locked(), self._vectors.open("ab") as handle:
            size = handle.tell()
            if size % _RECORD.itemsize:
                handle.truncate(size - size % _RECORD.itemsize)
            handle.write(records.tobytes())

    def delete(self, key: str) -> None:
        self._cache.delete(key)
        self.forget(key)

    def clear(self) -> int:
        with self._locked():
            count = int(self._cache.clear())
            _replace(self._vectors, b"")
        if self._vector_index is not None:
            self._vector_index.clear()
        return count

    def count(self) -> int:
        self._cache.expire()
        return len(self._cache)

    def approximate_count(self) -> int:
        return len(self._cache)

    def stats(self) -> dict[str, Any]:
        entries = self.count()
        vectors = self._vectors.stat().st_size // _RECORD.itemsize if self._vectors.exists() else 0
        return {
            "backend": self.backend,
            "location": str(self.root),
            "entries": entries,
            "size_bytes": int(self._cache.volume()) + (vectors * _RECORD.itemsize),
            "vectors": int(vectors),
        }

    def close(self) -> None:
        self._cache.close()

    # --- vectors ----------------------------------------------------------------------------------

    def _append(self, key: str, fingerprint: str, vector: NDArray[np.float32]) -> None:
        record = _record([key], [VectorIndex.group_id(fingerprint)], vector.reshape(1, -1))
        with self._locked(), self._vectors.open("ab") as handle:
            size = handle.tell()
            if size % _RECORD.itemsize:  # a writer was killed mid-record: drop its partial tail
                handle.truncate(size - size % _RECORD.itemsize)
            handle.write(record.tobytes())

    def _sync(self, index: VectorIndex) -> None:
        try:
            status = self._vectors.stat()
        except FileNotFoundError:
            if self._synced is None and len(self._cache):
                self.rebuild_vectors()
                status = self._vectors.stat()
            else:
                return
        identity = (status.st_ino, status.st_dev)
        if identity != self._synced:
            index.clear()
            self._synced, self._offset = identity, 0
        end = status.st_size - status.st_size % _RECORD.itemsize
        if end <= self._offset:
            return
        records = np.fromfile(
            self._vectors, dtype=_RECORD, count=(end - self._offset) // _RECORD.itemsize, offset=self._offset
        )
        self._offset = end
        valid = records[_valid(records)]
        keys = [bytes(raw).hex() for raw in valid["key"]]
        index.add_many(keys, [int(group) for group in valid["group"]], valid["vector"])
        if len(index) and self._offset // _RECORD.itemsize > 2 * len(index) + 1024:
            self._compact()

    def rebuild_vectors(self) -> int:
        """Rewrite the vector log from the entries (after it was lost); returns how many it holds."""
        keys: list[str] = []
        groups: list[int] = []
        vectors: list[NDArray[np.float32]] = []
        for key in self._cache.iterkeys():
            entry = self.get(key)
            if entry is not None and entry.vector is not None:
                keys.append(entry.key)
                groups.append(VectorIndex.group_id(entry.fingerprint))
                vectors.append(entry.vector)
        matrix = np.stack(vectors) if vectors else np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._locked():
            _replace(self._vectors, _record(keys, groups, matrix).tobytes())
        return len(keys)

    def _compact(self) -> None:
        """Rewrite the log without records of deleted, expired or replaced entries."""
        with self._locked():
            records = np.fromfile(self._vectors, dtype=_RECORD)
            records = records[_valid(records)]
            latest: dict[bytes, int] = {}
            for row, raw in enumerate(records["key"]):
                latest[bytes(raw)] = row
            live = [row for raw, row in latest.items() if raw.hex() in self._cache]
            _replace(self._vectors, records[sorted(live)].tobytes())
        self._synced = None  # reload from the new file on the next search

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if _flock is None:
            with diskcache.Lock(self._cache, "quorum:vectors-lock", expire=10):
                yield
            return
        with self._lock_file.open("a+b") as handle:
            _flock(handle.fileno(), True)
            try:
                yield
            finally:
                _flock(handle.fileno(), False)


def _record(keys: list[str], groups: list[int], vectors: NDArray[np.float32]) -> NDArray[Any]:
    records = np.zeros(len(keys), dtype=_RECORD)
    records["magic"] = _MAGIC
    records["key"] = [bytes.fromhex(key) for key in keys]
    records["group"] = np.asarray(groups, dtype=np.uint64)
    records["vector"] = vectors
    return records


def _valid(records: NDArray[Any]) -> NDArray[np.bool_]:
    norms = np.linalg.norm(records["vector"], axis=1) if len(records) else np.zeros(0)
    valid: NDArray[np.bool_] = (records["magic"] == _MAGIC) & (np.abs(norms - 1.0) < 1e-3)
    return valid


def _replace(path: Path, data: bytes) -> None:
    """Write a new file and swap it in atomically (readers see the old or the new one, whole)."""
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)
