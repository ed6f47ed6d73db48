"""AST mutations of a Python solution: candidate wrong variants for the judge benchmark.

Used by bench/judge_pools.py; pure and deterministic. `mutants(code, entry_point)` lists the single-point
mutations of the entry-point function's body (never its docstring, never helper functions the prompt
supplied): comparison swaps (< <= > >= == != in is), arithmetic and augmented-assignment swaps, swapped
operands of - / // % ** and of 2-tuples and 2-argument calls, int constants +-1, True/False flips, shortened
string constants, and/or swaps, negated conditions, dropped `not` / unary minus / single-argument calls
(`abs(x)`, `sorted(x)`, `set(x)` -> `x`), int/float swaps, off-by-one `range(...)` bounds, slice bounds and
indexes, dropped `[::-1]`, min/max and any/all swaps, sort order flips, string-method swaps, dropped `else`
branches, removed `if` statements / early returns / `continue` / `break` / appends, `x += e` turned into
`x = e`, and +-1 on numeric return values. Whether a mutant is really wrong is decided by running it.

Meaning-preserving rewrites (surface forms) are in judge_rewrites.py.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["Mutant", "docstring_node", "entry_function", "mutants"]

_CMP_SWAPS: dict[type, tuple[type, ...]] = {
    ast.Lt: (ast.LtE, ast.Gt),
    ast.LtE: (ast.Lt, ast.GtE),
    ast.Gt: (ast.GtE, ast.Lt),
    ast.GtE: (ast.Gt, ast.LtE),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
}
_BIN_SWAPS: dict[type, tuple[type, ...]] = {
    ast.Add: (ast.Sub,),
    ast.Sub: (ast.Add,),
    ast.Mult: (ast.Add,),
    ast.Div: (ast.FloorDiv, ast.Mult),
    ast.FloorDiv: (ast.Div, ast.Mult),
    ast.Mod: (ast.FloorDiv,),
    ast.Pow: (ast.Mult,),
    ast.BitAnd: (ast.BitOr,),
    ast.BitOr: (ast.BitAnd,),
    ast.BitXor: (ast.BitOr,),
    ast.LShift: (ast.RShift,),
    ast.RShift: (ast.LShift,),
}
_NAME_SWAPS = {"min": "max", "max": "min", "any": "all", "all": "any"}
_METHOD_SWAPS = {
    "upper": "lower",
    "lower": "upper",
    "startswith": "endswith",
    "endswith": "startswith",
    "lstrip": "rstrip",
    "rstrip": "lstrip",
    "isupper": "islower",
    "islower": "isupper",
    "isalpha": "isalnum",
    "isdigit": "isalpha",
    "keys": "values",
    "values": "keys",
    "find": "rfind",
    "rfind": "find",
    "index": "find",
    "swapcase": "upper",
    "hexdigest": "digest",
}
_TYPE_SWAPS = {"int": "float", "float": "int"}
_KEEP_CALLS = {
    "len",
    "range",
    "print",
    "isinstance",
    "type",
    "enumerate",
    "zip",
    "iter",
    "next",
    "map",
    "filter",
}
_NUMERIC_CALLS = {"len", "sum", "max", "min", "abs", "int", "round", "ord", "pow"}


@dataclass(frozen=True)
class Mutant:
    kind: str  # operator family, e.g. "cmp_swap"
    detail: str  # e.g. "Lt->LtE @12"
    code: str


def entry_function(tree: ast.Module, entry_point: str) -> ast.FunctionDef:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == entry_point:
            return node
    raise ValueError(f"no top-level function {entry_point!r}")


def docstring_node(func: ast.FunctionDef) -> ast.stmt | None:
    first = func.body[0] if func.body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first
    return None


def _walk(func: ast.FunctionDef) -> Iterator[ast.AST]:
    """The function's nodes in a fixed order, skipping its docstring, its signature and annotations."""
    doc = docstring_node(func)
    stack: list[ast.AST] = [stmt for stmt in reversed(func.body) if stmt is not doc]
    while stack:
        node = stack.pop()
        yield node
        children = [
            child
            for name, child in _children(node)
            if name not in {"annotation", "returns", "decorator_list", "type_comment"}
        ]
        stack.extend(reversed(children))


