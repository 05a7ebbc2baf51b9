# Two setup commands: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?= configs/tomahawk-wargame.toml

.PHONY: run test lint check browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-install when pyproject.toml changes.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime  ## simulate the default scenario, write its report, print the headline
	$(BIN)/wargame run $(CONFIG)

test: $(VENV)/.dev  ## the whole test suite (browser tests skip without chromium-headless-shell)
	$(BIN)/python -m pytest

lint: $(VENV)/.dev  ## ruff and mypy --strict
	$(BIN)/ruff check wargame tests
	$(BIN)/ruff format --check wargame tests
	$(BIN)/mypy wargame tests

check: lint test

bench: $(VENV)/.runtime  ## engine speed: replications per second, SimPy against vectorised
	$(BIN)/python benchmarks/engines.py

browser:  ## install Debian's chromium-headless-shell for the report tests (needs root)
	bash scripts/install-browser.sh

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache .mypy_cache .ruff_cache .hypothesis
