"""Sandbox overhead: what a trivial program costs per run, by isolation layer, pooled and cold.

    .venv/bin/python bench/sandbox.py [--runs 200] [--seconds 5]

Overhead = wall time of `run_sync` for the program `pass` (so: everything but the program's own work).
"pooled" waits until the pool has refilled before each run, which is how interactive use looks (a few
runs per verification); "2 concurrent" runs back to back from two threads, which is bounded by how fast
new isolated workers can be started. The reference is a bare `python -S -s -B -c pass` started with
subprocess from this process. Prints a Markdown table and writes bench/results/sandbox.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.sandbox.base import SandboxRequest
from app.sandbox.isolation import Tier, find_interpreter, tier_available
from app.sandbox.subprocess_backend import SubprocessSandbox

TRIVIAL = SandboxRequest(code="pass\n")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": statistics.median(values), "p99_ms": percentile(values, 99), "n": len(values)}


def bare_start(runs: int) -> dict[str, float]:
    argv = [*find_interpreter().argv(), "-c", "pass"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True)
        times.append((time.perf_counter() - started) * 1000)
    return summary(times)


def timed_runs(sandbox: SubprocessSandbox, runs: int, wait_for_pool: bool) -> dict[str, float]:
    pool = sandbox.warm() if wait_for_pool else None
    times = []
    for _ in range(runs):
        if pool is not None:
            deadline = time.monotonic() + 2
            while pool.idle < pool.size and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(0.02)  # let the newest worker finish booting
        started = time.perf_counter()
        result = sandbox.run_sync(TRIVIAL)
        times.append((time.perf_counter() - started) * 1000)
        assert result.status == "ok", result
    return summary(times)


def throughput(sandbox: SubprocessSandbox, seconds: float, threads: int = 2) -> float:
    sandbox.warm()
    time.sleep(0.5)
    done = [0] * threads
    stop = time.monotonic() + seconds

    def work(slot: int) -> None:
        while time.monotonic() < stop:
            assert sandbox.run_sync(TRIVIAL).status == "ok"
            done[slot] += 1

    workers = [threading.Thread(target=work, args=(slot,)) for slot in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}, Python {platform.python_version()}"
    report: dict[str, object] = {
        "machine": machine,
        "runs": args.runs,
        "bare_interpreter": bare_start(args.runs),
    }
    rows = []
    for tier in Tier:
        if not tier_available(tier):
            continue
        with_pool = SubprocessSandbox(tier=tier, pool_size=2)
        cold = SubprocessSandbox(tier=tier, pool_size=0)
        try:
            entry = {
                "pooled": timed_runs(with_pool, args.runs, wait_for_pool=True),
                "cold": timed_runs(cold, args.runs, wait_for_pool=False),
                "runs_per_s_2_concurrent_pooled": throughput(with_pool, args.seconds),
            }
        finally:
            with_pool.close()
            cold.close()
        report[str(tier)] = entry
        rows.append((str(tier), entry))
    out = Path(__file__).parent / "results" / "sandbox.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    bare = report["bare_interpreter"]
    assert isinstance(bare, dict)
    print(f"Machine: {machine}\n")
    print("| layer | pooled p50 | pooled p99 | cold p50 | cold p99 | runs/s, 2 concurrent |")
    print("|---|---|---|---|---|---|")
    for name, entry in rows:
        pooled, cold_stats = entry["pooled"], entry["cold"]
        print(
            f"| {name} | {pooled['p50_ms']:.2f} ms | {pooled['p99_ms']:.2f} ms | {cold_stats['p50_ms']:.2f} ms "
            f"| {cold_stats['p99_ms']:.2f} ms | {entry['runs_per_s_2_concurrent_pooled']:.0f} |"
        )
    print(
        f"| bare `python -S -s -B -c pass` (reference, no isolation) | | | {bare['p50_ms']:.2f} ms | {bare['p99_ms']:.2f} ms | |"
    )
    print(f"\n{out}")


if __name__ == "__main__":
    main()
