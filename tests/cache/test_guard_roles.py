"""Guard cases from held-out sets D and E: numbers glued to units and numbers in order, types as code
writes them, equality operators, letter names, first-person roles and class members in order, an
action against a reading verb, all of a thing vs one."""

from __future__ import annotations

import pytest

from app.cache.canonical import embedding_text
from app.cache.features import extract_features
from app.cache.guard import check_prompts


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        (
            "In JavaScript, debounce a function with a 300ms delay",
            "In JavaScript, debounce a function with a 500ms delay",
            "numbers",
        ),
        ("Resize the image to 64px wide", "Resize the image to 128px wide", "numbers"),
        ("Plot the points in 3D", "Plot the points in 2D", "numbers"),
        (
            "Java: convert a List<Integer> to int[]",
            "Java: convert a List<Integer> to Integer[]",
            "identifier",
        ),
        (
            "Find users who follow me but I don't follow back",
            "Find users I follow who don't follow me back",
            "direction",
        ),
        (
            "Get all items in list A that are not in list B",
            "Get all items in list B that are not in list A",
            "order",
        ),
        (
            "SQL: find rows in table A with no match in table B",
            "SQL: find rows in table B with no match in table A",
            "order",
        ),
        ("Fetch a remote branch in git", "Delete a remote branch in git", "action"),
        ("Get the first item of a list", "Remove the first item of a list", "action"),
        ("Find the largest file in a folder", "Delete the largest file in a folder", "action"),
        (
            "Create a NumPy array of shape (3, 4) filled with ones.",
            "Create a NumPy array of shape (4, 3) filled with ones.",
            "numbers",
        ),
        (
            "Map host port 8080 to container port 80 in docker run.",
            "Map host port 80 to container port 8080 in docker run.",
            "numbers",
        ),
        (
            "Explain the difference between == and === in JavaScript.",
            "Explain the difference between == and = in JavaScript.",
            "identifier",
        ),
        (
            "Expand all collapsed rows in an AG Grid table.",
            "Collapse all expanded rows in an AG Grid table.",
            "order",
        ),
        (
            "Zoom in on a Leaflet map programmatically.",
            "Zoom out on a Leaflet map programmatically.",
            "toggle",
        ),
        (
            "Find a pair of numbers that sums to the target.",
            "Find all pairs of numbers that sum to the target.",
            "quantifier",
        ),
        ("Format a file size in KB in JavaScript.", "Format a file size in KiB in JavaScript.", "unit"),
        (
            "Check whether set a is a subset of set b in Python.",
            "Check whether set b is a subset of set a in Python.",
            "order",
        ),
        ("Check if string s1 contains s2.", "Check if string s2 contains s1.", "order"),
        (
            r"Python re: find all words matching [A-Z]\w+",
            r"Python re: find all words matching [a-z]\w+",
            "identifier",
        ),
        (
            r"Use the regex ^\s+ to trim a string in Java",
            r"Use the regex \s+$ to trim a string in Java",
            "identifier",
        ),
        ("What is PYTHONPATH used for?", "What is PYTHONHOME used for?", "wording"),
        ("Combine two queries with UNION", "Combine two queries with UNION ALL", "set_op"),
        (
            "Reverse each word in a sentence in JavaScript",
            "Reverse the order of words in a sentence in JavaScript",
            "quantifier",
        ),
        (
            "Check if exactly one of three booleans is true",
            "Check if at least one of three booleans is true",
            "numbers",
        ),
        (
            "Write a function that counts words in a string",
            "Write a class that counts words in a string",
            "type",
        ),
        ("Rebase the feature branch onto main.", "Rebase main onto the feature branch.", "wording"),
        (
            "Write a Python function is_subsequence(s, t) that returns True if s is a subsequence of t",
            "Write a Python function is_subsequence(s, t) that returns True if t is a subsequence of s",
            "order",
        ),
        (
            "Write a JavaScript function divide(a, b) that returns a divided by b",
            "Write a JavaScript function divide(a, b) that returns b divided by a",
            "order",
        ),
        (
            "Write a function clamp(value, min, max) in TypeScript",
            "Write a function clamp(min, max, value) in TypeScript",
            "order",
        ),
        (
            "Write a Python function that computes the set difference A minus B",
            "Write a Python function that computes the set difference B minus A",
            "order",
        ),
        (
            "Build a dict from two lists where the first list gives the keys and the second gives the values",
            "Build a dict from two lists where the first list gives the values and the second gives the keys",
            "order",
        ),
        ("Reverse a singly linked list in Java", "Reverse a doubly linked list in Java", "type"),
        (
            "Write a Python function that wraps a string in <b> tags",
            "Write a Python function that wraps a string in <i> tags",
            "identifier",
        ),
        ("Run a single test function with pytest", "Run all tests in a file with pytest", "quantifier"),
        (
            "Find the pair of numbers with the smallest difference in an array and return the pair",
            "Find the pair of numbers with the smallest difference in an array and return the difference",
            "answer",
        ),
        ("Write a function that subtracts b from a", "Write a function that subtracts a from b", "order"),
        ("Compute 2 ** 10 in Python", "Compute 2 * 10 in Python", "identifier"),
        ("Remove all elements over 100 from a list", "Remove all elements under 100 from a list", "compare"),
        (
            "List the files that are readable but not writable",
            "List the files that are writable but not readable",
            "negation",
        ),
        (
            "Find numbers not divisible by 3 but divisible by 5",
            "Find numbers divisible by 3 but not divisible by 5",
            "negation",
        ),
        ("Upgrade Node.js to version 18.10", "Upgrade Node.js to version 18.1", "numbers"),
        (
            "Implement password authentication in Django",
            "Implement passwordless authentication in Django",
            "wording",
        ),
        ("Round a float up to the nearest integer", "Round a float to the nearest integer", "rounding"),
        ("Trim the whitespace from a string", "Remove the whitespace from a string", "mutation"),
        ("Return True even if the list is empty", "Return True if the list is empty", "concession"),
        ("Check if a string contains only digits", "Check if a string contains digits", "restriction"),
        (
            "Implement the `functools.lru_cache` decorator",
            "Use the `functools.lru_cache` decorator",
            "answer",
        ),
        ("How do I reverse a string in go", "How do I reverse a string in Python", "language"),
        ("Round a number to the nearest .5", "Round a number to the nearest .05", "numbers"),
        ("What does `x -= 1` do in Python", "What does `x += 1` do in Python", "operator"),
    ],
)
def test_near_misses_are_rejected_both_ways(first: str, second: str, reason: str) -> None:
    for new, cached in ((first, second), (second, first)):
        result = check_prompts(new, cached)
        assert not result.ok, (new, cached)
        assert reason in result.reason_kinds, result.reasons


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "In JavaScript, debounce a function with a 300ms delay",
            "JavaScript: debounce a function, 300 ms delay",
        ),
        ("Java: convert a List<Integer> to int[]", "How do I convert a List<Integer> to int[] in Java?"),
        (
            "Get all items in list A that are not in list B",
            "Given lists A and B, return the items of A that are not in B",
        ),
        (
            "Find users who follow me but I don't follow back",
            "Find the users that follow me whom I don't follow back",
        ),
        (
            "Remove duplicates from a list",
            "Write a function that removes duplicates from a list and returns it",
        ),
        (
            "Remove duplicates from an array in JavaScript",
            "JavaScript: how do I get rid of duplicate values in an array?",
        ),
        (
            "Write a function that returns the sum of a list of numbers.",
            "Create a function that adds up all the numbers in a list.",
        ),
        ("Read a text file in C#", "C#: how can I read all the text from a file?"),
        (
            "Sort a slice of structs by a field in Go",
            "Go: how do I sort a slice of structs by one of their fields?",
        ),
        (
            "Implement a trie with insert and search",
            "Write a trie data structure that supports insert and search",
        ),
        ("Rename a local git branch", "How do I change the name of a local branch in git?"),
        ("Make an HTTP GET request in Go", "Go: how do I do an HTTP GET?"),
        ("Implement a singleton class in Java", "How do I write a singleton in Java?"),
        ("Get the last element of a list in Python", "Python: how do I access the final item of a list?"),
        (
            "Write divide(a, b) in JavaScript that returns a divided by b",
            "JavaScript: a function divide(a, b) returning a divided by b",
        ),
        ("Wrap a string in <b> tags in Python", "Python: how do I wrap a string in <b> tags?"),
        (
            "Regex to extract all numbers from a string in Python",
            "Python: how do I pull every number out of a string using a regex?",
        ),
        (
            "Truncate a string to 20 characters in JavaScript",
            "JavaScript: how do I cut a string down to 20 characters?",
        ),
        ("Implement breadth-first search on a graph", "How do I do a BFS traversal of a graph?"),
    ],
)
def test_paraphrases_still_pass(first: str, second: str) -> None:
    assert check_prompts(second, first).ok, check_prompts(second, first).reasons
    assert check_prompts(first, second).ok, check_prompts(first, second).reasons


def test_units_glued_to_numbers_read_as_separate_words() -> None:
    assert extract_features("Sleep 5s, then resize to 10px (max 100MB)").numbers == ("5", "10", "100")
    assert extract_features("sha256 of the 2nd file").numbers == ()
    # Idioms, not counts: `at once`, `one of their fields`; `exactly one of` still counts.
    assert extract_features("Run several tasks at once, sorted by one of their fields").numbers == ()
    assert extract_features("Check if exactly one of three flags is set").numbers == ("1", "3")
    assert embedding_text("Debounce with a 300ms delay") == embedding_text("Debounce with a 300 ms delay")
