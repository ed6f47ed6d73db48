"""Cache instruments: lookups by result, guard rejections by reason, lookup latency, entries.

Registered on the registry the caller injects (never the global one). With a pipeline's `Metrics`,
lookups go to its existing `quorum_cache_lookups_total{result}` counter.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

if TYPE_CHECKING:
    from app.metrics.instruments import CacheResult, Metrics

__all__ = ["LOOKUP_BUCKETS_S", "CacheMetrics"]

_per_registry: weakref.WeakKeyDictionary[CollectorRegistry, CacheMetrics] = weakref.WeakKeyDictionary()
LOOKUP_BUCKETS_S = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class CacheMetrics:
    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        namespace: str = "quorum",
        count_lookup: Callable[[CacheResult], None] | None = None,
    ) -> None:
        if count_lookup is None:
            lookups = Counter(
                "cache_lookups",
                "Cache lookups, by result (miss, exact, semantic).",
                ["result"],
                namespace=namespace,
                registry=registry,
            )

            def count(result: CacheResult) -> None:
                lookups.labels(result=result).inc()

            count_lookup = count
        self._count_lookup = count_lookup
        self.rejections = Counter(
            "cache_rejections",
            "Semantic candidates refused, by reason (guard class, examples, verdict, expired).",
            ["reason"],
            namespace=namespace,
            registry=registry,
        )
        self.lookup_seconds = Histogram(
            "cache_lookup_seconds",
            "Duration of a cache lookup (embedding and example re-check included), by result.",
            ["result"],
            namespace=namespace,
            registry=registry,
            buckets=LOOKUP_BUCKETS_S,
        )
        self.entries = Gauge("cache_entries", "Entries in the cache.", namespace=namespace, registry=registry)

    @classmethod
    def for_pipeline(cls, metrics: Metrics) -> CacheMetrics:
        """One set per registry: reopening a cache (new settings, a test) must not register twice."""
        existing = _per_registry.get(metrics.registry)
        if existing is None:
            existing = cls(metrics.registry, count_lookup=metrics.count_cache_lookup)
            _per_registry[metrics.registry] = existing
        return existing

    def observe_lookup(self, result: CacheResult, seconds: float) -> None:
        self._count_lookup(result)
        self.lookup_seconds.labels(result=result).observe(max(0.0, seconds))

    def count_rejection(self, reason: str) -> None:
        self.rejections.labels(reason=reason).inc()

    def set_entries(self, count: int) -> None:
        self.entries.set(count)
