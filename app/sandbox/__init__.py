"""Run untrusted programs under hard limits. Backends: `subprocess` (layered isolation) and `docker`."""

from app.sandbox.base import Sandbox, SandboxLimits, SandboxRequest, SandboxResult, Status

__all__ = ["Sandbox", "SandboxLimits", "SandboxRequest", "SandboxResult", "Status"]
