"""The static provider registry: kind → (module, class), imported only when used.

No entry-point discovery (it breaks in frozen builds); a frozen build lists `PROVIDER_MODULES` as hidden
imports. Keys are resolved here (explicit, then keychain, then environment) and handed to the provider.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Literal

import httpx

from app.config.secrets import require_api_key, resolve_api_key
from app.config.settings import ProviderSettings
from app.core.errors import ConfigError
from app.providers.base import Provider

__all__ = [
    "PROVIDER_MODULES",
    "REGISTRY",
    "DiscoveryMode",
    "create_provider",
    "discover_providers",
    "provider_class",
]

REGISTRY: Mapping[str, tuple[str, str]] = {
    "groq": ("app.providers.openai_compat", "GroqProvider"),
    "huggingface": ("app.providers.openai_compat", "HuggingFaceProvider"),
    "openai": ("app.providers.openai_compat", "OpenAICompatProvider"),
    "gemini": ("app.providers.gemini", "GeminiProvider"),
    "ollama": ("app.providers.ollama", "OllamaProvider"),
    "demo": ("app.providers.demo", "DemoProvider"),
}
PROVIDER_MODULES = tuple(sorted({module for module, _ in REGISTRY.values()}))

DiscoveryMode = Literal["configured", "ollama", "demo"]


def provider_class(kind: str) -> type[Provider]:
    try:
        module_name, class_name = REGISTRY[kind]
    except KeyError:
        raise ConfigError(
            f"unknown provider kind {kind!r} (known: {', '.join(REGISTRY)})", key="kind"
        ) from None
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, Provider)):
        raise TypeError(f"{module_name}.{class_name} is not a Provider")
    return cls


def create_provider(
    settings: ProviderSettings,
    client: httpx.AsyncClient,
    api_key: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Provider:
    """Build the provider for one `[[providers]]` entry. Raises MissingKeyError (with how to fix it) when
    the kind needs a key and none is found, ConfigError for an unusable entry."""
    cls = provider_class(settings.kind)
    env_names: tuple[str, ...] = (settings.api_key_env,) if settings.api_key_env else cls.key_env
    if cls.needs_key:
        key: str | None = require_api_key(settings.name, env_names, explicit=api_key, environ=environ).value
    elif api_key or settings.api_key_env or _may_use_default_key(cls, settings):
        found = resolve_api_key(settings.name, env_names, explicit=api_key, environ=environ)
        key = found.value if found else None
    else:
        key = None  # keyless kinds (ollama, demo): no keychain prompt, nothing to send
    return cls(settings, client, key)


def _may_use_default_key(cls: type[Provider], settings: ProviderSettings) -> bool:
    """A keyless kind that declares an optional default key (OPENAI_API_KEY for kind openai) sends it
    when it is set, as the OpenAI SDKs do; keyless kinds without one (ollama, demo) look nothing up."""
    return bool(cls.key_env) and settings.kind == cls.kind


async def discover_providers(
    client: httpx.AsyncClient,
    configured: Sequence[ProviderSettings],
    *,
    ollama_base_url: str | None = None,
) -> tuple[list[ProviderSettings], DiscoveryMode]:
    """What to ask: the configured providers; else the installed Ollama models (offline mode); else the
    recorded demo models. The mode says which, so a front end can tell the user."""
    if configured:
        return list(configured), "configured"
    from app.providers.demo import demo_provider_settings
    from app.providers.ollama import offline_provider_settings

    local = await offline_provider_settings(client, base_url=ollama_base_url)
    if local:
        return local, "ollama"
    return demo_provider_settings(), "demo"