def _children(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    for name, value in ast.iter_fields(node):
        if isinstance(value, ast.AST):
            yield name, value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield name, item


def _one(value: int) -> ast.expr:
    return ast.Constant(value)


def _plus(expr: ast.expr, delta: int) -> ast.expr:
    if isinstance(expr, ast.Constant) and type(expr.value) is int:
        return ast.Constant(expr.value + delta)
    return ast.BinOp(copy.deepcopy(expr), ast.Add() if delta > 0 else ast.Sub(), _one(abs(delta)))


def _negate(expr: ast.expr) -> ast.expr:
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return expr.operand
    return ast.UnaryOp(ast.Not(), copy.deepcopy(expr))


Edit = Callable[[ast.AST], None]


def _sites(node: ast.AST, in_func_body: bool) -> Iterator[tuple[str, str, Edit]]:  # noqa: PLR0912
    """Every single-point mutation of this node, as (kind, detail, in-place edit)."""
    if isinstance(node, ast.Compare):
        for j, op in enumerate(node.ops):
            for new in _CMP_SWAPS.get(type(op), ()):
                yield "cmp_swap", f"{type(op).__name__}->{new.__name__}", _set_list(j, "ops", new)
    elif isinstance(node, ast.BinOp | ast.AugAssign):
        for new in _BIN_SWAPS.get(type(node.op), ()):
            yield "arith_swap", f"{type(node.op).__name__}->{new.__name__}", _set_attr("op", new)
        if isinstance(node, ast.BinOp) and isinstance(
            node.op, ast.Sub | ast.Div | ast.FloorDiv | ast.Mod | ast.Pow
        ):
            yield "swap_operands", type(node.op).__name__, _swap_fields("left", "right")
    elif isinstance(node, ast.Tuple) and isinstance(node.ctx, ast.Load) and len(node.elts) == 2:
        yield "swap_operands", "tuple", _swap_items("elts")
    elif isinstance(node, ast.Name) and node.id in _TYPE_SWAPS and isinstance(node.ctx, ast.Load):
        yield "type_swap", f"{node.id}->{_TYPE_SWAPS[node.id]}", _set_name(_TYPE_SWAPS[node.id])
    elif isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield "bool_swap", f"->{new.__name__}", _set_attr("op", new)
    elif isinstance(node, ast.Constant):
        if type(node.value) is bool:
            yield "const_flip", f"{node.value}->{not node.value}", _set_value(not node.value)
        elif type(node.value) is int:
            for delta in (1, -1):
                yield "const_pm1", f"{node.value}->{node.value + delta}", _set_value(node.value + delta)
        elif isinstance(node.value, str) and len(node.value) < 40:
            text = node.value
            new = " " if text == "" else "" if text == " " else text[:-1]
            yield "str_const", f"{text!r}->{new!r}", _set_value(new)
    elif isinstance(node, ast.Call):
        yield from _call_sites(node)
    elif isinstance(node, ast.Slice):
        for field in ("lower", "upper"):
            bound = getattr(node, field)
            if bound is not None and not isinstance(bound, ast.Constant):
                for delta in (1, -1):
                    yield "slice_off_by_one", f"{field}{delta:+d}", _set_expr(field, _plus(bound, delta))
        step = node.step
        if isinstance(step, ast.UnaryOp) and isinstance(step.op, ast.USub):
            yield "drop_reverse", "[::-1]->[::1]", _set_expr("step", None)
    elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Name | ast.BinOp):
        for delta in (1, -1):
            yield "index_off_by_one", f"{delta:+d}", _set_expr("slice", _plus(node.slice, delta))
    elif isinstance(node, ast.Return) and _numeric(node.value):
        assert node.value is not None
        for delta in (1, -1):
            yield "return_pm1", f"{delta:+d}", _set_expr("value", _plus(node.value, delta))

    if isinstance(node, ast.If | ast.While | ast.IfExp):
        yield "negate_cond", type(node).__name__, _set_expr("test", _negate(node.test))
    yield from _child_sites(node)
    if isinstance(node, ast.comprehension):
        for j, cond in enumerate(node.ifs):
            yield "negate_cond", "comprehension", _set_list(j, "ifs", None, _negate(cond))
    if isinstance(node, ast.If) and node.orelse:
        yield "drop_else", "", _set_list_all("orelse", [])
    yield from _statement_sites(node, in_func_body)


