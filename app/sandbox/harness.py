"""Call a program's functions inside the sandbox and get the values back, framed so output cannot fake them.

`build_call_program(code, calls, nonce)` appends a harness to the program: after the module body, each
call expression is evaluated and its value (or exception type) is written as one record on a duplicate
of stdout, prefixed with a per-run random nonce. `parse_call_records` accepts only those
records. A program that prints "ALL TESTS PASSED" and exits produces no records, so nothing passes.
This guards against claimed success, not against code written to read the harness out of its own file.

Values are encoded as tagged JSON so that `1`, `1.0`, `True` and `"1"` stay different, tuples differ
from lists, and floats can later be compared with a tolerance.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["CallRecord", "build_call_program", "new_nonce", "parse_call_records"]

_HARNESS = r"""

# ---- quorum call harness (appended; runs after the program's own top level) ----
def __quorum_harness(__nonce, __calls, __out):
    import json as _json, math as _math

    def enc(v, depth=0):
        if depth > 40:
            return ["r", "<too deep>"]
        if v is None:
            return ["n"]
        if isinstance(v, bool):
            return ["b", v]
        if isinstance(v, int):
            return ["i", str(v)]
        if isinstance(v, float):
            return ["f", v if _math.isfinite(v) else repr(v)]
        if isinstance(v, complex):
            return ["c", [enc(v.real), enc(v.imag)]]
        if isinstance(v, str):
            return ["s", v]
        if isinstance(v, (bytes, bytearray)):
            return ["y", bytes(v).hex()]
        if isinstance(v, list):
            return ["l", [enc(x, depth + 1) for x in v[:100000]]]
        if isinstance(v, tuple):
            return ["t", [enc(x, depth + 1) for x in v[:100000]]]
        if isinstance(v, (set, frozenset)):
            return ["S", sorted((enc(x, depth + 1) for x in v), key=repr)]
        if isinstance(v, dict):
            return ["d", sorted(([enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()), key=repr)]
        if hasattr(v, "__iter__") and hasattr(v, "__next__"):
            import itertools
            return ["l", [enc(x, depth + 1) for x in itertools.islice(v, 100000)]]
        return ["r", repr(v)[:10000]]

    for index, expression in enumerate(__calls):
        try:
            record = {"i": index, "ok": True, "v": enc(eval(expression, globals()))}
        except BaseException as error:  # noqa: BLE001 - any failure is a result
            record = {"i": index, "ok": False, "e": type(error).__name__, "m": str(error)[:300]}
        try:
            line = _json.dumps(record)
        except (TypeError, ValueError):
            line = _json.dumps({"i": index, "ok": False, "e": "Unencodable", "m": ""})
        __out.write("\n" + __nonce + line + "\n")
        __out.flush()


import os as __quorum_os
__quorum_harness(__QUORUM_NONCE__, __QUORUM_CALLS__, __quorum_os.fdopen(__quorum_os.dup(1), "w"))
"""


@dataclass(frozen=True)
class CallRecord:
    index: int
    ok: bool
    value: Any = None  # the tagged encoding, when ok
    error: str | None = None  # exception type name, when not ok
    message: str = ""


def new_nonce() -> str:
    return "@@quorum:" + secrets.token_hex(16) + ":"


def build_call_program(code: str, calls: Sequence[str], nonce: str) -> str:
    harness = _HARNESS.replace("__QUORUM_NONCE__", repr(nonce)).replace("__QUORUM_CALLS__", repr(list(calls)))
    # Appended, never prepended: line numbers in tracebacks and `from __future__` imports stay intact.
    return code + harness


def parse_call_records(stdout: str, nonce: str, count: int) -> list[CallRecord | None]:
    """One entry per call: its record, or None when the program never produced one."""
    records: list[CallRecord | None] = [None] * count
    for line in stdout.splitlines():
        if not line.startswith(nonce):
            continue
        try:
            raw = json.loads(line[len(nonce) :])
            index = int(raw["i"])
        except (ValueError, KeyError, TypeError):
            continue
        if 0 <= index < count and records[index] is None:
            records[index] = CallRecord(
                index=index,
                ok=bool(raw.get("ok")),
                value=raw.get("v"),
                error=raw.get("e"),
                message=str(raw.get("m", "")),
            )
    return records
