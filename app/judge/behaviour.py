"""Comparing what candidates did: checks passed, and clusters of candidates that behave the same.

Two candidates behave the same when, on every informative input, they return equal values (floats within
1e-6, see values.py) or raise the same exception type. A call that ran out of its time on either side
says nothing about equality and is skipped. Generated inputs on which most candidates raise are
probably outside the function's domain (an empty list where the prompt promises a non-empty one), so
they are not informative and do not split candidates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.judge.examples import Check
from app.judge.execute import Outcome
from app.judge.values import same_value

__all__ = ["Cluster", "check_passed", "cluster_candidates", "informative_inputs", "same_outcome"]


def check_passed(check: Check, outcome: Outcome | None) -> bool:
    if outcome is None or outcome.timed_out:
        return False
    if check.kind == "raises":
        return outcome.error is not None and outcome.error == check.error
    if check.kind == "no_error":
        return outcome.returned
    return (
        outcome.returned and check.expected is not None and same_value(outcome.value or ["n"], check.expected)
    )


def same_outcome(a: Outcome, b: Outcome) -> bool:
    if a.returned and b.returned:
        return same_value(a.value or ["n"], b.value or ["n"])
    return a.error == b.error


def informative_inputs(runs: Sequence[Sequence[Outcome | None]], first_generated: int) -> list[int]:
    """Indices worth comparing on: every check, plus generated inputs where most candidates returned."""
    if not runs:
        return []
    width = len(runs[0])
    keep = list(range(min(first_generated, width)))
    for index in range(first_generated, width):
        outcomes = [run[index] for run in runs if run[index] is not None]
        returned = sum(1 for outcome in outcomes if outcome is not None and outcome.returned)
        if outcomes and returned * 2 > len(outcomes):
            keep.append(index)
    return keep


@dataclass
class Cluster:
    members: list[int] = field(default_factory=list)  # candidate indices, best first
    returns_values: bool = True  # False when its answers only raise on every input

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def representative(self) -> int:
        return self.members[0]


def agree(a: Sequence[Outcome | None], b: Sequence[Outcome | None], inputs: Sequence[int]) -> bool:
    for index in inputs:
        x, y = a[index], b[index]
        if x is None or y is None or x.timed_out or y.timed_out:
            continue
        if not same_outcome(x, y):
            return False
    return True


def agreement(a: Sequence[Outcome | None], b: Sequence[Outcome | None], inputs: Sequence[int]) -> float:
    """Share of the comparable inputs on which two candidates behave the same (0 when none compare)."""
    same = compared = 0
    for index in inputs:
        x, y = a[index], b[index]
        if x is None or y is None or x.timed_out or y.timed_out:
            continue
        compared += 1
        same += same_outcome(x, y)
    return same / compared if compared else 0.0


def cluster_candidates(
    order: Sequence[int], outcomes: Mapping[int, Sequence[Outcome | None]], inputs: Sequence[int]
) -> list[Cluster]:
    """Greedy clustering in `order` (best candidates first): each joins the first cluster it agrees
    with completely (compared with every member, so tolerance cannot chain unlike results together)."""
    clusters: list[Cluster] = []
    for candidate in order:
        for cluster in clusters:
            if all(agree(outcomes[candidate], outcomes[member], inputs) for member in cluster.members):
                cluster.members.append(candidate)
                break
        else:
            clusters.append(Cluster([candidate]))
    return clusters


def first_difference(
    a: Sequence[Outcome | None], b: Sequence[Outcome | None], inputs: Sequence[int]
) -> int | None:
    for index in inputs:
        x, y = a[index], b[index]
        if x is None or y is None or x.timed_out or y.timed_out:
            continue
        if not same_outcome(x, y):
            return index
    return None
