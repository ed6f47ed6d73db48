"""What the widgets show, computed from pipeline results: plain frozen data, no Qt.

Every decision about wording (a status chip's text, how a latency is written, the verdict's one sentence
of why) is made here, once, so that widgets only lay things out and the rules are testable without a
window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from app.core.models import AnswerRecord, VerifyResult
    from app.sandbox.base import SandboxResult

__all__ = [
    "AnswerView",
    "Chip",
    "ChipKind",
    "PaneInit",
    "SandboxView",
    "VerdictView",
    "answer_view",
    "format_ms",
    "inert",
    "sandbox_view",
    "verdict_view",
]

# Colour families the theme knows; a chip's kind picks its colour, its text says what happened.
ChipKind = Literal["idle", "busy", "ok", "warn", "error", "muted"]


@dataclass(frozen=True)
class Chip:
    kind: ChipKind
    text: str
    tooltip: str = ""


WAITING = Chip("muted", "waiting")
STREAMING = Chip("busy", "streaming")
CANCELLED = Chip("muted", "cancelled")


@dataclass(frozen=True)
class PaneInit:
    index: int
    provider: str
    model: str


@dataclass(frozen=True)
class AnswerView:
    index: int
    provider: str
    model: str
    chip: Chip
    metrics: str  # "412 ms · ttft 90 ms · 54 tok · 130 tok/s"
    text: str  # the whole answer (markdown, prose and code)
    code: str | None  # the answer's code as written, for the highlighted view
    error: str | None
    served_by: str | None
    latency_ms: float
    usable: bool


@dataclass(frozen=True)
class SandboxView:
    chip: Chip
    summary: str  # "15 ms · exit 0 · bwrap"
    stdout: str  # escape sequences made visible and inert
    stderr: str
    truncated: bool


@dataclass(frozen=True)
class VerdictView:
    verdict: str  # verified | disputed | failed | no_answers
    title: str  # "VERIFIED"
    confidence: float
    headline: str  # one sentence of why, with the counterexample when there is one
    explanation: str  # the judge's whole paragraph
    winner: int | None
    winner_provider: str | None
    clusters: list[list[str]]  # provider names that behave alike, winner's group first
    winning_cluster: list[int] = field(default_factory=list)  # answer indexes
    counterexamples: list[tuple[str, str]] = field(default_factory=list)  # ("f(x)", "a returns 1; b ...")
    footer: str = ""  # "cache miss · 1.9 s · 48 generated inputs"


def format_ms(ms: float | None) -> str:
    if ms is None:
        return "\u2013"
    if ms < 1000:
        return f"{ms:.0f} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    return f"{ms / 60_000:.0f} min {ms % 60_000 / 1000:.0f} s"


def inert(text: str) -> str:
    """Program output may carry terminal escape sequences or other control characters: show them as
    text (`\\x1b[31m`), never let them act. Newlines and tabs stay."""
    return "".join(ch if ch in "\n\t" or ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


_STATUS_CHIPS: dict[str, Chip] = {
    "ok": Chip("ok", "done"),
    "rate_limited": Chip("warn", "rate limited"),
    "timeout": Chip("error", "timeout"),
    "circuit_open": Chip("warn", "breaker open"),
    "auth": Chip("error", "no key / auth"),
    "error": Chip("error", "error"),
}


def answer_chip(status: str, served_by: str | None, error: str | None) -> Chip:
    if served_by:
        why = "rate limited" if status == "rate_limited" else "breaker open"
        return Chip("warn", f"served by {served_by}", f"{why}: {served_by} answered in its place")
    base = _STATUS_CHIPS.get(status, Chip("error", status))
    return Chip(base.kind, base.text, error or "")


def answer_view(index: int, record: AnswerRecord) -> AnswerView:
    answer = record.answer
    parts = [format_ms(answer.latency_ms)] if answer.latency_ms else []
    if answer.time_to_first_token_ms is not None:
        parts.append(f"ttft {format_ms(answer.time_to_first_token_ms)}")
    tokens = answer.usage.completion_tokens if answer.usage is not None else None
    if tokens:
        parts.append(f"{tokens} tok")
    if answer.tokens_per_s:
        parts.append(f"{answer.tokens_per_s:.0f} tok/s")
    if answer.retries:
        parts.append(f"{answer.retries} retr{'y' if answer.retries == 1 else 'ies'}")
    return AnswerView(
        index=index,
        provider=answer.provider,
        model=answer.model,
        chip=answer_chip(answer.status, answer.served_by, answer.error),
        metrics=" · ".join(parts),
        text=answer.text,
        code=record.program or record.code,
        error=answer.error,
        served_by=answer.served_by,
        latency_ms=answer.latency_ms,
        usable=answer.usable,
    )


_SANDBOX_KINDS: dict[str, Literal["ok", "warn", "error"]] = {
    "ok": "ok",
    "error": "error",
    "timeout": "warn",
    "oom": "warn",
    "output_limit": "warn",
    "killed": "error",
    "blocked": "error",
}


def sandbox_view(result: SandboxResult) -> SandboxView:
    parts = [format_ms(result.duration_ms)]
    if result.exit_code is not None:
        parts.append(f"exit {result.exit_code}")
    if result.signal:
        parts.append(result.signal)
    parts.append(result.isolation or result.backend)
    label = result.status.replace("_", " ")
    return SandboxView(
        chip=Chip(_SANDBOX_KINDS.get(result.status, "error"), label, "; ".join(result.warnings)),
        summary=" · ".join(parts),
        stdout=inert(result.stdout),
        stderr=inert(result.stderr),
        truncated=result.truncated,
    )


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _counterexamples(result: VerifyResult) -> list[tuple[str, str]]:
    """`input: a returns 1; b returns 2` from the judge's disagreements, labels made plain names."""
    judge = result.judge
    if judge is None:
        return []
    names = {
        f"{record.answer.provider} (#{i})": record.answer.provider for i, record in enumerate(result.answers)
    }
    lines: list[tuple[str, str]] = []
    for entry in judge.disagreements[:3]:
        outputs = "; ".join(f"{names.get(label, label)} {text}" for label, text in entry["outputs"].items())
        lines.append((str(entry["input"]), outputs))
    return lines


