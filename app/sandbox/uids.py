"""Throw-away uids for sandboxed processes when Quorum runs as root.

Process limits do not bind root, and a shared uid would let one run signal or count against another,
so every worker gets a uid of its own, taken from a range no real account uses, and handed back only
after everything running under it is gone. The uid also makes a reliable kill sweep possible: any
process with that uid belongs to the sandbox, wherever it forked or `setsid()`-ed to.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = ["UID_BASE", "UidAllocator", "UidLease", "kill_uid", "shared_allocator"]

UID_BASE = 1_879_048_192  # 0x70000000: far above login, container and subuid ranges
_UID_SPAN = 4096


@dataclass
class UidLease:
    uid: int
    _allocator: UidAllocator | None

    def release(self) -> None:
        if self._allocator is not None:
            self._allocator.give_back(self.uid)
            self._allocator = None


class UidAllocator:
    def __init__(self, base: int = UID_BASE, span: int = _UID_SPAN) -> None:
        self.base, self.span = base, span
        self._lock = threading.Lock()
        # Offset by pid so two Quorum processes on one machine rarely pick the same uid.
        start = (os.getpid() * 64) % span
        self._free = [base + (start + i) % span for i in range(span)]

    def lease(self) -> UidLease:
        with self._lock:
            if not self._free:
                raise RuntimeError("no free sandbox uid")
            return UidLease(self._free.pop(), self)

    def give_back(self, uid: int) -> None:
        with self._lock:
            self._free.insert(0, uid)


_shared: UidAllocator | None = None
_shared_lock = threading.Lock()


def shared_allocator() -> UidAllocator:
    """The process-wide allocator, so that two sandboxes in one process never share a uid."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = UidAllocator()
        return _shared


def kill_uid(uid: int, rounds: int = 5) -> None:
    """SIGKILL every process running as `uid`, repeating while forks race the sweep."""
    for _ in range(rounds):
        found = False
        for pid in _pids_of(uid):
            found = True
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if not found:
            return


def _pids_of(uid: int) -> list[int]:
    """A /proc/<pid> directory belongs to the process's uid, except for non-dumpable processes (root):
    those, and only those, need their status file read, so the sweep stays cheap and complete."""
    pids = []
    with os.scandir("/proc") as entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            try:
                owner = entry.stat(follow_symlinks=False).st_uid
                if owner == uid or (owner == 0 and _status_uid(entry.path) == uid):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _status_uid(proc_dir: str) -> int | None:
    with Path(proc_dir, "status").open("rb") as status:
        for line in status:
            if line.startswith(b"Uid:"):
                return int(line.split()[1])
    return None
