"""The Docker backend.

No Docker engine runs on this machine (only the client library is installed), so:
- the container settings are checked as docker-py itself turns them into the engine's create request;
- the run flow talks to a FAKE docker client written here (the one place this suite mocks anything: the
  engine cannot run here). Its attach socket is a real `socket.socketpair`, so the bytes the backend sends
  are the bytes checked;
- `TestLiveDocker` runs real programs in real containers and is skipped, with the reason, when no engine
  answers;
- "no engine" itself is real: DOCKER_HOST points at a socket that does not exist.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker.constants
import docker.errors
import pytest
import requests
from docker.models.containers import _create_container_args
from docker.types import ContainerConfig
from docker.utils import parse_bytes, parse_repository_tag

from app.core.errors import SandboxError, SandboxUnavailableError
from app.sandbox.base import SandboxLimits, SandboxRequest
from app.sandbox.docker_backend import DEFAULT_IMAGE, DockerSandbox, docker_unavailable_reason
from app.sandbox.factory import create_sandbox
from app.sandbox.subprocess_backend import SubprocessSandbox

CANARY_NAME = "QUORUM_TEST_CANARY_TOKEN"
CANARY_VALUE = "canary-4c1f9e0a7d"  # must never reach a container
# Every variable a sandboxed program may see; the host's environment must not add to it.
SAFE_ENV_NAMES = {
    "PATH",
    "HOME",
    "TMPDIR",
    "LANG",
    "LC_ALL",
    "PYTHONHASHSEED",
    "PYTHONIOENCODING",
    "PYTHONDONTWRITEBYTECODE",
}
LIMITS = [
    SandboxLimits(),
    SandboxLimits(
        timeout_s=2, memory_mb=96, processes=7, open_files=21, file_size_mb=3, workdir_mb=9, output_bytes=50
    ),
]


def expected_header(code: bytes, limits: SandboxLimits) -> bytes:
    """The launcher's job line: code length, CPU seconds (timeout + 1), memory, file size, files, procs."""
    cpu_s = int(limits.timeout_s) + 1
    fields = [len(code), cpu_s, limits.memory_mb, limits.file_size_mb, limits.open_files, limits.processes]
    return (" ".join(map(str, fields)) + "\n").encode()


