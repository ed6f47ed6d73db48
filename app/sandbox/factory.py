"""Choosing a sandbox backend from settings."""

from __future__ import annotations

import logging
from typing import Literal

from app.core.errors import SandboxUnavailableError
from app.sandbox.base import Sandbox

__all__ = ["BackendChoice", "create_sandbox"]

BackendChoice = Literal["auto", "docker", "subprocess"]
_log = logging.getLogger(__name__)


def create_sandbox(
    backend: BackendChoice = "auto", *, docker_image: str | None = None, pool_size: int = 2
) -> Sandbox:
    """`auto`: Docker when an engine answers, else the subprocess backend's strongest layer."""
    from app.sandbox.docker_backend import DEFAULT_IMAGE, DockerSandbox, docker_unavailable_reason
    from app.sandbox.subprocess_backend import SubprocessSandbox

    if backend in ("auto", "docker"):
        reason = docker_unavailable_reason()
        if reason is None:
            return DockerSandbox(image=docker_image or DEFAULT_IMAGE)
        if backend == "docker":
            raise SandboxUnavailableError(f"sandbox backend 'docker' is not usable: {reason}")
        _log.info("Docker not available (%s); using the subprocess sandbox", reason)
    return SubprocessSandbox(pool_size=pool_size)
