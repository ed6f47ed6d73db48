"""Checks derived from the prompt (its examples) and from user-supplied tests. Hidden tests never exist here.

Recognised example forms, for the entry point `f`:
- doctest: `>>> f(x)` (with `...` continuations and `>>> name = value` set-up lines) followed by the
  expected output, which may end right where the docstring closes; an expected traceback means "raises";
- prose: `f(x) == y`, `f(x) ➞ y`, `f(x) → y`, `f(x) -> y`, `f(x) => y`, `f(x) = y`,
  `f(x) should return y`, `f(x) returns y`, `f(x) is y`, also after `assert`;
- input/output pairs: `Input: x` / `Output: y` (also `Input: a = 1, b = 2`), `for x the output should be y`,
  `Example: x => y`.
Prose calls must have literal arguments (so `def f(x) -> None` in a signature is never an example).
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from typing import Any, Literal

from app.judge.values import Encoded, encode, literal_value

__all__ = ["Check", "derive_checks", "user_test_checks"]

CheckKind = Literal["value", "raises", "no_error"]


@dataclass(frozen=True)
class Check:
    setup: str  # statements run first (doctest set-up lines); "" for none
    call: str  # the expression whose value is checked
    kind: CheckKind
    expected: Encoded | None = None  # for "value"
    error: str | None = None  # exception type name, for "raises"
    source: str = "example"  # "doctest", "prose", "input/output", "user test"

    def describe(self) -> str:
        return self.call


_CONNECTORS = (
    r"==+>|--+>|==|➞|→|⟶|->|=>|⇒|=(?!=)|:|should\s+return|should\s+be|should\s+output|returns?|gives|"
    r"outputs?|is|yields|evaluates\s+to"
)
# An optional `#` (`f(x)  # returns 3`) and `-- ` bullets before the connector are allowed.
_AFTER_CALL = re.compile(rf"[`*]*\s*#?\s*(?:{_CONNECTORS})\s*", re.IGNORECASE)
_IO_PAIR = re.compile(
    r"(?:^|\n)[ \t]*(?:\*\*)?Input(?:\*\*)?\s*:?\s*(?:\*\*)?(?P<input>.+?)\s*\n?"
    r"[ \t]*(?:\*\*)?Output(?:\*\*)?\s*:?\s*(?:\*\*)?(?P<output>[^\n]+)",
    re.IGNORECASE,
)
_FOR_THE_OUTPUT = re.compile(
    r"for\s+(?:the\s+)?(?:input\s+)?(?P<input>.+?),?\s+the\s+(?:output|result|answer)\s+should\s+be\s+(?P<output>[^\n]+)",
    re.IGNORECASE,
)
_EXAMPLE_ARROW = re.compile(
    r"Example\s*\d*\s*:\s*(?P<input>[^\n]+?)\s*(?:=>|->|➞|→)\s*(?P<output>[^\n]+)", re.IGNORECASE
)


def derive_checks(prompt: str, entry_point: str | None) -> list[Check]:
    """Every example the prompt states for `entry_point`, in order, without duplicates."""
    if not entry_point:
        return []
    found = _doctests(prompt, entry_point) + _prose(prompt, entry_point) + _io_pairs(prompt, entry_point)
    if not found:
        found = _misnamed_examples(prompt, entry_point)
    unique: list[Check] = []
    seen: set[tuple[str, str, str]] = set()
    for check in found:
        key = (check.setup, _normal(check.call), repr(check.expected) + str(check.error))
        if key not in seen:
            seen.add(key)
            unique.append(check)
    # A call stated with two different results is part of a definition or derivation, not an example.
    outcomes: dict[tuple[str, str], int] = {}
    for check in unique:
        outcomes[(check.setup, _normal(check.call))] = outcomes.get((check.setup, _normal(check.call)), 0) + 1
    return [check for check in unique if outcomes[(check.setup, _normal(check.call))] == 1]


# --- doctest ------------------------------------------------------------------------------------------


def _doctests(prompt: str, entry_point: str) -> list[Check]:
    lines = prompt.replace("\r\n", "\n").splitlines()
    checks: list[Check] = []
    setup: list[str] = []
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped.startswith(">>>"):
            index += 1
            continue
        source = [stripped[3:].lstrip()]
        index += 1
        while index < len(lines) and lines[index].strip().startswith("..."):
            source.append(lines[index].strip()[3:].removeprefix(" "))
            index += 1
        expected: list[str] = []
        while index < len(lines):
            text = lines[index].strip()
            if not text or text.startswith(">>>"):
                break
            closing = _strip_docstring_end(text)
            if closing is not None:
                if closing:
                    expected.append(closing)
                break
            expected.append(text)
            index += 1
        statement = "\n".join(source)
        check = _doctest_check(statement, expected, setup, entry_point)
        if check is not None:
            checks.append(check)
        elif not expected and _is_statement(statement):
            setup.append(statement)
    return checks


def _strip_docstring_end(text: str) -> str | None:
    """The text before a closing docstring quote on this line, or None if the line does not close one."""
    for quote in ('"""', "'''"):
        if text.endswith(quote):
            return text[: -len(quote)].strip()
    return None


