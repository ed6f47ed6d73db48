"""The prompt editor (Ctrl+Enter runs), the optional tests field and the searchable history popup."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.bridge.history import HistoryEntry, PromptHistory
from app.ui.theme import mono_font
from app.ui.widgets import card, section_title

__all__ = ["HistoryPopup", "PromptPanel"]

_RUN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _RunKeyFilter(QObject):
    """Ctrl+Enter in the prompt or tests field runs, whatever the editor would do with it."""

    def __init__(self, run: SignalInstance, parent: QObject) -> None:
        super().__init__(parent)
        self._run = run

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _RUN_KEYS
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self._run.emit()
            return True
        return False


class HistoryPopup(QFrame):
    """Recent prompts with a search field: type to filter, Enter or double-click to pick, Esc to close."""

    picked = Signal(object)  # HistoryEntry

    def __init__(self, history: PromptHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        card(self)
        self.history = history
        self.samples: list[str] = []
        self.setMinimumSize(560, 340)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search recent prompts\u2026")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("bordered")
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = QLabel("No prompts yet: every prompt you run is kept here.")
        self.empty.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._pick_current)
        self.list.itemActivated.connect(self._pick)
        self.search.installEventFilter(self)

    def refresh(self) -> None:
        self.list.clear()
        for entry in self.history.search(self.search.text()):
            verdict = f"{entry.verdict.replace('_', ' ')} \u00b7 " if entry.verdict else ""
            item = QListWidgetItem(verdict + entry.title)
            item.setToolTip(entry.prompt[:2000])
            item.setData(Qt.ItemDataRole.UserRole, entry)
            self.list.addItem(item)
        words = self.search.text().casefold().split()
        for prompt in self.samples:
            if all(word in prompt.casefold() for word in words):
                entry = HistoryEntry(prompt)
                item = QListWidgetItem(f"sample \u00b7 {entry.title}")
                item.setToolTip(prompt)
                item.setData(Qt.ItemDataRole.UserRole, entry)
                self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.empty.setVisible(not self.history.entries and not self.samples)

    def open_at(self, point: QPoint) -> None:
        self.search.clear()
        self.refresh()
        self.move(point)
        self.show()
        self.search.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()), 0)
            if step and self.list.count():
                row = max(0, min(self.list.count() - 1, self.list.currentRow() + step))
                self.list.setCurrentRow(row)
                return True
        return False

    def _pick_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._pick(item)

    def _pick(self, item: QListWidgetItem) -> None:
        entry = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(entry, HistoryEntry):
            self.picked.emit(entry)
        self.hide()


class PromptPanel(QFrame):
    runRequested = Signal()

    def __init__(self, history: PromptHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card(self)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("prompt")
        self.editor.setPlaceholderText(
            "Describe the Python function you want, with examples if you have them\u2026   (Ctrl+Enter runs)"
        )
        self.editor.setTabChangesFocus(True)
        self.tests = QPlainTextEdit()
        self.tests.setObjectName("code")
        self.tests.setFont(mono_font())
        self.tests.setPlaceholderText(
            "assert reverse('abc') == 'cba'   # your own asserts or test_ functions"
        )
        self.tests.setTabChangesFocus(True)
        self.tests.setFixedHeight(78)
        self.tests.hide()
        self.tests_toggle = QToolButton()
        self.tests_toggle.setObjectName("link")
        self.tests_toggle.setText("\u25b8 Tests (optional)")
        self.tests_toggle.setCheckable(True)
        self.tests_toggle.toggled.connect(self.show_tests)
        self.history_button = QToolButton()
        self.history_button.setObjectName("link")
        self.history_button.setText("History \u25be")
        self.history_button.setToolTip("Recent prompts, searchable (Ctrl+H)")
        self.history_button.clicked.connect(self.open_history)
        self.count = QLabel("")
        self.count.setObjectName("muted")
        self.popup = HistoryPopup(history, self)
        self.popup.picked.connect(self.use_entry)
        self.editor.textChanged.connect(self._count)
        key_filter = _RunKeyFilter(self.runRequested, self)
        self.editor.installEventFilter(key_filter)
        self.tests.installEventFilter(key_filter)

        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.tests_toggle)
        row.addWidget(self.history_button)
        row.addStretch(1)
        row.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(section_title("Prompt"))
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.tests)
        layout.addLayout(row)

    def prompt(self) -> str:
        return self.editor.toPlainText()

    def tests_text(self) -> str:
        return self.tests.toPlainText() if self.tests_toggle.isChecked() else ""

    def set_prompt(self, text: str, tests: str = "") -> None:
        self.editor.setPlainText(text)
        self.tests.setPlainText(tests)
        self.tests_toggle.setChecked(bool(tests.strip()))
        self.editor.setFocus()

    def use_entry(self, entry: HistoryEntry) -> None:
        self.set_prompt(entry.prompt, entry.tests)

    def show_tests(self, shown: bool) -> None:
        self.tests.setVisible(shown)
        self.tests_toggle.setText(("\u25be" if shown else "\u25b8") + " Tests (optional)")
        if shown:
            self.tests.setFocus()

    def open_history(self) -> None:
        below = self.history_button.mapToGlobal(QPoint(0, self.history_button.height() + 2))
        self.popup.open_at(below)

    def set_running(self, running: bool) -> None:
        self.editor.setReadOnly(running)
        self.tests.setReadOnly(running)

    def _count(self) -> None:
        chars = len(self.editor.toPlainText())
        self.count.setText(f"{chars:,} chars" if chars else "")
