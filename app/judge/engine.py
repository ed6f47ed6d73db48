"""The judge: raw answers in, verdict out. What `quorum judge`, `quorum verify` and the GUI call."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from typing import Any

from app.judge.examples import Check, derive_checks, user_test_checks
from app.judge.execute import CandidateRun, run_candidate
from app.judge.extract import Extraction, extract_code
from app.judge.hints import candidate_hints, signature_hints
from app.judge.inputs import example_arguments, generate_inputs
from app.judge.pool import JudgePool
from app.judge.verdict import Decision, decide
from app.sandbox.base import Sandbox, SandboxLimits

__all__ = ["CandidateReport", "JudgeReport", "JudgeSettings", "judge"]


@dataclass(frozen=True)
class JudgeSettings:
    run_timeout_s: float = 10.0  # one sandbox run per candidate, all inputs included
    per_call_s: float = 1.0
    memory_mb: int = 256
    generated_inputs: int = 48
    seed: int = 0


@dataclass
class CandidateReport:
    index: int
    model: str
    code: str | None
    status: str  # ok | no_code | error | timeout | output_limit | oom | killed | blocked
    examples_passed: int
    examples_total: int
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "model": self.model,
            "code": self.code,
            "status": self.status,
            "examples_passed": self.examples_passed,
            "examples_total": self.examples_total,
            "problem": self.problem,
        }


@dataclass
class JudgeReport:
    verdict: str
    confidence: float
    winner: int | None
    clusters: list[list[int]]
    candidates: list[CandidateReport]
    explanation: str
    entry_point: str | None = None
    checks: list[str] = field(default_factory=list)
    generated_inputs: int = 0
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    duration_ms: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """The `quorum judge --json` contract, plus added fields after it."""
        winner = None
        if self.winner is not None:
            winner = {"index": self.winner, "model": self.candidates[self.winner].model}
        return {
            "verdict": self.verdict,
            "confidence": self.confidence,
            "winner": winner,
            "clusters": self.clusters,
            "candidates": [candidate.to_json() for candidate in self.candidates],
            "explanation": self.explanation,
            "entry_point": self.entry_point,
            "checks": self.checks,
            "generated_inputs": self.generated_inputs,
            "disagreements": self.disagreements,
            "duration_ms": round(self.duration_ms, 1),
        }


@dataclass
class _Plan:
    """Everything decided before running anything: what each answer's code is and what to call."""

    entry_point: str | None
    extractions: list[Extraction]
    checks: list[Check]
    calls: list[tuple[str, str]]
    generated: int
    programs: dict[int, str]  # candidate index -> program to run (answers without code are absent)


async def judge(pool: JudgePool, sandbox: Sandbox, settings: JudgeSettings | None = None) -> JudgeReport:
    settings = settings or JudgeSettings()
    started = time.monotonic()
    # Parsing, example derivation and input generation are CPU work: in a thread, not on the event loop
    # (the GUI thread in the desktop app). So is the decision at the end.
    plan = await asyncio.to_thread(_plan, pool, settings)
    limits = SandboxLimits(
        timeout_s=settings.run_timeout_s, memory_mb=settings.memory_mb, output_bytes=8_000_000
    )
    # Identical code behaves identically (fixed hash seed, same inputs): run each distinct program once.
    distinct = list(dict.fromkeys(plan.programs.values()))
    outcomes = await asyncio.gather(
        *(
            run_candidate(sandbox, program, plan.calls, limits=limits, per_call_s=settings.per_call_s)
            for program in distinct
        )
    )
    by_program = dict(zip(distinct, outcomes, strict=True))
    runs = {index: by_program[program] for index, program in plan.programs.items()}
    report = await asyncio.to_thread(_conclude, pool, plan, runs)
    report.duration_ms = (time.monotonic() - started) * 1000
    return report


def _plan(pool: JudgePool, settings: JudgeSettings) -> _Plan:
    entry_point = pool.resolved_entry_point()
    prompt_code = pool.prompt_code(entry_point)
    extractions = [
        Extraction(None, candidate.unavailable)
        if candidate.unavailable
        else extract_code(candidate.text, entry_point, prompt_code)
        for candidate in pool.candidates
    ]
    checks = derive_checks(pool.prompt, entry_point)
    test_code = ""
    if pool.tests:
        test_code, user_checks = user_test_checks(pool.tests, entry_point)
        checks += user_checks
    codes = [extraction.code for extraction in extractions if extraction.code]
    generated = _generated_calls(pool, entry_point, checks, codes, settings)
    calls = [(check.setup, check.call) for check in checks] + [("", call) for call in generated]
    programs = {
        index: _program(extraction.code, pool, entry_point, test_code)
        for index, extraction in enumerate(extractions)
        if extraction.code is not None
    }
    return _Plan(entry_point, extractions, checks, calls, len(generated), programs)


