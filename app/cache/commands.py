"""What front ends call: open the cache from settings, `quorum cache stats|clear|lookup`, and a verify
that answers from the cache when it can.

CLI (`quorum cache ...`): `cache_stats(settings)`, `cache_clear(settings)`, `await cache_lookup(settings,
prompt)` each return exactly what `--json` prints. `quorum verify`: `await verify_with_cache(pipeline,
cache, prompt, ...)` with `cache = open_cache(settings, metrics=..., sandbox=...)` (None when disabled
or with `--no-cache`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cache.cache import CacheLookup, ResultCache
from app.cache.embedder import Embedder, shared_embedder
from app.cache.entry import CacheContext
from app.cache.store import CacheStore, CacheUnavailableError
from app.sandbox.base import BackendName, Sandbox, SandboxRequest, SandboxResult

if TYPE_CHECKING:
    from app.config.settings import Settings
    from app.core.events import EventSink
    from app.core.models import VerifyResult
    from app.core.pipeline import Pipeline
    from app.metrics.instruments import Metrics

__all__ = [
    "cache_clear",
    "cache_lookup",
    "cache_path",
    "cache_stats",
    "discover_context",
    "open_cache",
    "open_store",
    "verify_with_cache",
]

_log = logging.getLogger(__name__)


def cache_path(settings: Settings) -> Path:
    """Where the disk backend lives: `cache.path`, else `<user cache dir>/results`."""
    from app.config.paths import cache_dir

    return Path(settings.cache.path).expanduser() if settings.cache.path else cache_dir() / "results"


def open_store(settings: Settings) -> CacheStore:
    cache = settings.cache
    if cache.backend == "redis":
        from app.cache.redis_store import RedisStore

        return RedisStore(cache.redis_url, prefix=cache.redis_prefix, max_entries=cache.max_entries)
    from app.cache.disk_store import DiskStore

    return DiskStore(cache_path(settings), max_entries=cache.max_entries, max_size_mb=cache.max_size_mb)


def open_cache(
    settings: Settings,
    *,
    metrics: Metrics | None = None,
    sandbox: Sandbox | None = None,
    embedder: Embedder | None = None,
) -> ResultCache | None:
    """The cache for a pipeline; None when `cache.enabled` is false. The model still loads lazily
    (call `cache.embedder.start_loading()` early in a GUI to have it ready)."""
    if not settings.cache.enabled:
        return None
    from app.cache.metrics import CacheMetrics
    from app.sandbox.base import SandboxLimits

    limits = SandboxLimits(
        timeout_s=max(settings.sandbox.timeout_s, 10.0), memory_mb=settings.sandbox.memory_mb
    )
    return ResultCache(
        store=open_store(settings),
        settings=settings.cache,
        embedder=embedder or shared_embedder(),
        sandbox=sandbox,
        limits=limits,
        metrics=CacheMetrics.for_pipeline(metrics) if metrics is not None else None,
    )


async def verify_with_cache(
    pipeline: Pipeline,
    cache: ResultCache | None,
    prompt: str,
    *,
    providers: Sequence[str] | None = None,
    tests: str | None = None,
    on_event: EventSink | None = None,
) -> VerifyResult:
    """`pipeline.verify`, answered from the cache when it can be; fresh results are stored.

    A hit emits `RunStarted` and `VerdictReached` like a run does, with `result.cache` set to the hit
    kind. Cache trouble (Redis down, a broken store) never fails the verification: it is logged and
    the models are asked.
    """
    from app.core.events import RunStarted, VerdictReached

    if cache is None:
        return await pipeline.run_fresh(prompt, providers=providers, tests=tests, on_event=on_event)
    started = time.perf_counter()
    context = pipeline.cache_context(providers, tests)
    try:
        found = await cache.lookup(prompt.strip(), context)
    except CacheUnavailableError as error:
        _log.warning("cache lookup skipped: %s", error)
        found = CacheLookup()
    if found.hit:
        result = found.verify_result(prompt.strip(), duration_ms=(time.perf_counter() - started) * 1000)
        pipeline.metrics.count_verdict(result.verdict)
        pipeline.metrics.observe_end_to_end(result.duration_ms / 1000)
        if on_event is not None:
            names = tuple(record.answer.provider for record in result.answers)
            on_event(RunStarted(result.prompt, names, pipeline.mode))
            on_event(VerdictReached(result))
        return result
    result = await pipeline.run_fresh(prompt, providers=providers, tests=tests, on_event=on_event)
    try:
        await cache.put(result, context)
    except CacheUnavailableError as error:
        _log.warning("result not cached: %s", error)
    return result


async def discover_context(
    settings: Settings, *, providers: Sequence[str] | None = None, tests: str | None = None
) -> CacheContext:
    """The context `quorum verify` would run in with these settings (the same provider discovery)."""
    from app.providers.base import new_http_client
    from app.providers.registry import discover_providers

    async with new_http_client() as client:
        chosen, mode = await discover_providers(client, settings.providers)
    return CacheContext.for_run(settings, chosen, mode=mode, providers=providers, tests=tests)


def cache_stats(settings: Settings) -> dict[str, Any]:
    """`quorum cache stats --json`: the store's figures and the settings that govern it."""
    store = open_store(settings)
    try:
        stats = store.stats()
    finally:
        store.close()
    cache = settings.cache
    return {
        **stats,
        "enabled": cache.enabled,
        "similarity_threshold": cache.similarity_threshold,
        "serve_verdicts": list(cache.serve_verdicts),
        "ttl_days": cache.ttl_days,
        "max_entries": cache.max_entries,
    }


def cache_clear(settings: Settings) -> int:
    """`quorum cache clear`: removes every entry; returns how many there were."""
    store = open_store(settings)
    try:
        return store.clear()
    finally:
        store.close()


async def cache_lookup(
    settings: Settings,
    prompt: str,
    context: CacheContext | None = None,
    *,
    sandbox: Sandbox | None = None,
    embedder: Embedder | None = None,
) -> dict[str, Any]:
    """`quorum cache lookup PROMPT --json`: what `quorum verify PROMPT` would be served, exactly the
    contract's `{"hit", "kind", "similarity", "matched_prompt"}`. Examples in the prompt are re-checked
    as for a verify (in `sandbox`, else one made from the settings)."""
    if not settings.cache.enabled:
        return CacheLookup().to_json()
    context = context or await discover_context(settings)
    owned = _LazySandbox(settings) if sandbox is None else None
    cache = open_cache(settings, sandbox=sandbox or owned, embedder=embedder)
    if cache is None:  # pragma: no cover - enabled was checked above
        return CacheLookup().to_json()
    try:
        found = await cache.lookup(prompt.strip(), context)
    finally:
        cache.close()
        if owned is not None:
            await owned.aclose()
    return found.to_json()


class _LazySandbox(Sandbox):
    """A sandbox made from the settings on first use: most lookups never need one."""

    name: BackendName = "subprocess"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings.sandbox
        self._real: Sandbox | None = None

    @property
    def isolation(self) -> str:
        return self._real.isolation if self._real is not None else "not started"

    async def run(self, request: SandboxRequest) -> SandboxResult:
        if self._real is None:
            from app.sandbox.factory import create_sandbox

            self._real = create_sandbox(
                self._settings.backend, docker_image=self._settings.docker_image, pool_size=0
            )
            self.name = self._real.name
        return await self._real.run(request)

    async def aclose(self) -> None:
        if self._real is not None:
            await self._real.aclose()
