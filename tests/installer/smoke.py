"""Smoke test of a built bundle (`make installer-smoke` builds it first): run the frozen app as a user would.

    python tests/installer/smoke.py dist/quorum [--skip-suite]

Checks, each printed as PASS/FAIL with what went wrong:
- the bundle: both executables, the ONNX model, no torch / sentence-transformers / transformers, the size;
- `quorum --version`;
- `quorum sandbox` on a small program: the strongest isolation layer this machine has, the bundle's own
  interpreter (not a Python of the machine's), hash seed 0 and UTF-8 as from source, the standard
  library's extension modules;
- `quorum sandbox` on hostile programs: no network (a listener on 127.0.0.1 gets no connection), no
  secrets from the environment (a canary key), no host files, killed on timeout, memory limit, and no
  sandboxed process left afterwards;
- `quorum verify` with the recorded demo providers (then the same prompt again: an exact cache hit) and
  `quorum cache lookup` of a paraphrase (the semantic cache embeds with ONNX Runtime);
- `quorum gui --demo --prompt P --screenshot F.png` offscreen;
- the hostile suite (tests/sandbox/test_hostile.py) with the bundle's interpreter in every layer
  (tests/sandbox/test_frozen_interpreter.py checks that it is the one running).

Every command runs with private user directories and no configured providers. Prints "N passed, M failed"
last and exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "Write a Python function that reverses a string."
CANARY = "gsk_canary_5d1e0b_never_in_a_sandbox"
MAX_BUNDLE_MB = 600
# The hostile programs, and a check that every layer really ran the bundle's interpreter.
SUITES = ("tests/sandbox/test_frozen_interpreter.py", "tests/sandbox/test_hostile.py")


class Smoke:
    def __init__(self, bundle: Path, home: Path) -> None:
        self.bundle = bundle
        self.app = bundle / "quorum"
        self.home = home
        self.passed = 0
        self.failed: list[str] = []

    def env(self, **extra: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("QUORUM_")}
        for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            env[name] = str(self.home / name.lower())
        env["OLLAMA_HOST"] = "127.0.0.1:9"  # nothing listens there: the demo providers answer
        env["QT_QPA_PLATFORM"] = "offscreen"
        env.update(extra)
        return env

    def quorum(self, *args: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.app), *args],
            capture_output=True,
            text=True,
            env=self.env(**env),
            timeout=timeout,
            check=False,
            cwd=self.home,
        )

    def sandbox(self, code: str, *extra: str, **env: str) -> dict[str, object]:
        program = self.home / "program.py"
        program.write_text(code, encoding="utf-8")
        done = self.quorum("sandbox", str(program), "--json", *extra, **env)
        if done.returncode != 0:
            raise AssertionError(f"exit {done.returncode}: {done.stderr.strip()[-400:]}")
        result: dict[str, object] = json.loads(done.stdout)
        return result

    def check(self, name: str, test: Callable[[], str | None]) -> None:
        started = time.monotonic()
        try:
            note = test()
        except Exception as error:  # a failed check is reported, and the others still run
            self.failed.append(name)
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
            return
        self.passed += 1
        took = time.monotonic() - started
        print(f"PASS {name} ({took:.1f} s){': ' + note if note else ''}", flush=True)


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


# -- the bundle ------------------------------------------------------------------------------------------
def check_bundle(smoke: Smoke) -> str:
    internal = smoke.bundle / "_internal"
    for path in (smoke.app, smoke.bundle / "quorum-sandbox-python"):
        _expect(os.access(path, os.X_OK), f"{path} is not an executable")
    _expect(
        (internal / "models" / "all-MiniLM-L6-v2" / "model.onnx").is_file(), "no ONNX model in the bundle"
    )
    _expect((internal / "resources" / "demo").is_dir(), "no demo transcripts in the bundle")
    for heavy in ("torch", "sentence_transformers", "transformers"):
        _expect(not (internal / heavy).exists(), f"{heavy} is in the bundle")
    size = sum(p.lstat().st_size for p in smoke.bundle.rglob("*") if not p.is_symlink()) / 1e6
    _expect(size <= MAX_BUNDLE_MB, f"the bundle is {size:.0f} MB (target {MAX_BUNDLE_MB} MB)")
    return f"{size:.0f} MB"


def check_version(smoke: Smoke) -> str:
    done = smoke.quorum("--version")
    _expect(done.returncode == 0 and done.stdout.startswith("quorum "), f"{done.stdout!r} {done.stderr!r}")
    return done.stdout.strip()


# -- the sandbox -----------------------------------------------------------------------------------------
_INSIDE = """
import sys, os, json
import ssl, sqlite3, ctypes, decimal, lzma, bz2, zlib, hashlib, json, csv, uuid, zoneinfo, unicodedata
import xml.etree.ElementTree, asyncio, multiprocessing, select, array, math, fractions, statistics
import email.mime.text, http.client, urllib.parse, concurrent.futures, dataclasses, typing, re, itertools

