"""The sandbox's interpreter in a frozen bundle, checked from source: which executable and files are used,
what bwrap binds and where, and that quorum-sandbox-python's entry point acts like `python -c`.

The frozen bundle itself is exercised by `make installer-smoke` (tests/installer/smoke.py), which also
runs the hostile suite against it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.sandbox import isolation
from app.sandbox.isolation import (
    FROZEN_MOUNT,
    SANDBOX_EXECUTABLE,
    SANDBOX_FILES_LIST,
    Interpreter,
    Tier,
    build_command,
    find_interpreter,
    frozen_interpreter,
    interpreter_for_other_users,
)
from tests.sandbox.conftest import FROZEN_APP_ENV, Runner

SHIM = Path(isolation.__file__).with_name("frozen_python.py")


def _bundle(tmp_path: Path, listed: list[str] | None) -> Path:
    bundle = tmp_path / "dist" / "quorum"
    (bundle / "_internal" / "python3.11" / "lib-dynload").mkdir(parents=True)
    for name in ("quorum", SANDBOX_EXECUTABLE):
        (bundle / name).write_bytes(b"\x7fELF")
        (bundle / name).chmod(0o755)
    if listed is not None:
        (bundle / SANDBOX_FILES_LIST).write_text("# comment\n" + "".join(f"{n}\n" for n in listed))
    return bundle


def _frozen(monkeypatch: pytest.MonkeyPatch, bundle: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle / "_internal"), raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "quorum"))


def test_frozen_app_uses_its_sandbox_executable_and_only_the_listed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = _bundle(
        tmp_path,
        ["_internal/base_library.zip", "_internal/python3.11/lib-dynload", "/etc/passwd", "../../x"],
    )
    _frozen(monkeypatch, bundle)
    interpreter = find_interpreter()
    real = Path(os.path.realpath(bundle))
    assert interpreter.frozen
    assert interpreter.executable == str(real / SANDBOX_EXECUTABLE)
    assert interpreter.argv() == [str(real / SANDBOX_EXECUTABLE)]  # flags are built into it
    assert set(interpreter.roots) == {  # absolute and escaping entries are ignored
        str(real / SANDBOX_EXECUTABLE),
        str(real / "_internal" / "base_library.zip"),
        str(real / "_internal" / "python3.11" / "lib-dynload"),
    }


def test_frozen_app_without_a_file_list_binds_its_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = _bundle(tmp_path, None)
    _frozen(monkeypatch, bundle)
    assert find_interpreter().roots == (os.path.realpath(bundle),)


def test_a_bundle_under_usr_needs_no_binds_of_its_own() -> None:
    interpreter = frozen_interpreter("/usr/lib/quorum/quorum")
    assert interpreter.roots == ()
    assert interpreter.executable == f"/usr/lib/quorum/{SANDBOX_EXECUTABLE}"
    argv = build_command(Tier.BWRAP, interpreter, ["-c", "x"], uid=None, workdir=None, workdir_mb=8).argv
    assert argv[-3:] == [f"/usr/lib/quorum/{SANDBOX_EXECUTABLE}", "-c", "x"]


def test_bwrap_shows_the_bundle_at_a_fixed_place_read_only(tmp_path: Path) -> None:
    """A bundle under /work (the sandbox's work dir) would be hidden by the work dir's tmpfs."""
    bundle = "/work/app/dist/quorum"
    interpreter = Interpreter(
        f"{bundle}/{SANDBOX_EXECUTABLE}",
        (f"{bundle}/{SANDBOX_EXECUTABLE}", f"{bundle}/_internal/base_library.zip"),
        frozen=True,
        bundle=bundle,
    )
    argv = build_command(Tier.BWRAP, interpreter, ["-c", "x"], uid=None, workdir=None, workdir_mb=8).argv
    binds = [(argv[i + 1], argv[i + 2]) for i, arg in enumerate(argv) if arg == "--ro-bind"]
    assert (f"{bundle}/_internal/base_library.zip", f"{FROZEN_MOUNT}/_internal/base_library.zip") in binds
    assert (f"{bundle}/{SANDBOX_EXECUTABLE}", f"{FROZEN_MOUNT}/{SANDBOX_EXECUTABLE}") in binds
    assert "--bind" not in argv
    assert not any(target.startswith("/work") for _, target in binds)
    assert argv[-3:] == [f"{FROZEN_MOUNT}/{SANDBOX_EXECUTABLE}", "-c", "x"]
    assert "-S" not in argv
    # The other layers see the host's file system: there the bundle stays where it is.
    unshare = build_command(Tier.UNSHARE, interpreter, ["-c", "x"], uid=None, workdir=None, workdir_mb=8)
    assert unshare.argv[-3:] == [f"{bundle}/{SANDBOX_EXECUTABLE}", "-c", "x"]


def test_source_checkout_keeps_the_plain_interpreter_and_its_flags() -> None:
    interpreter = find_interpreter()
    assert not interpreter.frozen
    assert interpreter.bundle == ""
    assert interpreter.argv()[1:] == ["-S", "-s", "-B"]
    argv = build_command(Tier.BWRAP, interpreter, ["-c", "x"], uid=None, workdir=None, workdir_mb=8).argv
    assert argv[-6:] == [interpreter.executable, "-S", "-s", "-B", "-c", "x"]
    for root in interpreter.roots:
        assert argv[argv.index(root) + 1] == root  # bound at its own place, as before


def test_throw_away_uids_need_a_bundle_readable_by_everyone(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, ["_internal/base_library.zip"])
    (bundle / "_internal" / "base_library.zip").write_bytes(b"PK")
    (bundle / "_internal" / "base_library.zip").chmod(0o644)
    for directory in (tmp_path, tmp_path / "dist", bundle, bundle / "_internal"):
        directory.chmod(0o755)
    interpreter = frozen_interpreter(str(bundle / "quorum"))
    if all(parent.stat().st_mode & 0o001 for parent in tmp_path.resolve().parents):
        assert interpreter_for_other_users(interpreter) == interpreter
    (bundle / "_internal" / "base_library.zip").chmod(0o600)
    assert interpreter_for_other_users(interpreter) is None  # never the machine's own Python instead


def _shim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-S", "-s", "-B", str(SHIM), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_entry_point_runs_source_like_python_dash_c(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "print(sys.argv, repr(sys.path[0]), __name__, sorted(k for k in globals() if not k.startswith('__')))\n"
        "raise SystemExit(3)\n"
    )
    done = _shim("-c", code, "7", "8", cwd=tmp_path)
    assert done.returncode == 3
    assert done.stdout == "['-c', '7', '8'] '' __main__ ['sys']\n"


def test_entry_point_runs_files_and_modules(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text("import sys\nprint(sys.argv[1:], __name__)\n")
    assert _shim("prog.py", "a", cwd=tmp_path).stdout == "['a'] __main__\n"
    not_json = _shim("-B", "-m", "json.tool", "prog.py", cwd=tmp_path)  # json.tool reads it and refuses
    assert not_json.returncode == 1
    assert "Expecting value" in not_json.stderr


def test_entry_point_takes_the_flags_multiprocessing_passes_on(tmp_path: Path) -> None:
    done = _shim(
        "-I", "-s", "-X", "utf8", "-Wignore", "-c", "import sys; print(sys.argv)", "--x", cwd=tmp_path
    )
    assert done.stdout == "['-c', '--x']\n"


@pytest.mark.parametrize("args", [[], ["-c"], ["-X"], ["--help"], ["-i"]])
def test_entry_point_refuses_what_it_cannot_do_with_one_line(tmp_path: Path, args: list[str]) -> None:
    done = _shim(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: quorum-sandbox-python")
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(
    not os.environ.get(FROZEN_APP_ENV), reason=f"runs against a built bundle ({FROZEN_APP_ENV})"
)
def test_every_layer_runs_the_bundles_own_interpreter(run: Runner) -> None:
    """With a bundle given (tests/installer/smoke.py), the suites really run on its interpreter."""
    code = "import sys\nprint(hasattr(sys, '_MEIPASS'), sys.executable.rsplit('/', 1)[-1], hash('quorum'))\n"
    result = run(code)
    assert result.status == "ok", result.stderr
    assert result.stdout == f"True {SANDBOX_EXECUTABLE} -3033468002814291477\n"  # PYTHONHASHSEED=0's value
