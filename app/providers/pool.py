"""The configured providers, each wrapped for resilience, with their fallbacks: what the orchestrator asks.

`ask(name)` returns one Answer per provider asked. When that provider is rate-limited or its breaker is
open and it has a `fallback`, the fallback answers in its place (one hop, its own retries within what is
left of the deadline; the primary's retry cycle is not restarted). Providers that could not be built
(missing key, bad entry) still answer: with status "auth" or "error" and the how-to-fix message.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import httpx

from app.config.settings import ProviderSettings
from app.core.errors import MissingKeyError, QuorumError
from app.providers.answer import Answer, AnswerStatus, CallObserver
from app.providers.base import ChatRequest
from app.providers.breaker import BreakerSnapshot, BreakerState, CircuitBreaker
from app.providers.clock import Clock, Deadline, SystemClock
from app.providers.errors import one_line
from app.providers.registry import create_provider
from app.providers.resilience import ResilientProvider, RetryPolicy

if TYPE_CHECKING:
    from app.metrics.instruments import Metrics

__all__ = ["FALLBACK_ON", "ProviderPool"]

FALLBACK_ON: frozenset[AnswerStatus] = frozenset({"rate_limited", "circuit_open"})
_log = logging.getLogger(__name__)
_NO_OBSERVER = CallObserver()


class _AsSlot(CallObserver):
    """Reports a fallback's progress under the name of the provider it stands in for."""

    def __init__(self, inner: CallObserver, slot: str) -> None:
        self._inner = inner
        self._slot = slot

    def on_attempt(self, provider: str, attempt: int) -> None:
        self._inner.on_attempt(self._slot, attempt)

    def on_chunk(self, provider: str, text: str) -> None:
        self._inner.on_chunk(self._slot, text)

    def on_retry(self, provider: str, attempt: int, delay_s: float, error: str) -> None:
        self._inner.on_retry(self._slot, attempt, delay_s, error)


