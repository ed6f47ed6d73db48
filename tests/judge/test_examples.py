"""Examples read from prompts: doctest, prose and input/output forms; never from signatures."""

from __future__ import annotations

import pytest

from app.judge.examples import derive_checks, user_test_checks
from app.judge.values import encode


def _pairs(prompt: str, entry: str = "f") -> list[tuple[str, object]]:
    return [
        (c.call, c.expected if c.kind == "value" else ("raises", c.error))
        for c in derive_checks(prompt, entry)
    ]


def test_doctest_with_output_lines_and_closing_docstring() -> None:
    prompt = 'def f(xs):\n    """Sum.\n    >>> f([1, 2])\n    3\n    >>> f([])\n    0"""\n'
    assert _pairs(prompt) == [("f([1, 2])", encode(3)), ("f([])", encode(0))]


def test_doctest_multiline_call_setup_and_multiline_output() -> None:
    prompt = ">>> xs = [3, 1]\n>>> f(xs,\n...   True)\n[1,\n 3]\n"
    checks = derive_checks(prompt, "f")
    assert len(checks) == 1
    assert checks[0].setup == "xs = [3, 1]" and checks[0].expected == encode([1, 3])


def test_doctest_comparison_without_output_and_expected_exception() -> None:
    prompt = ">>> f(2) == 4\n>>> f(-1)\nTraceback (most recent call last):\n  ...\nValueError: negative\n"
    assert _pairs(prompt) == [("f(2)", encode(4)), ("f(-1)", ("raises", "ValueError"))]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("f(3) == 6", 6),
        ("f(3) ➞ 6", 6),
        ("f(3) → 6", 6),
        ("f(3) -> 6", 6),
        ("f(3) => 6", 6),
        ("f(3) ==> 6", 6),
        ("f(3) = 6", 6),
        ("f(3) should return 6.", 6),
        ("f(3) returns 6 because 3 + 3 = 6", 6),
        ("assert f(3) == 6", 6),
        ("f(3)   # returns 6", 6),
        ("`f(3)` => `6`", 6),
        ("f('ab') => true", True),
        ('f("a, b") == ["a", "b"]', ["a", "b"]),
        ("f([1, 2], k=2) == (1, 2)", (1, 2)),
    ],
)
def test_prose_forms(line: str, expected: object) -> None:
    pairs = _pairs(f"Examples:\n    {line}\n")
    assert len(pairs) == 1 and pairs[0][1] == encode(expected)


@pytest.mark.parametrize(
    "prompt",
    [
        "def f(x) -> None:\n    pass\n",  # a signature, not an example
        "f(x) returns the sum of x",  # no literal result
        "call f(n) = n * 2 for each n",  # a definition with free names
        "f(2) = 1 + (2 / 2) = 2",  # a derivation
        "note that len([1, 2, 3]) == 3",  # a builtin
        "def g(x):\n    pass\ng(3) == 4",  # another function the prompt defines
    ],
)
def test_things_that_are_not_examples(prompt: str) -> None:
    assert _pairs(prompt) == []


def test_contradicting_statements_about_one_call_are_dropped() -> None:
    assert _pairs("f(4) = 3\nand later f(4) = 8\nf(1) == 2") == [("f(1)", encode(2))]


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("Example 1:\nInput: nums = [1, 2, 3], k = 2\nOutput: 5\n", [("f([1, 2, 3], 2)", encode(5))]),
        ('**Input:** s = "abc"  **Output:** "cba"\n', [("f('abc')", encode("cba"))]),
        ('For N = 150, the sum of digits will be 6 the output should be "110".', [("f(150)", encode("110"))]),
        ("Example: [1, 2, 3] => 6", [("f([1, 2, 3])", encode(6))]),
    ],
)
def test_input_output_pairs(prompt: str, expected: list[tuple[str, object]]) -> None:
    assert _pairs(prompt) == expected


def test_examples_under_another_name_are_used_when_none_name_the_function() -> None:
    prompt = 'def sorted_sum(lst):\n    """...\n    assert list_sort(["aa", "a"]) => ["aa"]\n    """\n'
    assert _pairs(prompt, "sorted_sum") == [("sorted_sum(['aa', 'a'])", encode(["aa"]))]


def test_duplicates_are_collapsed() -> None:
    assert len(_pairs(">>> f(1)\n2\n\nAlso f(1) == 2.")) == 1


def test_user_tests_become_checks_and_definitions() -> None:
    tests = "import math\nassert f(2) == 4\ndef test_zero():\n    assert f(0) == 0\ndef check(candidate):\n    assert candidate(1) == 1\n"
    definitions, checks = user_test_checks(tests, "f")
    assert (
        "def test_zero" in definitions and "import math" in definitions and "assert f(2)" not in definitions
    )
    assert [(c.call, c.kind) for c in checks] == [
        ("bool(f(2) == 4)", "value"), ("test_zero()", "no_error"), ("check(f)", "no_error"),
    ]  # fmt: skip
