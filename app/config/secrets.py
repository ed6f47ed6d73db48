"""API keys: an explicit argument, then the OS keychain (keyring), then environment variables.

A key is registered with the log redactor the moment it is read, so it cannot reach a log line.
Keys are only ever handed to the provider that owns them; never to the sandbox, the cache or a URL.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.errors import MissingKeyError, UserError
from app.core.logs import register_secret

__all__ = [
    "KEYRING_SERVICE",
    "ApiKey",
    "delete_api_key",
    "require_api_key",
    "resolve_api_key",
    "store_api_key",
]

KEYRING_SERVICE = "quorum"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ApiKey:
    value: str
    source: str  # "argument", "keychain" or "env:NAME": safe to show, unlike the value

    def __repr__(self) -> str:
        return f"ApiKey(source={self.source!r}, value=[REDACTED])"


def resolve_api_key(
    provider: str,
    env_names: Sequence[str],
    *,
    explicit: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> ApiKey | None:
    # Register the stripped value: it is the one that gets used (and could be logged).
    explicit = (explicit or "").strip()
    if explicit:
        register_secret(explicit)
        return ApiKey(explicit, "argument")
    stored = (_keychain_get(provider) or "").strip()
    if stored:
        register_secret(stored)
        return ApiKey(stored, "keychain")
    env = os.environ if environ is None else environ
    for name in env_names:
        value = env.get(name, "").strip()
        if value:
            register_secret(value)
            return ApiKey(value, f"env:{name}")
    return None


def require_api_key(
    provider: str,
    env_names: Sequence[str],
    *,
    explicit: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> ApiKey:
    key = resolve_api_key(provider, env_names, explicit=explicit, environ=environ)
    if key is None:
        hint = f" or set {' / '.join(env_names)}" if env_names else ""
        raise MissingKeyError(
            f"provider {provider!r} needs an API key: run `quorum keys set {provider}`{hint}"
        )
    return key


def store_api_key(provider: str, value: str) -> None:
    if not value.strip():
        raise UserError("the key is empty")
    keyring = _keyring()
    try:
        keyring.set_password(KEYRING_SERVICE, provider, value.strip())
    except Exception as error:  # keyring backends raise their own types (D-Bus, locked keychain...)
        raise UserError(
            f"cannot store the key in the OS keychain ({type(error).__name__}); "
            "set the provider's environment variable instead"
        ) from None


def delete_api_key(provider: str) -> bool:
    keyring = _keyring()
    try:
        keyring.delete_password(KEYRING_SERVICE, provider)
    except Exception:
        return False
    return True


def _keychain_get(provider: str) -> str | None:
    try:
        value = _keyring().get_password(KEYRING_SERVICE, provider)
    except Exception as error:  # no keychain on this machine: fall through to the environment
        _log.debug("OS keychain unavailable: %s", type(error).__name__)
        return None
    return str(value) if value else None


def _keyring() -> Any:
    import keyring

    return keyring
