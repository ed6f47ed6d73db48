"""Near-misses written by a tester who had read the guard (tests/cache/data/redteam_pairs.json): 146
pairs in 20 families (lexicon values that hide a difference, meaningful small words, negation placement,
variables named `a`, operators, suffixes, ...). None may be served through the real model and store,
except the known gaps below, which stay listed until the guard tells them apart."""

from __future__ import annotations

import json
from pathlib import Path

from app.cache.cache import ResultCache
from app.cache.entry import CacheContext, ProviderIdentity
from tests.cache.conftest import verified_result

_PAIRS: list[list[str]] = json.loads(
    (Path(__file__).parent / "data" / "redteam_pairs.json").read_text("utf-8")
)["pairs"]
# Sorting numeric strings alphabetically vs in ascending order: one class value for both, since for
# plain strings they are the same request. `export a function` vs `write a function`: `write` is read
# as the request verb.
KNOWN_GAPS = {
    "Sort a list of version strings alphabetically",
    "Sort a list of numeric strings alphabetically",
    "How do I export a function from a JavaScript module",
}


async def test_no_red_team_near_miss_is_served(cache: ResultCache) -> None:
    served = []
    for index, (family, first, second) in enumerate(_PAIRS):
        for side, (stored, asked) in enumerate(((first, second), (second, first))):
            context = CacheContext(providers=(ProviderIdentity(f"r{index}-{side}", "openai", "m"),))
            assert await cache.put(verified_result(stored), context)
            found = await cache.lookup(asked, context)
            if found.hit and not {stored, asked} & KNOWN_GAPS:
                served.append((family, stored, asked, found.similarity))
    assert not served
    assert len(_PAIRS) >= 140
