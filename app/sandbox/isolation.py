"""Isolation layers for the subprocess backend and the command lines that set them up.

Strongest first:
- `bwrap`: bubblewrap. New PID, network, IPC, UTS (and, unprivileged, user) namespaces; a root file
  system holding only /usr and the interpreter, read-only; a private size-limited tmpfs work dir and /tmp;
  no /etc, no /home, no host /proc. As root we do not let bwrap create a user namespace (it would map the
  sandbox to host uid 0); bwrap runs privileged and `setpriv` drops to a throw-away uid with no
  capabilities, so the program is an ordinary unprivileged process on the host too.
- `unshare`: util-linux namespaces (PID, network, IPC, UTS, mount). Every host mount is remounted
  read-only inside, and tmpfs hides /tmp, /var/tmp, /dev/shm and /run; host files the sandbox uid may
  read stay readable.
- `rlimits`: resource limits and a session only. No network or file-system isolation: weak, and every
  result says so.
In every layer the launcher (see `launcher.py`) applies rlimits and a seccomp filter before the program.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

__all__ = [
    "SANDBOX_EXECUTABLE",
    "SANDBOX_FILES_LIST",
    "SANDBOX_HOME",
    "Interpreter",
    "Tier",
    "WorkerCommand",
    "build_command",
    "find_interpreter",
    "frozen_interpreter",
    "interpreter_for_other_users",
    "tier_available",
    "tier_warnings",
]

SANDBOX_HOME = "/work"
# In a frozen bundle, beside the app's executable (see build_installer.spec and frozen_python.py).
SANDBOX_EXECUTABLE = "quorum-sandbox-python"
SANDBOX_FILES_LIST = "_internal/quorum-sandbox-files.txt"
FROZEN_MOUNT = "/opt/quorum"
_SYSTEM_LINKS = ("bin", "sbin", "lib", "lib64", "lib32", "libx32")


class Tier(StrEnum):
    BWRAP = "bwrap"
    UNSHARE = "unshare"
    RLIMITS = "rlimits"


def tier_warnings(tier: Tier) -> list[str]:
    if tier is Tier.RLIMITS:
        return [
            "weak isolation: only resource limits apply (no network, file-system or process isolation); "
            "install bubblewrap for a real sandbox"
        ]
    if tier is Tier.UNSHARE:
        return ["partial isolation: host files readable by the sandbox user stay visible; install bubblewrap"]
    return []


@dataclass(frozen=True)
class Interpreter:
    """The Python that runs inside the sandbox and the host directories it needs."""

    executable: str
    roots: tuple[str, ...]  # read-only binds besides /usr
    # A frozen bundle's quorum-sandbox-python (frozen_python.py): it takes no flags, and bwrap shows its
    # bundle directory `bundle` at FROZEN_MOUNT (a bundle under /work would vanish under the work dir).
    frozen: bool = False
    bundle: str = ""

    def argv(self) -> list[str]:
        if self.frozen:
            return [self.executable]  # what the flags below do is built into it (build_installer.spec)
        # -S: no site-packages (stdlib only, fast start); -s: no user site; -B: no .pyc writes.
        return [self.executable, "-S", "-s", "-B"]

    def inside_bwrap(self, host_path: str) -> str:
        """Where bwrap's sandbox sees a host path of this interpreter."""
        if self.bundle and _under(host_path, self.bundle):
            return FROZEN_MOUNT + host_path[len(self.bundle.rstrip("/")) :]
        return host_path


def find_interpreter() -> Interpreter:
    """The base interpreter behind this process (a venv's python is only a link to it)."""
    if getattr(sys, "frozen", False):
        return frozen_interpreter(sys.executable)
    executable = os.path.realpath(getattr(sys, "_base_executable", "") or sys.executable)
    prefix = os.path.realpath(sys.base_prefix)
    roots = {prefix} if not _under(prefix, "/usr") else set()
    if not _under(executable, "/usr") and not _under(executable, prefix):
        roots.add(str(Path(executable).parent))
    return Interpreter(executable=executable, roots=tuple(sorted(roots)))


