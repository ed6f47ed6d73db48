"""The static registry: lazy imports, key resolution, and the errors a user can act on."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from app.config.settings import ProviderSettings
from app.core.errors import ConfigError, MissingKeyError
from app.providers.base import Provider
from app.providers.registry import PROVIDER_MODULES, REGISTRY, create_provider, provider_class


def test_every_kind_of_the_contract_is_registered() -> None:
    assert set(REGISTRY) == {"groq", "gemini", "huggingface", "ollama", "openai", "demo"}
    for kind in REGISTRY:
        cls = provider_class(kind)
        assert issubclass(cls, Provider)
        assert cls.kind == kind
        assert isinstance(cls.needs_key, bool) and isinstance(cls.key_env, tuple)
    assert set(PROVIDER_MODULES) == {module for module, _ in REGISTRY.values()}


def test_unknown_kind() -> None:
    with pytest.raises(ConfigError, match="unknown provider kind 'nope'"):
        provider_class("nope")


async def test_missing_key_says_how_to_fix_it() -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(MissingKeyError) as caught:
            create_provider(ProviderSettings(name="groq", kind="groq", model="m"), client)
    assert "quorum keys set groq" in str(caught.value)
    assert "GROQ_API_KEY" in str(caught.value)


async def test_key_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    async with httpx.AsyncClient() as client:
        monkeypatch.setenv("GROQ_API_KEY", "gsk_fromenvironment123")
        settings = ProviderSettings(name="groq", kind="groq", model="m")
        assert create_provider(settings, client)._api_key == "gsk_fromenvironment123"
        assert create_provider(settings, client, "gsk_explicit12345678")._api_key == "gsk_explicit12345678"
        custom = ProviderSettings(name="work", kind="groq", model="m", api_key_env="WORK_GROQ")
        with pytest.raises(MissingKeyError, match="WORK_GROQ"):
            create_provider(custom, client)
        assert (
            create_provider(custom, client, environ={"WORK_GROQ": "gsk_work1234567"})._api_key
            == "gsk_work1234567"
        )


async def test_optional_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    async with httpx.AsyncClient() as client:
        local = ProviderSettings(name="lm", kind="openai", model="m", base_url="http://127.0.0.1:1234/v1")
        assert create_provider(local, client)._api_key is None
        monkeypatch.setenv("OPENAI_API_KEY", "sk-optional1234567890")
        assert create_provider(local, client)._api_key == "sk-optional1234567890"
        ollama = ProviderSettings(name="local", kind="ollama", model="m")
        assert create_provider(ollama, client)._api_key is None


async def test_openai_kind_needs_a_base_url() -> None:
    async with httpx.AsyncClient() as client:
        with pytest.raises(ConfigError, match="needs a base_url"):
            create_provider(ProviderSettings(name="lm", kind="openai", model="m"), client)


def test_registry_imports_lazily() -> None:
    code = f"import app.providers.registry, sys; print(any(m in sys.modules for m in {PROVIDER_MODULES!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
