"""One run as the window sees it: pipeline events in, Qt signals out.

Streamed text is coalesced: chunks are buffered per pane and flushed at most every `flush_ms`, so a
provider sending hundreds of tiny deltas costs a few text appends per second instead of hundreds of
relayouts. Everything else is forwarded as soon as it happens, already shaped for display (views.py).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.bridge.views import (
    CANCELLED,
    STREAMING,
    WAITING,
    Chip,
    PaneInit,
    VerdictView,
    answer_view,
    sandbox_view,
    verdict_view,
)
from app.core.events import (
    AnswerReceived,
    CodeExecuted,
    Event,
    ProviderAttempt,
    ProviderFallback,
    ProviderRetry,
    RunStarted,
    TextChunk,
    VerdictReached,
)

if TYPE_CHECKING:
    from app.core.models import VerifyResult

__all__ = ["RunModel"]


class RunModel(QObject):
    started = Signal(object)  # list[PaneInit]
    textAppended = Signal(int, str)  # pane index, text
    textReset = Signal(int)  # the pane's streamed text is void (a retry or a fallback starts over)
    chipChanged = Signal(int, object)  # pane index, Chip
    answerReady = Signal(int, object)  # pane index, AnswerView
    sandboxStarted = Signal(int)
    sandboxReady = Signal(int, object)  # pane index, SandboxView
    progress = Signal(str)  # "2 of 3 answered · running code"
    verdictReady = Signal(object)  # VerdictView
    finished = Signal(str)  # "done" | "cancelled" | "failed"
    failed = Signal(str)  # a one-line reason the run could not happen

    def __init__(self, models: dict[str, str] | None = None, *, flush_ms: int = 40) -> None:
        super().__init__()
        self.models = dict(models or {})  # provider name -> model, for pane titles before answers arrive
        self.result: VerifyResult | None = None
        self.verdict: VerdictView | None = None
        self.panes: list[PaneInit] = []
        self.prompt = ""
        self.state = "idle"  # idle | running | done | cancelled | failed
        self.latencies: list[tuple[str, float]] = []  # (provider, seconds) as answers arrive
        self._index: dict[str, int] = {}
        self._pending: dict[int, list[str]] = {}
        self._answered: set[int] = set()
        self._executed: set[int] = set()
        self._running_code: set[int] = set()
        self._codes: dict[int, str] = {}
        self._started_at = 0.0
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(flush_ms)
        self._flush.timeout.connect(self.flush)

    # -- the pipeline's EventSink ------------------------------------------------------------------
    def handle(self, event: Event) -> None:
        if isinstance(event, TextChunk):
            index = self._index.get(event.provider)
            if index is not None and index not in self._answered:
                self._pending.setdefault(index, []).append(event.text)
                if not self._flush.isActive():
                    self._flush.start()
        elif isinstance(event, RunStarted):
            self._on_started(event)
        elif isinstance(event, ProviderAttempt):
            self._on_attempt(event)
        elif isinstance(event, ProviderRetry):
            self._restart(event.provider, Chip("warn", f"retry {event.attempt + 1}", event.error))
        elif isinstance(event, ProviderFallback):
            text = f"{_why(event.reason)} \u2192 {event.fallback}"
            chip = Chip("warn", text, f"{event.fallback} answers in its place")
            self._restart(event.provider, chip)
        elif isinstance(event, AnswerReceived):
            self._on_answer(event)
        elif isinstance(event, CodeExecuted):
            self._on_executed(event)
        elif isinstance(event, VerdictReached):
            self._on_verdict(event.result)

    def begin(self, prompt: str) -> None:
        """A run was asked for (its RunStarted event follows once the pipeline accepted it)."""
        self.prompt = prompt
        self.state = "running"
        self.result = None
        self.verdict = None
        self.latencies = []
        self._started_at = time.monotonic()
        self.progress.emit("starting")

    def end(self, outcome: str, reason: str = "") -> None:
        """The run's task ended: "done", "cancelled" or "failed" (with a one-line reason)."""
        self.flush()
        if outcome != "done":
            for pane in self.panes:
                if pane.index not in self._answered or pane.index in self._running_code:
                    self.chipChanged.emit(pane.index, CANCELLED if outcome == "cancelled" else _FAILED)
        self.state = outcome
        if outcome == "failed":
            self.failed.emit(reason)
        self.finished.emit(outcome)

    @property
    def winning_code(self) -> str | None:
        if self.result is None or self.result.winner is None:
            return None
        record = self.result.answers[self.result.winner]
        return record.code or record.program

    def answer_code(self, index: int) -> str:
        if self.result is not None and index < len(self.result.answers):
            record = self.result.answers[index]
            return record.program or record.code or ""
        return self._codes.get(index, "")

    def diff_pair(self) -> tuple[int, int]:
        """The two answers most worth comparing: the winner and the first answer that behaves
        differently (else the next answer with code)."""
        count = max(len(self.panes), 2)
        result = self.result
        first = result.winner if result is not None and result.winner is not None else 0
        clusters = result.judge.clusters if result is not None and result.judge is not None else []
        same = next((set(group) for group in clusters if first in group), {first})
        others = [i for i in range(count) if i != first and self.answer_code(i)]
        differing = [i for i in others if i not in same]
        second = (differing or others or [1 if first == 0 else 0])[0]
        return first, second

    # -- internals -------------------------------------------------------------------------------
    def flush(self) -> None:
        pending, self._pending = self._pending, {}
        for index, pieces in pending.items():
            self.textAppended.emit(index, "".join(pieces))

    def _on_started(self, event: RunStarted) -> None:
        self.panes = [PaneInit(i, name, self.models.get(name, "")) for i, name in enumerate(event.providers)]
        self._index = {pane.provider: pane.index for pane in self.panes}
        self._pending.clear()
        self._answered.clear()
        self._executed.clear()
        self._running_code.clear()
        self._codes.clear()
        self.started.emit(list(self.panes))
        for pane in self.panes:
            self.chipChanged.emit(pane.index, WAITING)
        self._emit_progress()

    def _on_attempt(self, event: ProviderAttempt) -> None:
        index = self._index.get(event.provider)
        if index is not None and event.attempt == 1 and index not in self._answered:
            self.chipChanged.emit(index, STREAMING)

    def _restart(self, provider: str, chip: Chip) -> None:
        index = self._index.get(provider)
        if index is None or index in self._answered:
            return
        self._pending.pop(index, None)
        self.textReset.emit(index)
        self.chipChanged.emit(index, chip)

    def _on_answer(self, event: AnswerReceived) -> None:
        self.flush()
        self._answered.add(event.index)
        view = answer_view(event.index, event.record)
        if view.code:
            self._codes[event.index] = view.code
            self._running_code.add(event.index)
        if event.record.answer.latency_ms:
            self.latencies.append((view.provider, event.record.answer.latency_ms / 1000))
        self.answerReady.emit(event.index, view)
        if view.code:
            self.sandboxStarted.emit(event.index)
        self._emit_progress()

    def _on_executed(self, event: CodeExecuted) -> None:
        self._executed.add(event.index)
        self._running_code.discard(event.index)
        if event.record.execution is not None:
            self.sandboxReady.emit(event.index, sandbox_view(event.record.execution))
        self._emit_progress()

    def _on_verdict(self, result: VerifyResult) -> None:
        self.flush()
        if result.cache != "miss":
            self._replay(result)
        self.result = result
        self.verdict = verdict_view(result)
        self.verdictReady.emit(self.verdict)

    def _replay(self, result: VerifyResult) -> None:
        """A cache hit arrives as RunStarted + VerdictReached: show the stored answers in their panes."""
        chip = Chip("ok", f"cached \u00b7 {result.cache}", f"answered from the cache ({result.cache} match)")
        for index, record in enumerate(result.answers):
            if index >= len(self.panes) or index in self._answered:
                continue
            self._answered.add(index)
            view = answer_view(index, record)
            self.answerReady.emit(index, view)
            self.chipChanged.emit(index, chip)
            if record.execution is not None:
                self.sandboxReady.emit(index, sandbox_view(record.execution))

    def _emit_progress(self) -> None:
        total = len(self.panes)
        answered = len(self._answered)
        text = f"{answered} of {total} answered"
        if self._running_code:
            text += f" \u00b7 running {len(self._running_code)} in the sandbox"
        elif answered == total and total:
            text += " \u00b7 judging"
        self.progress.emit(text)


_FAILED = Chip("error", "stopped")


def _why(reason: str) -> str:
    return {"rate_limited": "429", "circuit_open": "breaker open"}.get(reason, reason)