def _doctest_check(statement: str, expected: list[str], setup: list[str], entry_point: str) -> Check | None:
    if not _mentions_call(statement, entry_point) or _is_statement(statement):
        return None
    setup_code = "\n".join(setup)
    if expected and expected[0].startswith("Traceback"):
        error = expected[-1].split(":", 1)[0].strip().split(".")[-1]
        return Check(setup_code, statement, "raises", error=error, source="doctest") if error else None
    if not expected:
        return _comparison_check(statement, setup_code)  # `>>> f(x) == y` with no output line
    if statement.startswith("print("):
        return None  # printed output: nothing to compare a return value with
    ok, value = literal_value(" ".join(expected) if len(expected) > 1 else expected[0])
    if not ok:
        return None
    return Check(setup_code, statement, "value", expected=encode(value), source="doctest")


def _comparison_check(statement: str, setup: str) -> Check | None:
    try:
        node = ast.parse(statement, mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq)):
        return None
    ok, value = literal_value(ast.unparse(node.comparators[0]))
    if not ok:
        return None
    return Check(setup, ast.unparse(node.left), "value", expected=encode(value), source="doctest")


def _is_statement(code: str) -> bool:
    try:
        ast.parse(code, mode="eval")
    except SyntaxError:
        try:
            ast.parse(code)
        except SyntaxError:
            return False
        return True
    return False


def _mentions_call(code: str, entry_point: str) -> bool:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return False
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == entry_point
        for node in ast.walk(tree)
    )


# --- prose ------------------------------------------------------------------------------------------


def _prose(prompt: str, entry_point: str) -> list[Check]:
    checks: list[Check] = []
    for match in re.finditer(rf"(?<![\w.]){re.escape(entry_point)}\s*\(", prompt):
        if re.search(r"(?:def|>>>)\s*$", prompt[max(0, match.start() - 6) : match.start()]):
            continue  # a definition or a doctest line (handled above)
        end = _balanced_end(prompt, match.end() - 1)
        if end is None:
            continue
        call = prompt[match.start() : end]
        if not _literal_call(call):
            continue
        connector = _AFTER_CALL.match(prompt, end)
        if connector is None or not connector.group(0).strip():
            continue
        rest = prompt[connector.end() :]
        if connector.group(0).strip() == "=" and not _plain_definition(rest):
            continue  # `f(2) = 1 + (2 / 2) = 2` is a derivation, not an example
        value = _leading_literal(rest)
        if value is not None:
            checks.append(Check("", _normal(call), "value", expected=encode(value[0]), source="prose"))
    return checks


def _plain_definition(rest: str) -> bool:
    """After `f(x) =`: one plain literal on the line, no further `=` and no arithmetic."""
    line = rest.split("\n", 1)[0].strip().rstrip(".,;")
    return "=" not in line and literal_value(line)[0] and not re.search(r"[\d)\]]\s*[-+*/]", line)


def _balanced_end(text: str, open_index: int) -> int | None:
    """Index just past the bracket matching the one at `open_index`, skipping string literals."""
    depth, index, quote = 0, open_index, ""
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index + 1
        elif char == "\n" and depth > 3:
            return None
        index += 1
    return None


def _literal_call(call: str) -> bool:
    try:
        node = ast.parse(call, mode="eval").body
    except SyntaxError:
        return False
    if not isinstance(node, ast.Call):
        return False
    parts = [ast.unparse(arg) for arg in node.args] + [ast.unparse(kw.value) for kw in node.keywords]
    return all(literal_value(part)[0] for part in parts)


def _leading_literal(text: str) -> tuple[Any] | None:
    """The longest literal at the start of `text` (up to the end of its line), e.g. `6` in `6 because`."""
    line = text.split("\n", 1)[0].strip().strip("`*")
    if not line:
        return None
    cuts = sorted({len(line)} | {m.start() for m in re.finditer(r"[\s,;.]", line)}, reverse=True)
    for cut in cuts:
        piece = line[:cut].rstrip(" ,;.`*")
        if not piece:
            continue
        ok, value = literal_value(piece)
        if not ok and _JSON_WORDS.search(piece):  # prose often writes true / false / null
            ok, value = literal_value(_JSON_WORDS.sub(lambda m: _JSON_MAP[m.group(0)], piece))
        if ok:
            return (value,)
    return None


