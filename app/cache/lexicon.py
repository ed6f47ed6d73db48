"""Closed word classes whose members are mutually exclusive: two prompts that name different members of a
class ask different things, however close their embeddings are.

Each class maps a canonical value to the phrases that name it (lowercase words; plurals are added for
nouns). Synonyms share a value (`dict` = `dictionary` = `hash map`), so paraphrases still match. The
guard compares, class by class, the set of values each prompt names (see guard.py); the phrase lists are
data, the mechanism does not know any particular pair.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.cache.vocabulary import VOCABULARY

__all__ = [
    "CASE_SENSITIVE",
    "CLASSES",
    "CONNECTIVES",
    "FILLERS",
    "NEGATIONS",
    "NUMBER_WORDS",
    "PHRASES",
    "VERB_CLASSES",
    "TermClass",
]


@dataclass(frozen=True)
class TermClass:
    name: str
    terms: dict[str, tuple[str, ...]]
    default: str | None = None  # the value a prompt that names none means (no language named: Python)
    loose: bool = (
        False  # only two different named values clash; naming one where the other names none is fine
    )
    nouns: bool = False  # add plural forms of single-word phrases
    spelled: frozenset[str] = field(default_factory=frozenset)  # one-word phrases that count only spelled so


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _classes(text: str) -> list[TermClass]:
    """Parse vocabulary.py's format."""
    classes: list[TermClass] = []
    header: list[str] = []
    terms: dict[str, tuple[str, ...]] = {}
    last = ""

    def close() -> None:
        if header:
            flags = dict(flag.partition("=")[::2] for flag in header[1:])
            classes.append(
                TermClass(
                    header[0],
                    dict(terms),
                    default=flags.get("default") or None,
                    loose="loose" in flags,
                    nouns="nouns" in flags,
                    spelled=frozenset(filter(None, flags.get("spelled", "").split(","))),
                )
            )
        terms.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):  # a comment: why a class is split as it is
            continue
        if line.startswith("["):
            close()
            header = line.strip("[]").split()
        elif line.startswith("="):
            terms.update({word: (word,) for word in line[1:].split()})
        elif line.startswith("|"):
            terms[last] += tuple(part.strip() for part in line[1:].split("|"))
        else:
            last, _, phrases = line.partition(":")
            terms[last] = tuple(part.strip() for part in phrases.split("|"))
    close()
    return classes


def _phrases(classes: Iterable[TermClass]) -> dict[tuple[str, ...], tuple[str, str]]:
    table: dict[tuple[str, ...], tuple[str, str]] = {}
    for term_class in classes:
        for value, surfaces in term_class.terms.items():
            for surface in surfaces:
                forms = {surface}
                if term_class.nouns and " " not in surface:
                    forms.add(_plural(surface))
                elif term_class.nouns:
                    head, _, last = surface.rpartition(" ")
                    forms.add(f"{head} {_plural(last)}")
                for form in forms:
                    table.setdefault(tuple(re.split(r"[\s-]+", form)), (term_class.name, value))
    return table


CLASSES: dict[str, TermClass] = {term_class.name: term_class for term_class in _classes(VOCABULARY)}
PHRASES: dict[tuple[str, ...], tuple[str, str]] = _phrases(CLASSES.values())
# One-word phrases that only count spelled exactly so (`Go` the language, not `go` the verb; `GET`).
CASE_SENSITIVE: dict[tuple[str, str], frozenset[str]] = {
    (term_class.name, spelling.lower()): frozenset(
        s for s in term_class.spelled if s.lower() == spelling.lower()
    )
    for term_class in CLASSES.values()
    for spelling in term_class.spelled
}
# Word sequences that look like class members but are not (`even if`, `in order to`): consumed, no feature.
FILLERS: frozenset[tuple[str, ...]] = frozenset(
    tuple(phrase.split())
    for phrase in (
        "in order to",
        "multi line",  # `a multi-line string` is a multiline one, not lines
        "in the past",  # not the `past 24 hours`
        "in order",
        "right now",
        "all right",
        "at all",
        "first of all",
        "last but not least",
        "as well as",
        "over and over",
        "no matter",
        "set up",
        "look up",
        "map over",
        "so on",
        "and so on",
        "in other words",
        "make sure",
        "the same",
        "a number of",
        "any number of",
        "e g",
        "i e",
        "one another",
        "command line",  # the shell, not lines of text
    )
)
NEGATIONS: frozenset[str] = frozenset(
    [
        "not",
        "no",
        "never",
        "without",
        "non",
        "nor",
        "neither",
        "cannot",
        "except",
        "excluding",
        "exclude",
        "excludes",
        "excluded",
        "ignore",
        "ignoring",
        "ignores",
        "skip",
        "skipping",
        "skips",
        "omit",
        "omitting",
        "omits",
        "avoid",
        "avoiding",
        "unless",
        "lacking",
    ]
)
# Classes of actions: they take no source/target role (`a function to serialize a dict to XML`).
VERB_CLASSES: frozenset[str] = frozenset(
    {"codec", "stack_op", "mutation", "insert_side", "recursion", "search"}
)
CONNECTIVES: dict[str, str] = {
    "to": "dst",
    "into": "dst",
    "from": "src",
    "->": "dst",
    "=>": "dst",
    "→": "dst",
}
NUMBER_WORDS: dict[str, int] = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
} | {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "dozen": 12,
    "single": 1,
    "once": 1,
    "twice": 2,
    "thrice": 3,
}
