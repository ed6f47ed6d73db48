"""A real HTTP/1.1 server on 127.0.0.1 (asyncio streams) for provider tests.

Each test registers handlers that write what the provider's public API docs describe: JSON replies,
SSE or NDJSON streamed with chunked transfer encoding, error bodies, a reply that never comes, a stream
cut half-way. Every request is recorded as it arrived on the socket (method, target, headers, body).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass
class Recorded:
    method: str
    target: str  # path and query exactly as sent
    headers: dict[str, str]  # lower-cased names
    body: bytes
    path: str = ""
    query: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        parts = urlsplit(self.target)
        self.path = parts.path
        self.query = parse_qs(parts.query)

    def json(self) -> Any:
        return json.loads(self.body)


class Reply:
    """Writes one response on the connection."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        self._chunked = False
        self.started = False

    def _head(self, status: int, headers: dict[str, str]) -> bytes:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def send(
        self,
        status: int,
        body: bytes | str | dict[str, Any] | list[Any] = b"",
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
    ) -> None:
        if isinstance(body, dict | list):
            data = json.dumps(body).encode()
            content_type = content_type or "application/json"
        else:
            data = body.encode() if isinstance(body, str) else body
            content_type = content_type or "text/plain; charset=utf-8"
        all_headers = {"Content-Type": content_type, "Content-Length": str(len(data)), "Connection": "close"}
        all_headers.update(headers or {})
        self.started = True
        self._writer.write(self._head(status, all_headers) + data)
        await self._writer.drain()

    async def start(
        self,
        status: int = 200,
        content_type: str = "text/event-stream",
        headers: dict[str, str] | None = None,
        *,
        chunked: bool = True,
    ) -> None:
        """Begin a streamed body: chunked, or (chunked=False) delimited by closing the connection."""
        all_headers = {"Content-Type": content_type, "Connection": "close", "Cache-Control": "no-cache"}
        if chunked:
            all_headers["Transfer-Encoding"] = "chunked"
        all_headers.update(headers or {})
        self._chunked = chunked
        self.started = True
        self._writer.write(self._head(status, all_headers))
        await self._writer.drain()

    async def write(self, data: bytes | str, delay: float = 0.0) -> None:
        if delay:
            await asyncio.sleep(delay)
        raw = data.encode() if isinstance(data, str) else data
        if self._chunked:
            raw = f"{len(raw):x}\r\n".encode() + raw + b"\r\n"
        self._writer.write(raw)
        await self._writer.drain()

    async def end(self) -> None:
        if self._chunked:
            self._writer.write(b"0\r\n\r\n")
            await self._writer.drain()

    async def cut(self) -> None:
        """Drop the connection mid-body (no terminating chunk)."""
        transport = self._writer.transport
        transport.abort()

    async def hang(self) -> None:
        await asyncio.Event().wait()


Handler = Callable[[Recorded, Reply], Awaitable[None]]


class FakeServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.requests: list[Recorded] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method.upper(), path)] = handler

    def sequence(self, method: str, path: str, *handlers: Handler) -> None:
        """Answer successive requests with successive handlers (the last one repeats)."""
        queue = list(handlers)

        async def next_handler(request: Recorded, reply: Reply) -> None:
            handler = queue.pop(0) if len(queue) > 1 else queue[0]
            await handler(request, reply)

        self.route(method, path, next_handler)

    async def start(self) -> FakeServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            request = await self._read_request(reader)
            if request is None:
                return
            self.requests.append(request)
            handler = self.routes.get((request.method, request.path))
            reply = Reply(writer)
            if handler is None:
                await reply.send(404, {"error": f"no route {request.method} {request.path}"})
            else:
                await handler(request, reply)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> Recorded | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        body = b""
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await reader.readline()).strip(), 16)
                if size == 0:
                    await reader.readline()
                    break
                body += await reader.readexactly(size)
                await reader.readline()
        return Recorded(method, target, headers, body)


def sse_event(payload: Any, event: str | None = None) -> str:
    data = payload if isinstance(payload, str) else json.dumps(payload)
    prefix = f"event: {event}\n" if event else ""
    return prefix + "".join(f"data: {line}\n" for line in data.split("\n")) + "\n"


def ndjson(payload: Any) -> str:
    return json.dumps(payload) + "\n"
