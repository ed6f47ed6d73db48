"""Run one candidate program against a HumanEval problem's hidden tests in the sandbox.

The program sent to the sandbox is `code + test + harness`; the harness runs two phases in the candidate's
own module (so helpers the test uses, like `poly` or `encode_cyclic`, come from the candidate as in HumanEval):

1. record: `check(recorder)`, where `recorder` calls the candidate on a deep copy of each argument tuple the
   hidden `check` passes (0.5 s per call; after one timeout the rest are skipped) and then returns the *reference* answer, so every assertion passes
   and all of `check`'s inputs are visited, including ones made in loops or from (seeded) random numbers.
   The candidate's outputs (hashed after normalising floats to 8 significant digits, types kept) form its
   behaviour signature on the hidden inputs.
2. check: `check(entry_point)`, exactly as HumanEval's own evaluation runs it (random re-seeded); the run's
   pass/fail is the ground truth. Skipped when a call timed out in phase 1 (the variant is discarded).

`passes_hidden_tests` is the plain form used to check a judge's winner: `code + test + check(entry_point)`.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass
from typing import Any

from app.sandbox.base import Sandbox, SandboxLimits, SandboxRequest

__all__ = ["Behaviour", "behaviour", "passes_hidden_tests"]

_LIMITS = SandboxLimits(timeout_s=10.0, memory_mb=512)
_CALL_TIMEOUT_S = 0.5

_HARNESS = r"""

# ---- bench verification harness (appended) ----
def __bench_main(__nonce, __ep, __ref_src, __g, __call_s):
    import copy as _copy, hashlib as _hashlib, json as _json, math as _math
    import os as _os, random as _random, signal as _signal

    out = _os.fdopen(_os.dup(1), "w")

    class _Slow(BaseException):
        pass

    def _alarm(*_args):
        raise _Slow()

    _signal.signal(_signal.SIGALRM, _alarm)

    def norm(v, depth=0):
        if depth > 30:
            return "<deep>"
        if v is None:
            return ("n",)
        if isinstance(v, bool):
            return ("b", v)
        if isinstance(v, int):
            return ("i", v)
        if isinstance(v, float):
            return ("f", float("%.8g" % v) if _math.isfinite(v) else repr(v))
        if isinstance(v, str):
            return ("s", v)
        if isinstance(v, (list, tuple)):
            return (type(v).__name__, [norm(x, depth + 1) for x in v])
        if isinstance(v, (set, frozenset)):
            return ("set", sorted(repr(norm(x, depth + 1)) for x in v))
        if isinstance(v, dict):
            return ("dict", sorted((repr(norm(k, depth + 1)), repr(norm(x, depth + 1))) for k, x in v.items()))
        return ("r", type(v).__name__, repr(v)[:1000])

    def key(v):
        return "v:" + _hashlib.sha1(repr(norm(v)).encode("utf-8", "surrogatepass")).hexdigest()[:12]

    ref = {}
    exec(compile(__ref_src, "<reference>", "exec"), ref)
    fn = __g.get(__ep)
    calls = []

    def recorder(*args, **kwargs):
        try:
            copied = _copy.deepcopy((args, kwargs))
        except Exception:
            copied = (args, kwargs)
        if calls and calls[-1][0] == "timeout":  # one timeout settles it: do not wait on every call
            calls.append(["timeout", ""])
            return ref[__ep](*args, **kwargs)
        _signal.setitimer(_signal.ITIMER_REAL, __call_s)
        try:
            got = key(fn(*copied[0], **copied[1]))
        except _Slow:
            got = "timeout"
        except BaseException as error:
            got = "e:" + type(error).__name__
        finally:
            _signal.setitimer(_signal.ITIMER_REAL, 0)
        want = ref[__ep](*args, **kwargs)
        calls.append([got, key(want)])
        return want

    _random.seed(1234)
    try:
        __g["check"](recorder)
        note = ""
    except BaseException as error:
        note = type(error).__name__
    out.write("\n" + __nonce + _json.dumps({"phase": "record", "calls": calls, "note": note}) + "\n")
    out.flush()
    if any(got == "timeout" for got, _ in calls):
        return
    _random.seed(1234)
    try:
        __g["check"](fn)
        passed, error_name = True, ""
    except BaseException as error:
        passed, error_name = False, type(error).__name__
    out.write("\n" + __nonce + _json.dumps({"phase": "check", "passed": passed, "error": error_name}) + "\n")
    out.flush()


