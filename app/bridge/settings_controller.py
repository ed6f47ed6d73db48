"""The settings dialog's async side: load the file, look for Ollama, validate, save (file and keychain).

File reads and writes, the keychain and the settings check all run in worker threads; the dialog only
sees signals. Saving is all-or-nothing: the new file is checked exactly as `quorum` will load it
(environment overrides included) before it replaces the old one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.bridge.errors import ErrorReporter
from app.bridge.settings_draft import (
    Issue,
    SettingsDraft,
    draft_from_file,
    draft_to_data,
    to_toml,
    validate_draft,
)
from app.core.errors import QuorumError

if TYPE_CHECKING:
    from app.config.settings import Settings

__all__ = ["SettingsController"]


class SettingsController(QObject):
    loaded = Signal(object, object)  # SettingsDraft, problem reading the file (str) or None
    ollamaDetected = Signal(object, str)  # installed model names (list[str]) or None, the URL asked
    saved = Signal(object)  # Settings, as `quorum` will load them from the new file
    saveFailed = Signal(str)

    def __init__(self, config_path: Path, errors: ErrorReporter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config_path = config_path
        self.errors = errors
        self._tasks: set[asyncio.Task[Any]] = set()

    def load(self) -> None:
        self._spawn(self._load(), "reading the settings")

    def detect_ollama(self, base_url: str | None = None) -> None:
        self._spawn(self._detect(base_url), "looking for Ollama")

    def validate(self, draft: SettingsDraft) -> list[Issue]:
        return validate_draft(draft)

    def save(self, draft: SettingsDraft) -> None:
        self._spawn(self._save(draft), "saving the settings")

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks))

    @property
    def busy(self) -> bool:
        return any(not task.done() for task in self._tasks)

    def _spawn(self, coro: Coroutine[Any, Any, None], where: str) -> None:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self.errors.watch(task, where)

    async def _load(self) -> None:
        draft, problem = await asyncio.to_thread(draft_from_file, self.config_path)
        names = [entry.name for entry in draft.providers if entry.name]
        stored = await asyncio.to_thread(_stored_keys, names)
        for entry in draft.providers:
            entry.key_stored = entry.name in stored
        self.loaded.emit(draft, problem)

    async def _detect(self, base_url: str | None) -> None:
        from app.providers.base import new_http_client
        from app.providers.ollama import detect_ollama, ollama_base_url

        url = (base_url or "").strip() or ollama_base_url()
        client = await asyncio.to_thread(new_http_client)
        try:
            models = await detect_ollama(client, url)
        finally:
            await client.aclose()
        self.ollamaDetected.emit(models, url)

    async def _save(self, draft: SettingsDraft) -> None:
        blocking = [issue for issue in validate_draft(draft) if issue.blocking]
        if blocking:
            self.saveFailed.emit(f"Not saved: {blocking[0].message}")
            return
        text = to_toml(draft_to_data(draft))
        try:
            settings = await asyncio.to_thread(_write_checked, self.config_path, text, draft)
        except QuorumError as error:
            self.saveFailed.emit(f"Not saved: {error}")
            return
        except OSError as error:
            self.saveFailed.emit(f"Not saved: cannot write {self.config_path} ({error.strerror or error})")
            return
        for entry in draft.providers:
            if entry.key.strip():
                entry.key_stored = True
            entry.key = ""
        self.saved.emit(settings)


def _stored_keys(names: list[str]) -> set[str]:
    from app.config.secrets import resolve_api_key

    stored = set()
    for name in names:
        found = resolve_api_key(name, (), environ={})
        if found is not None and found.source == "keychain":
            stored.add(name)
    return stored


def _write_checked(path: Path, text: str, draft: SettingsDraft) -> Settings:
    """Check the new file as `quorum` loads it, store typed keys, then replace the old file."""
    from app.config.secrets import store_api_key
    from app.config.settings import load_settings
    from app.core.errors import ConfigError

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            settings = load_settings(temp)
        except ConfigError as error:
            raise ConfigError(str(error).replace(str(temp), str(path))) from None
        for entry in draft.providers:
            if entry.key.strip():
                store_api_key(entry.name.strip(), entry.key)
        temp.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return settings
