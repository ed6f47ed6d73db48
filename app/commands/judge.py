"""`quorum judge POOL.json`: decide which raw answer in a pool is correct."""

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
    from app.config import load_settings
    from app.judge import JudgePool, JudgeSettings, judge, load_pool

    settings = load_settings(args.config)
    if args.pool == "-":
        try:
            pool = JudgePool.from_json(json.loads(sys.stdin.read(MAX_INPUT_BYTES)))
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

    async def judge_pool() -> Any:
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

    report = asyncio.run(judge_pool()).to_json()
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
    print(inert(report["explanation"]))
    return EXIT_OK
