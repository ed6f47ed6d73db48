"""The result cache: exact key first, then guarded semantic lookup, then the examples re-check.

lookup(prompt, context):
1. exact: hash of the normalised prompt and the context; a hit costs one store read, no embedding;
2. semantic: embed the prompt (canonical wording, canonical.py), take the stored prompts of the same
   context with cosine >= `similarity_threshold`, best first; each must be servable (verdict allowed,
   not expired) and pass the guard against the new prompt (guard.py);
3. if the new prompt states examples, the candidate's winning code must pass them in the sandbox.
The first candidate to pass everything is the hit; otherwise it is a miss and the models are asked.
Blocking work (store I/O, embedding) runs in worker threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from app.cache.canonical import embedding_text
from app.cache.embedder import Embedder, EmbedderError
from app.cache.entry import CacheContext, CacheEntry, answered_models, exact_key
from app.cache.feature_codec import encode_features, stored_features
from app.cache.features import extract_features
from app.cache.guard import compare_features
from app.cache.recheck import recheck_examples
from app.cache.store import CacheStore, CacheUnavailableError
from app.core.logs import redact

if TYPE_CHECKING:
    from app.cache.metrics import CacheMetrics
    from app.config.settings import CacheSettings
    from app.core.models import VerifyResult
    from app.sandbox.base import Sandbox, SandboxLimits

__all__ = ["CacheLookup", "HitKind", "ResultCache"]

HitKind = Literal["exact", "semantic"]
_log = logging.getLogger(__name__)
_CANDIDATES = 8


@dataclass(frozen=True)
class CacheLookup:
    kind: HitKind | None = None
    similarity: float | None = None
    entry: CacheEntry | None = None
    rejections: tuple[str, ...] = ()  # why close candidates were refused (guard class, examples, ...)
    duration_ms: float = 0.0

    @property
    def hit(self) -> bool:
        return self.kind is not None

    @property
    def matched_prompt(self) -> str | None:
        return self.entry.prompt if self.entry is not None else None

    def to_json(self) -> dict[str, Any]:
        """The `quorum cache lookup --json` contract."""
        return {
            "hit": self.hit,
            "kind": self.kind,
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "matched_prompt": self.matched_prompt,
        }

    def response(self, prompt: str, *, duration_ms: float | None = None) -> dict[str, Any]:
        """The `quorum verify --json` object served for `prompt` (requires a hit)."""
        if self.entry is None or self.kind is None:
            raise ValueError("a miss has no cached response")
        data = copy.deepcopy(self.entry.result)
        data.update(
            prompt=prompt,
            cache=self.kind,
            duration_ms=round(self.duration_ms if duration_ms is None else duration_ms, 1),
        )
        data["cached"] = {
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.entry.created_at)),
            "models": list(self.entry.models),
            "matched_prompt": self.entry.prompt,
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "original_duration_ms": self.entry.result.get("duration_ms"),
        }
        return data

    def verify_result(self, prompt: str, *, duration_ms: float | None = None) -> VerifyResult:
        from app.cache.replay import verify_result_from_json

        return verify_result_from_json(self.response(prompt, duration_ms=duration_ms))


@dataclass
class ResultCache:
    store: CacheStore
    settings: CacheSettings
    embedder: Embedder | None = None  # None: exact matches only
    sandbox: Sandbox | None = None  # for re-checking examples; None: hits needing a re-check miss
    limits: SandboxLimits | None = None
    metrics: CacheMetrics | None = None
    clock: Callable[[], float] = field(default=time.time)

    # --- lookup -----------------------------------------------------------------------------------

    async def lookup(self, prompt: str, context: CacheContext) -> CacheLookup:
        started = time.perf_counter()
        found, candidates, rejections = await asyncio.to_thread(self._lookup_blocking, prompt, context)
        if found is None:
            for entry, similarity in candidates:
                check = await recheck_examples(prompt, entry.result, self.sandbox, limits=self.limits)
                if check.ok:
                    found = CacheLookup("semantic", similarity, entry)
                    break
                rejections.append(f"examples: {check.problem}")
        return self._finish(found or CacheLookup(rejections=tuple(rejections)), started)

    def _lookup_blocking(
        self, prompt: str, context: CacheContext
    ) -> tuple[CacheLookup | None, list[tuple[CacheEntry, float]], list[str]]:
        """Exact, then the semantic candidates, in one worker-thread trip (each trip costs a wake-up)."""
        found = self.lookup_exact(prompt, context)
        if found is not None or self.embedder is None:
            return found, [], []
        return None, *self.semantic_candidates(prompt, context)

    def lookup_exact(self, prompt: str, context: CacheContext) -> CacheLookup | None:
        """The exact path alone (blocking): normalise, hash, one read."""
        entry = self.store.get(exact_key(prompt, context))
        if entry is None or self._unservable(entry) is not None:
            return None
        return CacheLookup("exact", 1.0, entry)

    def semantic_candidates(
        self, prompt: str, context: CacheContext
    ) -> tuple[list[tuple[CacheEntry, float]], list[str]]:
        """Servable entries close to `prompt` that pass the guard, best first (blocking)."""
        if self.embedder is None:
            return [], []
        try:
            vector = self.embedder.embed(embedding_text(prompt))
        except EmbedderError as error:
            _log.warning("semantic cache off: %s", error)
            return [], []
        fingerprint = context.fingerprint()
        threshold = self.settings.similarity_threshold
        accepted: list[tuple[CacheEntry, float]] = []
        rejections: list[str] = []
        for key, similarity in self.store.nearest(
            vector, fingerprint, threshold=threshold, limit=_CANDIDATES
        ):
            entry = self.store.get(key)
            if entry is None or entry.fingerprint != fingerprint:
                self.store.forget(key)
                continue
            reason = self._unservable(entry)
            if reason is not None:
                rejections.append(reason)
                continue
            try:
                guard = compare_features(extract_features(prompt), stored_features(entry.prompt, entry.guard))
            except Exception:  # a fault in the guard's rules costs a miss, never the lookup
                _log.exception("cache guard failed; treating the candidate as a miss")
                rejections.append("guard: error")
                continue
            if not guard.ok:
                rejections.extend(f"guard: {reason}" for reason in guard.reasons)
                continue
            accepted.append((entry, similarity))
        return accepted, rejections

    def _unservable(self, entry: CacheEntry) -> str | None:
        if entry.verdict not in self.settings.serve_verdicts:
            return f"verdict: {entry.verdict} is not served"
        ttl_s = self.settings.ttl_days * 86_400
        if ttl_s > 0 and self.clock() - entry.created_at > ttl_s:
            return "expired: older than cache.ttl_days"
        return None

    def _finish(self, found: CacheLookup, started: float) -> CacheLookup:
        elapsed = time.perf_counter() - started
        found = CacheLookup(found.kind, found.similarity, found.entry, found.rejections, elapsed * 1000)
        if self.metrics is not None:
            self.metrics.observe_lookup(found.kind or "miss", elapsed)
            for reason in found.rejections:
                self.metrics.count_rejection(_reason_label(reason))
        return found

    # --- store ------------------------------------------------------------------------------------

    async def put(self, result: VerifyResult | dict[str, Any], context: CacheContext) -> bool:
        """Remember a fresh verification; False when it is not cacheable (see `put_blocking`)."""
        data = result if isinstance(result, dict) else result.to_json()
        return await asyncio.to_thread(self.put_blocking, data, context)

    def put_blocking(self, result: dict[str, Any], context: CacheContext) -> bool:
        """Store a verify JSON. Only fresh results (`cache` = miss) with a verdict that is served are
        kept; anything that looks like a credential is redacted, and a result whose winning code
        would change under redaction is not kept at all."""
        prompt = result.get("prompt")
        verdict = result.get("verdict")
        if not isinstance(prompt, str) or result.get("cache", "miss") != "miss":
            return False
        if verdict not in self.settings.serve_verdicts:
            return False
        clean = _redacted(result)
        if _winner_code(clean) != _winner_code(result):
            _log.info("not caching a result whose winning code contains something like a credential")
            return False
        vector = None
        if self.embedder is not None:
            try:
                vector = self.embedder.embed(embedding_text(prompt))
            except EmbedderError as error:
                _log.warning("caching without a prompt vector (exact matches only): %s", error)
        stored_prompt = redact(prompt)
        entry = CacheEntry(
            key=exact_key(prompt, context),
            fingerprint=context.fingerprint(),
            prompt=stored_prompt,
            verdict=str(verdict),
            result=clean,
            created_at=self.clock(),
            models=answered_models(result) or context.models,
            vector=vector,
            guard=encode_features(extract_features(stored_prompt)),
        )
        ttl_s = self.settings.ttl_days * 86_400 or None
        self.store.put(entry, ttl_s=ttl_s)
        if self.metrics is not None:
            self.metrics.set_entries(self.store.approximate_count())
        return True

    def close(self) -> None:
        with contextlib.suppress(CacheUnavailableError):
            self.store.close()


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    return value


def _winner_code(result: dict[str, Any]) -> str | None:
    winner = result.get("winner")
    answers = result.get("answers") or []
    if isinstance(winner, dict) and isinstance(winner.get("index"), int) and winner["index"] < len(answers):
        code = answers[winner["index"]].get("code")
        return code if isinstance(code, str) else None
    return None


def _reason_label(reason: str) -> str:
    """Metric label of a rejection: `guard:<class>`, `examples`, `verdict` or `expired`."""
    head, _, rest = reason.partition(": ")
    if head == "guard":
        return "guard:" + rest.split(":", 1)[0]
    return head
