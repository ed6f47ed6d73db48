"""The guard alone (no model): near-misses rejected whatever their similarity, paraphrases let through."""

from __future__ import annotations

import pytest

from app.cache.features import extract_features
from app.cache.guard import check_prompts
from tests.cache.pairs import NEAR_MISSES, PARAPHRASES


@pytest.mark.parametrize(
    ("kind", "first", "second"), NEAR_MISSES, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(NEAR_MISSES)]
)
def test_every_near_miss_is_rejected_both_ways(kind: str, first: str, second: str) -> None:
    assert not check_prompts(second, first).ok, kind
    assert not check_prompts(first, second).ok, kind


def test_paraphrases_pass_the_guard() -> None:
    passed = [check_prompts(b, a).ok for a, b in PARAPHRASES]
    assert sum(passed) / len(passed) >= 0.9, [p for p, ok in zip(PARAPHRASES, passed, strict=True) if not ok]


def test_the_same_prompt_always_passes() -> None:
    for _, first, second in NEAR_MISSES:
        assert check_prompts(first, first).ok
        assert check_prompts(second, second).ok


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # direction through roles, also across classes and with the source after `from`
        ("Convert a list of strings to a dict.", "Convert a dict to a list of strings."),
        ("Convert hours to minutes.", "Convert minutes to hours."),
        ("Translate the German text into English.", "Translate the English text into German."),
        ("Sort the names from largest to smallest.", "Sort the names from smallest to largest."),
        # direction through ordered pairs of plain words
        ("Replace tabs with spaces in a file.", "Replace spaces with tabs in a file."),
        ("Sort people by name then age.", "Sort people by age then name."),
        # numbers in words and digits, ordinals, big-O
        ("Return the twenty-one largest values.", "Return the 22 largest values."),
        ("Return the 2nd element.", "Return the 3rd element."),
        ("Do it in O(n) time.", "Do it in O(n log n) time."),
        # negation by word, contraction, prefix
        ("Return the items that are sorted.", "Return the items that are unsorted."),
        ("Use recursion.", "Don't use recursion."),
        ("Check that the input is valid.", "Check that the input is invalid."),
        # one-sided polarity and defaults
        ("Sort a list of integers.", "Sort a list of integers in descending order."),
        ("Reverse a string.", "Reverse a string in Rust."),
        ("Write a C function that reverses a string.", "Write a function that reverses a string."),
        # identifiers, operators, libraries, HTTP verbs
        ("Raise ValueError when the list is empty.", "Raise TypeError when the list is empty."),
        ("Keep the values where x > 5.", "Keep the values where x < 5."),
        ("Fetch the page with requests.", "Fetch the page with urllib."),
        ("Send a GET request to the URL.", "Send a POST request to the URL."),
    ],
)
def test_mechanisms(first: str, second: str) -> None:
    assert not check_prompts(second, first).ok


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Convert Celsius to Fahrenheit.", "Convert to Fahrenheit from Celsius."),
        ("Sort a list in ascending order.", "Sort a list from smallest to largest."),
        ("Return the ten most common words.", "Return the 10 most common words."),
        ("Write a Python function that reverses a string.", "Write a function that reverses a string."),
        ("Merge two dictionaries.", "Merge 2 dicts."),
        ("Go through the list and count the words.", "Go over the list and count the words."),
        ("Return the greatest common divisor of a and b.", "Return the GCD of a and b."),
    ],
)
def test_equivalent_wordings_pass(first: str, second: str) -> None:
    assert check_prompts(second, first).ok, check_prompts(second, first).reasons


def test_reasons_name_the_difference() -> None:
    result = check_prompts("Sort the list in descending order.", "Sort the list in ascending order.")
    assert result.reasons == ("order: {descending} vs {ascending}",)
    assert result.reason_kinds == ("order",)


def test_quotes_and_code_are_compared_exactly() -> None:
    assert not check_prompts("Count 'The' in a text.", "Count 'the' in a text.").ok
    code = "What does this print?\n```python\nprint(len('abc'))\n```"
    assert check_prompts(code, code.replace("print(len", "print( len")).ok  # whitespace is not a token
    assert not check_prompts(code, code.replace("abc", "abcd")).ok


def test_features_of_a_code_prompt_include_its_docstring() -> None:
    stub = 'def add(a, b):\n    """Add two numbers.\n\n    >>> add(2, 3)\n    5\n    """\n'
    features = extract_features(stub)
    assert features.numbers == ("2", "2", "3", "5")  # "two", then the example
    assert "code" in features.terms
    assert not check_prompts(stub, stub.replace("5\n", "6\n")).ok
