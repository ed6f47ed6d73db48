"""Load on the gateway with Locust: cache hits, full verifications, and a memory soak.

    .venv/bin/python bench/load.py [--hit-seconds 30] [--full-seconds 90] [--soak-seconds 300]
                                   [--workers 2] [--spawn-rate 2]

Everything runs on this machine: 4 fake OpenAI-compatible providers answering after 200 ms each
(bench/fake_providers.py, own process), one `quorum serve` process, and Locust headless (one process,
FastHttpUser). Rows: cache-hit traffic at 50 users; full verifications (4 providers, sandbox, judge)
at 20 users; a soak of cache-hit traffic during which the gateway's resident memory is sampled.
Prints a Markdown table and writes bench/results/load.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = ROOT / "tests" / "locustfile.py"
PROMPT = "Write a Python function `add(a, b)` that returns the sum.\n\n>>> add(2, 3)\n5\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_providers() -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "fake_providers.py"), "200", "200", "200", "200"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, int(process.stdout.readline())


def write_config(directory: Path, providers_port: int, max_concurrent: int, workers: int = 1) -> Path:
    blocks = "".join(
        f'\n[[providers]]\nname = "p{i}"\nkind = "openai"\nmodel = "fake"\n'
        f'base_url = "http://127.0.0.1:{providers_port}/p{i}/v1"\n'
        for i in range(4)
    )
    config = directory / "load.toml"
    config.write_text(
        f'[sandbox]\nbackend = "subprocess"\ntimeout_s = 5\npool_size = 8\n\n'
        f'[cache]\npath = "{directory / "cache"}"\n\n[metrics]\nport = 0\n\n'
        f"[gateway]\nmax_concurrent = {max_concurrent}\nmax_queue = 64\nworkers = {workers}\n{blocks}"
    )
    return config


def start_gateway(config: Path, port: int, log: Path) -> subprocess.Popen[str]:
    # stderr to a file, not a pipe nobody reads: a full pipe would stall the gateway mid-run.
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), "--config", str(config)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gateway did not become ready: {log.read_text()[-2000:]}")


def locust(
    host: str, user_class: str, users: int, seconds: int, out: Path, *, spawn_rate: int | None = None
) -> dict[str, float]:
    prefix = out / user_class
    rate = spawn_rate or users
    # Locust exits 1 when any request failed: the failures are counted in the table, not fatal here.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(rate),
            "-t",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            user_class,
        ],
        check=False,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    with Path(f"{prefix}_stats.csv").open() as stats:
        rows = list(csv.DictReader(stats))
    main = next(row for row in rows if row["Name"].startswith("verify") and "429" not in row["Name"])
    overload = next((row for row in rows if "429" in row["Name"]), None)
    return {
        "users": users,
        "spawn_rate": rate,
        "seconds": seconds,
        "requests": int(main["Request Count"]),
        "rps": float(main["Requests/s"]),
        "p50_ms": float(main["50%"]),
        "p95_ms": float(main["95%"]),
        "p99_ms": float(main["99%"]),
        "failures": int(main["Failure Count"]),
        "overload_429": int(overload["Request Count"]) if overload else 0,
    }


def soak(host: str, gateway: subprocess.Popen[str], seconds: int, out: Path) -> dict[str, float]:
    parent = psutil.Process(gateway.pid)
    # The gateway's own processes: the server and, with --workers, its worker processes (not the
    # short-lived sandbox processes below them).
    processes = [parent] + [c for c in parent.children() if "spawn_main" in " ".join(c.cmdline())]
    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            samples.append(sum(process.memory_info().rss for process in processes) / 2**20)
            stop.wait(5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stats = locust(host, "CacheHitUser", 50, seconds, out)
    stop.set()
    sampler.join()
    warm = samples[min(2, len(samples) - 1)]  # after start-up allocations settle
    return {**stats, "rss_start_mb": warm, "rss_end_mb": samples[-1], "rss_growth": samples[-1] / warm - 1}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hit-seconds", type=int, default=30)
    parser.add_argument("--full-seconds", type=int, default=90)
    parser.add_argument("--workers", type=int, default=2, help="gateway processes (default 2: one per core)")
    parser.add_argument("--spawn-rate", type=int, default=2, help="verification users started per second")
    parser.add_argument("--soak-seconds", type=int, default=300)
    args = parser.parse_args()
    providers, providers_port = start_providers()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        config = write_config(directory, providers_port, max_concurrent=20, workers=args.workers)
        gateway = start_gateway(config, port, directory / "gateway.log")
        try:
            first = httpx.post(f"{host}/v1/verify", json={"prompt": PROMPT}, timeout=60).json()
            assert first["verdict"] == "verified", first
            assert (
                httpx.post(f"{host}/v1/verify", json={"prompt": PROMPT}, timeout=60).json()["cache"]
                == "exact"
            )
            results["cache hits, 50 users"] = locust(host, "CacheHitUser", 50, args.hit_seconds, directory)
            results["full verifications, 20 users"] = locust(
                host, "FullVerifyUser", 20, args.full_seconds, directory, spawn_rate=args.spawn_rate
            )
            results["full verifications, 20 users, no think time (capacity)"] = locust(
                host, "SaturatingVerifyUser", 20, args.full_seconds, directory, spawn_rate=args.spawn_rate
            )
            if args.soak_seconds:
                results["soak: cache hits, 50 users"] = soak(host, gateway, args.soak_seconds, directory)
        finally:
            gateway.terminate()
            gateway.wait(30)
            providers.kill()
            if any(row["failures"] for row in results.values()):
                print(f"gateway log (tail):\n{(directory / 'gateway.log').read_text()[-4000:]}")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}, Python {platform.python_version()}"
    out = ROOT / "bench" / "results" / "load.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {"machine": machine, "workers": args.workers, "spawn_rate": args.spawn_rate, "results": results},
            indent=2,
        )
    )
    print(
        f"Machine: {machine}; gateway ({args.workers} worker processes), Locust and 4 fake providers "
        f"(200 ms) on the same box; verification users started {args.spawn_rate}/s\n"
    )
    print("| traffic | users | RPS | p50 | p95 | p99 | failures | 429 (overload) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, row in results.items():
        print(
            f"| {name} | {row['users']:.0f} | {row['rps']:.0f} | {row['p50_ms']:.0f} ms | {row['p95_ms']:.0f} ms "
            f"| {row['p99_ms']:.0f} ms | {row['failures']:.0f} | {row['overload_429']:.0f} |"
        )
    if "soak: cache hits, 50 users" in results:
        row = results["soak: cache hits, 50 users"]
        print(
            f"\nsoak: RSS {row['rss_start_mb']:.0f} MB -> {row['rss_end_mb']:.0f} MB ({row['rss_growth']:+.1%})"
        )
    print(f"\n{out}")


if __name__ == "__main__":
    main()