def frozen_interpreter(app_executable: str) -> Interpreter:
    """The sandbox interpreter shipped beside a frozen app's executable, and the bundle files it needs.

    The spec lists those files (SANDBOX_FILES_LIST: the helper, its libraries, the standard library), so
    bwrap binds only them, not the app, its packages or the embedding model; without the list, the whole
    bundle directory.
    """
    bundle = Path(os.path.realpath(app_executable)).parent.resolve()
    executable = str(bundle / SANDBOX_EXECUTABLE)
    try:
        listed = (bundle / SANDBOX_FILES_LIST).read_text(encoding="utf-8").splitlines()
    except OSError:
        listed = []
    names = [name for name in listed if name and not name.startswith(("/", "#")) and ".." not in name]
    paths = ({str(bundle / name) for name in names} | {executable}) if names else {str(bundle)}
    if _under(str(bundle), "/usr"):  # bound with /usr already, at its own place
        return Interpreter(executable, (), frozen=True)
    return Interpreter(executable, tuple(sorted(paths)), frozen=True, bundle=str(bundle))


def interpreter_for_other_users(preferred: Interpreter) -> Interpreter | None:
    """An interpreter a throw-away uid can run without bwrap's private binds (root home dirs are 0700)."""
    if preferred.frozen:  # no Python of the machine's: the bundle itself must be readable by everyone
        usable = _world_usable(preferred.executable) and all(_world_usable(root) for root in preferred.roots)
        return preferred if usable else None
    stdlib_landmark = Path(os.__file__)
    if _world_usable(preferred.executable) and _world_usable(str(stdlib_landmark)):
        return preferred
    system = "/usr/bin/python3"
    return Interpreter(system, ()) if _world_usable(system) else None


def _world_usable(path: str) -> bool:
    real = Path(os.path.realpath(path))
    try:
        if not real.stat().st_mode & 0o004:
            return False
        return all(parent.stat().st_mode & 0o001 for parent in real.parents)
    except OSError:
        return False


@dataclass(frozen=True)
class WorkerCommand:
    argv: list[str]
    env: dict[str, str]
    cwd: str | None
    run_as_uid: int | None  # Popen(user=...) for layers that do not switch uid themselves


