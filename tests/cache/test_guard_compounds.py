"""Guard cases from held-out sets E-H: `the X of Y` is the compound `Y X`, `std::string` is a string,
`most recent` is `last`, the verbs of looking (`see`, `view`, `show`) and of reading ask for the same
thing as `get`, libraries and the command line name their language, `set` the verb is not the type."""

from __future__ import annotations

import pytest

from app.cache.canonical import content_sequences
from app.cache.guard import check_prompts

PARAPHRASES = [
    ("Git: change the last commit message", "git - edit the message of my most recent commit"),
    ("Docker: view the logs of a container", "How do I see a Docker container's logs?"),
    ("How do I change the message of the last commit in git?", "Git: edit the most recent commit message."),
    ("C++: convert an int to a string", "How can I turn an int into a std::string in C++?"),
    (
        "C++: sort a vector in descending order",
        "How do I sort a std::vector from largest to smallest in C++?",
    ),
    ("SQLite: list all tables in the database", "How do I show all tables in an SQLite database?"),
    ("Get the last N lines of a file in Python", "Python: read the final N lines of a file"),
    ("Go: read an environment variable.", "How do I get the value of an environment variable in Golang?"),
    ("TypeScript: get the keys of an enum", "TS - list the keys of an enum"),
    ("C: read a line from stdin", "C - read one line from stdin"),
    ("React: render a list of items", "JavaScript: how do I render a list of items in React?"),
    ("bash: extract a .tar.gz archive", "How do I extract a .tar.gz archive from the command line?"),
    ("Kubernetes: view the logs of a pod", "kubectl: how do I see a pod's logs?"),
    ("Rust: iterate over a vector with indices", "In Rust, how do I loop through a Vec with each index?"),
    (
        "CSS: center a div horizontally and vertically",
        "center a div both vertically and horizontally with CSS",
    ),
    ("Go: create a custom error type.", "How do I define a custom error type in Go?"),
]

NEAR_MISSES = [
    ("Compute the sum of the squares of a list", "Compute the square of the sum of a list"),
    ("Show hidden files in macOS Finder", "Hide hidden files in macOS Finder"),
    ("How do I show the hidden .git folder in VS Code?", "How do I hide the .git folder in VS Code?"),
    ("Read an environment variable in Rust.", "Set an environment variable in Rust."),
    ("Set the upstream branch in git", "Delete the upstream branch in git"),
    ("Convert a list to a set", "Convert a list to a string"),
    ("Compute the std of a list of numbers", "Compute the mean of a list of numbers"),
    ("Git: change the last commit message", "Git: change the first commit message"),
    ("Read a config file", "Write a config file"),
    ("Show the git log", "Show the git status"),
    ("React: render a list of items", "Python: render a list of items"),
    ("Parse command-line arguments with argparse", "Bash: parse command-line arguments"),
    ("How do I sort a JS array of numbers?", "How do I sort a Python list of numbers?"),
]


@pytest.mark.parametrize(("first", "second"), PARAPHRASES)
def test_paraphrases_pass_both_ways(first: str, second: str) -> None:
    assert check_prompts(first, second).ok, check_prompts(first, second).reasons
    assert check_prompts(second, first).ok, check_prompts(second, first).reasons


@pytest.mark.parametrize(("first", "second"), NEAR_MISSES)
def test_near_misses_are_rejected_both_ways(first: str, second: str) -> None:
    assert not check_prompts(first, second).ok
    assert not check_prompts(second, first).ok


def test_compound_moves_the_noun_run_before_of_behind_what_follows() -> None:
    plain, compound = content_sequences("Show the logs of a Docker container")
    assert plain == ("log", "docker", "container")
    assert compound == ("docker", "container", "log")
    assert content_sequences("Sort a list") == (("sort",), ("sort",))
