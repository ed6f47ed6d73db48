"""The frozen bundle: its size, and how fast it starts. Needs a built bundle (`make installer`).

    QT_QPA_PLATFORM=offscreen python bench/installer.py [--bundle dist/quorum] [--launches 5] [--build]

- size: the whole dist/quorum folder and its largest parts (target <= 600 MB);
- launch to a usable window: a fresh `quorum gui --demo --startup-report` per launch (private user dirs),
  timed from just before the process starts to the window's first paint (it takes input from then on);
  also to the pipeline being open and to the embedding model loaded in the background (target <= 2 s
  for the window);
- `quorum --version` and a bare start of the sandbox's interpreter (`quorum-sandbox-python -c pass`, no
  isolation) next to this checkout's `python -S -s -B -c pass`: what a cold sandbox worker pays;
- with --build: the time of a clean `pyinstaller` build first.
Writes bench/results/installer.json.
"""

from __future__ import annotations

import argparse
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
RESULTS = ROOT / "bench" / "results" / "installer.json"
sys.path.insert(0, str(ROOT))

from bench.startup import measure_launches  # noqa: E402 - after the path set-up


def build() -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "pyinstaller"), "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", "dist", "--workpath", "build", "build_installer.spec"],
        cwd=ROOT,
        check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def sizes(bundle: Path) -> dict[str, Any]:
    def size_of(path: Path) -> int:
        if path.is_symlink():
            return 0
        if path.is_file():
            return path.stat().st_size
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())

    internal = bundle / "_internal"
    parts = {f"_internal/{p.name}": size_of(p) for p in internal.iterdir()}
    parts.update({p.name: size_of(p) for p in bundle.iterdir() if p.name != "_internal"})
    largest = sorted(parts.items(), key=lambda item: -item[1])[:10]
    return {
        "total_mb": size_of(bundle) / 1e6,
        "files": sum(1 for p in bundle.rglob("*") if p.is_file()),
        "largest_mb": {name: size / 1e6 for name, size in largest},
    }


def _timed(argv: list[str], runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True, env={"PATH": "/usr/bin:/bin"})
        times.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(times), "max": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "quorum")
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--build", action="store_true", help="time a clean build first")
    args = parser.parse_args()
    build_s = build() if args.build else None
    bundle = args.bundle.resolve()
    if not (bundle / "quorum").is_file():
        raise SystemExit(f"no bundle at {bundle}: run `make installer` first")
    size = sizes(bundle)
    start = measure_launches([str(bundle / "quorum")], args.launches)
    version = _timed([str(bundle / "quorum"), "--version"], 10)
    frozen_python = _timed([str(bundle / "quorum-sandbox-python"), "-c", "pass"], 20)
    source_python = _timed([sys.executable, "-S", "-s", "-B", "-c", "pass"], 20)

    rows = [
        ("bundle size", f"{size['total_mb']:.0f} MB", "<= 600 MB"),
        ("launch to usable window (median)", f"{start['usable_ms']['median']:.0f} ms", ""),
        ("launch to usable window (max)", f"{start['usable_ms']['max']:.0f} ms", "<= 2000 ms"),
        ("launch to pipeline ready (median)", f"{start['pipeline_ready_ms']['median']:.0f} ms", ""),
        (f"launch to embedding model ready ({start['embedder']}, median)",
         f"{start['model_ready_ms']['median']:.0f} ms", "background"),
        ("`quorum --version` (median)", f"{version['median']:.0f} ms", ""),
        ("quorum-sandbox-python -c pass (median)", f"{frozen_python['median']:.1f} ms", ""),
        ("python -S -s -B -c pass, source (median)", f"{source_python['median']:.1f} ms", ""),
    ]  # fmt: skip
    if build_s is not None:
        rows.insert(0, ("clean build (pyinstaller)", f"{build_s:.0f} s", ""))
    print(f"\n{'measure':<52} {'value':>10}  target")
    for name, value, target in rows:
        print(f"{name:<52} {value:>10}  {target}")
    print("\nlargest parts:")
    for name, mb in size["largest_mb"].items():
        print(f"  {name:<50} {mb:8.1f} MB")
    ok = size["total_mb"] <= 600 and start["usable_ms"]["max"] <= 2000
    print(f"\n{'PASS' if ok else 'FAIL'}: size and launch {'within' if ok else 'over'} target")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {
                    "cpu_count": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                },
                "build_s": build_s,
                "size": size,
                "startup": start,
                "version_ms": version,
                "sandbox_interpreter_start_ms": {"frozen": frozen_python, "source": source_python},
                "targets_met": ok,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
