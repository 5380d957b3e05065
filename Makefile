# One entry point for people and CI. `make test` is exactly what CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup dev test lint typecheck unit browser-deps bench openapi clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

dev: setup
	$(BIN)/contact-relay dev

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest tests/unit

# The browser test drives Debian's chromium; install it when it is missing (CI runs as root).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium; }

test: lint typecheck browser-deps
	$(BIN)/pytest

# Figures, not pass/fail: speed targets live here, never in timed test assertions.
bench: setup
	$(BIN)/python benchmarks/reduction_scaling.py
	$(BIN)/python benchmarks/dev_startup.py
	$(BIN)/python benchmarks/load_test.py 8 10

# The committed OpenAPI document; a test fails when the code and this file disagree.
openapi: setup
	$(BIN)/contact-relay openapi > openapi.json

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache .hypothesis