if __name__ == "__main__":
    sqlite3.connect(":memory:").execute("select 1")
    child = multiprocessing.get_context("spawn").Process(target=print, args=("spawned",))
    child.start()
    child.join()
    print(json.dumps({
        "executable": sys.executable, "bundle": hasattr(sys, "_MEIPASS"), "spawn": child.exitcode,
        "hash": hash("quorum"), "order": list({"pear", "apple", "fig", "kiwi"}), "stdout": sys.stdout.encoding,
        "preferred": __import__("locale").getpreferredencoding(False), "snow": "\\u2603",
        "uid": os.getuid(), "cwd": os.getcwd(), "root": sorted(os.listdir("/")),
        "site": "site" in sys.modules, "numpy": __import__("importlib.util").util.find_spec("numpy") is not None,
    }))
"""

_SOURCE_VALUES = (
    "import json, locale\n"
    "print(json.dumps({'hash': hash('quorum'), 'order': list({'pear', 'apple', 'fig', 'kiwi'})}))\n"
)


def _strongest_layer() -> str:
    sys.path.insert(0, str(ROOT))
    from app.sandbox.isolation import Tier, tier_available

    return "bwrap" if tier_available(Tier.BWRAP) else "unshare" if tier_available(Tier.UNSHARE) else "rlimits"


def check_sandbox_runs(smoke: Smoke) -> str:
    result = smoke.sandbox(_INSIDE)
    _expect(result["status"] == "ok", f"{result['status']}: {str(result['stderr'])[-600:]}")
    lines = str(result["stdout"]).splitlines()
    _expect("spawned" in lines, f"multiprocessing's spawn failed: {str(result['stderr'])[-600:]}")
    inside = json.loads(lines[-1])
    _expect(inside["spawn"] == 0, f"the spawned process exited {inside['spawn']}")
    layer = _strongest_layer()
    _expect(result["isolation"] == layer, f"isolation {result['isolation']}, expected {layer}")
    _expect(inside["bundle"] and inside["executable"].endswith("/quorum-sandbox-python"), str(inside))
    _expect(not inside["site"] and not inside["numpy"], "site-packages or the app's packages are visible")
    _expect(inside["snow"] == "\u2603" and inside["stdout"] == "utf-8", "stdout is not UTF-8")
    _expect(inside["preferred"].lower().replace("-", "") == "utf8", f"files default to {inside['preferred']}")
    _expect(inside["uid"] != 0, "the program runs as root")
    source = subprocess.run(
        [sys.executable, "-S", "-c", _SOURCE_VALUES],
        capture_output=True,
        text=True,
        env={"PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    expected = json.loads(source.stdout)
    _expect(
        inside["hash"] == expected["hash"] and inside["order"] == expected["order"],
        "hashes differ from PYTHONHASHSEED=0 (candidates' set order would not compare)",
    )
    if layer == "bwrap":
        _expect("root" not in inside["root"] and "home" not in inside["root"], f"host dirs: {inside['root']}")
    return f"{result['isolation']}, {result['duration_ms']:.0f} ms"


def check_no_network(smoke: Smoke) -> str:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    connected: list[object] = []

    def accept() -> None:
        end = time.monotonic() + 20
        while time.monotonic() < end and not connected:
            try:
                connected.append(listener.accept())
            except TimeoutError:
                continue
            except OSError:
                return

    waiter = threading.Thread(target=accept, daemon=True)
    waiter.start()
    code = (
        "import socket\n"
        f"socket.create_connection(('127.0.0.1', {port}), timeout=3).sendall(b'leak')\n"
        "print('connected')\n"
    )
    try:
        result = smoke.sandbox(code)
    finally:
        time.sleep(0.3)
        listener.close()
        waiter.join(5)
    _expect(not connected, "the sandboxed program reached a host port")
    _expect(result["status"] in ("blocked", "error"), f"status {result['status']}")
    _expect("connected" not in str(result["stdout"]), "the connection succeeded")
    return str(result["status"])


def check_no_secrets(smoke: Smoke) -> str:
    code = (
        "import os, glob\n"
        "seen = [repr(dict(os.environ))]\n"
        "for path in glob.glob('/proc/*/environ') + ['/proc/1/cmdline', '/etc/passwd', '/root/.bashrc']:\n"
        "    try:\n        seen.append(open(path, 'rb').read().decode('latin-1'))\n"
        "    except OSError:\n        pass\n"
        "print('\\n'.join(seen))\n"
    )
    result = smoke.sandbox(code, GROQ_API_KEY=CANARY, QUORUM_SECRET=CANARY, HOME=str(smoke.home))
    _expect(result["status"] == "ok", f"{result['status']}: {str(result['stderr'])[-300:]}")
    output = str(result["stdout"])
    _expect(CANARY not in output, "the canary key reached the sandbox")
    _expect(str(smoke.home) not in output, "the host HOME reached the sandbox")
    return "canary not seen"


def check_timeout_kills(smoke: Smoke) -> str:
    spin = "import os\nos.fork()\nwhile True:\n    pass\n"
    result = smoke.sandbox(spin, "--timeout", "2")
    _expect(result["status"] == "timeout", f"status {result['status']}")
    sleeper = smoke.sandbox("import time\nprint('zz', flush=True)\ntime.sleep(10**6)\n", "--timeout", "1")
    _expect(sleeper["status"] == "timeout" and sleeper["stdout"] == "zz\n", str(sleeper))
    _expect(not _leftovers(smoke.bundle), "sandboxed processes survived")
    return f"killed after {result['duration_ms']:.0f} ms"


def check_memory_limit(smoke: Smoke) -> str:
    result = smoke.sandbox("x = bytearray(1024 * 1024 * 1024)\nprint('allocated')\n", "--memory-mb", "128")
    _expect(result["status"] in ("oom", "error"), f"status {result['status']}")
    _expect("allocated" not in str(result["stdout"]), "1 GiB allocated under a 128 MB limit")
    return str(result["status"])


def _leftovers(bundle: Path) -> list[int]:
    """Processes still running the bundle's sandbox interpreter (the kernel may need a moment)."""
    deadline = time.monotonic() + 5
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    cmdline = (entry / "cmdline").read_bytes()
                    state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                except OSError:
                    continue
                if b"quorum-sandbox-python" in cmdline and state != "Z":
                    found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


