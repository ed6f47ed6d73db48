"""OpenAI-style chat completions (groq, huggingface, openai) against a real server on 127.0.0.1."""

from __future__ import annotations

import email.utils
import logging
import time
from typing import Any

import httpx
import pytest

from app.config.settings import ProviderSettings
from app.core.errors import ProviderError, TransientError
from app.providers.base import ChatRequest
from app.providers.errors import (
    AuthError,
    MalformedReply,
    ModelNotFound,
    ProviderUnreachable,
    RateLimitError,
    ServerError,
    StreamCut,
)
from app.providers.openai_compat import GroqProvider, HuggingFaceProvider, OpenAICompatProvider
from tests.providers.fakeserver import FakeServer, Recorded, Reply, sse_event

KEY = "gsk_test0123456789abcdefABCDEF"
GROQ_PATH = "/openai/v1/chat/completions"


def chunk(content: str | None = None, finish: str | None = None, **extra: Any) -> dict[str, Any]:
    delta = {} if content is None else {"content": content}
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "llama-3.3-70b-versatile",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **extra,
    }


def streaming(*events: str, headers: dict[str, str] | None = None, done: bool = True) -> Any:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.start(headers=headers)
        for event in events:
            await reply.write(event)
        if done:
            await reply.write("data: [DONE]\n\n")
        await reply.end()

    return handler


def json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Any:
    async def handler(request: Recorded, reply: Reply) -> None:
        await reply.send(status, body, headers)

    return handler


def groq(server: FakeServer, client: httpx.AsyncClient, **overrides: Any) -> GroqProvider:
    settings = ProviderSettings(
        name="groq",
        kind="groq",
        model="llama-3.3-70b-versatile",
        base_url=f"{server.url}/openai/v1",
        **overrides,
    )
    return GroqProvider(settings, client, KEY)


HELLO = (
    sse_event(chunk("")),  # the role-only first chunk Groq and OpenAI send
    sse_event(chunk("Hello")),
    ": keep-alive comment\n\n",
    sse_event(chunk(", world")),
    sse_event(
        chunk(
            None,
            "stop",
            x_groq={
                "id": "req_1",
                "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
            },
        )
    ),
)


