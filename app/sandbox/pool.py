"""A small pool of pre-started, single-use sandboxed interpreters.

Starting an isolated interpreter costs several milliseconds (namespaces, exec, Python start-up); a run
should not pay it. The pool keeps `size` launchers started and waiting for a job. Each worker runs
exactly one program and is then destroyed, so nothing (files, modules, memory) leaks between runs.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

from app.core.errors import SandboxError
from app.sandbox.uids import UidAllocator
from app.sandbox.worker import Worker, WorkerSpec, spawn_worker

__all__ = ["WarmPool"]

_log = logging.getLogger(__name__)
_RETRY_AFTER_FAILURE_S = 5.0


class WarmPool:
    def __init__(self, spec: WorkerSpec, size: int, uids: UidAllocator | None) -> None:
        self.spec = spec
        self._size = max(0, size)
        self._uids = uids
        self._ready: deque[Worker] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._filler: threading.Thread | None = None

    @property
    def idle(self) -> int:
        """Workers started and waiting (some may still be booting)."""
        with self._lock:
            return len(self._ready)

    @property
    def size(self) -> int:
        return self._size

    def warm(self) -> None:
        """Start pre-starting workers now rather than at the first run."""
        with self._lock:
            if not self._closed:
                self._start_filler()
        self._wake.set()

    def take(self) -> Worker:
        """A started worker (pre-started when one is waiting, else started now)."""
        with self._lock:
            if self._closed:
                raise SandboxError("the sandbox is closed")
            worker = self._ready.popleft() if self._ready else None
            self._start_filler()
        self._wake.set()
        return worker if worker is not None else self.spawn()

    def spawn(self) -> Worker:
        lease = self._uids.lease() if self._uids is not None else None
        try:
            return spawn_worker(self.spec, lease)
        except BaseException:
            if lease is not None:
                lease.release()
            raise

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._ready)
            self._ready.clear()
        self._wake.set()
        if self._filler is not None:
            self._filler.join(timeout=10)
        for worker in workers:
            worker.destroy()

    def _start_filler(self) -> None:
        if self._filler is None and self._size:
            self._filler = threading.Thread(target=self._fill, name="sandbox-pool", daemon=True)
            self._filler.start()

    def _fill(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            while True:
                with self._lock:
                    if self._closed:
                        return
                    if len(self._ready) >= self._size:
                        break
                try:
                    worker = self.spawn()
                except (SandboxError, OSError, RuntimeError) as error:
                    _log.warning("sandbox pool could not pre-start a worker: %s", error)
                    self._wake.wait(_RETRY_AFTER_FAILURE_S)
                    continue
                if not self._offer(worker):
                    worker.destroy()
                    return

    def _offer(self, worker: Worker) -> bool:
        with self._lock:
            if self._closed:
                return False
            self._ready.append(worker)
            return True
