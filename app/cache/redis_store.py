"""The shared store: one Redis for a team. Same interface as the disk store.

Keys (under a prefix, default `quorum:cache:`):
- `entry:<key>`  the entry (JSON bytes), with the TTL as a Redis expiry;
- `vectors`      hash key -> group (8 bytes) + float32 vector; searched client-side in a `VectorIndex`;
- `log`          list of keys in the order they were stored: clients read it from their last offset to
                 learn about other clients' writes;
- `order`        sorted set key -> store time, for the entry limit (oldest evicted first);
- `epoch`        bumped by `clear` and log compaction: a client seeing a new epoch reloads everything.
Plain Redis has no vector search (that needs the RediSearch module), so the search is client-side;
the index is loaded once per process and then follows the log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import redis

from app.cache.embedder import DIMENSIONS
from app.cache.entry import CacheEntry
from app.cache.index import VectorIndex
from app.cache.store import CacheStore, CacheUnavailableError

__all__ = ["RedisStore"]

_T = TypeVar("_T")
_BATCH = 1000


class RedisStore(CacheStore):
    backend = "redis"

    def __init__(
        self, url: str, *, prefix: str = "quorum:cache:", max_entries: int = 100_000, timeout_s: float = 2.0
    ) -> None:
        super().__init__()
        self.url = url
        self.prefix = prefix
        self.max_entries = max_entries
        try:
            self._redis = redis.Redis.from_url(
                url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s
            )
        except ValueError as error:
            raise CacheUnavailableError(f"cache.redis_url: {error}") from error
        self._epoch: bytes | None = None
        self._offset = 0

    def _key(self, name: str) -> str:
        return self.prefix + name

    def _call(self, action: Callable[[], _T]) -> _T:
        try:
            return action()
        except redis.RedisError as error:
            raise CacheUnavailableError(
                f"cannot use the Redis cache at {_safe_url(self.url)}: {error}"
            ) from error

    # --- entries ----------------------------------------------------------------------------------

    def get(self, key: str) -> CacheEntry | None:
        raw = self._call(lambda: self._redis.get(self._key("entry:" + key)))
        return CacheEntry.from_bytes(raw) if isinstance(raw, bytes) else None

    def put(self, entry: CacheEntry, *, ttl_s: float | None) -> None:
        def run() -> None:
            pipe = self._redis.pipeline(transaction=True)
            expiry = int(ttl_s * 1000) if ttl_s else None
            pipe.set(self._key("entry:" + entry.key), entry.to_bytes(), px=expiry)
            if entry.vector is not None:
                group = np.uint64(VectorIndex.group_id(entry.fingerprint)).tobytes()
                vector = np.asarray(entry.vector, dtype="<f4").tobytes()
                pipe.hset(self._key("vectors"), entry.key, group + vector)
                pipe.rpush(self._key("log"), entry.key)
            pipe.zadd(self._key("order"), {entry.key: time.time()})
            pipe.zcard(self._key("order"))
            size = int(pipe.execute()[-1])
            if size > self.max_entries:
                evicted = self._redis.zpopmin(self._key("order"), size - self.max_entries)
                self._drop([pair[0] for pair in evicted if isinstance(pair, tuple | list)])

        self._call(run)

    def delete(self, key: str) -> None:
        self._call(lambda: self._drop([key]))

    def _drop(self, keys: list[Any]) -> None:
        if not keys:
            return
        names = [key.decode() if isinstance(key, bytes) else str(key) for key in keys]
        pipe = self._redis.pipeline(transaction=False)
        pipe.delete(*[self._key("entry:" + name) for name in names])
        pipe.hdel(self._key("vectors"), *names)
        pipe.zrem(self._key("order"), *names)
        pipe.execute()
        for name in names:
            self.forget(name)

    def clear(self) -> int:
        def run() -> int:
            count = int(self._redis.zcard(self._key("order")))
            batch: list[bytes] = []
            for name in self._redis.scan_iter(match=self._key("*"), count=_BATCH):
                if name != self._key("epoch").encode():
                    batch.append(name)
                if len(batch) >= _BATCH:
                    self._redis.unlink(*batch)
                    batch = []
            if batch:
                self._redis.unlink(*batch)
            self._redis.incr(self._key("epoch"))
            return count

        count = self._call(run)
        if self._vector_index is not None:
            self._vector_index.clear()
        return count

    def count(self) -> int:
        """Live entries (expired ones are pruned from the bookkeeping first)."""
        return self._call(self._prune)

    def approximate_count(self) -> int:
        return self._call(lambda: int(self._redis.zcard(self._key("order"))))

    def _prune(self) -> int:
        members = [member for member, _ in self._redis.zscan_iter(self._key("order"), count=_BATCH)]
        dead: list[bytes] = []
        for start in range(0, len(members), _BATCH):
            chunk = members[start : start + _BATCH]
            pipe = self._redis.pipeline(transaction=False)
            for member in chunk:
                pipe.exists(self._key("entry:" + member.decode()))
            dead.extend(member for member, alive in zip(chunk, pipe.execute(), strict=True) if not alive)
        self._drop(list(dead))
        return len(members) - len(dead)

    def stats(self) -> dict[str, Any]:
        entries = self.count()
        vectors = self._call(lambda: int(self._redis.hlen(self._key("vectors"))))
        return {
            "backend": self.backend,
            "location": f"{_safe_url(self.url)} (prefix {self.prefix})",
            "entries": entries,
            "size_bytes": None,
            "vectors": vectors,
        }

    def close(self) -> None:
        self._redis.close()

    # --- vectors ----------------------------------------------------------------------------------

    def _sync(self, index: VectorIndex) -> None:
        def run() -> None:
            pipe = self._redis.pipeline(transaction=True)
            pipe.get(self._key("epoch"))
            pipe.llen(self._key("log"))
            epoch, length = pipe.execute()
            if epoch != self._epoch:
                index.clear()
                self._epoch, self._offset = epoch, 0
            length = int(length)
            while self._offset < length:
                end = min(length, self._offset + _BATCH)
                keys = self._redis.lrange(self._key("log"), self._offset, end - 1)
                self._load(index, [key if isinstance(key, bytes) else key.encode() for key in keys])
                self._offset = end
            if length > 2 * max(len(index), 1) + _BATCH:
                self._compact_log()

        self._call(run)

    def _load(self, index: VectorIndex, keys: list[bytes]) -> None:
        if not keys:
            return
        values = self._redis.hmget(self._key("vectors"), keys)
        found = [
            (key.decode(), value)
            for key, value in zip(keys, values, strict=True)
            if isinstance(value, bytes) and value
        ]
        found = [(key, value) for key, value in found if len(value) == 8 + 4 * DIMENSIONS]
        if not found:
            return
        groups = [int(np.frombuffer(value[:8], dtype=np.uint64)[0]) for _, value in found]
        vectors = np.stack([np.frombuffer(value[8:], dtype="<f4") for _, value in found]).astype(np.float32)
        index.add_many([key for key, _ in found], groups, vectors)

    def _compact_log(self) -> None:
        """Rewrite the log with live keys only; other clients reload on the new epoch."""
        live = [member for member, _ in self._redis.zscan_iter(self._key("order"), count=_BATCH)]
        pipe = self._redis.pipeline(transaction=True)
        pipe.delete(self._key("log"))
        for start in range(0, len(live), _BATCH):
            pipe.rpush(self._key("log"), *live[start : start + _BATCH])
        pipe.incr(self._key("epoch"))
        pipe.execute()


def _safe_url(url: str) -> str:
    """The URL without its password (a Redis URL may carry one; it must not reach output or logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = (f"{parts.username}:***@" if parts.username else ":***@") + (parts.hostname or "")
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
