# Two setup commands: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?= configs/tomahawk-wargame.toml

.PHONY: run test lint check browser bench sweep-ci clean

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
	$(BIN)/python benchmarks/sweep.py

# The CI gate: the default scenario's headline across the stock's public range (exit 3 if broken).
SWEEP_CHECKS = --check "tomahawk.days_to_depletion.p95 < 7" \
	--check "tomahawk.days_to_depletion.p10 >= 4" \
	--check "tomahawk.days_to_depletion.p_depleted_by >= 1"

sweep-ci: $(VENV)/.runtime  ## the CI sweep (configs/sweeps/ci.toml) with its checks
	$(BIN)/wargame sweep configs/sweeps/ci.toml --out reports/sweep-ci --no-progress $(SWEEP_CHECKS)

browser:  ## install Debian's chromium-headless-shell for the report tests (needs root)
	bash scripts/install-browser.sh

clean:
	rm -rf $(VENV) reports/*/ .pytest_cache .mypy_cache .ruff_cache .hypothesis
