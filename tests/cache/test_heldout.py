"""Pairs written by people who had not read the guard (tests/cache/data/heldout_pairs.json): the guard
alone never lets a near-miss through, and through the real model and store none is ever served."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cache.cache import ResultCache
from app.cache.entry import CacheContext, ProviderIdentity
from app.cache.guard import check_prompts
from tests.cache.conftest import verified_result

_DATA: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "heldout_pairs.json").read_text("utf-8"))
SETS = ("set_a", "set_b", "set_c", "set_d", "set_e", "set_f", "set_g", "set_h", "set_i", "set_j")
# Share of each set's paraphrases that must hit: a little under what was measured when the floor was
# set, so a guard or canonical-wording change that costs recall fails here.
FLOORS = {
    **{"set_a": 0.68, "set_b": 0.26, "set_c": 0.62, "set_d": 0.55, "set_e": 0.46, "set_f": 0.41},
    **{"set_g": 0.44, "set_h": 0.41, "set_i": 0.52, "set_j": 0.37},
}


def _context(index: int) -> CacheContext:
    return CacheContext(providers=(ProviderIdentity(f"h{index}", "openai", "m"),))


@pytest.mark.parametrize("name", SETS)
def test_the_guard_rejects_every_near_miss_both_ways(name: str) -> None:
    passed = [
        (kind, first, second)
        for kind, first, second in _DATA[name]["near_misses"]
        if check_prompts(second, first).ok or check_prompts(first, second).ok
    ]
    assert not passed


@pytest.mark.parametrize("name", SETS)
async def test_no_near_miss_is_ever_served(cache: ResultCache, name: str) -> None:
    served = []
    for index, (kind, first, second) in enumerate(_DATA[name]["near_misses"]):
        for side, (stored, asked) in enumerate(((first, second), (second, first))):
            context = _context(2 * index + side)
            assert await cache.put(verified_result(stored), context)
            found = await cache.lookup(asked, context)
            if found.hit:
                served.append((kind, stored, asked, found.similarity))
    assert not served


@pytest.mark.parametrize("name", sorted(FLOORS))
async def test_most_rewordings_hit(cache: ResultCache, name: str) -> None:
    """Set A measured 0.64 when it was added and 0.72 after the canonical wording learnt topic prefixes
    and plain-English synonyms; sets C, D, E, F and G 0.62, 0.51, 0.35, 0.33 and 0.37 when they were
    added, 0.63, 0.54, 0.38, 0.37 and 0.36 with the guard and wording of their last change; then 0.55,
    0.45, 0.37 and 0.39 for D to G after `or not`, `one line`, shell commands, `C`/`R`, `3x3` and asked
    explanations. Set H measured 0.30 when added (no false hit) and 0.31 with bare signatures read as
    inline code."""
    # Examples in the asked prompt are re-checked in a sandbox, which this cache has not.
    pairs = [pair for pair in _DATA[name]["paraphrases"] if "==" not in pair[1] and "->" not in pair[1]]
    hits = 0
    for index, (stored, asked) in enumerate(pairs):
        context = _context(10_000 + index)
        assert await cache.put(verified_result(stored), context)
        found = await cache.lookup(asked, context)
        hits += found.hit
    assert hits / len(pairs) >= FLOORS[name], f"{hits}/{len(pairs)}"
