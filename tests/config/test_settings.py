"""Settings: real TOML files on disk, real environment variables, the real pydantic-settings model.

The autouse fixture in tests/conftest.py points XDG_CONFIG_HOME at a tmp dir and clears QUORUM_ variables.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.config.settings import Settings, load_settings
from app.core.errors import ConfigError, UserError

# The config example of the contract (ARCHITECTURE.md), verbatim.
CONTRACT_EXAMPLE = """\
[cache]
enabled = true
similarity_threshold = 0.95
backend = "disk"            # disk | redis
redis_url = "redis://127.0.0.1:6379/0"
path = ""                   # optional; default: the platformdirs user cache dir (honours XDG_CACHE_HOME)

[sandbox]
backend = "auto"            # auto | docker | subprocess
timeout_s = 5
memory_mb = 256

[metrics]
port = 9464                 # 0 disables; binds 127.0.0.1

[[providers]]
name = "groq"               # unique label shown in the UI and in JSON output
kind = "groq"               # groq | gemini | huggingface | ollama | openai | demo
model = "llama-3.3-70b-versatile"
base_url = "https://api.groq.com/openai/v1"   # optional; each kind has its public default
api_key_env = "GROQ_API_KEY"                   # optional; each kind has its default
timeout_s = 60              # optional
fallback = "local"          # optional: provider name used when this one is rate-limited or its breaker is open
"""

# The example's fallback names a provider called "local" that the example itself does not define.
LOCAL_PROVIDER = """
[[providers]]
name = "local"
kind = "ollama"
model = "qwen2.5-coder:7b"
base_url = "http://127.0.0.1:11434"
"""

PROVIDER = '[[providers]]\nname = "{name}"\nkind = "groq"\nmodel = "m"\n'


def write(directory: Path, text: str, name: str = "config.toml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def default_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "quorum" / "config.toml"


def config_error(path: Path | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return caught.value


def assert_one_line(error: ConfigError) -> str:
    text = str(error)
    assert text
    assert "\n" not in text and "\r" not in text, text
    assert len(text.splitlines()) == 1, text
    return text


# --- where the file comes from ---------------------------------------------------------------------


def test_defaults_without_any_file() -> None:
    assert not default_file().exists()
    settings = load_settings()
    assert settings.cache.enabled is True
    assert settings.cache.similarity_threshold == 0.95
    assert settings.cache.backend == "disk"
    assert settings.cache.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.cache.path == ""
    assert settings.sandbox.backend == "auto"
    assert settings.sandbox.timeout_s == 5
    assert settings.sandbox.memory_mb == 256
    assert settings.sandbox.docker_image == "python:3.11-slim"
    assert settings.metrics.port == 9464
    assert settings.providers == []


def test_default_file_under_xdg_config_home_is_read() -> None:
    path = default_file()
    path.parent.mkdir(parents=True)
    path.write_text("[sandbox]\ntimeout_s = 7\n[metrics]\nport = 0\n", encoding="utf-8")
    settings = load_settings()
    assert settings.sandbox.timeout_s == 7
    assert settings.metrics.port == 0


def test_default_file_that_is_invalid_is_reported_with_its_path() -> None:
    path = default_file()
    path.parent.mkdir(parents=True)
    path.write_text("[sandbox]\ntimeout_s = -1\n", encoding="utf-8")
    text = assert_one_line(config_error())
    assert str(path) in text
    assert "sandbox.timeout_s" in text


def test_explicit_path_argument(tmp_path: Path) -> None:
    path = write(tmp_path, "[sandbox]\nmemory_mb = 512\n", "explicit.toml")
    assert load_settings(path).sandbox.memory_mb == 512
    assert load_settings(str(path)).sandbox.memory_mb == 512


def test_quorum_config_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[sandbox]\nmemory_mb = 300\n", "from-env.toml")
    monkeypatch.setenv("QUORUM_CONFIG", str(path))
    assert load_settings().sandbox.memory_mb == 300


def test_explicit_path_beats_quorum_config_and_default_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = default_file()
    default.parent.mkdir(parents=True)
    default.write_text("[sandbox]\nmemory_mb = 100\n", encoding="utf-8")
    monkeypatch.setenv("QUORUM_CONFIG", str(write(tmp_path, "[sandbox]\nmemory_mb = 200\n", "env.toml")))
    explicit = write(tmp_path, "[sandbox]\nmemory_mb = 300\n", "explicit.toml")
    assert load_settings(explicit).sandbox.memory_mb == 300
    assert load_settings().sandbox.memory_mb == 200


def test_explicit_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    error = config_error(missing)
    assert isinstance(error, UserError)
    text = assert_one_line(error)
    assert str(missing) in text
    assert "not found" in text


def test_quorum_config_naming_a_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "missing-from-env.toml"
    monkeypatch.setenv("QUORUM_CONFIG", str(missing))
    text = assert_one_line(config_error())
    assert str(missing) in text


def test_directory_given_as_config(tmp_path: Path) -> None:
    text = assert_one_line(config_error(tmp_path))
    assert str(tmp_path) in text
    assert "directory" in text


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[sandbox]\ndocker_image = "caf\xe9"\n'.encode("latin-1"))
    text = assert_one_line(config_error(path))
    assert str(path) in text
    assert "UTF-8" in text


def test_invalid_toml_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "[sandbox]\ntimeout_s = 5\nmemory_mb = = 3\n")
    text = assert_one_line(config_error(path))
    assert str(path) in text
    assert "invalid TOML" in text
    assert "line 3" in text
    assert "column" in text


# --- precedence ------------------------------------------------------------------------------------


def test_environment_beats_file_beats_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[sandbox]\ntimeout_s = 9\nmemory_mb = 512\n")
    from_file = load_settings(path)
    assert (from_file.sandbox.timeout_s, from_file.sandbox.memory_mb) == (9, 512)
    assert from_file.sandbox.backend == "auto"  # neither file nor env: default

    monkeypatch.setenv("QUORUM_SANDBOX__TIMEOUT_S", "11")
    merged = load_settings(path)
    assert merged.sandbox.timeout_s == 11  # env beats file
    assert merged.sandbox.memory_mb == 512  # the file's other keys in the same table survive
    assert merged.sandbox.backend == "auto"


def test_environment_beats_defaults_without_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUORUM_SANDBOX__TIMEOUT_S", "2.5")
    monkeypatch.setenv("QUORUM_CACHE__BACKEND", "redis")
    settings = load_settings()
    assert settings.sandbox.timeout_s == 2.5
    assert settings.cache.backend == "redis"


def test_quorum_config_itself_is_not_taken_for_a_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUORUM_CONFIG", str(write(tmp_path, "")))
    assert load_settings() == Settings()


# --- the contract example --------------------------------------------------------------------------


def test_contract_example_loads(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, CONTRACT_EXAMPLE + LOCAL_PROVIDER))
    assert settings.cache.enabled is True
    assert settings.cache.similarity_threshold == 0.95
    assert settings.cache.backend == "disk"
    assert settings.cache.redis_url == "redis://127.0.0.1:6379/0"
    assert settings.sandbox.backend == "auto"
    assert settings.sandbox.timeout_s == 5
    assert settings.sandbox.memory_mb == 256
    assert settings.metrics.port == 9464
    groq, local = settings.providers
    assert groq.name == "groq"
    assert groq.kind == "groq"
    assert groq.model == "llama-3.3-70b-versatile"
    assert groq.base_url == "https://api.groq.com/openai/v1"
    assert groq.api_key_env == "GROQ_API_KEY"
    assert groq.timeout_s == 60
    assert groq.fallback == "local"
    assert (local.kind, local.base_url, local.api_key_env, local.fallback) == (
        "ollama",
        "http://127.0.0.1:11434",
        None,
        None,
    )


def test_contract_example_alone_names_its_undefined_fallback(tmp_path: Path) -> None:
    """The example falls back to "local" without defining it: that is refused, with a clear line."""
    path = write(tmp_path, CONTRACT_EXAMPLE)
    text = assert_one_line(config_error(path))
    assert str(path) in text
    assert "providers[0].fallback" in text
    assert "'local'" in text


def test_trailing_slash_of_base_url_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, PROVIDER.format(name="a") + 'base_url = "http://127.0.0.1:8000/v1/"\n')
    assert load_settings(path).providers[0].base_url == "http://127.0.0.1:8000/v1"


# --- one-line errors naming file, key and what is allowed -------------------------------------------


@pytest.mark.parametrize(
    ("toml", "key", "allowed"),
    [
        ("[sandbox]\nbogus = 1\n", "sandbox.bogus", ["backend", "timeout_s", "memory_mb", "docker_image"]),
        ("[sandbx]\nbackend = 'auto'\n", "sandbx", ["cache", "sandbox", "metrics", "providers"]),
        ("[cache]\nttl = 3\n", "cache.ttl", ["enabled", "similarity_threshold", "backend", "redis_url"]),
        ("[metrics]\nhost = 'x'\n", "metrics.host", ["port"]),
        (
            PROVIDER.format(name="a") + "api_key = 'secret'\n",
            "providers[0].api_key",
            ["name", "kind", "model", "base_url", "api_key_env", "timeout_s", "fallback"],
        ),
    ],
)
def test_unknown_key_names_file_key_and_allowed_names(
    tmp_path: Path, toml: str, key: str, allowed: list[str]
) -> None:
    path = write(tmp_path, toml)
    error = config_error(path)
    text = assert_one_line(error)
    assert text.startswith(str(path))
    assert f", {key}:" in text
    assert error.path == str(path)
    assert error.key == key
    assert "unknown setting" in text
    listed = text.split("allowed:", 1)[1]
    for name in allowed:
        assert name in listed


def test_unknown_key_with_a_newline_in_its_name_stays_on_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[sandbox]\n"evil\\nkey" = 1\n')
    text = assert_one_line(config_error(path))
    assert str(path) in text
    assert "evil" in text
    assert "unknown setting" in text


@pytest.mark.parametrize(
    ("toml", "key", "values"),
    [
        ("[sandbox]\nbackend = 'k8s'\n", "sandbox.backend", ["auto", "docker", "subprocess"]),
        ("[cache]\nbackend = 'memory'\n", "cache.backend", ["disk", "redis"]),
        (
            '[[providers]]\nname = "a"\nkind = "grok"\nmodel = "m"\n',
            "providers[0].kind",
            ["groq", "gemini", "huggingface", "ollama", "openai", "demo"],
        ),
    ],
)
def test_literal_error_lists_allowed_values(tmp_path: Path, toml: str, key: str, values: list[str]) -> None:
    path = write(tmp_path, toml)
    error = config_error(path)
    text = assert_one_line(error)
    assert str(path) in text
    assert error.key == key
    for value in values:
        assert f"'{value}'" in text


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[sandbox]\ntimeout_s = 0\n", "sandbox.timeout_s"),
        ("[sandbox]\nmemory_mb = 8\n", "sandbox.memory_mb"),
        ("[sandbox]\ntimeout_s = 'soon'\n", "sandbox.timeout_s"),
        ("[cache]\nsimilarity_threshold = 1.5\n", "cache.similarity_threshold"),
        ("[metrics]\nport = 70000\n", "metrics.port"),
        ("sandbox = 3\n", "sandbox"),
        ('[[providers]]\nname = "a"\nkind = "groq"\n', "providers[0].model"),
        ('[[providers]]\nname = "bad name!"\nkind = "groq"\nmodel = "m"\n', "providers[0].name"),
        (PROVIDER.format(name="a") + 'api_key_env = "1-BAD"\n', "providers[0].api_key_env"),
        (PROVIDER.format(name="a") + 'base_url = "ftp://example.com"\n', "providers[0].base_url"),
        (
            PROVIDER.format(name="a") + PROVIDER.format(name="b") + "timeout_s = -3\n",
            "providers[1].timeout_s",
        ),
        ("[sandbox]\ndocker_image = 'multi\\nline'\nmemory_mb = 'x\\ny'\n", "sandbox.memory_mb"),
    ],
)
def test_invalid_value_names_file_and_dotted_key(tmp_path: Path, toml: str, key: str) -> None:
    path = write(tmp_path, toml)
    error = config_error(path)
    text = assert_one_line(error)
    assert text.startswith(f"{path}, {key}: ")
    assert (error.path, error.key) == (str(path), key)


def test_rejected_value_is_shown(tmp_path: Path) -> None:
    text = assert_one_line(config_error(write(tmp_path, "[metrics]\nport = 70000\n")))
    assert "70000" in text


# --- providers ---------------------------------------------------------------------------------------


def test_duplicate_provider_names(tmp_path: Path) -> None:
    path = write(tmp_path, PROVIDER.format(name="twin") + PROVIDER.format(name="twin"))
    text = assert_one_line(config_error(path))
    assert str(path) in text
    assert "providers[" in text
    assert "duplicate" in text
    assert "'twin'" in text


def test_fallback_to_unknown_provider(tmp_path: Path) -> None:
    path = write(tmp_path, PROVIDER.format(name="a") + 'fallback = "ghost"\n' + PROVIDER.format(name="b"))
    text = assert_one_line(config_error(path))
    assert str(path) in text
    assert "providers[0].fallback" in text
    assert "'ghost'" in text
    assert "a, b" in text  # what is configured, so the user can pick


def test_fallback_to_itself(tmp_path: Path) -> None:
    path = write(tmp_path, PROVIDER.format(name="a") + PROVIDER.format(name="b") + 'fallback = "b"\n')
    text = assert_one_line(config_error(path))
    assert str(path) in text
    assert "providers[1].fallback" in text
    assert "itself" in text


def test_fallback_to_another_configured_provider_is_fine(tmp_path: Path) -> None:
    path = write(tmp_path, PROVIDER.format(name="a") + 'fallback = "b"\n' + PROVIDER.format(name="b"))
    assert [p.fallback for p in load_settings(path).providers] == ["b", None]


def test_base_url_with_query_string_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, PROVIDER.format(name="a") + 'base_url = "https://example.com/v1?key=abc"\n')
    error = config_error(path)
    text = assert_one_line(error)
    assert str(path) in text
    assert error.key == "providers[0].base_url"
    assert "query string" in text


# --- errors from the environment name the variable ---------------------------------------------------


def test_invalid_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUORUM_SANDBOX__BACKEND", "k8s")
    error = config_error()
    text = assert_one_line(error)
    assert "QUORUM_SANDBOX__BACKEND" in text
    assert error.key == "sandbox.backend"
    for value in ("auto", "docker", "subprocess"):
        assert f"'{value}'" in text


def test_invalid_environment_value_is_blamed_on_the_variable_even_when_the_file_sets_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "[sandbox]\ntimeout_s = 3\n")
    monkeypatch.setenv("QUORUM_SANDBOX__TIMEOUT_S", "-4")
    error = config_error(path)
    text = assert_one_line(error)
    assert "QUORUM_SANDBOX__TIMEOUT_S" in text
    assert str(path) not in text
    assert error.key == "sandbox.timeout_s"


def test_invalid_file_value_is_blamed_on_the_file_when_the_environment_sets_another_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "[sandbox]\ntimeout_s = -3\n")
    monkeypatch.setenv("QUORUM_SANDBOX__MEMORY_MB", "300")
    error = config_error(path)
    assert error.path == str(path)
    assert error.key == "sandbox.timeout_s"


def test_unknown_environment_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUORUM_SANDBOX__BOGUS", "1")
    error = config_error()
    text = assert_one_line(error)
    assert "QUORUM_SANDBOX__BOGUS" in text
    assert error.key == "sandbox.bogus"
    assert "backend" in text.split("allowed:", 1)[1]


def test_environment_json_that_does_not_parse_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUORUM_SANDBOX", "{not json")
    text = assert_one_line(config_error())
    assert "QUORUM_SANDBOX" in text
    assert "JSON" in text


def test_provider_list_from_the_environment_names_the_real_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUORUM_PROVIDERS", '[{"name": "a", "kind": "grok", "model": "m"}]')
    error = config_error()
    text = assert_one_line(error)
    assert error.path == "environment variable QUORUM_PROVIDERS"
    assert error.key == "providers[0].kind"
    assert "'groq'" in text


def test_duplicate_providers_from_the_environment_name_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "[sandbox]\ntimeout_s = 3\n")
    twin = {"name": "twin", "kind": "demo", "model": "m"}
    monkeypatch.setenv("QUORUM_PROVIDERS", f"[{json.dumps(twin)}, {json.dumps(twin)}]")
    error = config_error(path)
    text = assert_one_line(error)
    assert error.path == "environment variable QUORUM_PROVIDERS"
    assert "duplicate" in text
