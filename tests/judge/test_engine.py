"""The judge end to end: real candidate code run in the real sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.judge import JudgePool, JudgeSettings, judge
from app.sandbox.subprocess_backend import SubprocessSandbox

PROMPT = """Write a function `second_largest(nums)` that returns the second largest distinct value.

>>> second_largest([3, 1, 2])
2
>>> second_largest([5, 5, 4])
4
"""
RIGHT = "```python\ndef second_largest(nums):\n    return sorted(set(nums))[-2]\n```"
RIGHT_TOO = "Sure:\n\n```python\ndef second_largest(nums):\n    first = second = None\n    for n in set(nums):\n        if first is None or n > first:\n            first, second = n, first\n        elif second is None or n > second:\n            second = n\n    return second\n```"
NO_DEDUP = "```python\ndef second_largest(nums):\n    return sorted(nums)[-2]\n```"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SubprocessSandbox]:
    box = SubprocessSandbox(pool_size=2)
    yield box
    box.close()


def pool(*texts: str, prompt: str = PROMPT, tests: str | None = None) -> JudgePool:
    return JudgePool.from_json(
        {
            "prompt": prompt,
            "entry_point": None,
            "tests": tests,
            "candidates": [{"model": f"model-{i}", "text": text} for i, text in enumerate(texts)],
        }
    )


async def test_correct_majority_is_verified_and_the_bug_named(sandbox: SubprocessSandbox) -> None:
    report = (await judge(pool(NO_DEDUP, RIGHT, RIGHT_TOO), sandbox)).to_json()
    assert report["verdict"] == "verified"
    assert report["winner"]["index"] in (1, 2)
    assert report["candidates"][0]["examples_passed"] == 1 and report["candidates"][0]["examples_total"] == 2
    assert "second_largest([5, 5, 4])" in report["explanation"]
    assert sorted(map(sorted, report["clusters"])) == [[0], [1, 2]]


async def test_disagreement_without_examples_is_disputed_with_a_counterexample(
    sandbox: SubprocessSandbox,
) -> None:
    prompt = "Write a Python function second_largest(nums) returning the second largest value in a list."
    report = (
        await judge(pool(NO_DEDUP, RIGHT, NO_DEDUP.replace("[-2]", "[1]"), RIGHT_TOO, prompt=prompt), sandbox)
    ).to_json()
    assert report["verdict"] == "disputed"
    assert report["disagreements"], report["explanation"]
    assert "On `second_largest(" in report["explanation"]


async def test_nothing_correct_is_failed(sandbox: SubprocessSandbox) -> None:
    report = (
        await judge(
            pool(NO_DEDUP, "```python\ndef second_largest(nums):\n    return max(nums)\n```"), sandbox
        )
    ).to_json()
    assert report["verdict"] == "failed" and report["winner"] is None


async def test_broken_candidates_get_their_own_status(sandbox: SubprocessSandbox) -> None:
    hang = "```python\ndef second_largest(nums):\n    while True:\n        pass\n```"
    flood = "```python\ndef second_largest(nums):\n    while True:\n        print('x' * 10000)\n```"
    crash = "```python\nimport does_not_exist\ndef second_largest(nums):\n    return 0\n```"
    report = (
        await judge(
            pool(
                RIGHT,
                "I'm sorry, I can't.",
                "```python\ndef second_largest(nums)\n    return 1\n```",
                hang,
                flood,
                crash,
                RIGHT_TOO,
            ),
            sandbox,
            JudgeSettings(run_timeout_s=4, per_call_s=0.3),
        )
    ).to_json()
    statuses = [c["status"] for c in report["candidates"]]
    assert statuses[0] == "ok" and statuses[6] == "ok"
    assert statuses[1] == statuses[2] == "no_code"
    assert "syntax error" in report["candidates"][2]["problem"]
    assert statuses[5] == "error" and "ModuleNotFoundError" in report["candidates"][5]["problem"]
    assert report["candidates"][3]["examples_passed"] == 0  # every call timed out
    assert report["candidates"][4]["examples_passed"] == 0  # its prints went nowhere, its calls timed out
    assert report["verdict"] == "verified" and report["winner"]["index"] in (0, 6)


async def test_user_tests_count_as_checks(sandbox: SubprocessSandbox) -> None:
    prompt = "Write second_largest(nums): the second largest distinct value."
    tests = "assert second_largest([1, 2, 2]) == 1\ndef test_negative():\n    assert second_largest([-1, -2]) == -2\n"
    report = (await judge(pool(NO_DEDUP, RIGHT, prompt=prompt, tests=tests), sandbox)).to_json()
    assert [c["examples_passed"] for c in report["candidates"]] == [1, 2]
    assert report["winner"]["index"] == 1


async def test_a_prompt_helper_the_answer_relies_on_is_provided(sandbox: SubprocessSandbox) -> None:
    prompt = 'def shift(c):\n    return chr(ord(c) + 1)\n\n\ndef encode(s):\n    """Shift every char.\n    >>> encode("ab")\n    \'bc\'\n    """\n'
    answer = "```python\ndef encode(s):\n    return ''.join(shift(c) for c in s)\n```"
    report = (await judge(pool(answer, answer, prompt=prompt), sandbox)).to_json()
    assert [c["examples_passed"] for c in report["candidates"]] == [1, 1]


async def test_printing_success_without_the_work_passes_nothing(sandbox: SubprocessSandbox) -> None:
    cheat = "```python\nprint('ALL TESTS PASSED')\nimport os\nos._exit(0)\ndef second_largest(nums):\n    return 0\n```"
    report = (await judge(pool(cheat, RIGHT), sandbox)).to_json()
    assert report["candidates"][0]["examples_passed"] == 0
