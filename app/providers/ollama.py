"""A local Ollama server: `POST {base}/api/chat` streaming newline-delimited JSON, `GET /api/tags` for the
installed models. Default base `$OLLAMA_HOST` (read as Ollama reads it) or http://127.0.0.1:11434.

Offline mode: with no providers configured, `offline_provider_settings` offers the installed models.
Connection refused means "Ollama not detected", which is an answer, not an error.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx

from app.config.settings import ProviderSettings
from app.providers.base import ChatRequest, Provider, StreamState, Usage
from app.providers.errors import (
    MalformedReply,
    ModelNotFound,
    ProviderFailure,
    ServerError,
    StreamCut,
    decode_json,
    error_for_status,
    one_line,
    read_error_body,
    translate_transport,
)

__all__ = [
    "DEFAULT_OLLAMA_URL",
    "OllamaProvider",
    "detect_ollama",
    "offline_provider_settings",
    "ollama_base_url",
]

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
_log = logging.getLogger(__name__)


def ollama_base_url(environ: Mapping[str, str] | None = None) -> str:
    """`$OLLAMA_HOST` as the Ollama CLI reads it: optional scheme (http), host (127.0.0.1), port (11434,
    or 80/443 when the scheme is given), optional path. "0.0.0.0" (listen everywhere) connects to loopback."""
    env = os.environ if environ is None else environ
    raw = env.get("OLLAMA_HOST", "").strip()
    if not raw:
        return DEFAULT_OLLAMA_URL
    scheme, sep, rest = raw.partition("://")
    default_port = "11434"
    if not sep:
        scheme, rest = "http", raw
    elif scheme in ("http", "https"):
        default_port = "80" if scheme == "http" else "443"
    else:
        return DEFAULT_OLLAMA_URL
    hostport, _, path = rest.partition("/")
    try:
        parts = urlsplit(f"//{hostport}")
        host = parts.hostname or "127.0.0.1"
        port = parts.port
    except ValueError:
        host, port = "127.0.0.1", None
    if host in ("0.0.0.0", "::"):  # noqa: S104 - a listen address, mapped to where the client can connect
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    url = f"{scheme}://{host}:{port if port is not None else default_port}"
    return f"{url}/{path.strip('/')}" if path.strip("/") else url


class OllamaProvider(Provider):
    kind: ClassVar[str] = "ollama"
    needs_key: ClassVar[bool] = False
    key_env: ClassVar[tuple[str, ...]] = ()
    default_base_url: ClassVar[str | None] = DEFAULT_OLLAMA_URL

    @classmethod
    def resolve_default_base_url(cls) -> str | None:
        return ollama_base_url()

    def _body(self, request: ChatRequest, streaming: bool) -> dict[str, Any]:
        messages: list[dict[str, str]] = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        messages.append({"role": "user", "content": request.prompt})
        body: dict[str, Any] = {"model": self.model, "messages": messages, "stream": streaming}
        options: dict[str, Any] = {}
        if request.max_tokens is not None:
            options["num_predict"] = request.max_tokens
        if request.temperature is not None:
            options["temperature"] = request.temperature
        if options:
            body["options"] = options
        return body

    async def _run(
        self, request: ChatRequest, state: StreamState, *, streaming: bool
    ) -> AsyncGenerator[str, None]:
        headers = {"Accept": "application/x-ndjson" if streaming else "application/json"}
        if self._api_key:  # a remote Ollama behind a proxy (or ollama.com) may want one
            headers["Authorization"] = f"Bearer {self._api_key}"
        body_started = False
        try:
            async with self._client.stream(
                "POST",
                f"{self.base_url}/api/chat",
                json=self._body(request, streaming),
                headers=headers,
                timeout=self._timeout(),
            ) as response:
                body_started = True
                if not response.is_success:
                    data, text = await read_error_body(response)
                    raise self._translate(response.status_code, data, text)
                done = False
                if streaming:
                    trailing = 0
                    async for line in response.aiter_lines():
                        if done:  # drain the rest so the connection can be reused
                            trailing += 1
                            if trailing > 16:
                                break
                            continue
                        if not line.strip():
                            continue
                        content, done = self._read(self._json(line), state)
                        if content:
                            yield content
                else:
                    content, done = self._read(
                        self._json((await response.aread()).decode("utf-8", "replace")), state
                    )
                    yield content
                if not done:
                    raise StreamCut(self.name, "the stream ended before `done: true`")
        except httpx.HTTPError as error:
            raise translate_transport(self.name, error, streaming=body_started) from None

    def _read(self, payload: dict[str, Any], state: StreamState) -> tuple[str, bool]:
        if payload.get("error"):
            raise self._translate(None, payload, "")
        message = payload.get("message")
        content = message.get("content", "") if isinstance(message, dict) else ""
        if not isinstance(content, str) or (message is not None and not isinstance(message, dict)):
            raise MalformedReply(self.name, "message.content is not text")
        done = payload.get("done") is True
        if done:
            state.finish_reason = str(payload.get("done_reason") or "stop")
            prompt, evals = _int(payload.get("prompt_eval_count")), _int(payload.get("eval_count"))
            total = prompt + evals if prompt is not None and evals is not None else None
            state.usage = Usage(prompt_tokens=prompt, completion_tokens=evals, total_tokens=total)
            duration = _int(payload.get("eval_duration"))
            if evals is not None and duration:
                state.tokens_per_s = evals / duration * 1e9
        elif message is None:
            raise MalformedReply(self.name, "a chunk has neither `message` nor `done`")
        return content, done

    def _json(self, text: str) -> dict[str, Any]:
        payload: dict[str, Any] = decode_json(self.name, text, object_named="a line")
        return payload

    def _translate(self, status: int | None, data: Any, text: str) -> ProviderFailure:
        """The one translation point of Ollama's errors: `{"error": "..."}` with a status, or mid-stream."""
        message = (
            str(data.get("error")) if isinstance(data, dict) and data.get("error") else one_line(text, 200)
        )
        if status == 404 or (status is None and "not found" in message.lower()):
            return ModelNotFound(
                self.name,
                f"model {self.model!r} is not installed (run `ollama pull {self.model}`): {message}",
                status_code=404,
            )
        if status is None:  # an error line inside a 200 stream: the model runner failed
            return ServerError(self.name, f"error during generation: {message}")
        return error_for_status(self.name, status, message)


