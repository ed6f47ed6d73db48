"""Small building blocks shared by the panels: cards, section titles, status chips, notice bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.bridge.health import Notice
from app.bridge.views import Chip
from app.ui.theme import refresh_style

__all__ = [
    "ChipLabel",
    "NoticeBar",
    "card",
    "column",
    "combo",
    "decimal_spin",
    "form",
    "int_spin",
    "label",
    "row",
    "section_title",
    "set_prop",
]

Item = QWidget | QLayout | int | None  # a widget, a nested layout, a stretch factor, or nothing


def label(text: str = "", name: str = "", *, wrap: bool = False, selectable: bool = False) -> QLabel:
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def _fill(
    layout: QBoxLayout, items: tuple[Item, ...], spacing: int, margins: tuple[int, int, int, int] | None
) -> None:
    layout.setSpacing(spacing)
    if margins is not None:
        layout.setContentsMargins(*margins)
    for item in items:
        if isinstance(item, QWidget):
            layout.addWidget(item)
        elif isinstance(item, QLayout):
            layout.addLayout(item)
        elif isinstance(item, int):
            layout.addStretch(item)


def row(*items: Item, spacing: int = 6, margins: tuple[int, int, int, int] | None = None) -> QHBoxLayout:
    """A horizontal layout of widgets, nested layouts and stretches (ints)."""
    layout = QHBoxLayout()
    _fill(layout, items, spacing, margins)
    return layout


def column(
    *items: Item,
    spacing: int = 6,
    margins: tuple[int, int, int, int] | None = None,
    parent: QWidget | None = None,
) -> QVBoxLayout:
    """A vertical layout (installed on `parent` when given) of widgets, layouts and stretches (ints)."""
    layout = QVBoxLayout(parent) if parent is not None else QVBoxLayout()
    _fill(layout, items, spacing, margins)
    return layout


def set_prop(widget: QWidget, name: str, value: str | bool) -> None:
    """Set a dynamic property the style sheet selects on, and restyle only when it changed."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        refresh_style(widget)


def combo(items: list[str] | tuple[str, ...], *, editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.addItems(list(items))
    box.setEditable(editable)
    return box


def decimal_spin(
    low: float, high: float, *, decimals: int = 1, step: float = 1.0, suffix: str = ""
) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setSuffix(suffix)
    return box


def int_spin(low: int, high: int, *, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    return box


def form(rows: list[tuple[str, QWidget]], note: str = "", parent: QWidget | None = None) -> QFormLayout:
    layout = QFormLayout(parent) if parent is not None else QFormLayout()
    layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
    for text, widget in rows:
        layout.addRow(text, widget)
    if note:
        layout.addRow("", label(note, "muted", wrap=True))
    return layout


def card(widget: QFrame) -> QFrame:
    widget.setProperty("card", True)
    widget.setFrameShape(QFrame.Shape.NoFrame)
    return widget


def section_title(text: str) -> QLabel:
    label = QLabel(text.upper())
    label.setObjectName("sectionTitle")
    return label


class ChipLabel(QLabel):
    """A rounded status pill: its kind picks the colour, its text says what happened."""

    def __init__(self, chip: Chip | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("chip", True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.chip = Chip("muted", "")
        self.set_chip(chip or Chip("muted", "idle"))

    def set_chip(self, chip: Chip) -> None:
        self.chip = chip
        self.setText(chip.text)
        self.setToolTip(chip.tooltip)
        set_prop(self, "kind", chip.kind)


class NoticeBar(QFrame):
    """A one-line message above the answers (first run, config problems) with one action."""

    actionTriggered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.clicked.connect(self.actionTriggered)
        close = QToolButton()
        close.setObjectName("link")
        close.setText("\u2715")
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(close)
        self.hide()

    def show_notice(self, notice: Notice | None) -> None:
        if notice is None:
            self.hide()
            return
        set_prop(self, "kind", notice.kind)
        self.text.setText(notice.text)
        self.action.setText(notice.action)
        self.action.setVisible(bool(notice.action))
        self.show()
