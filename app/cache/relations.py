"""Ordered pairs of words around link words: what tells `tabs with spaces` from `spaces with tabs`.

For each link word (`to`, `with`, `by`, `of`, `in`, `using`...) the words on either side form a triple
(`sort`, `by`, `start`); the guard compares triples between prompts (guard.py). Determiners and counts
(`two queues`) are skipped so that the triple links the things themselves.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from app.cache.feature_items import Item
from app.cache.lexicon import CONNECTIVES, NEGATIONS, NUMBER_WORDS, VERB_CLASSES
from app.cache.token_words import NOT_PLURALS

__all__ = ["DETERMINERS", "assign_roles", "is_plural", "links", "sides", "stem"]

# Words whose two sides are ordered (`replace tabs with spaces`, `sort by name then age`).
_LINKS = frozenset(
    [
        "to",
        "into",
        "with",
        "by",
        "than",
        "from",
        "over",
        "before",
        "after",
        "then",
        "onto",
        "instead",
        "versus",
        "vs",
        "using",
        "via",
        "as",
        "of",
        "in",
        "for",
        "on",
        "per",
    ]
)
_LINK_STOP = frozenset(
    [
        "the",
        "and",
        "or",
        "all",
        "any",
        "each",
        "every",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "with",
    ]
)
# Words that may sit between a connective and the thing it points at (`to a list`, `into the JSON`).
DETERMINERS = frozenset(
    [
        "a",
        "an",
        "the",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "this",
        "these",
        "those",
        "each",
        "every",
        "one",
        "single",
        "new",
        "plain",
        "valid",
        "proper",
        "corresponding",
        "equivalent",
        "given",
    ]
)


def links(text: str) -> tuple[set[tuple[str, str, str]], set[tuple[str, str]]]:
    """(left, link, right) for the words around an ordering word (`2 to the power of n`), determiners
    and counts (`two queues`) skipped."""
    # `by length, then by name`: the order of the keys is what `then` links.
    text = re.sub(r"\b(?:and\s+)?then\s+by\b", "then", text.lower())
    raw = [word for word in re.findall(r"[\w+#]+", text) if word not in DETERMINERS]
    words = [
        word
        for index, word in enumerate(raw)
        if not (_is_number(word) and index + 1 < len(raw) and raw[index + 1] not in _LINKS)
    ]
    found = set()
    for index in range(1, len(words) - 1):
        left, link, right = words[index - 1], words[index], words[index + 1]
        if link in _LINKS and _content(left) and _content(right):
            found.add((stem(left), link, stem(right)))
    return found, {(stem(first), stem(second)) for first, second in itertools.pairwise(words)}


def _is_number(word: str) -> bool:
    return word in NUMBER_WORDS or word.replace(".", "", 1).isdigit()


def _content(word: str) -> bool:
    return word not in _LINKS and word not in _LINK_STOP and word not in NEGATIONS


def stem(word: str) -> str:
    """Plural to singular, lightly: `files` -> `file`, `processes` -> `process`, `matches` -> `match`."""
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if len(word) > 3 and is_plural(word) else word


def is_plural(word: str) -> bool:
    """`files`, `processes`; not `process`, `class`, `https`."""
    return word.endswith("s") and not word.endswith("ss") and word not in NOT_PLURALS


_TARGET_LINKS = frozenset(["to", "into"])
_SOURCE_LINKS = frozenset(["from"])
_SIDE_STOP = _LINK_STOP | DETERMINERS | frozenset(["it", "them"])
_SIDE_WORDS = 3


def sides(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Words on the source side and on the target side of `to`/`into`/`from` (`map status codes to
    reason phrases`: {status, code} -> {reason, phrase}), up to three on each side, within the clause.
    Words a prompt puts on both sides (`a list of strings to a list of ints`) are left out."""
    source: set[str] = set()
    target: set[str] = set()
    for clause in re.split(r"[.,;:!?()\n]", text.lower()):
        words = re.findall(r"[a-z][\w+#]*", clause)
        for index, word in enumerate(words):
            if word not in _TARGET_LINKS and word not in _SOURCE_LINKS:
                continue
            before = _side(reversed(words[:index]))
            after = _side(words[index + 1 :])
            if word in _TARGET_LINKS:
                source.update(before)
                target.update(after)
            else:
                source.update(after)
                target.update(before)
    both = source & target
    return frozenset(source - both), frozenset(target - both)


def _side(words: Iterable[str]) -> list[str]:
    taken: list[str] = []
    for word in words:
        if word in _LINKS or word in NEGATIONS or len(taken) == _SIDE_WORDS:
            break
        if word not in _SIDE_STOP and word not in NUMBER_WORDS:
            taken.append(stem(word))
    return taken


def assign_roles(items: list[Item]) -> None:
    """`X to Y` / `into Y` make Y a target and X (just before) a source; `from X` makes X a source.

    X and Y are the runs of class members next to the connective (`a CSV file to a JSON string`).
    """
    for index, item in enumerate(items):
        if item.kind != "conn":
            continue
        role = CONNECTIVES[item.text]
        ahead = index + 1
        while ahead < len(items) and items[ahead].kind == "word" and items[ahead].text in DETERMINERS:
            ahead += 1
        target = ahead < len(items) and items[ahead].kind in ("word", "feature", "number")
        while ahead < len(items) and _takes_role(items[ahead]):
            items[ahead].roles.add(role)
            ahead += 1
        if not target or role != "dst":
            continue
        for back in range(index - 1, max(-1, index - 5), -1):
            if items[back].kind in ("punct", "conn"):
                break
            if _takes_role(items[back]) and not items[back].roles:
                items[back].roles.add("src")


def _takes_role(item: Item) -> bool:
    """Things can be sources and targets; actions (`to serialize`, `to push`) cannot."""
    return item.kind == "number" or (item.kind == "feature" and item.key[0] not in VERB_CLASSES)
