"""The settings dialog validates as you type, writes the TOML config, keeps keys in the keychain only,
and the window restarts its providers with the new settings."""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

from app.config.secrets import _keychain_get as real_keychain_get
from app.config.settings import load_settings
from app.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import Gui, GuiFactory, QLoop, next_signal, settings_for, until


class MemoryKeyring(keyring.backend.KeyringBackend):
    """The one stand-in: there is no OS keychain (Secret Service, Keychain, Credential Locker) here."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setattr("app.config.secrets._keychain_get", real_keychain_get)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def open_settings(gui: Gui, qloop: QLoop) -> SettingsDialog:
    """Open the dialog inside the running loop: the tasks it starts (reading the file, looking for
    Ollama) must not take steps while the loop is stopped, where qasync runs them without a loop."""

    async def opened() -> SettingsDialog:
        return gui.window.open_settings()

    return qloop.run(opened())


def test_validation_messages_then_save_writes_toml_and_the_key_goes_to_the_keychain(
    make_gui: GuiFactory, qloop: QLoop, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    config = tmp_path / "quorum.toml"
    gui = make_gui(settings_for([]), config=str(config), demo=True)
    dialog = open_settings(gui, qloop)
    tab = dialog.providers

    async def scenario() -> None:
        await until(lambda: not dialog._loading, what="the settings to load")
        await until(
            lambda: "Ollama" in tab.ollama_status.text() and "not checked" not in tab.ollama_status.text()
        )
        assert "nothing answers" in tab.ollama_status.text()
        assert tab.list.count() == 0
        tab.add_button.click()
        tab.name.setText("my groq")
        tab.name.textEdited.emit("my groq")
        tab.kind.setCurrentText("groq")
        tab.model.setEditText("")
        text = dialog.messages.text()
        assert "Name: use letters" in text
        assert "Model: required" in text
        assert not dialog.save_button.isEnabled()
        assert tab.name.property("invalid") is True
        tab.name.setText("groq")
        tab.name.textEdited.emit("groq")
        tab.model.setEditText("llama-3.3-70b-versatile")
        tab.base_url.setText("ftp://example.com")
        tab.base_url.textEdited.emit("ftp://example.com")
        assert "Base URL: must start with http:// or https://" in dialog.messages.text()
        assert dialog.warnings.text().startswith("\u26a0") and "GROQ_API_KEY" in dialog.warnings.text()
        tab.base_url.setText("")
        tab.base_url.textEdited.emit("")
        dialog.memory.setValue(8)
        assert "Memory" in dialog.messages.text() and not dialog.save_button.isEnabled()
        assert dialog.memory.property("invalid") is True
        dialog.memory.setValue(512)
        dialog.metrics_port.setValue(0)
        tab.key.setText("gsk_test_secret_0123456789")
        tab.key.textEdited.emit("gsk_test_secret_0123456789")
        assert not dialog.warnings.isVisible() and not dialog.messages.isVisible()
        assert dialog.save_button.isEnabled()
        saved = asyncio.ensure_future(next_signal(dialog.settingsSaved))
        await asyncio.sleep(0)
        dialog.save_button.click()
        await saved
        await until(lambda: gui.session.ready and list(gui.window.picker.rows) == ["groq"], what="the reload")

    qloop.run(scenario())
    text = config.read_text(encoding="utf-8")
    assert "gsk_test_secret" not in text
    data = tomllib.loads(text)
    assert data["providers"] == [
        {"name": "groq", "kind": "groq", "model": "llama-3.3-70b-versatile", "timeout_s": 60.0}
    ]
    assert data["sandbox"]["memory_mb"] == 512
    assert data["metrics"]["port"] == 0
    assert load_settings(config).providers[0].name == "groq"
    assert memory_keyring.secrets[("quorum", "groq")] == "gsk_test_secret_0123456789"
    assert gui.window.picker.rows["groq"].chip.chip.text == "ready"  # the key is found: usable
    assert gui.session.info is not None and gui.session.info.mode == "configured"


def test_a_file_that_quorum_would_reject_is_not_saved(
    make_gui: GuiFactory, qloop: QLoop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "quorum.toml"
    config.write_text("[metrics]\nport = 9000\n", encoding="utf-8")
    gui = make_gui(settings_for([]), config=str(config), demo=True)
    monkeypatch.setenv("QUORUM_SANDBOX__MEMORY_MB", "huge")  # the environment beats the file
    dialog = open_settings(gui, qloop)

    async def scenario() -> None:
        await until(lambda: not dialog._loading, what="the settings to load")
        assert dialog.metrics_port.value() == 9000
        failed = asyncio.ensure_future(next_signal(gui.window.settings_controller.saveFailed))
        await asyncio.sleep(0)
        dialog.save_button.click()
        (message,) = await failed
        assert message.startswith("Not saved:") and "QUORUM_SANDBOX__MEMORY_MB" in message
        assert dialog.messages.text() == message
        assert dialog.isVisible()

    qloop.run(scenario())
    assert config.read_text(encoding="utf-8") == "[metrics]\nport = 9000\n"
    assert not list(tmp_path.glob(".config-*"))
