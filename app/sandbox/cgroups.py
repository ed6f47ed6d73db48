"""Control groups that bound a whole run, not just each process: total memory and total processes.

rlimits bind one process at a time, so a program that forks could hold `processes` times `memory_mb`.
Where Quorum may create cgroups (root, or a delegated cgroup v2 subtree), every worker gets its own
group under Quorum's, with `memory` (no swap) and `pids` limits set for each run, so the run as a whole
stays within `memory_mb`, like a container. The worker joins its group before it starts anything (a
tiny shell writes its own pid, then execs the sandbox), so no child can be born outside it.
Running out of memory in the group is reported as `oom`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CgroupLimiter", "WorkerCgroup", "join_command"]

_log = logging.getLogger(__name__)
_ROOT = Path("/sys/fs/cgroup")
# $1 = number of cgroup.procs files, then the files, then the command: join every group, then exec.
_JOIN = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"'
_OVERHEAD_PROCESSES = (
    4  # the sandbox's own processes (bwrap monitor and init, launcher) besides the program's
)


def join_command(procs_files: list[str], argv: list[str]) -> list[str]:
    return ["/bin/sh", "-c", _JOIN, "sh", str(len(procs_files)), *procs_files, *argv]


@dataclass
class WorkerCgroup:
    memory_dir: Path | None  # v1 memory hierarchy, or the v2 group (which holds both controllers)
    pids_dir: Path | None  # v1 pids hierarchy; None on v2
    version: int
    _oom_kills_before: int = 0
    _limits: tuple[int, int] | None = None

    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in (self.memory_dir, self.pids_dir) if d is not None]

    def set_limits(self, memory_mb: int, processes: int) -> None:
        # A pooled worker's group already holds the default limits: rewriting them costs ~1 ms a run
        # (four cgroup v1 writes), most of a pooled run's overhead.
        if self._limits == (memory_mb, processes):
            return
        memory = str(memory_mb * 1024 * 1024)
        pids = str(processes + _OVERHEAD_PROCESSES)
        if self.version == 2 and self.memory_dir is not None:
            _write(self.memory_dir / "memory.max", memory)
            _write(self.memory_dir / "memory.swap.max", "0", optional=True)
            _write(self.memory_dir / "pids.max", pids)
        else:
            if self.memory_dir is not None:
                # memory+swap must stay >= memory: raise it first when growing, set it after when shrinking
                _write(self.memory_dir / "memory.memsw.limit_in_bytes", "-1", optional=True)
                _write(self.memory_dir / "memory.limit_in_bytes", memory)
                _write(self.memory_dir / "memory.memsw.limit_in_bytes", memory, optional=True)
            if self.pids_dir is not None:
                _write(self.pids_dir / "pids.max", pids)
        self._oom_kills_before = self.oom_kills()
        self._limits = (memory_mb, processes)

    def oom_kills(self) -> int:
        if self.memory_dir is None:
            return 0
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        try:
            for line in (self.memory_dir / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except (OSError, ValueError):
            return 0
        return 0

    def ran_out_of_memory(self) -> bool:
        return self.oom_kills() > self._oom_kills_before

    def remove(self, attempts: int = 50) -> None:
        """Delete the groups once their processes are gone (the kernel refuses while any remain)."""
        for directory in (self.memory_dir, self.pids_dir):
            if directory is None:
                continue
            for _ in range(attempts):
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    _kill_members(directory)
                    time.sleep(0.02)


class CgroupLimiter:
    """Creates one group per worker under Quorum's own; `detect()` is None where that is not allowed."""

    def __init__(self, memory_parent: Path | None, pids_parent: Path | None, version: int) -> None:
        self._memory_parent = memory_parent
        self._pids_parent = pids_parent
        self.version = version
        self._counter = 0
        self._lock = threading.Lock()

    @classmethod
    def detect(cls) -> CgroupLimiter | None:
        try:
            return cls._v2() or cls._v1()
        except OSError as error:
            _log.info("no cgroup limits for sandbox runs: %s", error)
            return None

    @classmethod
    def available(cls) -> bool:
        limiter = cls.detect()
        if limiter is None:
            return False
        limiter.close()
        return True

    def create(self) -> WorkerCgroup:
        if self._memory_parent is None:
            raise OSError("the sandbox's cgroups are closed")
        with self._lock:
            self._counter += 1
            name = f"w{self._counter}"
        memory = self._make(self._memory_parent, name)
        pids = self._make(self._pids_parent, name) if self.version == 1 else None
        return WorkerCgroup(memory, pids, self.version)

    def close(self) -> None:
        """Remove our parent groups (best effort: a worker still being reaped keeps its group a moment;
        a later Quorum process clears what is left)."""
        parents, self._memory_parent, self._pids_parent = (self._memory_parent, self._pids_parent), None, None
        for parent in parents:
            if parent is None or not parent.is_dir():
                continue
            for child in parent.iterdir():
                if child.is_dir():
                    with contextlib.suppress(OSError):
                        child.rmdir()
            with contextlib.suppress(OSError):
                parent.rmdir()

    @staticmethod
    def _make(parent: Path | None, name: str) -> Path | None:
        if parent is None:
            return None
        path = parent / name
        with contextlib.suppress(FileExistsError):
            path.mkdir()
        return path

    @classmethod
    def _v1(cls) -> CgroupLimiter | None:
        own = _own_groups()
        memory = own.get("memory")
        pids = own.get("pids")
        if memory is None or pids is None:
            return None
        memory_parent = _private_parent(_ROOT / "memory" / memory.lstrip("/"))
        pids_parent = _private_parent(_ROOT / "pids" / pids.lstrip("/"))
        if memory_parent is None or pids_parent is None:
            return None
        return cls(memory_parent, pids_parent, 1)

    @classmethod
    def _v2(cls) -> CgroupLimiter | None:
        own = _own_groups().get("")
        if own is None or not (_ROOT / "cgroup.controllers").exists():
            return None
        group = _ROOT / own.lstrip("/")
        enabled = (group / "cgroup.subtree_control").read_text().split()
        if "memory" not in enabled or "pids" not in enabled:
            return None  # not delegated to us: children would get no limits
        parent = _private_parent(group)
        if parent is None:
            return None
        _write(parent / "cgroup.subtree_control", "+memory +pids", optional=True)
        return cls(parent, None, 2)


def _own_groups() -> dict[str, str]:
    groups: dict[str, str] = {}
    with Path("/proc/self/cgroup").open() as handle:
        for line in handle:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in controllers.split(","):
                groups[controller] = path
    return groups


_parents = iter(range(1, 1 << 62))


def _private_parent(group: Path) -> Path | None:
    """`quorum-<pid>-<n>` under our own group: a place for one sandbox's worker groups."""
    parent = group / f"quorum-{os.getpid()}-{next(_parents)}"
    try:
        parent.mkdir(exist_ok=True)
    except OSError:
        return None
    _remove_stale_parents(group)
    return parent


def _remove_stale_parents(group: Path) -> None:
    for entry in group.glob("quorum-*"):
        pid = entry.name.split("-")[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            for child in entry.iterdir():
                if child.is_dir():
                    with contextlib.suppress(OSError):
                        child.rmdir()
            with contextlib.suppress(OSError):
                entry.rmdir()


def _kill_members(directory: Path) -> None:
    with contextlib.suppress(OSError, ValueError):
        for pid in (directory / "cgroup.procs").read_text().split():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(pid), 9)


def _write(path: Path, value: str, *, optional: bool = False) -> None:
    try:
        path.write_text(value)
    except OSError:
        if not optional:
            raise
