"""One single-use sandboxed interpreter: start it, wait until it is ready, destroy it afterwards.

Blocking code on purpose: it runs in worker threads (`asyncio.to_thread`), never on an event loop or
the GUI thread. Running a program in it is `execution.run_in_worker`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import selectors
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import SandboxError
from app.sandbox.base import SandboxLimits
from app.sandbox.cgroups import CgroupLimiter, WorkerCgroup, join_command
from app.sandbox.isolation import Interpreter, Tier, build_command
from app.sandbox.uids import UidLease, kill_uid

__all__ = ["Worker", "WorkerSpec", "finish_clean_ups", "spawn_worker"]

_LAUNCHER_SOURCE = (Path(__file__).parent / "launcher.py").read_text(encoding="utf-8")
_READY_TIMEOUT_S = 10.0
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerSpec:
    """Everything fixed when a worker starts; per-run limits travel with the job instead."""

    tier: Tier
    interpreter: Interpreter
    workdir_mb: int
    seccomp: bytes | None  # the BPF filter; None where the machine has no syscall table
    workdir_base: Path  # host work dirs for the rlimits layer (the others get a private tmpfs)
    cgroups: CgroupLimiter | None = None  # whole-run memory and process limits, where allowed


@dataclass
class Worker:
    spec: WorkerSpec
    process: subprocess.Popen[bytes]
    job_fd: int
    ready_fd: int
    lease: UidLease | None
    workdir: Path | None
    cgroup: WorkerCgroup | None = None
    _ready: bool = False
    _destroyed: bool = False

    def wait_ready(self, timeout_s: float = _READY_TIMEOUT_S) -> None:
        if self._ready:
            return
        with selectors.DefaultSelector() as selector:
            selector.register(self.ready_fd, selectors.EVENT_READ)
            ready = selector.select(timeout_s)
        data = os.read(self.ready_fd, 1) if ready else b""
        if data != b"R":
            stderr = self._drain_stderr()
            self.destroy()
            raise SandboxError(f"sandbox worker ({self.spec.tier}) failed to start: {stderr or 'no output'}")
        self._ready = True

    def send_job(self, payload: bytes) -> None:
        view = memoryview(payload)
        try:
            while view:
                view = view[os.write(self.job_fd, view) :]
        except BrokenPipeError as error:
            raise SandboxError("sandbox worker died before it got the program") from error
        finally:
            self._close_job_fd()

    def destroy(self) -> None:
        """Kill everything the worker started, whatever it did, and remove its traces. Idempotent.

        The kill is immediate; reaping the process, removing the work dir and handing the uid back happen
        on a background reaper thread, so a run's result does not wait for the kernel's clean-up.
        """
        if self._destroyed:
            return
        self._destroyed = True
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()  # pid-namespace layers: init dies, the kernel kills the whole namespace
        if self.lease is not None and self.spec.tier is Tier.RLIMITS:  # the others die with their PID ns
            kill_uid(self.lease.uid)  # catches setsid()/double-fork escapees in the weak layer
        self._close_job_fd()
        os.close(self.ready_fd)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        _reaper().submit(self._clean_up)

    def _clean_up(self) -> None:
        _reap(self.process, timeout_s=30)
        if self.cgroup is not None:
            self.cgroup.remove()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
        if self.lease is not None:
            self.lease.release()

    def _close_job_fd(self) -> None:
        # Closing twice could close a descriptor another thread has reused since: close exactly once.
        if self.job_fd >= 0:
            os.close(self.job_fd)
            self.job_fd = -1

    def _drain_stderr(self) -> str:
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self.process.kill()
            if self.process.stderr is not None:
                return self.process.stderr.read(4000).decode("utf-8", "replace").strip()
        return ""


def spawn_worker(spec: WorkerSpec, lease: UidLease | None) -> Worker:
    workdir = _make_workdir(spec, lease) if spec.tier is Tier.RLIMITS else None
    job_read, job_write = os.pipe()
    ready_read, ready_write = os.pipe()
    child_fds = [job_read, ready_write]
    filter_arg, seccomp_fd = "-", None
    if spec.seccomp is not None and spec.tier is Tier.BWRAP:
        seccomp_fd = _pipe_holding(spec.seccomp)  # bwrap loads it natively: no ctypes in the launcher
        child_fds.append(seccomp_fd)
    elif spec.seccomp is not None:
        filter_arg = spec.seccomp.hex()
    command = build_command(
        spec.tier,
        spec.interpreter,
        ["-c", _LAUNCHER_SOURCE, str(job_read), str(ready_write), filter_arg],
        uid=lease.uid if lease is not None else None,
        workdir=str(workdir) if workdir is not None else None,
        workdir_mb=spec.workdir_mb,
        seccomp_fd=seccomp_fd,
    )
    argv, cgroup = command.argv, None
    if spec.cgroups is not None and command.run_as_uid is None:
        cgroup = spec.cgroups.create()
        cgroup.set_limits(SandboxLimits().memory_mb, SandboxLimits().processes)  # until a job sets its own
        argv = join_command(cgroup.procs_files(), argv)
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=child_fds,
            env=command.env,
            cwd=command.cwd,
            user=command.run_as_uid,
            group=command.run_as_uid,
            extra_groups=[] if command.run_as_uid is not None else None,
            start_new_session=True,
        )
    except OSError as error:
        for fd in (job_write, ready_read):
            os.close(fd)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        if cgroup is not None:
            cgroup.remove()
        raise SandboxError(f"cannot start the {spec.tier} sandbox: {error}") from error
    finally:
        for fd in child_fds:
            os.close(fd)
    return Worker(spec, process, job_write, ready_read, lease, workdir, cgroup)


def _make_workdir(spec: WorkerSpec, lease: UidLease | None) -> Path:
    spec.workdir_base.mkdir(parents=True, exist_ok=True, mode=0o711)
    workdir = Path(tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=spec.workdir_base))
    if lease is not None:
        os.chown(workdir, lease.uid, lease.uid)
    return workdir


def _pipe_holding(data: bytes) -> int:
    """A pipe's read end with `data` already in it (small enough to fit the pipe buffer)."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, data)
    finally:
        os.close(write_end)
    return read_end


