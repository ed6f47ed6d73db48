"""`quorum cache stats|clear|lookup PROMPT`: look into the result cache."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from app.commands.io import EXIT_OK, MAX_INPUT_BYTES, inert
from app.core.errors import UserError

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    from app.cache.commands import cache_clear, cache_lookup, cache_stats, discover_context
    from app.config import load_settings

    settings = load_settings(args.config)
    if args.action == "stats":
        _show(cache_stats(settings), args.json)
    elif args.action == "clear":
        removed = cache_clear(settings)
        _show(
            {"removed": removed}, args.json, human=f"removed {removed} entr{'y' if removed == 1 else 'ies'}"
        )
    else:
        if not args.prompt:
            raise UserError("cache lookup needs a PROMPT ('-' reads it from stdin)")
        prompt = sys.stdin.read(MAX_INPUT_BYTES) if args.prompt == "-" else args.prompt
        names = [n.strip() for n in args.providers.split(",") if n.strip()] if args.providers else None

        async def lookup() -> dict[str, Any]:
            context = await discover_context(settings, providers=names)
            return await cache_lookup(settings, prompt, context)

        _show(asyncio.run(lookup()), args.json)
    return EXIT_OK


def _show(data: dict[str, Any], as_json: bool, human: str | None = None) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
    elif human is not None:
        print(human)
    else:
        for key, value in data.items():
            print(inert(f"{key}: {value}"))