def _evidence(result: VerifyResult, plural: bool) -> str:
    judge = result.judge
    if judge is None or result.winner is None:
        return ""
    if result.winner >= len(judge.candidates):  # a cached result keeps the verdict, not the check counts
        return ""
    candidate = judge.candidates[result.winner]
    if candidate.examples_total:
        verb = "they pass" if plural else "it passes"
        return f"; {verb} {candidate.examples_passed}/{candidate.examples_total} checks"
    if judge.generated_inputs:
        return f" on {judge.generated_inputs} generated inputs"
    return ""


def _headline(result: VerifyResult, clusters: list[list[str]]) -> str:
    total = len(result.answers)
    if result.verdict == "no_answers":
        return "No provider produced an answer to judge."
    if result.winner is None or not clusters:
        return "No answer has usable code that runs." if result.verdict == "failed" else result.explanation
    agree = clusters[0]
    differ = [name for group in clusters[1:] for name in group]
    if len(agree) > 1:
        sentence = f"{_names(agree)} agree ({len(agree)} of {total})"
    else:
        sentence = f"Only {agree[0]} behaves this way (1 of {total})"
    sentence += _evidence(result, len(agree) > 1)
    counter = _counterexamples(result)
    if differ and counter:
        call, outputs = counter[0]
        sentence += f". {_names(differ)} differ{'s' if len(differ) == 1 else ''} on {call}: {outputs}"
    elif differ:
        sentence += f". {_names(differ)} behave{'s' if len(differ) == 1 else ''} differently"
    return sentence + "."


def verdict_view(result: VerifyResult) -> VerdictView:
    providers = [record.answer.provider for record in result.answers]
    judge = result.judge
    raw_clusters = [list(group) for group in (judge.clusters if judge is not None else [])]
    if result.winner is not None:
        raw_clusters.sort(key=lambda group: result.winner not in group)
    clusters = [[providers[i] for i in group if i < len(providers)] for group in raw_clusters]
    winning = raw_clusters[0] if raw_clusters and result.winner in raw_clusters[0] else []
    footer = [f"cache {result.cache}", format_ms(result.duration_ms)]
    if judge is not None and judge.checks:
        footer.append(f"{len(judge.checks)} checks")
    if judge is not None and judge.generated_inputs:
        footer.append(f"{judge.generated_inputs} generated inputs")
    return VerdictView(
        verdict=result.verdict,
        title=result.verdict.replace("_", " ").upper(),
        confidence=result.confidence,
        headline=_headline(result, clusters),
        explanation=result.explanation,
        winner=result.winner,
        winner_provider=providers[result.winner] if result.winner is not None else None,
        clusters=clusters,
        winning_cluster=winning,
        counterexamples=_counterexamples(result),
        footer=" · ".join(footer),
    )
