#!/usr/bin/env bash
# Install Debian's chromium-headless-shell, the real browser the report tests open reports in.
set -euo pipefail
if command -v chromium-headless-shell >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium-headless-shell >/dev/null
command -v chromium-headless-shell
