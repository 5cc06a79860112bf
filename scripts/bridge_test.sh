#!/usr/bin/env bash
# The bridge's tests (bridge/, SPEC 11): node:test suites against the real TanStack query-core
# and LiveStore packages, installed from the npm registry with the committed lock file, judged
# by the real binary (`ingest`, `listen`, `check`; env STORE_INSPECTOR, default
# build/store-inspector: run scripts/build.sh first), with a real browser (Debian's
# chromium, driven by puppeteer-core) for the page test.
# Installs Debian's nodejs, npm, chromium and python3 (it reads journals) when missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
bin="${STORE_INSPECTOR:-$root/build/store-inspector}"
if [ ! -x "$bin" ]; then
  echo "bridge_test: no store-inspector binary at $bin (run scripts/build.sh, or set STORE_INSPECTOR)" >&2
  exit 1
fi
export STORE_INSPECTOR="$bin"
cd "$root/bridge"
# npm ci can trip over platform-specific optional dependencies; npm install honours the lock.
npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error
echo "== bridge: node $(node --version)"
# One test file at a time: the real-time LiveStore judgements must not share the CPU with the
# browser or the flood (Node 18 has no --test-concurrency flag: it is given when node knows it).
concurrency=()
node --test-concurrency=1 -e '' >/dev/null 2>&1 && concurrency=(--test-concurrency=1)
start=$(date +%s)
node --test "${concurrency[@]}" test/*.test.mjs
echo "== bridge: tests took $(( $(date +%s) - start )) s"
