"""The judge's input: a prompt and raw candidate answers (the `quorum judge POOL.json` contract).

`{"prompt": str, "entry_point": str|null, "tests": str|null, "candidates": [{"model": str, "text": str}]}`
Malformed input raises `UserError` with one line naming the field.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import UserError

__all__ = ["MAX_CANDIDATES", "JudgeCandidate", "JudgePool", "load_pool"]

MAX_CANDIDATES = 32
MAX_TEXT_CHARS = 200_000
MAX_PROMPT_CHARS = 100_000
_IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")
_FENCED = re.compile(r"^[ \t]*```(?:python|py|python3)?[ \t]*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class JudgeCandidate:
    model: str
    text: str
    unavailable: str | None = None  # set when there is no answer to judge (the provider failed): why


@dataclass(frozen=True)
class JudgePool:
    prompt: str
    candidates: tuple[JudgeCandidate, ...]
    entry_point: str | None = None
    tests: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> JudgePool:
        if not isinstance(data, dict):
            raise UserError("pool: must be a JSON object")
        unknown = set(data) - {"prompt", "entry_point", "tests", "candidates"}
        if unknown:
            allowed = "prompt, entry_point, tests, candidates"
            raise UserError(f"pool: unknown field(s) {', '.join(sorted(unknown))} (allowed: {allowed})")
        prompt = _text(data, "prompt", MAX_PROMPT_CHARS)
        if not prompt.strip():
            raise UserError("pool.prompt: is empty")
        entry_point = data.get("entry_point")
        if entry_point is not None and (
            not isinstance(entry_point, str) or not _IDENTIFIER.match(entry_point)
        ):
            raise UserError("pool.entry_point: must be a Python identifier or null")
        tests = data.get("tests")
        if tests is not None:
            if not isinstance(tests, str):
                raise UserError("pool.tests: must be a string of Python (asserts or test functions) or null")
            try:
                ast.parse(tests)
            except SyntaxError as error:
                raise UserError(f"pool.tests: syntax error on line {error.lineno}: {error.msg}") from None
        raw = data.get("candidates")
        if not isinstance(raw, list):
            raise UserError('pool.candidates: must be a list of {"model", "text"} objects')
        if not raw:
            raise UserError("pool.candidates: is empty (nothing to judge)")
        if len(raw) > MAX_CANDIDATES:
            raise UserError(f"pool.candidates: {len(raw)} candidates, at most {MAX_CANDIDATES}")
        candidates = tuple(_candidate(item, index) for index, item in enumerate(raw))
        return cls(prompt=prompt, candidates=candidates, entry_point=entry_point, tests=tests or None)

    def resolved_entry_point(self) -> str | None:
        """The function to call: given, else the prompt's last `def`, else what the answers define."""
        if self.entry_point:
            return str(self.entry_point)
        defs = re.findall(r"^\s*def\s+([A-Za-z_]\w*)\s*\(", self.prompt_source(), re.MULTILINE)
        if defs:
            return str(defs[-1])
        named = re.search(r"function\s+(?:named|called)\s+`?([A-Za-z_]\w*)`?", self.prompt, re.IGNORECASE)
        if named:
            return str(named.group(1))
        votes = Counter(
            name
            for candidate in self.candidates
            for name in set(re.findall(r"^def\s+([A-Za-z_]\w*)\s*\(", candidate.text, re.MULTILINE))
            if not name.startswith("_") and name not in ("main", "test")
        )
        mentioned = [name for name, _ in votes.most_common() if re.search(rf"\b{name}\s*\(", self.prompt)]
        if mentioned:
            return str(mentioned[0])
        return str(votes.most_common(1)[0][0]) if votes else None

    def prompt_source(self) -> str:
        """The code part of the prompt: all of it when it is code, else its Python fenced blocks."""
        if _parses(self.prompt + "\n    pass\n"):
            return self.prompt
        return "\n\n".join(block for block in _FENCED.findall(self.prompt) if block.strip())

    def prompt_code(self, entry_point: str | None) -> str | None:
        """The prompt's own stub of the function (signature and docstring), when it has one."""
        if not entry_point:
            return None
        source = self.prompt_source()
        match = re.search(rf"^([ \t]*)def\s+{re.escape(entry_point)}\s*\(", source, re.MULTILINE)
        if not match:
            return None
        if _parses(source + "\n    pass\n"):
            return source  # signature, docstring and any helpers: all of it
        start = source.rfind("\n", 0, match.start()) + 1
        imports = "\n".join(
            line for line in source[:start].splitlines() if line.startswith(("import ", "from "))
        )
        stub = (imports + "\n" if imports else "") + source[start:]
        return stub if _parses(stub + "\n    pass\n") else None

    def prompt_definitions(self) -> list[tuple[set[str], str]]:
        """Imports and definitions in a prompt that is code, with the names each defines."""
        source = self.prompt_source() + "\n    pass\n"
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return []
        lines = source.splitlines()
        out = []
        for node in tree.body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = {(alias.asname or alias.name).split(".")[0] for alias in node.names}
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                names = {node.name}
            else:
                continue
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            out.append((names, "\n".join(lines[first - 1 : node.end_lineno])))
        return out


def load_pool(path: str | Path) -> JudgePool:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot read the pool ({type(error).__name__})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UserError(
            f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    return JudgePool.from_json(data)


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise UserError(f"pool.{key}: must be a string")
    if len(value) > limit:
        raise UserError(f"pool.{key}: longer than {limit} characters")
    return value


def _candidate(item: Any, index: int) -> JudgeCandidate:
    where = f"pool.candidates[{index}]"
    if not isinstance(item, dict):
        raise UserError(f'{where}: must be an object with "model" and "text"')
    model, text = item.get("model"), item.get("text")
    if not isinstance(model, str) or not model.strip():
        raise UserError(f"{where}.model: must be a non-empty string")
    if not isinstance(text, str):
        raise UserError(f"{where}.text: must be a string")
    if len(text) > MAX_TEXT_CHARS:
        raise UserError(f"{where}.text: longer than {MAX_TEXT_CHARS} characters")
    return JudgeCandidate(model=model, text=text)


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True
