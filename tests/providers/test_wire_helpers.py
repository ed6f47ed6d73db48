"""SSE parsing and the shared error helpers (Retry-After, Go durations, rate-limit headers, transport)."""

from __future__ import annotations

import email.utils
from collections.abc import AsyncIterator

import httpx
import pytest

from app.core.errors import ProviderError, TransientError
from app.core.logs import register_secret
from app.providers.errors import (
    AuthError,
    ProviderTimeout,
    ProviderUnreachable,
    RateLimitError,
    StreamCut,
    TransportError,
    error_for_status,
    one_line,
    parse_duration,
    parse_rate_limit_headers,
    parse_retry_after,
    translate_transport,
)
from app.providers.sse import SSEEvent, iter_sse


async def _lines(*items: str) -> AsyncIterator[str]:
    for item in items:
        yield item


async def _events(*items: str) -> list[SSEEvent]:
    return [event async for event in iter_sse(_lines(*items))]


async def test_sse_fields_comments_and_multiline_data() -> None:
    events = await _events(
        ": ping",
        "",
        "event: error",
        "id: 7",
        "data: first",
        "data:second",
        "retry: 100",
        "",
        "data: [DONE]",
        "",
    )
    assert events == [SSEEvent("first\nsecond", "error", "7"), SSEEvent("[DONE]", "message", "7")]


async def test_sse_blank_lines_alone_dispatch_nothing_and_pending_event_is_delivered() -> None:
    assert await _events("", "", "data: tail") == [SSEEvent("tail")]
    assert await _events("data:  two spaces", "") == [SSEEvent(" two spaces")]


def test_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "12"}) == 12.0
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after": "-3"}) == 0.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({"retry-after": "nan"}) is None
    assert parse_retry_after({}) is None
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 90, usegmt=True)
    assert parse_retry_after({"retry-after": date}, now=now) == pytest.approx(90.0)
    past = email.utils.formatdate(now - 90, usegmt=True)
    assert parse_retry_after({"retry-after": past}, now=now) == 0.0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("6m0s", 360.0), ("2.5s", 2.5), ("120ms", 0.12), ("1h2m3.5s", 3723.5), ("7", 7.0), ("14m24.2s", 864.2)],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


def test_bad_durations() -> None:
    assert parse_duration("") is None
    assert parse_duration("soon") is None
    assert parse_duration("5x") is None


def test_rate_limit_headers() -> None:
    headers = {"X-RateLimit-Remaining-Tokens": "10", "x-ratelimit-reset-requests": "6m0s", "x-other": "1"}
    assert parse_rate_limit_headers(headers) == {"remaining-tokens": 10.0, "reset-requests": 360.0}


def test_status_mapping_and_error_families() -> None:
    assert isinstance(error_for_status("p", 401, "no"), AuthError)
    assert isinstance(error_for_status("p", 403, "no"), AuthError)
    assert isinstance(error_for_status("p", 429, "slow"), RateLimitError)
    assert isinstance(error_for_status("p", 408, "slow"), ProviderTimeout)
    assert isinstance(error_for_status("p", 418, "teapot"), ProviderError)
    daily = error_for_status("p", 402, "credits")
    assert isinstance(daily, RateLimitError) and daily.daily_quota
    assert isinstance(error_for_status("p", 500, "x"), TransientError)


def test_messages_are_one_line_and_masked() -> None:
    register_secret("sk-livekey1234567890")
    assert one_line("a\n  b\tc") == "a b c"
    assert "sk-livekey1234567890" not in one_line("key sk-livekey1234567890 leaked")
    assert len(one_line("x" * 1000)) == 300
    error = error_for_status("groq", 500, "boom\ntrace sk-livekey1234567890")
    assert str(error).startswith("groq: ") and "\n" not in str(error) and "livekey" not in str(error)


def test_transport_translation() -> None:
    request = httpx.Request("POST", "http://127.0.0.1:1/x")
    assert isinstance(
        translate_transport("p", httpx.ConnectError("refused", request=request)), ProviderUnreachable
    )
    assert isinstance(translate_transport("p", httpx.ReadTimeout("slow", request=request)), ProviderTimeout)
    cut = httpx.RemoteProtocolError("peer closed", request=request)
    assert isinstance(translate_transport("p", cut, streaming=True), StreamCut)
    assert isinstance(translate_transport("p", cut), TransportError)
