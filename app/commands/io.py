"""Shared by the subcommands: reading user files, argument types, showing untrusted text safely."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.core.errors import UserError

__all__ = ["EXIT_INTERNAL", "EXIT_OK", "EXIT_SANDBOX", "EXIT_USAGE", "MAX_INPUT_BYTES", "inert",
           "positive_float", "positive_int", "read_bytes", "read_program"]  # fmt: skip

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_SANDBOX = 0, 1, 2, 3
MAX_INPUT_BYTES = 16_000_000


def inert(text: str) -> str:
    """Program output may carry terminal escape sequences: show them, never let them act."""
    return "".join(ch if ch in "\n\t" or (ch.isprintable()) else f"\\x{ord(ch):02x}" for ch in text)


def read_program(name: str) -> str:
    import sys

    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1) if name == "-" else read_bytes(name, "FILE.py")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(f"{name}: not UTF-8 text (byte {error.start})") from None


def read_bytes(name: str, what: str) -> bytes:
    path = Path(name)
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise UserError(f"{what} {name}: larger than {MAX_INPUT_BYTES // 1_000_000} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{what} {name}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{what} {name}: is a directory") from None
    except PermissionError:
        raise UserError(f"{what} {name}: permission denied") from None


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be in (0, 3600], got {text}")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if not 16 <= value <= 65536:
        raise argparse.ArgumentTypeError(f"must be between 16 and 65536, got {text}")
    return value
