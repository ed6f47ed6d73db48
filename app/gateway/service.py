"""What the gateway's routes call: one long-lived pipeline and cache, admission control, cancellation.

A verification runs as a task that is cancelled when the client goes away (which cancels the provider
requests and kills the sandbox runs), so a disconnect leaves nothing running.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from app.core.errors import QuorumError
from app.gateway.admission import Admission

if TYPE_CHECKING:
    from app.cache.cache import CacheLookup, ResultCache
    from app.config.settings import Settings
    from app.core.models import VerifyResult
    from app.core.pipeline import Pipeline

__all__ = ["ClientGone", "GatewayService"]

_log = logging.getLogger(__name__)
T = TypeVar("T")
_DISCONNECT_POLL_S = 0.1
_HOT_SECONDS = 2.0
_HOT_ENTRIES = 1024


class ClientGone(Exception):  # the client left; nothing to answer
    pass


@dataclass
class GatewayService:
    settings: Settings
    pipeline: Pipeline
    cache: ResultCache | None
    admission: Admission
    ready: dict[str, bool] = field(default_factory=dict)
    # Serialised replies to repeated prompts, kept a moment: a burst of the same prompt costs one store
    # read and one encoding. Short-lived, so a cleared or expired entry stops being served promptly.
    _hot: dict[tuple[str, tuple[str, ...] | None, str | None], tuple[float, bytes, str]] = field(
        default_factory=dict
    )

    @classmethod
    async def open(cls, settings: Settings) -> GatewayService:
        from app.core.pipeline import Pipeline

        pipeline = await Pipeline.open(settings)
        gateway = settings.gateway
        admission = Admission(gateway.max_concurrent, gateway.max_queue)
        service = cls(settings, pipeline, pipeline.cache, admission)
        service.ready = {"sandbox": False, "model": pipeline.cache is None}
        return service

    async def warm_up(self) -> None:
        """Probe the sandbox and load the embedding model in the background; /readyz reports both."""
        from app.sandbox.subprocess_backend import SubprocessSandbox

        sandbox = self.pipeline.sandbox
        if isinstance(sandbox, SubprocessSandbox):
            await asyncio.to_thread(sandbox.warm)
        self.ready["sandbox"] = True
        embedder = self.cache.embedder if self.cache is not None else None
        if embedder is not None:
            await asyncio.to_thread(embedder.load)
        self.ready["model"] = True

    async def verify(
        self,
        prompt: str,
        *,
        providers: Sequence[str] | None,
        tests: str | None,
        no_cache: bool,
        is_disconnected: Callable[[], Awaitable[bool]],
    ) -> VerifyResult:
        async with self.admission.slot():
            return await _unless_gone(
                self.pipeline.verify(prompt, providers=providers, tests=tests, use_cache=not no_cache),
                is_disconnected,
            )

    def exact_reply(self, prompt: str, providers: Sequence[str] | None, tests: str | None) -> bytes | None:
        """The /v1/verify body for a repeated prompt, or None (then the full path decides)."""
        key = (prompt, tuple(providers) if providers else None, tests)
        now = time.monotonic()
        hot = self._hot.get(key)
        if hot is not None and hot[0] > now:
            self.pipeline.metrics.count_cache_lookup("exact")
            self.pipeline.metrics.count_verdict(hot[2])
            return hot[1]
        found = self.exact_hit(prompt, providers, tests)
        if found is None:
            self._hot.pop(key, None)
            return None
        reply = found.response(prompt.strip())
        body = json.dumps(reply, ensure_ascii=False).encode()
        if len(self._hot) >= _HOT_ENTRIES:
            self._hot.pop(next(iter(self._hot)))
        self._hot[key] = (now + _HOT_SECONDS, body, str(reply.get("verdict")))
        return body

    def exact_hit(
        self, prompt: str, providers: Sequence[str] | None, tests: str | None
    ) -> CacheLookup | None:
        """A repeated prompt answered at once, without waiting for a verification slot."""
        try:
            return self.pipeline.cached_exact(prompt, providers=providers, tests=tests)
        except QuorumError as error:  # a broken store must not break the request: the full path decides
            _log.warning("exact cache lookup skipped: %s", error)
            return None

    def providers(self) -> list[dict[str, Any]]:
        states = self.pipeline.providers.breaker_states()
        broken = self.pipeline.providers.unavailable()
        out = []
        for entry in self.pipeline.provider_settings:
            snapshot = states.get(entry.name)
            out.append({
                "name": entry.name,
                "kind": entry.kind,
                "model": entry.model,
                "breaker": snapshot.state if snapshot is not None else "unavailable",
                "error": broken.get(entry.name),
            })  # fmt: skip
        return out

    async def aclose(self) -> None:
        await self.pipeline.aclose()


async def _unless_gone(work: Awaitable[T], is_disconnected: Callable[[], Awaitable[bool]]) -> T:
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=_DISCONNECT_POLL_S)
            if done:
                return task.result()
            if await is_disconnected():
                _log.info("client disconnected: cancelling its verification")
                raise ClientGone()
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