_JSON_MAP = {"true": "True", "false": "False", "null": "None", "none": "None"}
_JSON_WORDS = re.compile(r"\b(?:true|false|null|none)\b")


def _misnamed_examples(prompt: str, entry_point: str) -> list[Check]:
    """Prompts whose examples call the function by another name (`list_sort(...)` for `sorted_list_sum`).

    Used only when no example names the entry point, and only for one consistent name that the prompt
    does not define and that is not a builtin.
    """
    defined = set(re.findall(r"def\s+(\w+)\s*\(", prompt))
    names = [
        name
        for name in re.findall(r"(?<![\w.])([A-Za-z_]\w*)\s*\(", prompt)
        if name not in defined and name != entry_point and name not in dir(builtins)
    ]
    if not names:
        return []
    name = max(set(names), key=names.count)
    pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?=\s*\()")
    return [
        Check(c.setup, pattern.sub(entry_point, c.call), c.kind, c.expected, c.error, c.source)
        for c in [*_prose(prompt, name), *_doctests(prompt, name)]
    ]


# --- input / output pairs ---------------------------------------------------------------------------


def _io_pairs(prompt: str, entry_point: str) -> list[Check]:
    checks: list[Check] = []
    for pattern in (_IO_PAIR, _FOR_THE_OUTPUT, _EXAMPLE_ARROW):
        for match in pattern.finditer(prompt):
            args = _arguments(match.group("input"), entry_point)
            value = _leading_literal(match.group("output"))
            if args is not None and value is not None:
                call = f"{entry_point}({', '.join(args)})"
                checks.append(Check("", call, "value", expected=encode(value[0]), source="input/output"))
    return checks


def _arguments(text: str, entry_point: str) -> list[str] | None:
    """`a = 1, b = [2]` or `1, [2]` or `f(1, [2])` → the literal arguments, in order."""
    text = text.strip().strip("`*").rstrip(",.;")
    if text.startswith(entry_point + "(") and _literal_call(text):
        call = ast.parse(text, mode="eval").body
        return [ast.unparse(arg) for arg in call.args] if isinstance(call, ast.Call) else None
    named = re.sub(r"(?:(?<=^)|(?<=,))\s*[A-Za-z_]\w*\s*=(?!=)\s*", " ", text)
    # "N = 1000, the sum of digits will be 1": the longest comma-separated prefix that is all literals.
    cuts = [len(named), *[m.start() for m in re.finditer(",", named)][::-1]]
    for cut in cuts:
        try:
            node = ast.parse(f"({named[:cut]},)", mode="eval").body
        except SyntaxError:
            continue
        if isinstance(node, ast.Tuple) and node.elts:
            args = [ast.unparse(element) for element in node.elts]
            if all(literal_value(arg)[0] for arg in args):
                return args
    return None


def _normal(call: str) -> str:
    try:
        return ast.unparse(ast.parse(call, mode="eval"))
    except SyntaxError:
        return call.strip()


# --- user tests ---------------------------------------------------------------------------------------


def user_test_checks(tests: str, entry_point: str | None) -> tuple[str, list[Check]]:
    """Split user tests into definitions to append to the program and one check per assert / test.

    `assert expr` lines become checks of `bool(expr)`; `def test_*()` functions and a HumanEval-style
    `check(candidate)` become checks that pass when the call raises nothing.
    """
    tree = ast.parse(tests)
    definitions: list[str] = []
    checks: list[Check] = []
    for node in tree.body:
        if isinstance(node, ast.Assert):
            checks.append(
                Check(
                    "", f"bool({ast.unparse(node.test)})", "value", expected=["b", True], source="user test"
                )
            )
        elif isinstance(node, ast.FunctionDef):
            definitions.append(ast.unparse(node))
            params = [arg.arg for arg in node.args.args]
            if node.name.startswith("test") and not params:
                checks.append(Check("", f"{node.name}()", "no_error", source="user test"))
            elif node.name == "check" and len(params) == 1 and entry_point:
                checks.append(Check("", f"check({entry_point})", "no_error", source="user test"))
        elif isinstance(node, ast.Import | ast.ImportFrom | ast.Assign | ast.ClassDef):
            definitions.append(ast.unparse(node))
    return "\n\n".join(definitions), checks
