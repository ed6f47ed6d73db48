"""Structured logging: JSON lines to a rotating file, human lines on stderr, secrets never written.

Redaction happens in the handlers' formatters, so it covers messages, arguments, extras and tracebacks
whatever logger produced them (ours or a library's, e.g. httpx logging a request).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import re
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["LOG_FILE_NAME", "redact", "register_secret", "setup_logging"]

LOG_FILE_NAME = "quorum.log"
_MASK = "[REDACTED]"
_known_secrets: set[str] = set()
_known_lock = threading.Lock()
_PATTERNS = (
    # Authorization headers and bearer tokens.
    re.compile(r"(?i)(\bbearer\s+)[A-Za-z0-9._~+/=-]{6,}"),
    # key=value / "key": "value" shapes for anything named like a credential.
    re.compile(
        r"(?i)((?:api[_-]?key|x-goog-api-key|token|secret|password|authorization)"
        r"[\"']?\s*[:=]\s*[\"']?)(?!\[REDACTED\])[^\s\"',;}&]{4,}"
    ),
    # Well-known key formats (Groq, Hugging Face, OpenAI-style, Google), also right after an escaped
    # `\n`, `\t` or `\r` in a repr or JSON text, where there is no word boundary.
    re.compile(r"(?:\b|(?<=\\[ntr]))(?:gsk_|hf_|sk-|sk_|AIza)[A-Za-z0-9_-]{10,}"),
)
_STANDARD_ATTRS = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


def register_secret(value: str | None) -> None:
    """Remember a secret so any log line containing it is masked (keys too short to be real are not)."""
    if value and len(value) >= 6:
        with _known_lock:
            _known_secrets.add(value)


def redact(text: str) -> str:
    with _known_lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, _MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + _MASK, text)
    return text


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        # Each text is redacted before JSON escaping, which would hide keys from the patterns
        # (`\"api_key\": \"...`, a key after `\n`), and the whole line again after it.
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool | None) else redact(str(value))
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return redact(json.dumps(entry, ensure_ascii=False))


class _HumanFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(verbosity: int = 0, log_dir: Path | None = None) -> Path | None:
    """Configure the root logger once per process; returns the JSON log file (None if unwritable).

    verbosity 0: warnings on stderr; 1 (-v): info; 2 (-vv): debug. The file always gets info and up.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_quorum", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.DEBUG if verbosity >= 2 else logging.INFO)
    console = logging.StreamHandler()
    console.setLevel({0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG))
    console.setFormatter(_HumanFormatter("%(levelname)s %(name)s: %(message)s"))
    console._quorum = True  # type: ignore[attr-defined]
    root.addHandler(console)
    if log_dir is None:
        return None
    log_file = log_dir / LOG_FILE_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=5_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as error:
        logging.getLogger(__name__).warning("cannot write the log file %s: %s", log_file, error)
        return None
    file_handler.setLevel(logging.DEBUG if verbosity >= 2 else logging.INFO)
    file_handler.setFormatter(_JsonFormatter())
    file_handler._quorum = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    return log_file
