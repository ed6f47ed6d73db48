"""A bug in the gateway answers one clear JSON line and logs the traceback; it never leaks it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config.settings import Settings
from app.gateway.app import create_app
from app.gateway.service import GatewayService


def test_an_unexpected_exception_is_a_json_500_and_a_logged_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(self: GatewayService, prompt: str, **_: object) -> None:
        raise RuntimeError("a bug deep in the pipeline")

    monkeypatch.setattr(GatewayService, "verify", broken)
    settings = Settings(cache={"enabled": False}, sandbox={"pool_size": 0})
    with (
        caplog.at_level(logging.ERROR),
        TestClient(create_app(settings, token=None), raise_server_exceptions=False) as client,
    ):
        reply = client.post("/v1/verify", json={"prompt": "Write a function that adds two numbers."})
    assert reply.status_code == 500
    assert reply.json()["error"]["type"] == "server_error"
    assert "Traceback" not in reply.text and "a bug deep" not in reply.text
    logged = [record for record in caplog.records if record.name == "app.gateway.app"]
    assert logged and logged[0].exc_info is not None
    assert "a bug deep in the pipeline" in str(logged[0].exc_info[1])
