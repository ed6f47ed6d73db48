"""Quorum as an OpenAI "model": requests in the chat-completions shape, the winner's answer out.

`model` is `quorum` (every configured provider) or `quorum:groq,gemini` (those). The reply's message is
the winning answer's text; the verdict, confidence and a per-provider summary ride along in an extra
`quorum` field, which OpenAI clients keep (the official Python client exposes unknown fields).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from app.core.errors import UserError

if TYPE_CHECKING:
    from app.core.models import VerifyResult

__all__ = ["ChatBody", "chat_chunks", "chat_completion", "prompt_and_providers"]

_STREAM_PIECE = 64


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatBody(BaseModel):
    model_config = ConfigDict(extra="allow")  # clients send temperature, top_p, user, ...: accepted
    model: str
    messages: list[ChatMessage]
    stream: bool = False


def prompt_and_providers(body: ChatBody) -> tuple[str, list[str] | None]:
    model = body.model.strip()
    if model != "quorum" and not model.startswith("quorum:"):
        raise UserError(f"unknown model {model!r}: use 'quorum' or 'quorum:provider1,provider2'")
    names = [
        name.strip() for name in model.removeprefix("quorum").removeprefix(":").split(",") if name.strip()
    ]
    users = [message for message in body.messages if message.role == "user"]
    if not users:
        raise UserError("messages: no user message to answer")
    return _text(users[-1].content), names or None


def _text(content: str | list[dict[str, Any]] | None) -> str:
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    return "\n".join(str(part.get("text", "")) for part in content if part.get("type") == "text")


def _summary(result: VerifyResult) -> dict[str, Any]:
    data = result.to_json()
    return {
        "verdict": data["verdict"],
        "confidence": data["confidence"],
        "winner": data["winner"],
        "cache": data["cache"],
        "explanation": data["explanation"],
        "answers": [
            {key: answer[key] for key in ("provider", "model", "status", "served_by", "latency_ms")}
            | {"execution_status": (answer["execution"] or {}).get("status")}
            for answer in data["answers"]
        ],
    }


def _content(result: VerifyResult) -> str:
    if result.winner is not None:
        return result.answers[result.winner].answer.text
    return f"Quorum could not verify an answer ({result.verdict}). {result.explanation}"


def chat_completion(result: VerifyResult, model: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-quorum-{secrets.token_hex(8)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": _content(result)},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "quorum": _summary(result),
    }


async def chat_chunks(result: VerifyResult, model: str) -> AsyncIterator[bytes]:
    """The winner's text as SSE chunks (after judging), the verdict on the last chunk, then [DONE]."""
    ident = f"chatcmpl-quorum-{secrets.token_hex(8)}"
    created = int(time.time())

    def event(delta: dict[str, Any], finish: str | None, extra: dict[str, Any] | None = None) -> bytes:
        chunk = {
            "id": ident,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **(extra or {}),
        }
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode()

    yield event({"role": "assistant", "content": ""}, None)
    text = _content(result)
    for start in range(0, len(text), _STREAM_PIECE):
        yield event({"content": text[start : start + _STREAM_PIECE]}, None)
    yield event({}, "stop", {"quorum": _summary(result)})
    yield b"data: [DONE]\n\n"
