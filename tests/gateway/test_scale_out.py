"""Scale-out as documented: two gateway processes share one Redis cache; one gateway runs several
worker processes on one port.

A prompt verified through one gateway is an exact hit through the other (the example in the README).
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import psutil

from tests.cache.conftest import redis_url  # noqa: F401 - the real redis-server fixture
from tests.gateway.conftest import ThreadedFakeServer, config_text, start_gateway
from tests.providers.answers import openai_answer

PROMPT = "Write a Python function `add(a, b)` that returns the sum.\n\n>>> add(2, 3)\n5\n"
RIGHT = "```python\ndef add(a, b):\n    return a + b\n```"


def test_two_gateways_share_one_redis_cache(
    providers: ThreadedFakeServer,
    tmp_path: Path,
    redis_url: str,  # noqa: F811 - the fixture imported above
) -> None:
    for name in ("alpha", "beta"):
        providers.route("POST", f"/{name}/v1/chat/completions", openai_answer(RIGHT))
    prefix = f"quorum-scaleout-{uuid.uuid4().hex[:8]}:"
    cache = f'\n[cache]\nenabled = true\nbackend = "redis"\nredis_url = "{redis_url}"\nredis_prefix = "{prefix}"\n'
    config = tmp_path / "shared.toml"
    config.write_text(
        config_text(providers.url, ["alpha", "beta"]).replace("[cache]\nenabled = false\n", cache)
    )
    first, second = start_gateway(config), start_gateway(config)
    try:
        a = httpx.post(f"{first.url}/v1/verify", json={"prompt": PROMPT}, timeout=120).json()
        asked = len(providers.server.requests)
        b = httpx.post(f"{second.url}/v1/verify", json={"prompt": PROMPT}, timeout=120).json()
        assert (a["cache"], b["cache"]) == ("miss", "exact")
        assert b["verdict"] == a["verdict"] == "verified" and b["winner"] == a["winner"]
        assert len(providers.server.requests) == asked  # the second gateway asked nobody
    finally:
        first.stop()
        second.stop()


def test_workers_share_the_port_and_the_disk_cache(providers: ThreadedFakeServer, tmp_path: Path) -> None:
    for name in ("alpha", "beta"):
        providers.route("POST", f"/{name}/v1/chat/completions", openai_answer(RIGHT))
    config = tmp_path / "workers.toml"
    cache = f'[cache]\nenabled = true\npath = "{tmp_path / "cache"}"\n'
    config.write_text(
        config_text(providers.url, ["alpha", "beta"]).replace("[cache]\nenabled = false\n", cache)
    )
    gateway = start_gateway(config, args=("--workers", "2"))
    try:
        workers = [
            child
            for child in psutil.Process(gateway.process.pid).children()
            if "spawn_main" in " ".join(child.cmdline())
        ]
        assert len(workers) == 2
        first = httpx.post(f"{gateway.url}/v1/verify", json={"prompt": PROMPT}, timeout=120).json()
        assert (first["cache"], first["verdict"]) == ("miss", "verified")
        # Fresh connections land on either worker: every one finds the result the other stored.
        kinds = {
            httpx.post(f"{gateway.url}/v1/verify", json={"prompt": PROMPT}, timeout=60).json()["cache"]
            for _ in range(8)
        }
        assert kinds == {"exact"}
    finally:
        gateway.stop()
    assert not [worker for worker in workers if worker.is_running()], "workers outlived the gateway"


def test_workers_must_be_a_sensible_count(tmp_path: Path) -> None:
    config = tmp_path / "empty.toml"
    config.write_text("")
    done = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--workers", "0", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "expected 1 to 64 processes" in done.stderr
    assert "Traceback" not in done.stderr
