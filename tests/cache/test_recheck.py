"""A semantic hit is re-checked against the new prompt's examples in the real sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from app.cache.cache import ResultCache
from app.cache.disk_store import DiskStore
from app.cache.embedder import Embedder
from app.cache.recheck import recheck_examples
from app.config.settings import CacheSettings
from app.sandbox.base import SandboxLimits
from app.sandbox.subprocess_backend import SubprocessSandbox
from tests.cache.conftest import CONTEXT, OTHER_CONTEXT, verified_result

STORED = "Write a function `add(a, b)` that returns the sum of a and b. Example: add(2, 3) == 5"
ASKED = "Implement a function `add(a, b)` which returns the sum of a and b. Example: add(2, 3) == 5"
RIGHT = "def add(a, b):\n    return a + b\n"
WRONG = "def add(a, b):\n    return a * b + 1 - 0 if a != 2 else a - b\n"


@pytest.fixture
async def sandbox() -> AsyncIterator[SubprocessSandbox]:
    box = SubprocessSandbox(pool_size=0)
    try:
        yield box
    finally:
        await box.aclose()


async def test_a_hit_whose_code_passes_the_examples_is_served(
    disk_store: DiskStore, embedder: Embedder, sandbox: SubprocessSandbox
) -> None:
    cache = ResultCache(disk_store, CacheSettings(), embedder=embedder, sandbox=sandbox)
    await cache.put(verified_result(STORED, RIGHT), CONTEXT)
    found = await cache.lookup(ASKED, CONTEXT)
    assert found.kind == "semantic", found.rejections


async def test_a_hit_whose_code_fails_the_examples_is_a_miss(
    disk_store: DiskStore, embedder: Embedder, sandbox: SubprocessSandbox
) -> None:
    cache = ResultCache(disk_store, CacheSettings(), embedder=embedder, sandbox=sandbox)
    await cache.put(verified_result(STORED, WRONG), OTHER_CONTEXT)  # a judge mistake, say
    found = await cache.lookup(ASKED, OTHER_CONTEXT)
    assert not found.hit
    assert any(
        reason.startswith("examples: fails the prompt's example add(2, 3)") for reason in found.rejections
    )


async def test_without_a_sandbox_a_hit_needing_a_recheck_is_a_miss(
    disk_store: DiskStore, embedder: Embedder
) -> None:
    cache = ResultCache(disk_store, CacheSettings(), embedder=embedder, sandbox=None)
    await cache.put(verified_result(STORED, RIGHT), CONTEXT)
    assert not (await cache.lookup(ASKED, CONTEXT)).hit
    assert (await cache.lookup(STORED, CONTEXT)).kind == "exact"  # exact hits need no re-check


async def test_recheck_details(sandbox: SubprocessSandbox) -> None:
    limits = SandboxLimits(timeout_s=10)
    none = await recheck_examples(
        "Write a function add(a, b).", verified_result("x", RIGHT), sandbox, limits=limits
    )
    assert (none.ok, none.checks) == (True, 0)
    passing = await recheck_examples(
        ASKED + " and add(1, 1) == 2", verified_result("x", RIGHT), sandbox, limits=limits
    )
    assert (passing.ok, passing.checks, passing.passed) == (True, 2, 2)
    failing = await recheck_examples(ASKED, verified_result("x", WRONG), sandbox, limits=limits)
    assert not failing.ok and failing.problem == "fails the prompt's example add(2, 3)"
    no_winner = await recheck_examples(ASKED, verified_result("x", RIGHT, verdict="disputed"), sandbox)
    assert not no_winner.ok
