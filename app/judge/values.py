"""Values as the sandbox harness encodes them (tagged JSON), and how two of them are compared.

Tags: n None, b bool, i int (as text), f float (number, or "nan"/"inf" text), c complex, s str, y bytes
(hex), l list, t tuple, S set, d dict (sorted [key, value] pairs), r repr of anything else.

Comparison is deliberately a little lenient where models differ without being wrong: floats within
1e-6 (relative or absolute), an int equal to a float (2 == 2.0), a list equal to a tuple with the same
items. Everything else must match exactly; `True` is not `1`.
"""

from __future__ import annotations

import ast
import math
from typing import Any

__all__ = ["ABS_TOL", "REL_TOL", "describe", "encode", "literal_value", "same_value"]

REL_TOL = 1e-6
ABS_TOL = 1e-6
Encoded = list[Any]


def encode(value: Any, depth: int = 0) -> Encoded:
    """Host-side twin of the harness encoder, for expected values parsed from prompts."""
    if depth > 40:
        return ["r", "<too deep>"]
    if value is None:
        return ["n"]
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int):
        return ["i", str(value)]
    if isinstance(value, float):
        return ["f", value if math.isfinite(value) else repr(value)]
    if isinstance(value, complex):
        return ["c", [encode(value.real), encode(value.imag)]]
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, bytes | bytearray):
        return ["y", bytes(value).hex()]
    if isinstance(value, list | range):
        return ["l", [encode(item, depth + 1) for item in value]]
    if isinstance(value, tuple):
        return ["t", [encode(item, depth + 1) for item in value]]
    if isinstance(value, set | frozenset):
        return ["S", sorted((encode(item, depth + 1) for item in value), key=repr)]
    if isinstance(value, dict):
        return [
            "d",
            sorted(([encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()), key=repr),
        ]
    return ["r", repr(value)]


_SAFE_CALLS = {
    "set": set,
    "frozenset": frozenset,
    "tuple": tuple,
    "list": list,
    "dict": dict,
    "float": float,
    "int": int,
    "str": str,
}


def literal_value(text: str) -> tuple[bool, Any]:
    """Parse an expected value written in a prompt; (False, None) when it is not a plain value.

    Accepts Python literals plus a few harmless constructors seen in prompts (`set()`, `float('inf')`,
    `tuple([1, 2])`); never evaluates anything else.
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return False, None
    try:
        return True, _evaluate(tree.body)
    except (ValueError, TypeError, KeyError, OverflowError, MemoryError, RecursionError):
        return False, None


def _evaluate(node: ast.AST) -> Any:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SAFE_CALLS:
        if node.keywords or len(node.args) > 1:
            raise ValueError("unsupported call")
        args = [_evaluate(arg) for arg in node.args]
        return _SAFE_CALLS[node.func.id](*args)
    if isinstance(node, ast.List):
        return [_evaluate(item) for item in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_evaluate(item) for item in node.elts)
    if isinstance(node, ast.Set):
        return {_evaluate(item) for item in node.elts}
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise ValueError("dict unpacking")
        return {
            _evaluate(k): _evaluate(v) for k, v in zip(node.keys, node.values, strict=True) if k is not None
        }
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Add | ast.Sub | ast.Div | ast.Pow):
        return _arith(node)
    return ast.literal_eval(node)


def _arith(node: ast.BinOp) -> Any:
    """Small arithmetic in expected values (`2**10`, `1/3`, `'ab' * 3`), bounded in size."""
    left, right = _evaluate(node.left), _evaluate(node.right)
    if isinstance(node.op, ast.Pow):
        if not isinstance(right, int | float) or abs(right) > 256:
            raise ValueError("exponent too large")
        return left**right
    if isinstance(node.op, ast.Mult) and isinstance(right, int) and right > 100_000:
        raise ValueError("repetition too large")
    if isinstance(node.op, ast.Mult):
        return left * right
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    return left / right


def same_value(a: Encoded, b: Encoded) -> bool:
    tag_a, tag_b = a[0], b[0]
    if tag_a in ("i", "f") and tag_b in ("i", "f"):
        return _same_number(a, b)
    if {tag_a, tag_b} <= {"l", "t"}:
        return _same_items(a[1], b[1])
    if tag_a != tag_b:
        return False
    if tag_a == "n":
        return True
    if tag_a in ("S", "c"):
        return _same_items(a[1], b[1])
    if tag_a == "d":
        return len(a[1]) == len(b[1]) and all(
            same_value(ka, kb) and same_value(va, vb) for (ka, va), (kb, vb) in zip(a[1], b[1], strict=True)
        )
    return bool(a[1] == b[1])


def _same_items(a: list[Encoded], b: list[Encoded]) -> bool:
    return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))


def _same_number(a: Encoded, b: Encoded) -> bool:
    x, y = _number(a), _number(b)
    if isinstance(x, int) and isinstance(y, int):
        return x == y
    fx, fy = float(x), float(y)
    if math.isnan(fx) or math.isnan(fy):
        return math.isnan(fx) and math.isnan(fy)
    return math.isclose(fx, fy, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def _number(encoded: Encoded) -> int | float:
    if encoded[0] == "i":
        return int(encoded[1])
    raw = encoded[1]
    return float(raw) if isinstance(raw, int | float | str) else math.nan


def describe(encoded: Encoded, limit: int = 80) -> str:
    """A short Python-looking rendering for explanations."""
    text = _render(encoded)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _render(encoded: Encoded) -> str:
    tag = encoded[0]
    body = encoded[1] if len(encoded) > 1 else None
    if tag == "n":
        return "None"
    if tag in ("b", "i"):
        return str(body)
    if tag == "f":
        return str(body) if isinstance(body, str) else repr(float(body or 0))
    if tag == "s":
        return repr(body)
    if tag == "y":
        return repr(bytes.fromhex(str(body)))
    if tag == "l":
        return "[" + ", ".join(_render(item) for item in body or []) + "]"
    if tag == "t":
        items = [_render(item) for item in body or []]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if tag == "S":
        return "{" + ", ".join(_render(item) for item in body or []) + "}" if body else "set()"
    if tag == "d":
        return "{" + ", ".join(f"{_render(k)}: {_render(v)}" for k, v in body or []) + "}"
    if tag == "c":
        return f"complex({_render(body[0])}, {_render(body[1])})" if body else "complex()"
    return str(body)
