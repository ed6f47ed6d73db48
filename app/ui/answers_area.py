"""The answer panes side by side, in a resizable splitter, driven by the run model's signals.

Panes are kept between runs when the providers are the same (no rebuild, no flicker); they are rebuilt
only when the set of providers changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app.bridge.run_model import RunModel
from app.bridge.views import AnswerView, Chip, PaneInit, SandboxView, VerdictView
from app.ui.answer_pane import AnswerPane
from app.ui.theme import Theme

__all__ = ["AnswersArea"]


class AnswersArea(QWidget):
    compareRequested = Signal(int, int)  # two pane indexes

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.panes: list[AnswerPane] = []
        self._compare: list[int] = []
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(8)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.splitter)
        self.placeholder = QLabel("Answers appear here, side by side, as the providers stream them.")
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.scroller)
        self.scroller.hide()

    def connect_model(self, model: RunModel) -> None:
        model.started.connect(self.set_panes)
        model.textAppended.connect(self._append)
        model.textReset.connect(self._reset_text)
        model.chipChanged.connect(self._chip)
        model.answerReady.connect(self._answer)
        model.sandboxStarted.connect(self._sandbox_started)
        model.sandboxReady.connect(self._sandbox)
        model.verdictReady.connect(self.show_verdict)

    def set_panes(self, panes: list[PaneInit]) -> None:
        same = [pane.provider for pane in self.panes] == [pane.provider for pane in panes]
        if same:
            for widget, pane in zip(self.panes, panes, strict=True):
                widget.reset(pane)
        else:
            for widget in self.panes:
                widget.setParent(None)
                widget.deleteLater()
            self.panes = []
            for pane in panes:
                widget = AnswerPane(pane, self.theme)
                widget.compareToggled.connect(self._compare_toggled)
                self.splitter.addWidget(widget)
                self.panes.append(widget)
            if panes:
                self.splitter.setSizes([1000] * len(panes))
        self._compare = []
        for widget in self.panes:
            widget.set_compare(False)
        self.placeholder.setVisible(not panes)
        self.scroller.setVisible(bool(panes))
        self.splitter.setMinimumWidth(len(panes) * 270)

    def pane(self, index: int) -> AnswerPane | None:
        return self.panes[index] if 0 <= index < len(self.panes) else None

    def _append(self, index: int, text: str) -> None:
        if (pane := self.pane(index)) is not None:
            pane.append_text(text)

    def _reset_text(self, index: int) -> None:
        if (pane := self.pane(index)) is not None:
            pane.reset_text()

    def _chip(self, index: int, chip: Chip) -> None:
        if (pane := self.pane(index)) is not None:
            pane.set_chip(chip)

    def _answer(self, index: int, view: AnswerView) -> None:
        if (pane := self.pane(index)) is not None:
            pane.set_answer(view)

    def _sandbox_started(self, index: int) -> None:
        if (pane := self.pane(index)) is not None:
            pane.set_sandbox_running()

    def _sandbox(self, index: int, view: SandboxView) -> None:
        if (pane := self.pane(index)) is not None:
            pane.set_sandbox(view)

    def show_verdict(self, verdict: VerdictView) -> None:
        for pane in self.panes:
            role = ""
            if pane.index == verdict.winner:
                role = "winner" if verdict.verdict == "verified" else "best"
            elif verdict.verdict == "verified" and pane.index in verdict.winning_cluster:
                role = "agrees"
            pane.set_winner(role)

    def _compare_toggled(self, index: int, on: bool) -> None:
        if on and index not in self._compare:
            self._compare.append(index)
        elif not on and index in self._compare:
            self._compare.remove(index)
        if (pane := self.pane(index)) is not None:
            pane.set_compare(on)
        if len(self._compare) == 2:
            first, second = self._compare
            self._compare = []
            for widget in self.panes:
                widget.set_compare(False)
            self.compareRequested.emit(first, second)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        for pane in self.panes:
            pane.set_theme(theme)
