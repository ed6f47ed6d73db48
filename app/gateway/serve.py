"""Running the gateway with uvicorn, refusing to expose it without a token.

With `workers` > 1, uvicorn's supervisor starts that many processes on one listening socket. A
verification holds its process's event loop for ~25 ms of CPU (HTTP to four providers, judging), so
one process serialises bursts of arrivals; more processes spread them over the cores. Each worker
builds its own pipeline (sandbox pool, providers, breakers, metrics) from the same settings: the
parent passes the config file on through QUORUM_CONFIG, and the token through the environment.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import TYPE_CHECKING

from app.config.settings import Settings
from app.core.errors import UserError

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["TOKEN_ENV", "is_loopback", "serve", "worker_app"]

TOKEN_ENV = "QUORUM_GATEWAY_TOKEN"  # noqa: S105 - the variable's name, not a secret


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: could resolve anywhere


def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int | None = None,
    config: str | os.PathLike[str] | None = None,
) -> None:
    token = _token()
    if not is_loopback(host) and token is None:
        raise UserError(
            f"refusing to listen on {host} without a token: set {TOKEN_ENV} (clients send it as "
            "'Authorization: Bearer <token>'), or listen on 127.0.0.1"
        )
    import uvicorn

    options = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,
        "lifespan": "on",
        "timeout_graceful_shutdown": 10,
    }
    count = workers or settings.gateway.workers
    if count == 1:
        from app.gateway.app import create_app

        uvicorn.run(create_app(settings, token=token), **options)  # type: ignore[arg-type]
        return
    if config is not None:
        os.environ["QUORUM_CONFIG"] = str(Path(config).resolve())  # the workers' settings
    uvicorn.run(f"{__name__}:worker_app", factory=True, workers=count, **options)  # type: ignore[arg-type]


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn calls this in each): settings as the parent read them."""
    from app.config import load_settings
    from app.config.paths import log_dir
    from app.core.logs import setup_logging
    from app.gateway.app import create_app

    setup_logging(0, log_dir())
    return create_app(load_settings(), token=_token())


def _token() -> str | None:
    token = os.environ.get(TOKEN_ENV, "").strip() or None
    if token is not None:
        from app.core.logs import register_secret

        register_secret(token)
    return token