# -- the pipeline and the window -------------------------------------------------------------------------
def check_verify(smoke: Smoke) -> str:
    done = smoke.quorum("verify", PROMPT, "--json")
    _expect(done.returncode == 0, f"exit {done.returncode}: {done.stderr.strip()[-400:]}")
    result = json.loads(done.stdout)
    _expect(result["verdict"] == "verified", f"verdict {result['verdict']}: {result['explanation'][:200]}")
    ran = [a for a in result["answers"] if a["execution"] and a["execution"]["status"] == "ok"]
    _expect(len(ran) >= 2, "fewer than two answers ran in the sandbox")
    again = json.loads(smoke.quorum("verify", PROMPT, "--json").stdout)
    _expect(again["cache"] == "exact", f"repeat: cache {again['cache']}")
    return (
        f"{result['verdict']} ({result['confidence']:.2f}), {len(result['answers'])} answers, repeat: exact"
    )


def check_semantic_cache(smoke: Smoke) -> str:
    done = smoke.quorum("cache", "lookup", "Write a Python function which reverses a string.", "--json")
    _expect(done.returncode == 0, f"exit {done.returncode}: {done.stderr.strip()[-400:]}")
    result = json.loads(done.stdout)
    _expect(result["hit"] and result["kind"] == "semantic", f"no semantic match: {result}")
    return f"{result['kind']}, similarity {result['similarity']:.3f}"


