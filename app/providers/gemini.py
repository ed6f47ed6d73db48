"""Google Gemini (`generativelanguage.googleapis.com`):
`POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse` (`:generateContent` without streaming),
key in the `x-goog-api-key` header, never in the URL.

Errors are google.rpc statuses (`{"error": {"code", "status", "message", "details"}}`, sometimes wrapped in a
list); `_translate` is the one place they become project errors. A 429 whose QuotaFailure names a per-day
quota is a daily exhaustion: waiting seconds will not help, so the breaker stays open.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from app.providers.base import ChatRequest, Provider, StreamState, Usage
from app.providers.errors import (
    AuthError,
    ContentBlocked,
    MalformedReply,
    ModelNotFound,
    ProviderFailure,
    StreamCut,
    decode_json,
    error_for_status,
    one_line,
    parse_duration,
    parse_retry_after,
    read_error_body,
    translate_transport,
)
from app.providers.sse import iter_sse

__all__ = ["GeminiProvider"]

_RPC_STATUS = {
    "INVALID_ARGUMENT": 400,
    "FAILED_PRECONDITION": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "RESOURCE_EXHAUSTED": 429,
    "CANCELLED": 499,
    "INTERNAL": 500,
    "UNAVAILABLE": 503,
    "DEADLINE_EXCEEDED": 504,
}
# Finish reasons that mean the provider withheld the answer.
_BLOCKED = {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"}


class GeminiProvider(Provider):
    kind: ClassVar[str] = "gemini"
    needs_key: ClassVar[bool] = True
    key_env: ClassVar[tuple[str, ...]] = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
    default_base_url: ClassVar[str | None] = "https://generativelanguage.googleapis.com"

    def _url(self, streaming: bool) -> str:
        model = quote(self.model.removeprefix("models/"), safe="-._~")
        root = self.base_url.removesuffix("/v1beta")
        method = "streamGenerateContent" if streaming else "generateContent"
        return f"{root}/v1beta/models/{model}:{method}"

    def _body(self, request: ChatRequest) -> dict[str, Any]:
        body: dict[str, Any] = {"contents": [{"role": "user", "parts": [{"text": request.prompt}]}]}
        if request.system:
            body["systemInstruction"] = {"parts": [{"text": request.system}]}
        config: dict[str, Any] = {}
        if request.max_tokens is not None:
            config["maxOutputTokens"] = request.max_tokens
        if request.temperature is not None:
            config["temperature"] = request.temperature
        if config:
            body["generationConfig"] = config
        return body

    async def _run(
        self, request: ChatRequest, state: StreamState, *, streaming: bool
    ) -> AsyncGenerator[str, None]:
        headers = {
            "x-goog-api-key": self._api_key or "",
            "Accept": "text/event-stream" if streaming else "application/json",
        }
        params = {"alt": "sse"} if streaming else None
        body_started = False
        try:
            async with self._client.stream(
                "POST",
                self._url(streaming),
                params=params,
                json=self._body(request),
                headers=headers,
                timeout=self._timeout(),
            ) as response:
                body_started = True
                if not response.is_success:
                    data, text = await read_error_body(response)
                    raise self._translate(response.status_code, data, text, response.headers)
                if "text/event-stream" in response.headers.get("content-type", ""):
                    async for delta in self._events(response, state):
                        yield delta
                else:
                    payload = self._json((await response.aread()).decode("utf-8", errors="replace"))
                    text = "".join(self._read(payload, state, response.headers, produced=False))
                    if state.finish_reason in _BLOCKED and not text:
                        raise ContentBlocked(self.name, f"the answer was withheld ({state.finish_reason})")
                    yield text
        except httpx.HTTPError as error:
            raise translate_transport(self.name, error, streaming=body_started) from None

    async def _events(self, response: httpx.Response, state: StreamState) -> AsyncIterator[str]:
        produced = False
        async for event in iter_sse(response.aiter_lines()):
            payload = self._json(event.data)
            for text in self._read(payload, state, response.headers, produced=produced):
                produced = True
                yield text
        if state.finish_reason is None:
            raise StreamCut(self.name, "the stream ended before a finishReason")

    def _read(
        self, payload: Any, state: StreamState, headers: Mapping[str, str], *, produced: bool
    ) -> list[str]:
        """The text parts of one GenerateContentResponse (raising on errors and blocks)."""
        if isinstance(payload, list):  # some proxies send the non-SSE array form
            return [text for item in payload for text in self._read(item, state, headers, produced=produced)]
        if not isinstance(payload, dict):
            raise MalformedReply(self.name, "the reply is not a JSON object")
        if payload.get("error"):
            raise self._translate(None, payload, "", headers)
        feedback = payload.get("promptFeedback")
        if isinstance(feedback, dict) and feedback.get("blockReason"):
            raise ContentBlocked(
                self.name, f"the prompt was blocked by the provider ({feedback['blockReason']})"
            )
        self._note_usage(payload.get("usageMetadata"), state)
        candidates = payload.get("candidates")
        if candidates is None:
            return []
        if not isinstance(candidates, list) or not candidates or not isinstance(candidates[0], dict):
            raise MalformedReply(self.name, "`candidates` is not a list of objects")
        candidate = candidates[0]
        texts: list[str] = []
        content = candidate.get("content")
        parts = content.get("parts", []) if isinstance(content, dict) else []
        if not isinstance(parts, list):
            raise MalformedReply(self.name, "candidates[0].content.parts is not a list")
        for part in parts:
            if isinstance(part, dict) and isinstance(part.get("text"), str) and not part.get("thought"):
                texts.append(part["text"])
        reason = candidate.get("finishReason")
        if isinstance(reason, str) and reason:
            state.finish_reason = reason
            if reason in _BLOCKED and not texts and not produced:
                raise ContentBlocked(self.name, f"the answer was withheld ({reason})")
        return texts

    def _json(self, text: str) -> Any:
        return decode_json(self.name, text)

    @staticmethod
    def _note_usage(meta: Any, state: StreamState) -> None:
        if isinstance(meta, dict):
            state.usage = Usage(
                prompt_tokens=_int(meta.get("promptTokenCount")),
                completion_tokens=_int(meta.get("candidatesTokenCount")),
                total_tokens=_int(meta.get("totalTokenCount")),
            )

    def _translate(
        self, status: int | None, data: Any, text: str, headers: Mapping[str, str]
    ) -> ProviderFailure:
        """The one translation point of Gemini's wire errors (HTTP status or an error inside the stream)."""
        if isinstance(data, list) and data:
            data = data[0]
        error = data.get("error") if isinstance(data, dict) else None
        if not isinstance(error, dict):
            error = {"message": str(error) if error else one_line(text, 200)}
        rpc = str(error.get("status") or "")
        message = str(error.get("message") or rpc or "")
        raw_details = error.get("details")
        details: list[Any] = raw_details if isinstance(raw_details, list) else []
        code = error.get("code")
        if status is None:
            status = code if isinstance(code, int) and 400 <= code < 600 else _RPC_STATUS.get(rpc, 500)
        label = f"{rpc}: {message}" if rpc and rpc not in message else message
        reasons = {str(item.get("reason")) for item in details if isinstance(item, dict)}
        if "API_KEY_INVALID" in reasons or (status == 400 and "api key" in message.lower()):
            return AuthError(self.name, f"the API key was rejected ({status}): {label}", status_code=status)
        if status == 404:
            return ModelNotFound(self.name, f"model {self.model!r} not found (404): {label}", status_code=404)
        flat = json.dumps(details).lower().replace(" ", "")
        daily = status == 429 and ("perday" in flat or "per day" in message.lower())
        retry_after = parse_retry_after(headers)
        if retry_after is None:
            retry_after = _retry_delay(details)
        return error_for_status(
            self.name, status, label, headers=headers, daily_quota=daily, retry_after_s=retry_after
        )


def _retry_delay(details: list[Any]) -> float | None:
    """google.rpc.RetryInfo: {"@type": ".../google.rpc.RetryInfo", "retryDelay": "37s"}."""
    for item in details:
        if isinstance(item, dict) and str(item.get("@type", "")).endswith("RetryInfo"):
            delay = item.get("retryDelay")
            if isinstance(delay, str):
                return parse_duration(delay)
            if isinstance(delay, dict):  # the proto JSON form {"seconds": 37, "nanos": ...}
                seconds = delay.get("seconds", 0)
                nanos = delay.get("nanos", 0)
                try:
                    return float(seconds) + float(nanos) / 1e9
                except (TypeError, ValueError):
                    return None
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
