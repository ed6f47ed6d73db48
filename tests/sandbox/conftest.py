"""Fixtures for the sandbox suites: one sandbox per isolation layer, and a host-unchanged guard."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import psutil
import pytest

from app.sandbox.base import SandboxLimits, SandboxRequest, SandboxResult
from app.sandbox.isolation import Interpreter, Tier, frozen_interpreter, tier_available
from app.sandbox.subprocess_backend import SubprocessSandbox
from app.sandbox.uids import UID_BASE, UidAllocator

LAUNCHER_MARK = "quorum-launcher: malformed job"  # a string only the launcher's command line holds
_TEST_UID_SPAN = 4096
# Set by the installer smoke test (tests/installer/smoke.py): the suites then run every program with a
# frozen bundle's own interpreter (quorum-sandbox-python) instead of this checkout's Python.
FROZEN_APP_ENV = "QUORUM_TEST_FROZEN_APP"
_FROZEN_APP = os.environ.get(FROZEN_APP_ENV)
_INTERPRETER: Interpreter | None = frozen_interpreter(_FROZEN_APP) if _FROZEN_APP else None


def uid_range_for(tier: Tier) -> range:
    """Each test sandbox leases uids from its own range, so leftover checks see only its processes."""
    base = UID_BASE + (list(Tier).index(tier) + 1) * 100_000
    return range(base, base + _TEST_UID_SPAN)


def sandbox_processes(uids: range | None = None) -> list[psutil.Process]:
    """Sandboxed processes: by uid when we are root (exact), else by the launcher's command line."""
    found = []
    for proc in psutil.process_iter(["cmdline", "uids"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or [])
            proc_uids = proc.info["uids"]
        except (psutil.Error, TypeError):
            continue
        if uids is not None and os.geteuid() == 0:
            if proc_uids is not None and proc_uids.real in uids:
                found.append(proc)
        elif LAUNCHER_MARK in cmdline:
            found.append(proc)
    return found


def wait_no_sandbox_processes(uids: range | None = None, timeout_s: float = 5.0) -> list[psutil.Process]:
    """The kernel tears a PID namespace down asynchronously: give it a moment, then report leftovers."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = []
        for proc in sandbox_processes(uids):
            try:
                if proc.is_running() and proc.status() != "zombie":
                    left.append(proc)
            except psutil.Error:
                continue
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


class Runner:
    def __init__(self, sandbox: SubprocessSandbox, tier: Tier) -> None:
        self.sandbox = sandbox
        self.tier = tier

    def __call__(self, code: str, *, stdin: bytes | None = None, **limits: float) -> SandboxResult:
        request = SandboxRequest(code=code, stdin=stdin, limits=SandboxLimits(**limits))  # type: ignore[arg-type]
        return self.sandbox.run_sync(request)


_sandboxes: dict[Tier, SubprocessSandbox] = {}


def _sandbox_for(tier: Tier) -> SubprocessSandbox:
    if not tier_available(tier):
        pytest.skip(f"the {tier} layer is not installed on this machine")
    if tier not in _sandboxes:
        uids = uid_range_for(tier)
        sandbox = SubprocessSandbox(
            tier=tier, pool_size=0, uids=UidAllocator(uids.start, len(uids)), interpreter=_INTERPRETER
        )
        _ = sandbox.tier  # probe now: a layer that cannot work fails here, loudly
        _sandboxes[tier] = sandbox
    return _sandboxes[tier]


@pytest.fixture(scope="session", autouse=True)
def _close_sandboxes() -> Iterator[None]:
    yield
    for sandbox in _sandboxes.values():
        sandbox.close()


@pytest.fixture(params=list(Tier), ids=[str(tier) for tier in Tier])
def run(request: pytest.FixtureRequest) -> Iterator[Runner]:
    """A runner on each isolation layer, with no pre-started workers, and a check that none survive."""
    tier: Tier = request.param
    runner = Runner(_sandbox_for(tier), tier)
    yield runner
    leftovers = wait_no_sandbox_processes(uid_range_for(tier))
    assert not leftovers, f"sandbox processes survived the run: {[p.pid for p in leftovers]}"


@pytest.fixture
def bwrap_run() -> Runner:
    return Runner(_sandbox_for(Tier.BWRAP), Tier.BWRAP)


def weak_layer_skip(runner: Runner, what: str) -> None:
    if runner.tier is Tier.RLIMITS:
        pytest.skip(f"the rlimits layer does not isolate {what} (every result says it is weak)")


@pytest.fixture
def host_pid() -> int:
    return os.getpid()
