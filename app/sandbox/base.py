"""The sandbox interface: what a run asks for and what it reports, whatever the backend."""

from __future__ import annotations

import signal as signals
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "MAX_CODE_BYTES",
    "MAX_STDIN_BYTES",
    "BackendName",
    "Sandbox",
    "SandboxLimits",
    "SandboxRequest",
    "SandboxResult",
    "Status",
    "classify_exit",
    "signal_name",
]

Status = Literal["ok", "error", "timeout", "oom", "output_limit", "killed", "blocked"]
BackendName = Literal["subprocess", "docker"]

MAX_CODE_BYTES = 1_000_000
MAX_STDIN_BYTES = 16_000_000


@dataclass(frozen=True)
class SandboxLimits:
    """Hard limits for one run. Every backend enforces all of them."""

    timeout_s: float = 5.0
    memory_mb: int = 256
    output_bytes: int = 1_000_000  # per stream; past it the run is stopped with `output_limit`
    processes: int = 32  # processes and threads together (each may use memory_mb: keep it small)
    open_files: int = 64
    file_size_mb: int = 16  # largest single file the program may write
    workdir_mb: int = 64  # size of the private work dir (and of its private /tmp)

    def __post_init__(self) -> None:
        if not 0 < self.timeout_s <= 3600:
            raise ValueError("timeout_s must be in (0, 3600]")
        if not 16 <= self.memory_mb <= 65536:
            raise ValueError("memory_mb must be between 16 and 65536")
        for name in ("output_bytes", "processes", "open_files", "file_size_mb", "workdir_mb"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive")

    def launcher_header(self, code_len: int) -> bytes:
        """The job header line the launcher parses (see launcher.read_job)."""
        cpu_s = max(1, int(self.timeout_s) + 1)  # wall clock is the real limit; CPU seconds back it up
        fields = (code_len, cpu_s, self.memory_mb, self.file_size_mb, self.open_files, self.processes)
        return (" ".join(str(value) for value in fields) + "\n").encode("ascii")


@dataclass(frozen=True)
class SandboxRequest:
    code: str
    stdin: bytes | None = None
    limits: SandboxLimits = field(default_factory=SandboxLimits)

    def __post_init__(self) -> None:
        if len(self.code.encode("utf-8", errors="surrogatepass")) > MAX_CODE_BYTES:
            raise ValueError(f"program is larger than {MAX_CODE_BYTES // 1000} kB")
        if self.stdin is not None and len(self.stdin) > MAX_STDIN_BYTES:
            raise ValueError(f"stdin is larger than {MAX_STDIN_BYTES // 1_000_000} MB")


@dataclass
class SandboxResult:
    """One run's outcome. `to_json` gives the `quorum sandbox --json` contract (plus added fields)."""

    status: Status
    exit_code: int | None
    stdout: str
    stderr: str
    duration_ms: float
    backend: BackendName
    truncated: bool = False
    signal: str | None = None
    isolation: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "exit_code": self.exit_code,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration_ms": round(self.duration_ms, 3),
            "backend": self.backend,
            "truncated": self.truncated,
            "signal": self.signal,
            "isolation": self.isolation,
            "warnings": list(self.warnings),
        }


class Sandbox(ABC):
    """Runs one untrusted Python program under hard limits; safe to call concurrently."""

    name: BackendName

    @property
    @abstractmethod
    def isolation(self) -> str:
        """A short name of the isolation in force (e.g. `bwrap`, `docker`, `rlimits`)."""

    @property
    def warnings(self) -> list[str]:
        """What a user should know about this sandbox's strength (empty when fully isolated)."""
        return []

    @abstractmethod
    async def run(self, request: SandboxRequest) -> SandboxResult:
        """Run the program; raises `SandboxError` only when the sandbox itself failed."""

    @abstractmethod
    async def aclose(self) -> None:
        """Stop pre-started workers and release what the backend holds."""


def signal_name(number: int) -> str:
    try:
        return signals.Signals(number).name
    except ValueError:
        return f"SIG{number}"


def classify_exit(
    *, exit_code: int | None, signal_number: int | None, stderr: str
) -> tuple[Status, str | None]:
    """Status from how the program ended (our own timeout and output kills are decided by the caller)."""
    if signal_number is not None:
        if signal_number == signals.SIGSYS:
            return "blocked", signal_name(signal_number)  # seccomp killed a forbidden system call
        if signal_number == signals.SIGXCPU:
            return "timeout", signal_name(signal_number)  # CPU-seconds limit
        return "killed", signal_name(signal_number)
    if exit_code == 0:
        return "ok", None
    if _ends_with_memory_error(stderr):
        return "oom", None
    return "error", None


def _ends_with_memory_error(stderr: str) -> bool:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return bool(lines) and lines[-1].startswith("MemoryError")