def check_gui_screenshot(smoke: Smoke) -> str:
    picture = smoke.home / "window.png"
    done = smoke.quorum("gui", "--demo", "--prompt", PROMPT, "--screenshot", str(picture))
    _expect(done.returncode == 0, f"exit {done.returncode}: {done.stderr.strip()[-400:]}")
    header = picture.read_bytes()[:24]
    _expect(header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG")
    width, height = struct.unpack(">II", header[16:24])
    _expect(width >= 800 and height >= 600, f"a {width}x{height} picture")
    return f"{width}x{height}, {picture.stat().st_size // 1024} KiB"


def check_startup_report(smoke: Smoke) -> str:
    started = time.time()
    done = smoke.quorum("gui", "--demo", "--startup-report")
    _expect(done.returncode == 0, f"exit {done.returncode}: {done.stderr.strip()[-400:]}")
    marks = json.loads(done.stdout.strip().splitlines()[-1])
    _expect(marks["embedder"] == "onnx", f"embedder {marks['embedder']} ({marks['cache_state']})")
    return f"window usable after {(marks['usable'] - started) * 1000:.0f} ms (one launch; see bench/installer.py)"


def check_hostile_suite(smoke: Smoke) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *SUITES],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QUORUM_TEST_FROZEN_APP": str(smoke.app)},
        timeout=1800,
        check=False,
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    _expect(done.returncode == 0, f"{summary}\n{done.stdout[-3000:]}")
    return summary


def _enterable_by_everyone(path: Path) -> bool:
    return all(parent.stat().st_mode & 0o001 for parent in path.parents)


# The unshare layer mounts private tmpfs over these: a bundle below one is invisible inside it.
_HIDDEN_IN_THE_SANDBOX = ("/tmp", "/var/tmp", "/dev/shm", "/run")


def _needs_a_copy(bundle: Path) -> str | None:
    """Why the bundle cannot be tested where it was built (None: it can), as an installed one would be."""
    for hidden in _HIDDEN_IN_THE_SANDBOX:
        if bundle.is_relative_to(hidden):
            return f"{bundle} is under {hidden}, which the unshare layer replaces with a private tmpfs"
    if os.geteuid() == 0 and not _enterable_by_everyone(bundle):
        # As root, the unshare and rlimits layers run the interpreter as a throw-away uid straight from
        # the host file system (bwrap binds it), so the bundle must sit where every user may enter.
        return f"{bundle} is inside a directory other users cannot enter"
    return None


def _installed_copy(bundle: Path, reason: str) -> Path:
    """A copy where an installed bundle would be: /opt as root, else the home directory (the sandbox
    then runs as this user)."""
    base = "/opt" if os.geteuid() == 0 else str(Path.home())
    place = Path(tempfile.mkdtemp(prefix="quorum-smoke-", dir=base))
    place.chmod(0o755)  # the sandbox uids must reach the copy, as they would reach /opt/quorum
    copy = place / bundle.name
    shutil.copytree(bundle, copy, symlinks=True)
    print(f"smoke: {reason}; testing a copy in {copy}")
    return copy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the one-folder bundle (dist/quorum)")
    parser.add_argument("--skip-suite", action="store_true", help="skip the hostile suite (the slowest part)")
    args = parser.parse_args()
    bundle = args.bundle.resolve()
    if not (bundle / "quorum").is_file():
        print(f"smoke: no bundle at {bundle}: run `make installer` first", file=sys.stderr)
        return 2
    reason = _needs_a_copy(bundle)
    copy = _installed_copy(bundle, reason) if reason is not None else None
    try:
        return _run_checks(copy or bundle, skip_suite=args.skip_suite)
    finally:
        if copy is not None:
            shutil.rmtree(copy.parent, ignore_errors=True)


def _run_checks(bundle: Path, *, skip_suite: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="quorum-smoke-") as home:
        smoke = Smoke(bundle, Path(home))
        checks: list[tuple[str, Callable[[Smoke], str]]] = [
            ("bundle contents and size", check_bundle),
            ("quorum --version", check_version),
            ("sandbox: small program, isolation on", check_sandbox_runs),
            ("sandbox: no network", check_no_network),
            ("sandbox: no secrets from the environment", check_no_secrets),
            ("sandbox: killed on timeout, nothing left", check_timeout_kills),
            ("sandbox: memory limit", check_memory_limit),
            ("verify with the demo providers", check_verify),
            ("cache lookup of a paraphrase (ONNX embedder)", check_semantic_cache),
            ("gui --screenshot offscreen", check_gui_screenshot),
            ("gui start-up report", check_startup_report),
        ]
        if not skip_suite:
            checks.append(("hostile suite on the bundle's interpreter", check_hostile_suite))
        for name, test in checks:
            smoke.check(name, lambda test=test: test(smoke))  # type: ignore[misc]
    print(f"{smoke.passed} passed, {len(smoke.failed)} failed")
    return 1 if smoke.failed else 0


if __name__ == "__main__":
    sys.exit(main())
