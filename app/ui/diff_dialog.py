"""Side-by-side diff of two answers' code: pick the two answers, optionally show only the changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.bridge.diff import DiffRow, side_by_side
from app.ui.theme import Theme, mono_font

__all__ = ["DiffDialog"]


def _side() -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName("code")
    view.setReadOnly(True)
    view.setFont(mono_font())
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return view


class DiffDialog(QDialog):
    def __init__(
        self,
        names: list[str],
        code_of: Callable[[int], str],
        theme: Theme,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare answers")
        self.resize(1100, 640)
        self.code_of = code_of
        self.theme = theme
        self.left_pick = QComboBox()
        self.right_pick = QComboBox()
        for combo in (self.left_pick, self.right_pick):
            combo.addItems(names)
            combo.currentIndexChanged.connect(self.refresh)
        self.only_changes = QCheckBox("Only differences")
        self.only_changes.toggled.connect(self.refresh)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        self.left = _side()
        self.right = _side()
        self.left.verticalScrollBar().valueChanged.connect(self.right.verticalScrollBar().setValue)
        self.right.verticalScrollBar().valueChanged.connect(self.left.verticalScrollBar().setValue)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.left)
        splitter.addWidget(self.right)
        top = QHBoxLayout()
        top.addWidget(self.left_pick, 1)
        top.addWidget(QLabel("\u21c6"))
        top.addWidget(self.right_pick, 1)
        top.addWidget(self.only_changes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

    def compare(self, first: int, second: int) -> None:
        self.left_pick.setCurrentIndex(first)
        self.right_pick.setCurrentIndex(second)
        self.refresh()

    def refresh(self) -> None:
        diff = side_by_side(
            self.code_of(self.left_pick.currentIndex()),
            self.code_of(self.right_pick.currentIndex()),
            only_changes=self.only_changes.isChecked(),
        )
        if diff.identical:
            self.summary.setText("The two answers' code is identical.")
        else:
            self.summary.setText(
                f"+{diff.added} added \u00b7 \u2212{diff.removed} removed \u00b7 ~{diff.changed} changed"
                f" \u00b7 {diff.similarity:.0%} similar"
            )
        self._fill(self.left, diff.rows, left=True)
        self._fill(self.right, diff.rows, left=False)

    def _fill(self, view: QPlainTextEdit, rows: list[DiffRow], *, left: bool) -> None:
        colours = {
            "changed": QColor(self.theme.warn_bg),
            "removed": QColor(self.theme.error_bg if left else self.theme.muted_bg),
            "added": QColor(self.theme.ok_bg if not left else self.theme.muted_bg),
        }
        lines = []
        for row in rows:
            number, text = (row.left_no, row.left) if left else (row.right_no, row.right)
            lines.append(f"{number if number is not None else '':>4} \u2502 {text}")
        view.setPlainText("\n".join(lines))
        selections = []
        block = view.document().firstBlock()
        for row in rows:
            colour = colours.get(row.kind)
            if colour is not None:
                selection = QTextEdit.ExtraSelection()
                selection.format.setBackground(colour)
                selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                cursor = QTextCursor(block)
                selection.cursor = cursor
                selections.append(selection)
            block = block.next()
        view.setExtraSelections(selections)
