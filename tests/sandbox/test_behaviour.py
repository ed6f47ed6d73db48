"""Ordinary programs behave in the sandbox as they would under `python main.py`."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import Runner


def test_output_exit_code_and_result_fields(run: Runner) -> None:
    result = run("print('héllo ✓')\n")
    assert (result.status, result.exit_code, result.stdout, result.stderr) == ("ok", 0, "héllo ✓\n", "")
    assert result.backend == "subprocess"
    assert result.isolation == run.tier.value
    assert result.duration_ms > 0
    assert not result.truncated


def test_weak_layer_says_so_on_every_result(run: Runner) -> None:
    result = run("pass\n")
    if run.tier.value == "rlimits":
        assert any("weak isolation" in warning for warning in result.warnings)
    elif run.tier.value == "bwrap":
        assert result.warnings == []


def test_stdin_is_given(run: Runner) -> None:
    result = run("import sys\nprint(sys.stdin.read()[::-1])\n", stdin=b"abc")
    assert result.stdout == "cba\n"


def test_stdin_is_closed_when_not_given(run: Runner) -> None:
    assert run("import sys\nprint(repr(sys.stdin.read()))\n").stdout == "''\n"


def test_large_stdin_the_program_never_reads_does_not_hang(run: Runner) -> None:
    result = run("print('ignored stdin')\n", stdin=b"x" * 5_000_000, timeout_s=10)
    assert (result.status, result.stdout) == ("ok", "ignored stdin\n")


def test_large_stdin_is_read_whole(run: Runner) -> None:
    result = run("import sys\nprint(len(sys.stdin.buffer.read()))\n", stdin=b"y" * 3_000_000, timeout_s=10)
    assert result.stdout == "3000000\n"


def test_exception_gives_error_with_a_clean_traceback(run: Runner) -> None:
    result = run("def f():\n    raise ValueError('bad input')\nf()\n")
    assert (result.status, result.exit_code) == ("error", 1)
    assert 'main.py", line 2, in f' in result.stderr
    assert result.stderr.rstrip().endswith("ValueError: bad input")
    assert "<string>" not in result.stderr  # the launcher's own frame is not shown


def test_syntax_error_is_an_error(run: Runner) -> None:
    result = run("def broken(:\n")
    assert result.status == "error"
    assert "SyntaxError" in result.stderr


@pytest.mark.parametrize(
    ("code", "exit_code", "stderr"),
    [
        ("raise SystemExit(3)", 3, ""),
        ("import sys\nsys.exit('custom failure')", 1, "custom failure\n"),
        ("raise SystemExit", 0, ""),
    ],
)
def test_system_exit_semantics(run: Runner, code: str, exit_code: int, stderr: str) -> None:
    result = run(code + "\n")
    assert (result.exit_code, result.stderr) == (exit_code, stderr)
    assert result.status == ("ok" if exit_code == 0 else "error")


def test_main_module_file_and_argv(run: Runner) -> None:
    code = "import sys\nprint(__name__, __file__.endswith('main.py'), sys.argv[0].endswith('main.py'))\n"
    assert run(code).stdout == "__main__ True True\n"


def test_atexit_and_non_daemon_threads_finish_before_exit(run: Runner) -> None:
    code = (
        "import atexit, threading, time\n"
        "atexit.register(lambda: print('atexit ran'))\n"
        "def late():\n    time.sleep(0.2)\n    print('thread done', flush=True)\n"
        "threading.Thread(target=late).start()\n"
        "print('main done')\n"
    )
    assert run(code).stdout == "main done\nthread done\natexit ran\n"


def test_killed_by_a_signal_is_reported_with_its_name(run: Runner) -> None:
    result = run("import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n")
    assert (result.status, result.signal, result.exit_code) == ("killed", "SIGTERM", None)


def test_hash_order_is_the_same_in_every_run(run: Runner) -> None:
    code = "print(list({'apple', 'banana', 'cherry', 'date', 'elder', 'fig'}))\n"
    assert run(code).stdout == run(code).stdout


def test_cpu_limit_backs_up_the_wall_clock(run: Runner) -> None:
    # A CPU-seconds limit of ceil(timeout)+1 kills a busy loop even if the wall clock were missed;
    # here the wall clock comes first, but either way the status is `timeout`.
    result = run("while True:\n    pass\n", timeout_s=1.0)
    assert result.status == "timeout"


def test_claimed_success_is_just_output(run: Runner) -> None:
    """A program that prints a success banner without doing anything is `ok` with that text, nothing more.

    The sandbox reports what happened; deciding correctness from values is the judge's job (see
    tests/sandbox/test_harness.py for the nonce-framed results that such a banner cannot fake).
    """
    result = run("print('ALL TESTS PASSED')\n")
    assert result.to_json()["status"] == "ok"
    assert set(result.to_json()) == {
        "status", "exit_code", "stdout", "stderr", "duration_ms", "backend", "truncated",
        "signal", "isolation", "warnings",
    }  # fmt: skip
