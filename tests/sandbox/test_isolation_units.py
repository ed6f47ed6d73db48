"""Command lines and filters, checked without running them (the hostile suite runs them for real)."""

from __future__ import annotations

import struct

import pytest

from app.sandbox import seccomp
from app.sandbox.base import SandboxLimits, SandboxRequest, classify_exit
from app.sandbox.isolation import Interpreter, Tier, build_command, sandbox_env

PY = Interpreter("/opt/py/bin/python3.11", ("/opt/py",))


def test_bwrap_unprivileged_uses_every_namespace_and_no_host_paths() -> None:
    argv = build_command(Tier.BWRAP, PY, ["-c", "x"], uid=None, workdir=None, workdir_mb=32).argv
    for flag in ("--unshare-all", "--unshare-user", "--die-with-parent", "--new-session", "--clearenv",
                 "--disable-userns"):  # fmt: skip
        assert flag in argv
    binds = [argv[i + 1] for i, arg in enumerate(argv) if arg in ("--bind", "--ro-bind")]
    assert binds == ["/usr", "/opt/py"] or set(binds) <= {
        "/usr",
        "/opt/py",
        "/lib",
        "/lib64",
        "/bin",
        "/sbin",
    }
    assert "--bind" not in argv  # nothing of the host is writable
    assert argv[argv.index("--tmpfs") - 1] == str(32 * 1024 * 1024)
    assert "setpriv" not in argv


def test_bwrap_as_root_drops_to_the_given_uid_without_a_user_namespace() -> None:
    argv = build_command(
        Tier.BWRAP, PY, ["-c", "x"], uid=1879048200, workdir=None, workdir_mb=8, seccomp_fd=9
    ).argv
    assert "--unshare-all" not in argv  # it would map the sandbox to host uid 0
    for flag in ("--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"):
        assert flag in argv
    start = argv.index("setpriv")
    assert argv[start : start + 7] == [
        "setpriv", "--reuid=1879048200", "--regid=1879048200", "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
    ]  # fmt: skip
    assert argv[argv.index("--seccomp") + 1] == "9"


def test_environment_is_an_allow_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "gsk_secret_value_123456")
    command = build_command(Tier.RLIMITS, PY, [], uid=None, workdir="/tmp/w", workdir_mb=8)
    assert set(command.env) == set(sandbox_env("/tmp/w"))
    assert "gsk_secret_value_123456" not in " ".join(command.argv + list(command.env.values()))
    bwrap = build_command(Tier.BWRAP, PY, [], uid=None, workdir=None, workdir_mb=8)
    assert bwrap.env == {}  # bwrap gets an empty environment and --clearenv; it sets the allow-list itself


@pytest.mark.parametrize("machine", ["x86_64", "aarch64"])
def test_seccomp_filter_is_well_formed(machine: str) -> None:
    program = seccomp.build_filter(machine)
    assert len(program) % 8 == 0 and len(program) // 8 < 4096
    instructions = [struct.unpack("<HBBI", program[i : i + 8]) for i in range(0, len(program), 8)]
    assert instructions[-1] == (0x06, 0, 0, 0x80000000)  # the shared kill target
    assert all(op != 0x06 or jt == jf == 0 for op, jt, jf, _ in instructions)


def test_seccomp_filters_differ_by_architecture_and_unknown_ones_are_refused() -> None:
    assert seccomp.build_filter("x86_64") != seccomp.build_filter("aarch64")
    assert not seccomp.supported("riscv64")
    with pytest.raises(ValueError, match="riscv64"):
        seccomp.build_filter("riscv64")


@pytest.mark.parametrize(
    ("exit_code", "signal_number", "stderr", "expected"),
    [
        (0, None, "", ("ok", None)),
        (1, None, "Traceback...\nValueError: x\n", ("error", None)),
        (1, None, "Traceback...\nMemoryError\n\n", ("oom", None)),
        (None, 31, "", ("blocked", "SIGSYS")),
        (None, 24, "", ("timeout", "SIGXCPU")),
        (None, 11, "", ("killed", "SIGSEGV")),
    ],
)
def test_exit_classification(exit_code, signal_number, stderr, expected) -> None:  # type: ignore[no-untyped-def]
    assert classify_exit(exit_code=exit_code, signal_number=signal_number, stderr=stderr) == expected


def test_limits_and_requests_reject_nonsense() -> None:
    with pytest.raises(ValueError):
        SandboxLimits(timeout_s=0)
    with pytest.raises(ValueError):
        SandboxLimits(memory_mb=1)
    with pytest.raises(ValueError, match="larger than"):
        SandboxRequest(code="x" * 2_000_000)
    assert SandboxLimits(timeout_s=2.5).launcher_header(10) == b"10 3 256 16 64 32\n"
