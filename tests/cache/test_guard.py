"""The guard alone (no model): near-misses rejected whatever their similarity, paraphrases let through."""

from __future__ import annotations

import pytest

from app.cache.canonical import embedding_text
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


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # SQL dialects are languages of their own
        (
            "Write a PostgreSQL query that returns the current date.",
            "Write a MySQL query that returns the current date.",
        ),
        # a source that is a class member, a target that is a plain word
        (
            "Convert a Unix timestamp to a datetime in Python",
            "Convert a datetime to a Unix timestamp in Python",
        ),
        # plain words on either side of `to`
        (
            "Map HTTP status codes to reason phrases in a Python dict.",
            "Map reason phrases to HTTP status codes in a Python dict.",
        ),
        (
            "Write a function that maps each letter to its position in the alphabet.",
            "Write a function that maps each position in the alphabet to its letter.",
        ),
        # the same quoted strings in the other order
        (
            "Replace every occurrence of 'foo' with 'bar' in a file using sed.",
            "Replace every occurrence of 'bar' with 'foo' in a file using sed.",
        ),
        # separators are quoted strings too
        (
            "Join a list of strings with ', ' as the separator.",
            "Join a list of strings with ' | ' as the separator.",
        ),
        # sort keys in order
        (
            "Sort a list of strings by length, then alphabetically.",
            "Sort a list of strings alphabetically, then by length.",
        ),
        # quantifiers: only vs at least one; counts vs the things
        (
            "Check whether a string contains only letters.",
            "Check whether a string contains at least one letter.",
        ),
        (
            "Return the number of lines in a file that match a regex.",
            "Return the lines in a file that match a regex.",
        ),
        # one action for another, where one of them is a loose class member
        (
            "Write a Python function that counts the vowels in a string.",
            "Write a Python function that removes the vowels from a string.",
        ),
        ("Create a git branch named feature.", "Delete a git branch named feature."),
        (
            "Write a Python function that hashes a password with bcrypt.",
            "Write a Python function that verifies a password against a bcrypt hash.",
        ),
        ("Parse a 'YYYY-MM-DD' string into a date object.", "Format a date object as a 'YYYY-MM-DD' string."),
        # a count stays a count when written in words
        ("Return users who have at least one order.", "Return users who have exactly one order."),
    ],
)
def test_held_out_near_misses_are_rejected(first: str, second: str) -> None:
    assert not check_prompts(second, first).ok
    assert not check_prompts(first, second).ok


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Base64-encode a string in Python", "How do I encode a string as base64 in Python?"),
        (
            "Write a function that merges two sorted arrays.",
            "Implement a function merging two sorted arrays.",
        ),
        (
            "Write a regex that finds all numbers in a string.",
            "Give me a regular expression that finds every number in a string.",
        ),
        (
            "Write a Python function that computes the SHA-256 hash of a file.",
            "How do I compute a file's SHA-256 hash with a Python function?",
        ),
        (
            "Return the lines of a file that do not match a regex.",
            "Return the lines of a file which don't match a regex.",
        ),
        (
            "Write a Kotlin data class Person with name and age.",
            "Create a Kotlin data class called Person having name and age properties.",
        ),
        (
            "Write a SQL query that returns customers with at least 3 orders.",
            "Give me a SQL query that finds the customers who have 3 or more orders.",
        ),
        (
            "Write a function that flattens a list of lists.",
            "Create a function to flatten a list of lists into a single list.",
        ),
        (
            "Write a Python function that converts Celsius to Fahrenheit.",
            "Please write a Python function to convert a temperature from Celsius into Fahrenheit.",
        ),
        ("Find all hidden files in a directory", "How do I list all the hidden files in a directory?"),
        (
            "Write a Python function that returns all prime numbers less than 100.",
            "Write a Python function which returns every prime below 100.",
        ),
        (
            "Write a Python function that reads a YAML file and returns a dict.",
            "Create a Python function to load a YAML file and return it as a dict.",
        ),
    ],
)
def test_held_out_paraphrases_pass(first: str, second: str) -> None:
    assert check_prompts(second, first).ok, check_prompts(second, first).reasons


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # command-line flags are literals
        ("What does the -r flag do in cp?", "What does the -p flag do in cp?"),
        ("Run git push with --force.", "Run git push with --dry-run."),
        # a yes/no verdict is not the things found
        ("Check if a list contains duplicates", "Return the duplicates in a list"),
        ("Detect whether a string has repeated characters.", "Find the repeated characters in a string."),
        # `write` is the task when something is written somewhere
        ("Write a JSON file in Node.js.", "Read a JSON file in Node.js."),
        ("Write a list of strings to a file.", "Read a list of strings from a file."),
        # elaborations may be added, not swapped; `9am` is not `9pm`
        ("Return the names of the files in a directory.", "Return the contents of the files in a directory."),
        (
            "Write a cron expression that runs every day at 9am.",
            "Write a cron expression that runs every day at 9pm.",
        ),
        # a generic element type said by one prompt only, but not another container
        ("Reverse a string.", "Reverse a list of strings."),
        ("Verify a password against a bcrypt hash.", "Hash a password with bcrypt."),
    ],
)
def test_new_near_misses_are_rejected(first: str, second: str) -> None:
    assert not check_prompts(second, first).ok
    assert not check_prompts(first, second).ok


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Read a file line by line in Go", "Go: how do I read a file one line at a time?"),
        (
            "Check if two strings are anagrams of each other",
            "Determine whether two strings are anagrams of one another",
        ),
        (
            "Install a specific version of a package with pip",
            "pip: how do I install a particular version of a package?",
        ),
        ("Print the 5th column of a CSV file with awk", "Using awk, print the fifth column of a CSV file"),
        ("Rename a column in PostgreSQL", "How to change a column's name in Postgres"),
        (
            "Remove duplicates from an array in JavaScript",
            "JavaScript: how do I get rid of duplicate values in an array?",
        ),
        (
            "Remove all whitespace from a string in JavaScript",
            "How do I delete every whitespace character from a JavaScript string?",
        ),
        ("Detect a cycle in a linked list", "How can I tell whether a linked list has a cycle?"),
        ("Iterate over a map in Go", "How do I loop over all entries of a map in Go?"),
        (
            "Read a file into a string in Java",
            "How can I read the entire contents of a file into a String in Java?",
        ),
        (
            "Write a function that finds two numbers in an array that add up to a target in O(n) time.",
            "In O(n) time, find two numbers in an array whose sum equals a target; write the function.",
        ),
    ],
)
def test_new_paraphrases_pass(first: str, second: str) -> None:
    assert check_prompts(second, first).ok, check_prompts(second, first).reasons
    assert check_prompts(first, second).ok, check_prompts(first, second).reasons


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Reverse an array in JavaScript.", "JavaScript: how can I reverse an array?"),
        (
            "Write a function that reverses a string.",
            "Please write a function in Python that reverses a string.",
        ),
        ("Hash a password with bcrypt.", "How do I hash a password with bcrypt in a Python function?"),
        ("Find all permutations of a string.", "Generate all permutations of a string."),
        ("Rust: sort a vector of floats", "Rust - sort a vector of floats"),
        ("JS - pause for 2 seconds", "JavaScript: pause for 2 seconds"),
        ("C: check whether an int is a power of 2", "Check whether an int is a power of 2 in C"),
        ("R: read a CSV file into a data frame", "Read a CSV file into a data frame in R"),
    ],
)
def test_request_wording_is_canonical(first: str, second: str) -> None:
    """Topic prefixes, question leads, request verbs and `in a Python function` do not reach the model."""
    assert embedding_text(first) == embedding_text(second)


def test_write_stays_when_it_is_the_task() -> None:
    def body(prompt: str) -> str:
        return embedding_text(prompt).split(": ", 1)[1]

    assert "write" in body("Write a JSON file in Node.js.")
    assert "write" in body("Python: how do I write a list of dicts out to a CSV file?")
    assert "write" not in body("Write a Python function that reads a JSON file.")
    assert "write" not in body("Using a regex, write a function that validates an email.")
