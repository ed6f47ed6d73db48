"""Gemini generateContent / streamGenerateContent (alt=sse) against a real server on 127.0.0.1."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from app.config.settings import ProviderSettings
from app.providers.base import ChatRequest
from app.providers.errors import (
    AuthError,
    ContentBlocked,
    MalformedReply,
    ModelNotFound,
    RateLimitError,
    ServerError,
    StreamCut,
)
from app.providers.gemini import GeminiProvider
from app.providers.registry import create_provider
from tests.providers.fakeserver import FakeServer, Recorded, Reply, sse_event

KEY = "AIzaSyTestKey0123456789abcdefghij"
MODEL = "gemini-2.0-flash"
STREAM_PATH = f"/v1beta/models/{MODEL}:streamGenerateContent"
PLAIN_PATH = f"/v1beta/models/{MODEL}:generateContent"


def response(*texts: str, finish: str | None = None, usage: bool = False) -> dict[str, Any]:
    candidate: dict[str, Any] = {
        "content": {"role": "model", "parts": [{"text": t} for t in texts]},
        "index": 0,
    }
    if finish:
        candidate["finishReason"] = finish
    body: dict[str, Any] = {"candidates": [candidate], "modelVersion": MODEL}
    if usage:
        body["usageMetadata"] = {"promptTokenCount": 9, "candidatesTokenCount": 4, "totalTokenCount": 13}
    return body


def sse(*payloads: Any) -> Any:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.start()
        for payload in payloads:
            await reply.write(sse_event(payload).replace("\n", "\r\n"))  # Google ends lines with CRLF
        await reply.end()

    return handler


def json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Any:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.send(status, body, headers)

    return handler


def gemini(server: FakeServer, client: httpx.AsyncClient) -> GeminiProvider:
    settings = ProviderSettings(name="gemini", kind="gemini", model=MODEL, base_url=server.url)
    return GeminiProvider(settings, client, KEY)


async def test_streaming_request_shape(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route(
        "POST", STREAM_PATH, sse(response("def f():"), response("\n    return 1", finish="STOP", usage=True))
    )
    request = ChatRequest("Write f.", system="Answer with code.", max_tokens=256, temperature=0.0)
    completion = await gemini(server, client).complete(request)

    assert completion.text == "def f():\n    return 1"
    assert completion.finish_reason == "STOP"
    assert completion.usage is not None and completion.usage.total_tokens == 13
    (sent,) = server.requests
    assert sent.method == "POST"
    assert sent.path == STREAM_PATH
    assert sent.query == {"alt": ["sse"]}  # and nothing else: no ?key=
    assert KEY not in sent.target
    assert sent.headers["x-goog-api-key"] == KEY
    assert "authorization" not in sent.headers
    assert sent.json() == {
        "contents": [{"role": "user", "parts": [{"text": "Write f."}]}],
        "systemInstruction": {"parts": [{"text": "Answer with code."}]},
        "generationConfig": {"maxOutputTokens": 256, "temperature": 0.0},
    }


async def test_non_streaming_generate_content(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", PLAIN_PATH, json_reply(200, response("one ", "two", finish="STOP")))
    completion = await gemini(server, client).complete(ChatRequest("x"), streaming=False)
    assert completion.text == "one two"
    (sent,) = server.requests
    assert sent.target == PLAIN_PATH
    assert sent.json() == {"contents": [{"role": "user", "parts": [{"text": "x"}]}]}


async def test_model_prefix_and_thought_parts(server: FakeServer, client: httpx.AsyncClient) -> None:
    thought = {
        "candidates": [{"content": {"parts": [{"text": "thinking...", "thought": True}, {"text": "answer"}]}}]
    }
    server.route("POST", STREAM_PATH, sse(thought, response(finish="STOP")))
    settings = ProviderSettings(
        name="g", kind="gemini", model=f"models/{MODEL}", base_url=f"{server.url}/v1beta"
    )
    assert (await GeminiProvider(settings, client, KEY).complete(ChatRequest("x"))).text == "answer"


async def test_blocked_prompt(server: FakeServer, client: httpx.AsyncClient) -> None:
    blocked = {"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": []}, "modelVersion": MODEL}
    server.route("POST", STREAM_PATH, sse(blocked))
    with pytest.raises(ContentBlocked, match="blocked by the provider \\(SAFETY\\)"):
        await gemini(server, client).complete(ChatRequest("x"))


async def test_stream_without_finish_reason_is_cut(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", STREAM_PATH, sse(response("half an answ")))
    with pytest.raises(StreamCut):
        await gemini(server, client).complete(ChatRequest("x"))


async def test_malformed_event(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", STREAM_PATH, sse(response("a"), "{oops"))
    with pytest.raises(MalformedReply):
        await gemini(server, client).complete(ChatRequest("x"))


PER_MINUTE_429 = {
    "error": {
        "code": 429,
        "message": "You exceeded your current quota, please check your plan and billing details.",
        "status": "RESOURCE_EXHAUSTED",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [
                    {
                        "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                        "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                        "quotaDimensions": {"location": "global", "model": MODEL},
                        "quotaValue": "15",
                    }
                ],
            },
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"},
        ],
    }
}


async def test_429_resource_exhausted_per_minute(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", STREAM_PATH, json_reply(429, PER_MINUTE_429))
    with pytest.raises(RateLimitError) as caught:
        await gemini(server, client).complete(ChatRequest("x"))
    assert caught.value.retry_after_s == 37.0
    assert not caught.value.daily_quota
    assert "RESOURCE_EXHAUSTED" in str(caught.value)


async def test_429_daily_quota(server: FakeServer, client: httpx.AsyncClient) -> None:
    body = {"error": dict(PER_MINUTE_429["error"])}
    body["error"]["details"] = [
        {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            "violations": [
                {
                    "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                    "quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
                    "quotaValue": "50",
                }
            ],
        }
    ]
    server.route("POST", STREAM_PATH, json_reply(429, [body]))  # the stream endpoint wraps errors in a list
    with pytest.raises(RateLimitError) as caught:
        await gemini(server, client).complete(ChatRequest("x"))
    assert caught.value.daily_quota


async def test_403_permission_denied_is_auth(server: FakeServer, client: httpx.AsyncClient) -> None:
    body = {
        "error": {
            "code": 403,
            "message": "Method doesn't allow unregistered callers.",
            "status": "PERMISSION_DENIED",
        }
    }
    server.route("POST", STREAM_PATH, json_reply(403, body))
    with pytest.raises(AuthError, match="PERMISSION_DENIED"):
        await gemini(server, client).complete(ChatRequest("x"))


async def test_400_api_key_invalid_is_auth(server: FakeServer, client: httpx.AsyncClient) -> None:
    body = {
        "error": {
            "code": 400,
            "message": "API key not valid. Please pass a valid API key.",
            "status": "INVALID_ARGUMENT",
            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}],
        }
    }
    server.route("POST", STREAM_PATH, json_reply(400, body))
    with pytest.raises(AuthError) as caught:
        await gemini(server, client).complete(ChatRequest("x"))
    assert KEY not in str(caught.value)


async def test_404_and_503(server: FakeServer, client: httpx.AsyncClient) -> None:
    not_found = {"error": {"code": 404, "message": f"models/{MODEL} is not found", "status": "NOT_FOUND"}}
    overloaded = {"error": {"code": 503, "message": "The model is overloaded.", "status": "UNAVAILABLE"}}
    server.sequence("POST", STREAM_PATH, json_reply(404, not_found), json_reply(503, overloaded))
    with pytest.raises(ModelNotFound):
        await gemini(server, client).complete(ChatRequest("x"))
    with pytest.raises(ServerError):
        await gemini(server, client).complete(ChatRequest("x"))


async def test_error_inside_the_stream(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", STREAM_PATH, sse(response("par"), PER_MINUTE_429))
    with pytest.raises(RateLimitError):
        await gemini(server, client).complete(ChatRequest("x"))


async def test_key_from_gemini_then_google_env(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = ProviderSettings(name="gemini", kind="gemini", model=MODEL)
    monkeypatch.setenv("GOOGLE_API_KEY", "AIzaGoogleKey0123456789")
    provider = create_provider(settings, client)
    assert provider._api_key == "AIzaGoogleKey0123456789"
    assert provider.base_url == "https://generativelanguage.googleapis.com"
    monkeypatch.setenv("GEMINI_API_KEY", "AIzaGeminiKey0123456789")
    assert create_provider(settings, client)._api_key == "AIzaGeminiKey0123456789"


async def test_no_key_in_logs(
    server: FakeServer, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.sequence("POST", STREAM_PATH, sse(response("ok", finish="STOP")), json_reply(429, PER_MINUTE_429))
    provider = gemini(server, client)
    await provider.complete(ChatRequest("x"))
    with pytest.raises(RateLimitError):
        await provider.complete(ChatRequest("x"))
    assert KEY not in caplog.text
    assert all(KEY not in request.target for request in server.requests)
