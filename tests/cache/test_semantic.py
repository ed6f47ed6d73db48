"""The cache with the real model and a real disk store: exact hits, guarded semantic hits, what is served."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cache.cache import ResultCache
from app.cache.disk_store import DiskStore
from app.cache.embedder import Embedder
from app.cache.entry import CacheContext, ProviderIdentity
from app.config.settings import CacheSettings
from app.core.logs import register_secret
from tests.cache.conftest import CONTEXT, OTHER_CONTEXT, CountingEmbedder, verified_result
from tests.cache.pairs import NEAR_MISSES, PARAPHRASES, REWORDED


def isolated(index: int) -> CacheContext:
    """One context per pair, so pairs share a store without ever seeing each other's entries."""
    return CacheContext(providers=(ProviderIdentity(f"p{index}", "openai", "m"),))


async def test_near_misses_never_hit(cache: ResultCache) -> None:
    similar = 0
    for index, (kind, first, second) in enumerate(NEAR_MISSES):
        for stored, asked, side in ((first, second, 2 * index), (second, first, 2 * index + 1)):
            assert await cache.put(verified_result(stored), isolated(side))
            found = await cache.lookup(asked, isolated(side))
            assert not found.hit, (kind, asked, found.matched_prompt, found.similarity)
            similar += any(reason.startswith("guard") for reason in found.rejections)
    # Many near-misses score above the threshold: there the guard, not the similarity, refuses them.
    assert similar >= 0.35 * 2 * len(NEAR_MISSES)


@pytest.mark.parametrize(
    ("table", "share"), [(PARAPHRASES, 0.9), (REWORDED, 0.7)], ids=["paraphrases", "rewordings"]
)
async def test_paraphrases_hit(cache: ResultCache, table: list[tuple[str, str]], share: float) -> None:
    hits = 0
    for index, (stored, asked) in enumerate(table):
        assert await cache.put(verified_result(stored), isolated(index))
        found = await cache.lookup(asked, isolated(index))
        if found.hit:
            assert found.kind in ("semantic", "exact")
            assert found.matched_prompt == stored
            hits += 1
    assert hits / len(table) >= share, f"{hits}/{len(table)} hit"


async def test_exact_hit_costs_no_embedding(disk_store: DiskStore, counting: CountingEmbedder) -> None:
    cache = ResultCache(disk_store, CacheSettings(), embedder=counting)
    prompt = "Write a Python function that reverses a string."
    assert await cache.put(verified_result(prompt), CONTEXT)
    assert counting.calls == 1  # the vector stored with the entry
    found = await cache.lookup("  write a python function that reverses a string ", CONTEXT)
    assert (found.kind, found.similarity, found.matched_prompt) == ("exact", 1.0, prompt)
    assert counting.calls == 1
    assert found.to_json() == {"hit": True, "kind": "exact", "similarity": 1.0, "matched_prompt": prompt}


async def test_semantic_hit_reports_similarity(cache: ResultCache) -> None:
    await cache.put(verified_result("Write a function that checks if a number is prime."), CONTEXT)
    found = await cache.lookup("Write a function to check whether a number is prime.", CONTEXT)
    assert found.kind == "semantic"
    assert 0.95 <= found.similarity <= 1.0  # type: ignore[operator]
    assert set(found.to_json()) == {"hit", "kind", "similarity", "matched_prompt"}


async def test_other_contexts_never_hit(cache: ResultCache) -> None:
    prompt = "Write a function that checks if a number is prime."
    await cache.put(verified_result(prompt), CONTEXT)
    assert not (await cache.lookup(prompt, OTHER_CONTEXT)).hit
    tests = CacheContext(CONTEXT.providers, tests="assert solve(1) == 1")
    assert not (await cache.lookup(prompt, tests)).hit


async def test_only_verified_results_are_served_by_default(disk_store: DiskStore, embedder: Embedder) -> None:
    prompt = "Write a function that flattens a nested list."
    default = ResultCache(disk_store, CacheSettings(), embedder=embedder)
    assert not await default.put(verified_result(prompt, verdict="disputed"), CONTEXT)
    assert not (await default.lookup(prompt, CONTEXT)).hit
    lenient = ResultCache(
        disk_store, CacheSettings(serve_verdicts=["verified", "disputed"]), embedder=embedder
    )
    assert await lenient.put(verified_result(prompt, verdict="disputed"), CONTEXT)
    assert (await lenient.lookup(prompt, CONTEXT)).kind == "exact"
    found = await default.lookup(prompt, CONTEXT)  # the stored disputed entry is not served by default
    assert not found.hit


async def test_served_results_are_not_stored_again(cache: ResultCache) -> None:
    result = verified_result("Write a function that flattens a nested list.")
    result["cache"] = "semantic"
    assert not await cache.put(result, CONTEXT)


async def test_threshold_comes_from_settings(disk_store: DiskStore, embedder: Embedder) -> None:
    strict = ResultCache(disk_store, CacheSettings(similarity_threshold=0.9999), embedder=embedder)
    default = ResultCache(disk_store, CacheSettings(), embedder=embedder)
    stored, asked = (
        "Write a function that counts the vowels in a string.",
        "Count how many vowels a string has.",
    )
    await strict.put(verified_result(stored), CONTEXT)
    assert (await default.lookup(asked, CONTEXT)).kind == "semantic"
    assert not (await strict.lookup(asked, CONTEXT)).hit
    assert (await strict.lookup(stored.lower(), CONTEXT)).kind == "exact"


