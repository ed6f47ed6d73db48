"""What every provider is: a small async class with a declared identity and an explicit lifecycle.

A provider streams text deltas for one prompt. It does not retry, time out, count or fall back: the
resilience wrappers do that around it. The `httpx.AsyncClient` is borrowed (the caller owns and closes it);
the key is given at construction and only ever goes into a request header.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import ClassVar

import httpx

from app.config.settings import ProviderSettings
from app.core.errors import ConfigError, MissingKeyError, ProviderError
from app.core.logs import register_secret

__all__ = [
    "ChatRequest",
    "ChunkHandler",
    "Completion",
    "Provider",
    "StreamState",
    "Usage",
    "new_http_client",
    "request_timeout",
]

ChunkHandler = Callable[[str], None]


@dataclass(frozen=True)
class ChatRequest:
    prompt: str
    system: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None

    def __post_init__(self) -> None:
        if self.max_tokens is not None and self.max_tokens < 1:
            raise ValueError("max_tokens must be positive")
        if self.temperature is not None and not 0.0 <= self.temperature <= 2.0:
            raise ValueError("temperature must be between 0 and 2")


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None


@dataclass
class StreamState:
    """What a provider learns while streaming besides the text (one per call, so calls can overlap)."""

    finish_reason: str | None = None
    usage: Usage | None = None
    tokens_per_s: float | None = None
    rate_limits: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    finish_reason: str | None
    usage: Usage | None
    time_to_first_token_ms: float | None
    latency_ms: float
    tokens_per_s: float | None = None
    rate_limits: dict[str, float] = field(default_factory=dict)


def request_timeout(timeout_s: float) -> httpx.Timeout:
    """Per-request httpx timeouts: reads may be slow (model loading), connecting should not be."""
    return httpx.Timeout(timeout_s, connect=min(10.0, timeout_s))


def new_http_client() -> httpx.AsyncClient:
    """A client suited to providers (the caller owns it and must `aclose()` it). Not a global."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(60.0, connect=10.0),
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
        follow_redirects=False,
        headers={"User-Agent": "quorum/0.1"},
    )


class Provider(ABC):
    """One configured model behind one wire API."""

    kind: ClassVar[str]
    needs_key: ClassVar[bool]
    key_env: ClassVar[tuple[str, ...]] = ()
    default_base_url: ClassVar[str | None] = None

    def __init__(
        self, settings: ProviderSettings, client: httpx.AsyncClient, api_key: str | None = None
    ) -> None:
        if settings.kind != self.kind:
            raise ConfigError(f"a {settings.kind} provider cannot be built as {self.kind}", key="kind")
        self.settings = settings
        self.name = settings.name
        self.model = settings.model
        self._client = client
        self._api_key = (api_key or "").strip() or None
        register_secret(self._api_key)
        if self.needs_key and self._api_key is None:
            names = " / ".join(self.key_names())
            raise MissingKeyError(
                f"provider {self.name!r} needs an API key: run `quorum keys set {self.name}`"
                + (f" or set {names}" if names else "")
            )
        base = settings.base_url or self.resolve_default_base_url()
        if base is None:
            raise ConfigError(f"provider {self.name!r} (kind {self.kind}) needs a base_url", key="base_url")
        self.base_url = base.rstrip("/")
        self._closed = False

    @classmethod
    def resolve_default_base_url(cls) -> str | None:
        """The base URL when the config names none (Ollama reads $OLLAMA_HOST here)."""
        return cls.default_base_url

    def key_names(self) -> tuple[str, ...]:
        """Environment variables that may hold this provider's key, in order."""
        return (self.settings.api_key_env,) if self.settings.api_key_env else self.key_env

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, model={self.model!r}, base_url={self.base_url!r})"

    @abstractmethod
    def _run(self, request: ChatRequest, state: StreamState, *, streaming: bool) -> AsyncGenerator[str, None]:
        """Yield text deltas (an async generator); fill `state`; raise only `ProviderFailure`s."""

    async def stream(self, request: ChatRequest) -> AsyncIterator[str]:
        """Text deltas as they arrive."""
        self._check_open()
        async with aclosing(self._run(request, StreamState(), streaming=True)) as deltas:
            async for delta in deltas:
                yield delta

    async def complete(
        self, request: ChatRequest, *, on_chunk: ChunkHandler | None = None, streaming: bool = True
    ) -> Completion:
        """The whole answer, streamed underneath (`on_chunk` sees each delta); `streaming=False` asks the
        server for one JSON reply instead."""
        self._check_open()
        state = StreamState()
        parts: list[str] = []
        started = time.perf_counter()
        first: float | None = None
        async with aclosing(self._run(request, state, streaming=streaming)) as deltas:
            async for delta in deltas:
                if not delta:
                    continue
                if first is None:
                    first = time.perf_counter()
                parts.append(delta)
                if on_chunk is not None:
                    on_chunk(delta)
        ended = time.perf_counter()
        return Completion(
            text="".join(parts),
            model=self.model,
            finish_reason=state.finish_reason,
            usage=state.usage,
            time_to_first_token_ms=None if first is None else (first - started) * 1000.0,
            latency_ms=(ended - started) * 1000.0,
            tokens_per_s=state.tokens_per_s,
            rate_limits=state.rate_limits,
        )

    async def aclose(self) -> None:
        """Release what the provider owns (the borrowed client stays open for its owner)."""
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise ProviderError(f"{self.name}: provider is closed")

    def _timeout(self) -> httpx.Timeout:
        return request_timeout(self.settings.timeout_s)
