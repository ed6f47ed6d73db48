"""Backpressure: a bounded number of verifications at once and a bounded queue; past that, refuse.

Memory stays bounded under overload: a request either runs, waits in the queue (at most `max_queue`),
or is turned away at once with 429 and a Retry-After estimate.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

__all__ = ["Admission", "Overloaded"]


class Overloaded(Exception):  # a state answered with 429, not a bug
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"busy: {retry_after_s} s")
        self.retry_after_s = retry_after_s


class Admission:
    def __init__(self, max_active: int, max_queue: int, typical_run_s: float = 5.0) -> None:
        self._slots = asyncio.Semaphore(max_active)
        self._max_waiting = max_queue
        self._waiting = 0
        self._max_active = max_active
        self._typical_run_s = typical_run_s
        self.active = 0

    @property
    def waiting(self) -> int:
        return self._waiting

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._slots.locked() and self._waiting >= self._max_waiting:
            queued_rounds = 1 + self._waiting // max(1, self._max_active)
            raise Overloaded(max(1, round(queued_rounds * self._typical_run_s)))
        self._waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
        self.active += 1
        try:
            yield
        finally:
            self.active -= 1
            self._slots.release()