def _child_sites(node: ast.AST) -> Iterator[tuple[str, str, Edit]]:
    """Mutations that replace a child expression by a part of it: `-x`, `not x`, `abs(x)`, `reversed(x)` -> `x`."""
    for field, value in ast.iter_fields(node):
        if isinstance(value, ast.expr):
            items: list[tuple[int | None, ast.expr]] = [(None, value)]
        elif isinstance(value, list):
            items = [(j, item) for j, item in enumerate(value) if isinstance(item, ast.expr)]
        else:
            continue
        for j, child in items:
            if isinstance(child, ast.UnaryOp) and isinstance(child.op, ast.USub | ast.Not):
                if not isinstance(child.operand, ast.Constant):
                    yield "drop_unary", type(child.op).__name__, _replace_child(field, j, child.operand)
            elif (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id not in _KEEP_CALLS
                and len(child.args) == 1
                and not isinstance(child.args[0], ast.Starred)
                and not child.keywords
            ):
                yield "drop_call", child.func.id, _replace_child(field, j, child.args[0])


def _numeric(expr: ast.expr | None) -> bool:
    if isinstance(expr, ast.BinOp):
        return isinstance(expr.op, ast.Add | ast.Sub | ast.Mult | ast.FloorDiv | ast.Mod)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        return expr.func.id in _NUMERIC_CALLS
    return False


def _call_sites(node: ast.Call) -> Iterator[tuple[str, str, Edit]]:
    func = node.func
    if isinstance(func, ast.Name):
        if func.id in _NAME_SWAPS:
            yield "call_swap", f"{func.id}->{_NAME_SWAPS[func.id]}", _rename_call(_NAME_SWAPS[func.id])
        if func.id == "range" and node.args:
            stop_at = 0 if len(node.args) == 1 else 1
            for delta in (1, -1):
                new_args = list(node.args)
                new_args[stop_at] = _plus(new_args[stop_at], delta)
                yield "range_off_by_one", f"stop{delta:+d}", _set_list_all("args", new_args)
            start = node.args[0] if len(node.args) > 1 else ast.Constant(0)
            new_args = [_plus(start, 1), *node.args[1:]] if len(node.args) > 1 else [_one(1), node.args[0]]
            yield "range_off_by_one", "start+1", _set_list_all("args", new_args)
        if func.id == "sorted":
            yield "sort_flip", "sorted", _toggle_reverse
        if func.id not in {
            "range",
            "isinstance",
            "zip",
            "enumerate",
            "map",
            "filter",
            "getattr",
        } and _two_args(node):
            yield "swap_operands", f"{func.id}(a, b)", _swap_items("args")
    elif isinstance(func, ast.Attribute):
        if func.attr in _METHOD_SWAPS:
            new = _METHOD_SWAPS[func.attr]
            yield "method_swap", f"{func.attr}->{new}", _rename_method(new)
        if func.attr == "sort":
            yield "sort_flip", ".sort", _toggle_reverse


def _statement_sites(node: ast.AST, in_func_body: bool) -> Iterator[tuple[str, str, Edit]]:
    for field in ("body", "orelse"):
        stmts = getattr(node, field, None)
        if not isinstance(stmts, list) or not stmts or isinstance(node, ast.FunctionDef | ast.ClassDef):
            continue
        yield from _list_sites(field, stmts, in_func_body=False)
    if in_func_body and isinstance(node, ast.FunctionDef):
        yield from _list_sites("body", node.body, in_func_body=True)


def _list_sites(field: str, stmts: list[ast.stmt], in_func_body: bool) -> Iterator[tuple[str, str, Edit]]:
    for k, stmt in enumerate(stmts):
        last = k == len(stmts) - 1
        removable = isinstance(stmt, ast.If | ast.Continue | ast.Break | ast.AugAssign) or (
            isinstance(stmt, ast.Return) and not (in_func_body and last)
        )
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            removable = True
        if removable:
            yield "remove_stmt", f"{type(stmt).__name__}", _remove_stmt(field, k)
        if isinstance(stmt, ast.AugAssign):
            assign = ast.Assign(targets=[copy.deepcopy(stmt.target)], value=copy.deepcopy(stmt.value))
            yield "augassign_to_assign", "", _replace_stmt(field, k, assign)


