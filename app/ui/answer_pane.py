"""One provider's answer: header (name, model, ★, status chip, timings), code or streamed text, sandbox.

A view only: it shows the AnswerView / SandboxView / Chip it is given. Its size never depends on its
content (text scrolls inside fixed areas), so streaming never makes the window jump.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPlainTextEdit,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QWidget,
)

from app.bridge.views import AnswerView, Chip, PaneInit, SandboxView
from app.ui.highlighter import PythonHighlighter
from app.ui.theme import Theme, mono_font
from app.ui.widgets import ChipLabel, card, column, label, row, section_title, set_prop

__all__ = ["AnswerPane"]


def _text_area(name: str, *, wrap: bool) -> QPlainTextEdit:
    area = QPlainTextEdit()
    area.setObjectName(name)
    area.setReadOnly(True)
    area.setFont(mono_font(-0.5 if name == "sandboxOut" else 0.0))
    area.setLineWrapMode(
        QPlainTextEdit.LineWrapMode.WidgetWidth if wrap else QPlainTextEdit.LineWrapMode.NoWrap
    )
    area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    area.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return area


class AnswerPane(QFrame):
    compareToggled = Signal(int, bool)

    def __init__(self, pane: PaneInit, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card(self)
        self.setObjectName("answerPane")
        self.setMinimumWidth(260)
        self.index = pane.index
        self.provider = pane.provider
        self.theme = theme
        self.view: AnswerView | None = None

        self.chip = ChipLabel(Chip("idle", "ready"))
        self.model = label(pane.model, "muted")
        self.metrics = label("\u00a0", "metricsLine")
        self.code_view = _text_area("code", wrap=False)
        self.highlighter = PythonHighlighter(self.code_view.document(), theme)
        self.text_view = _text_area("stream", wrap=True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.code_view)
        self.stack.addWidget(self.text_view)
        self.sandbox_chip = ChipLabel(Chip("idle", "not run"))
        self.sandbox_summary = label("", "muted")
        self.sandbox_out = _text_area("sandboxOut", wrap=True)
        layout = column(
            self._header(pane), self.model, self._switch(), spacing=6, margins=(12, 10, 12, 12), parent=self
        )
        layout.addWidget(self.stack, 3)
        layout.addLayout(row(section_title("Sandbox"), self.sandbox_chip, self.sandbox_summary, 1))
        layout.addWidget(self.sandbox_out, 1)
        self.reset(pane)

    def _header(self, pane: PaneInit) -> QHBoxLayout:
        self.title = label(pane.provider, "paneTitle")
        self.star = label("", "star")
        self.compare = QToolButton()
        self.compare.setObjectName("link")
        self.compare.setText("\u21c6")
        self.compare.setCheckable(True)
        self.compare.setToolTip("Select two answers to compare their code (Ctrl+D)")
        self.compare.toggled.connect(lambda on: self.compareToggled.emit(self.index, on))
        return row(self.title, self.star, 1, self.compare, self.chip)

    def _switch(self) -> QHBoxLayout:
        self.code_button = self._segment("Code")
        self.text_button = self._segment("Answer")
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.code_button, 0)
        group.addButton(self.text_button, 1)
        group.idClicked.connect(self._show)
        return row(self.code_button, self.text_button, 1, self.metrics, spacing=2)

    def _segment(self, text: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName("segment")
        button.setText(text)
        button.setCheckable(True)
        return button

    def _show(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        (self.code_button if page == 0 else self.text_button).setChecked(True)

    # -- driven by the run model ---------------------------------------------------------------------
    def reset(self, pane: PaneInit) -> None:
        self.provider = pane.provider
        self.title.setText(pane.provider)
        self.model.setText(pane.model or "\u00a0")
        self.view = None
        self.star.setText("")
        set_prop(self, "winner", "")
        self.metrics.setText("\u00a0")
        self.code_view.clear()
        self.text_view.clear()
        self.code_button.setEnabled(False)
        self._show(1)
        self.sandbox_out.clear()
        self.sandbox_chip.set_chip(Chip("idle", "not run"))
        self.sandbox_summary.setText("")

    def set_chip(self, chip: Chip) -> None:
        self.chip.set_chip(chip)

    def append_text(self, text: str) -> None:
        bar = self.text_view.verticalScrollBar()
        follow = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(self.text_view.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        if follow:
            bar.setValue(bar.maximum())

    def reset_text(self) -> None:
        self.text_view.clear()

    def set_answer(self, view: AnswerView) -> None:
        self.view = view
        self.chip.set_chip(view.chip)
        if view.model:
            self.model.setText(view.model)
        self.metrics.setText(view.metrics or "\u00a0")
        body = view.text if view.text.strip() else ""
        if view.error and not view.usable:
            body = f"\u26a0 {view.error}" + (f"\n\n{body}" if body else "")
        self.text_view.setPlainText(body)
        if view.code:
            self.code_view.setPlainText(view.code.rstrip("\n"))
            self.code_button.setEnabled(True)
            self._show(0)
        else:
            self.code_view.setPlainText("# no Python code in this answer" if view.usable else "")
            self.code_button.setEnabled(view.usable)
            self._show(1)
        self.model.setToolTip(view.error or "")

    def set_sandbox_running(self) -> None:
        self.sandbox_chip.set_chip(Chip("busy", "running"))
        self.sandbox_summary.setText("")

    def set_sandbox(self, view: SandboxView) -> None:
        self.sandbox_chip.set_chip(view.chip)
        self.sandbox_summary.setText(view.summary)
        self.sandbox_out.clear()
        cursor = QTextCursor(self.sandbox_out.document())
        plain = QTextCharFormat()
        error = QTextCharFormat()
        error.setForeground(QColor(self.theme.error))
        muted = QTextCharFormat()
        muted.setForeground(QColor(self.theme.muted))
        if view.stdout:
            cursor.insertText(view.stdout, plain)
        if view.stderr:
            if view.stdout and not view.stdout.endswith("\n"):
                cursor.insertText("\n", plain)
            cursor.insertText(view.stderr, error)
        if not view.stdout and not view.stderr:
            cursor.insertText("(no output)", muted)
        if view.truncated:
            cursor.insertText("\n[output truncated]", muted)

    def set_winner(self, role: str) -> None:
        """ "winner" (the judge's pick), "agrees" (same behaviour as the winner), "best" (disputed pick)."""
        self.star.setText("\u2605" if role else "")
        self.star.setToolTip(
            {"winner": "the judge's pick", "agrees": "behaves like the winner", "best": "best guess"}.get(
                role, ""
            )
        )
        set_prop(self.star, "best", role == "best")
        set_prop(self, "winner", "true" if role == "winner" else ("best" if role == "best" else ""))

    def set_compare(self, on: bool) -> None:
        self.compare.setChecked(on)
        set_prop(self, "compare", on)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.highlighter.set_theme(theme)

    def code(self) -> str:
        return self.view.code or "" if self.view is not None else ""
