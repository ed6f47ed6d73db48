"""From what every candidate did to a verdict, a confidence and an explanation.

Scoring (CodeT / MBR-exec style: examples passed and agreement together):
1. Candidates whose run completed (or stopped only after answering every check) are `ran`. A check
   (prompt example or user test) is passed when the value matches (values.py tolerances), the expected
   exception is raised, or a test raises nothing.
2. A prompt example that every candidate fails while all of them (three or more) agree on another
   result is *suspect* (a wrong example in the prompt, or one we misread): it is set aside, and the
   verdict can then be at best `disputed`.
3. `plausible` = candidates passing every remaining check (all of `ran` when there are none).
4. Candidates are clustered by behaviour on the checks and on generated inputs (behaviour.py).
   Plausible clusters are ranked by size, then by partial agreement with all other answers (MBR-exec),
   then by how often their members returned a value rather than raising.
5. `verified` needs a winning cluster of at least two answers that passes every check, returns values
   and holds a strict majority of the candidates that ran, with no suspect example. Counting the
   majority over every candidate that ran, not only the plausible ones, is deliberate: weaker evidence
   was measured wrong too often on mutated HumanEval pools (bench/judge_humaneval.py): a lone answer
   that alone passes the examples was wrong about one time in four, and a pair that alone passes them
   (two models sharing a mistake the examples miss) about one time in fifteen. Otherwise `disputed`
   (winner: the best cluster's first member) when something is plausible, and `failed` when nothing
   ran or nothing passes the checks.
Confidence (0..1): verified 0.5 + 0.3·(cluster share of `ran`) + 0.2·min(examples, 3)/3;
disputed 0.15 + 0.45·(cluster share), times 0.8 without examples; failed 0.9 when nothing ran, else
0.6 + 0.3·min(examples, 3)/3 (how sure we are that no candidate is right).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from app.judge.behaviour import (
    Cluster,
    agreement,
    check_passed,
    cluster_candidates,
    first_difference,
    informative_inputs,
)
from app.judge.examples import Check
from app.judge.execute import CandidateRun, Outcome
from app.judge.values import describe

__all__ = ["Decision", "decide"]

Verdict = Literal["verified", "disputed", "failed"]


@dataclass
class Decision:
    verdict: Verdict
    confidence: float
    winner: int | None
    clusters: list[list[int]]
    passed: dict[int, int]  # checks passed per candidate that has a run
    checks_total: int
    suspect_checks: list[int] = field(default_factory=list)
    disagreements: list[tuple[int, dict[int, str]]] = field(default_factory=list)  # (call index, outputs)
    reasons: list[str] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)  # every call expression, checks first


def decide(
    runs: dict[int, CandidateRun],
    checks: Sequence[Check],
    calls: Sequence[str],
    labels: dict[int, str],
) -> Decision:
    """`runs`: candidate index → run (candidates without code are absent); `labels` name candidates."""
    count = len(checks)
    ran = sorted(i for i, run in runs.items() if _usable(run, count))
    passed = {i: _checks_passed(run.outcomes, checks) for i, run in runs.items()}
    suspect = _suspect_checks(ran, runs, checks) if len(ran) >= 3 else []
    trusted = [j for j in range(count) if j not in suspect]
    if not ran:
        return Decision("failed", 0.9, None, [], passed, count, reasons=["no candidate ran to completion"])
    outcomes: dict[int, Sequence[Outcome | None]] = {i: runs[i].outcomes for i in ran}
    plausible = [i for i in ran if all(check_passed(checks[j], outcomes[i][j]) for j in trusted)]
    # Whether an input is inside the function's domain is judged by the answers that pass the checks:
    # where those mostly raise, the input breaks a precondition and says nothing about correctness.
    inputs = informative_inputs([outcomes[i] for i in (plausible or ran)], count)
    inputs = [j for j in inputs if j not in suspect]
    order = sorted(
        ran, key=lambda i: (-_trusted_passed(outcomes[i], checks, trusted), -_returned(outcomes[i]), i)
    )
    clusters = cluster_candidates(order, outcomes, inputs)
    for cluster in clusters:
        cluster.returns_values = any(o is not None and o.returned for o in outcomes[cluster.representative])
    all_clusters = [sorted(c.members) for c in sorted(clusters, key=lambda c: (-c.size, min(c.members)))]
    if not plausible:
        best = order[0]
        confidence = 0.6 + 0.3 * min(len(trusted), 3) / 3
        reason = (
            f"no candidate passes all {len(trusted)} checks; the best, {labels[best]}, passes {passed[best]}"
        )
        return Decision(
            "failed", round(confidence, 3), None, all_clusters, passed, count, suspect, reasons=[reason]
        )

    def consensus(cluster: Cluster) -> float:
        """Partial agreement with every other answer that ran (MBR-exec): a bug-free answer differs from
        each buggy one on few inputs, while buggy answers differ among themselves on more."""
        rep = outcomes[cluster.representative]
        return sum(agreement(rep, outcomes[i], inputs) for i in ran if i not in cluster.members)

    ranked = sorted(
        (cluster for cluster in clusters if cluster.representative in plausible),
        key=lambda c: (
            -c.size,
            -round(consensus(c), 6),
            -sum(_returned(outcomes[m]) for m in c.members),
            order.index(c.representative),
        ),
    )
    top = ranked[0]
    share = top.size / len(ran)
    verified, why = _verified(top, ranked, ran=ran, trusted=trusted, suspect=suspect)
    if not inputs:
        verified, why = False, "there was no input to compare the answers on"
    if verified:
        confidence = 0.5 + 0.3 * share + 0.2 * min(len(trusted), 3) / 3
    else:
        confidence = (0.15 + 0.45 * share) * (1.0 if trusted else 0.8)
    decision = Decision(
        "verified" if verified else "disputed",
        round(min(confidence, 0.99), 3),
        top.representative,
        all_clusters,
        passed,
        count,
        suspect,
        reasons=[why],
    )
    decision.disagreements = _disagreements(top, clusters, outcomes, inputs)
    decision.calls = list(calls)
    return decision


def _verified(
    best: Cluster, ranked: list[Cluster], *, ran: list[int], trusted: list[int], suspect: list[int]
) -> tuple[bool, str]:
    if len(ran) < 2:
        return False, "only one candidate ran, and one answer cannot confirm itself"
    if suspect:
        return False, "the candidates unanimously contradict an example in the prompt"
    if not best.returns_values:
        return False, "the leading answers only raise exceptions"
    if best.size == 1:
        return False, "only one answer behaves this way, and no other answer confirms it"
    if best.size * 2 > len(ran):
        return True, f"{best.size} of {len(ran)} answers agree" + (
            " and pass the examples" if trusted else ""
        )
    if len(ranked) > 1 and ranked[1].size == best.size:
        return False, "answers that pass the same checks disagree, and none has a majority"
    return False, "the leading group has no majority"


def _usable(run: CandidateRun, checks: int) -> bool:
    """Completed, or stopped (time or output limit) only after every check had its answer: a slow
    answer on some generated input still counts, those inputs are simply not compared."""
    if run.status == "ok":
        return True
    if run.status not in ("timeout", "output_limit"):
        return False
    done = [outcome is not None for outcome in run.outcomes]
    return all(done[:checks]) and any(done)


def _checks_passed(outcomes: Sequence[Outcome | None], checks: Sequence[Check]) -> int:
    return sum(1 for j, check in enumerate(checks) if j < len(outcomes) and check_passed(check, outcomes[j]))


def _trusted_passed(outcomes: Sequence[Outcome | None], checks: Sequence[Check], trusted: list[int]) -> int:
    return sum(1 for j in trusted if check_passed(checks[j], outcomes[j]))


def _returned(outcomes: Sequence[Outcome | None]) -> int:
    return sum(1 for outcome in outcomes if outcome is not None and outcome.returned)


def _suspect_checks(ran: list[int], runs: dict[int, CandidateRun], checks: Sequence[Check]) -> list[int]:
    suspect = []
    for j, check in enumerate(checks):
        if check.source == "user test":
            continue  # the user's own tests are never second-guessed
        results = [runs[i].outcomes[j] for i in ran]
        if any(check_passed(check, outcome) for outcome in results):
            continue
        first = results[0]
        if (
            first is not None
            and first.returned
            and all(
                outcome is not None
                and outcome.returned
                and describe(outcome.value or ["n"], 400) == describe(first.value or ["n"], 400)
                for outcome in results
            )
        ):
            suspect.append(j)
    return suspect


def _disagreements(
    best: Cluster,
    clusters: list[Cluster],
    outcomes: Mapping[int, Sequence[Outcome | None]],
    inputs: list[int],
) -> list[tuple[int, dict[int, str]]]:
    """Up to three inputs where the winning cluster and another cluster behave differently."""
    found: list[tuple[int, dict[int, str]]] = []
    for other in clusters:
        if other is best or len(found) >= 3:
            continue
        index = first_difference(outcomes[best.representative], outcomes[other.representative], inputs)
        if index is None or any(index == seen for seen, _ in found):
            continue
        shown = {}
        for cluster in clusters:
            outcome = outcomes[cluster.representative][index]
            if outcome is not None:
                shown[cluster.representative] = _render(outcome)
        found.append((index, shown))
    return found


def _render(outcome: Outcome) -> str:
    if outcome.returned:
        return "returns " + describe(outcome.value or ["n"], 60)
    return "times out" if outcome.timed_out else f"raises {outcome.error}"
