"""Retries, backoff, Retry-After, timeouts, deadline and breaker around one provider.

The state machine runs on a manual clock (sleeps return at once and are recorded); timeouts use real time
with small budgets. A few cases run against a real HTTP server to tie the wire errors to the policy.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry

from app.config.settings import ProviderSettings
from app.core.errors import ProviderError
from app.metrics.instruments import Metrics
from app.providers.answer import CallObserver
from app.providers.base import ChatRequest
from app.providers.breaker import CircuitBreaker
from app.providers.clock import Deadline, ManualClock, SystemClock
from app.providers.errors import (
    AuthError,
    MalformedReply,
    ProviderUnreachable,
    RateLimitError,
    ServerError,
    StreamCut,
)
from app.providers.openai_compat import GroqProvider
from app.providers.resilience import ResilientProvider, RetryPolicy, is_retryable
from tests.providers.fakeserver import FakeServer, Recorded, Reply, sse_event
from tests.providers.scripted import HANG, Scripted

REQUEST = ChatRequest("Write f.")


class Recorder(CallObserver):
    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def on_attempt(self, provider: str, attempt: int) -> None:
        self.events.append(("attempt", provider, attempt))

    def on_chunk(self, provider: str, text: str) -> None:
        self.events.append(("chunk", provider, text))

    def on_retry(self, provider: str, attempt: int, delay_s: float, error: str) -> None:
        self.events.append(("retry", provider, attempt, round(delay_s, 3)))


def wrap(provider: Scripted, clock: ManualClock | None = None, **options: Any) -> ResilientProvider:
    return ResilientProvider(provider, clock=clock or ManualClock(), rng=random.Random(7), **options)


async def test_transient_errors_are_retried_with_full_jitter_backoff() -> None:
    clock = ManualClock()
    provider = Scripted(
        "p", ServerError("p", "boom", status_code=502), ["par", StreamCut("p", "cut")], ["ok"]
    )
    observer = Recorder()
    answer = await wrap(provider, clock).call(REQUEST, observer=observer)

    assert (answer.status, answer.text, answer.retries, answer.error) == ("ok", "ok", 2, None)
    assert provider.calls == 3
    assert len(clock.sleeps) == 2
    assert 0 <= clock.sleeps[0] <= 0.5 and 0 <= clock.sleeps[1] <= 1.0  # base 0.5 s, doubling, full jitter
    kinds = [event[0] for event in observer.events]
    assert kinds == ["attempt", "retry", "attempt", "chunk", "retry", "attempt", "chunk"]


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(base_delay_s=1.0, max_delay_s=4.0)
    rng = random.Random(1)
    for attempt in range(1, 10):
        assert 0.0 <= policy.backoff(attempt, rng) <= min(4.0, 2 ** (attempt - 1))


async def test_retry_after_is_honoured() -> None:
    clock = ManualClock()
    provider = Scripted("p", RateLimitError("p", "slow", retry_after_s=2.0), ["ok"])
    answer = await wrap(provider, clock).call(REQUEST)
    assert answer.status == "ok" and clock.sleeps == [2.0]


async def test_a_long_retry_after_is_not_slept_through() -> None:
    clock = ManualClock()
    provider = Scripted("p", RateLimitError("p", "slow", retry_after_s=30.0), ["never"])
    wrapped = wrap(provider, clock, policy=RetryPolicy(max_wait_s=10.0))
    answer = await wrapped.call(REQUEST)
    assert (answer.status, answer.retries, provider.calls, clock.sleeps) == ("rate_limited", 0, 1, [])
    assert wrapped.breaker.state == "open" and wrapped.breaker.reason == "rate_limit"


async def test_a_wait_past_the_deadline_gives_up_at_once() -> None:
    clock = ManualClock()
    provider = Scripted("p", RateLimitError("p", "slow", retry_after_s=4.0), ["never"])
    answer = await wrap(provider, clock).call(REQUEST, deadline=Deadline.after(3.0, clock))
    assert answer.status == "rate_limited" and clock.sleeps == [] and provider.calls == 1


async def test_attempts_are_limited() -> None:
    clock = ManualClock()
    provider = Scripted("p", ServerError("p", "down", status_code=503))
    answer = await wrap(provider, clock, policy=RetryPolicy(max_attempts=3)).call(REQUEST)
    assert (answer.status, answer.retries, provider.calls) == ("error", 2, 3)
    assert answer.error == "p: down"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (AuthError("p", "bad key", status_code=401), "auth"),
        (MalformedReply("p", "not JSON"), "error"),
        (ProviderUnreachable("p", "cannot connect"), "error"),
        (RateLimitError("p", "day", daily_quota=True), "rate_limited"),
    ],
)
async def test_errors_that_are_not_retried(error: Exception, status: str) -> None:
    assert not is_retryable(error)
    clock = ManualClock()
    provider = Scripted("p", error, ["never"])
    answer = await wrap(provider, clock).call(REQUEST)
    assert (answer.status, provider.calls, clock.sleeps) == (status, 1, [])


async def test_auth_opens_the_breaker_and_later_calls_short_circuit() -> None:
    provider = Scripted("p", AuthError("p", "bad key", status_code=401), ["ok"])
    wrapped = wrap(provider)
    assert (await wrapped.call(REQUEST)).status == "auth"
    second = await wrapped.call(REQUEST)
    assert second.status == "circuit_open"
    assert second.error is not None and "circuit open (auth)" in second.error
    assert provider.calls == 1


async def test_breaker_half_open_probe_closes_on_success() -> None:
    clock = ManualClock()
    provider = Scripted(
        "p", MalformedReply("p", "x"), MalformedReply("p", "x"), MalformedReply("p", "x"), ["ok"]
    )
    wrapped = wrap(provider, clock, breaker=CircuitBreaker("p", clock=clock, cooldown_s=30.0))
    statuses = [(await wrapped.call(REQUEST)).status for _ in range(4)]
    assert statuses == ["error", "error", "error", "circuit_open"]
    clock.advance(30.0)
    assert wrapped.breaker.state == "half_open"
    assert (await wrapped.call(REQUEST)).status == "ok"
    assert wrapped.breaker.state == "closed"


async def test_cancelled_probe_is_released() -> None:
    clock = ManualClock()
    provider = Scripted("p", HANG, ["ok"])
    breaker = CircuitBreaker("p", clock=clock, failure_threshold=1, cooldown_s=1.0)
    breaker.record_failure(MalformedReply("p", "x"))
    clock.advance(1.0)
    wrapped = wrap(provider, clock, breaker=breaker)
    task = asyncio.create_task(wrapped.call(REQUEST))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert breaker.allow()


async def test_provider_timeout_bounds_the_whole_call() -> None:
    provider = Scripted("p", HANG, timeout_s=0.2)
    answer = await ResilientProvider(provider).call(REQUEST)
    assert answer.status == "timeout"
    assert answer.error == "p: no complete answer within 0.2 s"
    assert provider.calls == 1


async def test_run_deadline_shorter_than_the_provider_timeout() -> None:
    provider = Scripted("p", HANG, timeout_s=30.0)
    answer = await ResilientProvider(provider).call(REQUEST, deadline=Deadline.after(0.15))
    assert answer.status == "timeout"
    assert answer.error is not None and "deadline" in answer.error


async def test_deadline_already_spent() -> None:
    clock = ManualClock()
    provider = Scripted("p", ["never"])
    deadline = Deadline.after(1.0, clock)
    clock.advance(2.0)
    answer = await wrap(provider, clock).call(REQUEST, deadline=deadline)
    assert answer.status == "timeout" and provider.calls == 0


async def test_concurrency_limit() -> None:
    provider = Scripted("p", ["a", "b"])
    wrapped = ResilientProvider(provider, max_concurrency=1)
    answers = await asyncio.gather(*(wrapped.call(REQUEST) for _ in range(3)))
    assert [answer.text for answer in answers] == ["ab"] * 3


async def test_metrics_are_recorded_when_given() -> None:
    registry = CollectorRegistry()
    clock = ManualClock()
    provider = Scripted("p", ServerError("p", "x", status_code=500), ["ok"])
    await wrap(provider, clock, metrics=Metrics(registry)).call(REQUEST)
    assert registry.get_sample_value("quorum_provider_retries_total", {"provider": "p"}) == 1.0
    assert registry.get_sample_value("quorum_provider_request_seconds_count", {"provider": "p"}) == 2.0
    assert (
        registry.get_sample_value("quorum_provider_time_to_first_token_seconds_count", {"provider": "p"})
        == 1.0
    )


# --- against a real server -----------------------------------------------------------------------

KEY = "gsk_resilience0123456789"


def groq(server: FakeServer, client: httpx.AsyncClient, timeout_s: float = 5.0) -> GroqProvider:
    settings = ProviderSettings(
        name="groq", kind="groq", model="llama", base_url=f"{server.url}/openai/v1", timeout_s=timeout_s
    )
    return GroqProvider(settings, client, KEY)


def ok_stream(text: str) -> Any:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.start()
        await reply.write(
            sse_event({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": "stop"}]})
        )
        await reply.write("data: [DONE]\n\n")
        await reply.end()

    return handler


def status(code: int, body: Any, headers: dict[str, str] | None = None) -> Any:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.send(code, body, headers)

    return handler


async def test_real_429_then_success(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.sequence(
        "POST",
        "/openai/v1/chat/completions",
        status(429, {"error": {"message": "slow down", "code": "rate_limit_exceeded"}}, {"retry-after": "0"}),
        ok_stream("fine"),
    )
    answer = await ResilientProvider(groq(server, client)).call(REQUEST)
    assert (answer.status, answer.text, answer.retries, len(server.requests)) == ("ok", "fine", 1, 2)


async def test_real_401_is_not_retried_and_opens_the_breaker(
    server: FakeServer, client: httpx.AsyncClient
) -> None:
    server.route(
        "POST", "/openai/v1/chat/completions", status(401, {"error": {"message": "Invalid API Key"}})
    )
    wrapped = ResilientProvider(groq(server, client))
    first = await wrapped.call(REQUEST)
    second = await wrapped.call(REQUEST)
    assert (first.status, second.status, len(server.requests)) == ("auth", "circuit_open", 1)
    assert first.error is not None and KEY not in first.error


async def test_real_hanging_server_times_out(server: FakeServer, client: httpx.AsyncClient) -> None:
    async def hang(request: Recorded, reply: Reply) -> None:
        await reply.start()
        await reply.write(": still thinking\n\n")
        await reply.hang()

    server.route("POST", "/openai/v1/chat/completions", hang)
    answer = await ResilientProvider(groq(server, client, timeout_s=0.3), clock=SystemClock()).call(REQUEST)
    assert answer.status == "timeout" and answer.retries == 0


async def test_cancelled_while_queued_releases_the_probe() -> None:
    clock = ManualClock()
    breaker = CircuitBreaker("p", clock=clock, failure_threshold=1, cooldown_s=1.0)
    wrapped = wrap(Scripted("p", HANG), clock, breaker=breaker, max_concurrency=1)
    assert wrapped._limit is not None
    await wrapped._limit.acquire()  # someone else holds the only slot
    breaker.record_failure(MalformedReply("p", "x"))
    clock.advance(1.0)
    task = asyncio.create_task(wrapped.call(REQUEST))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert breaker.allow()


async def test_connection_closed_before_any_reply_is_retried(
    server: FakeServer, client: httpx.AsyncClient
) -> None:
    async def slam(request: Recorded, reply: Reply) -> None:
        await reply.cut()

    server.sequence("POST", "/openai/v1/chat/completions", slam, ok_stream("second time lucky"))
    clock = ManualClock()
    answer = await ResilientProvider(groq(server, client), clock=clock).call(REQUEST)
    assert (answer.status, answer.text, answer.retries) == ("ok", "second time lucky", 1)


async def test_a_closed_provider_refuses_work() -> None:
    provider = Scripted("p", ["ok"])
    await provider.aclose()
    with pytest.raises(ProviderError, match="closed"):
        await provider.complete(REQUEST)
