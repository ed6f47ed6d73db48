"""The store interface: entries by exact key, and nearest neighbours over their prompt vectors.

Two implementations share it: `DiskStore` (diskcache, the embedded default) and `RedisStore` (one cache
shared by a team). Both keep the vector index in memory next to the store and bring it up to date with
what other processes wrote before each search. All methods block: the async cache runs them in threads.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from typing import Any

import numpy as np
from numpy.typing import NDArray

from app.cache.entry import CacheEntry
from app.cache.index import VectorIndex
from app.core.errors import UserError

__all__ = ["CacheStore", "CacheUnavailableError"]


class CacheUnavailableError(UserError):
    """The cache store cannot be opened or reached (bad path, Redis down). Says which and why."""


class CacheStore(ABC):
    backend: str

    def __init__(self) -> None:
        self._vector_index: VectorIndex | None = None  # loaded on the first semantic lookup
        self._sync_lock = threading.Lock()  # concurrent lookups must not read the same new vectors twice

    @abstractmethod
    def get(self, key: str) -> CacheEntry | None:
        """The live entry under `key` (expired or unreadable entries are None)."""

    @abstractmethod
    def put(self, entry: CacheEntry, *, ttl_s: float | None) -> None:
        """Store (or replace) an entry; evicts the oldest entries beyond the size limits."""

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @abstractmethod
    def clear(self) -> int:
        """Remove every entry; returns how many there were."""

    @abstractmethod
    def count(self) -> int:
        """Live entries (expired ones are removed first)."""

    @abstractmethod
    def approximate_count(self) -> int:
        """Entries, cheaply: may still include expired ones."""

    @abstractmethod
    def stats(self) -> dict[str, Any]:
        """`backend`, `location`, `entries`, `size_bytes` (None when unknown), `vectors`."""

    @abstractmethod
    def _sync(self, index: VectorIndex) -> None:
        """Add to `index` the vectors stored since the last sync (by any process)."""

    @abstractmethod
    def close(self) -> None: ...

    def nearest(
        self, vector: NDArray[np.float32], fingerprint: str, *, threshold: float, limit: int = 8
    ) -> list[tuple[str, float]]:
        """Keys of entries of this context whose vector has cosine >= threshold, best first."""
        with self._sync_lock:
            index = self._index()
            self._sync(index)
        return index.search(vector, group=VectorIndex.group_id(fingerprint), threshold=threshold, limit=limit)

    def forget(self, key: str) -> None:
        """Drop a key from the in-memory index (its entry expired or was evicted)."""
        if self._vector_index is not None:
            self._vector_index.remove(key)

    def _index(self) -> VectorIndex:
        if self._vector_index is None:
            self._vector_index = VectorIndex()
        return self._vector_index
