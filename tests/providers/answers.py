"""Handlers that stream a whole answer in each provider's wire format, and the usual failures.

Formats follow the public API docs: OpenAI-style SSE chat completion chunks ending with `data: [DONE]`,
Gemini `streamGenerateContent?alt=sse` GenerateContentResponse events, Ollama `/api/chat` NDJSON lines
ending with a `done: true` object.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tests.providers.fakeserver import Recorded, Reply, ndjson, sse_event

Handler = Callable[[Recorded, Reply], Awaitable[None]]


def _pieces(text: str, size: int = 12) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def openai_answer(text: str, model: str = "test-model") -> Handler:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.start()
        for piece in _pieces(text):
            chunk = {
                "id": "c1",
                "object": "chat.completion.chunk",
                "model": model,
                "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
            }
            await reply.write(sse_event(chunk))
        last = {
            "id": "c1",
            "object": "chat.completion.chunk",
            "model": model,
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
        await reply.write(sse_event(last))
        await reply.write("data: [DONE]\n\n")
        await reply.end()

    return handler


def gemini_answer(text: str) -> Handler:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.start()
        pieces = _pieces(text)
        for index, piece in enumerate(pieces):
            candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": piece}]}, "index": 0}
            if index == len(pieces) - 1:
                candidate["finishReason"] = "STOP"
            await reply.write(sse_event({"candidates": [candidate], "modelVersion": "gemini-2.0-flash"}))
        await reply.end()

    return handler


def ollama_answer(text: str, model: str = "qwen2.5-coder") -> Handler:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.start(content_type="application/x-ndjson")
        for piece in _pieces(text):
            await reply.write(
                ndjson({"model": model, "message": {"role": "assistant", "content": piece}, "done": False})
            )
        await reply.write(
            ndjson(
                {
                    "model": model,
                    "message": {"role": "assistant", "content": ""},
                    "done": True,
                    "done_reason": "stop",
                    "eval_count": 42,
                    "eval_duration": 420_000_000,
                }
            )
        )
        await reply.end()

    return handler


async def gemini_quota(request: Recorded, reply: Reply) -> None:
    await reply.send(
        429,
        {
            "error": {
                "code": 429,
                "status": "RESOURCE_EXHAUSTED",
                "message": "You exceeded your current quota.",
                "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}],
            }
        },
    )


async def hangs(request: Recorded, reply: Reply) -> None:
    await reply.hang()


async def ollama_garbage(request: Recorded, reply: Reply) -> None:
    await reply.start(content_type="application/x-ndjson")
    await reply.write(ndjson({"message": {"role": "assistant", "content": "def "}, "done": False}))
    await reply.write("<<<not json>>>\n")
    await reply.end()
