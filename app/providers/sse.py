"""Server-sent events, as the WHATWG spec reads them: `data:` lines joined by newlines, an event ends at a
blank line, `:` lines are comments (keep-alives), `event:` names the event, one leading space is dropped.

Lenient where real servers are sloppy: an event still pending when the stream ends is delivered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

__all__ = ["SSEEvent", "iter_sse"]


@dataclass(frozen=True)
class SSEEvent:
    data: str
    event: str = "message"
    id: str | None = None


async def iter_sse(lines: AsyncIterator[str]) -> AsyncIterator[SSEEvent]:
    """Events from decoded lines (httpx `aiter_lines()` splits on \\n, \\r\\n and \\r)."""
    data: list[str] = []
    event = ""
    last_id: str | None = None
    async for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            if data:
                yield SSEEvent("\n".join(data), event or "message", last_id)
            data, event = [], ""
            continue
        if line.startswith(":"):
            continue
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        if name == "data":
            data.append(value)
        elif name == "event":
            event = value
        elif name == "id" and "\0" not in value:
            last_id = value
        # `retry:` and unknown fields are ignored, as the spec says.
    if data:
        yield SSEEvent("\n".join(data), event or "message", last_id)
