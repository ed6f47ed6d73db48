"""Orchestration overhead: end-to-end time minus the slowest provider, with 4 local fake providers.

    .venv/bin/python bench/orchestrator.py [--runs 100]

Four OpenAI-compatible fake providers (bench/fake_providers.py, in their own process) answer after 50,
100, 150 and 200 ms over real HTTP. Three measurements, interleaved run by run, `--runs` each:
- bare HTTP: the same four streaming requests with plain httpx and asyncio.gather, no Quorum code: the
  floor (loopback HTTP, the fake server, SSE decoding);
- providers: scatter-gather through Quorum's provider layer (ProviderPool.ask_all: resilience wrapper,
  SSE and JSON parsing, events), the orchestration proper;
- full verify: Orchestrator.verify, i.e. the same plus running every answer in the sandbox as it
  arrives and judging at the end.
Overhead = wall time - 200 ms (the slowest provider); "added" = providers minus bare HTTP, run by run. Prints a Markdown table, writes
bench/results/orchestrator.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from app.config.settings import ProviderSettings
from app.core.orchestrator import Orchestrator, RunOptions
from app.providers.base import ChatRequest
from app.providers.pool import ProviderPool
from app.sandbox.subprocess_backend import SubprocessSandbox

LATENCIES_MS = [50, 100, 150, 200]
HUNG_TIMEOUT_S = 2.0
PROMPT = "Write a Python function `add(a, b)` that returns the sum.\n\n>>> add(2, 3)\n5\n"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def measure(runs: int, port: int) -> dict[str, dict[str, float]]:
    settings = [
        ProviderSettings(
            name=f"p{i}", kind="openai", model="fake", base_url=f"http://127.0.0.1:{port}/p{i}/v1"
        )
        for i in range(len(LATENCIES_MS))
    ]
    slowest = max(LATENCIES_MS)
    sandbox = SubprocessSandbox(pool_size=4)
    sandbox.warm()
    results: dict[str, dict[str, float]] = {}
    async with httpx.AsyncClient() as client:
        pool = ProviderPool.from_settings(settings, client)
        request = ChatRequest(prompt=PROMPT)
        orchestrator = Orchestrator(pool, sandbox)
        body = {"model": "fake", "messages": [{"role": "user", "content": PROMPT}], "stream": True}

        async def bare_one(index: int) -> None:
            url = f"http://127.0.0.1:{port}/p{index}/v1/chat/completions"
            async with client.stream("POST", url, json=body) as response:
                async for _ in response.aiter_lines():
                    pass

        async def bare() -> None:
            await asyncio.gather(*(bare_one(i) for i in range(len(LATENCIES_MS))))

        calls = {
            "bare HTTP (floor)": bare,
            "providers (orchestration)": lambda: pool.ask_all(request),
            "full verify (sandbox + judge)": lambda: orchestrator.verify(PROMPT, RunOptions()),
        }
        overheads: dict[str, list[float]] = {name: [] for name in calls}
        for run in range(runs + 5):
            for name, call in calls.items():
                started = time.perf_counter()
                await call()
                elapsed_ms = (time.perf_counter() - started) * 1000
                if run >= 5:  # warm-up runs (connections, imports) are not counted
                    overheads[name].append(elapsed_ms - slowest)
                await asyncio.sleep(0.02)
        for name, values in overheads.items():
            results[name] = {
                "p50_ms": statistics.median(values),
                "p99_ms": percentile(values, 99),
                "runs": runs,
            }
        added = [
            p - b
            for p, b in zip(
                overheads["providers (orchestration)"], overheads["bare HTTP (floor)"], strict=True
            )
        ]
        results["added by orchestration"] = {
            "p50_ms": statistics.median(added),
            "p99_ms": percentile(added, 99),
            "runs": runs,
        }
        await pool.aclose()
        results["one provider hangs (timeout 2 s): beyond its timeout"] = await _hung(
            client, port, sandbox, runs
        )
    sandbox.close()
    return results


async def _hung(
    client: httpx.AsyncClient, port: int, sandbox: SubprocessSandbox, runs: int
) -> dict[str, float]:
    """Provider p4 never answers (timeout 2 s): a full verify must come back soon after that timeout."""
    settings = [
        ProviderSettings(
            name=f"p{i}",
            kind="openai",
            model="fake",
            base_url=f"http://127.0.0.1:{port}/p{i}/v1",
            timeout_s=HUNG_TIMEOUT_S,
        )
        for i in (0, 1, 4)
    ]
    beyond = []
    for _ in range(max(3, runs // 10)):
        pool = ProviderPool.from_settings(settings, client)  # fresh breakers: each run meets the hang anew
        started = time.perf_counter()
        result = await Orchestrator(pool, sandbox).verify(PROMPT, RunOptions())
        beyond.append((time.perf_counter() - started - HUNG_TIMEOUT_S) * 1000)
        assert result.answers[2].answer.status == "timeout", result.answers[2].answer
        await pool.aclose()
    return {"p50_ms": statistics.median(beyond), "p99_ms": max(beyond), "runs": len(beyond)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "fake_providers.py"), *map(str, [*LATENCIES_MS, -1])],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        results = asyncio.run(measure(args.runs, port))
    finally:
        server.kill()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}, Python {platform.python_version()}"
    out = Path(__file__).parent / "results" / "orchestrator.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"machine": machine, "latencies_ms": LATENCIES_MS, "results": results}, indent=2)
    )
    print(f"Machine: {machine}; providers answer after {LATENCIES_MS} ms\n")
    print("| run | overhead p50 | overhead p99 |")
    print("|---|---|---|")
    for name, row in results.items():
        print(f"| {name} | {row['p50_ms']:.1f} ms | {row['p99_ms']:.1f} ms |")
    print(f"\n{out}")


if __name__ == "__main__":
    main()
