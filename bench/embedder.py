"""Embedder backends, torch vs ONNX Runtime: size on disk, load time, latency of one short prompt.

    .venv/bin/python bench/embedder.py [--runs 2000] [--loads 5] [--tuning-runs 800]

- size: the model files each backend reads (the package's model directory for torch, the export for
  ONNX), and the installed size of the distributions each path really imports (a fresh process loads the
  backend and embeds a prompt; each non-stdlib module in sys.modules is mapped to its distribution);
- load: fresh processes, median of --loads: importing the runtime (torch + sentence-transformers vs
  onnxruntime + tokenizers), loading the model or session, the first embedding, and peak RSS;
- latency: `Embedder.embed` of one short prompt (what the cache calls, through the embedding thread),
  both backends in one process, interleaved in rounds so that both see the same background load; wall
  time p50/p99, and the process CPU time per call;
- ONNX session tuning: weights (float32 vs 8-bit, embed_onnx.QUANTISED_FILE) x intra-op threads 1 vs 2
  x graph optimisation level, in a process without torch; wall time, and CPU time of the whole process
  (with 2 threads the second core is busy too).
Prints Markdown tables and writes bench/results/embedder.json.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

PROMPT = "Write a Python function that reverses a string."
BACKENDS = ("torch", "onnx")
RUNTIME_IMPORTS = {"torch": ("torch", "sentence_transformers"), "onnx": ("onnxruntime", "tokenizers")}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 50), 3),
        "p99_ms": round(percentile(values, 99), 3),
        "mean_ms": round(sum(values) / len(values), 3),
        "n": len(values),
    }


def tree_bytes(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def distribution_bytes(name: str) -> int:
    dist = importlib.metadata.distribution(name)
    total = 0
    for file in dist.files or []:
        located = Path(str(dist.locate_file(file)))
        if located.is_file():
            total += located.stat().st_size
    return total


# --- child process: one cold load ------------------------------------------------------------------


def child(backend: str) -> None:
    started = time.perf_counter()
    from app.cache.embedder import Embedder

    app_imported = time.perf_counter()
    for module in RUNTIME_IMPORTS[backend]:
        importlib.import_module(module)
    runtime_imported = time.perf_counter()
    embedder = Embedder(backend="onnx" if backend == "onnx" else "torch")
    embedder.load()
    loaded = time.perf_counter()
    embedder.embed(PROMPT)
    first = time.perf_counter()
    import resource

    top = {name.split(".")[0] for name in sys.modules}
    mapping = importlib.metadata.packages_distributions()
    dists = sorted({dist for name in top for dist in mapping.get(name, [])} - {"quorum"})
    print(
        json.dumps(
            {
                "backend": embedder.backend,
                "dtype": embedder.dtype,
                "import_app_s": app_imported - started,
                "import_runtime_s": runtime_imported - app_imported,
                "load_model_s": loaded - runtime_imported,
                "first_embedding_s": first - loaded,
                "ready_s": first - started,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "distributions": dists,
            }
        )
    )


def cold_loads(backend: str, loads: int) -> dict[str, Any]:
    runs = []
    for _ in range(loads):
        started = time.perf_counter()
        output = subprocess.run(
            [sys.executable, __file__, "--child", backend],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        run = json.loads(output.strip().splitlines()[-1])
        run["process_s"] = time.perf_counter() - started
        runs.append(run)
    keys = ("import_app_s", "import_runtime_s", "load_model_s", "first_embedding_s", "ready_s", "process_s")
    result: dict[str, Any] = {key: round(statistics.median(run[key] for run in runs), 3) for key in keys}
    result["peak_rss_mb"] = round(statistics.median(run["peak_rss_mb"] for run in runs))
    result["backend"], result["dtype"] = runs[0]["backend"], runs[0]["dtype"]
    result["distributions"] = runs[0]["distributions"]
    return result


# --- sizes -----------------------------------------------------------------------------------------


def sizes(loads: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from app.cache.embed_onnx import onnx_model_dir
    from app.cache.embedder import model_dir

    imported = {backend: set(loads[backend]["distributions"]) for backend in BACKENDS}
    per_dist = {name: distribution_bytes(name) for name in sorted(imported["torch"] | imported["onnx"])}
    result: dict[str, Any] = {
        "model_files_mb": {
            "torch": round(tree_bytes(model_dir()) / 1e6, 1),
            "onnx": round(tree_bytes(onnx_model_dir()) / 1e6, 1),
        },
        "packages_mb": {
            name: round(distribution_bytes(name) / 1e6, 1)
            for name in ("torch", "sentence-transformers", "transformers", "onnxruntime", "tokenizers")
        },
    }
    for backend in BACKENDS:
        own = imported[backend] - imported[_other(backend)]
        result[f"{backend}_imports_mb"] = round(sum(per_dist[name] for name in imported[backend]) / 1e6, 1)
        result[f"{backend}_only"] = {name: round(per_dist[name] / 1e6, 1) for name in sorted(own)}
        result[f"{backend}_only_mb"] = round(sum(per_dist[name] for name in own) / 1e6, 1)
    return result


def _other(backend: str) -> str:
    return "onnx" if backend == "torch" else "torch"


# --- latency ---------------------------------------------------------------------------------------


def latency(runs: int) -> dict[str, Any]:
    from app.cache.embedder import Embedder

    embedders = {"torch": Embedder(backend="torch"), "onnx": Embedder(backend="onnx")}
    wall: dict[str, list[float]] = {backend: [] for backend in BACKENDS}
    cpu: dict[str, list[float]] = {backend: [] for backend in BACKENDS}
    for embedder in embedders.values():
        for _ in range(50):
            embedder.embed(PROMPT)
    rounds = 10
    for _ in range(rounds):
        for backend, embedder in embedders.items():
            for _ in range(runs // rounds):
                started, cpu_started = time.perf_counter(), time.process_time()
                embedder.embed(PROMPT)
                wall[backend].append((time.perf_counter() - started) * 1000)
                cpu[backend].append((time.process_time() - cpu_started) * 1000)
    return {
        backend: {
            "dtype": embedders[backend].dtype,
            "wall": summary(wall[backend]),
            "cpu": summary(cpu[backend]),
        }
        for backend in BACKENDS
    }


def tuning_child(runs: int) -> None:
    """ONNX Runtime session options, in a process without torch (its threads would skew the result)."""
    from app.cache.embed_onnx import OnnxBackend, onnx_model_dir

    configs = []
    for weights in ("float32", "int8"):
        for threads in (1, 2):
            for level in ("ORT_ENABLE_BASIC", "ORT_ENABLE_ALL"):
                started = time.perf_counter()
                backend = OnnxBackend(onnx_model_dir(), weights=weights, threads=threads, graph_level=level)
                load_s = time.perf_counter() - started
                config = {"weights": weights, "threads": threads, "level": level}
                configs.append((config, backend, load_s, [], []))
    reference = configs[0][1].embed_batch([PROMPT])
    for _, backend, _, _, _ in configs:
        assert float((backend.embed_batch([PROMPT]) * reference).sum()) > 0.998
        for _ in range(30):
            backend.embed_batch([PROMPT])
    rounds = 8
    for _ in range(rounds):
        for _, backend, _, wall, cpu in configs:
            for _ in range(runs // rounds):
                started, cpu_started = time.perf_counter(), time.process_time()
                backend.embed_batch([PROMPT])
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
    rows = [
        {**config, "session_load_s": round(load_s, 3), **summary(wall), "cpu_p50_ms": summary(cpu)["p50_ms"]}
        for config, _, load_s, wall, cpu in configs
    ]
    print(json.dumps(rows))


def tuning(runs: int) -> list[dict[str, Any]]:
    output = subprocess.run(
        [sys.executable, __file__, "--child-tuning", "--tuning-runs", str(runs)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    rows: list[dict[str, Any]] = json.loads(output.strip().splitlines()[-1])
    return rows


# --- main ------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--tuning-runs", type=int, default=800)
    parser.add_argument("--child", choices=BACKENDS)
    parser.add_argument("--child-tuning", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    if args.child_tuning:
        tuning_child(args.tuning_runs)
        return
    loads = {backend: cold_loads(backend, args.loads) for backend in BACKENDS}
    print("loads: done", file=sys.stderr)
    results: dict[str, Any] = {
        "machine": machine(),
        "load_average_before": os.getloadavg(),
        "prompt": PROMPT,
        "sizes": sizes(loads),
        "load": loads,
        "latency": latency(args.runs),
    }
    print("latency: done", file=sys.stderr)
    results["onnx_tuning"] = tuning(args.tuning_runs)
    results["load_average_after"] = os.getloadavg()
    out = ROOT / "bench" / "results" / "embedder.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    report(results)
    print(f"\n{out}")


def report(results: dict[str, Any]) -> None:
    size, load, lat = results["sizes"], results["load"], results["latency"]
    print(f"Machine: {results['machine']}; load average {results['load_average_before'][0]:.1f} before\n")
    print("| | torch (sentence-transformers) | ONNX Runtime |")
    print("|---|---|---|")
    print(
        f"| model files on disk | {size['model_files_mb']['torch']} MB | {size['model_files_mb']['onnx']} MB |"
    )
    print(
        f"| runtime package | torch {size['packages_mb']['torch']} MB (+ sentence-transformers "
        f"{size['packages_mb']['sentence-transformers']} MB, transformers {size['packages_mb']['transformers']} MB) "
        f"| onnxruntime {size['packages_mb']['onnxruntime']} MB |"
    )
    print(
        f"| installed size of everything the path imports | {size['torch_imports_mb']} MB "
        f"| {size['onnx_imports_mb']} MB |"
    )
    print(f"| of which only this path needs | {size['torch_only_mb']} MB | {size['onnx_only_mb']} MB |")
    for key, label in (
        ("import_runtime_s", "import the runtime"),
        ("load_model_s", "load the model / session"),
        ("first_embedding_s", "first embedding"),
        ("ready_s", "from `import app.cache.embedder` to the first vector"),
        ("process_s", "whole process (interpreter start to exit)"),
    ):
        print(f"| {label} | {load['torch'][key]:.3f} s | {load['onnx'][key]:.3f} s |")
    print(f"| peak RSS | {load['torch']['peak_rss_mb']} MB | {load['onnx']['peak_rss_mb']} MB |")
    for kind in ("wall", "cpu"):
        print(
            f"| one short prompt, {kind} p50 / p99 | {lat['torch'][kind]['p50_ms']:.2f} / "
            f"{lat['torch'][kind]['p99_ms']:.2f} ms ({lat['torch']['dtype']}) | {lat['onnx'][kind]['p50_ms']:.2f} / "
            f"{lat['onnx'][kind]['p99_ms']:.2f} ms ({lat['onnx']['dtype']}) |"
        )
    print("\nONNX Runtime session options (one short prompt, sequential execution, no torch loaded):\n")
    print(
        "| weights | intra-op threads | graph optimisation | session load | wall p50 | wall p99 | CPU p50 |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in results["onnx_tuning"]:
        print(
            f"| {row['weights']} | {row['threads']} | {row['level'].removeprefix('ORT_')} "
            f"| {row['session_load_s'] * 1000:.0f} ms "
            f"| {row['p50_ms']:.2f} ms | {row['p99_ms']:.2f} ms | {row['cpu_p50_ms']:.2f} ms |"
        )


if __name__ == "__main__":
    main()
