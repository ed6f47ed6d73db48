"""The subprocess backend: isolated local processes, strongest available layer first."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from app.core.errors import SandboxError, SandboxUnavailableError
from app.sandbox import seccomp
from app.sandbox.base import Sandbox, SandboxLimits, SandboxRequest, SandboxResult
from app.sandbox.cgroups import CgroupLimiter
from app.sandbox.execution import CancelSignal, run_in_worker
from app.sandbox.isolation import (
    Interpreter,
    Tier,
    find_interpreter,
    interpreter_for_other_users,
    tier_available,
    tier_warnings,
)
from app.sandbox.pool import WarmPool
from app.sandbox.uids import UidAllocator, shared_allocator
from app.sandbox.worker import WorkerSpec, finish_clean_ups, spawn_worker

__all__ = ["SubprocessSandbox"]

_log = logging.getLogger(__name__)
_MAX_CONCURRENT_RUNS = 64
_PROBE = SandboxRequest(code="print(6 * 7)", limits=SandboxLimits(timeout_s=10))


class SubprocessSandbox(Sandbox):
    """Runs programs as isolated local processes. `tier=None` picks the strongest layer that works."""

    name = "subprocess"

    def __init__(
        self,
        *,
        tier: Tier | None = None,
        pool_size: int = 2,
        interpreter: Interpreter | None = None,
        workdir_base: Path | None = None,
        use_seccomp: bool = True,
        uids: UidAllocator | None = None,
    ) -> None:
        self._wanted = tier
        self._pool_size = pool_size
        self._interpreter = interpreter or find_interpreter()
        self._workdir_base = workdir_base or Path(tempfile.gettempdir()) / f"quorum-sandbox-{os.geteuid()}"
        self._seccomp = seccomp.build_filter() if use_seccomp and seccomp.supported() else None
        # Root must drop to throw-away uids; anyone else already is an ordinary user.
        self._uids = (uids or shared_allocator()) if os.geteuid() == 0 else None
        self._tier: Tier | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._cgroups: CgroupLimiter | None = None
        self._cgroups_checked = False
        self._pools: dict[int, WarmPool] = {}
        self._lock = threading.Lock()
        self._closed = False

    @property
    def isolation(self) -> str:
        return str(self.tier)

    @property
    def warnings(self) -> list[str]:
        notes = tier_warnings(self.tier)
        if self._seccomp is None:
            notes.append("no seccomp filter on this machine architecture")
        return notes

    @property
    def tier(self) -> Tier:
        """The isolation layer in use; probing happens on first access (it runs a real program)."""
        with self._lock:
            if self._tier is None:
                self._tier = self._choose_tier()
            return self._tier

    def warm(self, limits: SandboxLimits | None = None) -> WarmPool:
        """Start pre-starting workers for runs with these limits; returns their pool."""
        pool = self._pool((limits or SandboxLimits()).workdir_mb)
        pool.warm()
        return pool

    async def run(self, request: SandboxRequest) -> SandboxResult:
        """Cancelling the awaiting task kills the program at once (nothing is left running)."""
        cancel = CancelSignal()
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._threads(), self.run_sync, request, cancel)
        except asyncio.CancelledError:
            cancel.set()
            raise
        finally:
            # The worker thread may still be winding down after a cancel; it closes what it owns.
            _close_when_unused(cancel)

    def _threads(self) -> ThreadPoolExecutor:
        """Our own threads: a run mostly waits on its process, so many may wait at once, and they must not
        queue behind (or crowd out) the event loop's default executor."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=_MAX_CONCURRENT_RUNS, thread_name_prefix="sandbox"
                )
            return self._executor

    def run_sync(self, request: SandboxRequest, cancel: CancelSignal | None = None) -> SandboxResult:
        pool = self._pool(request.limits.workdir_mb)
        worker = pool.take()
        try:
            return run_in_worker(worker, request.code, request.stdin, request.limits, cancel)
        except SandboxError as error:
            if cancel is not None and cancel.is_set():
                raise
            # A pre-started worker can die while idle (killed from outside); one fresh try.
            _log.warning("sandbox worker failed (%s); retrying with a fresh one", error)
            return run_in_worker(pool.spawn(), request.code, request.stdin, request.limits, cancel)

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pools = list(self._pools.values())
            self._pools.clear()
        for pool in pools:
            pool.close()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        if self._cgroups is not None:
            finish_clean_ups()
            self._cgroups.close()

    def _pool(self, workdir_mb: int) -> WarmPool:
        tier = self.tier
        with self._lock:
            if self._closed:
                raise SandboxError("the sandbox is closed")
            pool = self._pools.get(workdir_mb)
            if pool is None:
                pool = WarmPool(self._spec(tier, workdir_mb), self._pool_size, self._uids)
                self._pools[workdir_mb] = pool
            return pool

    def _spec(self, tier: Tier, workdir_mb: int) -> WorkerSpec:
        interpreter = self._interpreter
        if tier is not Tier.BWRAP and self._uids is not None:
            interpreter = interpreter_for_other_users(interpreter) or interpreter
        cgroups = self._limiter() if tier is not Tier.RLIMITS else None
        return WorkerSpec(tier, interpreter, workdir_mb, self._seccomp, self._workdir_base, cgroups)

    def _limiter(self) -> CgroupLimiter | None:
        if not self._cgroups_checked:
            self._cgroups_checked = True
            self._cgroups = CgroupLimiter.detect()
        return self._cgroups

    def _choose_tier(self) -> Tier:
        _remove_stale_workdirs(self._workdir_base)
        candidates = [self._wanted] if self._wanted is not None else list(Tier)
        reasons: list[str] = []
        for tier in candidates:
            reason = self._probe(tier)
            if reason is None:
                if tier is Tier.RLIMITS:
                    _log.warning("sandbox: %s", tier_warnings(tier)[0])
                return tier
            reasons.append(f"{tier}: {reason}")
        raise SandboxUnavailableError("no sandbox layer works here (" + "; ".join(reasons) + ")")

    def _probe(self, tier: Tier) -> str | None:
        if not tier_available(tier):
            return "not installed"
        lease = self._uids.lease() if self._uids is not None else None
        try:
            result = run_in_worker(spawn_worker(self._spec(tier, 8), lease), _PROBE.code, None, _PROBE.limits)
        except SandboxError as error:
            if lease is not None:
                lease.release()
            return str(error)
        if result.status != "ok" or result.stdout.strip() != "42":
            return f"probe ended {result.status}: {result.stderr.strip()[-300:]}"
        return None


def _remove_stale_workdirs(base: Path) -> None:
    """Work dirs left by a Quorum process that crashed (named run-<pid>-...)."""
    if not base.is_dir():
        return
    for entry in base.iterdir():
        parts = entry.name.split("-")
        if len(parts) >= 2 and parts[0] == "run" and parts[1].isdigit() and not _alive(int(parts[1])):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, 0)
        return True
    return False


def _close_when_unused(cancel: CancelSignal) -> None:
    """Close the signal's pipe once no thread can still select on it (a cancelled run may be mid-pump)."""
    if cancel.is_set():
        threading.Timer(5.0, cancel.close).start()
    else:
        cancel.close()
