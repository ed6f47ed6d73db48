"""Value parsing and comparison: tolerant where models differ harmlessly, strict elsewhere."""

from __future__ import annotations

import pytest

from app.judge.values import describe, encode, literal_value, same_value


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (0.1 + 0.2, 0.3, True),
        (1e-9, 0.0, True),
        (1.0, 1.0001, False),
        (2, 2.0, True),
        (True, 1, False),
        ([1, 2], (1, 2), True),
        ([1, [2.0]], [1, [2]], True),
        ("a", "A", False),
        ({"a": 1.0}, {"a": 1}, True),
        ({1, 2}, {2, 1}, True),
        (None, 0, False),
        (float("nan"), float("nan"), True),
        (float("inf"), float("inf"), True),
        (10**30, 10**30 + 1, False),
    ],
)
def test_same_value(a: object, b: object, same: bool) -> None:
    assert same_value(encode(a), encode(b)) is same


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("[1, 2]", [1, 2]),
        ("'x'", "x"),
        ("set()", set()),
        ("float('inf')", float("inf")),
        ("2**10", 1024),
        ("-3", -3),
        ("(1,)", (1,)),
        ("{'a': [1]}", {"a": [1]}),
        ("1/4", 0.25),
    ],
)
def test_literal_values(text: str, value: object) -> None:
    assert literal_value(text) == (True, value)


@pytest.mark.parametrize("text", ["x", "open('f')", "__import__('os')", "9**9**9", "'a' * 10**9", "[1, 2"])
def test_non_literals_are_refused_without_evaluating(text: str) -> None:
    assert literal_value(text)[0] is False


def test_describe_is_short_python() -> None:
    assert describe(encode({"k": (1,)})) == "{'k': (1,)}"
    assert describe(encode("x" * 500), 20).endswith("...")
