"""Recent prompts, newest first, searchable, kept as JSON in the user data directory.

The file is small (at most `limit` entries) and written atomically (temp file, then rename), so a crash
mid-write never loses the history. A damaged file is set aside, not fatal.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["HistoryEntry", "PromptHistory", "default_history_file"]

_log = logging.getLogger(__name__)
_VERSION = 1


@dataclass(frozen=True)
class HistoryEntry:
    prompt: str
    tests: str = ""
    verdict: str = ""  # the last verdict for this prompt, "" when it never finished
    at: float = 0.0  # unix time of the last run

    @property
    def title(self) -> str:
        first = next((line.strip() for line in self.prompt.splitlines() if line.strip()), "")
        return first if len(first) <= 90 else first[:89] + "\u2026"


def default_history_file() -> Path:
    from app.config.paths import data_dir

    return data_dir() / "history.json"


class PromptHistory:
    def __init__(self, path: Path, *, limit: int = 200) -> None:
        self.path = path
        self.limit = limit
        self.entries: list[HistoryEntry] = self._load()

    def add(self, prompt: str, tests: str = "", verdict: str = "") -> None:
        """Record a run; the same prompt moves to the top instead of appearing twice."""
        prompt = prompt.strip()
        if not prompt:
            return
        kept = [entry for entry in self.entries if entry.prompt != prompt]
        self.entries = [HistoryEntry(prompt, tests.strip(), verdict, time.time()), *kept][: self.limit]
        self.save()

    def set_verdict(self, prompt: str, verdict: str) -> None:
        prompt = prompt.strip()
        for index, entry in enumerate(self.entries):
            if entry.prompt == prompt:
                self.entries[index] = HistoryEntry(entry.prompt, entry.tests, verdict, entry.at)
                self.save()
                return

    def search(self, query: str) -> list[HistoryEntry]:
        """Entries containing every word of `query` (case-insensitive), newest first."""
        words = query.casefold().split()
        if not words:
            return list(self.entries)
        return [entry for entry in self.entries if all(word in entry.prompt.casefold() for word in words)]

    def clear(self) -> None:
        self.entries = []
        self.save()

    def save(self) -> None:
        data = {"version": _VERSION, "entries": [asdict(entry) for entry in self.entries]}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".history-", suffix=".json", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, indent=1)
            Path(temp).replace(self.path)
        except OSError as error:
            # History is a convenience: losing it must not break a run, but it is said, not hidden.
            _log.warning("could not save the prompt history to %s: %s", self.path, error)
            raise

    def _load(self) -> list[HistoryEntry]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as error:
            _log.warning("prompt history %s is unreadable (%s); starting a new one", self.path, error)
            with contextlib.suppress(OSError):
                self.path.replace(self.path.with_suffix(".damaged.json"))
            return []
        entries = raw.get("entries") if isinstance(raw, dict) else None
        return [entry for item in entries or [] if (entry := _entry(item)) is not None][: self.limit]


def _entry(item: Any) -> HistoryEntry | None:
    if not isinstance(item, dict) or not isinstance(item.get("prompt"), str) or not item["prompt"].strip():
        return None
    return HistoryEntry(
        prompt=item["prompt"],
        tests=str(item.get("tests") or ""),
        verdict=str(item.get("verdict") or ""),
        at=float(item.get("at") or 0.0),
    )
