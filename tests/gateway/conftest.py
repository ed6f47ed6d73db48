"""A real gateway process (`quorum serve`) in front of fake providers served from a thread's event loop."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.providers.answers import Handler
from tests.providers.fakeserver import FakeServer

LAUNCHER_MARK = "quorum-launcher: malformed job"


class ThreadedFakeServer:
    """FakeServer on its own loop in a thread, so blocking clients can be used from the test."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.server = FakeServer()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> ThreadedFakeServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        return self

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.server.route(method, path, handler)

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


@pytest.fixture
def providers() -> Iterator[ThreadedFakeServer]:
    fake = ThreadedFakeServer().start()
    yield fake
    fake.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config_text(url: str, names: list[str], *, extra: str = "") -> str:
    blocks = "".join(
        f'\n[[providers]]\nname = "{name}"\nkind = "openai"\nmodel = "{name}-model"\nbase_url = "{url}/{name}/v1"\n'
        for name in names
    )
    return f'[sandbox]\nbackend = "subprocess"\ntimeout_s = 5\npool_size = 0\n\n[cache]\nenabled = false\n{extra}{blocks}'


@dataclass
class Gateway:
    url: str
    process: subprocess.Popen[str]

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
        return err


def start_gateway(
    config: Path, *, env: dict[str, str] | None = None, host: str = "127.0.0.1", args: tuple[str, ...] = ()
) -> Gateway:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "serve",
            "--host",
            host,
            "--port",
            str(port),
            "--config",
            str(config),
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QUORUM_DEMO_SPEED": "100", **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gateway exited: {process.communicate()[1]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return Gateway(url, process)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("gateway did not start")


def launcher_processes() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if LAUNCHER_MARK.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found
