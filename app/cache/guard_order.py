"""The guard's checks of order and quantity: the same things named in another order (`s in t` vs `t in
s`, `shape (3, 4)` vs `(4, 3)`, `expand collapsed rows` vs `collapse expanded rows`), and how many or
which things are asked for (`a pair` vs `all pairs`, `each word` vs `the words`, `return the pair` vs
`return the difference`, a yes/no answer vs items)."""

from __future__ import annotations

from collections import Counter

from app.cache.feature_items import Features

__all__ = ["answer_reasons", "both_compare", "order_reasons", "show"]


def order_reasons(a: Features, b: Features) -> list[str]:
    reasons = []
    if a.literals != b.literals and sorted(a.literals) == sorted(b.literals):
        reasons.append(f"direction: quoted {show(a.literals)} vs {show(b.literals)}")
    if a.persons != b.persons and {"i", "me"} <= set(a.persons) & set(b.persons):
        reasons.append(f"direction: {' '.join(a.persons)} vs {' '.join(b.persons)}")
    if sorted(a.numbers) != sorted(b.numbers):
        reasons.append(f"numbers: {show(a.numbers)} vs {show(b.numbers)}")
    elif a.numbers != b.numbers:  # `shape (3, 4)` vs `shape (4, 3)`, `8080 to 80` vs `80 to 8080`
        reasons.append(f"numbers: {', '.join(a.numbers)} vs {', '.join(b.numbers)} in this order")
    # `X vs Y` asks what `Y vs X` asks; elsewhere the order of names is the task (`s in t` vs `t in s`).
    compared = both_compare(a, b)
    if a.names != b.names and sorted(a.names) == sorted(b.names) and not compared:
        reasons.append(f"order: names {', '.join(a.names)} vs {', '.join(b.names)}")
    # Both name `name` and `email` (in an interface), but one sorts by `name`, the other by `email`: a
    # mention moved from one name to another.
    shared = Counter(name for name in a.names if name in b.names)
    other = Counter(name for name in b.names if name in a.names)
    if shared - other and other - shared:
        reasons.append(f"names: {show(sorted(shared - other))} vs {show(sorted(other - shared))} more often")
    moved = (set(a.negated) ^ set(b.negated)) - {""}
    if len(a.negated) == len(b.negated) and moved and {w.split()[0] for w in moved} <= a.tokens & b.tokens:
        reasons.append(f"negation: not {show(a.negated)} vs not {show(b.negated)}")  # `not readable` vs ...
    return reasons + ([] if compared else _reordered(a, b))


def both_compare(a: Features, b: Features) -> bool:
    """Both ask to compare two things (`X vs Y`, `the difference between Y and X`): in either order."""
    return "contrast" in a.terms and "contrast" in b.terms


def answer_reasons(a: Features, b: Features) -> list[str]:
    reasons = []
    if {a.answer, b.answer} == {"yes/no", "items"}:
        reasons.append(f"answer: {a.answer} vs {b.answer}")
    # `Use functools.lru_cache` vs `Implement functools.lru_cache`: with a name, which one is asked.
    if {a.lead, b.lead} == {"use", "implement"} and _library_name(a) and _library_name(b):
        reasons.append(f"answer: {a.lead} vs {b.lead}")
    # `Explain quicksort` vs `Implement quicksort`: an explanation, asked for or not.
    # `props vs state` asks for an explanation as `explain the difference between props and state` does.
    explanations = {"explain", "question", ""} if both_compare(a, b) else {"explain", "question"}
    if "explain" in {a.explains, b.explains} and not {a.explains, b.explains} <= explanations:
        reasons.append(f"answer: {a.explains or 'code'} vs {b.explains or 'code'}")
    # `returns whether ...` is `returns true if ... and false otherwise`.
    handed = set(a.returned) ^ set(b.returned)
    if (
        len(handed) > 1 and handed <= a.tokens & b.tokens and not handed <= {"whether", "true", "false"}
    ):  # `return the pair` vs `return the difference`
        reasons.append(f"answer: returns {show(a.returned)} vs {show(b.returned)}")
    many = sorted(((a.every - b.every) & b.single) | ((b.every - a.every) & a.single))
    if many:  # `find all pairs` vs `find a pair`
        reasons.append(f"quantifier: all vs one {show(many)}")
    apart = _each_vs_plural(a, b) + _each_vs_plural(b, a)
    if apart:  # `reverse each word` vs `reverse the words`: one at a time, or all together
        reasons.append(f"quantifier: each vs all {show(apart)}")
    return reasons


# Classes whose members a paraphrase may name in any order (`a list of numbers`, `the numbers in a list`);
# direction among them is the roles' business.
_UNORDERED = frozenset({"type", "format", "unit", "language", "human_language", "library", "axis"})


def _each_vs_plural(a: Features, b: Features) -> list[str]:
    """Nouns `a` takes one at a time (`each word`) that `b` names in the plural with no `each` or `all`."""
    if b.each or b.every or {"each", "every", "all"} & b.words:
        return []
    return [noun for noun in a.each if {noun + "s", noun + "es"} & b.words]


def _reordered(a: Features, b: Features) -> list[str]:
    """The same members of a class or the same names, mentioned in another order: `expand collapsed
    rows` vs `collapse expanded rows`, `s1 contains s2` vs `s2 contains s1`."""
    reasons = []
    for cls in sorted(({cls for cls, _ in a.sequence} & {cls for cls, _ in b.sequence}) - _UNORDERED):
        order_a = [value for kind, value in a.sequence if kind == cls]
        order_b = [value for kind, value in b.sequence if kind == cls]
        if len(order_a) > 1 and order_a != order_b and sorted(order_a) == sorted(order_b):
            reasons.append(f"order: {cls} {', '.join(order_a)} vs {', '.join(order_b)}")
    return reasons


def _library_name(features: Features) -> bool:
    return any(len(name) > 1 for name in features.terms.get("identifier", ()))


def show(values: object) -> str:
    """`{a, b}`: sets sorted, sequences in their order."""
    items = sorted(values) if isinstance(values, set | frozenset) else list(values)  # type: ignore[call-overload]
    return "{" + ", ".join(str(item) for item in items) + "}" if items else "{}"
