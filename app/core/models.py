"""Results of a verification run, shaped for the `quorum verify --json` contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from app.judge.engine import JudgeReport
    from app.providers.answer import Answer
    from app.sandbox.base import SandboxResult

__all__ = ["AnswerRecord", "CacheKind", "Verdict", "VerifyResult"]

Verdict = Literal["verified", "disputed", "failed", "no_answers"]
CacheKind = Literal["miss", "exact", "semantic"]


@dataclass
class AnswerRecord:
    answer: Answer
    code: str | None = None  # the definitions the judge runs
    program: str | None = None  # the answer's code as written (what `execution` ran)
    execution: SandboxResult | None = None

    def to_json(self) -> dict[str, Any]:
        answer = self.answer
        return {
            "provider": answer.provider,
            "model": answer.model,
            "status": answer.status,
            "served_by": answer.served_by,
            "latency_ms": round(answer.latency_ms, 3),
            "text": answer.text,
            "code": self.code,
            "error": answer.error,
            "execution": self.execution.to_json() if self.execution is not None else None,
            "time_to_first_token_ms": (
                None if answer.time_to_first_token_ms is None else round(answer.time_to_first_token_ms, 3)
            ),
            "retries": answer.retries,
        }


@dataclass
class VerifyResult:
    prompt: str
    verdict: Verdict
    confidence: float
    winner: int | None
    answers: list[AnswerRecord]
    explanation: str
    cache: CacheKind = "miss"
    duration_ms: float = 0.0
    mode: str = "configured"
    judge: JudgeReport | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        winner = None
        if self.winner is not None:
            winner = {"index": self.winner, "provider": self.answers[self.winner].answer.provider}
        return {
            "prompt": self.prompt,
            "verdict": self.verdict,
            "confidence": self.confidence,
            "winner": winner,
            "cache": self.cache,
            "duration_ms": round(self.duration_ms, 1),
            "answers": [record.to_json() for record in self.answers],
            "explanation": self.explanation,
            "mode": self.mode,
            "clusters": self.judge.clusters if self.judge is not None else [],
            "disagreements": self.judge.disagreements if self.judge is not None else [],
        }
