"""`quorum gui --startup-report`, the hidden flag bench/installer.py times the frozen app with: a real
process starts the window offscreen, prints one JSON line and exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_startup_report_prints_when_the_window_and_the_model_were_ready() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "OLLAMA_HOST": "127.0.0.1:9"}
    done = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--demo", "--startup-report"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(report) == {"usable", "ready", "cache_ready", "embedder", "cache_state"}
    assert report["cache_state"] == "ready"
    assert report["embedder"] in ("onnx", "torch")
    assert report["usable"] <= report["cache_ready"] and report["ready"] <= report["cache_ready"]


def test_startup_report_is_not_in_the_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    assert "--screenshot" in done.stdout
    assert "startup" not in done.stdout
