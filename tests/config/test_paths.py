"""Where the app finds generated models: source checkout, frozen bundle, override."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.config.paths import models_dir

ROOT = Path(__file__).resolve().parents[2]


def test_models_dir_in_a_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUORUM_MODELS_DIR", raising=False)
    assert models_dir() == ROOT / "resources" / "models"


def test_models_dir_in_a_frozen_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("QUORUM_MODELS_DIR", raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert models_dir() == tmp_path / "models"


def test_models_dir_override_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    monkeypatch.setenv("QUORUM_MODELS_DIR", str(tmp_path / "mine"))
    assert models_dir() == tmp_path / "mine"
