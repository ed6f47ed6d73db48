"""A stored prompt's guard features travel with its entry: exactly as extracted, and only trusted when
the code that made them is the code running now."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from app.cache.cache import ResultCache
from app.cache.embedder import Embedder
from app.cache.entry import exact_key
from app.cache.feature_codec import decode_features, encode_features, features_version, stored_features
from app.cache.features import extract_features
from app.cache.store import CacheStore
from app.config.settings import CacheSettings
from tests.cache.conftest import CONTEXT, verified_result

_DATA = json.loads((Path(__file__).parent / "data" / "heldout_pairs.json").read_text("utf-8"))
_PROMPTS = sorted(
    {
        text
        for name, data in _DATA.items()
        if name != "about"
        for pairs in data.values()
        for pair in pairs
        for text in pair[-2:]
    }
)[::4]


def test_the_version_is_a_digest_of_this_source() -> None:
    version = features_version()
    assert version is not None and len(version) == 24


def test_features_survive_json_exactly() -> None:
    assert len(_PROMPTS) > 1000
    for prompt in _PROMPTS:
        features = extract_features(prompt)
        stored = json.loads(json.dumps(encode_features(features)))
        assert decode_features(stored) == features, prompt


def test_features_from_other_code_are_not_trusted() -> None:
    stored = encode_features(extract_features("Sort a list in descending order"))
    assert stored is not None
    stale = {**stored, "version": "0" * 24}
    assert decode_features(stale) is None
    assert stored_features("Sort a list in ascending order", stale) == extract_features(
        "Sort a list in ascending order"
    )


@pytest.mark.parametrize(
    "junk",
    [
        None,
        "features",
        {"version": "x"},
        {"fields": {}},
        {"version": None, "fields": {}},
    ],
)
def test_malformed_features_are_ignored(junk: object) -> None:
    assert decode_features(junk) is None


def test_features_with_a_bad_field_are_ignored() -> None:
    stored = encode_features(extract_features("Reverse a string"))
    assert stored is not None
    for broken in ({"s": "abc"}, {"q": []}, 1.5, [1, 2], {"s": [], "t": []}):
        fields = {**stored["fields"], "words": broken}
        assert decode_features({**stored, "fields": fields}) is None
    missing = {key: value for key, value in stored["fields"].items() if key != "words"}
    assert decode_features({**stored, "fields": missing}) is None


def test_every_field_is_encoded() -> None:
    stored = encode_features(extract_features("Return the 3 largest numbers in a list, not sorted"))
    assert stored is not None
    assert set(stored["fields"]) == {field.name for field in dataclasses.fields(type(extract_features("x")))}


async def test_entries_carry_their_prompts_features(store: CacheStore, embedder: Embedder) -> None:
    cache = ResultCache(store, CacheSettings(), embedder=embedder)
    prompt = "Write a Python function that sorts a list of numbers in ascending order"
    assert await cache.put(verified_result(prompt), CONTEXT)
    entry = store.get(exact_key(prompt, CONTEXT))
    assert entry is not None
    assert decode_features(entry.guard) == extract_features(prompt)


async def test_a_lookup_trusts_current_features_and_ignores_stale_ones(
    store: CacheStore, embedder: Embedder
) -> None:
    """Stored features stand in for the stored prompt's: so an entry whose features (with the current
    version) say `descending` is served to a `descending` prompt; the same features from other code are
    ignored and the stored prompt (`ascending`) decides."""
    cache = ResultCache(store, CacheSettings(), embedder=embedder)
    stored_prompt = "Write a Python function that sorts a list of numbers in ascending order"
    asked = "Write a Python function that sorts a list of numbers in descending order"
    assert await cache.put(verified_result(stored_prompt), CONTEXT)
    assert not (await cache.lookup(asked, CONTEXT)).hit
    entry = store.get(exact_key(stored_prompt, CONTEXT))
    assert entry is not None
    swapped = encode_features(extract_features(asked))
    assert swapped is not None
    store.put(dataclasses.replace(entry, guard=swapped), ttl_s=None)
    assert (await cache.lookup(asked, CONTEXT)).kind == "semantic"
    store.put(dataclasses.replace(entry, guard={**swapped, "version": "0" * 24}), ttl_s=None)
    assert not (await cache.lookup(asked, CONTEXT)).hit
