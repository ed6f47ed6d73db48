"""OpenAI-style chat completions (kinds groq, huggingface, openai): `POST {base}/chat/completions`,
Bearer key, SSE with `data: [DONE]`. Errors in this wire format are translated in `_translate`, nowhere else.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any, ClassVar

import httpx

from app.providers.base import ChatRequest, Provider, StreamState, Usage
from app.providers.errors import (
    MalformedReply,
    ModelNotFound,
    ProviderFailure,
    StreamCut,
    decode_json,
    error_for_status,
    one_line,
    parse_rate_limit_headers,
    parse_retry_after,
    read_error_body,
    retry_after_from_message,
    translate_transport,
)
from app.providers.sse import iter_sse

__all__ = ["GroqProvider", "HuggingFaceProvider", "OpenAICompatProvider"]

# Words in an error body that mean "quota or credits are gone": waiting seconds will not help.
_QUOTA_MARKERS = (
    "not_enough_balance",
    "insufficient_quota",
    "exceeded your monthly included credits",
    "requests per day",
    "tokens per day",
    "(rpd)",
    "(tpd)",
    "daily limit",
    "quota exceeded",
)

_TRAILING_EVENTS = 16


class OpenAICompatProvider(Provider):
    """Any OpenAI-compatible server (OpenAI, vLLM, LM Studio, llama.cpp server, OpenRouter)."""

    kind: ClassVar[str] = "openai"
    needs_key: ClassVar[bool] = False
    key_env: ClassVar[tuple[str, ...]] = ("OPENAI_API_KEY",)
    default_base_url: ClassVar[str | None] = None

    def _body(self, request: ChatRequest, streaming: bool) -> dict[str, Any]:
        messages: list[dict[str, str]] = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        messages.append({"role": "user", "content": request.prompt})
        body: dict[str, Any] = {"model": self.model, "messages": messages, "stream": streaming}
        if request.max_tokens is not None:
            body["max_tokens"] = request.max_tokens
        if request.temperature is not None:
            body["temperature"] = request.temperature
        return body

    def _headers(self, streaming: bool) -> dict[str, str]:
        headers = {"Accept": "text/event-stream" if streaming else "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    async def _run(
        self, request: ChatRequest, state: StreamState, *, streaming: bool
    ) -> AsyncGenerator[str, None]:
        url = f"{self.base_url}/chat/completions"
        body_started = False
        try:
            async with self._client.stream(
                "POST",
                url,
                json=self._body(request, streaming),
                headers=self._headers(streaming),
                timeout=self._timeout(),
            ) as response:
                body_started = True
                state.rate_limits = parse_rate_limit_headers(response.headers)
                if not response.is_success:
                    data, text = await read_error_body(response)
                    raise self._translate(response.status_code, data, text, response.headers)
                content_type = response.headers.get("content-type", "")
                if "text/event-stream" in content_type or (streaming and "json" not in content_type):
                    async for delta in self._events(response, state):
                        yield delta
                else:
                    yield self._whole(await response.aread(), state, response.headers)
        except httpx.HTTPError as error:
            raise translate_transport(self.name, error, streaming=body_started) from None

    async def _events(self, response: httpx.Response, state: StreamState) -> AsyncIterator[str]:
        done = False
        trailing = 0
        async for event in iter_sse(response.aiter_lines()):
            if done:
                # Read the (empty) rest of the body so the connection goes back to the pool for reuse;
                # a server that keeps talking after [DONE] loses its connection instead.
                trailing += 1
                if trailing > _TRAILING_EVENTS:
                    break
                continue
            data = event.data.strip()
            if data == "[DONE]":
                done = True
                continue
            payload = self._json(data)
            if event.event == "error" or payload.get("error"):
                raise self._translate(None, payload, data, response.headers)
            self._note_usage(payload, state)
            choices = payload.get("choices")
            if not choices:
                continue  # a usage-only or role-only chunk
            choice = _first_dict(choices, self.name)
            delta = choice.get("delta") or {}
            if not isinstance(delta, dict):
                raise MalformedReply(self.name, "choices[0].delta is not an object")
            content = delta.get("content")
            if content is not None and not isinstance(content, str):
                raise MalformedReply(self.name, "choices[0].delta.content is not text")
            if isinstance(choice.get("finish_reason"), str):
                state.finish_reason = choice["finish_reason"]
            if content:
                yield content
        if not done and state.finish_reason is None:
            raise StreamCut(self.name, "the stream ended before `data: [DONE]`")

    def _whole(self, raw: bytes, state: StreamState, headers: Mapping[str, str]) -> str:
        payload = self._json(raw.decode("utf-8", errors="replace"))
        if payload.get("error"):
            raise self._translate(None, payload, "", headers)
        self._note_usage(payload, state)
        choice = _first_dict(payload.get("choices"), self.name)
        message = choice.get("message")
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str):
            raise MalformedReply(self.name, "choices[0].message.content is missing")
        if isinstance(choice.get("finish_reason"), str):
            state.finish_reason = choice["finish_reason"]
        return content

    def _json(self, text: str) -> dict[str, Any]:
        payload: dict[str, Any] = decode_json(self.name, text, object_named="the reply")
        return payload

    @staticmethod
    def _note_usage(payload: Mapping[str, Any], state: StreamState) -> None:
        usage = payload.get("usage")
        x_groq = payload.get("x_groq")
        if not isinstance(usage, dict) and isinstance(x_groq, dict):
            usage = x_groq.get("usage")
        if isinstance(usage, dict):
            state.usage = Usage(
                prompt_tokens=_int(usage.get("prompt_tokens")),
                completion_tokens=_int(usage.get("completion_tokens")),
                total_tokens=_int(usage.get("total_tokens")),
            )

    def _translate(
        self, status: int | None, data: Any, text: str, headers: Mapping[str, str]
    ) -> ProviderFailure:
        """The one translation point of this wire format: HTTP errors and error events mid-stream."""
        message, code, kind = _error_fields(data, text)
        blob = f"{message} {code} {kind}".lower()
        if status is None:  # an error event inside a 200 stream: the status is in the body, if anywhere
            status = _status_from_body(data, blob)
        daily = status == 402 or any(marker in blob for marker in _QUOTA_MARKERS)
        retry_after = parse_retry_after(headers)
        if retry_after is None:
            retry_after = retry_after_from_message(message)
        if retry_after is None and isinstance(data, dict) and status == 503:
            retry_after = _float(data.get("estimated_time"))  # HF: the model is loading
        if status == 404:
            return ModelNotFound(
                self.name,
                f"model {self.model!r} not found at {self.base_url} (404): {message or 'not found'}",
                status_code=404,
            )
        return error_for_status(
            self.name, status, message, headers=headers, daily_quota=daily, retry_after_s=retry_after
        )


class GroqProvider(OpenAICompatProvider):
    kind: ClassVar[str] = "groq"
    needs_key: ClassVar[bool] = True
    key_env: ClassVar[tuple[str, ...]] = ("GROQ_API_KEY",)
    default_base_url: ClassVar[str | None] = "https://api.groq.com/openai/v1"


class HuggingFaceProvider(OpenAICompatProvider):
    kind: ClassVar[str] = "huggingface"
    needs_key: ClassVar[bool] = True
    key_env: ClassVar[tuple[str, ...]] = ("HF_TOKEN",)
    default_base_url: ClassVar[str | None] = "https://router.huggingface.co/v1"


def _first_dict(choices: Any, provider: str) -> dict[str, Any]:
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise MalformedReply(provider, "`choices` is not a list of objects")
    first: dict[str, Any] = choices[0]
    return first


def _error_fields(data: Any, text: str) -> tuple[str, str, str]:
    """(message, code, type) from the error shapes seen in the wild: OpenAI/Groq `{"error": {...}}`,
    HF/TGI `{"error": "...", "error_type": ...}`, FastAPI `{"detail": ...}`, a JSON list, or plain text."""
    if isinstance(data, list) and data:
        data = data[0]
    if isinstance(data, dict):
        error = data.get("error", data)
        if isinstance(error, dict):
            message = error.get("message") or error.get("detail") or json.dumps(error)[:200]
            return (
                str(message),
                str(error.get("code") or ""),
                str(error.get("type") or error.get("status") or ""),
            )
        if error:
            return str(error), str(data.get("code") or ""), str(data.get("error_type") or "")
        if data.get("detail"):
            return str(data["detail"]), "", ""
    return one_line(text, 200), "", ""


def _status_from_body(data: Any, blob: str) -> int:
    error = data.get("error") if isinstance(data, dict) else None
    for candidate in (error.get("code"), error.get("status")) if isinstance(error, dict) else ():
        if isinstance(candidate, int) and 400 <= candidate < 600:
            return candidate
        if isinstance(candidate, str) and candidate.isdigit() and 400 <= int(candidate) < 600:
            return int(candidate)
    if any(word in blob for word in ("rate_limit", "rate limit", "too many requests", "quota", "balance")):
        return 429
    if any(word in blob for word in ("invalid_api_key", "unauthorized", "authentication")):
        return 401
    return 503 if any(word in blob for word in ("overloaded", "unavailable")) else 500


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    return (
        float(value)
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
        else None
    )
