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
def __quorum_harness(__nonce, __calls, __out, __per_call_s):
    import json as _json, math as _math, signal as _signal, sys as _sys

    class CallTimeout(BaseException):  # BaseException: `except Exception` in the program cannot eat it
        pass

    def on_alarm(signum, frame):
        raise CallTimeout()

    class Discard:  # the program's prints during calls go nowhere (they cannot flood the records)
        def write(self, text):
            return len(text)

        def flush(self):
            pass

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
            return ["s", v[:100000]]
        if isinstance(v, (bytes, bytearray)):
            return ["y", bytes(v[:100000]).hex()]
        if isinstance(v, (list, range)):
            return ["l", [enc(x, depth + 1) for x in v[:10000]]]
        if isinstance(v, tuple):
            return ["t", [enc(x, depth + 1) for x in v[:10000]]]
        if isinstance(v, (set, frozenset)):
            return ["S", sorted((enc(x, depth + 1) for x in v), key=repr)[:10000]]
        if isinstance(v, dict):
            items = [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]
            return ["d", sorted(items, key=repr)[:10000]]
        if hasattr(v, "__iter__") and hasattr(v, "__next__"):
            import itertools
            return ["l", [enc(x, depth + 1) for x in itertools.islice(v, 10000)]]
        return ["r", repr(v)[:10000]]

    _signal.signal(_signal.SIGALRM, on_alarm)
    for index, (setup, expression) in enumerate(__calls):
        _sys.stdout = Discard()
        try:
            _signal.setitimer(_signal.ITIMER_REAL, __per_call_s)
            try:
                namespace = globals()
                if setup:  # doctest-style set-up lines run in a copy, so calls stay independent
                    namespace = dict(namespace)
                    exec(setup, namespace)
                value = eval(expression, namespace)
            finally:
                _signal.setitimer(_signal.ITIMER_REAL, 0)
            record = {"i": index, "ok": True, "v": enc(value)}
        except CallTimeout:
            record = {"i": index, "ok": False, "e": "Timeout", "m": f"over {__per_call_s} s"}
        except BaseException as error:  # noqa: BLE001 - any failure is a result
            record = {"i": index, "ok": False, "e": type(error).__name__, "m": str(error)[:300]}
        try:
            line = _json.dumps(record)
        except (TypeError, ValueError, RecursionError):
            line = _json.dumps({"i": index, "ok": False, "e": "Unencodable", "m": ""})
        __out.write("\n" + __nonce + line + "\n")
        __out.flush()


import os as __quorum_os
__quorum_harness(
    __QUORUM_NONCE__, __QUORUM_CALLS__, __quorum_os.fdopen(__quorum_os.dup(1), "w"), __QUORUM_PER_CALL_S__
)
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


def build_call_program(
    code: str, calls: Sequence[str | tuple[str, str]], nonce: str, *, per_call_s: float = 2.0
) -> str:
    """The program followed by the harness; each call gets `per_call_s` seconds (error "Timeout").

    A call is an expression, or a `(setup statements, expression)` pair.
    """
    pairs = [("", call) if isinstance(call, str) else (call[0], call[1]) for call in calls]
    harness = (
        _HARNESS.replace("__QUORUM_NONCE__", repr(nonce))
        .replace("__QUORUM_CALLS__", repr(pairs))
        .replace("__QUORUM_PER_CALL_S__", repr(float(per_call_s)))
    )
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