@pytest.fixture
def no_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the Docker client at a socket nobody listens on."""
    host = f"unix://{tmp_path / 'no-docker.sock'}"
    monkeypatch.setenv("DOCKER_HOST", host)
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    return host


# --- (a) the container settings -----------------------------------------------------------------------


@pytest.fixture(params=LIMITS, ids=["default-limits", "small-limits"])
def limits(request: pytest.FixtureRequest) -> SandboxLimits:
    return request.param


@pytest.fixture
def config(limits: SandboxLimits, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv(CANARY_NAME, CANARY_VALUE)
    monkeypatch.setenv("GROQ_API_KEY", "gsk_host_key_that_must_stay_home_123")
    return DockerSandbox().container_config(limits)


def wire_request(config: dict[str, Any]) -> dict[str, Any]:
    """What docker-py would POST to /containers/create for these `containers.create` arguments."""
    version = docker.constants.DEFAULT_DOCKER_API_VERSION
    # What `containers.create` does: raises on any argument docker-py does not know.
    create_kwargs = _create_container_args({**config, "version": version})
    return dict(ContainerConfig(version=version, **create_kwargs))


def test_docker_py_accepts_every_setting(config: dict[str, Any]) -> None:
    body = wire_request(config)
    assert body["Image"] == DEFAULT_IMAGE
    assert body["HostConfig"]["NetworkMode"] == "none"
    json.dumps(body)  # the request body is plain JSON


def test_no_network(config: dict[str, Any]) -> None:
    assert config["network_mode"] == "none"
    assert config["network_disabled"] is True
    body = wire_request(config)
    assert body["NetworkDisabled"] is True
    assert body["HostConfig"]["NetworkMode"] == "none"
    for key in ("ports", "network", "networking_config", "extra_hosts", "dns"):
        assert key not in config


def test_read_only_root_and_size_limited_tmpfs(config: dict[str, Any], limits: SandboxLimits) -> None:
    assert config["read_only"] is True
    assert config["working_dir"] == "/work"
    assert set(config["tmpfs"]) == {"/work", "/tmp"}
    for options in config["tmpfs"].values():
        parts = options.split(",")
        assert f"size={limits.workdir_mb}m" in parts
        assert "nosuid" in parts
        assert "nodev" in parts
    assert "volumes" not in config
    assert "mounts" not in config
    assert wire_request(config)["HostConfig"]["ReadonlyRootfs"] is True


def test_processes_memory_and_cpu(config: dict[str, Any], limits: SandboxLimits) -> None:
    assert config["pids_limit"] == limits.processes
    memory = parse_bytes(config["mem_limit"])
    assert memory == limits.memory_mb * 1024 * 1024
    assert parse_bytes(config["memswap_limit"]) == memory  # swap limit equal to memory: no swap at all
    assert config["nano_cpus"] == 1_000_000_000  # one CPU
    host = wire_request(config)["HostConfig"]
    assert host["Memory"] == host["MemorySwap"] == memory
    assert host["PidsLimit"] == limits.processes
    assert host["NanoCpus"] == 1_000_000_000


def test_no_privileges(config: dict[str, Any]) -> None:
    assert config["cap_drop"] == ["ALL"]
    assert not config.get("cap_add")
    assert not config.get("privileged")
    assert not config.get("devices")
    assert "no-new-privileges:true" in config["security_opt"] or "no-new-privileges" in config["security_opt"]
    for option in config["security_opt"]:
        assert "unconfined" not in option  # the engine's default seccomp (and AppArmor) profile stays on
        assert not option.startswith("seccomp")
    assert config.get("ipc_mode") != "host"
    assert config.get("pid_mode") in (None, "")
    assert config.get("userns_mode") in (None, "")


def test_runs_as_nobody_not_root(config: dict[str, Any]) -> None:
    user, _, group = config["user"].partition(":")
    assert user == "65534"
    assert group in ("", "65534")


def test_ulimits(config: dict[str, Any], limits: SandboxLimits) -> None:
    by_name = {ulimit.name: (ulimit.soft, ulimit.hard) for ulimit in config["ulimits"]}
    assert by_name["nofile"] == (limits.open_files, limits.open_files)
    file_size = limits.file_size_mb * 1024 * 1024
    assert by_name["fsize"] == (file_size, file_size)
    assert by_name["core"] == (0, 0)
    wire = {u["Name"]: (u["Soft"], u["Hard"]) for u in wire_request(config)["HostConfig"]["Ulimits"]}
    assert wire == by_name


def test_init_process(config: dict[str, Any]) -> None:
    assert config["init"] is True
    assert wire_request(config)["HostConfig"]["Init"] is True


def test_environment_is_an_allow_list(config: dict[str, Any]) -> None:
    assert not config["environment"]
    entrypoint = config["entrypoint"]
    assert entrypoint[:2] == ["/usr/bin/env", "-i"]  # -i: the image's own variables are dropped too
    assignments = dict(item.split("=", 1) for item in entrypoint[2:])
    assert len(assignments) == len(entrypoint) - 2
    assert set(assignments) <= SAFE_ENV_NAMES
    assert assignments["HOME"] == "/work"
    assert "PATH" in assignments
    assert wire_request(config)["Env"] == []


def test_no_host_variable_reaches_the_container(config: dict[str, Any]) -> None:
    assert os.environ[CANARY_NAME] == CANARY_VALUE
    dumped = repr(config) + json.dumps(wire_request(config), default=str)
    assert CANARY_VALUE not in dumped
    assert CANARY_NAME not in dumped
    assert "gsk_host_key" not in dumped
    for name, value in os.environ.items():
        if name not in SAFE_ENV_NAMES and len(value) >= 8:
            assert f"{name}={value}" not in dumped


def test_launcher_reads_the_job_from_stdin(config: dict[str, Any]) -> None:
    command = config["command"]
    assert command[0] == "python3"
    assert "-c" in command
    assert command[-3:] == ["0", "-", "-"]  # job on fd 0, no ready pipe, no host seccomp filter
    assert config["stdin_open"] is True
    assert "quorum-launcher: malformed job" in command[command.index("-c") + 1]


def test_log_is_capped(config: dict[str, Any]) -> None:
    log_config = config["log_config"]
    assert log_config.type == "json-file"
    max_size = parse_bytes(log_config.config["max-size"])
    assert 0 < max_size <= 100 * 1024 * 1024
    assert (
        wire_request(config)["HostConfig"]["LogConfig"]["Config"]["max-size"] == log_config.config["max-size"]
    )


def test_image_default_and_configurable() -> None:
    assert DockerSandbox().container_config(SandboxLimits())["image"] == "python:3.11-slim"
    custom = DockerSandbox(image="registry.local:5000/team/python:3.12").container_config(SandboxLimits())
    assert custom["image"] == "registry.local:5000/team/python:3.12"


# --- (b) the run flow, against a fake client -----------------------------------------------------------


class FakeContainer:
    """Behaves like docker-py's Container for the calls the backend makes; records them in order."""

    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine
        self.id = "c0ffee" * 10 + "beef"
        self.attrs: dict[str, Any] = {"State": {"OOMKilled": False}}
        self.received = b""
        self._peer: socket.socket | None = None
        self._host: socket.socket | None = None
        self._host_io: socket.SocketIO | None = None
        self._reader: threading.Thread | None = None

    def _record(self, call: str) -> None:
        self.engine.calls.append(call)

    def attach_socket(self, params: dict[str, Any]) -> socket.SocketIO:
        self._record("attach")
        self.engine.attach_params = params
        host, peer = socket.socketpair()
        self._peer = peer
        # docker-py hands back the HTTP response's SocketIO for a unix-socket engine.
        self._host = host
        self._host_io = socket.SocketIO(host, "rwb")
        return self._host_io

    def start(self) -> None:
        self._record("start")
        assert self._peer is not None, "started before attaching: the program's stdin would be lost"
        self._reader = threading.Thread(target=self._read_stdin, daemon=True)
        self._reader.start()

    def _read_stdin(self) -> None:
        assert self._peer is not None
        self._peer.settimeout(10)  # a guard against hanging the suite, not a measurement
        chunks = []
        try:
            while chunk := self._peer.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            chunks.append(b"<no EOF: stdin was never closed>")
        self.received = b"".join(chunks)

    def wait(self, timeout: float) -> dict[str, Any]:
        self._record("wait")
        self.engine.wait_timeout = timeout
        if self._reader is not None:
            self._reader.join()
        if self.engine.wait_error is not None:
            raise self.engine.wait_error
        return {"StatusCode": self.engine.exit_code, "Error": None}

    def kill(self) -> None:
        self._record("kill")
        if self.engine.kill_error is not None:
            raise self.engine.kill_error

    def logs(self, *, stdout: bool, stderr: bool) -> bytes:
        self._record(f"logs(stdout={stdout}, stderr={stderr})")
        if self.engine.logs_error is not None:
            raise self.engine.logs_error
        return (self.engine.stdout if stdout else b"") + (self.engine.stderr if stderr else b"")

    def reload(self) -> None:
        self._record("reload")
        self.attrs = {"State": {"OOMKilled": self.engine.oom_killed, "ExitCode": self.engine.exit_code}}

    def remove(self, *, force: bool = False) -> None:
        self._record(f"remove(force={force})")
        if self.engine.remove_error is not None:
            raise self.engine.remove_error

    def close(self) -> None:
        for item in (self._peer, self._host_io, self._host):
            if item is not None:
                item.close()


