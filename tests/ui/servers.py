"""Fake provider servers for the window tests: the real HTTP FakeServer, run on its own thread and event
loop (like a remote provider), so the window's qasync loop only holds the window's own tasks."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from tests.providers.fakeserver import FakeServer, Recorded, Reply, sse_event

Handler = Callable[[Recorded, Reply], Awaitable[None]]


class ThreadedServer:
    def __init__(self) -> None:
        self.server = FakeServer()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fake-providers", daemon=True)

    def start(self) -> ThreadedServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(10)
        return self

    @property
    def url(self) -> str:
        return self.server.url

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.server.route(method, path, handler)

    @property
    def requests(self) -> list[Recorded]:
        return list(self.server.requests)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


def _chunk(text: str | None, finish: str | None = None) -> str:
    delta = {"content": text} if text is not None else {}
    return sse_event(
        {
            "id": "c1",
            "object": "chat.completion.chunk",
            "model": "fake",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
    )


def streaming_answer(
    text: str,
    *,
    delay: float = 0.02,
    piece: int = 6,
    gate: threading.Event | None = None,
    disconnected: threading.Event | None = None,
    forever: bool = False,
) -> Handler:
    """OpenAI-style SSE, a few characters per chunk with `delay` between chunks. `gate` holds the rest of
    the answer after the first chunk until it is set; `forever` never finishes; `disconnected` is set when
    the client goes away mid-stream (a cancelled request)."""

    async def handler(request: Recorded, reply: Reply) -> None:
        try:
            await reply.start()
            pieces = [text[i : i + piece] for i in range(0, len(text), piece)]
            for number, part in enumerate(pieces):
                await reply.write(_chunk(part), delay=delay)
                if number == 0 and gate is not None:
                    while not gate.is_set():
                        await asyncio.sleep(0.01)
            while forever:
                await reply.write(": keep-alive\n\n", delay=delay)
            await reply.write(_chunk(None, "stop"))
            await reply.write("data: [DONE]\n\n")
            await reply.end()
        except (ConnectionError, asyncio.CancelledError):
            if disconnected is not None:
                disconnected.set()
            raise

    return handler


def error_reply(status: int, message: str, headers: dict[str, str] | None = None) -> Handler:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.send(status, {"error": {"message": message, "type": "error", "code": status}}, headers)

    return handler


def ollama_tags(models: list[str]) -> Handler:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.send(200, {"models": [{"name": name, "model": name} for name in models]})

    return handler


def ollama_chat(text: str) -> Handler:
    async def handler(request: Recorded, reply: Reply) -> None:
        model = json.loads(request.body).get("model", "m")
        await reply.start(content_type="application/x-ndjson")
        for start in range(0, len(text), 10):
            line: dict[str, Any] = {
                "model": model,
                "message": {"role": "assistant", "content": text[start : start + 10]},
                "done": False,
            }
            await reply.write(json.dumps(line) + "\n")
        await reply.write(
            json.dumps(
                {
                    "model": model,
                    "message": {"role": "assistant", "content": ""},
                    "done": True,
                    "done_reason": "stop",
                    "eval_count": 20,
                    "eval_duration": 200_000_000,
                }
            )
            + "\n"
        )
        await reply.end()

    return handler
