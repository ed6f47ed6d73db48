"""What the entry point's parameters are: type hints from the prompt's signature or the answers' own
definitions, a guess from parameter names, and starting values built from them."""

from __future__ import annotations

import ast
import random
from collections import Counter
from collections.abc import Iterable
from typing import Any

__all__ = ["candidate_hints", "seeds_from_hints", "signature_hints"]


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


def seeds_from_hints(hints: list[str], rng: random.Random) -> list[tuple[Any, ...]]:
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
