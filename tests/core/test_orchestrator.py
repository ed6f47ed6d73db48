"""A whole verification run against real HTTP servers speaking each provider's wire protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from prometheus_client import CollectorRegistry, generate_latest

from app.config.settings import ProviderSettings
from app.core.errors import UserError
from app.core.events import AnswerReceived, CodeExecuted, Event, RunStarted, TextChunk, VerdictReached
from app.core.orchestrator import Orchestrator, RunOptions
from app.metrics.instruments import Metrics
from app.providers.pool import ProviderPool
from app.providers.resilience import RetryPolicy
from app.sandbox.subprocess_backend import SubprocessSandbox
from tests.providers.answers import (
    gemini_answer,
    gemini_quota,
    hangs,
    ollama_answer,
    ollama_garbage,
    openai_answer,
)
from tests.providers.fakeserver import FakeServer

PROMPT = "Write a Python function `add(a, b)` that returns the sum.\n\n>>> add(2, 3)\n5\n>>> add(-1, 1)\n0\n"
RIGHT = "Here you go:\n\n```python\ndef add(a, b):\n    return a + b\n```\n"
RIGHT_TOO = "```python\ndef add(a: int, b: int) -> int:\n    total = a\n    total += b\n    return total\n```"
WRONG = "```python\ndef add(a, b):\n    return a - b\n```"
KEYS = {
    "GROQ_API_KEY": "gsk_test_0123456789abcdef",
    "GEMINI_API_KEY": "AIzaTest0123456789abcdef",
    "HF_TOKEN": "hf_test0123456789abcdef",
}


@pytest.fixture
async def server() -> AsyncIterator[FakeServer]:
    fake = await FakeServer().start()
    yield fake
    await fake.stop()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SubprocessSandbox]:
    box = SubprocessSandbox(pool_size=2)
    yield box
    box.close()


def settings(url: str, *, hf_timeout: float = 30.0) -> list[ProviderSettings]:
    return [
        ProviderSettings(
            name="groq", kind="groq", model="llama-3.3-70b-versatile", base_url=f"{url}/openai/v1"
        ),
        ProviderSettings(
            name="gemini", kind="gemini", model="gemini-2.0-flash", base_url=url, fallback="backup"
        ),
        ProviderSettings(
            name="hf", kind="huggingface", model="qwen", base_url=f"{url}/hf/v1", timeout_s=hf_timeout
        ),
        ProviderSettings(name="local", kind="ollama", model="qwen2.5-coder", base_url=url),
        ProviderSettings(name="backup", kind="openai", model="served-model", base_url=f"{url}/backup/v1"),
    ]


async def run(server: FakeServer, sandbox: SubprocessSandbox, monkeypatch: pytest.MonkeyPatch, **kw: object):  # type: ignore[no-untyped-def]
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    events: list[Event] = []
    registry = CollectorRegistry()
    async with httpx.AsyncClient() as client:
        pool = ProviderPool.from_settings(
            settings(server.url, hf_timeout=float(kw.pop("hf_timeout", 30.0))),  # type: ignore[arg-type]
            client,
            metrics=Metrics(registry),
            policy=RetryPolicy(max_attempts=2, base_delay_s=0.01),
        )
        orchestrator = Orchestrator(pool, sandbox, metrics=Metrics(CollectorRegistry()))
        result = await orchestrator.verify(PROMPT, RunOptions(**kw), events.append)  # type: ignore[arg-type]
        await pool.aclose()
    return result, events, registry


async def test_all_healthy_is_verified_with_the_right_winner(
    server: FakeServer, sandbox: SubprocessSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route("POST", "/openai/v1/chat/completions", openai_answer(RIGHT))
    server.route("POST", "/v1beta/models/gemini-2.0-flash:streamGenerateContent", gemini_answer(WRONG))
    server.route("POST", "/hf/v1/chat/completions", openai_answer(RIGHT_TOO))
    server.route("POST", "/api/chat", ollama_answer(RIGHT))
    result, events, _ = await run(server, sandbox, monkeypatch, providers=["groq", "gemini", "hf", "local"])
    data = result.to_json()
    assert data["verdict"] == "verified"
    assert data["winner"]["provider"] in ("groq", "hf", "local")
    assert [a["status"] for a in data["answers"]] == ["ok"] * 4
    assert data["answers"][1]["code"].strip().endswith("return a - b")
    assert all(a["execution"]["status"] == "ok" for a in data["answers"])
    assert "add(2, 3)" in data["explanation"]
    kinds = [type(event) for event in events]
    assert kinds[0] is RunStarted and kinds[-1] is VerdictReached
    assert TextChunk in kinds and AnswerReceived in kinds and CodeExecuted in kinds
    # Every request went to the right path with the right credentials, none in the URL.
    paths = {request.path for request in server.requests}
    assert paths == {"/openai/v1/chat/completions", "/v1beta/models/gemini-2.0-flash:streamGenerateContent",
                     "/hf/v1/chat/completions", "/api/chat"}  # fmt: skip
    for request in server.requests:
        assert all(key not in request.target for key in KEYS.values())


async def test_failures_get_their_own_status_and_the_fallback_serves(
    server: FakeServer, sandbox: SubprocessSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route("POST", "/openai/v1/chat/completions", openai_answer(RIGHT))
    server.route("POST", "/v1beta/models/gemini-2.0-flash:streamGenerateContent", gemini_quota)
    server.route("POST", "/hf/v1/chat/completions", hangs)
    server.route("POST", "/api/chat", ollama_garbage)
    server.route("POST", "/backup/v1/chat/completions", openai_answer(RIGHT_TOO))
    result, _, registry = await run(
        server, sandbox, monkeypatch, hf_timeout=1.0, providers=["groq", "gemini", "hf", "local"]
    )
    answers = {a["provider"]: a for a in result.to_json()["answers"]}
    assert answers["gemini"]["status"] == "rate_limited" and answers["gemini"]["served_by"] == "backup"
    assert answers["gemini"]["model"] == "served-model" and answers["gemini"]["execution"]["status"] == "ok"
    assert answers["hf"]["status"] == "timeout" and answers["hf"]["execution"] is None
    assert answers["local"]["status"] == "error" and "local" in answers["local"]["error"]
    assert answers["groq"]["status"] == "ok"
    assert result.verdict == "verified" and result.winner in (0, 1)
    metrics = generate_latest(registry).decode()
    assert 'quorum_answers_total{provider="gemini",status="rate_limited"} 1.0' in metrics


async def test_a_single_answer_is_never_verified(
    server: FakeServer, sandbox: SubprocessSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route("POST", "/openai/v1/chat/completions", openai_answer(RIGHT))
    result, _, _ = await run(server, sandbox, monkeypatch, providers=["groq"])
    assert result.verdict == "disputed"
    assert result.winner == 0


async def test_no_usable_answer_is_no_answers(
    server: FakeServer, sandbox: SubprocessSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route("POST", "/openai/v1/chat/completions", hangs)
    server.route("POST", "/api/chat", ollama_garbage)
    result, _, _ = await run(server, sandbox, monkeypatch, providers=["groq", "local"], deadline_s=1.5)
    assert result.verdict == "no_answers" and result.winner is None
    assert "groq" in result.explanation and "local" in result.explanation


@pytest.mark.parametrize(
    ("options", "message"),
    [({"providers": ["nope"]}, "unknown provider"), ({}, "prompt is empty")],
)
async def test_bad_requests_are_user_errors(
    server: FakeServer,
    sandbox: SubprocessSandbox,
    monkeypatch: pytest.MonkeyPatch,
    options: dict[str, object],
    message: str,
) -> None:
    async with httpx.AsyncClient() as client:
        pool = ProviderPool.from_settings(settings(server.url), client)
        orchestrator = Orchestrator(pool, sandbox)
        with pytest.raises(UserError, match=message):
            await orchestrator.verify("" if not options else PROMPT, RunOptions(**options))  # type: ignore[arg-type]