class ProviderPool:
    def __init__(
        self,
        members: Sequence[ResilientProvider],
        *,
        fallbacks: Mapping[str, str] | None = None,
        unavailable: Mapping[str, Answer] | None = None,
        metrics: Metrics | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._members = {member.name: member for member in members}
        self._fallbacks = dict(fallbacks or {})
        self._unavailable = dict(unavailable or {})
        self.metrics = metrics
        self.clock = clock or SystemClock()

    @classmethod
    def from_settings(
        cls,
        settings: Sequence[ProviderSettings],
        client: httpx.AsyncClient,
        *,
        keys: Mapping[str, str] | None = None,
        environ: Mapping[str, str] | None = None,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,
        metrics: Metrics | None = None,
        on_breaker_change: Callable[[str, BreakerState], None] | None = None,
        max_concurrency: int | None = None,
    ) -> ProviderPool:
        """Build every configured provider. `keys` maps provider names to explicit keys (else keychain,
        then environment). A provider that cannot be built is kept as an `unavailable` answer."""
        clock = clock or SystemClock()
        keys = keys or {}

        def changed(name: str, state: BreakerState) -> None:
            if metrics is not None:
                metrics.set_breaker_state(name, state)
            if on_breaker_change is not None:
                on_breaker_change(name, state)

        members: list[ResilientProvider] = []
        unavailable: dict[str, Answer] = {}
        for entry in settings:
            try:
                provider = create_provider(entry, client, keys.get(entry.name), environ=environ)
            except QuorumError as error:
                status: AnswerStatus = "auth" if isinstance(error, MissingKeyError) else "error"
                message = one_line(str(error))
                if not message.startswith(entry.name):
                    message = f"{entry.name}: {message}"
                unavailable[entry.name] = Answer(
                    provider=entry.name, model=entry.model, status=status, error=message
                )
                continue
            breaker = CircuitBreaker(entry.name, clock=clock, on_change=changed)
            members.append(
                ResilientProvider(
                    provider,
                    policy=policy,
                    breaker=breaker,
                    clock=clock,
                    metrics=metrics,
                    max_concurrency=max_concurrency,
                )
            )
            if metrics is not None:
                metrics.set_breaker_state(entry.name, "closed")
        fallbacks = {entry.name: entry.fallback for entry in settings if entry.fallback}
        return cls(members, fallbacks=fallbacks, unavailable=unavailable, metrics=metrics, clock=clock)

    @property
    def names(self) -> list[str]:
        return [*self._members, *(name for name in self._unavailable if name not in self._members)]

    def timeout_of(self, name: str) -> float:
        """The configured per-call timeout (0 for a provider that could not be built)."""
        member = self._members.get(name)
        return member.timeout_s if member is not None else 0.0

    def member(self, name: str) -> ResilientProvider:
        return self._members[name]

    def breaker_states(self) -> dict[str, BreakerSnapshot]:
        return {name: member.breaker.snapshot() for name, member in self._members.items()}

    def unavailable(self) -> dict[str, str]:
        """Providers that could not be built (missing key, bad entry), with how to fix it."""
        return {name: answer.error or answer.status for name, answer in self._unavailable.items()}

    async def ask(
        self,
        name: str,
        request: ChatRequest,
        *,
        deadline: Deadline | None = None,
        observer: CallObserver | None = None,
    ) -> Answer:
        observer = observer or _NO_OBSERVER
        if name in self._unavailable:
            answer = self._unavailable[name]
        elif name not in self._members:
            raise KeyError(f"no provider named {name!r} (configured: {', '.join(self.names)})")
        else:
            started = self.clock.monotonic()
            answer = await self._members[name].call(request, deadline=deadline, observer=observer)
            fallback = self._fallbacks.get(name)
            if answer.status in FALLBACK_ON and fallback is not None:
                answer = await self._fall_back(
                    answer=answer,
                    fallback=fallback,
                    request=request,
                    deadline=deadline,
                    observer=observer,
                    started=started,
                )
        if self.metrics is not None:
            self.metrics.count_answer(name, answer.status)
        return answer

    async def ask_all(
        self,
        request: ChatRequest,
        names: Sequence[str] | None = None,
        *,
        deadline: Deadline | None = None,
        observer: CallObserver | None = None,
    ) -> list[Answer]:
        """Every provider at once (scatter-gather); answers in the order of `names`."""
        chosen = list(names) if names is not None else self.names
        async with asyncio.TaskGroup() as group:
            tasks = [
                group.create_task(self.ask(name, request, deadline=deadline, observer=observer))
                for name in chosen
            ]
        return [task.result() for task in tasks]

    async def _fall_back(
        self,
        *,
        answer: Answer,
        fallback: str,
        request: ChatRequest,
        deadline: Deadline | None,
        observer: CallObserver,
        started: float,
    ) -> Answer:
        name = answer.provider
        member = self._members.get(fallback)
        if member is None or fallback == name:
            why = self._unavailable[fallback].error if fallback in self._unavailable else "not available"
            return dataclasses.replace(answer, error=f"{answer.error}; fallback {fallback}: {why}")
        if deadline is not None and deadline.expired:
            return dataclasses.replace(answer, error=f"{answer.error}; no time left for fallback {fallback}")
        _log.info("%s: %s, asking fallback %s", name, answer.status, fallback)
        observer.on_fallback(name, fallback, answer.status)
        if self.metrics is not None:
            self.metrics.count_fallback(name, fallback)
        served = await member.call(request, deadline=deadline, observer=_AsSlot(observer, name))
        offset_ms = (self.clock.monotonic() - started) * 1000.0 - served.latency_ms
        if served.status != "ok":
            return dataclasses.replace(
                answer,
                latency_ms=offset_ms + served.latency_ms,
                retries=answer.retries + served.retries,
                error=f"{answer.error}; fallback {fallback} failed too: {served.error}",
            )
        return dataclasses.replace(
            answer,
            model=served.model,
            served_by=fallback,
            latency_ms=offset_ms + served.latency_ms,
            time_to_first_token_ms=(
                None if served.time_to_first_token_ms is None else offset_ms + served.time_to_first_token_ms
            ),
            text=served.text,
            retries=answer.retries + served.retries,
            finish_reason=served.finish_reason,
            usage=served.usage,
            tokens_per_s=served.tokens_per_s,
        )

    async def aclose(self) -> None:
        for member in self._members.values():
            await member.aclose()