__bench_main(__NONCE__, __EP__, __REF__, globals(), __CALL_S__)
"""


@dataclass(frozen=True)
class Behaviour:
    """What a program does on the hidden tests."""

    status: str  # ok | slow (a call took > 0.5 s) | broken (did not load, crashed, sandbox status not ok)
    passed: bool  # passes HumanEval's check
    signature: tuple[str, ...]  # one output key per hidden call (+ the recording note)
    agree: float  # share of hidden calls where the output equals the reference's
    raised: float  # share of hidden calls that raised
    duration_ms: float

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "passed": self.passed,
            "agree": round(self.agree, 4),
            "raised": round(self.raised, 4),
            "duration_ms": round(self.duration_ms, 1),
        }


def _program(code: str, problem: dict[str, Any], nonce: str) -> str:
    reference = problem["prompt"] + problem["canonical_solution"]
    harness = (
        _HARNESS.replace("__NONCE__", repr(nonce))
        .replace("__EP__", repr(problem["entry_point"]))
        .replace("__REF__", repr(reference))
        .replace("__CALL_S__", repr(_CALL_TIMEOUT_S))
    )
    return code.rstrip() + "\n\n" + problem["test"] + harness


async def behaviour(sandbox: Sandbox, code: str, problem: dict[str, Any]) -> Behaviour:
    nonce = "@@bench:" + secrets.token_hex(12) + ":"
    result = await sandbox.run(SandboxRequest(code=_program(code, problem, nonce), limits=_LIMITS))
    records: dict[str, dict[str, Any]] = {}
    for line in result.stdout.splitlines():
        if line.startswith(nonce):
            raw = json.loads(line[len(nonce) :])
            records.setdefault(raw["phase"], raw)
    record = records.get("record")
    if record is None:
        return Behaviour("broken", False, (), 0.0, 0.0, result.duration_ms)
    calls = record["calls"]
    signature = (*(got for got, _ in calls), record["note"])
    agree = sum(got == want for got, want in calls) / max(1, len(calls))
    raised = sum(got.startswith("e:") for got, _ in calls) / max(1, len(calls))
    if "timeout" in signature:
        return Behaviour("slow", False, signature, agree, raised, result.duration_ms)
    check = records.get("check")
    if check is None or result.status != "ok":
        return Behaviour("broken", False, signature, agree, raised, result.duration_ms)
    return Behaviour("ok", bool(check["passed"]), signature, agree, raised, result.duration_ms)


async def passes_hidden_tests(
    sandbox: Sandbox, code: str, problem: dict[str, Any], timeout_s: float = 10.0, with_prompt: bool = False
) -> bool:
    """HumanEval's own criterion: `code + test + check(entry_point)` exits cleanly within the timeout.

    `with_prompt` first defines what the prompt defines (its entry point with a `pass` body), as HumanEval's
    prompt + completion does: a judge may rightly drop a prompt helper the answer does not call but the hidden
    test does (`encode_shift` in HumanEval/50).
    """
    prefix = ""
    if with_prompt:
        prefix = problem["prompt"].rstrip() + "\n    pass\n\n\n"
        try:
            compile(prefix, "<prompt>", "exec")
        except SyntaxError:
            prefix = ""
    program = f"{prefix}{code.rstrip()}\n\n{problem['test']}\n\ncheck({problem['entry_point']})\n"
    result = await sandbox.run(
        SandboxRequest(code=program, limits=SandboxLimits(timeout_s=timeout_s, memory_mb=512))
    )
    return result.status == "ok"


async def gather_limited(limit: asyncio.Semaphore, coroutines: list[Any]) -> list[Any]:
    async def one(coroutine: Any) -> Any:
        async with limit:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines))
