"""A stored prompt's guard features, kept with its cache entry so a lookup reads them instead of
working them out again (about half of the guard's time on a hit).

The features are only as good as the code that extracted them, so they carry a digest of the cache
package's source: after any change to the guard or the canonical wording, stored features no longer
match and are recomputed from the stored prompt. Where the source cannot be read (a frozen bundle),
nothing is stored or trusted. The encoding is plain JSON (entries may be shared through Redis; no
pickle), and anything that does not decode exactly is ignored.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.resources
from typing import Any

from app.cache.features import Features, extract_features

__all__ = ["decode_features", "encode_features", "features_version", "stored_features"]


@functools.cache
def features_version() -> str | None:
    """Digest of the cache package's Python source, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        package = importlib.resources.files("app.cache")
        modules = sorted((item for item in package.iterdir() if item.name.endswith(".py")), key=_name)
        if not modules:
            return None
        for module in modules:
            digest.update(module.name.encode() + b"\x00" + module.read_bytes() + b"\x00")
    except (OSError, TypeError, ValueError, AttributeError, NotImplementedError):  # no readable source
        return None
    return digest.hexdigest()[:24]


def _name(item: Any) -> str:
    return str(item.name)


def encode_features(features: Features) -> dict[str, Any] | None:
    """`{"version", "fields"}` for an entry, or None when the version is unknown."""
    version = features_version()
    if version is None:
        return None
    fields = {field.name: _encode(getattr(features, field.name)) for field in dataclasses.fields(Features)}
    return {"version": version, "fields": fields}


def decode_features(stored: Any) -> Features | None:
    """The features an entry carries, if they were made by this very code; else None."""
    version = features_version()
    if version is None or not isinstance(stored, dict) or stored.get("version") != version:
        return None
    fields = stored.get("fields")
    names = {field.name for field in dataclasses.fields(Features)}
    if not isinstance(fields, dict) or set(fields) != names:
        return None
    try:
        return Features(**{name: _decode(value) for name, value in fields.items()})
    except (TypeError, ValueError, KeyError, IndexError):
        return None


def stored_features(prompt: str, stored: Any) -> Features:
    """The stored prompt's features: from its entry when they are current, else extracted again."""
    return decode_features(stored) or extract_features(prompt)


# Tagged JSON: {"s": [...]} a frozenset, {"t": [...]} a tuple, {"m": [[key, value], ...]} a mapping.
def _encode(value: Any) -> Any:
    if isinstance(value, frozenset):
        return {"s": [_encode(item) for item in value]}
    if isinstance(value, tuple):
        return {"t": [_encode(item) for item in value]}
    if isinstance(value, dict):
        return {"m": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return value
    raise TypeError(f"cannot store a guard feature of type {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return value
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("not a stored guard feature")
    ((tag, items),) = value.items()
    if not isinstance(items, list):
        raise ValueError("not a stored guard feature")
    if tag == "s":
        return frozenset(_decode(item) for item in items)
    if tag == "t":
        return tuple(_decode(item) for item in items)
    if tag == "m":
        return {_decode(key): _decode(item) for key, item in items}
    raise ValueError(f"unknown tag {tag!r}")
