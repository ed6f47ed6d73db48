"""Prometheus instruments, all registered on a CollectorRegistry the caller injects.

Nothing is created at import time and the global default REGISTRY is never touched: each `Metrics` owns
its instruments on its registry, so tests (and several pipelines in one process) never collide.
"""

from __future__ import annotations

from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = ["BREAKER_LEVELS", "LATENCY_BUCKETS_S", "SANDBOX_BUCKETS_S", "CacheResult", "Metrics"]

# LLM calls: from a cached local reply (tens of ms) to a slow remote answer (a minute).
LATENCY_BUCKETS_S = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 120.0)
TTFT_BUCKETS_S = (0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3.0, 6.0, 12.0, 30.0)
SANDBOX_BUCKETS_S = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
BREAKER_LEVELS = {"closed": 0, "half_open": 1, "open": 2}
CacheResult = Literal["miss", "exact", "semantic"]


class Metrics:
    """The pipeline's instruments. Methods take seconds (Prometheus convention) and plain label values."""

    def __init__(self, registry: CollectorRegistry, *, namespace: str = "quorum") -> None:
        self.registry = registry
        ns = namespace
        self.provider_latency = Histogram(
            "provider_request_seconds",
            "Duration of one provider request (each attempt), by provider.",
            ["provider"],
            namespace=ns,
            registry=registry,
            buckets=LATENCY_BUCKETS_S,
        )
        self.time_to_first_token = Histogram(
            "provider_time_to_first_token_seconds",
            "Time from request to the first streamed text, by provider.",
            ["provider"],
            namespace=ns,
            registry=registry,
            buckets=TTFT_BUCKETS_S,
        )
        self.answers = Counter(
            "answers",
            "Answers reported, by provider (the one asked) and status.",
            ["provider", "status"],
            namespace=ns,
            registry=registry,
        )
        self.retries = Counter(
            "provider_retries",
            "Retries of provider requests, by provider.",
            ["provider"],
            namespace=ns,
            registry=registry,
        )
        self.fallbacks = Counter(
            "provider_fallbacks",
            "Times a fallback answered in a provider's place.",
            ["provider", "fallback"],
            namespace=ns,
            registry=registry,
        )
        self.breaker_state = Gauge(
            "circuit_breaker_state",
            "Circuit breaker state by provider: 0 closed, 1 half-open, 2 open.",
            ["provider"],
            namespace=ns,
            registry=registry,
        )
        self.sandbox_duration = Histogram(
            "sandbox_duration_seconds",
            "Duration of one sandboxed run, by its status.",
            ["status"],
            namespace=ns,
            registry=registry,
            buckets=SANDBOX_BUCKETS_S,
        )
        self.verdicts = Counter(
            "verdicts",
            "Verdicts given, by verdict.",
            ["verdict"],
            namespace=ns,
            registry=registry,
        )
        self.end_to_end = Histogram(
            "end_to_end_seconds",
            "From prompt to verdict (cache hits included).",
            namespace=ns,
            registry=registry,
            buckets=LATENCY_BUCKETS_S,
        )
        self.cache_lookups = Counter(
            "cache_lookups",
            "Cache lookups, by result (miss, exact, semantic).",
            ["result"],
            namespace=ns,
            registry=registry,
        )

    def observe_request(self, provider: str, seconds: float) -> None:
        self.provider_latency.labels(provider=provider).observe(max(0.0, seconds))

    def observe_ttft(self, provider: str, seconds: float) -> None:
        self.time_to_first_token.labels(provider=provider).observe(max(0.0, seconds))

    def count_answer(self, provider: str, status: str) -> None:
        self.answers.labels(provider=provider, status=status).inc()

    def count_retry(self, provider: str) -> None:
        self.retries.labels(provider=provider).inc()

    def count_fallback(self, provider: str, fallback: str) -> None:
        self.fallbacks.labels(provider=provider, fallback=fallback).inc()

    def set_breaker_state(self, provider: str, state: str) -> None:
        try:
            level = BREAKER_LEVELS[state]
        except KeyError:
            raise ValueError(f"unknown breaker state {state!r}") from None
        self.breaker_state.labels(provider=provider).set(level)

    def observe_sandbox(self, status: str, seconds: float) -> None:
        self.sandbox_duration.labels(status=status).observe(max(0.0, seconds))

    def count_verdict(self, verdict: str) -> None:
        self.verdicts.labels(verdict=verdict).inc()

    def observe_end_to_end(self, seconds: float) -> None:
        self.end_to_end.observe(max(0.0, seconds))

    def count_cache_lookup(self, result: CacheResult) -> None:
        self.cache_lookups.labels(result=result).inc()
