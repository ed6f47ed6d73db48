"""OpenAI-compatible fake providers with fixed latencies, in their own process, for the benchmarks.

    python bench/fake_providers.py 50 100 150 200     # prints the port, then serves /p{i}/v1/chat/completions

Provider i waits its latency (ms; negative: forever), then streams a short correct answer as SSE chunks. A separate process
keeps the server's work off the event loop being measured.
"""

from __future__ import annotations

import asyncio
import json
import sys

ANSWER = "Here it is:\n\n```python\ndef add(a, b):\n    return a + b\n```\n"


def _event(text: str | None, finish: str | None = None) -> bytes:
    delta = {"content": text} if text is not None else {}
    chunk = {"id": "x", "object": "chat.completion.chunk", "model": "fake",
             "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}  # fmt: skip
    data = f"data: {json.dumps(chunk)}\n\n".encode()
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def _serve(latencies: list[float], reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            length = next(
                (int(line.split(":")[1]) for line in lines if line.lower().startswith("content-length")), 0
            )
            await reader.readexactly(length)
            index = int(path.split("/")[1][1:])
            if latencies[index] < 0:  # a provider that never answers
                await asyncio.Event().wait()
            await asyncio.sleep(latencies[index] / 1000)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            for start in range(0, len(ANSWER), 16):
                writer.write(_event(ANSWER[start : start + 16]))
            writer.write(_event(None, "stop"))
            done = b"data: [DONE]\n\n"
            writer.write(f"{len(done):x}\r\n".encode() + done + b"\r\n0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()


async def main() -> None:
    latencies = [float(value) for value in sys.argv[1:]] or [50, 100, 150, 200]
    server = await asyncio.start_server(lambda r, w: _serve(latencies, r, w), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
