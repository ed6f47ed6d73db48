"""The guard's view of a prompt (Features) and the stream features.py builds it from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Builder", "Features", "Item"]


@dataclass(frozen=True)
class Features:
    terms: Mapping[str, frozenset[str]]  # class -> values named; also identifier, quoted, code, complexity
    numbers: tuple[str, ...]  # every number, in order (`shape (3, 4)` is not `shape (4, 3)`)
    roles: Mapping[tuple[str, str], frozenset[str]]  # (class, value) -> {"src", "dst"}
    negations: int
    words: frozenset[str] = field(default_factory=frozenset)  # lowercased prose words
    links: frozenset[tuple[str, str, str]] = field(default_factory=frozenset)  # (tabs, with, spaces)
    content: tuple[str, ...] = ()  # canonical content words, in order (canonical.py)
    compound: tuple[str, ...] = ()  # the same with `X of Y` said `Y X` (canonical.content_sequences)
    tokens: frozenset[str] = field(default_factory=frozenset)  # every prose word and number, stemmed
    pairs: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # adjacent tokens (`python dict`)
    sources: frozenset[str] = field(default_factory=frozenset)  # words before `to`, after `from`
    targets: frozenset[str] = field(default_factory=frozenset)  # words after `to`, before `from`
    literals: tuple[str, ...] = ()  # quoted strings in order (`'foo' with 'bar'` vs `'bar' with 'foo'`)
    persons: tuple[str, ...] = ()  # `i` and `me` in order: `users who follow me` vs `users I follow`
    answer: str = ""  # `yes/no`, `items` or unsaid (canonical.py)
    lead: str = ""  # `use` or `implement` when the request opens with it (canonical.py)
    explains: str = ""  # `explain` or `question` when an explanation is asked for (canonical.py)
    # (class, value) of every class member and name, first mention first (`expand collapsed rows`).
    sequence: tuple[tuple[str, str], ...] = ()
    reads: frozenset[str] = field(default_factory=frozenset)  # reading verbs (`get`, `find`) said
    every: frozenset[str] = field(default_factory=frozenset)  # nouns after `all`/`every`/`each` (stems)
    single: frozenset[str] = field(default_factory=frozenset)  # nouns after `a`/`an`/`one` (stems)
    each: frozenset[str] = field(default_factory=frozenset)  # nouns after `each`/`every`: one at a time
    returned: tuple[str, ...] = ()  # the word after each `return` (`return the pair`)
    names: tuple[str, ...] = ()  # every identifier mention, in order (`s is a subsequence of t`)
    negated: tuple[str, ...] = ()  # the word after each negation, sorted (`not writable`)


@dataclass
class Item:
    kind: str  # feature | number | word | conn | punct
    text: str = ""
    key: tuple[str, str] = ("", "")  # (class, value) for features and numbers
    roles: set[str] = field(default_factory=set)


@dataclass
class Builder:
    items: list[Item] = field(default_factory=list)
    negations: int = 0
    words: set[str] = field(default_factory=set)
    links: set[tuple[str, str, str]] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)
    pairs: set[tuple[str, str]] = field(default_factory=set)
    persons: list[str] = field(default_factory=list)
    every: set[str] = field(default_factory=set)
    single: set[str] = field(default_factory=set)
    each: set[str] = field(default_factory=set)
    returned: list[str] = field(default_factory=list)
    params: set[str] = field(default_factory=set)  # parameter names of signatures (`divide(a, b)`)
    negated: list[str] = field(default_factory=list)
    letter_b: bool = False  # `b` stands alone somewhere: then `a` may be a variable too
    variables: bool = False  # two single letters or more stand alone: they are variables
    capitals: bool = False  # a capital letter other than `C`, `R` and `I` stands alone (`A`, `B`)

    def feature(self, cls: str, value: str) -> None:
        self.items.append(Item("feature", value, (cls, value)))

    def boundary(self) -> None:
        self.items.append(Item("punct"))
