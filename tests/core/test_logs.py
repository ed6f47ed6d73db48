"""Structured logging: the real root logger, a real log file, the real stderr (captured by pytest)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.errors import (
    ConfigError,
    MissingKeyError,
    ProviderError,
    QuorumError,
    SandboxError,
    SandboxUnavailableError,
    TransientError,
    UserError,
)
from app.core.logs import LOG_FILE_NAME, redact, register_secret, setup_logging

MASK = "[REDACTED]"


@dataclass
class Logs:
    """Logging set up for one test; `file_text()` and `stderr()` read what reached each sink."""

    log_dir: Path
    capsys: pytest.CaptureFixture[str]
    path: Path | None = None

    def setup(self, verbosity: int = 0) -> Path | None:
        self.path = setup_logging(verbosity, self.log_dir)
        return self.path

    def file_text(self) -> str:
        for handler in logging.getLogger().handlers:
            handler.flush()
        return (self.log_dir / LOG_FILE_NAME).read_text(encoding="utf-8")

    def entries(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.file_text().splitlines()]

    def stderr(self) -> str:
        return self.capsys.readouterr().err


def remove_quorum_handlers() -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_quorum", False):
            root.removeHandler(handler)
            handler.close()


@pytest.fixture
def logs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Logs]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield Logs(tmp_path / "logs", capsys)
    remove_quorum_handlers()
    root.setLevel(level)
    assert [h for h in root.handlers if h not in handlers] == []


# --- JSON lines and levels ----------------------------------------------------------------------------


def test_json_lines_in_the_log_file(logs: Logs) -> None:
    assert not logs.log_dir.exists()
    path = logs.setup(0)
    assert path == logs.log_dir / "quorum.log"
    log = logging.getLogger("quorum.test.json")
    log.info("answer %d from %s", 3, "groq", extra={"provider": "groq", "attempt": 2, "cached": False})
    log.warning("multi\nline message with \"quotes\" and 'ünïcode'")
    log.error("with an object", extra={"limits": {"timeout_s": 5}, "ratio": 0.5, "nothing": None})

    lines = logs.file_text().splitlines()
    assert len(lines) == 3
    first, second, third = (json.loads(line) for line in lines)
    assert first["msg"] == "answer 3 from groq"
    assert first["level"] == "INFO"
    assert first["logger"] == "quorum.test.json"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", str(first["ts"]))
    assert (first["provider"], first["attempt"], first["cached"]) == ("groq", 2, False)
    assert second["msg"] == "multi\nline message with \"quotes\" and 'ünïcode'"
    assert second["level"] == "WARNING"
    assert third["limits"] == str({"timeout_s": 5})
    assert (third["ratio"], third["nothing"]) == (0.5, None)
    for entry in (first, second, third):
        assert "args" not in entry
        assert "exc" not in entry


def test_exception_goes_into_the_entry(logs: Logs) -> None:
    logs.setup(0)
    try:
        raise ValueError("a problem")
    except ValueError:
        logging.getLogger("quorum.test").exception("it failed")
    (entry,) = logs.entries()
    assert entry["level"] == "ERROR"
    assert entry["msg"] == "it failed"
    assert "Traceback (most recent call last)" in str(entry["exc"])
    assert "ValueError: a problem" in str(entry["exc"])


def test_file_gets_info_but_not_debug_by_default(logs: Logs) -> None:
    logs.setup(0)
    log = logging.getLogger("quorum.test.levels")
    log.debug("debug line")
    log.info("info line")
    assert [entry["msg"] for entry in logs.entries()] == ["info line"]


def test_file_gets_debug_with_vv(logs: Logs) -> None:
    logs.setup(2)
    logging.getLogger("quorum.test.levels").debug("debug line")
    assert [entry["level"] for entry in logs.entries()] == ["DEBUG"]


@pytest.mark.parametrize(
    ("verbosity", "shown", "hidden"),
    [
        (0, ["warning line", "error line"], ["info line", "debug line"]),
        (1, ["info line", "warning line", "error line"], ["debug line"]),
        (2, ["debug line", "info line", "warning line"], []),
    ],
)
def test_stderr_follows_verbosity(logs: Logs, verbosity: int, shown: list[str], hidden: list[str]) -> None:
    logs.setup(verbosity)
    log = logging.getLogger("quorum.test.stderr")
    for level, text in (
        (logging.DEBUG, "debug line"),
        (logging.INFO, "info line"),
        (logging.WARNING, "warning line"),
        (logging.ERROR, "error line"),
    ):
        log.log(level, text)
    err = logs.stderr()
    for text in shown:
        assert text in err
    for text in hidden:
        assert text not in err
    assert "WARNING quorum.test.stderr: warning line" in err


def test_setting_up_twice_does_not_duplicate_lines(logs: Logs) -> None:
    logs.setup(0)
    logs.setup(1)
    logging.getLogger("quorum.test").warning("once")
    assert [entry["msg"] for entry in logs.entries()] == ["once"]
    assert logs.stderr().count("once") == 1


def test_other_handlers_are_left_alone(logs: Logs) -> None:
    foreign = logging.NullHandler()
    root = logging.getLogger()
    root.addHandler(foreign)
    try:
        logs.setup(0)
        logs.setup(0)
        assert foreign in root.handlers
    finally:
        root.removeHandler(foreign)


def test_without_a_log_dir_only_stderr(logs: Logs) -> None:
    assert setup_logging(1, None) is None
    logging.getLogger("quorum.test").info("to stderr only")
    assert "to stderr only" in logs.stderr()
    assert not logs.log_dir.exists()


def test_unwritable_log_dir_returns_none_and_says_so(logs: Logs, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    assert setup_logging(0, blocker / "logs") is None
    err = logs.stderr()
    assert "cannot write the log file" in err
    logging.getLogger("quorum.test").warning("still logged")
    assert "still logged" in logs.stderr()


# --- secrets never reach the file or stderr --------------------------------------------------------------

LEAKS = [
    pytest.param(
        "GET /v1/chat Authorization: Bearer xyzSECRETtoken123456", "xyzSECRETtoken123456", id="bearer"
    ),
    pytest.param(
        "headers={'authorization': 'Bearer abcDEF0123456789xyz'}", "abcDEF0123456789xyz", id="bearer-dict"
    ),
    pytest.param(
        "calling https://host/v1?api_key=QWERTYsecret99887766", "QWERTYsecret99887766", id="api_key="
    ),
    pytest.param("api-key: ZXCVsecret5544332211 sent", "ZXCVsecret5544332211", id="api-key:"),
    pytest.param("x-goog-api-key: GOOGsecretValue1234567", "GOOGsecretValue1234567", id="x-goog-api-key"),
    pytest.param('body {"api_key": "JSONsecret0011223344"}', "JSONsecret0011223344", id="json-body"),
    pytest.param("password=hunter2hunter2", "hunter2hunter2", id="password="),
    pytest.param(
        "groq key gsk_abcdefghijklmnopqrstuvwxyz0123", "gsk_abcdefghijklmnopqrstuvwxyz0123", id="gsk_"
    ),
    pytest.param("hf token hf_ABCDEFGHIJKLMNOPQRSTUVWXYZabcd", "hf_ABCDEFGHIJKLMNOPQRSTUVWXYZabcd", id="hf_"),
    pytest.param("openai sk-proj-0123456789abcdefghij", "sk-proj-0123456789abcdefghij", id="sk-"),
    pytest.param("gemini AIzaSyA0123456789abcdefghijklmno", "AIzaSyA0123456789abcdefghijklmno", id="AIza"),
    pytest.param("first line\nsk-startofline0123456789", "sk-startofline0123456789", id="key-at-line-start"),
    pytest.param("tab\tgsk_aftertab0123456789abcd", "gsk_aftertab0123456789abcd", id="key-after-tab"),
]


@pytest.mark.parametrize(("message", "secret"), LEAKS)
def test_secret_shapes_are_masked_in_messages(logs: Logs, message: str, secret: str) -> None:
    logs.setup(0)
    logging.getLogger("quorum.test.leak").warning("%s", message)
    text, err = logs.file_text(), logs.stderr()
    assert MASK in text
    assert MASK in err
    assert secret not in text
    assert secret not in err
    assert secret not in json.dumps(logs.entries())


@pytest.mark.parametrize(("message", "secret"), LEAKS)
def test_secret_shapes_are_masked_in_tracebacks(logs: Logs, message: str, secret: str) -> None:
    logs.setup(0)
    try:
        raise RuntimeError(f"request failed: {message}")
    except RuntimeError:
        logging.getLogger("quorum.test.leak").exception("provider call failed")
    text, err = logs.file_text(), logs.stderr()
    assert "RuntimeError: request failed" in err
    assert "RuntimeError: request failed" in str(logs.entries()[0]["exc"])
    assert secret not in text
    assert secret not in err


@pytest.mark.parametrize(("message", "secret"), LEAKS)
def test_secret_shapes_are_masked_in_extra_fields(logs: Logs, message: str, secret: str) -> None:
    logs.setup(0)
    logging.getLogger("quorum.test.leak").warning(
        "request sent", extra={"detail": message, "headers": {"note": message}}
    )
    text = logs.file_text()
    assert secret not in text
    (entry,) = logs.entries()
    assert MASK in str(entry["detail"])
    assert MASK in str(entry["headers"])


def test_registered_secret_is_masked_everywhere(logs: Logs) -> None:
    secret = "plain-looking-Secret-5d2b91"  # noqa: S105 - no key shape: only registration can catch it
    register_secret(secret)
    logs.setup(1)
    log = logging.getLogger("httpx")  # a library's logger, not ours
    log.info("sending %s", secret)
    log.info("key in extra", extra={"key": secret, "nested": [secret]})
    try:
        raise ConnectionError(f"refused for {secret}")
    except ConnectionError:
        log.exception("failed")
    text, err = logs.file_text(), logs.stderr()
    assert secret not in text
    assert secret not in err
    assert text.count(MASK) >= 4
    assert "sending [REDACTED]" in err


def test_secret_with_characters_json_escapes_is_masked_in_the_file(logs: Logs) -> None:
    secret = 'quote"and\\backslash-key-77'  # noqa: S105
    register_secret(secret)
    logs.setup(0)
    logging.getLogger("quorum.test").warning("value %s", secret, extra={"copy": secret})
    text = logs.file_text()
    entry = logs.entries()[0]
    assert secret not in str(entry["msg"])
    assert secret not in str(entry["copy"])
    assert json.dumps(secret)[1:-1] not in text


# --- redact() itself ---------------------------------------------------------------------------------------


def test_redact_keeps_ordinary_text() -> None:
    text = "sandbox finished in 12 ms: status ok, 3 of 4 examples passed, max_tokens 1024, skip-list"
    assert redact(text) == text
    escaped = r"C:\temp\task-scheduler-queue and disk-cache-directory-names"
    assert redact(escaped) == escaped


def test_redact_keeps_the_name_of_the_credential() -> None:
    assert redact("x-goog-api-key: GOOGsecretValue1234567") == "x-goog-api-key: [REDACTED]"
    assert redact("url?api_key=QWERTYsecret99887766&model=m") == "url?api_key=[REDACTED]&model=m"
    bearer = redact("Authorization: Bearer xyzSECRETtoken123456")
    assert bearer.startswith("Authorization: ")
    assert "xyzSECRETtoken123456" not in bearer


def test_redact_is_idempotent() -> None:
    once = redact("api_key=QWERTYsecret99887766 and gsk_abcdefghijklmnopqrstuvwxyz0123")
    assert redact(once) == once


def test_too_short_values_are_not_registered() -> None:
    register_secret("ab1")
    register_secret("")
    register_secret(None)
    assert redact("tab1e ab1 stays") == "tab1e ab1 stays"


def test_longest_registered_secret_wins() -> None:
    register_secret("overlapKEY-123")
    register_secret("overlapKEY-123-longer-part")
    assert redact("x overlapKEY-123-longer-part y") == "x [REDACTED] y"


# --- errors -----------------------------------------------------------------------------------------------


def test_error_hierarchy() -> None:
    assert issubclass(ConfigError, UserError)
    assert issubclass(MissingKeyError, UserError)
    assert issubclass(UserError, QuorumError)
    assert issubclass(SandboxUnavailableError, SandboxError)
    assert issubclass(SandboxError, QuorumError)
    assert issubclass(TransientError, QuorumError)
    assert issubclass(ProviderError, QuorumError)
    assert issubclass(QuorumError, Exception)
    for not_user in (TransientError, ProviderError, SandboxError):
        assert not issubclass(not_user, UserError)
    assert not issubclass(TransientError, ProviderError)
    with pytest.raises(QuorumError):
        raise ConfigError("bad", path="c.toml", key="a.b")


@pytest.mark.parametrize(
    ("path", "key", "text"),
    [
        ("/etc/q.toml", "sandbox.timeout_s", "/etc/q.toml, sandbox.timeout_s: must be positive"),
        ("/etc/q.toml", None, "/etc/q.toml: must be positive"),
        (None, "sandbox.timeout_s", "sandbox.timeout_s: must be positive"),
        (None, None, "must be positive"),
    ],
)
def test_config_error_message(path: str | None, key: str | None, text: str) -> None:
    error = ConfigError("must be positive", path=path, key=key)
    assert str(error) == text
    assert (error.path, error.key) == (path, key)
