"""The gateway as clients use it: the official openai client, httpx, tokens, overload, disconnects."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openai import OpenAI

from tests.gateway.conftest import Gateway, ThreadedFakeServer, config_text, launcher_processes, start_gateway
from tests.providers.answers import hangs, openai_answer

PROMPT = "Write a Python function `add(a, b)` that returns the sum.\n\n>>> add(2, 3)\n5\n"
RIGHT = "```python\ndef add(a, b):\n    return a + b\n```"
RIGHT_TOO = "Sure:\n```python\ndef add(a, b):\n    total = a + b\n    return total\n```"
NAMES = ["alpha", "beta", "gamma"]


@pytest.fixture
def gateway(providers: ThreadedFakeServer, tmp_path: Path) -> Iterator[Gateway]:
    for name, text in zip(NAMES, (RIGHT, RIGHT_TOO, RIGHT), strict=True):
        providers.route("POST", f"/{name}/v1/chat/completions", openai_answer(text))
    config = tmp_path / "gateway.toml"
    config.write_text(config_text(providers.url, NAMES))
    running = start_gateway(config)
    yield running
    running.stop()


def test_openai_client_gets_the_verified_winner(gateway: Gateway) -> None:
    client = OpenAI(base_url=f"{gateway.url}/v1", api_key="unused")
    reply = client.chat.completions.create(model="quorum", messages=[{"role": "user", "content": PROMPT}])
    assert "def add" in (reply.choices[0].message.content or "")
    extra = reply.model_extra or {}
    assert extra["quorum"]["verdict"] == "verified"
    assert [a["provider"] for a in extra["quorum"]["answers"]] == NAMES


def test_openai_client_streams_the_winner_after_judging(gateway: Gateway) -> None:
    client = OpenAI(base_url=f"{gateway.url}/v1", api_key="unused")
    stream = client.chat.completions.create(
        model="quorum:alpha,beta", messages=[{"role": "user", "content": PROMPT}], stream=True
    )
    chunks = list(stream)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert "def add" in text
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["quorum"]["verdict"] == "verified"


def test_verify_endpoint_returns_the_verify_contract(gateway: Gateway) -> None:
    reply = httpx.post(
        f"{gateway.url}/v1/verify", json={"prompt": PROMPT, "providers": ["alpha", "beta"]}, timeout=60
    )
    assert reply.status_code == 200
    data = reply.json()
    assert data["verdict"] == "verified" and data["cache"] == "miss"
    assert [a["provider"] for a in data["answers"]] == ["alpha", "beta"]


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({}, 422, "prompt"),
        ({"prompt": 3}, 422, "prompt"),
        ({"prompt": "x", "bogus": 1}, 422, "bogus"),
        ({"prompt": ""}, 400, "empty"),
        ({"prompt": "x", "providers": ["nope"]}, 400, "unknown provider"),
        ({"prompt": "x" * 100_001}, 413, "limit"),
    ],
)
def test_bad_bodies_get_clear_errors(
    gateway: Gateway, body: dict[str, object], status: int, needle: str
) -> None:
    reply = httpx.post(f"{gateway.url}/v1/verify", json=body, timeout=30)
    assert reply.status_code == status
    assert needle in reply.json()["error"]["message"]


def test_not_json_and_unknown_model(gateway: Gateway) -> None:
    reply = httpx.post(
        f"{gateway.url}/v1/verify", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert reply.status_code == 422
    client = OpenAI(base_url=f"{gateway.url}/v1", api_key="unused", max_retries=0)
    with pytest.raises(Exception, match="unknown model"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": PROMPT}])


def test_providers_health_and_metrics(gateway: Gateway) -> None:
    providers = httpx.get(f"{gateway.url}/v1/providers").json()["providers"]
    assert [(p["name"], p["breaker"]) for p in providers] == [(name, "closed") for name in NAMES]
    assert httpx.get(f"{gateway.url}/healthz").json() == {"status": "ok"}
    deadline = time.monotonic() + 30
    while httpx.get(f"{gateway.url}/readyz").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert httpx.get(f"{gateway.url}/readyz").json()["ready"] is True
    httpx.post(f"{gateway.url}/v1/verify", json={"prompt": PROMPT}, timeout=60)
    metrics = httpx.get(f"{gateway.url}/metrics").text
    assert 'quorum_verdicts_total{verdict="verified"} 1.0' in metrics


def test_token_is_required_when_set(providers: ThreadedFakeServer, tmp_path: Path) -> None:
    providers.route("POST", "/alpha/v1/chat/completions", openai_answer(RIGHT))
    config = tmp_path / "g.toml"
    config.write_text(config_text(providers.url, ["alpha"]))
    running = start_gateway(config, env={"QUORUM_GATEWAY_TOKEN": "s3cret-token-value"})
    try:
        body = {"prompt": PROMPT}
        assert httpx.post(f"{running.url}/v1/verify", json=body).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert httpx.post(f"{running.url}/v1/verify", json=body, headers=wrong).status_code == 401
        right = {"Authorization": "Bearer s3cret-token-value"}
        assert httpx.post(f"{running.url}/v1/verify", json=body, headers=right, timeout=60).status_code == 200
        assert httpx.get(f"{running.url}/healthz").status_code == 200  # probes need no token
    finally:
        err = running.stop()
    assert "s3cret-token-value" not in err


def test_listening_beyond_loopback_needs_a_token(tmp_path: Path) -> None:
    config = tmp_path / "g.toml"
    config.write_text("")
    env = {k: v for k, v in os.environ.items() if k != "QUORUM_GATEWAY_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--host", "0.0.0.0", "--config", str(config)],  # noqa: S104
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "QUORUM_GATEWAY_TOKEN" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_overload_gets_429_with_retry_after(providers: ThreadedFakeServer, tmp_path: Path) -> None:
    providers.route("POST", "/alpha/v1/chat/completions", hangs)
    config = tmp_path / "g.toml"
    config.write_text(
        config_text(providers.url, ["alpha"], extra="\n[gateway]\nmax_concurrent = 1\nmax_queue = 0\n")
    )
    running = start_gateway(config)
    try:
        with httpx.Client(timeout=30) as client:
            import threading

            def hold_the_only_slot() -> None:
                with contextlib.suppress(httpx.HTTPError):  # it times out by design
                    client.post(f"{running.url}/v1/verify", json={"prompt": PROMPT}, timeout=3)

            first = threading.Thread(target=hold_the_only_slot, daemon=True)
            first.start()
            time.sleep(1.0)
            busy = httpx.post(f"{running.url}/v1/verify", json={"prompt": PROMPT}, timeout=10)
            assert busy.status_code == 429
            assert int(busy.headers["retry-after"]) >= 1
    finally:
        running.stop()


def test_a_client_that_disconnects_leaves_nothing_running(
    providers: ThreadedFakeServer, tmp_path: Path
) -> None:
    slow = "```python\nimport time\n\ndef add(a, b):\n    return a + b\n\nif __name__ == '__main__':\n    time.sleep(60)\n```"
    providers.route("POST", "/alpha/v1/chat/completions", openai_answer(slow))
    config = tmp_path / "g.toml"
    config.write_text(config_text(providers.url, ["alpha"]).replace("timeout_s = 5", "timeout_s = 60"))
    running = start_gateway(config)
    try:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{running.url}/v1/verify", json={"prompt": PROMPT}, timeout=3)
        deadline = time.monotonic() + 10
        while launcher_processes() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert launcher_processes() == []
        assert running.process.poll() is None  # the gateway itself is fine
        assert httpx.get(f"{running.url}/healthz").status_code == 200
    finally:
        running.stop()


def test_chat_completion_without_winner_explains(providers: ThreadedFakeServer, tmp_path: Path) -> None:
    providers.route("POST", "/alpha/v1/chat/completions", openai_answer("I cannot write code today."))
    config = tmp_path / "g.toml"
    config.write_text(config_text(providers.url, ["alpha"]))
    running = start_gateway(config)
    try:
        reply = httpx.post(
            f"{running.url}/v1/chat/completions",
            json={"model": "quorum", "messages": [{"role": "user", "content": PROMPT}]},
            timeout=60,
        )
        body = reply.json()
        assert reply.status_code == 200
        assert body["quorum"]["verdict"] == "failed"
        assert "could not verify" in body["choices"][0]["message"]["content"]
        json.dumps(body)
    finally:
        running.stop()
