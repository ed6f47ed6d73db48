"""Running the gateway with uvicorn, refusing to expose it without a token."""

from __future__ import annotations

import ipaddress
import os

from app.config.settings import Settings
from app.core.errors import UserError

__all__ = ["TOKEN_ENV", "is_loopback", "serve"]

TOKEN_ENV = "QUORUM_GATEWAY_TOKEN"  # noqa: S105 - the variable's name, not a secret


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: could resolve anywhere


def serve(settings: Settings, *, host: str, port: int) -> None:
    token = os.environ.get(TOKEN_ENV, "").strip() or None
    if not is_loopback(host) and token is None:
        raise UserError(
            f"refusing to listen on {host} without a token: set {TOKEN_ENV} (clients send it as "
            "'Authorization: Bearer <token>'), or listen on 127.0.0.1"
        )
    if token is not None:
        from app.core.logs import register_secret

        register_secret(token)
    import uvicorn

    from app.gateway.app import create_app

    uvicorn.run(
        create_app(settings, token=token),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
    )
