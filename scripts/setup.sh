#!/usr/bin/env bash
# Create .venv with the locked packages: `scripts/setup.sh runtime` (what `make run` needs) or
# `scripts/setup.sh dev` (with the test and lint tools); `scripts/setup.sh lock` re-resolves the
# lock (`make lock`). Says what it is doing at each step, with the time it took, on stderr.
#
# The installer is uv (tens of times quicker than pip on a fresh machine): the one on PATH, else
# one installed from PyPI with pip into .tools/uv (one wheel, no venv needed). When uv cannot be
# had (or WARGAME_INSTALLER=pip asks for it), pip installs the same lock. requirements.lock is
# uv's output (`make lock`), a requirements file both installers read.
set -euo pipefail
cd "$(dirname "$0")/.."

KIND="${1:?usage: scripts/setup.sh runtime|dev|lock}"
PYTHON="${PYTHON:-python3}"
VENV=.venv
LOCK=requirements.lock
TOOLS=.tools/uv
UV_PIN="uv>=0.9,<1"  # assumption: any uv 0.9+ reads the lock; pinned below 1 for its CLI

now() { # nanoseconds since the epoch (whole seconds where date has no %N, as on macOS)
  local n
  n=$(date +%s%N)
  case "$n" in
    *N) echo $(($(date +%s) * 1000000000)) ;;
    *) echo "$n" ;;
  esac
}
seconds() { # since $1 (from now), as 1.2
  local ms=$((($(now) - $1) / 1000000))
  printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}
step() { printf 'setup: %s\n' "$*" >&2; }
took() { printf 'setup:   done in %s s\n' "$(seconds "$1")" >&2; }
started=$(now)

find_uv() {
  if [ "${WARGAME_INSTALLER:-}" = pip ]; then
    return 0 # asked for pip (to check the fallback)
  elif command -v uv >/dev/null 2>&1; then
    command -v uv
  elif [ -x "$TOOLS/bin/uv" ]; then
    echo "$TOOLS/bin/uv"
  else
    local t
    t=$(now)
    step "installing the installer (uv, from PyPI) into $TOOLS"
    if PIP_ROOT_USER_ACTION=ignore "$PYTHON" -m pip install -qq --disable-pip-version-check \
      --no-compile --no-deps --target "$TOOLS" "$UV_PIN" >&2 && [ -x "$TOOLS/bin/uv" ]; then
      took "$t"
      echo "$TOOLS/bin/uv"
    else
      step "uv could not be installed: falling back to pip"
    fi
  fi
}

with_uv() {
  local uv="$1" t
  t=$(now)
  step "creating $VENV ($("$PYTHON" --version 2>&1))"
  "$uv" venv --quiet --allow-existing --python "$PYTHON" "$VENV"
  took "$t"
  t=$(now)
  if [ "$KIND" = dev ]; then
    step "installing the runtime and dev packages $LOCK pins (uv)"
    "$uv" pip sync --quiet --python "$VENV/bin/python" "$LOCK"
    "$uv" pip install --quiet --python "$VENV/bin/python" --no-deps -e .
  else
    step "installing the runtime packages at the versions $LOCK pins (uv)"
    "$uv" pip install --quiet --python "$VENV/bin/python" -c "$LOCK" -e .
  fi
  took "$t"
}

with_pip() {
  local t
  t=$(now)
  step "creating $VENV with pip"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  took "$t"
  t=$(now)
  step "installing the packages $LOCK pins (pip: this takes a minute or two)"
  if [ "$KIND" = dev ]; then
    "$VENV/bin/python" -m pip install --quiet -r "$LOCK"
    "$VENV/bin/python" -m pip install --quiet --no-deps -e .
  else
    "$VENV/bin/python" -m pip install --quiet -c "$LOCK" -e .
  fi
  took "$t"
}

lock() {
  local uv="$1"
  if [ -z "$uv" ]; then
    echo "setup: make lock needs uv (pip install uv)" >&2
    exit 1
  fi
  step "resolving the newest versions pyproject.toml allows into $LOCK (uv)"
  "$uv" pip compile pyproject.toml --quiet --extra dev --universal --python-version 3.11 \
    --upgrade --no-annotate --custom-compile-command "make lock" -o "$LOCK"
}

case "$KIND" in
  runtime | dev | lock) ;;
  *) echo "usage: scripts/setup.sh runtime|dev|lock" >&2; exit 2 ;;
esac
uv="$(find_uv || true)"
if [ "$KIND" = lock ]; then
  lock "$uv"
  exit 0
fi
if [ -n "$uv" ]; then with_uv "$uv"; else with_pip; fi
printf 'setup: the %s packages are ready (%s s in all)\n' "$KIND" "$(seconds "$started")" >&2
