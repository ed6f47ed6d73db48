"""`content_sequences`: the compound reading of `the X of Y` the guard's word-order check may use (the
guard cases themselves are in test_guard_wording.py)."""

from __future__ import annotations

from app.cache.canonical import content_sequences


def test_compound_moves_the_noun_run_before_of_behind_what_follows() -> None:
    plain, compound = content_sequences("Show the logs of a Docker container")
    assert plain == ("log", "docker", "container")
    assert compound == ("docker", "container", "log")


def test_without_of_the_compound_is_the_plain_order() -> None:
    assert content_sequences("Sort a list") == (("sort",), ("sort",))
    plain, compound = content_sequences("Compute the sum of the squares of a list")
    assert plain == compound  # lexicon words only: nothing to turn
