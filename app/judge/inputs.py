"""Extra inputs nobody wrote an expected output for: where candidates can still disagree.

Sources, in order: variations of the example arguments (same types and shapes: neighbours, reversed,
duplicated, shortened, empty), edge values by type (empty, zero, negative, single element, duplicates,
long), and, when the prompt has no examples, values built from the signature's type hints. One argument
varies at a time; the others keep an example's values, so inputs stay close to the function's domain.
Deterministic for a given seed.
"""

from __future__ import annotations

import ast
import random
from collections import Counter
from collections.abc import Iterable
from typing import Any

from app.judge.values import literal_value

__all__ = ["candidate_hints", "example_arguments", "generate_inputs", "signature_hints"]

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


def signature_hints(prompt: str, entry_point: str) -> list[str] | None:
    """Annotation text per positional parameter of `def entry_point(...)` in the prompt ("" when absent)."""
    try:
        tree = ast.parse(prompt)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == entry_point:
            params = [arg for arg in node.args.args if arg.arg not in ("self", "cls")]
            return [ast.unparse(arg.annotation) if arg.annotation else "" for arg in params]
    return None


def candidate_hints(codes: Iterable[str], entry_point: str) -> list[str] | None:
    """Type hints for the entry point's parameters as the answers declare them, by majority; where
    nobody annotates, a guess from the parameter's name (`nums` → list[int], `s` → str, `n` → int)."""
    signatures: list[list[tuple[str, str]]] = []
    for code in codes:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == entry_point:
                params = [a for a in node.args.args if a.arg not in ("self", "cls")]
                signatures.append(
                    [(a.arg, ast.unparse(a.annotation) if a.annotation else "") for a in params]
                )
    if not signatures:
        return None
    arity = Counter(len(sig) for sig in signatures).most_common(1)[0][0]
    same = [sig for sig in signatures if len(sig) == arity]
    hints = []
    for position in range(arity):
        annotations = Counter(sig[position][1] for sig in same if sig[position][1])
        if annotations:
            hints.append(annotations.most_common(1)[0][0])
        else:
            hints.append(_guess_from_name(Counter(sig[position][0] for sig in same).most_common(1)[0][0]))
    return hints


_NAME_HINTS = (
    (("s", "text", "string", "word", "sentence", "st", "txt", "phrase", "name", "expr", "expression"), "str"),
    (
        (
            "nums",
            "numbers",
            "arr",
            "array",
            "lst",
            "list",
            "xs",
            "values",
            "items",
            "data",
            "seq",
            "l",
            "ints",
            "digits",
            "scores",
            "prices",
            "heights",
        ),
        "list[int]",
    ),
    (("words", "strings", "names", "strs", "tokens", "lines"), "list[str]"),
    (
        (
            "n",
            "k",
            "m",
            "x",
            "y",
            "i",
            "j",
            "num",
            "number",
            "count",
            "limit",
            "target",
            "base",
            "size",
            "index",
            "idx",
            "year",
            "start",
            "end",
            "a",
            "b",
            "value",
            "amount",
            "steps",
            "length",
            "width",
            "height",
        ),
        "int",
    ),
    (("flag", "reverse", "strict", "ascending", "descending"), "bool"),
)


def _guess_from_name(name: str) -> str:
    lowered = name.lower()
    for names, hint in _NAME_HINTS:
        if lowered in names:
            return hint
    if lowered.endswith(("str", "string", "text", "word")):
        return "str"
    if lowered.endswith(("list", "nums", "numbers", "arr", "values")):
        return "list[int]"
    if lowered.endswith(("count", "num", "len", "index", "size")):
        return "int"
    return ""


def generate_inputs(
    examples: list[tuple[Any, ...]],
    hints: list[str] | None,
    entry_point: str,
    *,
    limit: int = 24,
    seed: int = 0,
) -> list[str]:
    """Call expressions for `entry_point` on new inputs (none equal to an example's)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible inputs, not secrets
    seeds = examples or _from_hints(hints or [], rng)
    if not examples:  # hint-built seeds may repeat
        seeds = list({repr(args): args for args in seeds}.values())
    arity = {len(args) for args in seeds}
    seen = {repr(args) for args in examples}
    calls: list[str] = []
    own = [] if examples else seeds  # hint-built seeds are inputs in their own right
    for args in [*own, *_variations(seeds, rng)]:
        if len(args) not in arity:
            continue
        key = repr(args)
        if key in seen:
            continue
        seen.add(key)
        calls.append(f"{entry_point}({', '.join(repr(arg) for arg in args)})")
    rng.shuffle(calls)
    return calls[:limit]


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
        longer = (items * (1 + _MAX_LEN // max(1, len(items))))[:_MAX_LEN]
        shuffled = items[:]
        rng.shuffle(shuffled)
        variants += [longer, shuffled]
        if depth < 2:
            for variant in _variants(items[0], rng, depth + 1)[:3]:
                variants.append([variant, *items[1:]])
    return variants


def _from_hints(hints: list[str], rng: random.Random) -> list[tuple[Any, ...]]:
    if not hints or not all(hints):
        return []
    choices = [_values_for(hint.replace(" ", "")) for hint in hints]
    if not all(choices):
        return []
    return [tuple(rng.choice(options) for options in choices) for _ in range(8)]


def _values_for(hint: str) -> list[Any]:
    lowered = hint.lower()
    for prefix in ("optional[", "typing.optional["):
        if lowered.startswith(prefix):
            return _values_for(hint[len(prefix) : -1])
    simple: dict[str, list[Any]] = {
        "int": [0, 1, -3, 7, 12, 100],
        "float": [0.0, 1.5, -2.25, 10.0],
        "str": ["", "a", "abc", "Hello World", "racecar", "a1b2"],
        "bool": [True, False],
    }
    if lowered in simple:
        return simple[lowered]
    for container in ("list[", "tuple[", "set[", "sequence["):
        if lowered.startswith(container) and lowered.endswith("]"):
            inner = _values_for(hint[len(container) : -1].split(",", 1)[0])
            if not inner:
                return []
            values = [[], inner[:1], inner[:3], inner[::-1], inner + inner[:2]]
            return [tuple(v) for v in values] if container == "tuple[" else values
    if lowered in ("list", "tuple"):
        return [[], [1], [3, 1, 2], [1, 1, 2]]
    return []


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
