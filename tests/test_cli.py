"""`quorum` as a user runs it: a real process, the JSON contract, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CONTRACT_TYPES = {
    "status": str, "exit_code": (int, type(None)), "stdout": str, "stderr": str,
    "duration_ms": float, "backend": str, "truncated": bool,
}  # fmt: skip


def quorum(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def _program(tmp_path: Path, code: str, name: str = "prog.py") -> str:
    path = tmp_path / name
    path.write_text(code)
    return str(path)


def _assert_one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode != 0
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in lines[0]


def test_sandbox_json_follows_the_contract(tmp_path: Path) -> None:
    done = quorum("sandbox", _program(tmp_path, "print(input().upper())\n"), "--stdin",
                  _program(tmp_path, "shout\n", "in.txt"), "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    for key, kind in CONTRACT_TYPES.items():
        assert isinstance(result[key], kind), key
    assert (result["status"], result["stdout"], result["backend"]) == ("ok", "SHOUT\n", "subprocess")


@pytest.mark.parametrize(
    ("code", "flags", "status"),
    [
        ("raise ValueError('x')\n", [], "error"),
        ("while True:\n    pass\n", ["--timeout", "1"], "timeout"),
        ("x = bytearray(2**31)\n", ["--memory-mb", "64"], "oom"),
        ("import socket\nsocket.create_connection(('127.0.0.1', 9))\n", [], "blocked"),
    ],
)
def test_exit_code_is_zero_whatever_the_program_did(
    tmp_path: Path, code: str, flags: list[str], status: str
) -> None:
    done = quorum("sandbox", _program(tmp_path, code), "--json", *flags)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == status


def test_program_from_stdin(tmp_path: Path) -> None:
    done = quorum("sandbox", "-", "--json", stdin=b"print(6 * 7)\n")
    assert json.loads(done.stdout)["stdout"] == "42\n"


def test_secrets_in_the_callers_environment_stay_out(tmp_path: Path) -> None:
    code = "import os\nprint(os.environ)\nprint(open('/proc/self/environ', 'rb').read())\n"
    done = quorum(
        "sandbox", _program(tmp_path, code), "--json", env={"GROQ_API_KEY": "gsk_do_not_leak_123456"}
    )
    assert "gsk_do_not_leak_123456" not in done.stdout


def test_human_output_shows_escape_sequences_inert(tmp_path: Path) -> None:
    done = quorum("sandbox", _program(tmp_path, "print('\\x1b[2J\\x1b[31mred')\n"))
    assert done.returncode == 0
    assert "\x1b" not in done.stdout
    assert "\\x1b[31mred" in done.stdout
    assert done.stdout.startswith("status: ok")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["sandbox", "/nonexistent/prog.py"], ["no such file"]),
        (["sandbox", "PROG", "--timeout", "-1"], ["--timeout"]),
        (["sandbox", "PROG", "--timeout", "soon"], ["not a number"]),
        (["sandbox", "PROG", "--memory-mb", "1"], ["--memory-mb"]),
        (["sandbox", "PROG", "--backend", "vm"], ["invalid choice"]),
        (["sandbox", "PROG", "--stdin", "/nonexistent"], ["--stdin", "no such file"]),
        (["sandbox", "PROG", "--config", "/nonexistent.toml"], ["/nonexistent.toml", "not found"]),
        (["sandbox", "PROG", "--isolation", "rlimits", "--backend", "docker"], ["--isolation"]),
        (["frobnicate"], ["invalid choice"]),
    ],
)
def test_user_mistakes_get_one_line(tmp_path: Path, args: list[str], needles: list[str]) -> None:
    program = _program(tmp_path, "print(1)\n")
    done = quorum(*[program if arg == "PROG" else arg for arg in args])
    _assert_one_line_error(done, *needles)
    assert done.returncode == 2


def test_broken_config_names_file_key_and_allowed_values(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[sandbox]\nbackend = 'vm'\n")
    done = quorum("sandbox", _program(tmp_path, "print(1)\n"), "--config", str(config))
    _assert_one_line_error(done, str(config), "sandbox.backend", "'subprocess'")


def test_binary_and_oversized_programs_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "b.py"
    binary.write_bytes(b"\xff\xfe\x00junk")
    _assert_one_line_error(quorum("sandbox", str(binary)), "not UTF-8")
    big = tmp_path / "big.py"
    big.write_text("#" * 1_500_000)
    _assert_one_line_error(quorum("sandbox", str(big)), "larger than")


def test_docker_backend_without_an_engine_says_why(tmp_path: Path) -> None:
    from app.sandbox.docker_backend import docker_unavailable_reason

    if docker_unavailable_reason() is None:
        pytest.skip("a Docker engine answers here; this test is about machines without one")
    done = quorum("sandbox", _program(tmp_path, "print(1)\n"), "--backend", "docker")
    _assert_one_line_error(done, "docker", "DOCKER_HOST")


def test_version_and_help() -> None:
    assert quorum("--version").stdout.startswith("quorum ")
    assert "sandbox" in quorum().stdout


def test_a_reader_that_goes_away_is_not_an_internal_error(tmp_path: Path) -> None:
    """`quorum sandbox prog.py | head -1`: head exits after one line; quorum must end quietly."""
    program = _program(tmp_path, "print('\\n'.join(str(n) for n in range(20000)))\n")
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before quorum writes a byte
    with subprocess.Popen(
        [sys.executable, "-m", "app", "sandbox", program],
        stdout=writer,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        os.close(writer)
        _, err = process.communicate(timeout=120)
    assert process.returncode == 141, err
    assert "internal error" not in err
    assert "Traceback" not in err
