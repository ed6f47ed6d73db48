"""Raw answer texts and user prompts that look like what people paste and what LLMs send back.

`wrap_answer(code, entry_point, examples, rng, style)` puts verified code into one of several answer shapes:
prose + ```python fence + explanation, ```py fence, bare ``` fence, no fence at all (pure code), the function
plus a separate usage-example block, helpers and the main function in separate blocks, an
`if __name__ == "__main__":` demo with prints, a numbered approach before the code; sometimes with an extra
import on top. `wrap_prompt(prompt, entry_point, rng)` gives the problem as a user would paste it.
`example_calls(prompt, entry_point)` finds calls of the entry point written in the prompt (doctest or prose),
used by demo and usage blocks. `extract_fenced_code` is the simple fence parser the tests check wrappers against.
"""

from __future__ import annotations

import ast
import random
import re

__all__ = ["STYLES", "example_calls", "extract_fenced_code", "wrap_answer", "wrap_prompt"]

STYLES = (
    "prose_fence",
    "py_fence",
    "bare_fence",
    "no_fence",
    "usage_block",
    "helper_blocks",
    "main_demo",
    "numbered_steps",
)

_INTROS = (
    "Here's a solution:",
    "Here is the implementation:",
    "Sure! Here's how you can implement `{ep}`:",
    "You can solve this as follows:",
    "Below is a complete implementation of `{ep}`.",
    "Certainly. Here is a Python function that does this:",
    "This can be done in a few lines:",
)
_EXPLANATIONS = (
    "The function `{ep}` goes through the input once and builds the answer as it goes.",
    "It handles the edge cases (such as an empty input) without any special casing.",
    "**Explanation:**\n- We process the input step by step.\n- The result is returned at the end.",
    "This runs in linear time for typical inputs and uses only a little extra memory.",
    "The logic follows the specification in the docstring directly.",
    "Let me know if you want a version with more comments or with type checks.",
)
_STEPS = (
    "Approach:\n1. Read the input described in the docstring.\n2. Apply the rule it describes.\n"
    "3. Return the result.",
    "Steps:\n1. Handle the trivial cases first.\n2. Work through the remaining input.\n3. Return what we built.",
)
_PROMPTS = (
    "{prompt}",
    "Complete the following Python function:\n\n```python\n{prompt}\n```",
    "Complete the following Python function:\n\n{prompt}",
    "Implement `{ep}`.\n\n```python\n{prompt}\n```",
    "{prompt}\n\nWrite the complete implementation.",
    "Write a Python function for this:\n\n{prompt}",
)
_EXTRA_IMPORTS = ("import math", "import re", "from collections import Counter", "from typing import List")


def wrap_prompt(prompt: str, entry_point: str, rng: random.Random) -> str:
    return rng.choice(_PROMPTS).format(prompt=prompt.strip("\n"), ep=entry_point)


def example_calls(prompt: str, entry_point: str, limit: int = 2) -> list[str]:
    """Calls of `entry_point(...)` written in the prompt text that parse as Python expressions."""
    calls: list[str] = []
    for match in re.finditer(rf"(?<![\w.]){re.escape(entry_point)}\(", prompt):
        if prompt[max(0, match.start() - 4) : match.start()] == "def ":
            continue
        depth, end = 0, None
        for pos in range(match.end() - 1, min(len(prompt), match.end() + 400)):
            depth += {"(": 1, ")": -1}.get(prompt[pos], 0)
            if depth == 0:
                end = pos + 1
                break
        if end is None:
            continue
        text = prompt[match.start() : end]
        try:
            node = ast.parse(text, mode="eval").body
        except SyntaxError:
            continue
        if isinstance(node, ast.Call) and "\n" not in text and text not in calls:
            calls.append(text)
        if len(calls) >= limit:
            break
    return calls


def _fence(code: str, tag: str) -> str:
    return f"```{tag}\n{code.rstrip()}\n```"


def _split_top_level(code: str, entry_point: str) -> tuple[str, str] | None:
    """(imports + helper definitions, the entry point and anything after it), when there are helpers."""
    tree = ast.parse(code)
    lines = code.splitlines()
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    main = next((n for n in defs if n.name == entry_point), None)
    if main is None or len(defs) < 2 or main is defs[0]:
        return None
    start = min(d.lineno for d in main.decorator_list) if main.decorator_list else main.lineno
    head = "\n".join(lines[: start - 1]).strip("\n")
    tail = "\n".join(lines[start - 1 :]).strip("\n")
    return head, tail


def wrap_answer(
    code: str, entry_point: str, examples: list[str], rng: random.Random, style: str = ""
) -> tuple[str, str]:
    """(raw answer text around `code`, the shape used); `style` picks it (random when empty or not usable)."""
    code = code.strip("\n") + "\n"
    split = _split_top_level(code, entry_point)
    usable = [
        s
        for s in STYLES
        if not (s in {"usage_block", "main_demo"} and not examples)
        and not (s == "helper_blocks" and split is None)
    ]
    if style not in usable:
        style = rng.choice(usable)
    if style != "no_fence" and rng.random() < 0.15:
        code = rng.choice(_EXTRA_IMPORTS) + "\n\n" + code.lstrip("\n")
        split = _split_top_level(code, entry_point)
        if style == "helper_blocks" and split is None:
            style = "prose_fence"
    ep = entry_point
    intro = rng.choice(_INTROS).format(ep=ep)
    explanation = rng.choice(_EXPLANATIONS).format(ep=ep)
    if style == "prose_fence":
        return f"{intro}\n\n{_fence(code, 'python')}\n\n{explanation}\n", style
    if style == "py_fence":
        return f"{intro}\n\n{_fence(code, 'py')}\n", style
    if style == "bare_fence":
        return f"{_fence(code, '')}\n\n{explanation}\n", style
    if style == "no_fence":
        return code.rstrip() + "\n", style
    if style == "usage_block":
        usage = "\n".join(f"print({call})" for call in examples)
        usage_block = _fence(usage, "python")
        return (
            f"{intro}\n\n{_fence(code, 'python')}\n\nExample usage:\n\n{usage_block}\n\n{explanation}\n",
            style,
        )
    if style == "helper_blocks":
        assert split is not None
        head, tail = split
        text = f"First, a helper:\n\n{_fence(head, 'python')}\n\nThen the main function:\n\n{_fence(tail, 'python')}"
        return f"{text}\n\n{explanation}\n", style
    if style == "main_demo":
        demo = "\n".join(f"    print({call})" for call in examples)
        program = f'{code.rstrip()}\n\n\nif __name__ == "__main__":\n{demo}\n'
        return (
            f"{intro}\n\n{_fence(program, 'python')}\n\nRunning it prints the results for the examples.\n",
            style,
        )
    steps = rng.choice(_STEPS)
    return f"{steps}\n\n{_fence(code, 'python')}\n\n{explanation}\n", style


_FENCE = re.compile(r"^```[ \t]*([\w+-]*)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def extract_fenced_code(text: str, entry_point: str) -> str:
    """A deliberately simple extractor: the fenced blocks up to the one defining `entry_point`, else all."""
    blocks = [m.group(2) for m in _FENCE.finditer(text)]
    if not blocks:
        return text
    for index, block in enumerate(blocks):
        if re.search(rf"^\s*def {re.escape(entry_point)}\(", block, re.MULTILINE):
            return "\n\n".join(blocks[: index + 1])
    return "\n\n".join(blocks)
