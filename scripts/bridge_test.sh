#!/usr/bin/env bash
# The bridge's tests (bridge/, SPEC 11): node:test suites against the real TanStack query-core
# and LiveStore packages, installed from the npm registry with the committed lock file.
# Installs Debian's nodejs and npm when there is no node at all (Node >= 18 is enough).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y --no-install-recommends nodejs npm
fi
cd "$root/bridge"
# npm ci can trip over platform-specific optional dependencies; npm install honours the lock.
npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error
echo "== bridge: node $(node --version)"
node --test test/*.test.mjs
