# Two commands on a fresh machine: `make run` and `make test`. Both set everything up first.
VENV := .venv
BIN := $(VENV)/bin
CORE := app/core app/config app/sandbox app/cli.py

.PHONY: setup run test lint typecheck imports pytest bench installer installer-smoke clean

setup:
	@./scripts/bootstrap.sh

# The desktop window (configured providers, else a local Ollama, else the recorded demo providers).
# Without a display (a server, a container), the same pipeline runs once on the command line instead.
run: setup
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] || [ "$$QT_QPA_PLATFORM" = "offscreen" ]; then \
		$(BIN)/quorum gui; \
	else \
		echo "no display found: verifying a sample prompt on the command line (quorum gui needs a desktop)"; \
		$(BIN)/quorum verify "Write a Python function that reverses a string."; \
	fi

test: setup lint typecheck imports pytest

lint:
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench

typecheck:
	$(BIN)/mypy

imports:
	$(BIN)/lint-imports

pytest:
	QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 $(BIN)/pytest -q

# Benchmarks (not tests): each prints a table and writes bench/results/*.json. Takes ~25 minutes.
bench: setup
	$(BIN)/python bench/sandbox.py
	$(BIN)/python bench/orchestrator.py
	$(BIN)/python bench/judge_humaneval.py
	$(BIN)/python bench/cache.py
	$(BIN)/python bench/embedder.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/gui_responsiveness.py
	$(BIN)/python bench/load.py

# The desktop app as a one-folder bundle in dist/quorum/ (PyInstaller, build_installer.spec; ~2 minutes).
installer: setup
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build build_installer.spec
	@du -sh dist/quorum

# Build the bundle, then run the frozen app: --version, sandbox (isolation and hostile programs), verify
# with the demo providers, gui --screenshot offscreen, and the hostile suite on the bundle's interpreter.
installer-smoke: installer
	QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 $(BIN)/python tests/installer/smoke.py dist/quorum

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build dist
