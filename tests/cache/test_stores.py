"""Both stores, same behaviour: real diskcache files and a real redis-server."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from app.cache.disk_store import DiskStore
from app.cache.entry import CacheEntry
from app.cache.index import VectorIndex
from app.cache.redis_store import RedisStore
from app.cache.store import CacheStore, CacheUnavailableError
from tests.cache.conftest import CONTEXT, OTHER_CONTEXT, verified_result


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
    return vector / np.linalg.norm(vector)


def entry(index: int, *, fingerprint: str | None = None, vector: np.ndarray | None = None) -> CacheEntry:
    prompt = f"Prompt number {index}"
    return CacheEntry(
        key=f"{index:064x}",
        fingerprint=fingerprint or CONTEXT.fingerprint(),
        prompt=prompt,
        verdict="verified",
        result=verified_result(prompt),
        models=["alpha:model-a"],
        vector=unit(index) if vector is None else vector,
    )


def test_put_get_roundtrip(store: CacheStore) -> None:
    stored = entry(1)
    store.put(stored, ttl_s=None)
    loaded = store.get(stored.key)
    assert loaded is not None
    assert loaded.result == stored.result
    assert loaded.models == ["alpha:model-a"]
    assert loaded.vector is not None and np.allclose(loaded.vector, stored.vector)
    assert abs(loaded.created_at - stored.created_at) < 1e-6
    assert store.get("0" * 64) is None


def test_nearest_finds_close_vectors_of_the_same_context_only(store: CacheStore) -> None:
    for index in range(50):
        store.put(entry(index), ttl_s=None)
    store.put(entry(100, fingerprint=OTHER_CONTEXT.fingerprint(), vector=unit(7)), ttl_s=None)
    query = unit(7) + 0.05 * unit(999)
    query /= np.linalg.norm(query)
    found = store.nearest(query, CONTEXT.fingerprint(), threshold=0.9)
    assert [key for key, _ in found] == [entry(7).key]
    assert found[0][1] > 0.99
    assert store.nearest(unit(12345), CONTEXT.fingerprint(), threshold=0.9) == []


def test_ttl_expires_entries(store: CacheStore) -> None:
    store.put(entry(1), ttl_s=0.3)
    store.put(entry(2), ttl_s=None)
    assert store.get(entry(1).key) is not None
    time.sleep(0.5)
    assert store.get(entry(1).key) is None
    assert store.get(entry(2).key) is not None
    assert store.count() == 1


def test_eviction_keeps_the_newest_entries(store: CacheStore) -> None:
    store.max_entries = 5  # type: ignore[attr-defined]
    for index in range(8):
        store.put(entry(index), ttl_s=None)
    assert store.count() == 5
    assert store.get(entry(0).key) is None
    assert store.get(entry(7).key) is not None
    assert store.nearest(unit(0), CONTEXT.fingerprint(), threshold=0.9) in (
        [],
        [(entry(0).key, pytest.approx(1.0))],
    )


def test_clear_and_stats(store: CacheStore) -> None:
    for index in range(3):
        store.put(entry(index), ttl_s=None)
    assert store.nearest(unit(1), CONTEXT.fingerprint(), threshold=0.9)
    stats = store.stats()
    assert stats["backend"] == store.backend
    assert stats["entries"] == 3
    assert store.clear() == 3
    assert store.count() == 0
    assert store.nearest(unit(1), CONTEXT.fingerprint(), threshold=0.9) == []


def test_writes_of_another_process_are_seen(store: CacheStore, tmp_path: Path) -> None:
    """A second store object on the same location (as another process would be) sees new entries."""
    store.put(entry(1), ttl_s=None)
    assert store.nearest(unit(1), CONTEXT.fingerprint(), threshold=0.9)
    other: CacheStore
    if isinstance(store, DiskStore):
        other = DiskStore(store.root)
    else:
        assert isinstance(store, RedisStore)
        other = RedisStore(store.url, prefix=store.prefix)
    try:
        other.put(entry(2), ttl_s=None)
        assert [key for key, _ in store.nearest(unit(2), CONTEXT.fingerprint(), threshold=0.9)] == [
            entry(2).key
        ]
        other.clear()
        assert store.nearest(unit(1), CONTEXT.fingerprint(), threshold=0.9) == []
    finally:
        other.close()


def test_disk_store_ignores_a_torn_vector_record(disk_store: DiskStore) -> None:
    disk_store.put(entry(1), ttl_s=None)
    with (disk_store.root / "vectors.bin").open("ab") as handle:
        handle.write(b"QV01" + b"\x00" * 100)  # a writer killed mid-record
    assert [key for key, _ in disk_store.nearest(unit(1), CONTEXT.fingerprint(), threshold=0.9)] == [
        entry(1).key
    ]
    disk_store.put(entry(2), ttl_s=None)  # the next writer drops the torn tail
    assert (disk_store.root / "vectors.bin").stat().st_size % 1580 == 0
    assert [key for key, _ in disk_store.nearest(unit(2), CONTEXT.fingerprint(), threshold=0.9)] == [
        entry(2).key
    ]


def test_disk_store_rebuilds_a_lost_vector_log(tmp_path: Path) -> None:
    store = DiskStore(tmp_path / "c")
    for index in range(5):
        store.put(entry(index), ttl_s=None)
    store.close()
    (tmp_path / "c" / "vectors.bin").unlink()
    reopened = DiskStore(tmp_path / "c")
    try:
        assert [key for key, _ in reopened.nearest(unit(3), CONTEXT.fingerprint(), threshold=0.9)] == [
            entry(3).key
        ]
    finally:
        reopened.close()


def test_disk_store_compacts_dead_vectors(disk_store: DiskStore) -> None:
    for round_ in range(5):
        for index in range(600):
            disk_store.put(entry(index, vector=unit(index + 1000 * round_)), ttl_s=None)
        disk_store.nearest(unit(0), CONTEXT.fingerprint(), threshold=0.9)
    records = (disk_store.root / "vectors.bin").stat().st_size // 1580
    assert records <= 1200  # replaced vectors were dropped when the log passed twice the live ones
    assert [key for key, _ in disk_store.nearest(unit(4005), CONTEXT.fingerprint(), threshold=0.9)] == [
        entry(5).key
    ]
    assert disk_store.nearest(unit(5), CONTEXT.fingerprint(), threshold=0.9) == []


def test_unreachable_redis_is_a_clear_error() -> None:
    store = RedisStore("redis://127.0.0.1:1/0", timeout_s=0.5)
    with pytest.raises(
        CacheUnavailableError, match=r"cannot use the Redis cache at redis://127\.0\.0\.1:1/0"
    ):
        store.get("x")


def test_redis_passwords_never_reach_messages() -> None:
    store = RedisStore("redis://user:hunter22@127.0.0.1:1/0", timeout_s=0.5)
    with pytest.raises(CacheUnavailableError) as caught:
        store.count()
    assert "hunter22" not in str(caught.value)


def test_index_threshold_and_groups() -> None:
    index = VectorIndex(capacity=2)
    vectors = np.stack([unit(seed) for seed in range(300)])
    index.add_many([str(seed) for seed in range(300)], [5] * 300, vectors)
    assert len(index) == 300
    assert index.search(unit(42), group=5, threshold=0.95) == [("42", pytest.approx(1.0, abs=1e-5))]
    assert index.search(unit(42), group=7, threshold=0.95) == []
    index.remove("42")
    assert index.search(unit(42), group=5, threshold=0.95) == []
    index.add("42", 5, unit(43))  # replaced: the key now points at the new vector
    assert index.search(unit(43), group=5, threshold=0.95, limit=5) == [
        ("43", pytest.approx(1.0, abs=1e-5)),
        ("42", pytest.approx(1.0, abs=1e-5)),
    ]


def test_index_prefilter_never_loses_a_neighbour_above_the_threshold() -> None:
    """The sign-code prefilter against an exact scan, on vectors spread around the threshold."""
    rng = np.random.default_rng(1)
    base = np.stack([unit(seed) for seed in range(200)])
    index = VectorIndex()
    rows = []
    for copy in range(10):
        noisy = base + rng.standard_normal(base.shape).astype(np.float32) * (0.01 + 0.03 * copy)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        rows.append(noisy)
    matrix = np.concatenate(rows).astype(np.float32)
    index.add_many([str(row) for row in range(len(matrix))], [1] * len(matrix), matrix)
    for seed in range(0, 200, 7):
        exact = {str(row) for row in np.flatnonzero(matrix @ base[seed] >= 0.9)}
        found = {key for key, _ in index.search(base[seed], group=1, threshold=0.9, limit=100)}
        assert found == exact