async def test_groq_sends_the_documented_request(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", GROQ_PATH, streaming(*HELLO))
    provider = groq(server, client)
    request = ChatRequest("Say hello.", system="Be brief.", max_tokens=64, temperature=0.2)
    completion = await provider.complete(request)

    assert completion.text == "Hello, world"
    assert completion.finish_reason == "stop"
    assert completion.usage is not None and completion.usage.total_tokens == 15
    assert completion.time_to_first_token_ms is not None
    (sent,) = server.requests
    assert sent.method == "POST"
    assert sent.target == GROQ_PATH  # no query string: the key never goes in the URL
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["accept"] == "text/event-stream"
    assert sent.json() == {
        "model": "llama-3.3-70b-versatile",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello."}],
        "stream": True,
        "max_tokens": 64,
        "temperature": 0.2,
    }


async def test_stream_yields_deltas_in_order(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", GROQ_PATH, streaming(*HELLO))
    deltas = [delta async for delta in groq(server, client).stream(ChatRequest("hi"))]
    assert deltas == ["Hello", ", world"]
    assert "system" not in str(server.requests[0].json()["messages"])


async def test_multiline_data_and_crlf_events(server: FakeServer, client: httpx.AsyncClient) -> None:
    pretty = '{"choices": [{"index": 0,\n "delta": {"content": "multi"}, "finish_reason": null}]}'
    events = (sse_event(pretty).replace("\n", "\r\n"), sse_event(chunk("-line", "stop")))
    server.route("POST", GROQ_PATH, streaming(*events))
    assert (await groq(server, client).complete(ChatRequest("x"))).text == "multi-line"


async def test_usage_only_final_chunk(server: FakeServer, client: httpx.AsyncClient) -> None:
    usage = {"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}}
    server.route("POST", GROQ_PATH, streaming(sse_event(chunk("ok", "stop")), sse_event(usage)))
    completion = await groq(server, client).complete(ChatRequest("x"))
    assert completion.usage is not None and completion.usage.completion_tokens == 2


async def test_non_streaming_reply(server: FakeServer, client: httpx.AsyncClient) -> None:
    body = {
        "id": "chatcmpl-2",
        "object": "chat.completion",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "whole"}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    server.route("POST", GROQ_PATH, json_reply(200, body))
    completion = await groq(server, client).complete(ChatRequest("x"), streaming=False)
    assert completion.text == "whole"
    assert server.requests[0].json()["stream"] is False
    assert server.requests[0].headers["accept"] == "application/json"


async def test_server_that_ignores_stream_true(server: FakeServer, client: httpx.AsyncClient) -> None:
    body = {"choices": [{"index": 0, "message": {"content": "plain json"}, "finish_reason": "stop"}]}
    server.route("POST", GROQ_PATH, json_reply(200, body))
    assert (await groq(server, client).complete(ChatRequest("x"))).text == "plain json"


async def test_huggingface_defaults_and_router_path(server: FakeServer, client: httpx.AsyncClient) -> None:
    assert HuggingFaceProvider.default_base_url == "https://router.huggingface.co/v1"
    assert HuggingFaceProvider.key_env == ("HF_TOKEN",)
    assert GroqProvider.default_base_url == "https://api.groq.com/openai/v1"
    server.route("POST", "/v1/chat/completions", streaming(sse_event(chunk("hf", "stop"))))
    settings = ProviderSettings(
        name="hf", kind="huggingface", model="Qwen/Qwen2.5-Coder-32B-Instruct", base_url=f"{server.url}/v1"
    )
    completion = await HuggingFaceProvider(settings, client, "hf_abcdefghijklmnop").complete(ChatRequest("x"))
    assert completion.text == "hf"
    assert server.requests[0].headers["authorization"] == "Bearer hf_abcdefghijklmnop"
    assert server.requests[0].json()["model"] == "Qwen/Qwen2.5-Coder-32B-Instruct"


async def test_openai_kind_without_key_sends_no_authorization(
    server: FakeServer, client: httpx.AsyncClient
) -> None:
    server.route("POST", "/v1/chat/completions", streaming(sse_event(chunk("local", "stop"))))
    settings = ProviderSettings(name="lm", kind="openai", model="qwen2.5-coder", base_url=f"{server.url}/v1")
    assert (await OpenAICompatProvider(settings, client).complete(ChatRequest("x"))).text == "local"
    assert "authorization" not in server.requests[0].headers


# --- errors ---------------------------------------------------------------------------------------


async def test_401_is_an_auth_error_without_the_key(server: FakeServer, client: httpx.AsyncClient) -> None:
    body = {
        "error": {"message": "Invalid API Key", "type": "invalid_request_error", "code": "invalid_api_key"}
    }
    server.route("POST", GROQ_PATH, json_reply(401, body))
    with pytest.raises(AuthError) as caught:
        await groq(server, client).complete(ChatRequest("x"))
    assert isinstance(caught.value, ProviderError) and not isinstance(caught.value, TransientError)
    message = str(caught.value)
    assert message.startswith("groq: ") and "Invalid API Key" in message
    assert KEY not in message and "\n" not in message


async def test_429_with_retry_after_seconds_and_groq_headers(
    server: FakeServer, client: httpx.AsyncClient
) -> None:
    body = {
        "error": {
            "message": "Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_1` on "
            "requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 2s.",
            "type": "requests",
            "code": "rate_limit_exceeded",
        }
    }
    headers = {
        "retry-after": "2",
        "x-ratelimit-limit-requests": "14400",
        "x-ratelimit-limit-tokens": "18000",
        "x-ratelimit-remaining-requests": "14370",
        "x-ratelimit-remaining-tokens": "17997",
        "x-ratelimit-reset-requests": "2m59.56s",
        "x-ratelimit-reset-tokens": "7.66s",
    }
    server.route("POST", GROQ_PATH, json_reply(429, body, headers))
    with pytest.raises(RateLimitError) as caught:
        await groq(server, client).complete(ChatRequest("x"))
    error = caught.value
    assert isinstance(error, TransientError)
    assert error.retry_after_s == 2.0
    assert not error.daily_quota
    assert error.rate_limits == {
        "limit-requests": 14400.0,
        "limit-tokens": 18000.0,
        "remaining-requests": 14370.0,
        "remaining-tokens": 17997.0,
        "reset-requests": pytest.approx(179.56),
        "reset-tokens": pytest.approx(7.66),
    }


async def test_429_with_http_date_retry_after(server: FakeServer, client: httpx.AsyncClient) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.route(
        "POST", GROQ_PATH, json_reply(429, {"error": {"message": "slow down"}}, {"Retry-After": when})
    )
    with pytest.raises(RateLimitError) as caught:
        await groq(server, client).complete(ChatRequest("x"))
    assert caught.value.retry_after_s is not None and 25 <= caught.value.retry_after_s <= 31


async def test_429_retry_after_ms_and_message_fallback(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", GROQ_PATH, json_reply(429, {"error": {"message": "x"}}, {"retry-after-ms": "1500"}))
    with pytest.raises(RateLimitError) as caught:
        await groq(server, client).complete(ChatRequest("x"))
    assert caught.value.retry_after_s == 1.5

    body = {
        "error": {
            "message": "Rate limit reached ... Please try again in 46.72s.",
            "code": "rate_limit_exceeded",
        }
    }
    server.route("POST", GROQ_PATH, json_reply(429, body))
    with pytest.raises(RateLimitError) as caught:
        await groq(server, client).complete(ChatRequest("x"))
    assert caught.value.retry_after_s == pytest.approx(46.72)


async def test_groq_daily_token_limit_is_a_daily_quota(server: FakeServer, client: httpx.AsyncClient) -> None:
    body = {
        "error": {
            "message": "Rate limit reached for model `llama-3.3-70b-versatile` on tokens per day (TPD): "
            "Limit 100000, Used 99000, Requested 2000. Please try again in 14m24.2s.",
            "type": "tokens",
            "code": "rate_limit_exceeded",
        }
    }
    server.route("POST", GROQ_PATH, json_reply(429, body, {"retry-after": "864"}))
    with pytest.raises(RateLimitError) as caught:
        await groq(server, client).complete(ChatRequest("x"))
    assert caught.value.daily_quota
    assert caught.value.retry_after_s == 864.0


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (402, {"error": "You have exceeded your monthly included credits for Inference Providers."}),
        (429, {"error": {"message": "Insufficient balance", "code": "NOT_ENOUGH_BALANCE"}}),
    ],
)
async def test_huggingface_out_of_credits(
    server: FakeServer, client: httpx.AsyncClient, status: int, body: dict[str, Any]
) -> None:
    server.route("POST", "/v1/chat/completions", json_reply(status, body))
    settings = ProviderSettings(name="hf", kind="huggingface", model="m", base_url=f"{server.url}/v1")
    with pytest.raises(RateLimitError) as caught:
        await HuggingFaceProvider(settings, client, "hf_abcdefghijklmnop").complete(ChatRequest("x"))
    assert caught.value.daily_quota
    assert caught.value.status_code == status


async def test_503_model_loading(server: FakeServer, client: httpx.AsyncClient) -> None:
    body = {"error": "Model bigcode/starcoder is currently loading", "estimated_time": 20.5}
    server.route("POST", GROQ_PATH, json_reply(503, body))
    with pytest.raises(ServerError) as caught:
        await groq(server, client).complete(ChatRequest("x"))
    assert caught.value.status_code == 503
    assert caught.value.retry_after_s == 20.5
    assert "currently loading" in str(caught.value)


async def test_500_with_a_non_json_body(server: FakeServer, client: httpx.AsyncClient) -> None:
    async def html(request: Recorded, reply: Reply) -> None:
        await reply.send(
            502, "<html><body>\n<h1>502 Bad Gateway</h1>\n</body></html>", content_type="text/html"
        )

    server.route("POST", GROQ_PATH, html)
    with pytest.raises(ServerError) as caught:
        await groq(server, client).complete(ChatRequest("x"))
    assert "502" in str(caught.value) and "\n" not in str(caught.value)


async def test_404_names_the_model(server: FakeServer, client: httpx.AsyncClient) -> None:
    body = {"error": {"message": "The model `nope` does not exist", "code": "model_not_found"}}
    server.route("POST", GROQ_PATH, json_reply(404, body))
    with pytest.raises(ModelNotFound, match=r"llama-3\.3-70b-versatile"):
        await groq(server, client).complete(ChatRequest("x"))


async def test_malformed_json_in_the_stream(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", GROQ_PATH, streaming(sse_event(chunk("ok")), "data: {not json\n\n"))
    with pytest.raises(MalformedReply, match="not JSON"):
        await groq(server, client).complete(ChatRequest("x"))


async def test_unexpected_shape(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", GROQ_PATH, streaming(sse_event({"choices": "nope"})))
    with pytest.raises(MalformedReply):
        await groq(server, client).complete(ChatRequest("x"))


async def test_stream_ending_without_done_is_cut(server: FakeServer, client: httpx.AsyncClient) -> None:
    server.route("POST", GROQ_PATH, streaming(sse_event(chunk("half")), done=False))
    with pytest.raises(StreamCut):
        await groq(server, client).complete(ChatRequest("x"))


async def test_connection_dropped_half_way(server: FakeServer, client: httpx.AsyncClient) -> None:
    async def cut(request: Recorded, reply: Reply) -> None:
        await reply.start()
        await reply.write(sse_event(chunk("half")))
        await reply.write(b'data: {"choices": [{"delta": {"cont')
        await reply.cut()

    server.route("POST", GROQ_PATH, cut)
    seen: list[str] = []
    with pytest.raises(StreamCut):
        await groq(server, client).complete(ChatRequest("x"), on_chunk=seen.append)
    assert seen == ["half"]


async def test_429_arriving_mid_stream(server: FakeServer, client: httpx.AsyncClient) -> None:
    error = {
        "error": {
            "message": "Rate limit reached, please try again in 3s",
            "type": "tokens",
            "code": "rate_limit_exceeded",
        }
    }
    server.route("POST", GROQ_PATH, streaming(sse_event(chunk("partial")), sse_event(error), done=False))
    with pytest.raises(RateLimitError) as caught:
        await groq(server, client).complete(ChatRequest("x"))
    assert caught.value.retry_after_s == 3.0


async def test_error_event_with_status_code(server: FakeServer, client: httpx.AsyncClient) -> None:
    error = {"error": {"message": "overloaded", "code": 503}}
    server.route("POST", GROQ_PATH, streaming(sse_event(error, event="error"), done=False))
    with pytest.raises(ServerError) as caught:
        await groq(server, client).complete(ChatRequest("x"))
    assert caught.value.status_code == 503


async def test_connection_refused_is_unreachable(client: httpx.AsyncClient) -> None:
    settings = ProviderSettings(name="lm", kind="openai", model="m", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ProviderUnreachable, match="is the server running"):
        await OpenAICompatProvider(settings, client).complete(ChatRequest("x"))


async def test_key_never_reaches_logs_or_errors(
    server: FakeServer, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"error": {"message": f"bad key Bearer {KEY} for header Authorization: Bearer {KEY}"}}
    server.sequence("POST", GROQ_PATH, streaming(*HELLO), json_reply(401, echo), json_reply(429, echo))
    provider = groq(server, client)
    await provider.complete(ChatRequest("x"))
    messages = []
    for _ in range(2):
        with pytest.raises((AuthError, RateLimitError)) as caught:
            await provider.complete(ChatRequest("x"))
        messages.append(str(caught.value))
    assert all(KEY not in message for message in messages)
    assert KEY not in caplog.text
    assert KEY not in repr(provider)
