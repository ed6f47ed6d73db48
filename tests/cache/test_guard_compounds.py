"""`content_sequences`: the compound reading of `the X of Y` the guard's word-order check may use (the
guard cases themselves are in test_guard_wording.py)."""

from __future__ import annotations

import pytest

from app.cache.canonical import content_sequences, embedding_text
from app.cache.guard import check_prompts


def test_compound_moves_the_noun_run_before_of_behind_what_follows() -> None:
    plain, compound = content_sequences("Show the logs of a Docker container")
    assert plain == ("log", "docker", "container")
    assert compound == ("docker", "container", "log")


def test_without_of_the_compound_is_the_plain_order() -> None:
    assert content_sequences("Sort a list") == (("sort",), ("sort",))
    plain, compound = content_sequences("Compute the sum of the squares of a list")
    assert plain == compound  # lexicon words only: nothing to turn


@pytest.mark.parametrize("verb", ["pull", "filter", "throw", "cut"])
@pytest.mark.parametrize("particle", ["out", "away", "down"])
def test_every_split_verb_and_particle_reads_without_error(verb: str, particle: str) -> None:
    # `filter a list down to the even ones` once raised KeyError: no joined verb for `filter ... down`.
    prompt = f"Java streams: {verb} a list of integers {particle} to the even ones"
    assert embedding_text(prompt).startswith("write a java function:")
    assert check_prompts(prompt, prompt).ok


def test_a_topic_goes_where_a_question_names_it() -> None:
    # `Docker: remove all unused images` reads as `How do I remove all unused images in Docker?` does.
    assert (
        embedding_text("Docker: remove all unused images")
        == "write a function: remove all unused images in docker"
    )
    assert (
        embedding_text("In PostgreSQL, how can I create a user?")
        == "write a function: create a user in postgresql"
    )
    assert embedding_text("Rust: sort a Vec") == "write a rust function: sort a vector"
