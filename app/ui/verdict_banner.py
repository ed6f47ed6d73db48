"""The verdict banner: the first thing the eye finds. Colour by verdict, confidence, one sentence of why
(with the counterexample), who agrees, and the actions on the result (copy code, diff, export)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from app.bridge.views import VerdictView
from app.ui.widgets import column, label, row, set_prop

__all__ = ["VerdictBanner"]


class VerdictBanner(QFrame):
    copyRequested = Signal()
    diffRequested = Signal()
    exportJsonRequested = Signal()
    exportMarkdownRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setMinimumHeight(112)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.title = label("READY", "bannerTitle")
        self.confidence = label("", "confidence")
        self.headline = label("", "headline", wrap=True, selectable=True)
        self.detail = label("", "detail", wrap=True, selectable=True)
        self.clusters = row(spacing=6)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(3)
        self.progress.hide()
        top = row(self.title, self.confidence, 1, *self._buttons(), spacing=10)
        column(
            top,
            self.headline,
            row(self.clusters, 1),
            self.detail,
            1,
            self.progress,
            spacing=4,
            margins=(16, 10, 14, 8),
            parent=self,
        )
        self.show_state("idle", "Type a coding prompt and press Ctrl+Enter.")

    def _buttons(self) -> tuple[QWidget, ...]:
        self.copy_button = QPushButton("Copy code")
        self.copy_button.setToolTip("Copy the winning answer's code (Ctrl+Shift+C)")
        self.copy_button.clicked.connect(self.copyRequested)
        self.diff_button = QPushButton("Diff")
        self.diff_button.setToolTip("Compare two answers' code side by side (Ctrl+D)")
        self.diff_button.clicked.connect(self.diffRequested)
        self.export_button = QToolButton()
        self.export_button.setText("Export \u25be")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        menu.addAction("Run as JSON\u2026", self.exportJsonRequested.emit)
        menu.addAction("Report as Markdown\u2026", self.exportMarkdownRequested.emit)
        self.export_button.setMenu(menu)
        return self.copy_button, self.diff_button, self.export_button

    def _set_actions(self, enabled: bool) -> None:
        for button in (self.copy_button, self.diff_button, self.export_button):
            button.setEnabled(enabled)

    def _set_verdict(self, verdict: str) -> None:
        set_prop(self, "verdict", verdict)
        set_prop(self.title, "verdict", verdict)

    def _clear_clusters(self) -> None:
        while self.clusters.count():
            item = self.clusters.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def show_state(self, state: str, text: str, detail: str = "") -> None:
        """Not a verdict: idle, running (with progress), cancelled, error."""
        titles = {"idle": "READY", "running": "RUNNING", "cancelled": "CANCELLED", "error": "COULD NOT RUN"}
        self._set_verdict(state)
        self.title.setText(titles.get(state, state.upper()))
        self.confidence.setText("")
        self.headline.setText(text)
        self.detail.setText(detail)
        self.setToolTip("")
        self._clear_clusters()
        self.progress.setVisible(state == "running")
        self._set_actions(False)

    def set_progress(self, text: str) -> None:
        if self.property("verdict") == "running":
            self.detail.setText(text)

    def show_verdict(self, view: VerdictView, *, has_code: bool) -> None:
        self._set_verdict(view.verdict)
        self.title.setText(view.title)
        self.confidence.setText(f"\u00b7 confidence {view.confidence:.2f}")
        self.headline.setText(view.headline)
        self.setToolTip(view.explanation)
        self._clear_clusters()
        if len(view.clusters) > 1 or (view.clusters and len(view.clusters[0]) > 1):
            label = QLabel("who agrees:")
            label.setObjectName("detail")
            self.clusters.addWidget(label)
            for number, group in enumerate(view.clusters):
                chip = QLabel(" \u00b7 ".join(group))
                chip.setObjectName("cluster")
                chip.setProperty("winning", number == 0 and view.winner is not None)
                self.clusters.addWidget(chip)
        extra = [f"{call} \u2192 {outputs}" for call, outputs in view.counterexamples[1:2]]
        self.detail.setText("   ".join([*extra, view.footer]))
        self.progress.hide()
        self._set_actions(True)
        self.copy_button.setEnabled(has_code)
