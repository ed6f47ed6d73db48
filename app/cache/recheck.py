"""Before a semantic hit is served: run the cached winner against the new prompt's own examples.

A paraphrase that passes the guard can still state examples the cached answer was never judged on.
If the new prompt has examples (`f(2) == 4`, doctests, Input/Output pairs: app.judge.examples), the
winner's code runs on them in the sandbox, with the judge's harness; any failure makes the hit a miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.judge.behaviour import check_passed
from app.judge.examples import derive_checks
from app.judge.execute import run_candidate
from app.judge.pool import JudgeCandidate, JudgePool
from app.sandbox.base import Sandbox, SandboxLimits

__all__ = ["Recheck", "recheck_examples"]


@dataclass(frozen=True)
class Recheck:
    ok: bool
    checks: int  # examples found in the new prompt (0: nothing to re-check)
    passed: int = 0
    problem: str | None = None


async def recheck_examples(
    prompt: str,
    result: dict[str, Any],
    sandbox: Sandbox | None,
    *,
    limits: SandboxLimits | None = None,
    per_call_s: float = 1.0,
) -> Recheck:
    """Does the winner of `result` (a verify JSON) pass every example stated in `prompt`?"""
    winner = result.get("winner")
    answers = result.get("answers") or []
    if not isinstance(winner, dict) or not isinstance(winner.get("index"), int):
        return Recheck(False, 0, problem="the cached result has no winner")
    index = int(winner["index"])
    if not 0 <= index < len(answers) or not isinstance(answers[index], dict):
        return Recheck(False, 0, problem="the cached result's winner is missing")
    answer = answers[index]
    code = answer.get("code")
    candidate = JudgeCandidate(str(answer.get("model", "")), str(answer.get("text") or ""))
    pool = JudgePool(prompt=prompt, candidates=(candidate,))
    entry_point = pool.resolved_entry_point()
    checks = derive_checks(prompt, entry_point)
    if not checks:
        return Recheck(True, 0)
    if not isinstance(code, str) or not code.strip():
        return Recheck(False, len(checks), problem="the cached winner has no code to run")
    if sandbox is None:
        return Recheck(False, len(checks), problem="no sandbox to re-check the examples in")
    # As the judge runs it: the prompt's own helpers first (when the prompt is code), then the answer.
    helpers = [
        source
        for names, source in pool.prompt_definitions()
        if entry_point not in names and not any(_defines(code, name) for name in names)
    ]
    run = await run_candidate(
        sandbox,
        "\n\n".join([*helpers, code]) + "\n",
        [(check.setup, check.call) for check in checks],
        limits=limits or SandboxLimits(timeout_s=10.0),
        per_call_s=per_call_s,
    )
    passed = sum(
        1 for check, outcome in zip(checks, run.outcomes, strict=True) if check_passed(check, outcome)
    )
    if passed == len(checks):
        return Recheck(True, len(checks), passed)
    failing = next(
        check.describe()
        for check, outcome in zip(checks, run.outcomes, strict=True)
        if not check_passed(check, outcome)
    )
    return Recheck(False, len(checks), passed, problem=f"fails the prompt's example {failing}")


def _defines(code: str, name: str) -> bool:
    return re.search(rf"^(?:def|class|async def)\s+{re.escape(name)}\b", code, re.MULTILINE) is not None
