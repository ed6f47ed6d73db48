"""One single-use sandboxed interpreter: start it, hand it one program, collect what it did, destroy it.

Blocking code on purpose: it runs in a worker thread (`asyncio.to_thread`), never on an event loop or
the GUI thread. Waiting uses a pidfd and non-blocking pipes in one selector, so a run costs no polling.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import SandboxError
from app.sandbox.base import SandboxLimits, SandboxResult, Status, classify_exit, signal_name
from app.sandbox.isolation import Interpreter, Tier, build_command, tier_warnings
from app.sandbox.uids import UidLease, kill_uid

__all__ = ["Worker", "WorkerSpec", "run_in_worker", "spawn_worker"]

_LAUNCHER_SOURCE = (Path(__file__).parent / "launcher.py").read_text(encoding="utf-8")
_READ_CHUNK = 65536
_READY_TIMEOUT_S = 10.0
_DRAIN_GRACE_S = 0.25  # after the program exits, how long stray holders of its pipes may keep them


@dataclass(frozen=True)
class WorkerSpec:
    """Everything fixed when a worker starts; per-run limits travel with the job instead."""

    tier: Tier
    interpreter: Interpreter
    workdir_mb: int
    seccomp: bytes | None  # the BPF filter; None where the machine has no syscall table
    workdir_base: Path  # host work dirs for the rlimits layer (the others get a private tmpfs)


@dataclass
class Worker:
    spec: WorkerSpec
    process: subprocess.Popen[bytes]
    job_fd: int
    ready_fd: int
    lease: UidLease | None
    workdir: Path | None
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
        """Kill everything the worker started, whatever it did, and remove its traces. Idempotent."""
        if self._destroyed:
            return
        self._destroyed = True
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()  # pid-namespace layers: init dies, the kernel kills the whole namespace
        if self.lease is not None and self.spec.tier is not Tier.BWRAP:
            kill_uid(self.lease.uid)  # catches setsid()/double-fork escapees in the weaker layers
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self._close_job_fd()
        os.close(self.ready_fd)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
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
            assert self.process.stderr is not None
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
    try:
        process = subprocess.Popen(
            command.argv,
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
        raise SandboxError(f"cannot start the {spec.tier} sandbox: {error}") from error
    finally:
        for fd in child_fds:
            os.close(fd)
    return Worker(spec, process, job_write, ready_read, lease, workdir)


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


def run_in_worker(worker: Worker, code: str, stdin: bytes | None, limits: SandboxLimits) -> SandboxResult:
    """Run one program in a started worker and destroy the worker afterwards."""
    try:
        worker.wait_ready()
        return _run(worker, code.encode("utf-8", "surrogatepass"), stdin or b"", limits)
    finally:
        worker.destroy()


@dataclass
class _Streams:
    limit: int
    chunks: dict[int, list[bytes]] = field(default_factory=dict)
    sizes: dict[int, int] = field(default_factory=dict)
    over_limit: bool = False

    def add(self, fd: int, data: bytes) -> None:
        room = self.limit - self.sizes.get(fd, 0)
        if len(data) > room:
            data, self.over_limit = data[: max(room, 0)], True
        self.chunks.setdefault(fd, []).append(data)
        self.sizes[fd] = self.sizes.get(fd, 0) + len(data)

    def text(self, fd: int) -> str:
        return b"".join(self.chunks.get(fd, [])).decode("utf-8", errors="replace")


def _run(worker: Worker, code: bytes, stdin: bytes, limits: SandboxLimits) -> SandboxResult:
    process = worker.process
    assert process.stdout is not None and process.stderr is not None and process.stdin is not None
    header = limits.launcher_header(len(code))
    out_fd, err_fd, in_fd = process.stdout.fileno(), process.stderr.fileno(), process.stdin.fileno()
    for fd in (out_fd, err_fd, in_fd):
        os.set_blocking(fd, False)
    pidfd = os.pidfd_open(process.pid)
    selector = selectors.DefaultSelector()
    streams = _Streams(limits.output_bytes)
    started = time.monotonic()
    try:
        worker.send_job(header + code)
        selector.register(out_fd, selectors.EVENT_READ)
        selector.register(err_fd, selectors.EVENT_READ)
        selector.register(pidfd, selectors.EVENT_READ)
        pending_stdin = memoryview(stdin)
        if pending_stdin:
            selector.register(in_fd, selectors.EVENT_WRITE)
        else:
            process.stdin.close()
        outcome = _pump(selector, streams, pending_stdin, process, pidfd, started + limits.timeout_s)
    finally:
        selector.close()
        os.close(pidfd)
    duration_ms = (time.monotonic() - started) * 1000
    if outcome != "exited":
        worker.destroy()
    returncode = process.wait(timeout=5)
    return _result(worker, outcome, returncode, streams, out_fd, err_fd, duration_ms)


def _pump(
    selector: selectors.BaseSelector,
    streams: _Streams,
    pending_stdin: memoryview,
    process: subprocess.Popen[bytes],
    pidfd: int,
    deadline: float,
) -> str:
    """Move bytes until the program ends; returns `exited`, `timeout` or `output_limit`."""
    open_pipes = 2
    exited_at: float | None = None
    while open_pipes or exited_at is None:
        now = time.monotonic()
        if exited_at is not None and now - exited_at > _DRAIN_GRACE_S:
            break  # a stray process still holds the pipes; destroy() sweeps it
        if now >= deadline and exited_at is None:
            return "timeout"
        wait = deadline - now if exited_at is None else _DRAIN_GRACE_S
        for key, _ in selector.select(max(wait, 0)):
            fd = key.fd
            if fd == pidfd:
                exited_at = time.monotonic()
                selector.unregister(pidfd)
            elif key.events & selectors.EVENT_WRITE:
                pending_stdin = _feed(selector, process, pending_stdin)
            else:
                data = _read(fd)
                if data is None:
                    continue
                if data:
                    streams.add(fd, data)
                    if streams.over_limit:
                        return "output_limit"
                else:
                    selector.unregister(fd)
                    open_pipes -= 1
    return "exited"


def _feed(selector: selectors.BaseSelector, process: subprocess.Popen[bytes], pending: memoryview) -> memoryview:
    assert process.stdin is not None
    try:
        written = os.write(process.stdin.fileno(), pending[:_READ_CHUNK])
    except (BrokenPipeError, BlockingIOError) as error:
        if isinstance(error, BlockingIOError):
            return pending
        written = len(pending)  # the program closed its stdin: drop the rest
    pending = pending[written:]
    if not pending:
        selector.unregister(process.stdin.fileno())
        process.stdin.close()
    return pending


def _read(fd: int) -> bytes | None:
    """Bytes read, b"" at end of stream, None on a spurious wake-up."""
    try:
        return os.read(fd, _READ_CHUNK)
    except BlockingIOError:
        return None
    except OSError:
        return b""


def _result(
    worker: Worker,
    outcome: str,
    returncode: int,
    streams: _Streams,
    out_fd: int,
    err_fd: int,
    duration_ms: float,
) -> SandboxResult:
    stdout, stderr = streams.text(out_fd), streams.text(err_fd)
    exit_code: int | None = None
    signal_number: int | None = None
    status: Status
    sig: str | None
    if outcome == "timeout":
        status, sig = "timeout", signal_name(signal.SIGKILL)
    elif outcome == "output_limit":
        status, sig = "output_limit", signal_name(signal.SIGKILL)
    else:
        exit_code, signal_number = _decode_returncode(worker.spec.tier, returncode)
        status, sig = classify_exit(exit_code=exit_code, signal_number=signal_number, stderr=stderr)
    return SandboxResult(
        status=status,
        exit_code=exit_code,
        stdout=stdout,
        stderr=stderr,
        duration_ms=duration_ms,
        backend="subprocess",
        truncated=streams.over_limit,
        signal=sig,
        isolation=str(worker.spec.tier),
        warnings=tier_warnings(worker.spec.tier),
    )


def _decode_returncode(tier: Tier, returncode: int) -> tuple[int | None, int | None]:
    if returncode < 0:
        return None, -returncode
    # bwrap and the unshare layer's shell report a child killed by signal N as exit status 128 + N.
    if tier is not Tier.RLIMITS and 128 < returncode < 128 + signal.NSIG:
        return None, returncode - 128
    return returncode, None
