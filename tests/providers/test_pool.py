"""The provider pool: fallback, unbuildable providers, scatter-gather; a mixed-failure run on real servers."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry

from app.config.settings import ProviderSettings
from app.metrics.instruments import Metrics
from app.providers.answer import ANSWER_STATUSES, CallObserver
from app.providers.base import ChatRequest
from app.providers.clock import ManualClock
from app.providers.errors import MalformedReply, RateLimitError, ServerError
from app.providers.pool import ProviderPool
from app.providers.resilience import ResilientProvider
from tests.providers.fakeserver import FakeServer, Recorded, Reply, ndjson, sse_event
from tests.providers.scripted import Scripted

REQUEST = ChatRequest("Write f.")


class Recorder(CallObserver):
    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def on_chunk(self, provider: str, text: str) -> None:
        self.events.append(("chunk", provider, text))

    def on_fallback(self, provider: str, fallback: str, reason: str) -> None:
        self.events.append(("fallback", provider, fallback, reason))


def pool(
    *providers: Scripted, fallbacks: dict[str, str] | None = None, metrics: Metrics | None = None
) -> ProviderPool:
    clock = ManualClock()
    members = [ResilientProvider(p, clock=clock, metrics=metrics) for p in providers]
    return ProviderPool(members, fallbacks=fallbacks, metrics=metrics, clock=clock)


async def test_rate_limited_provider_is_served_by_its_fallback() -> None:
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    primary = Scripted("groq", RateLimitError("groq", "rate limited (429): slow down", retry_after_s=60.0))
    backup = Scripted("local", ["def f(): ", "return 1"])
    observer = Recorder()
    answer = await pool(primary, backup, fallbacks={"groq": "local"}, metrics=metrics).ask(
        "groq", REQUEST, observer=observer
    )

    assert answer.provider == "groq"
    assert answer.status == "rate_limited"  # what happened to the provider that was asked
    assert answer.served_by == "local"
    assert answer.model == "local-model"
    assert answer.text == "def f(): return 1"
    assert answer.usable
    assert answer.error is not None and "slow down" in answer.error
    assert observer.events == [
        ("fallback", "groq", "local", "rate_limited"),
        ("chunk", "groq", "def f(): "),
        ("chunk", "groq", "return 1"),
    ]
    assert primary.calls == 1  # no retry cycle restarted for the primary
    assert (
        registry.get_sample_value(
            "quorum_provider_fallbacks_total", {"provider": "groq", "fallback": "local"}
        )
        == 1
    )
    assert (
        registry.get_sample_value("quorum_answers_total", {"provider": "groq", "status": "rate_limited"}) == 1
    )


async def test_open_breaker_goes_straight_to_the_fallback() -> None:
    primary = Scripted("groq", ["never"])
    backup = Scripted("local", ["ok"])
    providers = pool(primary, backup, fallbacks={"groq": "local"})
    providers.member("groq").breaker.record_failure(RateLimitError("groq", "day", daily_quota=True))
    answer = await providers.ask("groq", REQUEST)
    assert (answer.status, answer.served_by, answer.text, primary.calls) == ("circuit_open", "local", "ok", 0)
    assert providers.breaker_states()["groq"].reason == "daily_quota"


@pytest.mark.parametrize(
    "error", [ServerError("groq", "down", status_code=500), MalformedReply("groq", "bad")]
)
async def test_no_fallback_for_other_failures(error: Exception) -> None:
    backup = Scripted("local", ["ok"])
    answer = await pool(Scripted("groq", error), backup, fallbacks={"groq": "local"}).ask("groq", REQUEST)
    assert answer.status == "error" and answer.served_by is None and backup.calls == 0
    assert not answer.usable


async def test_fallback_failing_too_is_reported() -> None:
    primary = Scripted("groq", RateLimitError("groq", "slow", retry_after_s=60.0))
    backup = Scripted("local", MalformedReply("local", "not JSON"))
    answer = await pool(primary, backup, fallbacks={"groq": "local"}).ask("groq", REQUEST)
    assert (answer.status, answer.served_by, answer.text) == ("rate_limited", None, "")
    assert answer.error is not None and "fallback local failed too: local: not JSON" in answer.error


async def test_unbuildable_providers_answer_with_the_fix(client: httpx.AsyncClient) -> None:
    settings = [
        ProviderSettings(name="groq", kind="groq", model="llama", fallback="demo-careful"),
        ProviderSettings(name="lm", kind="openai", model="m"),  # no base_url
        ProviderSettings(name="demo-careful", kind="demo", model="demo-careful"),
    ]
    providers = ProviderPool.from_settings(settings, client)
    assert providers.names == ["demo-careful", "groq", "lm"]
    groq = await providers.ask("groq", REQUEST)
    assert groq.status == "auth" and groq.error is not None and "quorum keys set groq" in groq.error
    lm = await providers.ask("lm", REQUEST)
    assert lm.status == "error" and lm.error is not None and lm.error.startswith("lm: ")
    with pytest.raises(KeyError):
        await providers.ask("nope", REQUEST)


async def test_ask_all_keeps_order_and_runs_together() -> None:
    started: list[str] = []

    class Slow(Scripted):
        async def _run(self, request: ChatRequest, state: Any, *, streaming: bool) -> Any:
            started.append(self.name)
            await asyncio.sleep(0.05)
            async for piece in super()._run(request, state, streaming=streaming):
                yield piece

    providers = pool(Slow("a", ["A"]), Slow("b", ["B"]), Slow("c", ["C"]))
    answers = await providers.ask_all(REQUEST, ["c", "a", "b"])
    assert [answer.text for answer in answers] == ["C", "A", "B"]
    assert sorted(started) == ["a", "b", "c"]


def test_statuses_are_the_contract_strings() -> None:
    assert ANSWER_STATUSES == ("ok", "error", "rate_limited", "timeout", "circuit_open", "auth")


# --- a whole run against real servers: Gemini 429, Hugging Face hanging, Ollama replying garbage -------

GEMINI_KEY = "AIzaSyPoolTest0123456789abc"
HF_KEY = "hf_pooltest0123456789abcdef"
GEMINI_429 = {
    "error": {
        "code": 429,
        "message": "You exceeded your current quota.",
        "status": "RESOURCE_EXHAUSTED",
        "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37s"}],
    }
}


async def test_mixed_failures_with_fallback(
    server: FakeServer,
    client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("GEMINI_API_KEY", GEMINI_KEY)
    monkeypatch.setenv("HF_TOKEN", HF_KEY)
    monkeypatch.setenv("QUORUM_DEMO_SPEED", "1000")

    async def gemini_429(request: Recorded, reply: Reply) -> None:
        await reply.send(429, GEMINI_429)

    async def hf_hangs(request: Recorded, reply: Reply) -> None:
        await reply.hang()

    async def ollama_garbage(request: Recorded, reply: Reply) -> None:
        await reply.start(content_type="application/x-ndjson")
        await reply.write(ndjson({"message": {"role": "assistant", "content": "def "}, "done": False}))
        await reply.write("<<<not json>>>\n")
        await reply.end()

    async def groq_ok(request: Recorded, reply: Reply) -> None:
        await reply.start()
        for text in ("def f():\n", "    return 1\n"):
            await reply.write(
                sse_event({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]})
            )
        await reply.write("data: [DONE]\n\n")
        await reply.end()

    server.route("POST", "/v1beta/models/gemini-2.0-flash:streamGenerateContent", gemini_429)
    server.route("POST", "/hf/v1/chat/completions", hf_hangs)
    server.route("POST", "/api/chat", ollama_garbage)
    server.route("POST", "/openai/v1/chat/completions", groq_ok)
    settings = [
        ProviderSettings(
            name="gemini", kind="gemini", model="gemini-2.0-flash", base_url=server.url, fallback="demo"
        ),
        ProviderSettings(
            name="hf", kind="huggingface", model="m", base_url=f"{server.url}/hf/v1", timeout_s=0.5
        ),
        ProviderSettings(name="local", kind="ollama", model="qwen", base_url=server.url),
        ProviderSettings(name="openai", kind="openai", model="llama", base_url=f"{server.url}/openai/v1"),
        ProviderSettings(name="demo", kind="demo", model="demo-careful"),
    ]
    registry = CollectorRegistry()
    providers = ProviderPool.from_settings(settings, client, metrics=Metrics(registry))
    async with asyncio.timeout(3.0):  # a hang guard: HF's 0.5 s timeout must bound the whole run
        answers = await providers.ask_all(
            ChatRequest("Write a Python function that reverses a string."),
            ["gemini", "hf", "local", "openai"],
        )
    by_name = {answer.provider: answer for answer in answers}

    assert by_name["gemini"].status == "rate_limited"
    assert by_name["gemini"].served_by == "demo"
    assert by_name["gemini"].model == "demo-careful (recorded demo)"
    assert "s[::-1]" in by_name["gemini"].text
    assert by_name["hf"].status == "timeout" and by_name["hf"].served_by is None
    assert by_name["local"].status == "error" and "not JSON" in (by_name["local"].error or "")
    assert by_name["openai"].status == "ok" and by_name["openai"].text == "def f():\n    return 1\n"
    assert registry.get_sample_value("quorum_answers_total", {"provider": "hf", "status": "timeout"}) == 1
    assert (
        registry.get_sample_value("quorum_circuit_breaker_state", {"provider": "gemini"}) == 2
    )  # 37 s: open
    for answer in answers:
        assert GEMINI_KEY not in str(answer.to_json()) and HF_KEY not in str(answer.to_json())
    assert GEMINI_KEY not in caplog.text and HF_KEY not in caplog.text
    await providers.aclose()


async def test_429_mid_stream_triggers_the_fallback(server: FakeServer, client: httpx.AsyncClient) -> None:
    async def limited_mid_stream(request: Recorded, reply: Reply) -> None:
        await reply.start()
        await reply.write(
            sse_event({"choices": [{"index": 0, "delta": {"content": "def f"}, "finish_reason": None}]})
        )
        await reply.write(
            sse_event(
                {
                    "error": {
                        "message": "Rate limit reached. Please try again in 45s.",
                        "code": "rate_limit_exceeded",
                    }
                }
            )
        )
        await reply.end()

    server.route("POST", "/primary/v1/chat/completions", limited_mid_stream)
    settings = [
        ProviderSettings(
            name="primary", kind="openai", model="m", base_url=f"{server.url}/primary/v1", fallback="demo"
        ),
        ProviderSettings(name="demo", kind="demo", model="demo-hasty"),
    ]
    providers = ProviderPool.from_settings(settings, client)
    providers.member("demo").provider.speed = 1000.0  # type: ignore[attr-defined]
    observer = Recorder()
    answer = await providers.ask("primary", ChatRequest("unknown prompt"), observer=observer)
    assert (answer.status, answer.served_by) == ("rate_limited", "demo")
    assert answer.text.startswith("This is demo-hasty (recorded demo)")
    assert ("fallback", "primary", "demo", "rate_limited") in observer.events
    assert len(server.requests) == 1  # 45 s is longer than anyone should wait: no retry
