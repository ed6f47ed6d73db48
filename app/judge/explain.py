"""The one-paragraph explanation of a verdict, naming the inputs where candidates disagree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.judge.examples import Check

if TYPE_CHECKING:
    from app.judge.engine import CandidateReport
    from app.judge.verdict import Decision

__all__ = ["explain"]


def explain(
    decision: Decision,
    candidates: Sequence[CandidateReport],
    checks: Sequence[Check],
    labels: dict[int, str],
    generated: int,
) -> str:
    parts = [_overview(candidates, checks, generated)]
    broken = [c for c in candidates if c.status != "ok"]
    if broken:
        parts.append(
            "Not usable: " + "; ".join(f"{labels[c.index]} ({c.problem or c.status})" for c in broken) + "."
        )
    for j in decision.suspect_checks:
        parts.append(
            f"Every candidate disagrees with the prompt's example `{checks[j].call}`, so it was set aside."
        )
    if decision.winner is not None:
        cluster = next(c for c in decision.clusters if decision.winner in c)
        names = _names([labels[i] for i in cluster])
        if len(cluster) > 1:
            parts.append(f"{names} behave identically on every checked input.")
    for call, outputs in _counterexamples(decision, checks):
        rendered = "; ".join(f"{labels[i]} {text}" for i, text in outputs.items())
        parts.append(f"On `{call}`: {rendered}.")
    parts.append(_conclusion(decision, labels))
    return " ".join(parts)


def _overview(candidates: Sequence[CandidateReport], checks: Sequence[Check], generated: int) -> str:
    examples = sum(1 for check in checks if check.source != "user test")
    tests = len(checks) - examples
    evidence = []
    if examples:
        evidence.append(f"{examples} example{'s' if examples != 1 else ''} from the prompt")
    if tests:
        evidence.append(f"{tests} user test{'s' if tests != 1 else ''}")
    if generated:
        evidence.append(f"{generated} generated input{'s' if generated != 1 else ''}")
    checked = " and ".join(evidence) if evidence else "no examples or tests (agreement only)"
    return f"{len(candidates)} answer{'s' if len(candidates) != 1 else ''} checked against {checked}."


def _counterexamples(decision: Decision, checks: Sequence[Check]) -> list[tuple[str, dict[int, str]]]:
    return [(_call_text(decision, index, checks), outputs) for index, outputs in decision.disagreements]


def _call_text(decision: Decision, index: int, checks: Sequence[Check]) -> str:
    if index < len(checks):
        return checks[index].call
    return decision.calls[index] if index < len(decision.calls) else f"input {index}"


def _conclusion(decision: Decision, labels: dict[int, str]) -> str:
    reason = decision.reasons[0] if decision.reasons else ""
    if decision.verdict == "verified" and decision.winner is not None:
        return f"Verified: {labels[decision.winner]} wins because {reason}."
    if decision.verdict == "disputed" and decision.winner is not None:
        return f"Disputed: the best guess is {labels[decision.winner]}, but {reason}."
    return f"Failed: {reason}." if reason else "Failed."


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
