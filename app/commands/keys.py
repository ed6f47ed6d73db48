"""`quorum keys set|delete NAME`: API keys in the OS keychain."""

from __future__ import annotations

import argparse
import getpass
import sys

from app.commands.io import EXIT_OK
from app.core.errors import UserError

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
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
