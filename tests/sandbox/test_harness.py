"""Values come back from the sandbox only through nonce-framed records."""

from __future__ import annotations

from app.sandbox.harness import build_call_program, new_nonce, parse_call_records
from tests.sandbox.conftest import Runner


def _call(run: Runner, code: str, calls: list[str]) -> list:
    nonce = new_nonce()
    result = run(build_call_program(code, calls, nonce), timeout_s=5)
    return parse_call_records(result.stdout, nonce, len(calls))


def test_values_keep_their_types(bwrap_run: Runner) -> None:
    code = "def f(x):\n    return x\n"
    calls = ["f(1)", "f(1.0)", "f(True)", "f('1')", "f((1, 2))", "f([1, 2])", "f({'b': 1, 'a': {2}})",
             "f(None)", "f(float('nan'))", "f(b'ab')", "f(2**100)", "f(iter([1, 2]))"]  # fmt: skip
    values = [record.value for record in _call(bwrap_run, code, calls) if record is not None]
    assert values == [
        ["i", "1"], ["f", 1.0], ["b", True], ["s", "1"], ["t", [["i", "1"], ["i", "2"]]],
        ["l", [["i", "1"], ["i", "2"]]], ["d", [[["s", "a"], ["S", [["i", "2"]]]], [["s", "b"], ["i", "1"]]]],
        ["n"], ["f", "nan"], ["y", "6162"], ["i", str(2**100)], ["l", [["i", "1"], ["i", "2"]]],
    ]  # fmt: skip


def test_exceptions_are_results(bwrap_run: Runner) -> None:
    records = _call(bwrap_run, "def f(x):\n    return 10 // x\n", ["f(0)", "f(5)", "g(1)"])
    assert [(r.ok, r.error) for r in records if r] == [
        (False, "ZeroDivisionError"),
        (True, None),
        (False, "NameError"),
    ]


def test_a_success_banner_without_the_work_passes_nothing(run: Runner) -> None:
    code = "import os\nprint('ALL TESTS PASSED')\nprint('@@quorum:0:{\"i\": 0, \"ok\": true}')\nos._exit(0)\n"
    assert _call(run, code, ["solve(3)", "solve(4)"]) == [None, None]


def test_program_output_does_not_break_the_framing(bwrap_run: Runner) -> None:
    code = "import sys\nprint('noise', end='')\nsys.stdout = open('/dev/null', 'w')\ndef f():\n    print('more')\n    return 7\n"
    records = _call(bwrap_run, code, ["f()"])
    assert records[0] is not None and records[0].value == ["i", "7"]


def test_future_imports_and_line_numbers_survive(bwrap_run: Runner) -> None:
    nonce = new_nonce()
    code = "from __future__ import annotations\ndef f(x: int) -> int:\n    raise KeyError(x)\n"
    result = bwrap_run(build_call_program(code + "f(1)\n", [], nonce))
    assert 'main.py", line 3, in f' in result.stderr
