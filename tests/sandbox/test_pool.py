"""The warm pool: pre-started, single-use workers; nothing leaks between runs; closing leaves nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator

import pytest

from app.core.errors import SandboxError
from app.sandbox.base import SandboxRequest
from app.sandbox.isolation import Tier, tier_available
from app.sandbox.subprocess_backend import SubprocessSandbox
from app.sandbox.uids import UID_BASE, UidAllocator
from tests.sandbox.conftest import sandbox_processes, wait_no_sandbox_processes

pytestmark = pytest.mark.skipif(not tier_available(Tier.BWRAP), reason="bubblewrap is not installed")


POOL_UIDS = range(UID_BASE + 900_000, UID_BASE + 904_096)


@pytest.fixture
def pooled() -> Iterator[SubprocessSandbox]:
    uids = UidAllocator(POOL_UIDS.start, len(POOL_UIDS))
    sandbox = SubprocessSandbox(tier=Tier.BWRAP, pool_size=2, uids=uids)
    yield sandbox
    sandbox.close()
    assert wait_no_sandbox_processes(POOL_UIDS) == []


def _wait_for_idle_workers(count: int, timeout_s: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        # an idle bwrap worker shows up as outer bwrap + init + launcher; count the launchers
        launchers = [p.pid for p in sandbox_processes(POOL_UIDS) if p.name().startswith("python")]
        if len(launchers) >= count:
            return launchers
        time.sleep(0.05)
    raise AssertionError(f"fewer than {count} idle workers after {timeout_s}s")


def test_workers_are_started_ahead(pooled: SubprocessSandbox) -> None:
    pooled.warm()
    assert len(_wait_for_idle_workers(2)) >= 2


def test_each_run_gets_a_fresh_interpreter_and_work_dir(pooled: SubprocessSandbox) -> None:
    first = pooled.run_sync(
        SandboxRequest(code="import builtins\nbuiltins.LEFTOVER = 1\nopen('state.txt', 'w').write('x')\n")
    )
    assert first.status == "ok"
    second = pooled.run_sync(
        SandboxRequest(code="import builtins, os\nprint(hasattr(builtins, 'LEFTOVER'), os.listdir('.'))\n")
    )
    assert second.stdout == "False ['main.py']\n"


async def test_concurrent_runs_each_get_their_own_answer(pooled: SubprocessSandbox) -> None:
    requests = [SandboxRequest(code=f"print({n} * {n})\n") for n in range(8)]
    results = await asyncio.gather(*(pooled.run(request) for request in requests))
    assert [result.stdout for result in results] == [f"{n * n}\n" for n in range(8)]


def test_an_idle_worker_killed_from_outside_is_replaced(pooled: SubprocessSandbox) -> None:
    pooled.warm()
    for pid in _wait_for_idle_workers(2):
        os.kill(pid, signal.SIGKILL)
    result = pooled.run_sync(SandboxRequest(code="print('recovered')\n"))
    assert result.stdout == "recovered\n"


def test_closing_kills_idle_workers_and_refuses_new_runs(pooled: SubprocessSandbox) -> None:
    pooled.warm()
    _wait_for_idle_workers(2)
    pooled.close()
    assert wait_no_sandbox_processes(POOL_UIDS) == []
    with pytest.raises(SandboxError):
        pooled.run_sync(SandboxRequest(code="pass\n"))


async def test_cancelling_a_run_kills_the_program_at_once(pooled: SubprocessSandbox) -> None:
    task = asyncio.create_task(pooled.run(SandboxRequest(code="import time\ntime.sleep(60)\n")))
    await asyncio.sleep(0.5)
    assert [p for p in sandbox_processes(POOL_UIDS) if p.name().startswith("python")]
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    pooled.close()
    assert wait_no_sandbox_processes(POOL_UIDS, timeout_s=3) == []
