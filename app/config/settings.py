"""Typed settings: the TOML config file of the contract, overridden by `QUORUM_` environment variables.

Precedence: environment (`QUORUM_SANDBOX__TIMEOUT_S=10`, nested with `__`) > file > defaults.
File: `--config PATH`, else `$QUORUM_CONFIG`, else `<user config dir>/config.toml` (optional).
Every problem becomes one `ConfigError` line naming the file (or variable), the key and what is allowed.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from app.config.paths import default_config_file
from app.core.errors import ConfigError
from app.core.logs import redact

__all__ = [
    "CacheSettings",
    "GatewaySettings",
    "MetricsSettings",
    "ProviderKind",
    "ProviderSettings",
    "SandboxSettings",
    "Settings",
    "load_settings",
]

ProviderKind = Literal["groq", "gemini", "huggingface", "ollama", "openai", "demo"]
_STRICT = ConfigDict(extra="forbid", validate_default=True)
ServedVerdict = Literal["verified", "disputed", "failed", "no_answers"]


def _verified_only() -> list[ServedVerdict]:
    return ["verified"]


class CacheSettings(BaseModel):
    model_config = _STRICT
    enabled: bool = True
    similarity_threshold: float = Field(0.95, ge=0.0, le=1.0)
    backend: Literal["disk", "redis"] = "disk"
    redis_url: str = "redis://127.0.0.1:6379/0"
    path: str = ""
    # Added fields (the contract may grow by adding):
    serve_verdicts: list[ServedVerdict] = Field(default_factory=_verified_only)  # verdicts served as hits
    ttl_days: float = Field(30.0, ge=0)  # 0: entries never expire
    max_entries: int = Field(100_000, ge=1)
    max_size_mb: int = Field(1024, ge=1)  # disk backend: total size before the oldest entries go
    redis_prefix: str = Field("quorum:cache:", min_length=1)


class SandboxSettings(BaseModel):
    model_config = _STRICT
    backend: Literal["auto", "docker", "subprocess"] = "auto"
    timeout_s: float = Field(5.0, gt=0, le=3600)
    memory_mb: int = Field(256, ge=16, le=65536)
    # Added fields (the contract may grow by adding):
    docker_image: str = "python:3.11-slim"
    pool_size: int = Field(2, ge=0, le=16)


class MetricsSettings(BaseModel):
    model_config = _STRICT
    port: int = Field(9464, ge=0, le=65535)


class GatewaySettings(BaseModel):
    """`quorum serve` (an added section). The bearer token comes from QUORUM_GATEWAY_TOKEN, never a file."""

    model_config = _STRICT
    max_concurrent: int = Field(4, ge=1, le=256)  # verifications running at once
    max_queue: int = Field(32, ge=0, le=10_000)  # waiting beyond those; more get 429
    max_prompt_chars: int = Field(100_000, ge=1, le=1_000_000)
    workers: int = Field(1, ge=1, le=64)  # processes; the limits above apply to each


class ProviderSettings(BaseModel):
    model_config = _STRICT
    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    kind: ProviderKind
    model: str = Field(min_length=1)
    base_url: str | None = None
    api_key_env: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    timeout_s: float = Field(60.0, gt=0, le=3600)
    fallback: str | None = None

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        if value is not None and "?" in value:
            raise ValueError("must not carry a query string (keys never go in URLs)")
        return value.rstrip("/") if value else value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="QUORUM_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    cache: CacheSettings = Field(default_factory=CacheSettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    gateway: GatewaySettings = Field(default_factory=GatewaySettings)
    providers: list[ProviderSettings] = Field(default_factory=list)

    @model_validator(mode="after")
    def _providers_consistent(self) -> Settings:
        names = [provider.name for provider in self.providers]
        for index, provider in enumerate(self.providers):
            if names.count(provider.name) > 1:
                raise ValueError(f"providers[{index}].name: duplicate name {provider.name!r}")
            if provider.fallback is not None and provider.fallback not in names:
                raise ValueError(
                    f"providers[{index}].fallback: {provider.fallback!r} is not a configured provider "
                    f"(configured: {', '.join(names)})"
                )
            if provider.fallback == provider.name:
                raise ValueError(f"providers[{index}].fallback: a provider cannot fall back to itself")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # File data arrives as init kwargs; the environment must beat it, so it goes first.
        return (env_settings, init_settings)


def config_path(explicit: str | os.PathLike[str] | None = None) -> tuple[Path, bool]:
    """The config file to read and whether the user named it (a named file must exist)."""
    if explicit:
        return Path(explicit), True
    from_env = os.environ.get("QUORUM_CONFIG")
    if from_env:
        return Path(from_env), True
    return default_config_file(), False


def load_settings(explicit: str | os.PathLike[str] | None = None) -> Settings:
    path, required = config_path(explicit)
    data = _read_toml(path, required)
    try:
        return Settings(**data)
    except ValidationError as error:
        raise _config_error(error, path, data) from None
    except ValueError as error:  # an env value pydantic-settings cannot even parse (bad JSON)
        match = re.search(r'field "(\w+)"', str(error))
        variable = _env_name([match.group(1)]) if match else "a QUORUM_ environment variable"
        raise ConfigError("not valid JSON", path=variable, key=match.group(1) if match else None) from None


def _read_toml(path: Path, required: bool) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        if required:
            raise ConfigError("config file not found", path=str(path)) from None
        return {}
    except IsADirectoryError:
        raise ConfigError("is a directory, not a config file", path=str(path)) from None
    except PermissionError:
        raise ConfigError("config file is not readable (permission denied)", path=str(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"invalid TOML: {error}", path=str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("invalid TOML: the file is not UTF-8 text", path=str(path)) from None


def _config_error(error: ValidationError, path: Path, data: dict[str, Any]) -> ConfigError:
    first = error.errors()[0]
    location = [str(part) for part in first["loc"]]
    key = _dotted(location)
    if first["type"] == "value_error" and not location:
        source = _env_source(("providers",)) or str(path)  # the cross-provider checks
        return ConfigError(str(first["msg"]).removeprefix("Value error, "), path=source)
    in_file = first["loc"][:-1] if first["type"] == "missing" else first["loc"]
    # The environment beats the file, so a value the environment gives is the one that failed.
    source = _env_source(in_file) or (str(path) if _present(data, in_file) else _env_name(location))
    if first["type"] == "extra_forbidden":
        return ConfigError(f"unknown setting (allowed: {_allowed(location)})", path=source, key=key)
    message = str(first["msg"]).removeprefix("Value error, ")
    # Never echo a URL: a key pasted into one must not reach the terminal or a log.
    if "input" in first and first["type"] != "missing" and location[-1] != "base_url":
        message += f" (got {redact(repr(first['input']))})"
    return ConfigError(message, path=source, key=key)


def _dotted(location: list[str]) -> str:
    out = ""
    for raw in location:
        # A key that is not bare is shown quoted, so newlines and odd characters stay escaped.
        part = raw if raw.isdigit() or re.fullmatch(r"[A-Za-z0-9_-]+", raw) else json.dumps(raw)
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


def _present(data: Any, location: tuple[Any, ...]) -> bool:
    for part in location:
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and part < len(data)
        ):
            data = data[part]
        else:
            return False
    return True


def _env_name(location: list[str]) -> str:
    names: list[str] = []
    for part in location[:2]:
        if part.isdigit():  # a list (providers) comes whole, as JSON, from one variable
            break
        names.append(part.upper())
    return "environment variable QUORUM_" + "__".join(names)


def _env_source(location: tuple[Any, ...]) -> str | None:
    """The QUORUM_ variable that gave the value at `location`, if the environment gave it."""
    environ = {name.lower(): name for name in os.environ}
    for depth in range(len(location), 0, -1):
        head = location[:depth]
        if not all(isinstance(part, str) for part in head):
            continue
        name = environ.get("quorum_" + "__".join(head).lower())
        if name is None:
            continue
        if depth == len(location):
            return f"environment variable {name}"
        try:
            value = json.loads(os.environ[name])
        except ValueError:
            continue
        if _present(value, location[depth:]):
            return f"environment variable {name}"
    return None


def _allowed(location: list[str]) -> str:
    model: type[BaseModel] = Settings
    for part in location[:-1]:
        if part.isdigit():
            continue
        field: FieldInfo | None = model.model_fields.get(part)
        annotation = field.annotation if field is not None else None
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            model = inner
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
    return ", ".join(model.model_fields)
