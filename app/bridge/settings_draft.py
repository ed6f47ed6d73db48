"""The settings dialog's working copy: read from the TOML file, checked field by field, written back.

The draft is the file's content (not the environment-merged settings), so saving never bakes a
`QUORUM_...` variable or an API key into the file. Keys typed in the dialog go to the OS keychain.
Field checks reuse the config models (one source of truth for what is allowed); messages name the
field the way the dialog shows it.
"""

from __future__ import annotations

import copy
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from app.config.settings import CacheSettings, MetricsSettings, ProviderSettings, SandboxSettings

__all__ = [
    "KINDS",
    "Issue",
    "ProviderDraft",
    "SettingsDraft",
    "draft_from_file",
    "draft_to_data",
    "to_toml",
    "validate_draft",
]

KINDS = ("groq", "gemini", "huggingface", "ollama", "openai", "demo")
_LABELS = {
    "name": "Name",
    "kind": "Kind",
    "model": "Model",
    "base_url": "Base URL",
    "api_key_env": "Key variable",
    "timeout_s": "Timeout",
    "fallback": "Fallback",
    "similarity_threshold": "Similarity threshold",
    "memory_mb": "Memory",
    "port": "Metrics port",
    "redis_url": "Redis URL",
    "pool_size": "Warm workers",
}


@dataclass
class ProviderDraft:
    name: str = ""
    kind: str = "openai"
    model: str = ""
    base_url: str = ""
    api_key_env: str = ""
    timeout_s: float = 60.0
    fallback: str = ""
    key: str = ""  # typed in the dialog: stored in the OS keychain on save, never written to the file
    key_stored: bool = False  # the keychain already holds a key for this name


@dataclass
class SettingsDraft:
    providers: list[ProviderDraft] = field(default_factory=list)
    cache_enabled: bool = True
    similarity_threshold: float = 0.95
    cache_backend: str = "disk"
    redis_url: str = "redis://127.0.0.1:6379/0"
    cache_path: str = ""
    sandbox_backend: str = "auto"
    sandbox_timeout_s: float = 5.0
    memory_mb: int = 256
    docker_image: str = "python:3.11-slim"
    pool_size: int = 2
    metrics_port: int = 9464
    original: dict[str, Any] = field(default_factory=dict)  # the file as read: keys the form does not edit


@dataclass(frozen=True)
class Issue:
    key: str  # "providers[1].base_url", "metrics.port", "" for the whole form
    message: str
    blocking: bool = True  # False: a warning; saving is still allowed


