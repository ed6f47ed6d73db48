"""Running one program in a started worker: feed it, read it under caps, stop it on time, classify.

One selector waits on everything at once: stdout, stderr, stdin (when there is input to give), the
launcher's status pipe and a pidfd for the process, so a run costs no polling. The launcher reports the
program's exit status itself (after flushing its output) on the status pipe, which lets the result come
back before the kernel has finished tearing the namespaces down.
"""

from __future__ import annotations

import os
import selectors
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

from app.core.errors import SandboxError
from app.sandbox.base import SandboxLimits, SandboxResult, Status, classify_exit, signal_name
from app.sandbox.isolation import Tier, tier_warnings
from app.sandbox.worker import Worker

__all__ = ["CancelSignal", "run_in_worker"]

_CHUNK = 65536
_DRAIN_GRACE_S = 0.25  # after the process exits, how long stray holders of its pipes may keep them
Outcome = Literal["reported", "exited", "timeout", "output_limit"]


class CancelSignal:
    """Set from any thread (e.g. when the awaiting task is cancelled) to stop a run at once."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        self._lock = threading.Lock()
        self._closed = False

    def fileno(self) -> int:
        return self._read

    def set(self) -> None:
        with self._lock:
            if not self._closed:
                os.write(self._write, b"x")

    def is_set(self) -> bool:
        with selectors.DefaultSelector() as selector:
            selector.register(self._read, selectors.EVENT_READ)
            return bool(selector.select(0))

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                os.close(self._read)
                os.close(self._write)


def run_in_worker(
    worker: Worker, code: str, stdin: bytes | None, limits: SandboxLimits, cancel: CancelSignal | None = None
) -> SandboxResult:
    """Run one program in a started worker; the worker is destroyed afterwards, whatever happened."""
    try:
        worker.wait_ready()
        return _Exchange(worker, limits, cancel).run(code.encode("utf-8", "surrogatepass"), stdin or b"")
    finally:
        worker.destroy()


@dataclass
class _Exchange:
    worker: Worker
    limits: SandboxLimits
    cancel: CancelSignal | None = None
    output: dict[int, bytearray] = field(default_factory=dict)
    over_limit: bool = False
    took_job: bool = False
    reported_status: int | None = None
    _status_bytes: bytes = b""

    def run(self, code: bytes, stdin: bytes) -> SandboxResult:
        process = self.worker.process
        if process.stdout is None or process.stderr is None or process.stdin is None:
            raise SandboxError("sandbox worker has no pipes")
        out_fd, err_fd, in_fd = process.stdout.fileno(), process.stderr.fileno(), process.stdin.fileno()
        for fd in (out_fd, err_fd, in_fd, self.worker.ready_fd):
            os.set_blocking(fd, False)
        self.output = {out_fd: bytearray(), err_fd: bytearray()}
        if self.worker.cgroup is not None:
            self.worker.cgroup.set_limits(self.limits.memory_mb, self.limits.processes)
        pidfd = os.pidfd_open(process.pid)
        started = time.monotonic()
        try:
            with selectors.DefaultSelector() as selector:
                self.worker.send_job(self.limits.launcher_header(len(code)) + code)
                for fd in (out_fd, err_fd, self.worker.ready_fd, pidfd):
                    selector.register(fd, selectors.EVENT_READ)
                if self.cancel is not None:
                    selector.register(self.cancel.fileno(), selectors.EVENT_READ)
                if stdin:
                    selector.register(in_fd, selectors.EVENT_WRITE)
                else:
                    process.stdin.close()
                outcome = self._pump(
                    selector, memoryview(stdin), pidfd, in_fd, started + self.limits.timeout_s
                )
        finally:
            os.close(pidfd)
        duration_ms = (time.monotonic() - started) * 1000
        if outcome == "exited" and not self.took_job:
            raise SandboxError("sandbox worker died before it ran the program")
        returncode = process.wait() if outcome == "exited" else -signal.SIGKILL  # exited: no waiting
        out_of_memory = self.worker.cgroup is not None and self.worker.cgroup.ran_out_of_memory()
        self.worker.destroy()
        result = self._result(outcome, returncode, out_fd, err_fd, duration_ms)
        if out_of_memory and result.status in ("killed", "error", "timeout"):
            result.status = "oom"  # the kernel killed a process of the run at the run's memory limit
        elif out_of_memory:
            result.warnings.append("the run hit its memory limit: the kernel killed some of its processes")
        return result

    def _pump(
        self, selector: selectors.BaseSelector, stdin: memoryview, pidfd: int, in_fd: int, deadline: float
    ) -> Outcome:
        open_pipes = 2
        exited_at: float | None = None
        while open_pipes or exited_at is None:
            now = time.monotonic()
            if exited_at is not None and now - exited_at > _DRAIN_GRACE_S:
                break  # a stray process still holds the pipes; destroy() takes care of it
            if exited_at is None and now >= deadline:
                return "timeout"
            timeout = _DRAIN_GRACE_S if exited_at is not None else deadline - now
            for key, _ in selector.select(max(timeout, 0)):
                fd = key.fd
                if self.cancel is not None and fd == self.cancel.fileno():
                    raise SandboxError("the run was cancelled")
                if fd == pidfd:
                    exited_at = time.monotonic()
                    selector.unregister(pidfd)
                elif fd == in_fd:
                    stdin = self._feed(selector, in_fd, stdin)
                elif fd == self.worker.ready_fd:
                    if not self._read_status(selector):
                        continue
                    self._drain_now()
                    return "output_limit" if self.over_limit else "reported"
                else:
                    state = self._take_output(selector, fd)
                    if state == "full":
                        return "output_limit"
                    open_pipes -= state == "closed"
        self._read_status(None)  # a report may have raced the exit
        return "exited"

    def _take_output(self, selector: selectors.BaseSelector, fd: int) -> Literal["more", "closed", "full"]:
        data = _read(fd)
        if data is None:
            return "more"
        if not data:
            selector.unregister(fd)
            return "closed"
        return "full" if self._keep(fd, data) else "more"

    def _read_status(self, selector: selectors.BaseSelector | None) -> bool:
        """Consume launcher messages; True once the program's exit status has been reported."""
        data = _read(self.worker.ready_fd)
        if data == b"" and selector is not None:
            selector.unregister(self.worker.ready_fd)
        self._status_bytes += data or b""
        if self._status_bytes.startswith(b"J"):
            self.took_job = True
        if self.took_job and len(self._status_bytes) >= 3 and self._status_bytes[1:2] == b"X":
            self.reported_status = self._status_bytes[2]
            return True
        return False

    def _drain_now(self) -> None:
        """Everything the program flushed before reporting its exit is already in the pipes."""
        for fd in self.output:
            while (data := _read(fd)) and not self._keep(fd, data):
                pass

    def _keep(self, fd: int, data: bytes) -> bool:
        """Store output up to the cap; True once the cap is exceeded."""
        buffer = self.output[fd]
        room = self.limits.output_bytes - len(buffer)
        if len(data) > room:
            buffer += data[: max(room, 0)]
            self.over_limit = True
        else:
            buffer += data
        return self.over_limit

    @staticmethod
    def _feed(selector: selectors.BaseSelector, in_fd: int, pending: memoryview) -> memoryview:
        try:
            pending = pending[os.write(in_fd, pending[:_CHUNK]) :]
        except BlockingIOError:
            return pending
        except BrokenPipeError:
            pending = pending[:0]  # the program closed its stdin: the rest is not wanted
        if not pending:
            selector.unregister(in_fd)
            os.close(in_fd)
        return pending

    def _result(
        self, outcome: Outcome, returncode: int, out_fd: int, err_fd: int, duration_ms: float
    ) -> SandboxResult:
        stdout = self.output[out_fd].decode("utf-8", errors="replace")
        stderr = self.output[err_fd].decode("utf-8", errors="replace")
        exit_code: int | None = None
        status: Status
        sig: str | None
        if outcome in ("timeout", "output_limit"):
            status, sig = outcome, signal_name(signal.SIGKILL)
        else:
            if outcome == "reported":
                exit_code, signal_number = self.reported_status, None
            else:
                exit_code, signal_number = _decode_returncode(self.worker.spec.tier, returncode)
            status, sig = classify_exit(exit_code=exit_code, signal_number=signal_number, stderr=stderr)
        tier = self.worker.spec.tier
        return SandboxResult(
            status=status,
            exit_code=exit_code,
            stdout=stdout,
            stderr=stderr,
            duration_ms=duration_ms,
            backend="subprocess",
            truncated=self.over_limit,
            signal=sig,
            isolation=str(tier),
            warnings=tier_warnings(tier),
        )


def _read(fd: int) -> bytes | None:
    """Bytes read, b"" at end of stream, None when nothing is there yet."""
    try:
        return os.read(fd, _CHUNK)
    except BlockingIOError:
        return None
    except OSError:
        return b""


def _decode_returncode(tier: Tier, returncode: int) -> tuple[int | None, int | None]:
    if returncode < 0:
        return None, -returncode
    # bwrap and the unshare layer's shell report a child killed by signal N as exit status 128 + N.
    if tier is not Tier.RLIMITS and 128 < returncode < 128 + signal.NSIG:
        return None, returncode - 128
    return returncode, None