async def test_old_entries_are_not_served(disk_store: DiskStore, embedder: Embedder) -> None:
    now = [1_000_000.0]
    cache = ResultCache(disk_store, CacheSettings(ttl_days=1), embedder=embedder, clock=lambda: now[0])
    prompt = "Write a function that transposes a matrix."
    await cache.put(verified_result(prompt), CONTEXT)
    now[0] += 0.5 * 86_400
    assert (await cache.lookup(prompt, CONTEXT)).hit
    now[0] += 0.6 * 86_400
    assert not (await cache.lookup(prompt, CONTEXT)).hit


async def test_entries_record_when_and_by_which_models(cache: ResultCache) -> None:
    prompt = "Write a function that transposes a matrix."
    await cache.put(verified_result(prompt, provider="groq", model="llama-3.3-70b"), CONTEXT)
    found = await cache.lookup(prompt, CONTEXT)
    assert found.entry is not None
    assert found.entry.models == ["groq:llama-3.3-70b"]
    served = found.response("Write a function that transposes a matrix!")
    assert served["cache"] == "exact"
    assert served["prompt"] == "Write a function that transposes a matrix!"
    assert served["cached"]["models"] == ["groq:llama-3.3-70b"]
    assert served["cached"]["created_at"].endswith("Z")
    assert served["answers"] == verified_result(prompt, provider="groq", model="llama-3.3-70b")["answers"]


async def test_served_result_rebuilds_a_verify_result(cache: ResultCache) -> None:
    prompt = "Write a function that transposes a matrix."
    original = verified_result(prompt)
    await cache.put(original, CONTEXT)
    found = await cache.lookup(prompt, CONTEXT)
    rebuilt = found.verify_result(prompt, duration_ms=1.5).to_json()
    assert rebuilt == {**original, "cache": "exact", "duration_ms": 1.5}


async def test_secrets_are_never_stored(tmp_path: Path, embedder: Embedder) -> None:
    secret = "sk-test-0123456789abcdefghij"  # noqa: S105 - a fake key, to prove none is stored
    register_secret(secret)
    store = DiskStore(tmp_path / "c")
    cache = ResultCache(store, CacheSettings(), embedder=embedder)
    result = verified_result("Write a function that transposes a matrix.")
    result["answers"][0]["error"] = f"upstream said: bad key {secret}"
    result["explanation"] = "Authorization: Bearer abcdefghijklmnop"
    assert await cache.put(result, CONTEXT)
    store.close()
    for path in (tmp_path / "c").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert secret.encode() not in data and b"abcdefghijklmnop" not in data, path
    # a result whose winning code would change under redaction is not cached at all
    leaky = verified_result(
        "Write a function that returns a token.", code=f"def token():\n    return '{secret}'\n"
    )
    assert not await ResultCache(DiskStore(tmp_path / "d"), CacheSettings(), embedder=embedder).put(
        leaky, CONTEXT
    )


async def test_without_a_model_only_exact_hits(disk_store: DiskStore) -> None:
    cache = ResultCache(disk_store, CacheSettings(), embedder=None)
    prompt = "Write a function that checks if a number is prime."
    assert await cache.put(verified_result(prompt), CONTEXT)
    assert (await cache.lookup(prompt, CONTEXT)).kind == "exact"
    assert not (await cache.lookup("Write a function to check whether a number is prime.", CONTEXT)).hit


async def test_metrics_count_results_and_guard_rejections(disk_store: DiskStore, embedder: Embedder) -> None:
    from prometheus_client import CollectorRegistry

    from app.cache.metrics import CacheMetrics

    registry = CollectorRegistry()
    cache = ResultCache(disk_store, CacheSettings(), embedder=embedder, metrics=CacheMetrics(registry))
    await cache.put(verified_result("Sort a list of integers in ascending order."), CONTEXT)
    await cache.lookup("Sort a list of integers in descending order.", CONTEXT)
    await cache.lookup("Sort a list of integers in ascending order", CONTEXT)
    sample = registry.get_sample_value
    assert sample("quorum_cache_lookups_total", {"result": "miss"}) == 1
    assert sample("quorum_cache_lookups_total", {"result": "exact"}) == 1
    assert sample("quorum_cache_rejections_total", {"reason": "guard:order"}) == 1
    assert sample("quorum_cache_entries") == 1
    assert sample("quorum_cache_lookup_seconds_count", {"result": "miss"}) == 1


async def test_a_fault_in_the_guard_is_a_miss_not_a_crash(
    cache: ResultCache, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await cache.put(verified_result("Write a function that checks if a number is prime."), CONTEXT)

    def broken(*_: object) -> None:
        raise KeyError("a rule the guard has no entry for")

    monkeypatch.setattr("app.cache.cache.compare_features", broken)
    found = await cache.lookup("Write a function to check whether a number is prime.", CONTEXT)
    assert found.kind is None
    assert "guard: error" in found.rejections
    assert "cache guard failed" in caplog.text
