"""Fixtures for the sandbox suites: one sandbox per isolation layer, and a host-unchanged guard."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import psutil
import pytest

from app.sandbox.base import SandboxLimits, SandboxRequest, SandboxResult
from app.sandbox.isolation import Tier, tier_available
from app.sandbox.subprocess_backend import SubprocessSandbox
from app.sandbox.uids import UID_BASE

LAUNCHER_MARK = "quorum-launcher: malformed job"  # a string only the launcher's command line holds
SANDBOX_UIDS = range(UID_BASE, UID_BASE + 4096)


def sandbox_processes() -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline", "uids"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or [])
            uids = proc.info["uids"]
        except (psutil.Error, TypeError):
            continue
        if LAUNCHER_MARK in cmdline or (uids is not None and uids.real in SANDBOX_UIDS):
            found.append(proc)
    return found


def wait_no_sandbox_processes(timeout_s: float = 5.0) -> list[psutil.Process]:
    """The kernel tears a PID namespace down asynchronously: give it a moment, then report leftovers."""
    deadline = time.monotonic() + timeout_s
    while True:
        left = [proc for proc in sandbox_processes() if proc.is_running() and proc.status() != "zombie"]
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
        sandbox = SubprocessSandbox(tier=tier, pool_size=0)
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
    leftovers = wait_no_sandbox_processes()
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
