"""The settings dialog: providers, cache, sandbox, metrics. Validates as you type, saves the TOML config
file (and typed keys to the OS keychain) through the SettingsController."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.bridge.settings_controller import SettingsController
from app.bridge.settings_draft import Issue, SettingsDraft
from app.ui.settings_providers import ProvidersTab
from app.ui.widgets import combo, decimal_spin, form, int_spin, label, set_prop

__all__ = ["SettingsDialog"]


def _page(rows: list[tuple[str, QWidget]], note: str) -> QWidget:
    page = QWidget()
    form(rows, note, parent=page)
    return page


class SettingsDialog(QDialog):
    settingsSaved = Signal(object)  # Settings

    def __init__(self, controller: SettingsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Quorum settings")
        self.resize(860, 560)
        self.controller = controller
        self.draft = SettingsDraft()
        self.issues: list[Issue] = []
        self._loading = True

        self.providers = ProvidersTab()
        self.providers.changed.connect(self.revalidate)
        self.providers.detectRequested.connect(controller.detect_ollama)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.providers, "Providers")
        for title, page in self._pages():
            self.tabs.addTab(page, title)
        self.fields: dict[str, QWidget] = {
            "cache.similarity_threshold": self.threshold,
            "cache.backend": self.cache_backend,
            "cache.redis_url": self.redis_url,
            "cache.path": self.cache_path,
            "sandbox.backend": self.sandbox_backend,
            "sandbox.timeout_s": self.sandbox_timeout,
            "sandbox.memory_mb": self.memory,
            "sandbox.pool_size": self.pool_size,
            "sandbox.docker_image": self.docker_image,
            "metrics.port": self.metrics_port,
        }
        for widget in (self.redis_url, self.cache_path, self.docker_image):
            widget.textEdited.connect(self.revalidate)
        for spin in (self.threshold, self.sandbox_timeout):
            spin.valueChanged.connect(self.revalidate)
        for box in (self.memory, self.pool_size, self.metrics_port):
            box.valueChanged.connect(self.revalidate)
        for choice in (self.cache_backend, self.sandbox_backend):
            choice.currentTextChanged.connect(self.revalidate)
        self.cache_enabled.toggled.connect(self.revalidate)

        self.messages = label("", "validation", wrap=True)
        self.warnings = label("", "warning", wrap=True)
        self.warnings.hide()
        self.path_label = QLabel(f"Config file: {controller.config_path}")
        self.path_label.setObjectName("muted")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.messages)
        layout.addWidget(self.warnings)
        layout.addWidget(self.path_label)
        layout.addWidget(self.buttons)

        controller.loaded.connect(self._loaded)
        controller.ollamaDetected.connect(self.providers.set_ollama)
        controller.saved.connect(self._saved)
        controller.saveFailed.connect(self._save_failed)
        self.save_button.setEnabled(False)
        controller.load()
        controller.detect_ollama()

    def _pages(self) -> list[tuple[str, QWidget]]:
        self.cache_enabled = QCheckBox("Answer repeated and similar prompts from the cache")
        self.threshold = decimal_spin(-1.0, 2.0, decimals=3, step=0.01)
        self.cache_backend = combo(["disk", "redis"])
        self.redis_url = QLineEdit()
        self.cache_path = QLineEdit()
        self.cache_path.setPlaceholderText("default: the user cache directory")
        self.sandbox_backend = combo(["auto", "docker", "subprocess"])
        self.sandbox_timeout = decimal_spin(0, 3600, suffix=" s")
        self.memory = int_spin(0, 65536, suffix=" MB")
        self.pool_size = int_spin(0, 64)
        self.docker_image = QLineEdit()
        self.metrics_port = int_spin(0, 65535)
        self.metrics_port.setSpecialValueText("0 (disabled)")
        cache = [
            ("", self.cache_enabled),
            ("Similarity threshold", self.threshold),
            ("Backend", self.cache_backend),
            ("Redis URL", self.redis_url),
            ("Path", self.cache_path),
        ]
        sandbox = [
            ("Backend", self.sandbox_backend),
            ("Time limit", self.sandbox_timeout),
            ("Memory limit", self.memory),
            ("Warm workers", self.pool_size),
            ("Docker image", self.docker_image),
        ]
        return [
            (
                "Cache",
                _page(cache, "A prompt at least this similar to a cached one is answered from the cache."),
            ),
            (
                "Sandbox",
                _page(
                    sandbox,
                    "auto: Docker when an engine answers, else isolated local processes "
                    "(bubblewrap, namespaces, rlimits, seccomp).",
                ),
            ),
            (
                "Metrics",
                _page(
                    [("Metrics port", self.metrics_port)],
                    "/metrics for Prometheus on 127.0.0.1 (0 disables); --metrics-port overrides it.",
                ),
            ),
        ]

    @property
    def save_button(self) -> QWidget:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _loaded(self, draft: SettingsDraft, problem: str | None) -> None:
        self._loading = True
        self.draft = draft
        self.providers.set_providers(draft.providers)
        self.cache_enabled.setChecked(draft.cache_enabled)
        self.threshold.setValue(draft.similarity_threshold)
        self.cache_backend.setCurrentText(draft.cache_backend)
        self.redis_url.setText(draft.redis_url)
        self.cache_path.setText(draft.cache_path)
        self.sandbox_backend.setCurrentText(draft.sandbox_backend)
        self.sandbox_timeout.setValue(draft.sandbox_timeout_s)
        self.memory.setValue(draft.memory_mb)
        self.pool_size.setValue(draft.pool_size)
        self.docker_image.setText(draft.docker_image)
        self.metrics_port.setValue(draft.metrics_port)
        self._loading = False
        self.revalidate()
        if problem:
            self.messages.setText(problem)
            self.messages.show()

    def _store(self) -> None:
        draft = self.draft
        draft.providers = self.providers.providers
        draft.cache_enabled = self.cache_enabled.isChecked()
        draft.similarity_threshold = self.threshold.value()
        draft.cache_backend = self.cache_backend.currentText()
        draft.redis_url = self.redis_url.text()
        draft.cache_path = self.cache_path.text()
        draft.sandbox_backend = self.sandbox_backend.currentText()
        draft.sandbox_timeout_s = self.sandbox_timeout.value()
        draft.memory_mb = self.memory.value()
        draft.pool_size = self.pool_size.value()
        draft.docker_image = self.docker_image.text()
        draft.metrics_port = self.metrics_port.value()

    def revalidate(self) -> None:
        if self._loading:
            return
        self._store()
        self.issues = self.controller.validate(self.draft)
        current = self.providers.current_row()
        marked = {issue.key for issue in self.issues if issue.blocking}
        for key, widget in self.fields.items():
            set_prop(widget, "invalid", key in marked)
        for name, widget in self.providers.fields.items():
            set_prop(widget, "invalid", f"providers[{current}].{name}" in marked)
        errors = [f"\u2716 {self._where(i.key)}{i.message}" for i in self.issues if i.blocking]
        warnings = [f"\u26a0 {self._where(i.key)}{i.message}" for i in self.issues if not i.blocking]
        self.messages.setText("\n".join(errors[:5]))
        self.messages.setVisible(bool(errors))
        self.warnings.setText("\n".join(warnings[:4]))
        self.warnings.setVisible(bool(warnings))
        self.save_button.setEnabled(not any(issue.blocking for issue in self.issues))

    def _where(self, key: str) -> str:
        if key.startswith("providers["):
            index = int(key[len("providers[") : key.index("]")])
            name = self.draft.providers[index].name if index < len(self.draft.providers) else ""
            return f"Provider {name or index + 1}: "
        section = key.split(".", 1)[0]
        return f"{section.capitalize()}: " if section else ""

    def save(self) -> None:
        self._store()
        self.save_button.setEnabled(False)
        self.messages.setText("Saving\u2026")
        self.messages.show()
        self.controller.save(self.draft)

    def _saved(self, settings: object) -> None:
        self.settingsSaved.emit(settings)
        self.accept()

    def _save_failed(self, message: str) -> None:
        self.messages.setText(message)
        self.messages.show()
        self.save_button.setEnabled(True)
