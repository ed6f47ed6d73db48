"""Time for the resilience layer, injectable: the system clock, a manual clock for tests and benchmarks,
and the whole-run deadline that every provider call of one prompt shares."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["Clock", "Deadline", "ManualClock", "SystemClock"]


class Clock(Protocol):
    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class ManualClock:
    """Time moves only when told to, or by exactly what `sleep` asks (which returns at once)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass(frozen=True)
class Deadline:
    """The moment the whole run must be over; passed to every provider call of that run."""

    expires_at: float
    clock: Clock = field(default_factory=SystemClock, compare=False)

    @classmethod
    def after(cls, seconds: float, clock: Clock | None = None) -> Deadline:
        clock = clock or SystemClock()
        return cls(clock.monotonic() + seconds, clock)

    @classmethod
    def never(cls, clock: Clock | None = None) -> Deadline:
        return cls(math.inf, clock or SystemClock())

    def remaining(self) -> float:
        return max(0.0, self.expires_at - self.clock.monotonic())

    @property
    def expired(self) -> bool:
        return self.clock.monotonic() >= self.expires_at