class FakeContainers:
    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine

    def create(self, **kwargs: Any) -> FakeContainer:
        self.engine.calls.append("create")
        self.engine.created.append(kwargs)
        if self.engine.create_error is not None:
            raise self.engine.create_error
        container = FakeContainer(self.engine)
        self.engine.containers_made.append(container)
        return container


class FakeImages:
    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine

    def get(self, name: str) -> object:
        self.engine.calls.append(f"images.get({name})")
        if name not in self.engine.images:
            raise docker.errors.ImageNotFound(f"No such image: {name}")
        return object()


class FakeApi:
    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine

    def pull(
        self, repository: str, tag: str | None = None, stream: bool = False, decode: bool = False
    ) -> Iterator[dict[str, str]]:
        # The same resolution docker-py's APIClient.pull does before calling the engine.
        repo, image_tag = parse_repository_tag(repository)
        tag = tag or image_tag or "latest"
        self.engine.calls.append(f"pull(repository={repo!r}, tag={tag!r})")
        self.engine.images.add(f"{repo}:{tag}")
        assert stream and decode
        yield {"status": "Pulling from " + repo, "id": tag}
        yield {"status": "Downloading", "id": "abc123", "progress": "[=>   ] 1MB/10MB"}
        yield {"status": "Pull complete", "id": "abc123"}


