"""The outcome of asking one provider (after retries and fallback), and the progress callbacks of a call.

`Answer.status` uses exactly the strings of the `quorum verify` JSON contract. When a fallback served,
`status` still says what happened to the provider that was asked (e.g. "rate_limited"), `served_by` names
the one that answered and `text`/`model` are the fallback's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from app.providers.base import Usage
from app.providers.errors import AuthError, ProviderTimeout, RateLimitError

__all__ = ["ANSWER_STATUSES", "Answer", "AnswerStatus", "CallObserver", "status_for"]

AnswerStatus = Literal["ok", "error", "rate_limited", "timeout", "circuit_open", "auth"]
ANSWER_STATUSES: tuple[AnswerStatus, ...] = ("ok", "error", "rate_limited", "timeout", "circuit_open", "auth")


def status_for(error: BaseException) -> AnswerStatus:
    if isinstance(error, AuthError):
        return "auth"
    if isinstance(error, RateLimitError):
        return "rate_limited"
    if isinstance(error, ProviderTimeout | TimeoutError):
        return "timeout"
    return "error"


@dataclass(frozen=True)
class Answer:
    provider: str  # the configured name that was asked
    model: str  # the model that produced `text` (the fallback's when one served)
    status: AnswerStatus
    served_by: str | None = None
    latency_ms: float = 0.0
    time_to_first_token_ms: float | None = None
    text: str = ""
    error: str | None = None  # one line, names the provider, never a key
    retries: int = 0
    finish_reason: str | None = None
    usage: Usage | None = None
    tokens_per_s: float | None = None

    @property
    def usable(self) -> bool:
        """Has text worth judging: the provider answered, or a fallback answered in its place."""
        return bool(self.text.strip()) and (self.status == "ok" or self.served_by is not None)

    def to_json(self) -> dict[str, Any]:
        """The contract's answer fields this layer knows (the orchestrator adds `code` and `execution`)."""
        return {
            "provider": self.provider,
            "model": self.model,
            "status": self.status,
            "served_by": self.served_by,
            "latency_ms": round(self.latency_ms, 3),
            "time_to_first_token_ms": (
                None if self.time_to_first_token_ms is None else round(self.time_to_first_token_ms, 3)
            ),
            "retries": self.retries,
            "text": self.text,
            "error": self.error,
        }


class CallObserver:
    """Progress of provider calls, for the orchestrator to forward (e.g. to the GUI). Every method is a
    no-op: override what you need. Called on the event loop; must be quick and must not raise.

    `provider` is always the name of the provider that was asked, also while its fallback streams.
    """

    def on_attempt(self, provider: str, attempt: int) -> None:
        """A request is being sent (attempt 1, then one per retry)."""

    def on_chunk(self, provider: str, text: str) -> None:
        """A text delta arrived."""

    def on_retry(self, provider: str, attempt: int, delay_s: float, error: str) -> None:
        """Attempt `attempt` failed with `error`; the next starts after `delay_s`. Text streamed so far by
        the failed attempt is void: the next attempt starts from scratch."""

    def on_fallback(self, provider: str, fallback: str, reason: AnswerStatus) -> None:
        """`provider` was `reason` ("rate_limited" / "circuit_open"): `fallback` answers in its place, and
        its text replaces whatever `provider` streamed."""
