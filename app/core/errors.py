"""One root error type; subclasses are chosen by how a caller handles them.

- `UserError`: the user can fix it (bad config, bad arguments, missing key). Print one line, exit non-zero.
- `TransientError`: worth retrying or falling back (network trouble, rate limits, 5xx).
- `ProviderError`: a provider answered with an error that retrying will not fix.
- `SandboxError`: the sandbox itself could not run (not the program failing inside it).
Vendor exceptions are translated into these once, at the boundary where they occur.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "MissingKeyError",
    "ProviderError",
    "QuorumError",
    "SandboxError",
    "SandboxUnavailableError",
    "TransientError",
    "UserError",
]


class QuorumError(Exception):
    """Root of every error Quorum raises on purpose."""


class UserError(QuorumError):
    """Something the user can fix; the message says how."""


class ConfigError(UserError):
    """A configuration file or setting is invalid."""

    def __init__(self, message: str, *, path: str | None = None, key: str | None = None) -> None:
        self.path = path
        self.key = key
        where = ", ".join(part for part in (path, key) if part)
        super().__init__(f"{where}: {message}" if where else message)


class MissingKeyError(UserError):
    """An API key is needed and none was found."""


class TransientError(QuorumError):
    """A failure that may go away: retry, back off or fall back."""


class ProviderError(QuorumError):
    """A provider refused or broke in a way retrying will not fix."""


class SandboxError(QuorumError):
    """The sandbox could not run a program (not: the program failed)."""


class SandboxUnavailableError(SandboxError):
    """The requested sandbox backend cannot work on this machine."""
