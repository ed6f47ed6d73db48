"""What the CLI and pipeline call: `quorum cache stats|clear|lookup` payloads and a cached verify."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cache.commands import (
    cache_clear,
    cache_lookup,
    cache_path,
    cache_stats,
    discover_context,
    open_cache,
    verify_with_cache,
)
from app.cache.embedder import Embedder
from app.config.settings import CacheSettings, Settings
from app.core.events import Event, RunStarted, VerdictReached
from app.core.pipeline import Pipeline
from tests.cache.conftest import CONTEXT, verified_result

PROMPT = "Write a Python function that reverses a string."  # one of the demo tasks


def disk_settings(tmp_path: Path, **cache: object) -> Settings:
    return Settings(cache=CacheSettings(path=str(tmp_path / "c"), **cache))  # type: ignore[arg-type]


def test_default_path_is_the_user_cache_dir(isolated_user_dirs: Path) -> None:
    assert cache_path(Settings()) == isolated_user_dirs / "cache" / "quorum" / "results"


async def test_stats_lookup_clear(tmp_path: Path, embedder: Embedder) -> None:
    settings = disk_settings(tmp_path)
    cache = open_cache(settings, embedder=embedder)
    assert cache is not None
    assert await cache.put(verified_result(PROMPT), CONTEXT)
    cache.close()

    stats = cache_stats(settings)
    assert stats["backend"] == "disk" and stats["entries"] == 1 and stats["location"] == str(tmp_path / "c")
    assert stats["serve_verdicts"] == ["verified"] and stats["similarity_threshold"] == 0.95

    exact = await cache_lookup(settings, PROMPT.lower(), CONTEXT, embedder=embedder)
    assert exact == {"hit": True, "kind": "exact", "similarity": 1.0, "matched_prompt": PROMPT}
    semantic = await cache_lookup(
        settings, "Write a Python function to reverse a string.", CONTEXT, embedder=embedder
    )
    assert semantic["hit"] and semantic["kind"] == "semantic" and semantic["matched_prompt"] == PROMPT
    assert 0.95 <= semantic["similarity"] <= 1.0
    miss = await cache_lookup(
        settings, "Write a Python function that reverses a list.", CONTEXT, embedder=embedder
    )
    assert miss == {"hit": False, "kind": None, "similarity": None, "matched_prompt": None}

    assert cache_clear(settings) == 1
    assert cache_stats(settings)["entries"] == 0


async def test_disabled_cache(tmp_path: Path) -> None:
    settings = disk_settings(tmp_path, enabled=False)
    assert open_cache(settings) is None
    assert await cache_lookup(settings, PROMPT, CONTEXT) == {
        "hit": False,
        "kind": None,
        "similarity": None,
        "matched_prompt": None,
    }


async def test_redis_backend_commands(redis_url: str, embedder: Embedder) -> None:
    settings = Settings(
        cache=CacheSettings(backend="redis", redis_url=redis_url, redis_prefix="quorum-test-cmd:")
    )
    cache_clear(settings)
    cache = open_cache(settings, embedder=embedder)
    assert cache is not None
    assert await cache.put(verified_result(PROMPT), CONTEXT)
    cache.close()
    assert cache_stats(settings)["entries"] == 1
    found = await cache_lookup(
        settings, "Write a Python function to reverse a string.", CONTEXT, embedder=embedder
    )
    assert found["kind"] == "semantic"
    assert cache_clear(settings) == 1


def test_redis_down_is_a_one_line_error() -> None:
    from app.cache.store import CacheUnavailableError

    settings = Settings(cache=CacheSettings(backend="redis", redis_url="redis://127.0.0.1:1/0"))
    with pytest.raises(CacheUnavailableError, match="cannot use the Redis cache"):
        cache_stats(settings)


async def test_discover_context_matches_the_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUORUM_DEMO_SPEED", "100")
    pipeline = await Pipeline.open(Settings())
    try:
        from app.cache.entry import CacheContext

        expected = CacheContext.for_run(pipeline.settings, pipeline.provider_settings, mode=pipeline.mode)
        assert await discover_context(Settings()) == expected
    finally:
        await pipeline.aclose()


async def test_verify_with_cache_end_to_end(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo providers, the real sandbox and judge: a miss is stored, then served exactly and semantically."""
    monkeypatch.setenv("QUORUM_DEMO_SPEED", "100")
    settings = disk_settings(tmp_path)
    pipeline = await Pipeline.open(settings)
    cache = open_cache(settings, metrics=pipeline.metrics, sandbox=pipeline.sandbox, embedder=embedder)
    events: list[Event] = []
    try:
        first = await verify_with_cache(pipeline, cache, PROMPT)
        assert (first.cache, first.verdict) == ("miss", "verified")
        again = await verify_with_cache(pipeline, cache, PROMPT + "  ", on_event=events.append)
        assert again.cache == "exact"
        assert again.to_json()["answers"] == first.to_json()["answers"]
        assert [type(event) for event in events] == [RunStarted, VerdictReached]
        reworded = await verify_with_cache(pipeline, cache, "Write a Python function to reverse a string.")
        assert reworded.cache == "semantic"
        assert reworded.prompt == "Write a Python function to reverse a string."
        near = await verify_with_cache(pipeline, cache, "Write a Python function that reverses a list.")
        assert near.cache == "miss"
        uncached = await verify_with_cache(pipeline, None, PROMPT)  # --no-cache
        assert uncached.cache == "miss"
    finally:
        assert cache is not None
        cache.close()
        await pipeline.aclose()
    text = pipeline.metrics.registry.get_sample_value
    assert text("quorum_cache_lookups_total", {"result": "exact"}) == 1
    assert text("quorum_cache_lookups_total", {"result": "semantic"}) == 1
    assert text("quorum_cache_lookups_total", {"result": "miss"}) == 2
    assert text("quorum_cache_lookup_seconds_count", {"result": "exact"}) == 1