def _conclude(pool: JudgePool, plan: _Plan, runs: dict[int, CandidateRun]) -> JudgeReport:
    labels = {index: f"{candidate.model} (#{index})" for index, candidate in enumerate(pool.candidates)}
    decision = decide(runs, plan.checks, [call for _, call in plan.calls], labels) if runs else None
    report = _report(
        pool,
        plan.extractions,
        runs=runs,
        checks=plan.checks,
        decision=decision,
        entry_point=plan.entry_point,
        generated=plan.generated,
        labels=labels,
    )
    report.disagreements = _disagreement_json(decision, plan.calls, labels) if decision else []
    return report


def _generated_calls(
    pool: JudgePool, entry_point: str | None, checks: list[Check], codes: list[str], settings: JudgeSettings
) -> list[str]:
    if not entry_point or settings.generated_inputs <= 0:
        return []
    examples = example_arguments([check.call for check in checks], entry_point)
    hints = signature_hints(pool.prompt_code(entry_point) or "", entry_point)
    if not examples and not (hints and all(hints)):
        hints = candidate_hints(codes, entry_point) or hints
    return generate_inputs(
        examples,
        hints,
        entry_point,
        prompt=pool.prompt,
        codes=codes,
        limit=settings.generated_inputs,
        seed=settings.seed,
    )


def _program(code: str, pool: JudgePool, entry_point: str | None, test_code: str) -> str:
    """The candidate's code after the prompt's own helpers (when the prompt is code), then user tests.

    Answers often call a helper the prompt defines (`encode_cyclic` for `decode_cyclic`) without
    repeating it; the answer's own definitions come later, so they win.
    """
    helpers = [
        source
        for names, source in pool.prompt_definitions()
        if entry_point not in names and not any(_defines(code, name) for name in names)
    ]
    return "\n\n".join(part for part in [*helpers, code, test_code] if part) + "\n"


def _defines(code: str, name: str) -> bool:
    return re.search(rf"^(?:def|class|async def)\s+{re.escape(name)}\b", code, re.MULTILINE) is not None


def _report(
    pool: JudgePool,
    extractions: list[Extraction],
    *,
    runs: dict[int, CandidateRun],
    checks: list[Check],
    decision: Decision | None,
    entry_point: str | None,
    generated: int,
    labels: dict[int, str],
) -> JudgeReport:
    candidates = []
    for index, (candidate, extraction) in enumerate(zip(pool.candidates, extractions, strict=True)):
        run = runs.get(index)
        status = "no_code" if run is None else run.status
        problem = extraction.problem if run is None else run.problem
        passed = decision.passed.get(index, 0) if decision else 0
        candidates.append(
            CandidateReport(index, candidate.model, extraction.code, status, passed, len(checks), problem)
        )
    if decision is None:
        explanation = "No answer contains usable Python code, so there is nothing to run. " + _statuses(
            candidates
        )
        return JudgeReport("failed", 0.95, None, [], candidates, explanation.strip(), entry_point,
                           [c.call for c in checks], generated)  # fmt: skip
    from app.judge.explain import explain

    return JudgeReport(
        verdict=decision.verdict,
        confidence=decision.confidence,
        winner=decision.winner,
        clusters=decision.clusters,
        candidates=candidates,
        explanation=explain(decision, candidates, checks, labels, generated),
        entry_point=entry_point,
        checks=[check.call for check in checks],
        generated_inputs=generated,
    )


def _statuses(candidates: list[CandidateReport]) -> str:
    return " ".join(f"{c.model} (#{c.index}): {c.problem or c.status}." for c in candidates)


def _disagreement_json(
    decision: Decision, calls: list[tuple[str, str]], labels: dict[int, str]
) -> list[dict[str, Any]]:
    return [
        {"input": calls[index][1], "outputs": {labels[i]: text for i, text in outputs.items()}}
        for index, outputs in decision.disagreements
    ]
