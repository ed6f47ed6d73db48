"""Extra inputs nobody wrote an expected output for: where candidates can still disagree.

Sources: variations of the example arguments, one argument at a time (neighbours, reversed, duplicated,
shortened, empty, case changes: edge values of the same type and shape), random draws from the domain
the examples show (domain.py), and ties between arguments. When the prompt has no examples, starting
values come from type hints (hints.py). Deterministic for a given seed.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Iterable, Sequence
from typing import Any

from app.judge.domain import Domain
from app.judge.hints import seeds_from_hints
from app.judge.values import literal_value

__all__ = ["example_arguments", "generate_inputs"]

_MAX_LEN = 40


def example_arguments(calls: Iterable[str], entry_point: str) -> list[tuple[Any, ...]]:
    """Literal positional arguments of every example call `entry_point(...)`."""
    found: list[tuple[Any, ...]] = []
    for call in calls:
        try:
            node = ast.parse(call, mode="eval").body
        except SyntaxError:
            continue
        if not (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == entry_point
        ):
            continue
        if node.keywords:
            continue
        values = [literal_value(ast.unparse(arg)) for arg in node.args]
        if all(ok for ok, _ in values):
            found.append(tuple(value for _, value in values))
    return found


def generate_inputs(
    examples: list[tuple[Any, ...]],
    hints: list[str] | None,
    entry_point: str,
    *,
    prompt: str = "",
    codes: Sequence[str] = (),
    limit: int = 48,
    seed: int = 0,
) -> list[str]:
    """Call expressions for `entry_point` on new inputs (none equal to an example's).

    A third each, at most: variations of single arguments, fresh draws from the examples' domain, and
    ties between arguments (a number set to an element of a list argument: where `<` and `<=` differ).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible inputs, not secrets
    seeds = examples or list({repr(a): a for a in seeds_from_hints(hints or [], rng)}.values())
    if not seeds:
        return []
    arity = {len(args) for args in seeds}
    domain = Domain.learn(seeds, prompt, codes)
    share = max(1, limit // 3)
    own = [] if examples else seeds  # hint-built seeds are inputs in their own right
    variations = list(_variations(seeds, rng))
    rng.shuffle(variations)
    drawn = [tuple(domain.resample(value, rng) for value in rng.choice(seeds)) for _ in range(share * 2)]
    tied = list(_ties(seeds, rng))[:share]
    seen = {repr(args) for args in examples}
    calls: list[str] = []
    for group in (own, tied, variations[:share], drawn, variations[share:]):
        for args in group:
            key = repr(args)
            if len(args) in arity and key not in seen and len(calls) < limit:
                seen.add(key)
                calls.append(f"{entry_point}({', '.join(repr(arg) for arg in args)})")
    return calls


def _ties(seeds: list[tuple[Any, ...]], rng: random.Random) -> Iterable[tuple[Any, ...]]:
    """Arguments where a scalar equals an element (or the length) of a sequence argument."""
    for args in seeds:
        for position, value in enumerate(args):
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                continue
            for other in args:
                if isinstance(other, list | tuple) and other:
                    same_kind = [item for item in other if type(item) is type(value)]
                    for choice in [*rng.sample(same_kind, min(2, len(same_kind))), len(other)]:
                        if type(choice) is type(value):
                            yield (*args[:position], choice, *args[position + 1 :])


def _variations(seeds: list[tuple[Any, ...]], rng: random.Random) -> Iterable[tuple[Any, ...]]:
    for args in seeds:
        for position, value in enumerate(args):
            for variant in _variants(value, rng):
                yield (*args[:position], variant, *args[position + 1 :])


def _variants(value: Any, rng: random.Random, depth: int = 0) -> list[Any]:
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return _unique([value + 1, value - 1, 0, 1, -value, value * 2 + 1, rng.randint(-20, 50)], value)
    if isinstance(value, float):
        return _unique([value + 0.5, -value, 0.0, value * 3, round(rng.uniform(-10, 10), 3)], value)
    if isinstance(value, str):
        return _unique(_string_variants(value, rng), value)
    if isinstance(value, list | tuple):
        return _unique([type(value)(v) for v in _sequence_variants(list(value), rng, depth)], value)
    if isinstance(value, dict):
        items = list(value.items())
        variants: list[Any] = [{}, dict(items[:1]), dict(items[::-1])]
        if items:
            key, inner = items[0]
            variants += [{**value, key: variant} for variant in _variants(inner, rng, depth + 1)[:2]]
        return _unique(variants, value)
    if isinstance(value, set | frozenset):
        items = sorted(value, key=repr)
        return _unique([type(value)(), type(value)(items[:1]), type(value)(items[1:])], value)
    return []


def _string_variants(text: str, rng: random.Random) -> list[str]:
    alphabet = "".join(sorted(set(text))) or "abc"
    random_text = "".join(rng.choice(alphabet) for _ in range(min(_MAX_LEN, max(3, len(text) + 2))))
    return ["", text[:1], text[::-1], text + text[:1], text[1:], text.upper(), text.lower(), text.swapcase(),
            text + " " + text[:2], random_text]  # fmt: skip


def _sequence_variants(items: list[Any], rng: random.Random, depth: int) -> list[list[Any]]:
    variants = [[], items[:1], items[::-1], items + items[:1], items[1:], sorted(items, key=_sort_key)]
    if items:
        shuffled = items[:]
        rng.shuffle(shuffled)
        variants.append(shuffled)  # (long inputs come from the domain draws, without repeats)
        if depth < 2:
            for variant in _variants(items[0], rng, depth + 1)[:3]:
                variants.append([variant, *items[1:]])
    return variants


def _sort_key(value: Any) -> tuple[str, str]:
    return (type(value).__name__, repr(value))


def _unique(values: list[Any], original: Any) -> list[Any]:
    out: list[Any] = []
    seen = {repr(original)}
    for value in values:
        key = repr(value)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out
