"""The provider picker: a checkable list, each row with the provider's live health (breaker, key, last
answer), plus the Run and Cancel buttons next to it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.bridge.health import ProviderHealth, ProviderInfo
from app.bridge.views import Chip
from app.ui.widgets import ChipLabel, card, section_title

__all__ = ["ProviderPicker"]


def _detail(name: str, model: str, kind: str) -> str:
    """The model next to the name, unless it would only repeat it (then the kind says more)."""
    return kind if model == name else model


class _Row(QWidget):
    def __init__(self, info: ProviderInfo) -> None:
        super().__init__()
        self.name = info.name
        self.kind = info.kind
        self.check = QCheckBox(info.name)
        self.check.setChecked(True)
        self.check.setToolTip(
            f"{info.kind} \u00b7 {info.model}"
            + (f" \u00b7 fallback {info.fallback}" if info.fallback else "")
        )
        self.model = QLabel(_detail(info.name, info.model, info.kind))
        self.model.setObjectName("muted")
        self.model.setMaximumWidth(140)
        self.chip = ChipLabel(Chip("muted", "\u2026"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 1, 2, 1)
        layout.setSpacing(8)
        layout.addWidget(self.check)
        layout.addWidget(self.model, 1)
        layout.addWidget(self.chip)

    def set_health(self, health: ProviderHealth) -> None:
        self.chip.set_chip(health.chip)
        detail = _detail(health.name, health.model, self.kind)
        elided = self.model.fontMetrics().elidedText(detail, Qt.TextElideMode.ElideMiddle, 140)
        self.model.setText(elided)
        self.model.setToolTip(health.model)


class ProviderPicker(QFrame):
    selectionChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card(self)
        self.list = QListWidget()
        self.list.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.summary = QLabel("opening\u2026")
        self.summary.setObjectName("muted")
        header = QHBoxLayout()
        header.addWidget(section_title("Providers"))
        header.addStretch(1)
        header.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(6)
        self.use_cache = QCheckBox("Answer from the cache when it can")
        self.use_cache.setChecked(True)
        self.use_cache.setToolTip("Repeated and similar prompts are answered from earlier verified runs")
        layout.addLayout(header)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.use_cache)
        self.rows: dict[str, _Row] = {}

    def set_providers(self, providers: list[ProviderInfo]) -> None:
        previous = {name: row.check.isChecked() for name, row in self.rows.items()}
        self.list.clear()
        self.rows = {}
        for info in providers:
            row = _Row(info)
            row.check.setChecked(previous.get(info.name, True))
            row.check.toggled.connect(self.selectionChanged)
            item = QListWidgetItem()
            item.setSizeHint(row.sizeHint())
            self.list.addItem(item)
            self.list.setItemWidget(item, row)
            self.rows[info.name] = row
        self.summary.setText(f"{len(providers)} configured" if providers else "none")

    def set_health(self, health: list[ProviderHealth]) -> None:
        for entry in health:
            row = self.rows.get(entry.name)
            if row is not None:
                row.set_health(entry)
        usable = sum(1 for entry in health if entry.state in ("ok", "ready", "degraded"))
        self.summary.setText(f"{usable} of {len(health)} usable")

    def selected(self) -> list[str]:
        return [name for name, row in self.rows.items() if row.check.isChecked()]

    def set_enabled(self, enabled: bool) -> None:
        for row in self.rows.values():
            row.check.setEnabled(enabled)
