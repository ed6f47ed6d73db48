"""`quorum verify PROMPT`: ask the providers, run every answer, judge; one verdict."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from app.commands.io import EXIT_OK, MAX_INPUT_BYTES, inert, read_bytes

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    from app.config import load_settings
    from app.core.pipeline import Pipeline

    settings = load_settings(args.config)
    prompt = sys.stdin.read(MAX_INPUT_BYTES) if args.prompt == "-" else args.prompt
    tests = read_bytes(args.tests, "--tests").decode("utf-8", "replace") if args.tests else None
    names = [name.strip() for name in args.providers.split(",") if name.strip()] if args.providers else None
    progress = None if args.json else _print_progress

    async def ask_and_judge() -> Any:
        pipeline = await Pipeline.open(settings)
        try:
            return await pipeline.verify(
                prompt, providers=names, tests=tests, on_event=progress, use_cache=not args.no_cache
            )
        finally:
            await pipeline.aclose()

    result = asyncio.run(ask_and_judge())
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        _print_verify_human(result.to_json())
    return EXIT_OK


def _print_progress(event: Any) -> None:
    from app.core.events import AnswerReceived, CodeExecuted, RunStarted, VerdictReached

    if isinstance(event, RunStarted):
        note = " (recorded demo answers: no keys or Ollama found)" if event.mode == "demo" else ""
        print(f"providers: {', '.join(event.providers)}{note}", file=sys.stderr)
    elif isinstance(event, VerdictReached) and event.result.cache != "miss":
        print(f"  answered from the cache ({event.result.cache} match)", file=sys.stderr)
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
        print(inert(line))
    print(inert(result["explanation"]))
    if winner and result["answers"][winner["index"]]["code"]:
        print("--- winning code ---")
        print(inert(result["answers"][winner["index"]]["code"]).rstrip())
