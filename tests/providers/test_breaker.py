"""The circuit breaker state machine, on a manual clock."""

from __future__ import annotations

import pytest

from app.providers.breaker import CircuitBreaker
from app.providers.clock import Deadline, ManualClock
from app.providers.errors import AuthError, BadRequest, ContentBlocked, RateLimitError, ServerError


def make(clock: ManualClock, changes: list[str] | None = None, **options: float) -> CircuitBreaker:
    def changed(name: str, state: str) -> None:
        if changes is not None:
            changes.append(state)

    return CircuitBreaker("p", clock=clock, on_change=changed, **options)  # type: ignore[arg-type]


def test_opens_after_consecutive_failures_then_half_open_probe_then_closes() -> None:
    clock = ManualClock()
    changes: list[str] = []
    breaker = make(clock, changes, cooldown_s=30.0)
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure(ServerError("p", "boom", status_code=500))
    assert breaker.state == "closed"
    breaker.record_failure(ServerError("p", "boom", status_code=500))
    assert breaker.state == "open"
    snap = breaker.snapshot()
    assert (snap.reason, snap.consecutive_failures, snap.retry_in_s) == ("failures", 3, 30.0)
    assert not breaker.allow()

    clock.advance(30.0)
    assert breaker.state == "half_open"
    assert breaker.allow()  # the single probe
    assert not breaker.allow()  # everyone else waits for its outcome
    breaker.record_success()
    assert breaker.state == "closed" and breaker.snapshot().consecutive_failures == 0
    assert changes == ["open", "half_open", "closed"]


def test_a_success_resets_the_count() -> None:
    breaker = make(ManualClock())
    for _ in range(2):
        breaker.record_failure(ServerError("p", "x"))
    breaker.record_success()
    for _ in range(2):
        breaker.record_failure(ServerError("p", "x"))
    assert breaker.state == "closed"


def test_failed_probe_reopens() -> None:
    clock = ManualClock()
    breaker = make(clock, failure_threshold=1, cooldown_s=10.0)
    breaker.record_failure(ServerError("p", "x"))
    clock.advance(10.0)
    assert breaker.allow()
    breaker.record_failure(ServerError("p", "x"))
    assert breaker.state == "open"
    assert breaker.snapshot().retry_in_s == 10.0


def test_auth_opens_at_once_for_long() -> None:
    clock = ManualClock()
    breaker = make(clock, auth_cooldown_s=3600.0)
    breaker.record_failure(AuthError("p", "bad key", status_code=401))
    assert breaker.state == "open" and breaker.reason == "auth"
    clock.advance(60.0)
    assert breaker.state == "open"
    breaker.reset()
    assert breaker.state == "closed" and breaker.allow()


def test_daily_quota_keeps_it_open_past_the_retry_after() -> None:
    clock = ManualClock()
    breaker = make(clock, quota_cooldown_s=3600.0)
    breaker.record_failure(RateLimitError("p", "day", retry_after_s=7200.0, daily_quota=True))
    snap = breaker.snapshot()
    assert (snap.state, snap.reason, snap.retry_in_s) == ("open", "daily_quota", 7200.0)
    breaker.reset()
    breaker.record_failure(RateLimitError("p", "day", daily_quota=True))
    assert breaker.snapshot().retry_in_s == 3600.0


def test_long_retry_after_opens_for_that_long() -> None:
    clock = ManualClock()
    breaker = make(clock)
    breaker.record_failure(RateLimitError("p", "slow", retry_after_s=1.0))
    assert breaker.state == "closed"
    breaker.record_failure(RateLimitError("p", "slow", retry_after_s=40.0))
    assert breaker.state == "open" and breaker.reason == "rate_limit"
    clock.advance(40.0)
    assert breaker.state == "half_open"


@pytest.mark.parametrize("error", [ContentBlocked("p", "blocked"), BadRequest("p", "bad", status_code=400)])
def test_refused_requests_do_not_count(error: Exception) -> None:
    clock = ManualClock()
    breaker = make(clock, failure_threshold=1)
    breaker.record_failure(error)
    assert breaker.state == "closed"


def test_release_frees_an_abandoned_probe() -> None:
    clock = ManualClock()
    breaker = make(clock, failure_threshold=1, cooldown_s=1.0)
    breaker.record_failure(ServerError("p", "x"))
    clock.advance(1.0)
    assert breaker.allow()
    breaker.release()
    assert breaker.allow()


def test_deadline_on_a_manual_clock() -> None:
    clock = ManualClock()
    deadline = Deadline.after(5.0, clock)
    assert deadline.remaining() == 5.0 and not deadline.expired
    clock.advance(6.0)
    assert deadline.remaining() == 0.0 and deadline.expired
    assert Deadline.never(clock).remaining() == float("inf")
