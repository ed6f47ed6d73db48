"""Ordered pairs of words around link words: what tells `tabs with spaces` from `spaces with tabs`.

For each link word (`to`, `with`, `by`, `of`, `in`, `using`...) the words on either side form a triple
(`sort`, `by`, `start`); the guard compares triples between prompts (guard.py). Determiners and counts
(`two queues`) are skipped so that the triple links the things themselves.
"""

from __future__ import annotations

import itertools
import re

from app.cache.lexicon import NEGATIONS, NUMBER_WORDS

__all__ = ["DETERMINERS", "links", "stem"]

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
    raw = [word for word in re.findall(r"[\w+#]+", text.lower()) if word not in DETERMINERS]
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
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