def _reap(process: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Wait for a killed process via its pidfd (Popen.wait with a timeout polls with sleeps)."""
    if process.returncode is not None:
        return
    try:
        pidfd = os.pidfd_open(process.pid)
    except ProcessLookupError:
        pidfd = -1
    if pidfd >= 0:
        with selectors.DefaultSelector() as selector:
            selector.register(pidfd, selectors.EVENT_READ)
            exited = bool(selector.select(timeout_s))
        os.close(pidfd)
        if not exited:
            return  # stuck in the kernel; leave it rather than hang the caller
    process.wait()


class _Reaper:
    """One daemon thread that finishes destroying workers off the callers' threads."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        threading.Thread(target=self._loop, name="sandbox-reaper", daemon=True).start()

    def submit(self, task: Callable[[], None]) -> None:
        self._queue.put(task)

    def flush(self, timeout_s: float) -> None:
        """Wait until everything submitted so far is done (or the timeout passes)."""
        done = threading.Event()
        self._queue.put(done.set)
        done.wait(timeout_s)

    def _loop(self) -> None:
        while True:
            task = self._queue.get()
            try:
                task()
            except Exception:  # a failed clean-up must not stop later ones
                _log.exception("sandbox clean-up failed")


_reaper_instance: _Reaper | None = None
_reaper_lock = threading.Lock()


def finish_clean_ups(timeout_s: float = 5.0) -> None:
    """Let destroyed workers finish their clean-up (reaping, work dirs, cgroups) before shutting down."""
    if _reaper_instance is not None:
        _reaper_instance.flush(timeout_s)


def _reaper() -> _Reaper:
    global _reaper_instance
    with _reaper_lock:
        if _reaper_instance is None:
            _reaper_instance = _Reaper()
        return _reaper_instance
