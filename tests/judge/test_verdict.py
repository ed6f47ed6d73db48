"""Verdict rules on synthetic runs: what counts as verified, disputed and failed."""

from __future__ import annotations

from app.judge.examples import Check
from app.judge.execute import CandidateRun, Outcome
from app.judge.values import encode
from app.judge.verdict import decide


def ok(value: object) -> Outcome:
    return Outcome(value=encode(value))


def err(name: str) -> Outcome:
    return Outcome(error=name)


def example(call: str, value: object) -> Check:
    return Check("", call, "value", expected=encode(value), source="doctest")


def runs(*rows: list[Outcome | None], status: str = "ok") -> dict[int, CandidateRun]:
    return {i: CandidateRun(status, list(row)) for i, row in enumerate(rows)}


LABELS = {i: f"m{i}" for i in range(8)}
EX = [example("f(1)", 1), example("f(2)", 4)]


def test_all_agree_and_pass_is_verified_with_high_confidence() -> None:
    row = [ok(1), ok(4), ok(9), ok(16)]
    decision = decide(runs(row, row, row, row), EX, ["f(1)", "f(2)", "f(3)", "f(4)"], LABELS)
    assert (decision.verdict, decision.winner, decision.clusters) == ("verified", 0, [[0, 1, 2, 3]])
    assert decision.confidence > 0.9


def test_three_against_one_passing_examples_is_verified() -> None:
    good, odd = [ok(1), ok(4), ok(9)], [ok(1), ok(4), ok(10)]
    decision = decide(runs(odd, good, good, good), EX, ["f(1)", "f(2)", "f(3)"], LABELS)
    assert (decision.verdict, decision.winner) == ("verified", 1)
    assert decision.disagreements and decision.disagreements[0][0] == 2  # the counterexample input


def test_the_only_answer_passing_the_examples_wins_but_alone_is_not_verified() -> None:
    good = [ok(1), ok(4), ok(9)]
    rows = runs([ok(1), ok(5), ok(9)], [ok(0), ok(4), ok(9)], good, [ok(2), ok(2), ok(2)])
    decision = decide(rows, EX, ["f(1)", "f(2)", "f(3)"], LABELS)
    assert (decision.verdict, decision.winner) == ("disputed", 2)


def test_a_pair_that_alone_passes_the_examples_needs_a_majority() -> None:
    good = [ok(1), ok(4), ok(9)]
    rows = runs([ok(1), ok(5), ok(9)], good, good, [ok(2), ok(2), ok(2)])
    assert decide(rows, EX, ["f(1)", "f(2)", "f(3)"], LABELS).verdict == "disputed"
    three = runs(good, good, [ok(2), ok(2), ok(2)])
    decision = decide(three, EX, ["f(1)", "f(2)", "f(3)"], LABELS)
    assert (decision.verdict, decision.winner) == ("verified", 0)


def test_a_shared_mistake_the_examples_miss_cannot_outvote_into_verified() -> None:
    right, shared, other = [ok(1), ok(4), ok(9)], [ok(1), ok(4), ok(8)], [ok(0), ok(4), ok(7)]
    decision = decide(runs(shared, right, shared, other), EX, ["f(1)", "f(2)", "f(3)"], LABELS)
    assert decision.verdict == "disputed"


def test_two_one_one_without_examples_is_disputed() -> None:
    a, b, c = [ok(1), ok(2)], [ok(1), ok(3)], [ok(0), ok(2)]
    decision = decide(runs(a, a, b, c), [], ["f(1)", "f(2)"], LABELS)
    assert (decision.verdict, decision.winner) == ("disputed", 0)
    assert decision.confidence < 0.5


def test_majority_without_examples_is_verified() -> None:
    a, b = [ok(1), ok(2)], [ok(1), ok(3)]
    assert decide(runs(a, a, a, b), [], ["f(1)", "f(2)"], LABELS).verdict == "verified"


def test_nobody_passing_the_examples_is_failed_without_a_winner() -> None:
    decision = decide(runs([ok(2), ok(4)], [ok(1), ok(5)]), EX, ["f(1)", "f(2)"], LABELS)
    assert (decision.verdict, decision.winner) == ("failed", None)


def test_nothing_ran_is_failed() -> None:
    decision = decide(runs([None, None], [None, None], status="error"), EX, ["f(1)", "f(2)"], LABELS)
    assert (decision.verdict, decision.winner) == ("failed", None)


def test_one_answer_is_never_verified() -> None:
    assert decide(runs([ok(1), ok(4)]), EX, ["f(1)", "f(2)"], LABELS).verdict == "disputed"


def test_floats_within_tolerance_and_list_tuple_cluster_together() -> None:
    a, b = [ok(0.1 + 0.2), ok([1, 2])], [ok(0.3), ok((1, 2))]
    assert decide(runs(a, b), [], ["f(1)", "f(2)"], LABELS).clusters == [[0, 1]]


def test_exceptions_compare_by_type() -> None:
    a, b, c = [ok(1), err("ValueError")], [ok(1), err("ValueError")], [ok(1), err("KeyError")]
    # the input where most candidates raise is not informative, so all three still agree
    assert decide(runs(a, b, c), [], ["f(1)", "f(2)"], LABELS).clusters == [[0, 1, 2]]
    d = [ok(1), ok(5)]
    e = [ok(1), ok(5)]
    # where most return, a raise is a real difference
    assert decide(runs(a, d, e), [], ["f(1)", "f(2)"], LABELS).clusters == [[1, 2], [0]]


def test_a_call_that_timed_out_does_not_split_a_cluster() -> None:
    a, b = [ok(1), ok(2), err("Timeout")], [ok(1), ok(2), ok(3)]
    assert decide(runs(a, b, b), [], ["f(1)", "f(2)", "f(3)"], LABELS).clusters == [[0, 1, 2]]


def test_unanimous_disagreement_with_an_example_sets_it_aside_but_caps_the_verdict() -> None:
    row = [ok(1), ok(5)]
    decision = decide(runs(row, row, row), EX, ["f(1)", "f(2)"], LABELS)
    assert decision.suspect_checks == [1]
    assert (decision.verdict, decision.winner) == ("disputed", 0)


def test_answers_that_only_raise_are_not_verified() -> None:
    row = [err("TypeError"), err("TypeError")]
    assert decide(runs(row, row, row), [], ["f(1)", "f(2)"], LABELS).verdict != "verified"


def test_a_lone_answer_passing_a_single_example_is_only_disputed() -> None:
    one = [example("f(1)", 1)]
    decision = decide(runs([ok(1), ok(4)], [ok(2), ok(4)], [ok(3), ok(4)]), one, ["f(1)", "f(2)"], LABELS)
    assert (decision.verdict, decision.winner) == ("disputed", 0)


def test_nothing_to_compare_is_never_verified() -> None:
    assert decide(runs([], [], []), [], [], LABELS).verdict == "disputed"


def test_a_run_stopped_by_its_time_limit_after_the_checks_still_counts() -> None:
    slow = CandidateRun("timeout", [ok(1), ok(4), ok(9), None])
    fast = CandidateRun("ok", [ok(1), ok(4), ok(9), ok(16)])
    decision = decide({0: slow, 1: fast, 2: fast}, EX, ["f(1)", "f(2)", "f(3)", "f(4)"], LABELS)
    assert (decision.verdict, decision.clusters) == ("verified", [[0, 1, 2]])
    stuck = CandidateRun("timeout", [ok(1), None, None, None])
    assert decide({0: stuck, 1: fast}, EX, ["f(1)", "f(2)", "f(3)", "f(4)"], LABELS).clusters == [[1]]
