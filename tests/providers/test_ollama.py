"""Ollama /api/chat (NDJSON) and /api/tags against a real server on 127.0.0.1; offline mode."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.config.settings import ProviderSettings
from app.providers.base import ChatRequest
from app.providers.errors import MalformedReply, ModelNotFound, ProviderUnreachable, ServerError, StreamCut
from app.providers.ollama import (
    DEFAULT_OLLAMA_URL,
    OllamaProvider,
    detect_ollama,
    offline_provider_settings,
    ollama_base_url,
)
from app.providers.registry import create_provider, discover_providers
from tests.providers.fakeserver import FakeServer, Recorded, Reply, ndjson

MODEL = "qwen2.5-coder:7b"


def piece(content: str) -> dict[str, Any]:
    return {
        "model": MODEL,
        "created_at": "2025-01-01T00:00:00Z",
        "message": {"role": "assistant", "content": content},
        "done": False,
    }


FINAL = {
    "model": MODEL,
    "created_at": "2025-01-01T00:00:01Z",
    "message": {"role": "assistant", "content": ""},
    "done_reason": "stop",
    "done": True,
    "total_duration": 4353619900,
    "load_duration": 63915300,
    "prompt_eval_count": 10,
    "prompt_eval_duration": 246847000,
    "eval_count": 20,
    "eval_duration": 2000000000,
}


def lines(*objects: Any, cut: bool = False) -> Any:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.start(content_type="application/x-ndjson")
        for item in objects:
            await reply.write(item if isinstance(item, str) else ndjson(item))
        if cut:
            await reply.cut()
        else:
            await reply.end()

    return handler


def json_reply(status: int, body: Any) -> Any:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.send(status, body)

    return handler


def ollama(server: FakeServer, client: httpx.AsyncClient, model: str = MODEL) -> OllamaProvider:
    return OllamaProvider(
        ProviderSettings(name="local", kind="ollama", model=model, base_url=server.url), client
    )


async def test_chat_stream_and_request_shape(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", "/api/chat", lines(piece("def "), piece("f(): pass"), FINAL))
    request = ChatRequest("Write f.", system="Code only.", max_tokens=100, temperature=0.1)
    completion = await ollama(server, client).complete(request)

    assert completion.text == "def f(): pass"
    assert completion.finish_reason == "stop"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (10, 20)
    assert completion.tokens_per_s == pytest.approx(10.0)  # 20 tokens / 2 s
    (sent,) = server.requests
    assert (sent.method, sent.target) == ("POST", "/api/chat")
    assert "authorization" not in sent.headers
    assert sent.json() == {
        "model": MODEL,
        "messages": [{"role": "system", "content": "Code only."}, {"role": "user", "content": "Write f."}],
        "stream": True,
        "options": {"num_predict": 100, "temperature": 0.1},
    }


async def test_non_streaming(server: FakeServer, client: httpx.AsyncClient) -> None:
    whole = dict(FINAL, message={"role": "assistant", "content": "all at once"})
    server.route("POST", "/api/chat", json_reply(200, whole))
    completion = await ollama(server, client).complete(ChatRequest("x"), streaming=False)
    assert completion.text == "all at once"
    assert server.requests[0].json()["stream"] is False


async def test_model_not_pulled(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route(
        "POST", "/api/chat", json_reply(404, {"error": "model 'nope' not found, try pulling it first"})
    )
    with pytest.raises(ModelNotFound, match="ollama pull nope"):
        await ollama(server, client, "nope").complete(ChatRequest("x"))


async def test_error_line_mid_stream(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route(
        "POST", "/api/chat", lines(piece("a"), {"error": "an error was encountered while running the model"})
    )
    with pytest.raises(ServerError, match="while running the model"):
        await ollama(server, client).complete(ChatRequest("x"))


async def test_malformed_line(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", "/api/chat", lines(piece("a"), '{"message": {"content": "b"\n'))
    with pytest.raises(MalformedReply):
        await ollama(server, client).complete(ChatRequest("x"))


async def test_cut_before_done(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", "/api/chat", lines(piece("a"), piece("b"), cut=True))
    with pytest.raises(StreamCut):
        await ollama(server, client).complete(ChatRequest("x"))
    server.route("POST", "/api/chat", lines(piece("a")))  # ended cleanly, but never said done
    with pytest.raises(StreamCut):
        await ollama(server, client).complete(ChatRequest("x"))


async def test_not_running(client: httpx.AsyncClient) -> None:
    settings = ProviderSettings(name="local", kind="ollama", model=MODEL, base_url="http://127.0.0.1:9")
    with pytest.raises(ProviderUnreachable):
        await OllamaProvider(settings, client).complete(ChatRequest("x"))
    assert await detect_ollama(client, "http://127.0.0.1:9") is None


TAGS = {
    "models": [
        {
            "name": "qwen2.5-coder:7b",
            "model": "qwen2.5-coder:7b",
            "size": 4683087332,
            "details": {"family": "qwen2"},
        },
        {
            "name": "nomic-embed-text:latest",
            "model": "nomic-embed-text:latest",
            "details": {"family": "nomic-bert"},
        },
        {"name": "hf.co/user/Some_Model-GGUF:Q4_K_M", "model": "hf.co/user/Some_Model-GGUF:Q4_K_M"},
    ]
}


async def test_detect_and_offline_mode(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("GET", "/api/tags", json_reply(200, TAGS))
    assert await detect_ollama(client, server.url) == [
        "qwen2.5-coder:7b",
        "nomic-embed-text:latest",
        "hf.co/user/Some_Model-GGUF:Q4_K_M",
    ]
    offered = await offline_provider_settings(client, base_url=server.url)
    assert [(entry.name, entry.model, entry.kind) for entry in offered] == [
        ("ollama-qwen2.5-coder-7b", "qwen2.5-coder:7b", "ollama"),
        ("ollama-hf.co-user-Some_Model-GGUF-Q4_K_M", "hf.co/user/Some_Model-GGUF:Q4_K_M", "ollama"),
    ]
    assert all(entry.base_url == server.url for entry in offered)
    configured = [ProviderSettings(name="groq", kind="groq", model="m")]
    assert await offline_provider_settings(client, configured, base_url=server.url) == configured


async def test_something_else_on_the_port_is_not_ollama(
    server: FakeServer, client: httpx.AsyncClient
) -> None:
    async def html(request: Recorded, reply: Reply) -> None:
        await reply.send(200, "<html></html>", content_type="text/html")

    server.route("GET", "/api/tags", html)
    assert await detect_ollama(client, server.url) is None


async def test_discovery_order(server: FakeServer, client: httpx.AsyncClient) -> None:
    configured = [ProviderSettings(name="groq", kind="groq", model="m")]
    assert await discover_providers(client, configured) == (configured, "configured")
    server.route("GET", "/api/tags", json_reply(200, TAGS))
    local, mode = await discover_providers(client, [], ollama_base_url=server.url)
    assert mode == "ollama" and local[0].model == "qwen2.5-coder:7b"
    demo, mode = await discover_providers(client, [], ollama_base_url="http://127.0.0.1:9")
    assert mode == "demo"
    assert [entry.kind for entry in demo] == ["demo", "demo", "demo"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", DEFAULT_OLLAMA_URL),
        ("0.0.0.0", "http://127.0.0.1:11434"),  # noqa: S104
        ("0.0.0.0:11500", "http://127.0.0.1:11500"),
        ("gpu-box", "http://gpu-box:11434"),
        ("gpu-box:8080", "http://gpu-box:8080"),
        (":11435", "http://127.0.0.1:11435"),
        ("http://gpu-box", "http://gpu-box:80"),
        ("https://ollama.example.com", "https://ollama.example.com:443"),
        ("https://ollama.example.com/prefix/", "https://ollama.example.com:443/prefix"),
        ("[::1]:11434", "http://[::1]:11434"),
        ("  127.0.0.1:11434  ", "http://127.0.0.1:11434"),
    ],
)
def test_ollama_host_is_read_like_ollama_reads_it(value: str, expected: str) -> None:
    assert ollama_base_url({"OLLAMA_HOST": value}) == expected


async def test_default_base_url_from_environment(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OLLAMA_HOST", "gpu-box:9999")
    provider = create_provider(ProviderSettings(name="local", kind="ollama", model=MODEL), client)
    assert provider.base_url == "http://gpu-box:9999"
