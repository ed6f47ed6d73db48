"""What a cached answer is keyed by (`CacheContext`) and what an entry holds (`CacheEntry`).

The same prompt asked of different models, or judged under different limits, can get a different
verdict, so the context is part of every key: the exact key hashes the normalised prompt with the
context fingerprint, and the semantic index only compares entries of the same fingerprint.
Nothing secret enters either: provider identity is name, kind, model and host; results are redacted.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np
from numpy.typing import NDArray

from app.cache.text import normalize_prompt

if TYPE_CHECKING:
    from app.config.settings import ProviderSettings, Settings

__all__ = ["FORMAT_VERSION", "CacheContext", "CacheEntry", "ProviderIdentity", "exact_key"]

FORMAT_VERSION = 1  # bump when entries or keys change meaning: old entries are then never matched


@dataclass(frozen=True)
class ProviderIdentity:
    name: str
    kind: str
    model: str
    host: str = ""  # scheme://host[:port]/path of base_url, without credentials or query


@dataclass(frozen=True)
class CacheContext:
    """Everything besides the prompt that can change a verification's outcome."""

    providers: tuple[ProviderIdentity, ...]
    mode: str = "configured"
    tests: str | None = None  # user tests given to the judge
    settings: tuple[tuple[str, str], ...] = ()  # sandbox limits and judge settings that matter

    @classmethod
    def for_run(
        cls,
        settings: Settings,
        provider_settings: Sequence[ProviderSettings],
        *,
        mode: str = "configured",
        providers: Sequence[str] | None = None,
        tests: str | None = None,
    ) -> CacheContext:
        """The context of `Pipeline.verify` with these settings (as `Pipeline.open` chose providers)."""
        from app.core.orchestrator import SYSTEM_PROMPT
        from app.judge import JudgeSettings

        wanted = set(providers) if providers else None
        identities = tuple(
            sorted(
                (
                    ProviderIdentity(p.name, p.kind, p.model, _host(p.base_url))
                    for p in provider_settings
                    if wanted is None or p.name in wanted
                ),
                key=lambda identity: identity.name,
            )
        )
        sandbox = settings.sandbox
        judge = JudgeSettings(run_timeout_s=max(sandbox.timeout_s, 10.0), memory_mb=sandbox.memory_mb)
        knobs = {
            "sandbox.timeout_s": sandbox.timeout_s,
            "sandbox.memory_mb": sandbox.memory_mb,
            "system_prompt": hashlib.sha256(SYSTEM_PROMPT.encode()).hexdigest()[:16],
            **{f"judge.{name}": value for name, value in dataclasses.asdict(judge).items()},
        }
        return cls(identities, mode, tests or None, tuple(sorted((k, repr(v)) for k, v in knobs.items())))

    def fingerprint(self) -> str:
        return self._fingerprint

    @functools.cached_property
    def _fingerprint(self) -> str:
        # Memoised: every lookup needs it, and hashing the JSON costs ~0.1 ms. The fields are immutable.
        data = {
            "version": FORMAT_VERSION,
            "providers": [dataclasses.astuple(provider) for provider in self.providers],
            "mode": self.mode,
            "tests": self.tests,
            "settings": self.settings,
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()

    @property
    def models(self) -> list[str]:
        return [f"{provider.name}:{provider.model}" for provider in self.providers]


def exact_key(prompt: str, context: CacheContext) -> str:
    payload = context.fingerprint() + "\x00" + normalize_prompt(prompt)
    return hashlib.sha256(payload.encode("utf-8", errors="surrogatepass")).hexdigest()


@dataclass
class CacheEntry:
    key: str
    fingerprint: str  # of the context it was produced in
    prompt: str  # as asked (redacted)
    verdict: str
    result: dict[str, Any]  # the verify JSON, as `VerifyResult.to_json` gave it (redacted)
    created_at: float = field(default_factory=time.time)
    models: list[str] = field(default_factory=list)  # "provider:model" that answered
    vector: NDArray[np.float32] | None = None
    guard: dict[str, Any] | None = None  # the prompt's guard features (feature_codec.py), if stored

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT_VERSION,
            "key": self.key,
            "fingerprint": self.fingerprint,
            "prompt": self.prompt,
            "verdict": self.verdict,
            "created_at": self.created_at,
            "models": self.models,
            "vector": None if self.vector is None else base64.b64encode(self.vector.tobytes()).decode(),
            "result": self.result,
        }
        if self.guard is not None:
            data["guard"] = self.guard
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> CacheEntry | None:
        """The entry, or None for anything unreadable or from another format version."""
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT_VERSION:
                return None
            vector = None
            if data.get("vector"):
                vector = np.frombuffer(base64.b64decode(data["vector"]), dtype=np.float32).copy()
            return cls(
                key=str(data["key"]),
                fingerprint=str(data["fingerprint"]),
                prompt=str(data["prompt"]),
                verdict=str(data["verdict"]),
                result=dict(data["result"]),
                created_at=float(data["created_at"]),
                models=[str(model) for model in data.get("models", [])],
                vector=vector,
                guard=data["guard"] if isinstance(data.get("guard"), dict) else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def answered_models(result: dict[str, Any]) -> list[str]:
    """`provider:model` for each answer in a verify JSON."""
    return [f"{answer.get('provider')}:{answer.get('model')}" for answer in _answers(result)]


def _answers(result: dict[str, Any]) -> Iterable[dict[str, Any]]:
    answers = result.get("answers")
    return [answer for answer in answers if isinstance(answer, dict)] if isinstance(answers, list) else []


def _host(base_url: str | None) -> str:
    if not base_url:
        return ""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}".rstrip("/")
