"""What a verification run reports while it happens, in order, for front ends to stream.

Events are plain frozen dataclasses; a front end receives them through a callback (`EventSink`) that
must be quick and must not raise (the GUI bridge turns them into Qt signals).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.models import AnswerRecord, VerifyResult

__all__ = [
    "AnswerReceived",
    "CodeExecuted",
    "Event",
    "EventSink",
    "ProviderAttempt",
    "ProviderFallback",
    "ProviderRetry",
    "RunStarted",
    "TextChunk",
    "VerdictReached",
]


@dataclass(frozen=True)
class RunStarted:
    prompt: str
    providers: tuple[str, ...]
    mode: str  # "configured" | "ollama" | "demo"


@dataclass(frozen=True)
class ProviderAttempt:
    provider: str
    attempt: int


@dataclass(frozen=True)
class TextChunk:
    provider: str
    text: str


@dataclass(frozen=True)
class ProviderRetry:
    provider: str
    attempt: int
    delay_s: float
    error: str  # the text streamed so far by this provider is void


@dataclass(frozen=True)
class ProviderFallback:
    provider: str
    fallback: str
    reason: str  # the text streamed so far by this provider is void


@dataclass(frozen=True)
class AnswerReceived:
    index: int
    record: AnswerRecord


@dataclass(frozen=True)
class CodeExecuted:
    index: int
    record: AnswerRecord


@dataclass(frozen=True)
class VerdictReached:
    result: VerifyResult


Event = (
    RunStarted
    | ProviderAttempt
    | TextChunk
    | ProviderRetry
    | ProviderFallback
    | AnswerReceived
    | CodeExecuted
    | VerdictReached
)
EventSink = Callable[[Event], None]
