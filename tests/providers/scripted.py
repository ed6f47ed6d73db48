"""An in-process provider that follows a script (chunks, errors, hangs): for the resilience state machine.

Wire behaviour is tested against real servers elsewhere; this isolates retry/breaker/fallback logic.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import ClassVar

from app.config.settings import ProviderSettings
from app.providers.base import ChatRequest, Provider, StreamState

HANG = "hang"
Step = list[str] | BaseException | str


class Scripted(Provider):
    kind: ClassVar[str] = "openai"
    needs_key: ClassVar[bool] = False
    default_base_url: ClassVar[str | None] = "http://scripted.invalid"

    def __init__(self, name: str, *steps: Step, timeout_s: float = 5.0) -> None:
        settings = ProviderSettings(name=name, kind="openai", model=f"{name}-model", timeout_s=timeout_s)
        super().__init__(settings, None)  # type: ignore[arg-type]  # never used: no HTTP here
        self.steps = list(steps)
        self.calls = 0

    async def _run(
        self, request: ChatRequest, state: StreamState, *, streaming: bool
    ) -> AsyncGenerator[str, None]:
        self.calls += 1
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if step == HANG:
            await asyncio.Event().wait()
        if isinstance(step, BaseException):
            raise step
        for piece in step:
            await asyncio.sleep(0)
            if isinstance(piece, BaseException):
                raise piece
            yield piece
        state.finish_reason = "stop"
