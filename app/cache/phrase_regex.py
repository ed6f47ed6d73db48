"""One regular expression for many phrases, written as a trie: `add|adds|addition` -> `add(?:s|ition)?`.

A flat alternation of the lexicon's ~1,400 phrases makes `re` try every phrase at every position of
the prompt (~0.23 ms a prompt here, most of the guard's time); as a trie, each position costs a few
character tests. Longer phrases still win: every optional tail is greedy, and `re` backtracks to a
shorter phrase when what follows the longer one does not fit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeAlias

__all__ = ["phrase_alternation"]

_END = ""  # marks a node where a phrase ends (no token is empty)
_GAP = " "  # stands for the separator between two words (no token holds a space)
_Trie: TypeAlias = dict[str, "_Trie"]


def phrase_alternation(phrases: Iterable[str], separator: str = r"\s+") -> str:
    """A regex source matching any of `phrases` (words split on whitespace, `separator` between them).
    Compile it with re.IGNORECASE when the phrases are lowercase and case should not matter."""
    trie: _Trie = {}
    for phrase in phrases:
        node = trie
        for index, word in enumerate(phrase.split()):
            if index:
                node = node.setdefault(_GAP, {})
            for char in word:
                node = node.setdefault(char, {})
        node[_END] = {}
    return _render(trie, separator)


def _render(node: _Trie, separator: str) -> str:
    branches = [
        (separator if key == _GAP else re.escape(key)) + _render(child, separator)
        for key, child in sorted(node.items())
        if key != _END
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return f"(?:{body})?"
    return body
