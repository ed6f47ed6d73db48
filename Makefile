# Two commands on a fresh machine: `make run` and `make test`. Both set everything up first.
VENV := .venv
BIN := $(VENV)/bin
CORE := app/core app/config app/sandbox app/cli.py

.PHONY: setup run test lint typecheck imports pytest bench clean

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

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
