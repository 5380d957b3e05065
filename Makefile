# One entry point for people and CI. `make test` is exactly what CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# aws-sam-cli pins clash with the app's dependencies: it gets a virtualenv of its own.
SAM_VENV := .venv-sam
SAM_BIN := $(SAM_VENV)/bin
SAM_STAMP := $(SAM_VENV)/.installed
export SAM_CLI_TELEMETRY := 0

.PHONY: setup sam-setup lock hooks dev test lint typecheck unit browser-deps bench mutate openapi validate build clean

setup: $(STAMP)

# Every package from the lock, each checked against its hash; then the project itself, built by
# the locked setuptools (no build isolation, so nothing is fetched unchecked).
$(STAMP): pyproject.toml requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Rewrite requirements-dev.lock after a change to pyproject.toml's dependencies (uv resolves it
# for every platform, with the hashes of every file PyPI holds for each pin).
lock:
	test -x .venv-lock/bin/uv || { $(PYTHON) -m venv .venv-lock && .venv-lock/bin/python -m pip install --quiet uv; }
	.venv-lock/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --index-url https://pypi.org/simple -o requirements-dev.lock

# ruff and mypy at each commit (.pre-commit-config.yaml), from this virtualenv.
hooks: setup
	$(BIN)/pre-commit install

$(SAM_STAMP):
	test -x $(SAM_BIN)/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_BIN)/python -m pip install --quiet --upgrade pip
	$(SAM_BIN)/python -m pip install --quiet "aws-sam-cli>=1.120" "cfn-lint>=1.0"
	touch $(SAM_STAMP)

sam-setup: $(SAM_STAMP)

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
	$(BIN)/python benchmarks/cold_start.py 10
	$(BIN)/python benchmarks/restore.py 10
	$(BIN)/python benchmarks/import_costs.py 9
	$(BIN)/python benchmarks/warm_request_cpu.py 2000
	$(BIN)/python benchmarks/reduction_scaling.py
	$(BIN)/python benchmarks/adversarial_reduction.py
	$(BIN)/python benchmarks/inbound_reading.py
	$(BIN)/python benchmarks/dev_startup.py
	$(BIN)/python benchmarks/load_test.py 8 10

# Mutation testing of the domain and handler modules, with the score of each (not in CI: it takes
# an hour or more). MODULES=contact_relay.topics limits it to one module; see scripts/mutate.py.
mutate: setup
	$(BIN)/python scripts/mutate.py $(MODULES)

# The committed OpenAPI document; a test fails when the code and this file disagree.
openapi: setup
	$(BIN)/contact-relay openapi > openapi.json

# Everything short of the upload, offline: sam's own lint, then the template as CloudFormation
# sees it (transformed by the SAM translator) through cfn-lint, errors and warnings alike.
validate: sam-setup
	$(SAM_BIN)/sam validate --lint --region us-east-1
	mkdir -p .aws-sam
	$(SAM_BIN)/python infra/transform_template.py template.yaml > .aws-sam/transformed.json
	$(SAM_BIN)/cfn-lint .aws-sam/transformed.json

# sam build with BuildMethod: makefile: no Docker. A Python 3.13 interpreter, where there is one,
# compiles the bytecode Lambda's python3.13 runtime would otherwise compile at every cold start
# (its file system is read-only, so nothing it compiles is kept); check_build.py requires it.
# pyenv's 3.13 is found even when it is not the global version.
PYTHON313 ?= $(firstword $(foreach candidate,python3.13 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13),$(shell $(candidate) -c 'import sys; print("$(candidate)" if sys.version_info[:2] == (3, 13) else "")' 2>/dev/null)))

build: sam-setup
	PYTHON313="$(PYTHON313)" $(SAM_BIN)/sam build --region us-east-1
	$(SAM_BIN)/python infra/check_build.py .aws-sam/build

clean:
	rm -rf $(VENV) $(SAM_VENV) .venv-lock .aws-sam .mutmut .pytest_cache .mypy_cache .ruff_cache .hypothesis
