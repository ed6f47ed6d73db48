"""`quorum verify` as a user runs it: a real process, a config file, provider servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.core.test_orchestrator import KEYS, PROMPT, RIGHT, RIGHT_TOO, WRONG
from tests.providers.answers import (
    gemini_answer,
    gemini_quota,
    hangs,
    ollama_answer,
    ollama_garbage,
    openai_answer,
)
from tests.providers.fakeserver import FakeServer

CONTRACT_ANSWER = {
    "provider",
    "model",
    "status",
    "served_by",
    "latency_ms",
    "text",
    "code",
    "error",
    "execution",
}


@pytest.fixture
async def server() -> AsyncIterator[FakeServer]:
    fake = await FakeServer().start()
    yield fake
    await fake.stop()


def write_config(path: Path, url: str, *, hf_timeout: float = 30.0, cache: bool = False) -> Path:
    path.write_text(f"""
[sandbox]
backend = "subprocess"
timeout_s = 5

[cache]
enabled = {"true" if cache else "false"}

[metrics]
port = 0

[[providers]]
name = "groq"
kind = "groq"
model = "llama-3.3-70b-versatile"
base_url = "{url}/openai/v1"

[[providers]]
name = "gemini"
kind = "gemini"
model = "gemini-2.0-flash"
base_url = "{url}"
fallback = "backup"

[[providers]]
name = "hf"
kind = "huggingface"
model = "qwen"
base_url = "{url}/hf/v1"
timeout_s = {hf_timeout}

[[providers]]
name = "local"
kind = "ollama"
model = "qwen2.5-coder"
base_url = "{url}"

[[providers]]
name = "backup"
kind = "openai"
model = "served-model"
base_url = "{url}/backup/v1"
""")
    return path


async def quorum(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "app",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **KEYS, **(env or {})},
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, out.decode(), err.decode()


async def test_verify_json_contract_all_healthy(server: FakeServer, tmp_path: Path) -> None:
    server.route("POST", "/openai/v1/chat/completions", openai_answer(RIGHT))
    server.route("POST", "/v1beta/models/gemini-2.0-flash:streamGenerateContent", gemini_answer(WRONG))
    server.route("POST", "/hf/v1/chat/completions", openai_answer(RIGHT_TOO))
    server.route("POST", "/api/chat", ollama_answer(RIGHT))
    config = write_config(tmp_path / "q.toml", server.url)
    code, out, err = await quorum(
        "verify", PROMPT, "--config", str(config), "--providers", "groq,gemini,hf,local", "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert set(result) >= {
        "prompt",
        "verdict",
        "confidence",
        "winner",
        "cache",
        "duration_ms",
        "answers",
        "explanation",
    }
    assert result["verdict"] == "verified" and result["cache"] == "miss"
    assert result["winner"]["provider"] in ("groq", "hf", "local")
    assert 0 <= result["confidence"] <= 1 and isinstance(result["duration_ms"], float)
    for answer in result["answers"]:
        assert set(answer) >= CONTRACT_ANSWER
    assert all(key not in out + err for key in KEYS.values())


async def test_verify_survives_429_hang_and_garbage(server: FakeServer, tmp_path: Path) -> None:
    server.route("POST", "/openai/v1/chat/completions", openai_answer(RIGHT))
    server.route("POST", "/v1beta/models/gemini-2.0-flash:streamGenerateContent", gemini_quota)
    server.route("POST", "/hf/v1/chat/completions", hangs)
    server.route("POST", "/api/chat", ollama_garbage)
    server.route("POST", "/backup/v1/chat/completions", openai_answer(RIGHT_TOO))
    config = write_config(tmp_path / "q.toml", server.url, hf_timeout=2)
    code, out, err = await quorum(
        "verify", PROMPT, "--config", str(config), "--providers", "groq,gemini,hf,local", "--json"
    )
    assert code == 0, err
    statuses = {a["provider"]: (a["status"], a["served_by"]) for a in json.loads(out)["answers"]}
    assert statuses == {
        "groq": ("ok", None),
        "gemini": ("rate_limited", "backup"),
        "hf": ("timeout", None),
        "local": ("error", None),
    }


async def test_verify_one_provider_is_never_verified_and_human_output_reads_well(
    server: FakeServer, tmp_path: Path
) -> None:
    server.route("POST", "/openai/v1/chat/completions", openai_answer(RIGHT))
    config = write_config(tmp_path / "q.toml", server.url)
    code, out, err = await quorum("verify", PROMPT, "--config", str(config), "--providers", "groq")
    assert code == 0, err
    assert out.startswith("verdict: disputed")
    assert "--- winning code ---" in out and "return a + b" in out
    assert "groq: ok" in err  # progress goes to stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["verify", ""], "prompt is empty"),
        (["verify", "x", "--providers", "nope"], "unknown provider"),
        (["verify", "x" * 100_001], "limit is 100000"),
    ],
)
async def test_verify_user_errors_are_one_line(
    server: FakeServer, tmp_path: Path, args: list[str], needle: str
) -> None:
    config = write_config(tmp_path / "q.toml", server.url)
    code, out, err = await quorum(*args, "--config", str(config))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err and "Traceback" not in err


async def test_demo_providers_answer_when_nothing_is_configured(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("[sandbox]\nbackend = 'subprocess'\n[cache]\nenabled = false\n")
    code, out, err = await quorum(
        "verify",
        "Write a Python function that reverses a string.",
        "--config",
        str(empty),
        "--json",
        env={"QUORUM_DEMO_SPEED": "50", "OLLAMA_HOST": "http://127.0.0.1:9"},
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["mode"] == "demo" and result["verdict"] == "verified"
    assert all("recorded demo" in answer["model"] for answer in result["answers"])


async def test_demo_says_what_it_knows_for_other_prompts(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("[cache]\nenabled = false\n")
    code, out, err = await quorum(
        "verify",
        "Write a quicksort in Rust.",
        "--config",
        str(empty),
        "--json",
        env={"QUORUM_DEMO_SPEED": "50", "OLLAMA_HOST": "http://127.0.0.1:9"},
    )
    assert code == 0, err
    text = json.loads(out)["answers"][0]["text"]
    assert "reverses a string" in text


async def test_a_repeated_prompt_is_an_exact_cache_hit_and_no_cache_bypasses(
    server: FakeServer, tmp_path: Path
) -> None:
    server.route("POST", "/openai/v1/chat/completions", openai_answer(RIGHT))
    server.route("POST", "/hf/v1/chat/completions", openai_answer(RIGHT_TOO))
    config = write_config(tmp_path / "q.toml", server.url, cache=True)
    args = ("verify", PROMPT, "--config", str(config), "--providers", "groq,hf", "--json")
    first = json.loads((await quorum(*args))[1])
    asked = len(server.requests)
    second = json.loads((await quorum(*args))[1])
    assert (first["cache"], second["cache"]) == ("miss", "exact")
    assert second["verdict"] == first["verdict"] == "verified" and second["winner"] == first["winner"]
    assert len(server.requests) == asked  # nobody was asked again
    third = json.loads((await quorum(*args, "--no-cache"))[1])
    assert third["cache"] == "miss" and len(server.requests) == asked + 2
    code, out, _ = await quorum(
        "cache", "lookup", PROMPT, "--config", str(config), "--providers", "groq,hf", "--json"
    )
    assert code == 0 and json.loads(out)["kind"] == "exact"
