"""Series for the live charts, read from the pipeline's Prometheus instruments and from run events.

- latency per provider over time: each answer's latency as it arrives (event-driven, one point each);
- cache hit rate: `quorum_cache_lookups_total{result=exact|semantic|miss}`, sampled, cumulative %;
- verdict mix: `quorum_verdicts_total{verdict=...}`.

Counters are read with one `collect()` pass (well under a millisecond). When the session reopens its
pipeline on a fresh registry, the counts so far are carried over, so the charts never jump back to zero.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from app.bridge.views import AnswerView

__all__ = ["VERDICTS", "MetricsFeed", "Series"]

VERDICTS = ("verified", "disputed", "failed", "no_answers")
_CACHE_HITS = ("exact", "semantic")


@dataclass
class Series:
    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)

    def add(self, x: float, y: float, limit: int) -> None:
        self.xs.append(x)
        self.ys.append(y)
        if len(self.xs) > limit:
            del self.xs[: len(self.xs) - limit]
            del self.ys[: len(self.ys) - limit]


class MetricsFeed(QObject):
    latencyChanged = Signal()
    cacheChanged = Signal()
    verdictsChanged = Signal()

    def __init__(self, *, poll_ms: int = 2000, limit: int = 500, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.latency: dict[str, Series] = {}
        self.cache_rate = Series()
        self.cache_lookups = 0
        self.cache_hits = 0
        self.verdicts: dict[str, int] = dict.fromkeys(VERDICTS, 0)
        self._registry: CollectorRegistry | None = None
        self._base: dict[str, float] = {}  # counts from registries we served before
        self._last: dict[str, float] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.poll)

    def attach(self, registry: CollectorRegistry | None) -> None:
        """Read counters from `registry` from now on (None: stop reading)."""
        if registry is self._registry:
            return
        for key, value in self._last.items():
            self._base[key] = self._base.get(key, 0.0) + value
        self._last = {}
        self._registry = registry
        if registry is None:
            self._timer.stop()
        else:
            self._timer.start()
            self.poll()

    def add_answer(self, view: AnswerView) -> None:
        if view.latency_ms <= 0:
            return
        series = self.latency.setdefault(view.provider, Series())
        series.add(self.now(), view.latency_ms / 1000, self.limit)
        self.latencyChanged.emit()

    def now(self) -> float:
        """Wall-clock seconds (the charts' time axis shows them as clock times)."""
        return time.time()

    def poll(self) -> None:
        if self._registry is None:
            return
        current = _counter_values(self._registry)
        self._last = current
        totals = {key: self._base.get(key, 0.0) + current.get(key, 0.0) for key in {*self._base, *current}}
        lookups = int(sum(value for key, value in totals.items() if key.startswith("cache:")))
        hits = int(sum(totals.get(f"cache:{kind}", 0.0) for kind in _CACHE_HITS))
        if lookups != self.cache_lookups:
            self.cache_lookups, self.cache_hits = lookups, hits
            self.cache_rate.add(self.now(), 100.0 * hits / lookups if lookups else 0.0, self.limit)
            self.cacheChanged.emit()
        verdicts = {name: int(totals.get(f"verdict:{name}", 0.0)) for name in VERDICTS}
        if verdicts != self.verdicts:
            self.verdicts = verdicts
            self.verdictsChanged.emit()

    @property
    def hit_rate(self) -> float | None:
        return 100.0 * self.cache_hits / self.cache_lookups if self.cache_lookups else None


def _counter_values(registry: CollectorRegistry) -> dict[str, float]:
    values: dict[str, float] = {}
    for metric in registry.collect():
        if metric.name == "quorum_cache_lookups":
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    values[f"cache:{sample.labels.get('result', '')}"] = sample.value
        elif metric.name == "quorum_verdicts":
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    values[f"verdict:{sample.labels.get('verdict', '')}"] = sample.value
    return values
