"""A circuit breaker per provider: closed → open after N consecutive failures → half-open (one probe) after
a cool-down → closed on success.

A rejected key opens it at once ("auth"); an exhausted daily quota or credits keeps it open much longer
("daily_quota"); a long Retry-After the caller would not wait for keeps it open that long ("rate_limit").
Requests that were themselves refused (blocked content, bad request) say nothing about the provider's
health and do not count. The state is observable (`state`, `snapshot()`, `on_change`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from app.providers.clock import Clock, SystemClock
from app.providers.errors import AuthError, BadRequest, ContentBlocked, RateLimitError

__all__ = ["BREAKER_LEVEL", "BreakerSnapshot", "BreakerState", "CircuitBreaker", "counts_against_breaker"]

BreakerState = Literal["closed", "half_open", "open"]
BREAKER_LEVEL: dict[BreakerState, int] = {"closed": 0, "half_open": 1, "open": 2}
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BreakerSnapshot:
    state: BreakerState
    reason: str | None  # "failures" | "auth" | "daily_quota" | "rate_limit" while not closed
    consecutive_failures: int
    retry_in_s: float | None  # until the next probe is allowed, while open


def counts_against_breaker(error: BaseException) -> bool:
    return not isinstance(error, ContentBlocked | BadRequest)


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int = 3,
        cooldown_s: float = 30.0,
        auth_cooldown_s: float = 3600.0,
        quota_cooldown_s: float = 3600.0,
        rate_limit_open_s: float = 5.0,
        clock: Clock | None = None,
        on_change: Callable[[str, BreakerState], None] | None = None,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.name = name
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self.auth_cooldown_s = auth_cooldown_s
        self.quota_cooldown_s = quota_cooldown_s
        self.rate_limit_open_s = rate_limit_open_s  # a Retry-After at least this long opens the breaker
        self._clock = clock or SystemClock()
        self._on_change = on_change
        self._state: BreakerState = "closed"
        self._reason: str | None = None
        self._failures = 0
        self._open_until = 0.0
        self._probing = False

    @property
    def state(self) -> BreakerState:
        if self._state == "open" and self._clock.monotonic() >= self._open_until:
            self._set("half_open", self._reason)
        return self._state

    @property
    def reason(self) -> str | None:
        return self._reason

    def snapshot(self) -> BreakerSnapshot:
        state = self.state
        retry_in = max(0.0, self._open_until - self._clock.monotonic()) if state == "open" else None
        return BreakerSnapshot(state, self._reason, self._failures, retry_in)

    def allow(self) -> bool:
        """May a call go ahead now? In half-open state only one probe at a time is let through."""
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self._probing:
            self._probing = True
            return True
        return False

    def record_success(self) -> None:
        self._failures = 0
        self._probing = False
        if self._state != "closed":
            self._set("closed", None)

    def record_failure(self, error: BaseException) -> None:
        if not counts_against_breaker(error):
            self.release()
            return
        probing, self._probing = self._probing, False
        self._failures += 1
        if isinstance(error, AuthError):
            self._open("auth", self.auth_cooldown_s)
        elif isinstance(error, RateLimitError) and error.daily_quota:
            self._open("daily_quota", max(self.quota_cooldown_s, error.retry_after_s or 0.0))
        elif probing or self._failures >= self.failure_threshold:
            self._open(self._reason if probing and self._reason else "failures", self.cooldown_s)
        elif (
            isinstance(error, RateLimitError)
            and error.retry_after_s is not None
            and error.retry_after_s >= self.rate_limit_open_s
        ):
            self._open("rate_limit", error.retry_after_s)

    def release(self) -> None:
        """A probe ended without telling anything (cancelled, or the request itself was refused)."""
        self._probing = False

    def reset(self) -> None:
        """Close at once (e.g. the user has just fixed the key)."""
        self._failures = 0
        self._probing = False
        self._open_until = 0.0
        if self._state != "closed":
            self._set("closed", None)

    def _open(self, reason: str, seconds: float) -> None:
        self._open_until = self._clock.monotonic() + max(0.0, seconds)
        self._set("open", reason)

    def _set(self, state: BreakerState, reason: str | None) -> None:
        changed = state != self._state
        self._state, self._reason = state, reason
        if changed:
            _log.info(
                "%s: circuit %s%s", self.name, state.replace("_", "-"), f" ({reason})" if reason else ""
            )
            if self._on_change is not None:
                self._on_change(self.name, state)
