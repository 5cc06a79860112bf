#!/usr/bin/env bash
# The test command of the README: installs what is missing, builds, runs every test
# (unit, example scenarios, CLI exit codes, panels, and the window under Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest --output-on-failure -j "${JOBS:-2}" "$@"
