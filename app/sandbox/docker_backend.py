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
    signal_name,
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
        client = self._ensure_client()
        self.ensure_image()
        code = request.code.encode("utf-8", "surrogatepass")
        payload = request.limits.launcher_header(len(code)) + code + (request.stdin or b"")
        container = client.containers.create(**self.container_config(request.limits))
        try:
            return self._run_container(container, payload, request.limits)
        finally:
            try:
                container.remove(force=True)
            except Exception as error:  # the run's result matters more than a failed clean-up
                _log.warning("could not remove sandbox container %s: %s", container.id[:12], error)

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
                repository, _, tag = self.image.partition(":")
                for event in client.api.pull(repository, tag=tag or "latest", stream=True, decode=True):
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
        timed_out = False
        try:
            exit_code = int(container.wait(timeout=limits.timeout_s)["StatusCode"])
        except Exception:  # requests' ReadTimeout / ConnectionError: the run outlived its time
            timed_out = True
            exit_code = -1
            container.kill()
        duration_ms = (time.monotonic() - started) * 1000
        stdout = container.logs(stdout=True, stderr=False) or b""
        stderr = container.logs(stdout=False, stderr=True) or b""
        container.reload()
        oom_killed = bool(container.attrs.get("State", {}).get("OOMKilled"))
        return _docker_result(stdout, stderr, exit_code, timed_out, oom_killed, duration_ms, limits)


def _docker_result(
    stdout: bytes,
    stderr: bytes,
    exit_code: int,
    timed_out: bool,
    oom_killed: bool,
    duration_ms: float,
    limits: SandboxLimits,
) -> SandboxResult:
    truncated = len(stdout) > limits.output_bytes or len(stderr) > limits.output_bytes
    out = stdout[: limits.output_bytes].decode("utf-8", "replace")
    err = stderr[: limits.output_bytes].decode("utf-8", "replace")
    code: int | None = None
    status: Status
    sig: str | None = None
    if timed_out:
        status, sig = "timeout", "SIGKILL"
    elif oom_killed:
        status, sig = "oom", "SIGKILL"
    elif truncated:
        status = "output_limit"
    else:
        signal_number = exit_code - 128 if 128 < exit_code < 160 else None  # docker-init: 128 + signal
        code = None if signal_number is not None else exit_code
        status, sig = classify_exit(exit_code=code, signal_number=signal_number, stderr=err)
        if signal_number is not None:
            sig = signal_name(signal_number)
    if status == "error" and exit_code < 0:
        raise SandboxError("the Docker engine did not report an exit status")
    return SandboxResult(
        status=status,
        exit_code=code,
        stdout=out,
        stderr=err,
        duration_ms=duration_ms,
        backend="docker",
        truncated=truncated,
        signal=sig,
        isolation="docker",
    )
