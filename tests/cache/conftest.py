"""Fixtures for the cache suites: the real model (loaded once), real stores, a real redis-server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from app.cache.cache import ResultCache
from app.cache.disk_store import DiskStore
from app.cache.embed_onnx import export_problem, onnx_model_dir
from app.cache.embedder import BACKEND_ENV, Embedder
from app.cache.entry import CacheContext, ProviderIdentity
from app.cache.redis_store import RedisStore
from app.cache.store import CacheStore
from app.config.settings import CacheSettings

CONTEXT = CacheContext(providers=(ProviderIdentity("alpha", "openai", "model-a"),))
OTHER_CONTEXT = CacheContext(providers=(ProviderIdentity("alpha", "openai", "model-b"),))


@pytest.fixture(scope="session")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ONNX export the app uses (scripts/bootstrap.sh makes it). Missing or stale (a fresh machine
    before bootstrap), it is exported into a temp dir for the session: ONNX tests never skip."""
    directory = onnx_model_dir()
    if export_problem(directory) is None:
        return directory
    from app.cache.onnx_export import export

    out = tmp_path_factory.mktemp("models") / "all-MiniLM-L6-v2"
    export(out)
    return out


@pytest.fixture(scope="session")
def embedder(onnx_dir: Path) -> Embedder:
    """One real all-MiniLM-L6-v2 for the whole session, on the default backend (ONNX, unless
    QUORUM_EMBEDDER_BACKEND says otherwise)."""
    model = Embedder(onnx_dir=onnx_dir)
    model.load()
    if not os.environ.get(BACKEND_ENV):
        assert model.backend == "onnx", "the default backend should be ONNX when the export is there"
    return model


@pytest.fixture(scope="session")
def onnx_embedder(embedder: Embedder, onnx_dir: Path) -> Embedder:
    """The ONNX backend whatever QUORUM_EMBEDDER_BACKEND says (the default embedder when it is unset)."""
    if embedder.backend == "onnx":
        return embedder
    model = Embedder(backend="onnx", onnx_dir=onnx_dir)
    model.load()
    return model


@pytest.fixture(scope="session")
def torch_embedder() -> Embedder:
    """The torch backend (sentence-transformers), loaded once."""
    model = Embedder(backend="torch")
    model.load()
    return model


class CountingEmbedder(Embedder):
    """The real embedder, counting calls (to prove exact hits cost no embedding)."""

    def __init__(self, inner: Embedder) -> None:
        super().__init__()
        self._inner = inner
        self.calls = 0

    def embed(self, text: str) -> Any:
        self.calls += 1
        return self._inner.embed(text)


@pytest.fixture
def counting(embedder: Embedder) -> CountingEmbedder:
    return CountingEmbedder(embedder)


def _ping(port: int) -> bool:
    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server: the one on 127.0.0.1:6379 if it answers (CI starts one), else our own."""
    if _ping(6379):
        yield "redis://127.0.0.1:6379/0"
        return
    binary = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server): Redis backend not tested")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not _ping(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_store(redis_url: str) -> Iterator[RedisStore]:
    """A Redis store under a prefix of its own (the server may be shared), emptied afterwards."""
    store = RedisStore(redis_url, prefix=f"quorum-test:{uuid.uuid4().hex[:12]}:")
    try:
        yield store
    finally:
        store.clear()
        store._redis.delete(store.prefix + "epoch")
        store.close()


@pytest.fixture
def disk_store(tmp_path: Path) -> Iterator[DiskStore]:
    store = DiskStore(tmp_path / "cache")
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(params=["disk", "redis"])
def store(request: pytest.FixtureRequest) -> CacheStore:
    """Each store behaviour test runs against both backends."""
    fixture = "disk_store" if request.param == "disk" else "redis_store"
    value: CacheStore = request.getfixturevalue(fixture)
    return value


@pytest.fixture
def cache(disk_store: DiskStore, embedder: Embedder) -> ResultCache:
    return ResultCache(disk_store, CacheSettings(), embedder=embedder)


def verified_result(
    prompt: str,
    code: str = "def solve(x):\n    return x\n",
    *,
    verdict: str = "verified",
    provider: str = "alpha",
    model: str = "model-a",
) -> dict[str, Any]:
    """A `quorum verify --json` object as the pipeline produces it (one answer, the winner)."""
    return {
        "prompt": prompt,
        "verdict": verdict,
        "confidence": 0.93,
        "winner": {"index": 0, "provider": provider} if verdict == "verified" else None,
        "cache": "miss",
        "duration_ms": 4321.0,
        "answers": [
            {
                "provider": provider,
                "model": model,
                "status": "ok",
                "served_by": None,
                "latency_ms": 812.5,
                "text": f"Here you go:\n\n```python\n{code}```\n",
                "code": code,
                "error": None,
                "execution": {
                    "status": "ok",
                    "exit_code": 0,
                    "stdout": "",
                    "stderr": "",
                    "duration_ms": 31.0,
                    "backend": "subprocess",
                    "truncated": False,
                    "signal": None,
                    "isolation": "rlimits",
                    "warnings": [],
                },
                "time_to_first_token_ms": 120.0,
                "retries": 0,
            }
        ],
        "explanation": "All answers agree.",
        "mode": "configured",
        "clusters": [[0]],
        "disagreements": [],
    }
