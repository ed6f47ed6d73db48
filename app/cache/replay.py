"""Rebuilding a `VerifyResult` from its JSON, so a cache hit reaches front ends as a normal result."""

from __future__ import annotations

from typing import Any

from app.core.models import AnswerRecord, VerifyResult
from app.judge.engine import JudgeReport
from app.providers.answer import ANSWER_STATUSES, Answer
from app.sandbox.base import SandboxResult

__all__ = ["verify_result_from_json"]


def verify_result_from_json(data: dict[str, Any]) -> VerifyResult:
    """The inverse of `VerifyResult.to_json` (clusters and disagreements ride on a bare JudgeReport)."""
    records = [_record(answer) for answer in data.get("answers") or []]
    winner = data.get("winner")
    report = JudgeReport(
        verdict=str(data["verdict"]),
        confidence=float(data.get("confidence", 0.0)),
        winner=winner["index"] if isinstance(winner, dict) else None,
        clusters=[list(cluster) for cluster in data.get("clusters") or []],
        candidates=[],
        explanation=str(data.get("explanation", "")),
        disagreements=list(data.get("disagreements") or []),
    )
    return VerifyResult(
        prompt=str(data["prompt"]),
        verdict=data["verdict"],
        confidence=float(data.get("confidence", 0.0)),
        winner=report.winner,
        answers=records,
        explanation=str(data.get("explanation", "")),
        cache=data.get("cache", "miss"),
        duration_ms=float(data.get("duration_ms", 0.0)),
        mode=str(data.get("mode", "configured")),
        judge=report,
    )


def _record(data: dict[str, Any]) -> AnswerRecord:
    status = data.get("status")
    answer = Answer(
        provider=str(data.get("provider", "")),
        model=str(data.get("model", "")),
        status=status if status in ANSWER_STATUSES else "error",
        served_by=data.get("served_by"),
        latency_ms=float(data.get("latency_ms") or 0.0),
        time_to_first_token_ms=data.get("time_to_first_token_ms"),
        text=str(data.get("text") or ""),
        error=data.get("error"),
        retries=int(data.get("retries") or 0),
    )
    execution = data.get("execution")
    return AnswerRecord(
        answer=answer,
        code=data.get("code"),
        execution=_execution(execution) if isinstance(execution, dict) else None,
    )


def _execution(data: dict[str, Any]) -> SandboxResult:
    return SandboxResult(
        status=data.get("status", "error"),
        exit_code=data.get("exit_code"),
        stdout=str(data.get("stdout", "")),
        stderr=str(data.get("stderr", "")),
        duration_ms=float(data.get("duration_ms") or 0.0),
        backend=data.get("backend", "subprocess"),
        truncated=bool(data.get("truncated", False)),
        signal=data.get("signal"),
        isolation=str(data.get("isolation", "")),
        warnings=[str(warning) for warning in data.get("warnings") or []],
    )
