"""The settings dialog's Providers tab: the list, one provider's form, and Ollama auto-detection."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.bridge.kinds import kind_info
from app.bridge.settings_draft import KINDS, ProviderDraft
from app.ui.widgets import column, combo, decimal_spin, form, label, row, section_title

__all__ = ["ProvidersTab"]


class ProvidersTab(QWidget):
    changed = Signal()
    detectRequested = Signal(str)  # the Ollama base URL to ask ("" for the default)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.providers: list[ProviderDraft] = []
        self.ollama_models: list[str] = []
        self._ollama_url = ""
        self._loading = False

        left = self._build_list()
        self.form = self._build_form()
        right = column(self.form, 1, section_title("Local models"), *self._build_ollama())
        right.setAlignment(self.use_ollama, Qt.AlignmentFlag.AlignRight)
        layout = row(left, right)
        layout.setStretch(0, 2)
        layout.setStretch(1, 5)
        self.setLayout(layout)
        self._set_form_enabled(False)

    def _build_list(self) -> QVBoxLayout:
        self.list = QListWidget()
        self.list.setObjectName("bordered")
        self.list.setMinimumWidth(170)
        self.list.currentRowChanged.connect(self._load_form)
        self.add_button = QPushButton("+ Add")
        self.add_button.clicked.connect(
            lambda: self.add_provider(ProviderDraft(name=self._free_name("provider")))
        )
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_current)
        return column(self.list, row(self.add_button, self.remove_button))

    def _build_form(self) -> QFormLayout:
        self.name = QLineEdit()
        self.kind = combo(KINDS)
        self.kind_hint = label("", "muted")
        self.model = combo([], editable=True)
        self.base_url = QLineEdit()
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setToolTip("Stored in the OS keychain when you save; never written to the config file")
        self.key_env = QLineEdit()
        self.timeout = decimal_spin(0, 3600, suffix=" s")
        self.fallback = combo([])
        self.fields: dict[str, QWidget] = {
            "name": self.name,
            "kind": self.kind,
            "model": self.model,
            "base_url": self.base_url,
            "key": self.key,
            "api_key_env": self.key_env,
            "timeout_s": self.timeout,
            "fallback": self.fallback,
        }
        for edit in (self.name, self.base_url, self.key, self.key_env):
            edit.textEdited.connect(self._store_form)
        self.model.editTextChanged.connect(self._store_form)
        self.kind.currentTextChanged.connect(self._kind_changed)
        self.timeout.valueChanged.connect(self._store_form)
        self.fallback.currentTextChanged.connect(self._store_form)
        labels = ["Name", "Kind", "", "Model", "Base URL", "API key", "Key variable", "Timeout", "Fallback"]
        widgets = [
            self.name,
            self.kind,
            self.kind_hint,
            self.model,
            self.base_url,
            self.key,
            self.key_env,
            self.timeout,
            self.fallback,
        ]
        return form(list(zip(labels, widgets, strict=True)))

    def _build_ollama(self) -> tuple[QHBoxLayout, QListWidget, QPushButton]:
        self.ollama_status = label("Ollama: not checked yet", "muted", wrap=True)
        self.detect_button = QPushButton("Detect Ollama")
        self.detect_button.clicked.connect(lambda: self.detectRequested.emit(""))
        self.ollama_list = QListWidget()
        self.ollama_list.setObjectName("bordered")
        self.ollama_list.setMaximumHeight(90)
        self.ollama_list.hide()
        self.use_ollama = QPushButton("Add selected model")
        self.use_ollama.clicked.connect(self._add_ollama_model)
        self.use_ollama.hide()
        status = row(self.ollama_status, self.detect_button)
        status.setStretch(0, 1)
        return status, self.ollama_list, self.use_ollama

    # -- data ----------------------------------------------------------------------------------------
    def set_providers(self, providers: list[ProviderDraft]) -> None:
        self.providers = providers
        self._refresh_list(0 if providers else -1)

    def add_provider(self, entry: ProviderDraft) -> None:
        self.providers.append(entry)
        self._refresh_list(len(self.providers) - 1)
        self.name.setFocus()
        self.name.selectAll()
        self.changed.emit()

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.providers):
            del self.providers[row]
            self._refresh_list(min(row, len(self.providers) - 1))
            self.changed.emit()

    def current_row(self) -> int:
        return self.list.currentRow()

    def set_ollama(self, models: list[str] | None, url: str) -> None:
        self.ollama_models = list(models or [])
        if models is None:
            self.ollama_status.setText(f"Ollama: nothing answers at {url} (start it with `ollama serve`).")
        elif not models:
            self.ollama_status.setText(f"Ollama at {url} has no models (try `ollama pull qwen2.5-coder`).")
        else:
            self.ollama_status.setText(
                f"Ollama at {url}: {len(models)} model{'s' if len(models) != 1 else ''} installed."
            )
        self.ollama_list.clear()
        self.ollama_list.addItems(self.ollama_models)
        if self.ollama_models:
            self.ollama_list.setCurrentRow(0)
        self.ollama_list.setVisible(bool(self.ollama_models))
        self.use_ollama.setVisible(bool(self.ollama_models))
        self._ollama_url = url
        self._fill_models()

    def _add_ollama_model(self) -> None:
        row = self.ollama_list.currentRow()
        if row < 0:
            return
        model = self.ollama_list.item(row).text()
        base = "ollama-" + "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in model).strip("-")
        self.add_provider(
            ProviderDraft(
                name=self._free_name(base[:60]), kind="ollama", model=model, base_url=self._ollama_url
            )
        )

    def _free_name(self, base: str) -> str:
        names = {entry.name for entry in self.providers}
        name, number = base, 2
        while name in names:
            name, number = f"{base}-{number}", number + 1
        return name

    # -- form ----------------------------------------------------------------------------------------
    def _refresh_list(self, select: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for entry in self.providers:
            self.list.addItem(f"{entry.name or '(unnamed)'}  \u00b7  {entry.kind}")
        self.list.blockSignals(False)
        self.list.setCurrentRow(select)
        self._load_form(select)

    def _set_form_enabled(self, enabled: bool) -> None:
        for widget in self.fields.values():
            widget.setEnabled(enabled)
        self.remove_button.setEnabled(enabled)

    def _load_form(self, row: int) -> None:
        entry = self.providers[row] if 0 <= row < len(self.providers) else None
        self._set_form_enabled(entry is not None)
        if entry is None:
            return
        self._loading = True
        try:
            self.name.setText(entry.name)
            self.kind.setCurrentText(entry.kind)
            self._fill_models()
            self.model.setEditText(entry.model)
            self.base_url.setText(entry.base_url)
            self.key.setText(entry.key)
            self.key_env.setText(entry.api_key_env)
            self.timeout.setValue(entry.timeout_s)
            self.fallback.clear()
            self.fallback.addItem("")
            self.fallback.addItems(
                [other.name for other in self.providers if other is not entry and other.name]
            )
            self.fallback.setCurrentText(entry.fallback)
            self._kind_hints(entry)
        finally:
            self._loading = False

    def _fill_models(self) -> None:
        text = self.model.currentText()
        self.model.blockSignals(True)
        self.model.clear()
        if self.kind.currentText() == "ollama":
            self.model.addItems(self.ollama_models)
        elif self.kind.currentText() == "demo":
            self.model.addItems(["demo-careful", "demo-hasty", "demo-verbose"])
        self.model.setEditText(text)
        self.model.blockSignals(False)

    def _kind_hints(self, entry: ProviderDraft) -> None:
        info = kind_info(entry.kind)
        self.kind_hint.setText(info.key_hint)
        self.base_url.setPlaceholderText(info.default_base_url or "required: the server's /v1 URL")
        self.key_env.setPlaceholderText(" or ".join(info.key_env) or "none")
        if not info.key_env and not info.needs_key:
            self.key.setPlaceholderText("not needed")
        elif entry.key_stored:
            self.key.setPlaceholderText("stored in the OS keychain (type to replace)")
        else:
            self.key.setPlaceholderText("paste the key: it goes to the OS keychain")

    def _kind_changed(self, kind: str) -> None:
        self._fill_models()
        self._store_form()
        row = self.list.currentRow()
        if 0 <= row < len(self.providers):
            self._kind_hints(self.providers[row])

    def _store_form(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self.providers):
            return
        entry = self.providers[row]
        entry.name = self.name.text()
        entry.kind = self.kind.currentText()
        entry.model = self.model.currentText()
        entry.base_url = self.base_url.text()
        entry.key = self.key.text()
        entry.api_key_env = self.key_env.text()
        entry.timeout_s = self.timeout.value()
        entry.fallback = self.fallback.currentText()
        item = self.list.item(row)
        if item is not None:
            item.setText(f"{entry.name or '(unnamed)'}  \u00b7  {entry.kind}")
        self.changed.emit()
