"""Retries, timeouts and the circuit breaker, wrapped around a provider (never inside one).

One `ResilientProvider.call` = one answer: the provider's `timeout_s` bounds the whole call (all attempts),
as does the run's `Deadline`. Rate limits, 5xx, cut streams and transport errors are retried with
exponential backoff and full jitter, honouring Retry-After; when the wait would not fit in what is left
(or exceeds `RetryPolicy.max_wait_s`), it gives up at once so a fallback can serve instead.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.providers.answer import Answer, CallObserver, status_for
from app.providers.base import ChatRequest, Completion, Provider
from app.providers.breaker import CircuitBreaker
from app.providers.clock import Clock, Deadline, SystemClock
from app.providers.errors import (
    ProviderFailure,
    ProviderTimeout,
    RateLimitError,
    ServerError,
    StreamCut,
    TransportError,
)

if TYPE_CHECKING:
    from app.metrics.instruments import Metrics

__all__ = ["ResilientProvider", "RetryPolicy", "is_retryable"]

_log = logging.getLogger(__name__)
_NO_OBSERVER = CallObserver()


def is_retryable(error: BaseException) -> bool:
    """Worth another attempt: it may go away by itself. A daily quota will not; neither will a server that
    is not running (connection refused), a rejected key, or a reply in the wrong shape."""
    if isinstance(error, RateLimitError):
        return not error.daily_quota
    return isinstance(error, ServerError | StreamCut | TransportError | ProviderTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    max_wait_s: float = 10.0  # a longer Retry-After is not slept through: give up, let a fallback serve

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: uniform in [0, min(max_delay, base * 2^(attempt-1))]."""
        ceiling = min(self.max_delay_s, self.base_delay_s * (2 ** (attempt - 1)))
        return rng.uniform(0.0, ceiling)

    def delay_for(self, attempt: int, error: BaseException, rng: random.Random) -> float:
        retry_after = getattr(error, "retry_after_s", None)
        if isinstance(retry_after, int | float) and retry_after >= 0:
            return float(retry_after)
        return self.backoff(attempt, rng)


class ResilientProvider:
    """A provider with its timeout, retry policy and circuit breaker (and optional metrics and a
    concurrency limit). Its breaker lives as long as it does: keep one per provider across runs."""

    def __init__(
        self,
        provider: Provider,
        *,
        policy: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        clock: Clock | None = None,
        metrics: Metrics | None = None,
        rng: random.Random | None = None,
        max_concurrency: int | None = None,
        streaming: bool = True,
    ) -> None:
        self.provider = provider
        self.policy = policy or RetryPolicy()
        self.clock = clock or SystemClock()
        self.breaker = breaker or CircuitBreaker(provider.name, clock=self.clock)
        self.metrics = metrics
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._limit = asyncio.Semaphore(max_concurrency) if max_concurrency else None
        self.streaming = streaming

    @property
    def name(self) -> str:
        return self.provider.name

    @property
    def model(self) -> str:
        return self.provider.model

    @property
    def timeout_s(self) -> float:
        return self.provider.settings.timeout_s

    async def aclose(self) -> None:
        await self.provider.aclose()

    async def call(
        self, request: ChatRequest, *, deadline: Deadline | None = None, observer: CallObserver | None = None
    ) -> Answer:
        observer = observer or _NO_OBSERVER
        started = self.clock.monotonic()
        budget_end = started + self.timeout_s
        deadline_bound = deadline is not None and deadline.expires_at < budget_end
        if deadline is not None:
            budget_end = min(budget_end, deadline.expires_at)
        if not self.breaker.allow():
            snap = self.breaker.snapshot()
            wait = f"; next try in {snap.retry_in_s:.0f} s" if snap.retry_in_s else ""
            return Answer(
                provider=self.name,
                model=self.model,
                status="circuit_open",
                error=f"{self.name}: circuit open ({snap.reason or 'failures'}){wait}",
            )
        try:
            if self._limit is None:
                return await self._attempts(request, started, budget_end, deadline_bound, observer)
            async with self._limit:
                return await self._attempts(request, started, budget_end, deadline_bound, observer)
        except BaseException:  # cancelled (or a bug surfaced): a half-open probe must not stay taken
            self.breaker.release()
            raise

    async def _attempts(
        self,
        request: ChatRequest,
        started: float,
        budget_end: float,
        deadline_bound: bool,
        observer: CallObserver,
    ) -> Answer:
        retries = 0
        attempt = 0
        while True:
            attempt += 1
            attempt_start = self.clock.monotonic()
            remaining = budget_end - attempt_start
            try:
                if remaining <= 0:
                    raise TimeoutError
                observer.on_attempt(self.name, attempt)
                completion = await self._one(request, remaining, observer)
            except TimeoutError:
                error: ProviderFailure = self._timeout_error(deadline_bound)
                self._observe(attempt_start)
                break  # the budget is spent: nothing left to retry with
            except ProviderFailure as failure:
                error = failure
                self._observe(attempt_start)
            else:
                self._observe(attempt_start)
                self.breaker.record_success()
                return self._success(completion, started, attempt_start, retries)
            if not is_retryable(error) or attempt >= self.policy.max_attempts:
                break
            delay = self.policy.delay_for(attempt, error, self._rng)
            left = budget_end - self.clock.monotonic()
            if delay > self.policy.max_wait_s or delay >= left:
                _log.info("%s: not waiting %.1f s to retry (%.1f s left): giving up", self.name, delay, left)
                break
            _log.info(
                "%s: attempt %d failed (%s); retrying in %.2f s", self.name, attempt, error.detail, delay
            )
            observer.on_retry(self.name, attempt, delay, str(error))
            if self.metrics is not None:
                self.metrics.count_retry(self.name)
            await self.clock.sleep(delay)
            retries += 1
        self.breaker.record_failure(error)
        _log.warning("%s", error)
        return Answer(
            provider=self.name,
            model=self.model,
            status=status_for(error),
            latency_ms=(self.clock.monotonic() - started) * 1000.0,
            error=str(error),
            retries=retries,
        )

    async def _one(self, request: ChatRequest, remaining: float, observer: CallObserver) -> Completion:
        def forward(text: str) -> None:
            observer.on_chunk(self.name, text)

        async with asyncio.timeout(remaining):
            return await self.provider.complete(request, on_chunk=forward, streaming=self.streaming)

    def _timeout_error(self, deadline_bound: bool) -> ProviderTimeout:
        if deadline_bound:
            return ProviderTimeout(self.name, "the run's deadline passed before the answer was complete")
        return ProviderTimeout(self.name, f"no complete answer within {self.timeout_s:g} s")

    def _success(self, completion: Completion, started: float, attempt_start: float, retries: int) -> Answer:
        offset_ms = (attempt_start - started) * 1000.0
        ttft = completion.time_to_first_token_ms
        if ttft is not None and self.metrics is not None:
            self.metrics.observe_ttft(self.name, ttft / 1000.0)
        return Answer(
            provider=self.name,
            model=completion.model,
            status="ok",
            latency_ms=offset_ms + completion.latency_ms,
            time_to_first_token_ms=None if ttft is None else offset_ms + ttft,
            text=completion.text,
            retries=retries,
            finish_reason=completion.finish_reason,
            usage=completion.usage,
            tokens_per_s=completion.tokens_per_s,
        )

    def _observe(self, attempt_start: float) -> None:
        if self.metrics is not None:
            self.metrics.observe_request(self.name, self.clock.monotonic() - attempt_start)
