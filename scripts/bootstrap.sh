#!/usr/bin/env bash
# Set up everything `make run` and `make test` need on a fresh Debian machine, idempotently:
# system packages (when root and missing), then .venv with the pinned Python dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(bubblewrap util-linux redis-server
              libgl1 libegl1 libglib2.0-0 libxkbcommon0 libfontconfig1 libdbus-1-3)
PYTHON=${PYTHON:-python3}

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
      apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
  else
    echo "bootstrap: missing system packages (install them as root): ${missing[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.quorum-installed
want=$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing Python dependencies (first run takes a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  # torch is pinned to the CPU build found on local disk; an unpinned torch would pull CUDA wheels.
  .venv/bin/python -m pip install -q -c requirements.lock torch==2.13.0
  .venv/bin/python -m pip install -q -c requirements.lock -e ".[dev]"
  echo "$want" > "$stamp"
fi

# The default embedder runs all-MiniLM-L6-v2 in ONNX Runtime (app/cache/embed_onnx.py). Export it once
# from the weights the model package ships (~10 s, nothing downloaded) into resources/models/ (git
# ignores it); a rerun only checks that the export matches the installed package (no torch import).
# A failed export is not fatal: the embedder then falls back to torch, and the tests export their own.
.venv/bin/python -m app.cache.onnx_export --quiet ||
  echo "bootstrap: ONNX export failed; the semantic cache will embed with torch" >&2
