"""The Docker backend: one locked-down, throw-away container per run.

Settings (see `container_config`): no network, read-only root, size-limited tmpfs work dir and /tmp,
pids limit, memory with no swap, one CPU, all capabilities dropped, no-new-privileges, the engine's
default seccomp profile, uid 65534, ulimits (nofile, fsize, core 0), an init process, an environment
built from an allow-list (`env -i`, so the image's own variables do not leak in either), a capped log,
and on timeout a kill and a forced removal. The same launcher as the subprocess backend applies the
per-run rlimits inside and reads the program from stdin.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import SandboxError, SandboxUnavailableError
from app.sandbox.base import (
    Sandbox,
    SandboxLimits,
    SandboxRequest,
    SandboxResult,
    Status,
    classify_exit,
)
from app.sandbox.isolation import SANDBOX_HOME, sandbox_env

__all__ = ["DEFAULT_IMAGE", "DockerSandbox", "docker_unavailable_reason"]

DEFAULT_IMAGE = "python:3.11-slim"
_LAUNCHER_SOURCE = (Path(__file__).parent / "launcher.py").read_text(encoding="utf-8")
_NOBODY = "65534:65534"
_LOG_CAP = "2m"
_log = logging.getLogger(__name__)

ProgressCallback = Callable[[str], None]


def docker_unavailable_reason(timeout_s: float = 2.0) -> str | None:
    """None when a Docker engine answers; otherwise why not, in words a user can act on."""
    try:
        import docker

        client = docker.from_env(timeout=timeout_s)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as error:  # docker raises several unrelated types for "no engine"
        return f"no Docker engine answers ({type(error).__name__}); start Docker or set DOCKER_HOST"
    return None


class DockerSandbox(Sandbox):
    name = "docker"

    def __init__(
        self,
        *,
        image: str = DEFAULT_IMAGE,
        client: Any = None,
        on_progress: ProgressCallback | None = None,
    ) -> None:
        self.image = image
        self._client = client
        self._on_progress = on_progress or (lambda line: _log.info("docker pull: %s", line))
        self._image_ready = False
        self._lock = threading.Lock()

    @property
    def isolation(self) -> str:
        return "docker"

    def container_config(self, limits: SandboxLimits) -> dict[str, Any]:
        """Keyword arguments for `containers.create`: every isolation setting in one place."""
        from docker.types import LogConfig, Ulimit

        env = [f"{key}={value}" for key, value in sandbox_env(SANDBOX_HOME).items()]
        file_size = limits.file_size_mb * 1024 * 1024
        tmpfs_options = f"rw,nosuid,nodev,size={limits.workdir_mb}m,mode=1777"
        return {
            "image": self.image,
            "entrypoint": ["/usr/bin/env", "-i", *env],
            "command": ["python3", "-S", "-s", "-B", "-c", _LAUNCHER_SOURCE, "0", "-", "-"],
            "user": _NOBODY,
            "working_dir": SANDBOX_HOME,
            "hostname": "sandbox",
            "network_mode": "none",
            "network_disabled": True,
            "read_only": True,
            "tmpfs": {SANDBOX_HOME: tmpfs_options, "/tmp": tmpfs_options},  # noqa: S108
            "pids_limit": limits.processes,
            "mem_limit": f"{limits.memory_mb}m",
            "memswap_limit": f"{limits.memory_mb}m",  # equal to memory: no swap
            "nano_cpus": 1_000_000_000,
            "cap_drop": ["ALL"],
            "security_opt": ["no-new-privileges:true"],  # default seccomp stays on: we never pass one
            "ipc_mode": "private",
            "ulimits": [
                Ulimit(name="nofile", soft=limits.open_files, hard=limits.open_files),
                Ulimit(name="fsize", soft=file_size, hard=file_size),
                Ulimit(name="core", soft=0, hard=0),
            ],
            "init": True,
            "environment": {},
            "log_config": LogConfig(type="json-file", config={"max-size": _LOG_CAP, "max-file": "1"}),
            "stdin_open": True,
            "labels": {"org.quorum.sandbox": "1"},
        }

    async def run(self, request: SandboxRequest) -> SandboxResult:
        return await asyncio.to_thread(self.run_sync, request)

    def run_sync(self, request: SandboxRequest) -> SandboxResult:
        import docker.errors
        import requests

        client = self._ensure_client()
        code = request.code.encode("utf-8", "surrogatepass")
        payload = request.limits.launcher_header(len(code)) + code + (request.stdin or b"")
        try:
            self.ensure_image()
            container = client.containers.create(**self.container_config(request.limits))
            try:
                return self._run_container(container, payload, request.limits)
            finally:
                try:
                    container.remove(force=True)
                except Exception as error:  # the run's result matters more than a failed clean-up
                    _log.warning("could not remove sandbox container %s: %s", container.id[:12], error)
        except (docker.errors.DockerException, requests.RequestException) as error:
            raise SandboxError(f"the Docker engine failed: {error}") from error

    async def aclose(self) -> None:
        if self._client is not None:
            await asyncio.to_thread(self._client.close)

    def ensure_image(self) -> None:
        """Pull the image once, reporting progress, if the engine does not have it yet."""
        import docker.errors

        with self._lock:
            if self._image_ready:
                return
            client = self._ensure_client()
            try:
                client.images.get(self.image)
            except docker.errors.ImageNotFound:
                # docker-py splits the tag itself (a registry's `host:port/` is not a tag).
                for event in client.api.pull(self.image, stream=True, decode=True):
                    status = " ".join(str(event.get(key, "")) for key in ("id", "status", "progress"))
                    self._on_progress(status.strip())
            self._image_ready = True

    def _ensure_client(self) -> Any:
        if self._client is None:
            reason = docker_unavailable_reason()
            if reason is not None:
                raise SandboxUnavailableError(reason)
            import docker

            self._client = docker.from_env()
        return self._client

    def _run_container(self, container: Any, payload: bytes, limits: SandboxLimits) -> SandboxResult:
        stdin = container.attach_socket(params={"stdin": 1, "stream": 1})
        raw: socket.socket = getattr(stdin, "_sock", stdin)
        started = time.monotonic()
        container.start()
        try:
            raw.sendall(payload)
            raw.shutdown(socket.SHUT_WR)
        except OSError as error:
            _log.debug("program stdin closed early: %s", error)
        finally:
            raw.close()
        outcome = _ContainerOutcome(limits=limits)
        try:
            outcome.exit_code = int(container.wait(timeout=limits.timeout_s)["StatusCode"])
        except Exception:  # requests' ReadTimeout / ConnectionError: the run outlived its time
            outcome.timed_out = True
            try:
                container.kill()
            except Exception as error:  # it may have ended between the timeout and the kill
                _log.debug("could not kill sandbox container %s: %s", container.id[:12], error)
        outcome.duration_ms = (time.monotonic() - started) * 1000
        outcome.stdout = container.logs(stdout=True, stderr=False) or b""
        outcome.stderr = container.logs(stdout=False, stderr=True) or b""
        container.reload()
        outcome.oom_killed = bool(container.attrs.get("State", {}).get("OOMKilled"))
        return outcome.result()


@dataclass
class _ContainerOutcome:
    limits: SandboxLimits
    exit_code: int = -1
    timed_out: bool = False
    oom_killed: bool = False
    duration_ms: float = 0.0
    stdout: bytes = b""
    stderr: bytes = b""

    def result(self) -> SandboxResult:
        cap = self.limits.output_bytes
        truncated = len(self.stdout) > cap or len(self.stderr) > cap
        out = self.stdout[:cap].decode("utf-8", "replace")
        err = self.stderr[:cap].decode("utf-8", "replace")
        code: int | None = None
        status: Status
        sig: str | None = None
        if self.timed_out:
            status, sig = "timeout", "SIGKILL"
        elif self.oom_killed:
            status, sig = "oom", "SIGKILL"
        elif truncated:
            status = "output_limit"
        elif self.exit_code < 0:
            raise SandboxError("the Docker engine did not report an exit status")
        else:
            # docker-init reports a child killed by signal N as 128 + N
            signal_number = self.exit_code - 128 if 128 < self.exit_code < 160 else None
            code = None if signal_number is not None else self.exit_code
            status, sig = classify_exit(exit_code=code, signal_number=signal_number, stderr=err)
        return SandboxResult(
            status=status,
            exit_code=code,
            stdout=out,
            stderr=err,
            duration_ms=self.duration_ms,
            backend="docker",
            truncated=truncated,
            signal=sig,
            isolation="docker",
        )
