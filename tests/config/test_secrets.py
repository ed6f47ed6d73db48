"""API keys: explicit argument, then a real keyring backend (installed in memory), then the environment."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.compat import properties

from app.config.secrets import (
    KEYRING_SERVICE,
    ApiKey,
    delete_api_key,
    require_api_key,
    resolve_api_key,
    store_api_key,
)
from app.core.errors import MissingKeyError, UserError
from app.core.logs import setup_logging


class TestBackend(KeyringBackend):
    """Viable only while a test has installed it, so keyring's own detection never picks it."""

    installed_by_test = False

    @properties.classproperty
    def priority(cls) -> float:
        if not cls.installed_by_test:
            raise RuntimeError("a test backend: only installed explicitly with keyring.set_keyring()")
        return 1


class MemoryKeyring(TestBackend):
    """A complete keyring backend that keeps passwords in a dict."""

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(f"no password for {username!r}") from None


class BrokenKeyring(TestBackend):
    """A keyring whose every call fails the way a missing or locked OS keychain does."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error
        self.calls: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")
        raise self.error


def test_test_backends_are_not_auto_detected() -> None:
    viable = set(KeyringBackend.get_viable_backends())
    assert not viable & {TestBackend, MemoryKeyring, BrokenKeyring}


@pytest.fixture
def installed() -> Iterator[None]:
    previous = keyring.get_keyring()  # detects the machine's backend first, if not done yet
    TestBackend.installed_by_test = True
    yield
    TestBackend.installed_by_test = False
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(installed: None) -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture(params=[keyring.errors.NoKeyringError("no backend"), RuntimeError("D-Bus not running")])
def broken_keyring(installed: None, request: pytest.FixtureRequest) -> BrokenKeyring:
    backend = BrokenKeyring(request.param)
    keyring.set_keyring(backend)
    return backend


# --- precedence ---------------------------------------------------------------------------------------


def test_explicit_beats_keychain_and_env(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, "groq", "from-keychain-1234")
    monkeypatch.setenv("GROQ_API_KEY", "from-env-1234")
    key = resolve_api_key("groq", ["GROQ_API_KEY"], explicit="from-argument-1234")
    assert key == ApiKey("from-argument-1234", "argument")


def test_keychain_beats_env(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, "groq", "from-keychain-1234")
    monkeypatch.setenv("GROQ_API_KEY", "from-env-1234")
    assert resolve_api_key("groq", ["GROQ_API_KEY"]) == ApiKey("from-keychain-1234", "keychain")


def test_keychain_entry_is_per_provider(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, "gemini", "gemini-key-1234")
    memory_keyring.set_password("some-other-app", "groq", "other-app-key-1234")
    monkeypatch.setenv("GROQ_API_KEY", "from-env-1234")
    assert resolve_api_key("groq", ["GROQ_API_KEY"]) == ApiKey("from-env-1234", "env:GROQ_API_KEY")


def test_env_first_non_empty_name_in_order(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", "")
    monkeypatch.setenv("HUGGINGFACE_API_KEY", "   ")
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    monkeypatch.setenv("HF_API_TOKEN", "third-name-1234")
    monkeypatch.setenv("HF_LAST", "fourth-name-1234")
    names = ["HF_TOKEN", "HUGGINGFACE_API_KEY", "HUGGING_FACE_HUB_TOKEN", "HF_API_TOKEN", "HF_LAST"]
    assert resolve_api_key("hf", names) == ApiKey("third-name-1234", "env:HF_API_TOKEN")
    monkeypatch.setenv("HF_TOKEN", "first-name-1234")
    assert resolve_api_key("hf", names) == ApiKey("first-name-1234", "env:HF_TOKEN")


def test_explicit_environ_mapping_replaces_os_environ(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "process-env-1234")
    assert resolve_api_key("groq", ["GROQ_API_KEY"], environ={}) is None
    key = resolve_api_key("groq", ["GROQ_API_KEY"], environ={"GROQ_API_KEY": " mapped-1234\n"})
    assert key == ApiKey("mapped-1234", "env:GROQ_API_KEY")


def test_values_are_stripped(memory_keyring: MemoryKeyring) -> None:
    assert resolve_api_key("groq", [], explicit="  arg-key-1234\n") == ApiKey("arg-key-1234", "argument")
    memory_keyring.set_password(KEYRING_SERVICE, "groq", "keychain-key-1234\n")
    assert resolve_api_key("groq", []) == ApiKey("keychain-key-1234", "keychain")


def test_blank_explicit_value_falls_through(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "from-env-1234")
    assert resolve_api_key("groq", ["GROQ_API_KEY"], explicit="") == ApiKey(
        "from-env-1234", "env:GROQ_API_KEY"
    )
    assert resolve_api_key("groq", ["GROQ_API_KEY"], explicit=" \n") == ApiKey(
        "from-env-1234", "env:GROQ_API_KEY"
    )


def test_nothing_found_resolves_to_none(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    assert resolve_api_key("groq", ["GROQ_API_KEY"]) is None


# --- a missing key says how to fix it --------------------------------------------------------------------


def test_missing_key_message(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    monkeypatch.delenv("GROQ_KEY", raising=False)
    with pytest.raises(MissingKeyError) as caught:
        require_api_key("groq", ["GROQ_API_KEY", "GROQ_KEY"])
    text = str(caught.value)
    assert isinstance(caught.value, UserError)
    assert "'groq'" in text
    assert "`quorum keys set groq`" in text
    assert "GROQ_API_KEY" in text
    assert "GROQ_KEY" in text
    assert "\n" not in text


def test_missing_key_without_env_names_still_says_how(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(MissingKeyError, match=r"`quorum keys set my-local`"):
        require_api_key("my-local", [])


def test_require_returns_the_key(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password(KEYRING_SERVICE, "gemini", "AIzaSyA0123456789abcdefghijk")
    assert require_api_key("gemini", ["GEMINI_API_KEY"]).value == "AIzaSyA0123456789abcdefghijk"


# --- the value never shows ------------------------------------------------------------------------------


def test_api_key_repr_and_str_hide_the_value() -> None:
    key = ApiKey("super-secret-value-1234", "env:GROQ_API_KEY")
    for text in (repr(key), str(key), f"{key}", f"{key!r}", repr([key]), repr({"k": key})):
        assert "super-secret-value-1234" not in text
        assert "env:GROQ_API_KEY" in text
    assert key.value == "super-secret-value-1234"


# --- store and delete -------------------------------------------------------------------------------------


def test_store_resolve_delete_round_trip(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "from-env-1234")
    store_api_key("groq", "  stored-key-1234\n")
    assert memory_keyring.passwords == {(KEYRING_SERVICE, "groq"): "stored-key-1234"}
    assert resolve_api_key("groq", ["GROQ_API_KEY"]) == ApiKey("stored-key-1234", "keychain")

    store_api_key("groq", "replaced-key-1234")
    assert resolve_api_key("groq", ["GROQ_API_KEY"]) == ApiKey("replaced-key-1234", "keychain")

    assert delete_api_key("groq") is True
    assert memory_keyring.passwords == {}
    assert resolve_api_key("groq", ["GROQ_API_KEY"]) == ApiKey("from-env-1234", "env:GROQ_API_KEY")
    assert delete_api_key("groq") is False


def test_storing_an_empty_key_is_refused(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(UserError, match="empty"):
        store_api_key("groq", "  \n")
    assert memory_keyring.passwords == {}


# --- a keychain that does not work ------------------------------------------------------------------------


def test_broken_keychain_falls_through_to_env(
    broken_keyring: BrokenKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "from-env-1234")
    assert resolve_api_key("groq", ["GROQ_API_KEY"]) == ApiKey("from-env-1234", "env:GROQ_API_KEY")
    assert broken_keyring.calls == ["get"]


def test_broken_keychain_and_no_env_is_a_missing_key(
    broken_keyring: BrokenKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    with pytest.raises(MissingKeyError, match="GROQ_API_KEY"):
        require_api_key("groq", ["GROQ_API_KEY"])


def test_broken_keychain_store_is_a_clear_user_error(broken_keyring: BrokenKeyring) -> None:
    with pytest.raises(UserError) as caught:
        store_api_key("groq", "would-be-stored-1234")
    text = str(caught.value)
    assert "keychain" in text
    assert "environment variable" in text
    assert type(broken_keyring.error).__name__ in text
    assert "would-be-stored-1234" not in text
    assert "\n" not in text
    assert broken_keyring.calls == ["set"]


def test_broken_keychain_delete_reports_nothing_deleted(broken_keyring: BrokenKeyring) -> None:
    assert delete_api_key("groq") is False


# --- a resolved key is masked in logs ---------------------------------------------------------------------


@pytest.fixture
def start_logging(tmp_path: Path) -> Iterator[Callable[[], Path]]:
    """The real logging set-up, started inside the test so its stderr handler writes where capsys reads."""
    root = logging.getLogger()
    level = root.level

    def start() -> Path:
        path = setup_logging(1, tmp_path / "logs")
        assert path is not None
        return path

    yield start
    for handler in list(root.handlers):
        if getattr(handler, "_quorum", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def read_log(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", ["argument", "keychain", "env"])
def test_resolved_key_is_masked_in_logs(
    source: str,
    memory_keyring: MemoryKeyring,
    start_logging: Callable[[], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # No well-known key shape: only the registration done by resolve can mask it.
    secret = f"Plain-{source}-value-9f8e7d"
    raw = f"  {secret}\n"  # as pasted, or read from a file
    explicit = raw if source == "argument" else None
    if source == "keychain":
        memory_keyring.set_password(KEYRING_SERVICE, "local", raw)
    if source == "env":
        monkeypatch.setenv("LOCAL_API_KEY", raw)

    log_file = start_logging()
    key = resolve_api_key("local", ["LOCAL_API_KEY"], explicit=explicit)
    assert key is not None
    assert key.value == secret
    log = logging.getLogger("quorum.test.secrets")
    log.info("calling provider with %s", key.value)
    log.info("header", extra={"authorization": key.value})
    log.warning("key object %r", key)

    text, err = read_log(log_file), capsys.readouterr().err
    assert "calling provider with [REDACTED]" in err
    assert secret not in text
    assert secret not in err
    assert text.count("[REDACTED]") >= 2
