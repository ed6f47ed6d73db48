"""Live charts (pyqtgraph): latency per provider over time, cache hit rate, verdict mix.

The plots read the MetricsFeed's series and redraw only when a series changed (a few times per run),
with `setData` on existing items: no re-creation, no auto-range animation, so nothing stutters.
pyqtgraph is imported lazily (the session preloads it off the GUI thread); until then the cards show
their titles only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from app.bridge.metrics_feed import VERDICTS, MetricsFeed
from app.ui.theme import Theme
from app.ui.widgets import card, section_title

if TYPE_CHECKING:
    import pyqtgraph

__all__ = ["ChartsPanel"]

_VERDICT_LABELS = {"verified": "verified", "disputed": "disputed", "failed": "failed", "no_answers": "none"}


class _ChartCard(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        card(self)
        self.note = QLabel("")
        self.note.setObjectName("muted")
        header = QHBoxLayout()
        header.addWidget(section_title(title))
        header.addStretch(1)
        header.addWidget(self.note)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(10, 8, 10, 6)
        self.body.setSpacing(2)
        self.body.addLayout(header)
        self.setMinimumHeight(150)


class ChartsPanel(QSplitter):
    def __init__(self, feed: MetricsFeed, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setChildrenCollapsible(False)
        self.setHandleWidth(8)
        self.feed = feed
        self.theme = theme
        self.latency_card = _ChartCard("Latency by provider (s)")
        self.cache_card = _ChartCard("Cache hit rate")
        self.verdict_card = _ChartCard("Verdicts")
        for widget in (self.latency_card, self.cache_card, self.verdict_card):
            self.addWidget(widget)
        self.setSizes([520, 300, 300])
        self.built = False
        self._pg: Any = None
        self._curves: dict[str, Any] = {}
        self._plots: list[Any] = []
        self._cache_curve: Any = None
        self._bars: Any = None
        self.cache_card.note.setText("no lookups yet")
        self.redraw_delay_ms = 150
        self._pending: set[str] = set()
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.timeout.connect(self._redraw_one)

    def build(self) -> None:
        """Create the plots, one per event-loop turn (each takes a few tens of ms), then start drawing.
        pyqtgraph must be importable without delay: the session preloads it off the GUI thread."""
        if self.built:
            return
        import pyqtgraph as pg

        if self._pg is None:
            self._pg = pg
            pg.setConfigOptions(antialias=True, foreground=self.theme.muted, background=None)
        steps = [self._build_latency, self._build_cache, self._build_verdicts]
        steps[len(self._plots)]()
        if len(self._plots) < len(steps):
            QTimer.singleShot(0, self.build)
            return
        self.built = True
        self.feed.latencyChanged.connect(lambda: self._request("latency"))
        self.feed.cacheChanged.connect(lambda: self._request("cache"))
        self.feed.verdictsChanged.connect(lambda: self._request("verdicts"))
        for kind in ("latency", "cache", "verdicts"):
            self._request(kind)

    def _build_latency(self) -> None:
        self.latency_plot = self._plot(self.latency_card, time_axis=True)
        self.latency_plot.addLegend(offset=(6, 2), labelTextSize="8pt", colCount=4)

    def _build_cache(self) -> None:
        pg = self._pg
        self.cache_plot = self._plot(self.cache_card, time_axis=True)
        self._cache_empty = pg.TextItem("no cache lookups yet", color=self.theme.muted, anchor=(0.5, 0.5))
        self.cache_plot.addItem(self._cache_empty, ignoreBounds=True)
        self.cache_plot.setYRange(0, 100, padding=0.05)
        self.cache_plot.getViewBox().setLimits(yMin=0, yMax=100)
        self.cache_plot.getViewBox().enableAutoRange(axis="y", enable=False)
        self._cache_curve = self.cache_plot.plot(
            [], [], pen=pg.mkPen(self.theme.accent, width=2), symbol="o", symbolSize=6,
            symbolBrush=self.theme.accent, symbolPen=None,
        )  # fmt: skip

    def _build_verdicts(self) -> None:
        self.verdict_plot = self._plot(self.verdict_card)
        ticks = [(i, _VERDICT_LABELS[v]) for i, v in enumerate(VERDICTS)]
        self.verdict_plot.getAxis("bottom").setTicks([ticks])
        self.verdict_plot.setXRange(-0.6, len(VERDICTS) - 0.4, padding=0)
        self.verdict_plot.getViewBox().setMouseEnabled(x=False, y=False)
        count = len(VERDICTS)
        self._bars = self._pg.BarGraphItem(x=list(range(count)), height=[0] * count, width=0.6)
        self.verdict_plot.addItem(self._bars)

    def _request(self, kind: str) -> None:
        """Redraw soon, coalesced: answers arriving together cost one redraw, one chart per loop turn."""
        self._pending.add(kind)
        if not self._redraw.isActive():
            self._redraw.start(self.redraw_delay_ms)

    def _redraw_one(self) -> None:
        if not self._pending:
            return
        kind = next(k for k in ("latency", "cache", "verdicts") if k in self._pending)
        self._pending.discard(kind)
        {"latency": self.update_latency, "cache": self.update_cache, "verdicts": self.update_verdicts}[kind]()
        if self._pending:
            self._redraw.start(0)

    def _plot(self, target: _ChartCard, *, time_axis: bool = False) -> pyqtgraph.PlotWidget:
        pg = self._pg
        axes = {"bottom": pg.DateAxisItem(orientation="bottom")} if time_axis else None
        widget = pg.PlotWidget(axisItems=axes)
        widget.setBackground(None)
        widget.setMenuEnabled(False)
        widget.hideButtons()
        widget.showGrid(x=False, y=True, alpha=0.18)
        widget.setMinimumHeight(110)
        for name in ("left", "bottom"):
            axis = widget.getAxis(name)
            axis.setPen(pg.mkPen(self.theme.border))
            axis.setTextPen(pg.mkPen(self.theme.muted))
        widget.getViewBox().setDefaultPadding(0.08)
        target.body.addWidget(widget, 1)
        self._plots.append(widget)
        return widget

    def update_latency(self) -> None:
        if not self.built:
            return
        pg = self._pg
        top = 0.0
        for provider, series in self.feed.latency.items():
            curve = self._curves.get(provider)
            colour = self.theme.series[len(self._curves) % len(self.theme.series)]
            if curve is None:
                curve = self.latency_plot.plot(
                    [], [], name=provider, pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=6,
                    symbolBrush=colour, symbolPen=None,
                )  # fmt: skip
                self._curves[provider] = curve
            curve.setData(series.xs, series.ys)
            top = max([top, *series.ys])
        self.latency_plot.setYRange(0, max(top, 0.01) * 1.5, padding=0)
        _follow(self.latency_plot, [x for series in self.feed.latency.values() for x in series.xs])
        count = sum(len(series.xs) for series in self.feed.latency.values())
        self.latency_card.note.setText(f"{count} answers" if count else "no answers yet")

    def update_cache(self) -> None:
        if not self.built:
            return
        series = self.feed.cache_rate
        self._cache_curve.setData(series.xs, series.ys)
        self._cache_empty.setVisible(not series.xs)
        _follow(self.cache_plot, series.xs)
        if not series.xs:
            left, right = self.cache_plot.getViewBox().viewRange()[0]
            self._cache_empty.setPos((left + right) / 2, 50)
        rate = self.feed.hit_rate
        if rate is None:
            self.cache_card.note.setText("no lookups yet")
        else:
            self.cache_card.note.setText(f"{rate:.0f}% of {self.feed.cache_lookups} lookups")

    def update_verdicts(self) -> None:
        if not self.built:
            return
        colours = {
            "verified": self.theme.ok,
            "disputed": self.theme.warn,
            "failed": self.theme.error,
            "no_answers": self.theme.muted,
        }
        heights = [self.feed.verdicts.get(name, 0) for name in VERDICTS]
        brushes = [QColor(colours[name]) for name in VERDICTS]
        self._bars.setOpts(height=heights, brushes=brushes, pens=[None] * len(VERDICTS))
        top = max(1, *heights)
        step = max(1, round(top / 4))
        self.verdict_plot.getAxis("left").setTicks([[(n, str(n)) for n in range(0, top + 1, step)], []])
        self.verdict_plot.setYRange(0, top * 1.15, padding=0)
        total = sum(heights)
        self.verdict_card.note.setText(
            f"{total} run{'s' if total != 1 else ''}" if total else "no verdicts yet"
        )

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        if not self.built:
            return
        pg = self._pg
        for widget in self._plots:
            for name in ("left", "bottom"):
                axis = widget.getAxis(name)
                axis.setPen(pg.mkPen(theme.border))
                axis.setTextPen(pg.mkPen(theme.muted))
        for number, provider in enumerate(self._curves):
            colour = theme.series[number % len(theme.series)]
            self._curves[provider].setPen(pg.mkPen(colour, width=2))
            self._curves[provider].setSymbolBrush(colour)
        self._cache_curve.setPen(pg.mkPen(theme.accent, width=2))
        self._cache_curve.setSymbolBrush(theme.accent)
        self.update_verdicts()


def _follow(plot: Any, xs: list[float], window_s: float = 90.0) -> None:
    """A time axis that shows at least the last `window_s` seconds, so it reads as clock times."""
    import time

    if not xs:
        now = time.time()
        plot.setXRange(now - window_s, now, padding=0)
        return
    first, last = min(xs), max(xs)
    if last - first < window_s:
        plot.setXRange(last - window_s + 5, last + 5, padding=0)
    else:
        plot.setXRange(first, last, padding=0.04)
