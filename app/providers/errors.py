"""Provider errors, chosen by how a caller handles them, and the helpers every wire translator shares.

Each wire API (openai_compat, gemini, ollama) has one function that turns a vendor reply into one of these;
transport trouble (httpx exceptions) is translated here, once, for all of them.

Retry or fall back (`TransientError`): RateLimitError, ServerError, ProviderTimeout, StreamCut,
TransportError, ProviderUnreachable (not retried: a server that is not running will not start by itself).
Do not retry (`ProviderError`): AuthError, MalformedReply, ModelNotFound, ContentBlocked, BadRequest.
Messages are one line, start with the provider name and never contain a key.
"""

from __future__ import annotations

import email.utils
import json
import math
import re
import time
from collections.abc import Mapping
from typing import Any

import httpx

from app.core.errors import ProviderError, QuorumError, TransientError
from app.core.logs import redact

__all__ = [
    "AuthError",
    "BadRequest",
    "ContentBlocked",
    "MalformedReply",
    "ModelNotFound",
    "ProviderFailure",
    "ProviderTimeout",
    "ProviderUnreachable",
    "RateLimitError",
    "ServerError",
    "StreamCut",
    "TransportError",
    "decode_json",
    "error_for_status",
    "one_line",
    "parse_duration",
    "parse_rate_limit_headers",
    "parse_retry_after",
    "read_error_body",
    "retry_after_from_message",
    "translate_transport",
]

_MAX_MESSAGE = 300
_MAX_ERROR_BODY = 64_000


