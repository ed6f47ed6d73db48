"""One verification run: ask every provider at once, run each answer as it arrives, then judge.

Scatter-gather with structured concurrency (a TaskGroup): the run takes about as long as the slowest
live provider, not the sum. Each answer's code starts in the sandbox the moment that answer is in, while
other providers are still streaming. Cancelling the run cancels everything, sandbox runs included.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.core.errors import UserError
from app.core.events import (
    AnswerReceived,
    CodeExecuted,
    Event,
    EventSink,
    ProviderAttempt,
    ProviderFallback,
    ProviderRetry,
    RunStarted,
    TextChunk,
    VerdictReached,
)
from app.core.models import AnswerRecord, VerifyResult
from app.judge import JudgeCandidate, JudgePool, JudgeSettings, judge
from app.judge.extract import Extraction, extract_code
from app.providers.answer import Answer, AnswerStatus, CallObserver
from app.providers.base import ChatRequest
from app.providers.clock import Deadline
from app.sandbox.base import Sandbox, SandboxLimits, SandboxRequest, SandboxResult

if TYPE_CHECKING:
    from app.metrics.instruments import Metrics
    from app.providers.pool import ProviderPool

__all__ = ["MAX_PROMPT_CHARS", "Orchestrator", "RunOptions"]

MAX_PROMPT_CHARS = 100_000
_log = logging.getLogger(__name__)
SYSTEM_PROMPT = (
    "You are an expert Python programmer. Answer with one complete, self-contained Python solution in a "
    "```python code block. Define the function the task asks for, with exactly the name it gives."
)


@dataclass(frozen=True)
class RunOptions:
    providers: Sequence[str] | None = None  # names; None: every configured provider
    tests: str | None = None  # user tests (asserts or test functions)
    deadline_s: float | None = None  # whole run; default: the slowest provider's timeout plus margin
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    judge: JudgeSettings = field(default_factory=JudgeSettings)
    mode: str = "configured"


@dataclass
class _Run:
    """What every provider task of one run shares."""

    request: ChatRequest
    deadline: Deadline
    observer: CallObserver
    options: RunOptions
    emit: EventSink
    records: list[AnswerRecord | None]
    group: asyncio.TaskGroup | None = None
    executions: dict[str, asyncio.Task[SandboxResult]] = field(default_factory=dict)


class _Forward(CallObserver):
    def __init__(self, emit: EventSink) -> None:
        self._emit = emit

    def on_attempt(self, provider: str, attempt: int) -> None:
        self._emit(ProviderAttempt(provider, attempt))

    def on_chunk(self, provider: str, text: str) -> None:
        self._emit(TextChunk(provider, text))

    def on_retry(self, provider: str, attempt: int, delay_s: float, error: str) -> None:
        self._emit(ProviderRetry(provider, attempt, delay_s, error))

    def on_fallback(self, provider: str, fallback: str, reason: AnswerStatus) -> None:
        self._emit(ProviderFallback(provider, fallback, reason))


class Orchestrator:
    def __init__(self, providers: ProviderPool, sandbox: Sandbox, *, metrics: Metrics | None = None) -> None:
        self.providers = providers
        self.sandbox = sandbox
        self.metrics = metrics

    async def verify(
        self, prompt: str, options: RunOptions | None = None, on_event: EventSink | None = None
    ) -> VerifyResult:
        options = options or RunOptions()
        emit = _safe(on_event)
        started = time.monotonic()
        names = self._chosen(options.providers)
        prompt = _checked_prompt(prompt)
        emit(RunStarted(prompt, tuple(names), options.mode))
        run = _Run(
            request=ChatRequest(prompt=prompt, system=SYSTEM_PROMPT),
            deadline=Deadline.after(options.deadline_s or self._default_deadline(names)),
            observer=_Forward(emit),
            options=options,
            emit=emit,
            records=[None] * len(names),
        )
        async with asyncio.TaskGroup() as group:
            run.group = group
            for index, name in enumerate(names):
                group.create_task(self._one(run, index, name))
        answers = [record for record in run.records if record is not None]
        result = await self._judged(prompt, answers, options)
        result.duration_ms = (time.monotonic() - started) * 1000
        if self.metrics is not None:
            self.metrics.count_verdict(result.verdict)
            self.metrics.observe_end_to_end(result.duration_ms / 1000)
        emit(VerdictReached(result))
        return result

    def _chosen(self, wanted: Sequence[str] | None) -> list[str]:
        available = self.providers.names
        if not available:
            raise UserError(
                "no providers are configured (add [[providers]] to the config, or run without one)"
            )
        if not wanted:
            return available
        unknown = [name for name in wanted if name not in available]
        if unknown:
            raise UserError(f"unknown provider(s) {', '.join(unknown)} (configured: {', '.join(available)})")
        return list(dict.fromkeys(wanted))

    def _default_deadline(self, names: list[str]) -> float:
        timeouts = [self.providers.timeout_of(name) for name in names]
        return max(timeouts, default=60.0) + 5.0

    async def _one(self, run: _Run, index: int, name: str) -> None:
        """Ask one provider; the moment its answer is in, run the answer's code."""
        answer = await self.providers.ask(name, run.request, deadline=run.deadline, observer=run.observer)
        record = AnswerRecord(answer)
        run.records[index] = record
        if answer.usable:
            extraction = await asyncio.to_thread(_extract, run.request.prompt, name, answer.text)
            record.code, record.program = extraction.code, extraction.program
        run.emit(AnswerReceived(index, record))
        if record.program and run.group is not None:
            execution = run.executions.get(record.program)
            if execution is None:  # identical programs (common for simple tasks) run once
                execution = run.group.create_task(self._execute(record.program, run.options.limits))
                run.executions[record.program] = execution
            record.execution = await execution
            run.emit(CodeExecuted(index, record))

    async def _execute(self, program: str, limits: SandboxLimits) -> SandboxResult:
        result = await self.sandbox.run(SandboxRequest(code=program, limits=limits))
        if self.metrics is not None:
            self.metrics.observe_sandbox(result.status, result.duration_ms / 1000)
        return result

    async def _judged(self, prompt: str, answers: list[AnswerRecord], options: RunOptions) -> VerifyResult:
        if not any(record.answer.usable for record in answers):
            failures = "; ".join(_failure(record.answer) for record in answers)
            explanation = f"No provider produced an answer to judge. {failures}."
            return VerifyResult(prompt, "no_answers", 0.0, None, answers, explanation, mode=options.mode)
        pool = JudgePool(
            prompt=prompt,
            candidates=tuple(
                JudgeCandidate(
                    record.answer.provider,
                    record.answer.text if record.answer.usable else "",
                    None if record.answer.usable else _failure(record.answer),
                )
                for record in answers
            ),
            tests=options.tests,
        )
        report = await judge(pool, self.sandbox, options.judge)
        for record, candidate in zip(answers, report.candidates, strict=True):
            if candidate.code is not None:
                record.code = candidate.code
        return VerifyResult(
            prompt=prompt,
            verdict=report.verdict,  # type: ignore[arg-type]
            confidence=report.confidence,
            winner=report.winner,
            answers=answers,
            explanation=report.explanation,
            mode=options.mode,
            judge=report,
        )


def _extract(prompt: str, name: str, text: str) -> Extraction:
    """Parsing code is CPU work: done in a thread, away from the event loop (the GUI thread)."""
    probe = JudgePool(prompt=prompt, candidates=(JudgeCandidate(name, text),))
    entry_point = probe.resolved_entry_point()
    return extract_code(text, entry_point, probe.prompt_code(entry_point))


def _checked_prompt(prompt: str) -> str:
    if not prompt or not prompt.strip():
        raise UserError("the prompt is empty")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise UserError(f"the prompt is {len(prompt)} characters long; the limit is {MAX_PROMPT_CHARS}")
    return prompt.strip()


def _failure(answer: Answer) -> str:
    return f"{answer.provider}: {answer.status}" + (f" ({answer.error})" if answer.error else "")


def _safe(sink: EventSink | None) -> EventSink:
    """A front end's callback must never break a run: its errors are logged, not raised."""
    if sink is None:
        return lambda event: None

    def emit(event: Event) -> None:
        try:
            sink(event)
        except Exception:
            _log.exception("event handler failed on %s", type(event).__name__)

    return emit
