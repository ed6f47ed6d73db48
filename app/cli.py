"""The `quorum` command line: parse, call the pipeline, print. No business logic lives here."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from app import __version__
from app.commands.io import EXIT_INTERNAL, EXIT_OK, EXIT_SANDBOX, EXIT_USAGE, positive_float, positive_int
from app.core.errors import QuorumError, SandboxError, UserError

__all__ = ["main"]

_log = logging.getLogger("app.cli")


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
    sandbox.add_argument("--timeout", metavar="S", type=positive_float, help="wall-clock limit in seconds")
    sandbox.add_argument("--memory-mb", metavar="N", type=positive_int, help="memory limit in MB")
    sandbox.add_argument("--backend", choices=("auto", "docker", "subprocess"), help="sandbox backend")
    sandbox.add_argument(
        "--isolation", choices=("bwrap", "unshare", "rlimits"), help="force one subprocess isolation layer"
    )
    sandbox.add_argument("--json", action="store_true", help="print one JSON object")
    sandbox.set_defaults(handler="sandbox")

    verify = commands.add_parser(
        "verify", parents=[common], help="ask the providers, run, judge: one verdict"
    )
    verify.add_argument("prompt", help="the coding prompt ('-' reads it from stdin)")
    verify.add_argument("--providers", metavar="A,B", help="comma-separated provider names (default: all)")
    verify.add_argument("--tests", metavar="FILE", help="your own tests: asserts or test functions")
    verify.add_argument("--no-cache", action="store_true", help="do not answer from the cache")
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    verify.set_defaults(handler="verify")

    judge = commands.add_parser("judge", parents=[common], help="decide which answer in a pool is correct")
    judge.add_argument("pool", metavar="POOL.json", help="pool file ('-' reads it from stdin)")
    judge.add_argument("--timeout", metavar="S", type=positive_float, help="time limit per candidate run")
    judge.add_argument("--json", action="store_true", help="print one JSON object")
    judge.set_defaults(handler="judge")

    gui = commands.add_parser("gui", parents=[common], help="the desktop window")
    gui.add_argument("--demo", action="store_true", help="use the recorded demo providers")
    gui.add_argument("--prompt", metavar="P", help="run this prompt at start")
    gui.add_argument(
        "--screenshot", metavar="FILE.png", help="with --prompt: save the window after the verdict, exit"
    )
    gui.add_argument("--metrics-port", metavar="N", type=_metrics_port, help="/metrics port (0: off)")
    # Start, print launch timings as JSON, exit (bench/installer.py measures the frozen app with it).
    gui.add_argument("--startup-report", action="store_true", help=argparse.SUPPRESS)
    gui.set_defaults(handler="gui")

    cache = commands.add_parser("cache", parents=[common], help="look into the result cache")
    cache.add_argument("action", choices=("stats", "clear", "lookup"))
    cache.add_argument("prompt", nargs="?", help="for lookup: the prompt ('-' reads it from stdin)")
    cache.add_argument("--providers", metavar="A,B", help="for lookup: as given to `quorum verify`")
    cache.add_argument("--json", action="store_true", help="print one JSON object")
    cache.set_defaults(handler="cache")

    serve = commands.add_parser("serve", parents=[common], help="serve the pipeline over HTTP (gateway)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--workers", type=_workers, help="processes sharing the port (default: [gateway] workers, 1)"
    )
    serve.set_defaults(handler="serve")

    keys = commands.add_parser("keys", parents=[common], help="store API keys in the OS keychain")
    keys.add_argument("action", choices=("set", "delete"))
    keys.add_argument("provider", help="provider name from the config")
    keys.set_defaults(handler="keys")
    return parser


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"expected 1 to 64 processes, not {text!r}")
    return int(text)


def _metrics_port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) < 65536:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


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
    except BrokenPipeError:
        # The reader went away (`quorum verify ... | head`): not an error of ours. Point stdout at
        # /dev/null so that the interpreter's final flush does not fail a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what a shell reports for a process killed by SIGPIPE
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
    command = importlib.import_module(f"app.commands.{args.handler}")
    result: int = command.run(args)
    return result


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