def one_line(text: str, limit: int = _MAX_MESSAGE) -> str:
    """Collapse whitespace, mask secrets, cut to `limit` characters."""
    flat = redact(" ".join(str(text).split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class ProviderFailure(QuorumError):
    """Mixin root of every error a provider call raises; `provider` is the configured name."""

    def __init__(self, provider: str, message: str, *, status_code: int | None = None) -> None:
        self.provider = provider
        self.status_code = status_code
        self.detail = one_line(message)
        super().__init__(one_line(f"{provider}: {message}"))


class AuthError(ProviderFailure, ProviderError):
    """401/403 (or a key the provider rejects): not retried, opens the breaker at once."""


class RateLimitError(ProviderFailure, TransientError):
    """429 (or quota/credits exhausted). `retry_after_s` from Retry-After / retry-after-ms / the body."""

    def __init__(
        self,
        provider: str,
        message: str,
        *,
        status_code: int | None = 429,
        retry_after_s: float | None = None,
        rate_limits: Mapping[str, float] | None = None,
        daily_quota: bool = False,
    ) -> None:
        super().__init__(provider, message, status_code=status_code)
        self.retry_after_s = retry_after_s
        self.rate_limits: dict[str, float] = dict(rate_limits or {})
        self.daily_quota = daily_quota


class ServerError(ProviderFailure, TransientError):
    """5xx, including 503 while a model loads (`retry_after_s` from the body's estimated_time)."""

    def __init__(
        self,
        provider: str,
        message: str,
        *,
        status_code: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(provider, message, status_code=status_code)
        self.retry_after_s = retry_after_s


class ProviderTimeout(ProviderFailure, TransientError):
    """No (complete) answer in time."""


class StreamCut(ProviderFailure, TransientError):
    """The stream ended before its end marker ([DONE], done: true, finishReason)."""


class TransportError(ProviderFailure, TransientError):
    """The connection broke (reset, protocol error) before a reply could be read."""


class ProviderUnreachable(ProviderFailure, TransientError):
    """Connection refused or host unknown: the server is not running (or the base_url is wrong)."""


class MalformedReply(ProviderFailure, ProviderError):
    """The reply is not the JSON shape the wire API promises."""


def decode_json(provider: str, text: str, *, object_named: str | None = None) -> Any:
    """A reply body or stream line as JSON, else `provider`'s MalformedReply. With `object_named`
    (what to call the text in the message), anything but a JSON object is malformed too."""
    try:
        payload = json.loads(text)
    except ValueError:
        raise MalformedReply(provider, f"not JSON: {one_line(text, 80)!r}") from None
    if object_named is not None and not isinstance(payload, dict):
        raise MalformedReply(provider, f"{object_named} is not a JSON object")
    return payload


class ModelNotFound(ProviderFailure, ProviderError):
    """The server does not have this model (Ollama: not pulled)."""


class ContentBlocked(ProviderFailure, ProviderError):
    """The provider refused the prompt (Gemini promptFeedback.blockReason)."""


class BadRequest(ProviderFailure, ProviderError):
    """Any other 4xx: the request itself is wrong; retrying sends the same thing."""


def translate_transport(provider: str, error: httpx.HTTPError, *, streaming: bool = False) -> ProviderFailure:
    """The one translation of httpx transport exceptions, shared by every wire API."""
    if isinstance(error, httpx.ConnectError):
        return ProviderUnreachable(provider, f"cannot connect ({_reason(error)}): is the server running?")
    if isinstance(error, httpx.TimeoutException):
        phase = "connecting" if isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout) else "reading"
        return ProviderTimeout(provider, f"timed out while {phase}")
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError) and streaming:
        return StreamCut(provider, f"the stream was cut before its end ({_reason(error)})")
    if isinstance(error, httpx.TransportError):
        return TransportError(provider, f"connection failed ({type(error).__name__}: {_reason(error)})")
    return TransportError(provider, f"HTTP failure ({type(error).__name__})")


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return one_line(text, 120)


async def read_error_body(response: httpx.Response) -> tuple[Any, str]:
    """The error body of a streamed response: (parsed JSON or None, raw text), at most 64 kB read."""
    data = bytearray()
    try:
        async for piece in response.aiter_bytes():
            data += piece
            if len(data) >= _MAX_ERROR_BODY:
                break
    except httpx.HTTPError:
        pass  # an error body cut short still tells us the status
    text = data[:_MAX_ERROR_BODY].decode("utf-8", errors="replace")
    try:
        return json.loads(text), text
    except ValueError:
        return None, text


def error_for_status(
    provider: str,
    status: int,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    daily_quota: bool = False,
    retry_after_s: float | None = None,
) -> ProviderFailure:
    """Map an HTTP status (and what the wire translator found in the body) to an error type."""
    headers = headers or {}
    text = message or _STATUS_TEXT.get(status, "error")
    if retry_after_s is None:
        retry_after_s = parse_retry_after(headers)
    if status in (401, 403):
        return AuthError(provider, f"authentication failed ({status}): {text}", status_code=status)
    if status == 402 or (status == 429 and daily_quota):
        return RateLimitError(
            provider,
            f"quota or credits exhausted ({status}): {text}",
            status_code=status,
            retry_after_s=retry_after_s,
            rate_limits=parse_rate_limit_headers(headers),
            daily_quota=True,
        )
    if status == 429:
        return RateLimitError(
            provider,
            f"rate limited (429): {text}",
            retry_after_s=retry_after_s,
            rate_limits=parse_rate_limit_headers(headers),
        )
    if status == 404:
        return ModelNotFound(provider, f"not found (404): {text}", status_code=status)
    if status == 408:
        return ProviderTimeout(provider, f"the server timed out (408): {text}", status_code=status)
    if status >= 500:
        return ServerError(
            provider, f"server error ({status}): {text}", status_code=status, retry_after_s=retry_after_s
        )
    return BadRequest(provider, f"request rejected ({status}): {text}", status_code=status)


_STATUS_TEXT = {
    400: "bad request",
    401: "unauthorized",
    403: "forbidden",
    404: "not found",
    429: "too many requests",
}


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait: `retry-after-ms`, else `Retry-After` as seconds or an HTTP date. Never negative."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            value = float(millis) / 1000.0
        except ValueError:
            value = -1.0
        if math.isfinite(value) and value >= 0:
            return value
    raw = (headers.get("retry-after") or "").strip()
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)")
_DURATION_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def parse_duration(text: str) -> float | None:
    """A Go-style duration as Groq writes them ("6m0s", "2.5s", "120ms", "1h2m3.4s") or bare seconds."""
    text = text.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    total = 0.0
    position = 0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            return None
        total += float(match.group(1)) * _DURATION_UNIT[match.group(2)]
        position = match.end()
    return total if position == len(text) else None


def parse_rate_limit_headers(headers: Mapping[str, str]) -> dict[str, float]:
    """Groq-style `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` as numbers (resets in seconds)."""
    found: dict[str, float] = {}
    for name, value in headers.items():
        lowered = name.lower()
        if not lowered.startswith("x-ratelimit-"):
            continue
        key = lowered.removeprefix("x-ratelimit-")
        number = parse_duration(value) if key.startswith("reset") else _number(value)
        if number is not None:
            found[key] = number
    return found


def _number(value: str) -> float | None:
    try:
        return float(value.strip())
    except ValueError:
        return None


_TRY_AGAIN = re.compile(r"(?i)try again in ((?:\d+(?:\.\d+)?(?:h|ms|m|s))+)")


def retry_after_from_message(message: str) -> float | None:
    """Groq writes the wait into the message too: "Please try again in 46.72s"."""
    match = _TRY_AGAIN.search(message)
    return parse_duration(match.group(1)) if match else None
