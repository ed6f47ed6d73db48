"""Everything one verification needs, built from settings and closed together.

Front ends (CLI, GUI, gateway) open a `Pipeline` once and call `verify` as often as they like; it owns
the HTTP client, the providers (with their breakers), the sandbox and the metrics registry.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.config.settings import ProviderSettings, Settings
from app.core.events import EventSink
from app.core.models import VerifyResult
from app.core.orchestrator import Orchestrator, RunOptions
from app.judge import JudgeSettings
from app.sandbox.base import SandboxLimits

if TYPE_CHECKING:
    import httpx
    from prometheus_client import CollectorRegistry

    from app.cache.cache import CacheLookup, ResultCache
    from app.cache.entry import CacheContext
    from app.metrics.instruments import Metrics
    from app.providers.pool import ProviderPool
    from app.sandbox.base import Sandbox

__all__ = ["Pipeline"]


@dataclass
class Pipeline:
    settings: Settings
    client: httpx.AsyncClient
    providers: ProviderPool
    sandbox: Sandbox
    metrics: Metrics
    mode: str  # which providers: "configured", "ollama" (none configured, a local Ollama found) or "demo"
    provider_settings: list[ProviderSettings]
    cache: ResultCache | None = None  # None when `[cache] enabled = false`
    _contexts: dict[tuple[tuple[str, ...] | None, str | None], CacheContext] = field(default_factory=dict)

    @classmethod
    async def open(
        cls,
        settings: Settings,
        *,
        registry: CollectorRegistry | None = None,
        client: httpx.AsyncClient | None = None,
        sandbox: Sandbox | None = None,
    ) -> Pipeline:
        from prometheus_client import CollectorRegistry

        from app.cache.commands import open_cache
        from app.metrics.instruments import Metrics
        from app.providers.base import new_http_client
        from app.providers.pool import ProviderPool
        from app.providers.registry import discover_providers
        from app.sandbox.factory import create_sandbox

        metrics = Metrics(registry or CollectorRegistry())
        client = client or new_http_client()
        chosen, mode = await discover_providers(client, settings.providers)
        # Keychain look-ups, the Docker probe and opening the cache store block: keep them off the loop
        # (which is the GUI thread in the desktop app).
        providers = await asyncio.to_thread(ProviderPool.from_settings, chosen, client, metrics=metrics)
        if sandbox is None:
            sandbox = await asyncio.to_thread(
                create_sandbox,
                settings.sandbox.backend,
                docker_image=settings.sandbox.docker_image,
                pool_size=settings.sandbox.pool_size,
            )
        cache = await asyncio.to_thread(open_cache, settings, metrics=metrics, sandbox=sandbox)
        return cls(settings, client, providers, sandbox, metrics, mode, chosen, cache)

    async def verify(
        self,
        prompt: str,
        *,
        providers: Sequence[str] | None = None,
        tests: str | None = None,
        on_event: EventSink | None = None,
        use_cache: bool = True,
    ) -> VerifyResult:
        """Answered from the cache when it can be (`use_cache=False`: neither read nor stored)."""
        if self.cache is None or not use_cache:
            return await self.run_fresh(prompt, providers=providers, tests=tests, on_event=on_event)
        from app.cache.commands import verify_with_cache

        return await verify_with_cache(
            self, self.cache, prompt, providers=providers, tests=tests, on_event=on_event
        )

    def cached_exact(
        self, prompt: str, *, providers: Sequence[str] | None = None, tests: str | None = None
    ) -> CacheLookup | None:
        """The exact-hit path alone: blocking but cheap (normalise, hash, one read). For servers, which
        answer repeated prompts without queueing them behind running verifications."""
        if self.cache is None:
            return None
        found = self.cache.lookup_exact(prompt.strip(), self.cache_context(providers, tests))
        if found is not None:
            self.metrics.count_cache_lookup("exact")
            self.metrics.count_verdict(str(found.entry.result.get("verdict")) if found.entry else "unknown")
        return found

    def cache_context(self, providers: Sequence[str] | None, tests: str | None) -> CacheContext:
        """What a run with these providers and tests is cached under. Memoised: the same request shape
        comes back again and again on a server."""
        key = (tuple(providers) if providers else None, tests)
        context = self._contexts.get(key)
        if context is None:
            from app.cache.entry import CacheContext

            context = CacheContext.for_run(
                self.settings, self.provider_settings, mode=self.mode, providers=providers, tests=tests
            )
            if len(self._contexts) < 256:
                self._contexts[key] = context
        return context

    async def run_fresh(
        self,
        prompt: str,
        *,
        providers: Sequence[str] | None = None,
        tests: str | None = None,
        on_event: EventSink | None = None,
    ) -> VerifyResult:
        """Ask the providers, run, judge: no cache involved."""
        sandbox = self.settings.sandbox
        options = RunOptions(
            providers=providers,
            tests=tests,
            limits=SandboxLimits(timeout_s=sandbox.timeout_s, memory_mb=sandbox.memory_mb),
            judge=JudgeSettings(run_timeout_s=max(sandbox.timeout_s, 10.0), memory_mb=sandbox.memory_mb),
            mode=self.mode,
        )
        orchestrator = Orchestrator(self.providers, self.sandbox, metrics=self.metrics)
        return await orchestrator.verify(prompt, options, on_event)

    async def aclose(self) -> None:
        if self.cache is not None:
            await asyncio.to_thread(self.cache.close)
        await self.providers.aclose()
        await self.client.aclose()
        await self.sandbox.aclose()