def sandbox_env(home: str) -> dict[str, str]:
    """The whole environment a sandboxed program gets: an allow-list, never the host's."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": "/tmp",  # noqa: S108 - a private tmpfs inside the sandbox
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",  # the same set/dict order for every candidate, so outputs compare
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def build_command(
    tier: Tier,
    interpreter: Interpreter,
    launcher_args: list[str],
    *,
    uid: int | None,
    workdir: str | None,
    workdir_mb: int,
    seccomp_fd: int | None = None,
) -> WorkerCommand:
    """Command line for one sandboxed launcher. `uid` is set when we are root and must drop to it.

    `workdir` is the host work dir (rlimits layer only); `seccomp_fd` a filter for bwrap to load.
    """
    python = [*interpreter.argv(), *launcher_args]
    if tier is Tier.BWRAP:
        python[0] = interpreter.inside_bwrap(python[0])
        return WorkerCommand(_bwrap(interpreter, python, uid, workdir_mb, seccomp_fd), {}, None, None)
    if tier is Tier.UNSHARE:
        return WorkerCommand(_unshare(python, uid, workdir_mb), sandbox_env(_UNSHARE_HOME), "/", None)
    if workdir is None:
        raise ValueError("the rlimits layer needs a host work dir")
    return WorkerCommand(python, sandbox_env(workdir), workdir, uid)


def _setpriv(uid: int) -> list[str]:
    return [
        "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs",
    ]  # fmt: skip


def _bwrap(
    interpreter: Interpreter, python: list[str], uid: int | None, workdir_mb: int, seccomp_fd: int | None
) -> list[str]:
    size = str(workdir_mb * 1024 * 1024)
    argv = ["bwrap", "--die-with-parent", "--new-session", "--clearenv", "--hostname", "sandbox"]
    if uid is None:
        argv += ["--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
                 "--disable-userns", "--cap-drop", "ALL"]  # fmt: skip
    else:
        argv += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    argv += ["--ro-bind", "/usr", "/usr"]
    for name in _SYSTEM_LINKS:
        host = Path("/") / name
        if host.is_symlink():
            argv += ["--symlink", str(host.readlink()), str(host)]
        elif host.is_dir():
            argv += ["--ro-bind", str(host), str(host)]
    made: set[str] = set()
    for root in interpreter.roots:
        inside = interpreter.inside_bwrap(root)
        for parent in reversed(Path(inside).parents):
            if str(parent) != "/" and str(parent) not in made:
                made.add(str(parent))  # bwrap would create it 0700, which the sandbox uid cannot enter
                argv += ["--perms", "0755", "--dir", str(parent)]
        argv += ["--ro-bind", root, inside]
    argv += ["--proc", "/proc", "--dev", "/dev"]
    argv += ["--perms", "1777", "--size", size, "--tmpfs", SANDBOX_HOME]
    argv += ["--perms", "1777", "--size", size, "--tmpfs", "/tmp"]  # noqa: S108
    argv += ["--chdir", SANDBOX_HOME]
    for key, value in sandbox_env(SANDBOX_HOME).items():
        argv += ["--setenv", key, value]
    if seccomp_fd is not None:
        argv += ["--seccomp", str(seccomp_fd)]
    if uid is not None:
        argv += _setpriv(uid)
    return argv + python


_UNSHARE_HOME = "/tmp/work"  # noqa: S108 - inside the private tmpfs mounted below
# $1 tmpfs size, $2 inode cap, then the command. Host mounts turn read-only (only in this namespace),
# writable places get private tmpfs, so nothing the program writes reaches the host.
_MOUNT_SCRIPT = (
    "cut -d' ' -f5 /proc/self/mountinfo | while read -r m; do case $m in /proc*|/sys*) ;; "
    '*) mount -o remount,bind,ro "$m" 2>/dev/null;; esac; done; '
    'mount -t tmpfs -o "size=$1,nr_inodes=$2,mode=1777" quorum /tmp || exit 125; '
    "for d in /var/tmp /dev/shm /run; do "
    "[ -d $d ] && mount -t tmpfs -o size=64k,nr_inodes=16,mode=755 quorum $d; done; "
    # Not `exec`: the shell stays PID 1, so the program is an ordinary process that signals can kill.
    f'mkdir -m 1777 {_UNSHARE_HOME} && cd {_UNSHARE_HOME} && shift 2 && "$@"'
)


def _unshare(python: list[str], uid: int | None, workdir_mb: int) -> list[str]:
    argv = ["unshare"]
    if uid is None:
        argv += ["--user", "--map-root-user"]
    argv += ["--pid", "--fork", "--kill-child", "--net", "--ipc", "--uts", "--mount", "--mount-proc",
             "--propagation", "private", "--"]  # fmt: skip
    inodes = str(max(256, workdir_mb * 64))
    argv += ["/bin/sh", "-c", _MOUNT_SCRIPT, "sh", f"{workdir_mb}m", inodes]
    if uid is not None:
        argv += _setpriv(uid)
    return argv + python


def tier_available(tier: Tier) -> bool:
    """Whether the tools a layer needs are installed (whether they work is probed by running one)."""
    if tier is Tier.BWRAP:
        return shutil.which("bwrap") is not None and (
            os.geteuid() != 0 or shutil.which("setpriv") is not None
        )
    if tier is Tier.UNSHARE:
        return shutil.which("unshare") is not None and (
            os.geteuid() != 0 or shutil.which("setpriv") is not None
        )
    return True


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")
