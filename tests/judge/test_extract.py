"""Code extraction from real-looking answer shapes."""

from __future__ import annotations

import pytest

from app.judge.extract import extract_code

REV = "def rev(s):\n    return s[::-1]"


@pytest.mark.parametrize(
    "text",
    [
        f"Here's the solution:\n\n```python\n{REV}\n```\n\nThis uses slicing.",
        f"```py\n{REV}\n```",
        f"```Python\n{REV}\n```",
        f"```python3\n{REV}\n```",
        f"```\n{REV}\n```",
        f"~~~python\n{REV}\n~~~",
        f"{REV}\n",
        f"Sure! Here is a function:\n\n{REV}\n\nIt works by slicing the string.",
        f"Here:\n```python\n{REV}\n",  # unterminated fence
        f"   ```python\n   {REV.replace(chr(10), chr(10) + '   ')}\n   ```",  # indented fence
        f"```python\r\n{REV.replace(chr(10), chr(13) + chr(10))}\r\n```",  # Windows line ends
        "```python\n>>> def rev(s):\n...     return s[::-1]\n>>> rev('ab')\n'ba'\n```",  # a transcript
    ],
)
def test_the_function_comes_out_of_every_shape(text: str) -> None:
    extraction = extract_code(text, "rev")
    assert extraction.code is not None, extraction.problem
    namespace: dict[str, object] = {}
    exec(extraction.code, namespace)  # noqa: S102 - trusted test input
    assert namespace["rev"]("abc") == "cba"  # type: ignore[operator]


def test_demo_code_is_dropped_but_imports_and_constants_stay() -> None:
    text = (
        "```python\nimport math\nfrom typing import List\n\nLIMIT = 10 ** 3\n\ndef area(r: float) -> float:\n"
        "    return math.pi * r * r\n\nprint(area(2))\nfor i in range(3):\n    print(i)\nassert area(0) == 0\n"
        "x = input()\n\nif __name__ == '__main__':\n    main()\n```"
    )
    code = extract_code(text, "area").code
    assert code is not None
    assert "import math" in code and "LIMIT = 10 ** 3" in code and "def area" in code
    for dropped in ("print(", "for i", "assert", "input()", "__main__"):
        assert dropped not in code


def test_the_last_block_defining_the_function_wins_and_keeps_its_helpers() -> None:
    text = (
        "First attempt:\n```python\ndef rev(s):\n    return s\n```\nFixed:\n```python\ndef rev(s):\n"
        "    return flip(s)\n```\nwith the helper\n```python\ndef flip(s):\n    return s[::-1]\n```\n"
        "Usage:\n```python\nprint(rev('x'))\n```"
    )
    code = extract_code(text, "rev").code
    assert code is not None
    assert "return flip(s)" in code and "def flip" in code and "return s\n" not in code


def test_comments_in_the_code_survive() -> None:
    code = extract_code(
        "```python\ndef rev(s):\n    # walk backwards\n    return s[::-1]  # slice\n```", "rev"
    ).code
    assert code is not None and "# walk backwards" in code and "# slice" in code


def test_a_body_only_answer_is_put_under_the_prompts_signature() -> None:
    prompt = 'def rev(s: str) -> str:\n    """Reverse s."""\n'
    code = extract_code("```python\n    return s[::-1]\n```", "rev", prompt).code
    assert code is not None and code.startswith("def rev(s: str) -> str:")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty answer"),
        ("I cannot help with that.", "no code found"),
        ("```javascript\nfunction rev(s) { return s; }\n```", "no Python code block"),
        ("```python\ndef rev(s)\n    return s\n```", "syntax error"),
    ],
)
def test_answers_without_usable_code_say_why(text: str, problem: str) -> None:
    extraction = extract_code(text, "rev")
    assert extraction.code is None
    assert extraction.problem is not None and problem in extraction.problem


def test_other_language_blocks_are_ignored_next_to_python() -> None:
    text = f"```bash\npip install nothing\n```\n```python\n{REV}\n```\n```text\noutput: cba\n```"
    assert extract_code(text, "rev").code == REV + "\n"
