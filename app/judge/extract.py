"""Getting the runnable code out of a raw model answer.

Answers come as markdown with fenced blocks (```python, ```py, bare ```, ~~~), as pure code, or as prose
with code in between. From the Python blocks we take the last one that defines the requested function
(models often show a first attempt, then the fixed one), plus the imports and helper definitions from
the other blocks that it uses. Then the top level is reduced to definitions: demo code (`if __name__ ==
"__main__":`, prints, loops, asserts, input()) is dropped so that running the module has no effects and
cannot block on stdin.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass

__all__ = ["Extraction", "defined_functions", "extract_code"]

_FENCE = re.compile(
    r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)\n"
    r"(?P<body>.*?)^(?P=indent)?(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_PYTHON_TAGS = {"", "python", "py", "python3", "py3", "ipython", "pycon", "sage"}
_CODE_START = re.compile(r"^(?:def |async def |class |import |from \S+ import |@\w)")
_KEEP_NODES = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Extraction:
    code: str | None  # definitions only: what the judge calls into; None when there is no usable Python
    problem: str | None = None  # why not, in a few words ("no code found", "syntax error: ...")
    program: str | None = None  # the same blocks as written, demo code included: what "running it" means


def extract_code(text: str, entry_point: str | None, prompt_code: str | None = None) -> Extraction:
    """The answer's code, reduced to definitions; `prompt_code` is the prompt's own stub, if any."""
    blocks = _python_blocks(text)
    if not blocks:
        return Extraction(None, _why_no_blocks(text))
    chosen = _choose(blocks, entry_point)
    if chosen is None:
        return Extraction(None, "syntax error in every code block: " + _first_syntax_error(blocks))
    statements = _assemble(chosen, blocks, entry_point)
    if entry_point and entry_point not in {_name for node, _ in statements for _name in _def_names(node)}:
        completed = _complete_from_prompt(blocks, prompt_code, entry_point) if prompt_code else None
        statements = _statements(completed) if completed else statements
    kept = [source for node, source in statements if _keep(node)]
    code = "\n\n".join(kept).strip()
    program = "\n\n".join(source for _, source in statements).strip() + "\n"
    if not code:
        return Extraction(None, "the code defines nothing", program)
    return Extraction(code + "\n", None, program)


def defined_functions(tree: ast.Module) -> set[str]:
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def _statements(source: str) -> list[tuple[ast.stmt, str]]:
    """Top-level statements with their original text (comments inside them survive)."""
    lines = source.splitlines()
    out = []
    for node in ast.parse(source).body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        out.append((node, "\n".join(lines[first - 1 : node.end_lineno])))
    return out


def _def_names(node: ast.stmt) -> set[str]:
    return {node.name} if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else set()


def _python_blocks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n")
    matches = list(_FENCE.finditer(text))
    if matches:
        blocks = [
            _strip_transcript(textwrap.dedent(match.group("body")))
            for match in matches
            if _language(match.group("info")) in _PYTHON_TAGS
        ]
        return [block for block in blocks if block.strip()]
    if "```" in text:  # an unterminated fence: take what follows it
        tail = text.split("```", 1)[1]
        tail = tail.split("\n", 1)[1] if "\n" in tail else ""
        return [textwrap.dedent(tail)] if tail.strip() else []
    return _unfenced(text)


def _language(info: str) -> str:
    words = info.strip().lower().split()
    return words[0].strip("{}.") if words else ""


def _strip_transcript(block: str) -> str:
    """An interactive transcript (`>>> ` / `... ` lines) becomes plain code; its output lines go."""
    lines = block.splitlines()
    if not lines or not lines[0].startswith(">>>"):
        return block
    return "\n".join(line[4:] for line in lines if line.startswith((">>> ", "... ")))


def _unfenced(text: str) -> list[str]:
    if _parses(text) and _CODE_START.search(text.lstrip()):
        return [text]
    lines = text.splitlines()
    spans: list[str] = []
    index = 0
    while index < len(lines):
        if not _CODE_START.match(lines[index]):
            index += 1
            continue
        end = index + 1
        while end < len(lines) and (
            not lines[end].strip() or lines[end][:1] in (" ", "\t") or _CODE_START.match(lines[end])
        ):
            end += 1
        span = "\n".join(lines[index:end]).strip("\n")
        while span and not _parses(span):  # trailing prose glued to the code
            span = "\n".join(span.splitlines()[:-1])
        if span:
            spans.append(span)
        index = max(end, index + 1)
    return spans


def _choose(blocks: list[str], entry_point: str | None) -> str | None:
    parsed = [block for block in blocks if _parses(block)]
    if not parsed:
        return None
    if entry_point:
        defining = [block for block in parsed if entry_point in defined_functions(ast.parse(block))]
        if defining:
            return defining[-1]
    with_defs = [block for block in parsed if defined_functions(ast.parse(block))]
    return (with_defs or parsed)[-1]


def _assemble(chosen: str, blocks: list[str], entry_point: str | None) -> list[tuple[ast.stmt, str]]:
    """The chosen block, preceded by imports and the helper definitions it needs from other blocks."""
    own = _statements(chosen)
    tree = ast.parse(chosen)
    needed = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    needed |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    defined = {name for node, _ in own for name in _names(node)}
    extra: list[tuple[ast.stmt, str]] = []
    for block in blocks:
        if block is chosen or not _parses(block):
            continue
        for node, source in _statements(block):
            names = _names(node)
            if isinstance(node, ast.Import | ast.ImportFrom) or (
                names & needed and not names & defined and entry_point not in names
            ):
                extra.append((node, source))
                defined |= names
    return extra + own


def _complete_from_prompt(blocks: list[str], prompt_code: str, entry_point: str) -> str | None:
    """An answer that gives only the function body: put it under the prompt's signature."""
    for block in blocks:
        body = textwrap.indent(textwrap.dedent(block), "    ")
        candidate = prompt_code.rstrip() + "\n" + body
        if _parses(candidate) and entry_point in defined_functions(ast.parse(candidate)):
            return candidate
    return None


def _keep(node: ast.stmt) -> bool:
    if isinstance(node, _KEEP_NODES) or _is_constant_assignment(node):
        return True
    # try: import x / except ImportError: ...
    return isinstance(node, ast.Try) and all(isinstance(n, ast.Import | ast.ImportFrom) for n in node.body)


def _is_constant_assignment(node: ast.stmt) -> bool:
    """Module-level settings (`MOD = 10**9 + 7`, lookup tables): kept unless they call input()/print()."""
    if not isinstance(node, ast.Assign | ast.AnnAssign):
        return False
    calls = [n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    return not any(name in ("input", "print", "open", "exit", "quit") for name in calls)


def _names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, ast.Assign):
        return {target.id for target in node.targets if isinstance(target, ast.Name)}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    return set()


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return bool(code.strip())


def _first_syntax_error(blocks: list[str]) -> str:
    for block in blocks:
        try:
            ast.parse(block)
        except SyntaxError as error:
            return f"{error.msg} (line {error.lineno})"
        except ValueError as error:
            return str(error)
    return "unknown"


def _why_no_blocks(text: str) -> str:
    if not text.strip():
        return "empty answer"
    if re.search(r"^(?:`{3,}|~{3,})[ \t]*\w+", text, re.MULTILINE):
        return "no Python code block (only other languages)"
    return "no code found"
