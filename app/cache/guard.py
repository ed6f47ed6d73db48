"""The guard: may a cached answer to one prompt be served for another whose embedding is close?

Embeddings cannot tell `snake_case to camelCase` from `camelCase to snake_case` (0.997 with MiniLM), so
similarity only proposes; the guard decides. It compares what each prompt names, class by class
(features.py), and rejects on any difference:
- the values named in a class (types, languages, formats, polarity words, identifiers, quoted strings,
  code, ...), where a class with a default (the language: Python) counts the default when none is named;
- the multiset of numbers;
- the number of negations (`repeating` vs `non-repeating`, `using` vs `without using`);
- roles around direction words (`A to B` vs `B to A`): a thing that is the source in one prompt and the
  target in the other;
- a word in one prompt whose negated form (`sorted`/`unsorted`, `valid`/`invalid`) is in the other;
- a content word swapped for another (`the names of people` vs `the ages of people`), after the request
  wording is made canonical: paraphrases add or drop words, a different question replaces one.
A rejection is a miss, never an error: the guard errs towards asking the models again.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from app.cache.features import Features, extract_features
from app.cache.lexicon import CLASSES

__all__ = ["GuardResult", "check_prompts", "compare_features"]

# Words paraphrases add or drop without changing the task (`the original order`, `a single list`).
_FREE_WORDS = frozenset(
    [
        "original",
        "single",
        "contain",
        "has",
        "have",
        "element",
        "item",
        "entry",
        "check",
        "remove",
        "order",
        "generate",
        "convert",
        "among",
        "count",
        "total",
        "make",
        "get",
        "find",
        "compute",
        "produce",
        "create",
        "build",
        "give",
        "result",
        "output",
        "input",
        "actual",
        "respective",
        "corresponding",
        "exactly",
        "exist",
        "exists",
        "present",
        "occur",
        "appear",
        "time",
        "times",
        "amount",
        "whole",
        "entire",
        "new",
        "simple",
        "basic",
        "efficient",
        "efficiently",
        "correct",
        "correctly",
        "properly",
        "program",
        "implement",
        "implementation",
        "version",
        "given",
        "provided",
        "another",
        "together",
        "end-to-end",
        "short",
        "long-form",
        "s",
    ]
)
_NEGATING_PREFIXES = ("non", "un", "in", "im", "ir", "il", "dis")


@dataclass(frozen=True)
class GuardResult:
    ok: bool
    reasons: tuple[str, ...] = ()

    @property
    def reason_kinds(self) -> tuple[str, ...]:
        """The class of each reason (`type`, `numbers`, `negation`, `direction`...), for metrics."""
        return tuple(reason.split(":", 1)[0] for reason in self.reasons)


def check_prompts(new: str, cached: str) -> GuardResult:
    return compare_features(extract_features(new), extract_features(cached))


def compare_features(a: Features, b: Features) -> GuardResult:
    reasons: list[str] = []
    for cls in sorted(set(a.terms) | set(b.terms)):
        term_class = CLASSES.get(cls)
        default = {term_class.default} if term_class is not None and term_class.default else set()
        left, right = set(a.terms.get(cls, ())) or default, set(b.terms.get(cls, ())) or default
        if left == right:
            continue
        if term_class is not None and term_class.loose and not (left and right):
            continue
        reasons.append(f"{cls}: {_show(left)} vs {_show(right)}")
    if a.numbers != b.numbers:
        reasons.append(f"numbers: {_show(a.numbers)} vs {_show(b.numbers)}")
    if a.negations != b.negations:
        reasons.append(f"negation: {a.negations} vs {b.negations} negations")
    for key in sorted(a.roles.keys() & b.roles.keys()):
        if not a.roles[key] & b.roles[key]:
            role_a, role_b = "/".join(sorted(a.roles[key])), "/".join(sorted(b.roles[key]))
            reasons.append(f"direction: {key[1]} is {role_a} vs {role_b}")
    reasons.extend(_swapped_links(a, b))
    reasons.extend(_wording(a.content, b.content))
    for word, base in _negated_pairs(a.words, b.words) + _negated_pairs(b.words, a.words):
        reasons.append(f"negation: {word!r} vs {base!r}")
    return GuardResult(not reasons, tuple(reasons))


def _swapped_links(a: Features, b: Features) -> list[str]:
    """`tabs with spaces` vs `spaces with tabs`; `sorted by start` vs `sorted by end` when both prompts
    name both: the same words around the same link word, in other places."""
    words_a, words_b = a.tokens, b.tokens
    for first, link, second in sorted(a.links - b.links):
        if (second, link, first) in b.links:
            return [f"direction: {first} {link} {second} vs {second} {link} {first}"]
        for other_first, other_link, other_second in b.links - a.links:
            if (
                (other_first, other_link) == (first, link)
                and second in words_b
                and other_second in words_a
                and (other_second, second) not in b.pairs  # `in a Python dict` vs `in a dict in Python`
                and (second, other_second) not in a.pairs
            ):
                return [f"direction: {first} {link} {second} vs {first} {link} {other_second}"]
    return []


def _wording(a: tuple[str, ...], b: tuple[str, ...]) -> list[str]:
    """Content words (canonical wording, lexicon words aside): one swapped for another (`names` vs
    `ages`), one added that paraphrases do not add (`the length of the longest` vs `the longest`), or
    the same words in another arrangement (`strips tags but keeps text` vs `strips text but keeps tags`)."""
    only_a = sorted({word for word in a if not any(_related(word, other) for other in b)})
    only_b = sorted({word for word in b if not any(_related(word, other) for other in a)})
    if only_a and only_b:
        return [f"wording: {_show(only_a)} vs {_show(only_b)}"]
    added = [word for word in only_a + only_b if word not in _FREE_WORDS]
    if added:
        return [f"wording: {_show(added)} only in one"]
    for word, follows in _successors(a).items():
        other = _successors(b).get(word)
        if other is None or follows & other:
            continue
        moved = sorted(w for w in follows if w in b) + sorted(w for w in other if w in a)
        if len(moved) >= 2:
            return [f"wording: after {word!r}: {_show(sorted(follows))} vs {_show(sorted(other))}"]
    return []


def _successors(words: tuple[str, ...]) -> dict[str, set[str]]:
    following: dict[str, set[str]] = {}
    for first, second in itertools.pairwise(words):
        if first != second:
            following.setdefault(first, set()).add(second)
    return following


def _related(a: str, b: str) -> bool:
    """Forms of one word (`convert`/`conversion`, `parse`/`parser`): the shorter is a prefix of the
    longer, or both share their first six letters."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short if len(short) <= 6 else short[:6])


def _negated_pairs(words: frozenset[str], other: frozenset[str]) -> list[tuple[str, str]]:
    """(`unsorted`, `sorted`) when one prompt has a negated word and only the other has its base."""
    pairs = []
    for word in words - other:
        for prefix in _NEGATING_PREFIXES:
            base = word[len(prefix) :]
            if word.startswith(prefix) and len(base) >= 4 and base in other and base not in words:
                pairs.append((word, base))
    return pairs


def _show(values: object) -> str:
    items = sorted(values) if isinstance(values, set | frozenset) else list(values)  # type: ignore[call-overload]
    return "{" + ", ".join(str(item) for item in items) + "}" if items else "{}"
