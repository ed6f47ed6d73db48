"""Launch to a usable window, timed the same way for the checkout (bench/gui_responsiveness.py) and the
frozen bundle (bench/installer.py).

Each launch is a fresh `quorum gui --demo --startup-report` with private user directories, timed from
just before the process starts to the marks it prints (app/ui/launch.py `report_startup`): the window's
first paint (usable: it takes input from then on), the pipeline open, and the embedding model loaded
in the background.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["isolated_env", "measure_launches"]

ROOT = Path(__file__).resolve().parents[1]


def isolated_env(home: Path) -> dict[str, str]:
    """This environment minus QUORUM_ settings, with user directories under `home` and no Ollama."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QUORUM_")}
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        path = home / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["QT_QPA_PLATFORM"] = env.get("QT_QPA_PLATFORM", "offscreen")
    env["OLLAMA_HOST"] = "127.0.0.1:9"
    env["HF_HUB_OFFLINE"] = "1"
    return env


def measure_launches(quorum: list[str], count: int) -> dict[str, Any]:
    """`quorum`: how to start the app (`[python, "-m", "app"]`, or the bundle's executable)."""
    usable, ready, model = [], [], []
    marks: dict[str, Any] = {}
    for _ in range(count):
        with tempfile.TemporaryDirectory() as home:
            started = time.time()
            done = subprocess.run(
                [*quorum, "gui", "--demo", "--startup-report"],
                env=isolated_env(Path(home)),
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=180,
                check=True,
            )
        marks = json.loads(done.stdout.strip().splitlines()[-1])
        usable.append((marks["usable"] - started) * 1000)
        ready.append((marks["ready"] - started) * 1000)
        model.append((marks["cache_ready"] - started) * 1000)
    return {
        "launches": count,
        "embedder": marks.get("embedder"),
        "usable_ms": {"median": statistics.median(usable), "max": max(usable), "all": usable},
        "pipeline_ready_ms": {"median": statistics.median(ready), "max": max(ready), "all": ready},
        "model_ready_ms": {"median": statistics.median(model), "max": max(model)},
    }