async def detect_ollama(
    client: httpx.AsyncClient, base_url: str | None = None, *, timeout_s: float = 2.0
) -> list[str] | None:
    """The installed model names, or None when no Ollama answers at `base_url` (not running is normal)."""
    base = (base_url or ollama_base_url()).rstrip("/")
    try:
        response = await client.get(f"{base}/api/tags", timeout=httpx.Timeout(timeout_s))
    except httpx.HTTPError as error:
        _log.debug("no Ollama at %s (%s)", base, type(error).__name__)
        return None
    if response.status_code != 200:
        _log.debug("no Ollama at %s (HTTP %s)", base, response.status_code)
        return None
    try:
        models = response.json().get("models")
    except (ValueError, AttributeError):
        _log.debug("something that is not Ollama answers at %s", base)
        return None
    if not isinstance(models, list):
        return None
    names: list[str] = []
    for entry in models:
        name = entry.get("name") or entry.get("model") if isinstance(entry, dict) else None
        if isinstance(name, str) and name:
            names.append(name)
    return names


async def offline_provider_settings(
    client: httpx.AsyncClient,
    configured: Sequence[ProviderSettings] = (),
    *,
    base_url: str | None = None,
    max_models: int = 3,
    timeout_s: float = 60.0,
) -> list[ProviderSettings]:
    """The configured providers if any; else one provider per installed Ollama chat model (up to
    `max_models`); else an empty list (no Ollama: the caller may offer the demo)."""
    if configured:
        return list(configured)
    base = (base_url or ollama_base_url()).rstrip("/")
    names = await detect_ollama(client, base)
    if not names:
        return []
    chat_models = [name for name in names if "embed" not in name.lower()]
    offered: list[ProviderSettings] = []
    taken: set[str] = set()
    for model in chat_models[:max_models]:
        label = "ollama-" + re.sub(r"[^A-Za-z0-9_.-]+", "-", model).strip("-")
        label = label[:60]
        while label in taken:
            label = f"{label[:58]}-{len(taken)}"
        taken.add(label)
        offered.append(
            ProviderSettings(name=label, kind="ollama", model=model, base_url=base, timeout_s=timeout_s)
        )
    return offered


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