class FakeEngine:
    """A stand-in for `docker.DockerClient` (the engine cannot run on this machine)."""

    def __init__(self, *, images: tuple[str, ...] = (DEFAULT_IMAGE,)) -> None:
        self.images = set(images)
        self.calls: list[str] = []
        self.created: list[dict[str, Any]] = []
        self.containers_made: list[FakeContainer] = []
        self.attach_params: dict[str, Any] | None = None
        self.wait_timeout: float | None = None
        self.exit_code = 0
        self.stdout = b""
        self.stderr = b""
        self.oom_killed = False
        self.wait_error: Exception | None = None
        self.kill_error: Exception | None = None
        self.logs_error: Exception | None = None
        self.remove_error: Exception | None = None
        self.create_error: Exception | None = None
        self.closed = False
        self.containers = FakeContainers(self)
        self.images_api = FakeImages(self)
        self.api = FakeApi(self)

    def close(self) -> None:
        self.closed = True

    @property
    def container(self) -> FakeContainer:
        (only,) = self.containers_made
        return only


class FakeClient:
    """Exposes the engine under docker-py's attribute names (`images` is the collection, not a set)."""

    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine
        self.containers = engine.containers
        self.images = engine.images_api
        self.api = engine.api

    def close(self) -> None:
        self.engine.close()


@pytest.fixture
def engine() -> Iterator[FakeEngine]:
    fake = FakeEngine()
    yield fake
    for container in fake.containers_made:
        container.close()


@pytest.fixture
def sandbox(engine: FakeEngine) -> DockerSandbox:
    return DockerSandbox(client=FakeClient(engine))


def test_success_sends_header_code_and_stdin_and_removes_the_container(
    engine: FakeEngine, sandbox: DockerSandbox
) -> None:
    engine.stdout = "héllo ✓\n".encode()
    engine.stderr = b"a warning\n"
    code = "import sys\nprint('h\u00e9llo \u2713', sys.stdin.read())\n"
    limits = SandboxLimits(timeout_s=3, memory_mb=128, processes=8, open_files=32, file_size_mb=4)
    request = SandboxRequest(code=code, stdin=b"input bytes\x00\xff", limits=limits)

    result = sandbox.run_sync(request)

    code_bytes = code.encode()
    assert (
        engine.container.received == expected_header(code_bytes, limits) + code_bytes + b"input bytes\x00\xff"
    )
    assert expected_header(code_bytes, limits) == f"{len(code_bytes)} 4 128 4 32 8\n".encode()
    assert engine.attach_params == {"stdin": 1, "stream": 1}
    assert engine.created == [sandbox.container_config(limits)]
    assert engine.wait_timeout == 3
    assert (result.status, result.exit_code, result.signal) == ("ok", 0, None)
    assert result.stdout == "héllo ✓\n"
    assert result.stderr == "a warning\n"
    assert (result.backend, result.isolation, result.truncated) == ("docker", "docker", False)
    assert result.duration_ms >= 0
    assert engine.calls.index("attach") < engine.calls.index("start") < engine.calls.index("wait")
    assert engine.calls.count("remove(force=True)") == 1
    assert engine.calls[-1] == "remove(force=True)"
    assert "kill" not in engine.calls


