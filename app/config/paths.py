"""Where Quorum keeps things. One place, so that source checkouts, frozen bundles and tests agree.

User directories come from platformdirs (which honours XDG_* on Linux); tests point them at a tmp dir.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

__all__ = [
    "APP_NAME",
    "cache_dir",
    "config_dir",
    "data_dir",
    "default_config_file",
    "log_dir",
    "models_dir",
    "resources_dir",
]

APP_NAME = "quorum"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_config_file() -> Path:
    return config_dir() / "config.toml"


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """Bundled resources: next to the frozen executable's data, else the checkout's `resources/`."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    override = os.environ.get("QUORUM_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"


def models_dir() -> Path:
    """Generated model files (the ONNX embedding model): `$QUORUM_MODELS_DIR` if set, else the frozen
    bundle's `models/`, else the checkout's `resources/models/` (written by scripts/bootstrap.sh through
    `python -m app.cache.onnx_export`; git ignores it)."""
    override = os.environ.get("QUORUM_MODELS_DIR")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "models"
    return Path(__file__).resolve().parents[2] / "resources" / "models"
