"""The `quorum` command line: parse, call the pipeline, print. No business logic lives here."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import __version__
from app.core.errors import QuorumError, SandboxError, UserError
from app.sandbox.factory import BackendChoice

__all__ = ["main"]

_log = logging.getLogger("app.cli")
EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_SANDBOX = 0, 1, 2, 3
_MAX_INPUT_BYTES = 16_000_000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, like every other user error
        raise UserError(f"{self.prog}: {message} (see --help)")


def _build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--config", metavar="FILE", help="config file (default: $QUORUM_CONFIG or user config)"
    )
    common.add_argument("-v", "--verbose", action="count", default=0, help="log to stderr (-vv: debug)")

    parser = _Parser(
        prog="quorum", description="Ask several LLMs, run their code in a sandbox, get a verdict."
    )
    parser.add_argument("--version", action="version", version=f"quorum {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sandbox = commands.add_parser("sandbox", parents=[common], help="run a Python file in the sandbox")
    sandbox.add_argument("file", metavar="FILE.py", help="program to run ('-' reads it from stdin)")
    sandbox.add_argument("--stdin", metavar="F", help="file whose bytes become the program's stdin")
    sandbox.add_argument("--timeout", metavar="S", type=_positive_float, help="wall-clock limit in seconds")
    sandbox.add_argument("--memory-mb", metavar="N", type=_positive_int, help="memory limit in MB")
    sandbox.add_argument("--backend", choices=("auto", "docker", "subprocess"), help="sandbox backend")
    sandbox.add_argument(
        "--isolation", choices=("bwrap", "unshare", "rlimits"), help="force one subprocess isolation layer"
    )
    sandbox.add_argument("--json", action="store_true", help="print one JSON object")
    sandbox.set_defaults(handler=_cmd_sandbox)

    verify = commands.add_parser(
        "verify", parents=[common], help="ask the providers, run, judge: one verdict"
    )
    verify.add_argument("prompt", help="the coding prompt ('-' reads it from stdin)")
    verify.add_argument("--providers", metavar="A,B", help="comma-separated provider names (default: all)")
    verify.add_argument("--tests", metavar="FILE", help="your own tests: asserts or test functions")
    verify.add_argument("--no-cache", action="store_true", help="do not answer from the cache")
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.set_defaults(handler=_cmd_verify)

    judge = commands.add_parser("judge", parents=[common], help="decide which answer in a pool is correct")
    judge.add_argument("pool", metavar="POOL.json", help="pool file ('-' reads it from stdin)")
    judge.add_argument("--timeout", metavar="S", type=_positive_float, help="time limit per candidate run")
    judge.add_argument("--json", action="store_true", help="print one JSON object")
    judge.set_defaults(handler=_cmd_judge)

    keys = commands.add_parser("keys", parents=[common], help="store API keys in the OS keychain")
    keys.add_argument("action", choices=("set", "delete"))
    keys.add_argument("provider", help="provider name from the config")
    keys.set_defaults(handler=_cmd_keys)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _dispatch(argv)
    except QuorumError as error:
        label, code = _error_kind(error)
        print(f"quorum: {label}: {error}", file=sys.stderr)
        return code
    except KeyboardInterrupt:
        print("quorum: interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug: one line for the user, the traceback for the log file
        _log.exception("internal error")
        print("quorum: internal error (details in the log file; run with -vv to see them)", file=sys.stderr)
        return EXIT_INTERNAL


def _dispatch(argv: Sequence[str] | None) -> int:
    args = _build_parser().parse_args(argv)
    if args.command is None:
        _build_parser().print_help()
        return EXIT_OK
    _setup_logging(args.verbose)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


def _error_kind(error: QuorumError) -> tuple[str, int]:
    if isinstance(error, UserError):
        return "error", EXIT_USAGE
    if isinstance(error, SandboxError):
        return "sandbox error", EXIT_SANDBOX
    return "error", EXIT_INTERNAL


def _setup_logging(verbosity: int) -> None:
    from app.config.paths import log_dir
    from app.core.logs import setup_logging

    setup_logging(verbosity, log_dir())


def _cmd_sandbox(args: argparse.Namespace) -> int:
    from app.config import load_settings
    from app.sandbox.base import SandboxLimits, SandboxRequest

    settings = load_settings(args.config)
    code = _read_program(args.file)
    stdin = _read_bytes(args.stdin, "--stdin") if args.stdin else None
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
        _print_result_human(result.to_json())
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


def _cmd_verify(args: argparse.Namespace) -> int:
    from app.config import load_settings
    from app.core.pipeline import Pipeline

    settings = load_settings(args.config)
    prompt = sys.stdin.read(_MAX_INPUT_BYTES) if args.prompt == "-" else args.prompt
    tests = _read_bytes(args.tests, "--tests").decode("utf-8", "replace") if args.tests else None
    names = [name.strip() for name in args.providers.split(",") if name.strip()] if args.providers else None
    progress = None if args.json else _print_progress

    async def run() -> Any:
        pipeline = await Pipeline.open(settings)
        try:
            return await pipeline.verify(prompt, providers=names, tests=tests, on_event=progress)
        finally:
            await pipeline.aclose()

    result = asyncio.run(run())
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print_verify_human(result.to_json())
    return EXIT_OK


def _print_progress(event: Any) -> None:
    from app.core.events import AnswerReceived, CodeExecuted, RunStarted

    if isinstance(event, RunStarted):
        note = " (recorded demo answers: no keys or Ollama found)" if event.mode == "demo" else ""
        print(f"asking {', '.join(event.providers)}{note} ...", file=sys.stderr)
    elif isinstance(event, AnswerReceived):
        answer = event.record.answer
        served = f" via {answer.served_by}" if answer.served_by else ""
        print(
            f"  {answer.provider}: {answer.status}{served} in {answer.latency_ms / 1000:.1f} s",
            file=sys.stderr,
        )
    elif isinstance(event, CodeExecuted) and event.record.execution is not None:
        execution = event.record.execution
        print(f"  {event.record.answer.provider}: code ran, {execution.status}", file=sys.stderr)


def _print_verify_human(result: dict[str, Any]) -> None:
    winner = result["winner"]
    print(f"verdict: {result['verdict']}  confidence: {result['confidence']:.2f}"
          + (f"  winner: #{winner['index']} {winner['provider']}" if winner else ""))  # fmt: skip
    for index, answer in enumerate(result["answers"]):
        line = f"  #{index} {answer['provider']} [{answer['model']}]: {answer['status']}"
        if answer["served_by"]:
            line += f" (served by {answer['served_by']})"
        if answer["error"]:
            line += f": {answer['error']}"
        print(_inert(line))
    print(_inert(result["explanation"]))
    if winner and result["answers"][winner["index"]]["code"]:
        print("--- winning code ---")
        print(_inert(result["answers"][winner["index"]]["code"]).rstrip())


def _cmd_judge(args: argparse.Namespace) -> int:
    from app.config import load_settings
    from app.judge import JudgePool, JudgeSettings, judge, load_pool

    settings = load_settings(args.config)
    if args.pool == "-":
        try:
            pool = JudgePool.from_json(json.loads(sys.stdin.read(_MAX_INPUT_BYTES)))
        except json.JSONDecodeError as error:
            raise UserError(
                f"stdin: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
            ) from None
    else:
        pool = load_pool(args.pool)
    judge_settings = JudgeSettings(
        run_timeout_s=args.timeout or max(settings.sandbox.timeout_s, 10.0),
        memory_mb=settings.sandbox.memory_mb,
    )

    async def run() -> Any:
        from app.sandbox.factory import create_sandbox

        sandbox = create_sandbox(
            settings.sandbox.backend,
            docker_image=settings.sandbox.docker_image,
            pool_size=len(pool.candidates),
        )
        try:
            return await judge(pool, sandbox, judge_settings)
        finally:
            await sandbox.aclose()

    report = asyncio.run(run()).to_json()
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return EXIT_OK
    winner = report["winner"]
    winner_text = f"#{winner['index']} {winner['model']}" if winner else "-"
    print(f"verdict: {report['verdict']}  confidence: {report['confidence']:.2f}  winner: {winner_text}")
    for candidate in report["candidates"]:
        print(
            f"  #{candidate['index']} {candidate['model']}: {candidate['status']}, examples "
            f"{candidate['examples_passed']}/{candidate['examples_total']}"
            + (f" ({candidate['problem']})" if candidate["problem"] else "")
        )
    print(_inert(report["explanation"]))
    return EXIT_OK


def _print_result_human(result: dict[str, Any]) -> None:
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
            print(_inert(result[stream]), end="" if result[stream].endswith("\n") else "\n")


def _inert(text: str) -> str:
    """Program output may carry terminal escape sequences: show them, never let them act."""
    return "".join(ch if ch in "\n\t" or (ch.isprintable()) else f"\\x{ord(ch):02x}" for ch in text)


def _cmd_keys(args: argparse.Namespace) -> int:
    from app.config import load_settings
    from app.config.secrets import delete_api_key, store_api_key

    settings = load_settings(args.config)
    names = [provider.name for provider in settings.providers]
    if names and args.provider not in names:
        raise UserError(f"no provider named {args.provider!r} in the config (configured: {', '.join(names)})")
    if args.action == "delete":
        found = delete_api_key(args.provider)
        print(f"{'deleted' if found else 'no stored key for'} {args.provider}")
        return EXIT_OK
    value = (
        sys.stdin.readline() if not sys.stdin.isatty() else getpass.getpass(f"API key for {args.provider}: ")
    )
    store_api_key(args.provider, value)
    print(f"stored the key for {args.provider} in the OS keychain")
    return EXIT_OK


def _read_program(name: str) -> str:
    data = sys.stdin.buffer.read(_MAX_INPUT_BYTES + 1) if name == "-" else _read_bytes(name, "FILE.py")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"{name}: not UTF-8 text (byte {error.start})") from None


def _read_bytes(name: str, what: str) -> bytes:
    path = Path(name)
    try:
        if path.stat().st_size > _MAX_INPUT_BYTES:
            raise UserError(f"{what} {name}: larger than {_MAX_INPUT_BYTES // 1_000_000} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{what} {name}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{what} {name}: is a directory") from None
    except PermissionError:
        raise UserError(f"{what} {name}: permission denied") from None


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be in (0, 3600], got {text}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 16 <= value <= 65536:
        raise argparse.ArgumentTypeError(f"must be between 16 and 65536, got {text}")
    return value