# ---- in-place edits (closures over what to change) ----


def _set_attr(field: str, op_type: type) -> Edit:
    return lambda node: setattr(node, field, op_type())


def _set_value(value: object) -> Edit:
    return lambda node: setattr(node, "value", value)


def _set_expr(field: str, expr: ast.expr | None) -> Edit:
    return lambda node: setattr(node, field, copy.deepcopy(expr))


def _set_list(j: int, field: str, op_type: type | None, expr: ast.expr | None = None) -> Edit:
    def edit(node: ast.AST) -> None:
        getattr(node, field)[j] = op_type() if op_type is not None else copy.deepcopy(expr)

    return edit


def _set_list_all(field: str, items: list[ast.AST]) -> Edit:
    return lambda node: setattr(node, field, copy.deepcopy(items))


def _remove_stmt(field: str, k: int) -> Edit:
    def edit(node: ast.AST) -> None:
        stmts = getattr(node, field)
        del stmts[k]
        if not stmts and field == "body":
            stmts.append(ast.Pass())

    return edit


def _replace_stmt(field: str, k: int, stmt: ast.stmt) -> Edit:
    def edit(node: ast.AST) -> None:
        getattr(node, field)[k] = copy.deepcopy(stmt)

    return edit


def _replace_child(field: str, j: int | None, expr: ast.expr) -> Edit:
    def edit(node: ast.AST) -> None:
        if j is None:
            setattr(node, field, copy.deepcopy(expr))
        else:
            getattr(node, field)[j] = copy.deepcopy(expr)

    return edit


def _two_args(node: ast.Call) -> bool:
    return (
        len(node.args) == 2 and not node.keywords and not any(isinstance(a, ast.Starred) for a in node.args)
    )


def _swap_fields(first: str, second: str) -> Edit:
    def edit(node: ast.AST) -> None:
        a, b = getattr(node, first), getattr(node, second)
        setattr(node, first, b)
        setattr(node, second, a)

    return edit


def _swap_items(field: str) -> Edit:
    def edit(node: ast.AST) -> None:
        items = getattr(node, field)
        items[0], items[1] = items[1], items[0]

    return edit


def _set_name(name: str) -> Edit:
    return lambda node: setattr(node, "id", name)


def _rename_call(name: str) -> Edit:
    def edit(node: ast.AST) -> None:
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        node.func.id = name

    return edit


def _rename_method(name: str) -> Edit:
    def edit(node: ast.AST) -> None:
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        node.func.attr = name

    return edit


def _toggle_reverse(node: ast.AST) -> None:
    assert isinstance(node, ast.Call)
    for keyword in node.keywords:
        if keyword.arg == "reverse":
            keyword.value = _negate(keyword.value)
            return
    node.keywords.append(ast.keyword(arg="reverse", value=ast.Constant(True)))


def mutants(code: str, entry_point: str) -> list[Mutant]:
    """All distinct single-point mutants of `entry_point`'s body that still compile."""
    tree = ast.parse(code)
    original = ast.unparse(tree)
    func = entry_function(tree, entry_point)
    plan: list[tuple[int, str, str]] = []
    for index, node in enumerate([func, *_walk(func)]):
        for site, (kind, detail, _) in enumerate(_sites(node, in_func_body=node is func)):
            plan.append((index, kind, f"{detail} @{index}.{site}"))
    found: dict[str, Mutant] = {}
    for index, kind, detail in plan:
        copy_tree = copy.deepcopy(tree)
        copy_func = entry_function(copy_tree, entry_point)
        node = [copy_func, *_walk(copy_func)][index]
        site = int(detail.rsplit(".", 1)[1])
        _, _, edit = list(_sites(node, in_func_body=node is copy_func))[site]
        edit(node)
        try:
            text = ast.unparse(ast.fix_missing_locations(copy_tree))
            compile(text, "<mutant>", "exec")
        except (SyntaxError, ValueError, TypeError, AttributeError):
            continue
        if text != original and text not in found:
            found[text] = Mutant(kind=kind, detail=detail, code=text + "\n")
    return list(found.values())
