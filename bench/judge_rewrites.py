"""Meaning-preserving rewrites of a Python solution ("surface forms"), so equal answers are not byte-identical.

`surface_form(code, entry_point, flags, rng)` rewrites code without changing what it computes: `rename`
(local variables get other names), `flip` (`a < b` becomes `b > a` on side-effect-free operands), `helper`
(the body moves to a helper the entry point delegates to), `nodoc` (the docstring is dropped), `comment`
(a comment line is inserted). bench/judge_pools.py still runs every result on the hidden tests.
"""

from __future__ import annotations

import ast
import builtins
import copy
import random

from bench.judge_mutations import docstring_node, entry_function

__all__ = ["FLAGS", "surface_form"]

FLAGS = ("rename", "flip", "helper", "nodoc", "comment")

_FLIPPED: dict[type, type] = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE}
_FLIPPED.update({ast.Eq: ast.Eq, ast.NotEq: ast.NotEq})
_PURE_CALLS = {
    "len",
    "abs",
    "ord",
    "chr",
    "int",
    "float",
    "str",
    "min",
    "max",
    "sum",
    "sorted",
    "set",
    "round",
}


_SYNONYMS = {
    "i": "idx",
    "j": "jdx",
    "k": "kk",
    "n": "count_n",
    "x": "item",
    "s": "text",
    "c": "ch",
    "res": "result",
    "result": "out",
    "ans": "answer",
    "ret": "output",
    "count": "cnt",
    "total": "acc",
    "l": "lst",
    "lst": "items",
    "num": "value",
    "val": "value",
    "tmp": "temp",
}


def _rename_locals(tree: ast.Module, entry_point: str, rng: random.Random) -> None:
    func = entry_function(tree, entry_point)
    taken = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    taken |= {a.arg for a in ast.walk(tree) if isinstance(a, ast.arg)}
    taken |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    taken |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    taken |= set(dir(builtins))
    fixed = {a.arg for a in ast.walk(func) if isinstance(a, ast.arg)}
    for node in ast.walk(func):
        if isinstance(node, ast.Global | ast.Nonlocal):
            fixed |= set(node.names)
    stored = sorted(
        {n.id for n in ast.walk(func) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)} - fixed
    )
    mapping: dict[str, str] = {}
    for name in stored:
        options = [_SYNONYMS.get(name, ""), f"{name}_val", f"my_{name}", f"{name}2", f"cur_{name}"]
        options = [o for o in options if o and o not in taken]
        new = options[0] if options and rng.random() < 0.6 else (options[-1] if options else "")
        if new:
            mapping[name] = new
            taken.add(new)
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and node.id in mapping:
            node.id = mapping[node.id]
        elif isinstance(node, ast.ExceptHandler) and node.name in mapping:
            node.name = mapping[node.name]


def _side_effect_free(expr: ast.expr) -> bool:
    for node in ast.walk(expr):
        if isinstance(node, ast.NamedExpr | ast.Await | ast.Yield | ast.YieldFrom | ast.Lambda):
            return False
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id in _PURE_CALLS
        ):
            return False
    return True


def _flip_compares(tree: ast.Module, entry_point: str, rng: random.Random) -> None:
    func = entry_function(tree, entry_point)
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and type(node.ops[0]) in _FLIPPED
            and _side_effect_free(node.left)
            and _side_effect_free(node.comparators[0])
            and rng.random() < 0.7
        ):
            node.left, node.comparators[0] = node.comparators[0], node.left
            node.ops[0] = _FLIPPED[type(node.ops[0])]()


def _dropdocstring_node(tree: ast.Module, entry_point: str) -> None:
    func = entry_function(tree, entry_point)
    doc = docstring_node(func)
    if doc is not None and len(func.body) > 1:
        func.body.remove(doc)


def _extract_helper(tree: ast.Module, entry_point: str, rng: random.Random) -> None:
    """`def f(a, b): body` becomes `def _f_impl(a, b): body` plus `def f(a, b): return _f_impl(a, b)`."""
    func = entry_function(tree, entry_point)
    helper_name = rng.choice(
        [f"_{entry_point}_impl", f"_{entry_point}_helper", f"{entry_point}_core", "_solve"]
    )
    if any(isinstance(n, ast.FunctionDef) and n.name == helper_name for n in ast.walk(tree)):
        return
    helper = copy.deepcopy(func)
    helper.name = helper_name
    helper.decorator_list = []
    doc = docstring_node(helper)
    wrapper = copy.deepcopy(func)
    args = func.args
    positional = [ast.Name(a.arg, ast.Load()) for a in [*args.posonlyargs, *args.args]]
    if args.vararg is not None:
        positional.append(ast.Starred(ast.Name(args.vararg.arg, ast.Load()), ast.Load()))
    keywords = [ast.keyword(arg=a.arg, value=ast.Name(a.arg, ast.Load())) for a in args.kwonlyargs]
    if args.kwarg is not None:
        keywords.append(ast.keyword(arg=None, value=ast.Name(args.kwarg.arg, ast.Load())))
    call = ast.Call(ast.Name(helper_name, ast.Load()), positional, keywords)
    wrapper.body = [ast.Return(call)]
    if doc is not None:
        helper.body.remove(doc)
        wrapper.body.insert(0, doc)
        if not helper.body:
            helper.body.append(ast.Pass())
    where = tree.body.index(func)
    tree.body[where : where + 1] = [helper, wrapper]


_COMMENTS = (
    "# Handle the general case",
    "# Build the result step by step",
    "# Main logic",
    "# Walk through the input once",
    "# Compute and return the answer",
)


def _insert_comment(code: str, entry_point: str, rng: random.Random) -> str:
    tree = ast.parse(code)
    func = entry_function(tree, entry_point)
    doc = docstring_node(func)
    first = next((s for s in func.body if s is not doc), None)
    if first is None:
        return code
    lines = code.splitlines()
    line = lines[first.lineno - 1]
    indent = line[: len(line) - len(line.lstrip())]
    lines.insert(first.lineno - 1, indent + rng.choice(_COMMENTS))
    return "\n".join(lines) + "\n"


def surface_form(code: str, entry_point: str, flags: frozenset[str], rng: random.Random) -> str:
    """`code` rewritten per `flags` (a subset of FLAGS). With no AST flag the text is kept as it is."""
    ast_flags = flags - {"comment"}
    text = code
    if ast_flags:
        tree = ast.parse(code)
        if "rename" in flags:
            _rename_locals(tree, entry_point, rng)
        if "flip" in flags:
            _flip_compares(tree, entry_point, rng)
        if "nodoc" in flags:
            _dropdocstring_node(tree, entry_point)
        if "helper" in flags:
            _extract_helper(tree, entry_point, rng)
        text = ast.unparse(ast.fix_missing_locations(tree)) + "\n"
    if "comment" in flags:
        text = _insert_comment(text, entry_point, rng)
    return text
