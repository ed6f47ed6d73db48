"""The status bar (metrics URL, cache, sandbox, providers, errors) and the error panel it opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QStatusBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.bridge.errors import ErrorReporter, ReportedError
from app.bridge.health import ProviderHealth, SessionInfo
from app.bridge.metrics_feed import MetricsFeed
from app.ui.theme import mono_font

__all__ = ["ErrorPanel", "QuorumStatusBar"]


class ErrorPanel(QDialog):
    """Every error reported since start, newest first, with its traceback."""

    def __init__(self, errors: ErrorReporter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Errors")
        self.resize(820, 480)
        self.errors = errors
        self.list = QListWidget()
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setFont(mono_font())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._show)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        self.list.addItems([entry.summary for entry in reversed(self.errors.errors)])
        if self.list.count():
            self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        entries = list(reversed(self.errors.errors))
        self.details.setPlainText(entries[row].details if 0 <= row < len(entries) else "")


class QuorumStatusBar(QStatusBar):
    def __init__(self, errors: ErrorReporter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = errors
        self.metrics = QLabel("metrics: \u2026")
        self.metrics.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cache = QLabel("cache: \u2026")
        self.sandbox = QLabel("sandbox: \u2026")
        self.providers = QLabel("providers: \u2026")
        self.error_button = QToolButton()
        self.error_button.setObjectName("link")
        self.error_button.hide()
        self.error_button.clicked.connect(self.show_errors)
        for widget in (self.metrics, self.cache, self.sandbox, self.providers):
            self.addPermanentWidget(widget)
        self.addPermanentWidget(self.error_button)
        self.setSizeGripEnabled(False)
        errors.reported.connect(self._reported)
        self._panel: ErrorPanel | None = None
        self._cache_state = "off"
        self._feed: MetricsFeed | None = None

    def set_info(self, info: SessionInfo) -> None:
        if info.metrics_url:
            self.metrics.setText(f"metrics: {info.metrics_url}")
            self.metrics.setToolTip("Prometheus endpoint: curl it while Quorum runs")
        elif info.metrics_error:
            self.metrics.setText("metrics: unavailable")
            self.metrics.setToolTip(info.metrics_error)
        else:
            self.metrics.setText("metrics: off")
            self.metrics.setToolTip("set [metrics] port, or start with --metrics-port N")
        self.sandbox.setText(f"sandbox: {info.sandbox}")
        self.sandbox.setToolTip("\n".join(info.sandbox_warnings) or "fully isolated")

    def set_health(self, health: list[ProviderHealth]) -> None:
        usable = sum(1 for entry in health if entry.state in ("ok", "ready"))
        degraded = sum(1 for entry in health if entry.state == "degraded")
        text = f"{usable} provider{'s' if usable != 1 else ''} ok"
        if degraded:
            text += f", {degraded} degraded"
        down = len(health) - usable - degraded
        if down:
            text += f", {down} down"
        self.providers.setText(text)

    def set_cache(self, feed: MetricsFeed | None = None, state: str | None = None) -> None:
        if state is not None:
            self._cache_state = state
        if feed is not None:
            self._feed = feed
        state = self._cache_state
        rate = self._feed.hit_rate if self._feed is not None else None
        if state == "off":
            text, tip = "cache: off", "[cache] enabled = false"
        elif state == "loading":
            text, tip = "cache: loading model\u2026", "the embedding model loads in the background"
        elif state.startswith("exact only"):
            text, tip = "cache: exact repeats only", state.partition(": ")[2]
        else:
            text, tip = "cache: ready", "semantic cache: similar prompts are answered from it"
        if rate is not None and self._feed is not None:
            text += f" \u00b7 {rate:.0f}% hits of {self._feed.cache_lookups}"
        self.cache.setText(text)
        self.cache.setToolTip(tip)

    def set_opening(self, text: str) -> None:
        self.providers.setText(text)

    def _reported(self, error: ReportedError) -> None:
        count = len(self.errors.errors)
        self.error_button.setText(f"\u26a0 {count} error{'s' if count != 1 else ''}")
        self.error_button.setToolTip(error.summary)
        self.error_button.show()
        self.showMessage(f"\u26a0 {error.summary}", 15000)
        if self._panel is not None and self._panel.isVisible():
            self._panel.refresh()

    def show_errors(self) -> None:
        if self._panel is None:
            self._panel = ErrorPanel(self.errors, self.window())
        self._panel.refresh()
        self._panel.show()
        self._panel.raise_()
