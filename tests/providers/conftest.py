"""Fixtures: a real HTTP server on 127.0.0.1 per test, and an httpx client the test owns."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.providers.fakeserver import FakeServer


@pytest.fixture
async def server() -> AsyncIterator[FakeServer]:
    fake = await FakeServer().start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as http:
        yield http


@pytest.fixture(autouse=True)
def no_provider_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys from the developer's shell must not leak into the tests (or the tests into real providers)."""
    for name in (
        "GROQ_API_KEY",
        "HF_TOKEN",
        "OPENAI_API_KEY",
        "GEMINI_API_KEY",
        "GOOGLE_API_KEY",
        "OLLAMA_HOST",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_keychain(monkeypatch: pytest.MonkeyPatch) -> None:
    """No OS keychain during provider tests: resolution falls through to the environment."""
    monkeypatch.setattr("app.config.secrets._keychain_get", lambda provider: None)
