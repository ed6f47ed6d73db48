"""Running one candidate on every input: one sandbox run per candidate, not one per input.

The candidate's code is followed by the call harness (app/sandbox/harness.py): each call has its own
time limit, prints during calls are discarded, and results come back as nonce-framed records, so a
candidate cannot fake them by printing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.judge.values import Encoded
from app.sandbox.base import Sandbox, SandboxLimits, SandboxRequest
from app.sandbox.harness import CallRecord, build_call_program, new_nonce, parse_call_records

__all__ = ["CandidateRun", "Outcome", "run_candidate"]

TIMEOUT = "Timeout"


@dataclass(frozen=True)
class Outcome:
    value: Encoded | None = None
    error: str | None = None  # exception type name; "Timeout" when the call ran out of time

    @property
    def returned(self) -> bool:
        return self.error is None

    @property
    def timed_out(self) -> bool:
        return self.error == TIMEOUT


@dataclass
class CandidateRun:
    status: str  # ok | error | timeout | output_limit | oom | killed | blocked
    outcomes: list[Outcome | None]  # one per call; None when the run ended before that call
    problem: str | None = None  # one line: why the run is not "ok"
    duration_ms: float = 0.0


async def run_candidate(
    sandbox: Sandbox,
    code: str,
    calls: Sequence[tuple[str, str]],
    *,
    limits: SandboxLimits,
    per_call_s: float,
) -> CandidateRun:
    nonce = new_nonce()
    program = build_call_program(code, list(calls), nonce, per_call_s=per_call_s)
    result = await sandbox.run(SandboxRequest(code=program, limits=limits))
    records = parse_call_records(result.stdout, nonce, len(calls))
    outcomes = [_outcome(record) for record in records]
    complete = all(outcome is not None for outcome in outcomes)
    if result.status == "ok" and complete:
        return CandidateRun("ok", outcomes, duration_ms=result.duration_ms)
    status = result.status if result.status != "ok" else "error"
    return CandidateRun(
        status, outcomes, _problem(result.status, result.stderr, result.signal), result.duration_ms
    )


def _outcome(record: CallRecord | None) -> Outcome | None:
    if record is None:
        return None
    if record.ok:
        return Outcome(value=record.value)
    return Outcome(error=record.error or "Exception")


def _problem(status: str, stderr: str, signal: str | None) -> str:
    last = next((line.strip() for line in reversed(stderr.splitlines()) if line.strip()), "")
    if status == "timeout":
        return "ran out of time before every input was tried"
    if status == "output_limit":
        return "printed too much output"
    if status == "oom":
        return "ran out of memory"
    if status in ("killed", "blocked"):
        return f"{status} ({signal})" + (f": {last}" if last else "")
    return last[:200] or "exited before running the checks"
