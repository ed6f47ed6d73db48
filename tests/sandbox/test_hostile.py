"""Real hostile programs against every isolation layer: each must end safely and leave the host as it was.

The `run` fixture runs each test on bwrap, unshare and rlimits, and afterwards asserts that no sandboxed
process survived. Where the rlimits layer cannot give a guarantee (it is flagged weak on every result),
the test says so in its skip reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.sandbox.conftest import Runner, weak_layer_skip

CANARY = "canary-6f1d2c-not-for-sandboxes"
SHORT = 2.0


# --- time --------------------------------------------------------------------------------------------


def test_infinite_loop_times_out(run: Runner) -> None:
    result = run("while True:\n    pass\n", timeout_s=SHORT)
    assert result.status == "timeout"
    assert result.duration_ms < 30_000


def test_loop_ignoring_every_signal_times_out(run: Runner) -> None:
    code = (
        "import signal\n"
        "for s in range(1, signal.NSIG):\n"
        "    try:\n        signal.signal(s, signal.SIG_IGN)\n    except (OSError, ValueError):\n        pass\n"
        "print('ignoring', flush=True)\n"
        "while True:\n    pass\n"
    )
    result = run(code, timeout_s=SHORT)
    assert result.status == "timeout"
    assert "ignoring" in result.stdout


def test_c_level_loop_times_out(run: Runner) -> None:
    result = run("print(sum(range(10**11)))\n", timeout_s=SHORT)
    assert result.status == "timeout"
    assert result.stdout == ""


def test_sleep_forever_times_out(run: Runner) -> None:
    result = run("import time\ntime.sleep(10**6)\n", timeout_s=1.0)
    assert result.status == "timeout"


# --- processes ----------------------------------------------------------------------------------------


def test_fork_bomb_is_contained(run: Runner) -> None:
    code = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    result = run(code, timeout_s=SHORT)
    assert result.status in {"timeout", "error", "killed"}
    assert run("print('still fine')\n").stdout == "still fine\n"


def test_thread_bomb_is_contained(run: Runner) -> None:
    code = (
        "import threading, time\n"
        "n = 0\n"
        "try:\n"
        "    while True:\n"
        "        threading.Thread(target=time.sleep, args=(100,), daemon=True).start()\n"
        "        n += 1\n"
        "except BaseException as e:\n"
        "    print('stopped at', n, type(e).__name__, flush=True)\n"
        "    raise\n"
    )
    result = run(code, timeout_s=SHORT)
    assert result.status in {"error", "oom", "timeout", "killed"}
    if "stopped at" in result.stdout:
        assert int(result.stdout.split()[2]) < 64


def test_daemon_that_double_forks_and_setsids_does_not_survive(run: Runner, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    drop.chmod(0o777)
    code = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(1.5)\n"
        f"        open({str(drop / 'late')!r}, 'w').write('escaped')\n"
        "        open('/work/late', 'w').write('escaped')\n"
        "    os._exit(0)\n"
        "print('parent done', flush=True)\n"
    )
    result = run(code, timeout_s=SHORT)
    assert result.status == "ok"
    time.sleep(2.5)
    assert list(drop.iterdir()) == []


def test_killing_the_parent_and_everything_does_not_hurt_the_host(run: Runner, host_pid: int) -> None:
    code = (
        "import os, signal\n"
        "for target in (os.getppid(), 1, " + str(host_pid) + "):\n"
        "    try:\n        os.kill(target, signal.SIGKILL)\n    except OSError as e:\n"
        "        print('denied', target, e.errno)\n"
        "try:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n    pass\n"
    )
    run(code, timeout_s=SHORT)
    assert os.getpid() == host_pid  # we are still here
    assert run("print(2 + 2)\n").stdout == "4\n"


# --- memory -------------------------------------------------------------------------------------------


def test_memory_bomb_is_oom(run: Runner) -> None:
    result = run("x = bytearray(4 * 1024**3)\n", memory_mb=128)
    assert result.status == "oom"


def test_gradual_memory_growth_is_oom(run: Runner) -> None:
    result = run("chunks = []\nwhile True:\n    chunks.append(b'x' * 2**20)\n", memory_mb=128, timeout_s=10)
    assert result.status == "oom"


def test_deep_recursion_crash_is_reported(run: Runner) -> None:
    code = "import sys\nsys.setrecursionlimit(10**8)\ndef f(n):\n    return f(n + 1) + 1\nf(0)\n"
    result = run(code, timeout_s=5)
    assert result.status in {"killed", "error", "oom"}
    if result.status == "killed":
        assert result.signal == "SIGSEGV"


# --- disk ---------------------------------------------------------------------------------------------


def test_disk_fill_stays_inside(run: Runner) -> None:
    before = shutil.disk_usage("/tmp").used
    code = (
        "import os\n"
        "block = b'x' * 2**20\n"
        "for i in range(10**6):\n"
        "    try:\n"
        "        with open(f'fill{i}', 'wb') as f:\n"
        "            while True:\n                f.write(block)\n"
        "    except OSError as e:\n"
        "        last = e.errno\n"
        "        if i > 50:\n            break\n"
        "print('stopped', last)\n"
    )
    result = run(code, timeout_s=5, workdir_mb=32, file_size_mb=4)
    assert result.status in {"ok", "timeout", "error"}
    if run.tier.value != "rlimits":
        assert abs(shutil.disk_usage("/tmp").used - before) < 200 * 2**20


def test_inode_fill_ends(run: Runner) -> None:
    code = "i = 0\nwhile True:\n    open(f'f{i}', 'w').close()\n    i += 1\n"
    result = run(code, timeout_s=SHORT, workdir_mb=8)
    assert result.status in {"timeout", "error"}


# --- output -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_output_flood_is_cut(run: Runner, stream: str) -> None:
    code = f"import sys\nwhile True:\n    sys.{stream}.write('x' * 4096)\n"
    result = run(code, timeout_s=10, output_bytes=100_000)
    assert result.status == "output_limit"
    assert result.truncated
    assert len(getattr(result, stream)) == 100_000


def test_binary_garbage_output_is_decoded_with_replacement(run: Runner) -> None:
    result = run("import os\nos.write(1, bytes(range(256)))\n")
    assert result.status == "ok"
    assert "\ufffd" in result.stdout


# --- secrets ------------------------------------------------------------------------------------------


def test_environment_and_proc_leak_no_secret(
    run: Runner, monkeypatch: pytest.MonkeyPatch, host_pid: int
) -> None:
    monkeypatch.setenv("QUORUM_TEST_CANARY", CANARY)
    monkeypatch.setenv("GROQ_API_KEY", CANARY)
    code = (
        "import os\n"
        "print(dict(os.environ))\n"
        "for path in ('/proc/self/environ', '/proc/1/environ', '/proc/" + str(host_pid) + "/environ',"
        " '/proc/" + str(os.getppid()) + "/environ'):\n"
        "    try:\n        print(path, open(path, 'rb').read())\n"
        "    except OSError as e:\n        print(path, 'denied', e.errno)\n"
        "for pid in os.listdir('/proc'):\n"
        "    if pid.isdigit():\n"
        "        try:\n            print(pid, open(f'/proc/{pid}/environ', 'rb').read())\n"
        "        except OSError:\n            pass\n"
    )
    result = run(code)
    assert result.status == "ok"
    assert CANARY not in result.stdout + result.stderr
    assert "HOME" in result.stdout  # the allow-listed environment is there


def test_private_host_file_is_unreadable(run: Runner, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY)
    secret.chmod(0o600)
    code = (
        f"for path in ({str(secret)!r}, '/root/.bashrc', '/etc/shadow'):\n"
        "    try:\n        print(open(path).read())\n    except OSError as e:\n        print('denied', e.errno)\n"
    )
    if os.geteuid() != 0:
        weak_layer_skip(run, "files of the user running Quorum")
    result = run(code)
    assert CANARY not in result.stdout


def test_host_file_system_is_not_visible_in_bwrap(bwrap_run: Runner, tmp_path: Path) -> None:
    visible = tmp_path / "visible.txt"
    visible.write_text(CANARY)
    visible.chmod(0o644)
    code = (
        "import os\n"
        f"print(os.path.exists({str(visible)!r}), sorted(os.listdir('/')))\n"
        "print(os.path.exists('/etc/passwd'), os.path.exists('/home'), os.path.exists('/var/run/docker.sock'))\n"
    )
    result = bwrap_run(code)
    assert result.stdout.splitlines()[1] == "False False False"
    assert result.stdout.startswith("False")


def test_writes_outside_the_work_dir_do_not_reach_the_host(run: Runner, tmp_path: Path) -> None:
    weak_layer_skip(run, "the host file system")
    target = tmp_path / "open"
    target.mkdir()
    target.chmod(0o777)
    paths = [str(target / "x"), "/tmp/quorum-escape-test", "/var/tmp/quorum-escape-test",
             "/dev/shm/quorum-escape-test", "/usr/quorum-escape-test"]  # fmt: skip
    code = (
        f"for path in {paths!r}:\n"
        "    try:\n        open(path, 'w').write('escaped')\n        print('wrote', path)\n"
        "    except OSError as e:\n        print('denied', path, e.errno)\n"
    )
    run(code)
    for path in paths:
        assert not Path(path).exists(), path


def test_symlinks_to_host_files_lead_nowhere(run: Runner, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY)
    secret.chmod(0o600)
    code = (
        "import os\n"
        f"os.symlink({str(secret)!r}, 'link')\n"
        "os.symlink('/etc/shadow', 'shadow')\n"
        "os.symlink('/', 'root')\n"
        "for name in ('link', 'shadow'):\n"
        "    try:\n        print(open(name).read())\n    except OSError as e:\n        print('denied', e.errno)\n"
    )
    if os.geteuid() != 0:
        weak_layer_skip(run, "files of the user running Quorum")
    result = run(code)
    assert CANARY not in result.stdout
    assert secret.read_text() == CANARY  # cleaning the work dir did not follow the link


def test_second_run_does_not_see_the_first(run: Runner) -> None:
    weak_layer_skip(run, "/tmp between runs")
    first = run(
        "import os\nopen('mine.txt', 'w').write('x')\nopen('/tmp/mine.txt', 'w').write('x')\nprint(os.getcwd())\n"
    )
    assert first.status == "ok"
    second = run("import os\nprint(sorted(os.listdir('.')), sorted(os.listdir('/tmp')))\n")
    assert "mine.txt" not in second.stdout


# --- network ------------------------------------------------------------------------------------------


def test_tcp_to_a_local_listener_is_blocked(run: Runner) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.2)
        port = server.getsockname()[1]
        accepted: list[object] = []

        def accept() -> None:
            deadline = time.monotonic() + 4
            while time.monotonic() < deadline:
                try:
                    accepted.append(server.accept())
                except OSError:
                    continue

        thread = threading.Thread(target=accept)
        thread.start()
        code = f"import socket\ns = socket.create_connection(('127.0.0.1', {port}), timeout=2)\nprint('connected')\n"
        result = run(code, timeout_s=SHORT)
        thread.join()
    assert result.status in {"blocked", "error"}
    assert "connected" not in result.stdout
    assert accepted == []


def test_dns_and_udp_are_blocked(run: Runner) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.settimeout(1.0)
        port = listener.getsockname()[1]
        code = (
            "import socket\n"
            "try:\n    print(socket.getaddrinfo('example.com', 80))\nexcept OSError as e:\n    print('dns failed', e)\n"
            f"s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.sendto(b'leak', ('127.0.0.1', {port}))\n"
            "print('sent')\n"
        )
        result = run(code, timeout_s=SHORT)
        with pytest.raises(TimeoutError):
            listener.recvfrom(100)
    assert result.status in {"blocked", "error"}
    assert "sent" not in result.stdout


def test_unix_sockets_inside_still_work(run: Runner) -> None:
    result = run("import socket\na, b = socket.socketpair()\na.sendall(b'ping')\nprint(b.recv(4).decode())\n")
    assert result.stdout == "ping\n"


# --- kernel surface -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        "ctypes.CDLL(None).unshare(0x10000000)",  # CLONE_NEWUSER
        "ctypes.CDLL(None).mount(b'none', b'/tmp', b'tmpfs', 0, None)",
        "ctypes.CDLL(None).ptrace(0, 0, 0, 0)",
    ],
)
def test_dangerous_system_calls_are_blocked(run: Runner, call: str) -> None:
    result = run(f"import os, ctypes\n{call}\nprint('allowed')\n")
    assert result.status == "blocked"
    assert result.signal == "SIGSYS"


def test_program_cannot_raise_its_limits(run: Runner) -> None:
    code = (
        "import resource\n"
        "try:\n    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
        "    print('raised')\nexcept (ValueError, OSError) as e:\n    print('refused')\n"
    )
    assert run(code).stdout == "refused\n"


def test_not_root_inside(run: Runner) -> None:
    result = run(
        "import os\nprint(os.geteuid() != 0 or open('/proc/self/status').read().count('CapEff:\\t0000000000000000'))\n"
    )
    assert result.stdout.strip() in {"True", "1"}


@pytest.mark.parametrize("memory_mb", [256, 200], ids=["default-limit-set-at-start", "limit-set-per-job"])
def test_forked_memory_is_bounded_for_the_whole_run(run: Runner, memory_mb: int) -> None:
    """Twenty children each filling 100 MB would hold 2 GB: where cgroups are allowed, the run as a whole
    stays within memory_mb (the kernel kills processes at the limit); elsewhere each child hits its
    own address-space limit only, so this test needs the cgroup layer. A pooled worker's group gets
    the default limit when it starts; any other limit is written when the job comes."""
    from app.sandbox.cgroups import CgroupLimiter

    if run.tier.value == "rlimits" or not CgroupLimiter.available():
        pytest.skip("no cgroup limits here (not root, or no delegated cgroup): memory is bounded per process")
    code = (
        "import os, time\n"
        "for i in range(20):\n"
        "    if os.fork() == 0:\n"
        "        block = b'x' * (100 * 1024 * 1024)\n"
        "        time.sleep(3)\n"
        "        os._exit(0)\n"
        "time.sleep(2)\n"
        "print('parent done')\n"
    )
    result = run(code, memory_mb=memory_mb, timeout_s=5)
    assert result.status == "oom" or any("memory limit" in warning for warning in result.warnings)
