"""`quorum sandbox FILE.py`: run one program under the sandbox's limits."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from app.commands.io import EXIT_OK, inert, read_bytes, read_program
from app.core.errors import UserError
from app.sandbox.factory import BackendChoice

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    from app.config import load_settings
    from app.sandbox.base import SandboxLimits, SandboxRequest

    settings = load_settings(args.config)
    code = read_program(args.file)
    stdin = read_bytes(args.stdin, "--stdin") if args.stdin else None
    limits = SandboxLimits(
        timeout_s=args.timeout or settings.sandbox.timeout_s,
        memory_mb=args.memory_mb or settings.sandbox.memory_mb,
    )
    try:
        request = SandboxRequest(code=code, stdin=stdin, limits=limits)
    except ValueError as error:
        raise UserError(str(error)) from None
    result = asyncio.run(
        _run_once(request, args.backend or settings.sandbox.backend, args.isolation, settings)
    )
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print_result(result.to_json())
    return EXIT_OK


async def _run_once(request: Any, backend: BackendChoice, isolation: str | None, settings: Any) -> Any:
    from app.sandbox.base import Sandbox

    sandbox: Sandbox
    if isolation is not None:
        if backend == "docker":
            raise UserError("--isolation applies to the subprocess backend, not docker")
        from app.sandbox.isolation import Tier
        from app.sandbox.subprocess_backend import SubprocessSandbox

        sandbox = SubprocessSandbox(tier=Tier(isolation), pool_size=0)
    else:
        from app.sandbox.factory import create_sandbox

        sandbox = create_sandbox(backend, docker_image=settings.sandbox.docker_image, pool_size=0)
    try:
        return await sandbox.run(request)
    finally:
        await sandbox.aclose()


def _print_result(result: dict[str, Any]) -> None:
    signal = f" ({result['signal']})" if result["signal"] else ""
    print(
        f"status: {result['status']}{signal}  exit code: {result['exit_code']}  "
        f"{result['duration_ms']:.1f} ms  [{result['backend']}/{result['isolation']}]"
    )
    for warning in result["warnings"]:
        print(f"warning: {warning}")
    for stream in ("stdout", "stderr"):
        if result[stream]:
            print(f"--- {stream}{' (truncated)' if result['truncated'] else ''} ---")
            print(inert(result[stream]), end="" if result[stream].endswith("\n") else "\n")