def draft_from_file(path: Path) -> tuple[SettingsDraft, str | None]:
    """The draft for `path` (defaults when it does not exist) and the problem reading it, if any."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return SettingsDraft(), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return SettingsDraft(), f"{path}: {error}; saving replaces it"
    return _draft(data), None


def _draft(data: dict[str, Any]) -> SettingsDraft:
    draft = SettingsDraft(original=copy.deepcopy(data))
    cache, sandbox, metrics = (data.get(name) or {} for name in ("cache", "sandbox", "metrics"))
    draft.cache_enabled = bool(cache.get("enabled", draft.cache_enabled))
    draft.similarity_threshold = _number(cache.get("similarity_threshold"), draft.similarity_threshold)
    draft.cache_backend = str(cache.get("backend", draft.cache_backend))
    draft.redis_url = str(cache.get("redis_url", draft.redis_url))
    draft.cache_path = str(cache.get("path", draft.cache_path))
    draft.sandbox_backend = str(sandbox.get("backend", draft.sandbox_backend))
    draft.sandbox_timeout_s = _number(sandbox.get("timeout_s"), draft.sandbox_timeout_s)
    draft.memory_mb = int(_number(sandbox.get("memory_mb"), draft.memory_mb))
    draft.docker_image = str(sandbox.get("docker_image", draft.docker_image))
    draft.pool_size = int(_number(sandbox.get("pool_size"), draft.pool_size))
    draft.metrics_port = int(_number(metrics.get("port"), draft.metrics_port))
    for entry in data.get("providers") or []:
        if isinstance(entry, dict):
            draft.providers.append(
                ProviderDraft(
                    name=str(entry.get("name", "")),
                    kind=str(entry.get("kind", "openai")),
                    model=str(entry.get("model", "")),
                    base_url=str(entry.get("base_url") or ""),
                    api_key_env=str(entry.get("api_key_env") or ""),
                    timeout_s=_number(entry.get("timeout_s"), 60.0),
                    fallback=str(entry.get("fallback") or ""),
                )
            )
    return draft


def _number(value: Any, default: float) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default


def draft_to_data(draft: SettingsDraft) -> dict[str, Any]:
    """The TOML document for `draft`, in the contract's layout (optional provider fields left out).
    Settings the form does not show (added by newer versions, e.g. cache TTLs) are kept as they were."""
    providers = []
    for entry in draft.providers:
        item: dict[str, Any] = {"name": entry.name.strip(), "kind": entry.kind, "model": entry.model.strip()}
        if entry.base_url.strip():
            item["base_url"] = entry.base_url.strip()
        if entry.api_key_env.strip():
            item["api_key_env"] = entry.api_key_env.strip()
        item["timeout_s"] = entry.timeout_s
        if entry.fallback.strip():
            item["fallback"] = entry.fallback.strip()
        providers.append(item)
    edited: dict[str, dict[str, Any]] = {
        "cache": {
            "enabled": draft.cache_enabled,
            "similarity_threshold": round(draft.similarity_threshold, 4),
            "backend": draft.cache_backend,
            "redis_url": draft.redis_url,
            "path": draft.cache_path,
        },
        "sandbox": {
            "backend": draft.sandbox_backend,
            "timeout_s": draft.sandbox_timeout_s,
            "memory_mb": draft.memory_mb,
            "docker_image": draft.docker_image,
            "pool_size": draft.pool_size,
        },
        "metrics": {"port": draft.metrics_port},
    }
    data: dict[str, Any] = {}
    for section, values in edited.items():
        kept = draft.original.get(section)
        data[section] = {**(copy.deepcopy(kept) if isinstance(kept, dict) else {}), **values}
    for key, value in draft.original.items():
        if key not in data and key != "providers":
            data[key] = copy.deepcopy(value)
    data["providers"] = providers
    return data


def validate_draft(draft: SettingsDraft, *, environ: dict[str, str] | None = None) -> list[Issue]:
    data = draft_to_data(draft)
    issues: list[Issue] = []
    for section, model in (
        ("cache", CacheSettings),
        ("sandbox", SandboxSettings),
        ("metrics", MetricsSettings),
    ):
        issues += _model_issues(model, data[section], section)
    names = [entry["name"] for entry in data["providers"]]
    for index, entry in enumerate(data["providers"]):
        where = f"providers[{index}]"
        issues += _model_issues(ProviderSettings, entry, where)
        if names.count(entry["name"]) > 1:
            issues.append(Issue(f"{where}.name", f"Name: {entry['name']!r} is used by another provider"))
        fallback = entry.get("fallback")
        if fallback == entry["name"]:
            issues.append(Issue(f"{where}.fallback", "Fallback: a provider cannot fall back to itself"))
        elif fallback and fallback not in names:
            issues.append(Issue(f"{where}.fallback", f"Fallback: {fallback!r} is not one of the providers"))
        issues += _key_issues(draft.providers[index], where, environ)
    return issues


def _model_issues(model: type[BaseModel], data: dict[str, Any], where: str) -> list[Issue]:
    try:
        model(**data)
    except ValidationError as error:
        issues = []
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else ""
            label = _LABELS.get(name, name.replace("_", " ").capitalize())
            message = _plain(str(problem["msg"]))
            issues.append(Issue(f"{where}.{name}" if name else where, f"{label}: {message}"))
        return issues
    return []


def _plain(message: str) -> str:
    message = message.removeprefix("Value error, ")
    if message.startswith("String should match pattern"):
        return "use letters, digits, '-', '_' or '.', starting with a letter or digit"
    if message.startswith("String should have at least 1 character"):
        return "required"
    return message[0].lower() + message[1:] if message else message


def _key_issues(entry: ProviderDraft, where: str, environ: dict[str, str] | None) -> list[Issue]:
    from app.bridge.kinds import kind_info

    info = kind_info(entry.kind)
    if not info.needs_key or entry.key.strip() or entry.key_stored:
        return []
    names = (entry.api_key_env.strip(),) if entry.api_key_env.strip() else info.key_env
    env = environ if environ is not None else os.environ
    if any(env.get(name, "").strip() for name in names):
        return []
    hint = " or ".join(names)
    return [
        Issue(f"{where}.key", f"API key: {entry.kind} needs one; paste it here or set {hint}", blocking=False)
    ]


def to_toml(data: dict[str, Any]) -> str:
    """TOML for the settings document: tables of scalars, then the `[[providers]]` array of tables."""
    lines = ["# Quorum settings (written by the settings dialog; keys live in the OS keychain).", ""]
    scalars = {key: value for key, value in data.items() if not isinstance(value, dict | list)}
    lines += [f"{_key(key)} = {_value(value)}" for key, value in scalars.items()]
    for section, values in data.items():
        if section in scalars:
            continue
        if isinstance(values, list) and all(isinstance(item, dict) for item in values):
            for item in values:
                lines.append(f"[[{_key(section)}]]")
                lines += [f"{_key(key)} = {_value(value)}" for key, value in item.items()]
                lines.append("")
        elif isinstance(values, dict):
            lines.append(f"[{_key(section)}]")
            lines += [f"{_key(key)} = {_value(value)}" for key, value in values.items()]
            lines.append("")
        else:
            lines.insert(2, f"{_key(section)} = {_value(values)}")
    return "\n".join(lines)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _value(key)


def _value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(str(k))} = {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("settings numbers must be finite")
        return repr(value)
    text = str(value)
    escaped = re.sub(r'[\\"\x00-\x1f\x7f]', lambda m: _escape(m.group()), text)
    return f'"{escaped}"'


def _escape(char: str) -> str:
    return {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char, f"\\u{ord(char):04x}")
