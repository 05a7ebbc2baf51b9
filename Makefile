# Two setup commands: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?= configs/tomahawk-wargame.toml

LOCK := requirements.lock

# uv installs packages without bytecode, so a shell with PYTHONDONTWRITEBYTECODE set would compile
# every imported module from source on every command (`wargame validate` 0.7 s instead of 0.2 s).
# Commands run through make write the bytecode of what they import into .venv (and wargame/) once;
# later commands read it whatever the variable says.
unexport PYTHONDONTWRITEBYTECODE
WORKFLOWS := .github/workflows/tests.yml .github/workflows/sweep.yml

.PHONY: run test lint lock check browser bench sweep-ci clean

# Installs take the versions requirements.lock pins (a green run's, see `make lock`), with uv
# (pip when uv cannot be had): scripts/setup.sh says what it does at each step and how long it took.
# Stamps re-install when pyproject.toml, the lock or the script changes.
SETUP := scripts/setup.sh

$(VENV)/.runtime: pyproject.toml $(LOCK) $(SETUP)
	@PYTHON=$(PYTHON) bash $(SETUP) runtime
	@touch $@

$(VENV)/.dev: pyproject.toml $(LOCK) $(SETUP)
	@PYTHON=$(PYTHON) bash $(SETUP) dev
	@touch $@ $(VENV)/.runtime

# Refresh the lock: the newest versions pyproject.toml allows (uv pip compile, for Python 3.11 on
# every platform). Then run `make check` and commit requirements.lock if it is green.
lock:  ## re-resolve runtime and dev dependencies into requirements.lock
	@PYTHON=$(PYTHON) bash $(SETUP) lock

run: $(VENV)/.runtime  ## simulate the default scenario, write its report, print the headline
	@echo 'run: wargame run $(CONFIG)' >&2
	@$(BIN)/wargame run $(CONFIG)

test: $(VENV)/.dev  ## the whole test suite (browser tests skip without chromium-headless-shell)
	$(BIN)/python -m pytest

lint: $(VENV)/.dev  ## ruff, mypy --strict, and the GitHub workflows (zizmor, their schema)
	$(BIN)/ruff check wargame tests
	$(BIN)/ruff format --check wargame tests
	$(BIN)/mypy wargame tests
	$(BIN)/zizmor --offline --quiet --config .github/zizmor.yml $(WORKFLOWS)
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOWS)

check: lint test

bench: $(VENV)/.runtime  ## issue 16's figures beside their targets, then the engines' and the sweep's
	$(BIN)/python benchmarks/targets.py
	$(BIN)/python benchmarks/engines.py
	$(BIN)/python benchmarks/sweep.py
	$(BIN)/python benchmarks/force.py

# The CI gate: the default scenario's headline across the stock's public range (exit 3 if broken).
SWEEP_CHECKS = --check "tomahawk.days_to_depletion.p95 < 7" \
	--check "tomahawk.days_to_depletion.p10 >= 4" \
	--check "tomahawk.days_to_depletion.p_depleted_by >= 1"

sweep-ci: $(VENV)/.runtime  ## the CI sweep (configs/sweeps/ci.toml) with its checks
	$(BIN)/wargame sweep configs/sweeps/ci.toml --out reports/sweep-ci --no-progress $(SWEEP_CHECKS)

browser:  ## install Debian's chromium-headless-shell for the report tests (needs root)
	bash scripts/install-browser.sh

clean:
	rm -rf $(VENV) .tools reports/*/ .pytest_cache .mypy_cache .ruff_cache .hypothesis