def test_without_stdin_the_program_gets_only_the_job(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    sandbox.run_sync(SandboxRequest(code="print(1)\n"))
    code = b"print(1)\n"
    assert engine.container.received == expected_header(code, SandboxLimits()) + code


def test_large_stdin_is_sent_whole(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    stdin = bytes(range(256)) * 20_000  # 5 MB: far more than a socket buffer holds
    sandbox.run_sync(SandboxRequest(code="pass\n", stdin=stdin))
    received = engine.container.received
    assert received.endswith(b"pass\n" + stdin)
    assert len(received) == len(expected_header(b"pass\n", SandboxLimits())) + 5 + len(stdin)


def test_program_error_exit(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.exit_code = 3
    engine.stderr = b"Traceback (most recent call last):\nValueError: nope\n"
    result = sandbox.run_sync(SandboxRequest(code="raise SystemExit(3)\n"))
    assert (result.status, result.exit_code, result.signal) == ("error", 3, None)
    assert "ValueError: nope" in result.stderr
    assert engine.calls[-1] == "remove(force=True)"


def test_memory_error_in_the_program_is_oom(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.exit_code = 1
    engine.stderr = b"Traceback (most recent call last):\nMemoryError\n"
    assert sandbox.run_sync(SandboxRequest(code="x = ' ' * 10**12\n")).status == "oom"


def test_timeout_kills_then_force_removes(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.wait_error = requests.exceptions.ReadTimeout("read timed out")
    engine.stdout = b"partial\n"
    result = sandbox.run_sync(SandboxRequest(code="while True: pass\n", limits=SandboxLimits(timeout_s=1)))
    assert (result.status, result.exit_code, result.signal) == ("timeout", None, "SIGKILL")
    assert result.stdout == "partial\n"
    calls = engine.calls
    assert calls.count("kill") == 1
    assert calls.index("wait") < calls.index("kill") < calls.index("remove(force=True)")
    assert calls[-1] == "remove(force=True)"


def test_timeout_when_the_container_exits_before_the_kill(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.wait_error = requests.exceptions.ConnectionError("read timed out")
    engine.kill_error = docker.errors.APIError("409 Conflict: container is not running")
    result = sandbox.run_sync(SandboxRequest(code="while True: pass\n", limits=SandboxLimits(timeout_s=1)))
    assert result.status == "timeout"
    assert engine.calls[-1] == "remove(force=True)"


def test_oom_killed_state(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.exit_code = 128 + 9
    engine.oom_killed = True
    result = sandbox.run_sync(SandboxRequest(code="x = bytearray(10**10)\n"))
    assert (result.status, result.exit_code, result.signal) == ("oom", None, "SIGKILL")
    assert engine.calls.index("reload") < engine.calls.index("remove(force=True)")


def test_sigkill_exit_status(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.exit_code = 128 + 9  # docker-init reports a signal death as 128 + signal
    result = sandbox.run_sync(SandboxRequest(code="import os\nos.kill(os.getpid(), 9)\n"))
    assert (result.status, result.exit_code, result.signal) == ("killed", None, "SIGKILL")


def test_sigsys_exit_status_is_blocked(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.exit_code = 128 + 31  # SIGSYS: seccomp killed a forbidden system call
    result = sandbox.run_sync(SandboxRequest(code="pass\n"))
    assert (result.status, result.exit_code, result.signal) == ("blocked", None, "SIGSYS")


def test_sigxcpu_exit_status_is_a_timeout(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.exit_code = 128 + 24  # the launcher's CPU-seconds rlimit
    result = sandbox.run_sync(SandboxRequest(code="pass\n"))
    assert (result.status, result.signal) == ("timeout", "SIGXCPU")


def test_output_over_the_limit(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.stdout = b"y" * 120
    result = sandbox.run_sync(
        SandboxRequest(code="print('y' * 120)\n", limits=SandboxLimits(output_bytes=100))
    )
    assert (result.status, result.truncated) == ("output_limit", True)
    assert result.stdout == "y" * 100


def test_undecodable_output_is_replaced_not_fatal(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.stdout = b"ok \xff\xfe\n"
    result = sandbox.run_sync(SandboxRequest(code="pass\n"))
    assert result.status == "ok"
    assert result.stdout == "ok \ufffd\ufffd\n"


def test_failed_removal_does_not_hide_the_result(
    engine: FakeEngine, sandbox: DockerSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    engine.stdout = b"done\n"
    engine.remove_error = docker.errors.APIError("removal in progress")
    result = sandbox.run_sync(SandboxRequest(code="print('done')\n"))
    assert (result.status, result.stdout) == ("ok", "done\n")
    assert any("could not remove" in record.getMessage() for record in caplog.records)


def test_engine_failure_mid_run_is_a_sandbox_error_and_still_removes(
    engine: FakeEngine, sandbox: DockerSandbox
) -> None:
    engine.logs_error = docker.errors.APIError("500 Server Error: the engine fell over")
    with pytest.raises(SandboxError):
        sandbox.run_sync(SandboxRequest(code="pass\n"))
    assert engine.calls[-1] == "remove(force=True)"


def test_engine_refusing_the_container_is_a_sandbox_error(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.create_error = docker.errors.APIError("400 Client Error: invalid option")
    with pytest.raises(SandboxError, match="invalid option"):
        sandbox.run_sync(SandboxRequest(code="pass\n"))


def test_image_is_pulled_once_when_missing_with_progress() -> None:
    engine = FakeEngine(images=())
    lines: list[str] = []
    sandbox = DockerSandbox(client=FakeClient(engine), on_progress=lines.append)
    sandbox.run_sync(SandboxRequest(code="pass\n"))
    sandbox.run_sync(SandboxRequest(code="pass\n"))
    pull = "pull(repository='python', tag='3.11-slim')"
    assert engine.calls.count(pull) == 1
    assert engine.calls.index(pull) < engine.calls.index("create")
    assert len(lines) == 3
    assert any("Downloading" in line and "1MB/10MB" in line for line in lines)
    for container in engine.containers_made:
        container.close()


def test_present_image_is_not_pulled(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    sandbox.run_sync(SandboxRequest(code="pass\n"))
    assert not [call for call in engine.calls if call.startswith("pull")]


@pytest.mark.parametrize(
    ("image", "repository", "tag"),
    [
        ("python:3.12-slim", "python", "3.12-slim"),
        ("python", "python", "latest"),
        ("registry.local:5000/team/python:3.12", "registry.local:5000/team/python", "3.12"),
        ("registry.local:5000/team/python", "registry.local:5000/team/python", "latest"),
    ],
)
def test_configured_image_is_pulled_by_its_full_name(image: str, repository: str, tag: str) -> None:
    engine = FakeEngine(images=())
    DockerSandbox(image=image, client=FakeClient(engine), on_progress=lambda line: None).ensure_image()
    assert engine.calls[-1] == f"pull(repository={repository!r}, tag={tag!r})"


async def test_async_run_and_aclose(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    engine.stdout = b"42\n"
    result = await sandbox.run(SandboxRequest(code="print(6 * 7)\n"))
    assert (result.status, result.stdout) == ("ok", "42\n")
    await sandbox.aclose()
    assert engine.closed


def test_concurrent_runs_each_get_their_own_container(engine: FakeEngine, sandbox: DockerSandbox) -> None:
    results: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(sandbox.run_sync(SandboxRequest(code="pass\n")).status)
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["ok"] * 4
    assert len(engine.containers_made) == 4
    assert engine.calls.count("remove(force=True)") == 4


# --- (c) a real engine, when there is one -----------------------------------------------------------------


@pytest.fixture(scope="class")
def live_sandbox() -> Iterator[DockerSandbox]:
    reason = docker_unavailable_reason()
    if reason is not None:
        pytest.skip(f"live Docker tests need an engine: {reason}")
    sandbox = DockerSandbox()
    yield sandbox
    if sandbox._client is not None:
        sandbox._client.close()


@pytest.mark.docker
class TestLiveDocker:
    def run(self, sandbox: DockerSandbox, code: str, **kwargs: Any) -> Any:
        stdin = kwargs.pop("stdin", None)
        return sandbox.run_sync(SandboxRequest(code=code, stdin=stdin, limits=SandboxLimits(**kwargs)))

    def test_program_output_and_stdin(self, live_sandbox: DockerSandbox) -> None:
        result = self.run(live_sandbox, "import sys\nprint('héllo', sys.stdin.read()[::-1])\n", stdin=b"abc")
        assert (result.status, result.exit_code, result.stdout) == ("ok", 0, "héllo cba\n")
        assert result.backend == "docker"

    def test_error_exit(self, live_sandbox: DockerSandbox) -> None:
        result = self.run(live_sandbox, "raise ValueError('boom')\n")
        assert (result.status, result.exit_code) == ("error", 1)
        assert "ValueError: boom" in result.stderr

    def test_not_root_no_network_read_only_root(self, live_sandbox: DockerSandbox) -> None:
        code = (
            "import os, socket\n"
            "print(os.getuid())\n"
            "try:\n"
            "    socket.create_connection(('1.1.1.1', 53), timeout=2)\n"
            "    print('network')\n"
            "except OSError:\n"
            "    print('no network')\n"
            "try:\n"
            "    open('/etc/quorum-test', 'w')\n"
            "    print('wrote root')\n"
            "except OSError:\n"
            "    print('read-only root')\n"
            "open('/work/ok.txt', 'w').write('x')\n"
            "print('work dir writable')\n"
        )
        result = self.run(live_sandbox, code, timeout_s=10)
        assert result.status == "ok", result.stderr
        assert result.stdout.split("\n")[:4] == ["65534", "no network", "read-only root", "work dir writable"]

    def test_host_environment_does_not_leak(
        self, live_sandbox: DockerSandbox, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(CANARY_NAME, CANARY_VALUE)
        result = self.run(live_sandbox, "import os\nprint(sorted(os.environ))\nprint(dict(os.environ))\n")
        assert result.status == "ok"
        assert CANARY_VALUE not in result.stdout
        names = set(re.findall(r"'([A-Z_]+)'", result.stdout.splitlines()[0]))
        assert names <= SAFE_ENV_NAMES

    def test_timeout(self, live_sandbox: DockerSandbox) -> None:
        result = self.run(live_sandbox, "while True:\n    pass\n", timeout_s=1)
        assert result.status == "timeout"

    def test_memory_limit(self, live_sandbox: DockerSandbox) -> None:
        result = self.run(
            live_sandbox, "x = bytearray(512 * 1024 * 1024)\nprint('allocated')\n", memory_mb=64
        )
        assert result.status == "oom"
        assert "allocated" not in result.stdout


# --- (d) choosing a backend ------------------------------------------------------------------------------


def test_unavailable_reason_when_no_engine_answers(no_engine: str) -> None:
    reason = docker_unavailable_reason()
    assert reason is not None
    assert "Docker" in reason
    assert "\n" not in reason


def test_factory_docker_without_engine_raises_with_the_reason(no_engine: str) -> None:
    with pytest.raises(SandboxUnavailableError) as caught:
        create_sandbox("docker")
    text = str(caught.value)
    assert "docker" in text.lower()
    assert "no Docker engine answers" in text
    assert "DOCKER_HOST" in text


def test_factory_auto_without_engine_falls_back_to_subprocess(no_engine: str) -> None:
    sandbox = create_sandbox("auto", pool_size=0)
    try:
        assert isinstance(sandbox, SubprocessSandbox)
        assert sandbox.name == "subprocess"
    finally:
        sandbox.close()


def test_factory_subprocess_does_not_need_docker(no_engine: str) -> None:
    sandbox = create_sandbox("subprocess", pool_size=0)
    try:
        assert isinstance(sandbox, SubprocessSandbox)
    finally:
        sandbox.close()


def test_docker_sandbox_without_engine_fails_on_first_run(no_engine: str) -> None:
    sandbox = DockerSandbox()
    with pytest.raises(SandboxUnavailableError, match="no Docker engine answers"):
        sandbox.run_sync(SandboxRequest(code="pass\n"))
