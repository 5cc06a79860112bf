#!/usr/bin/env bash
# The test command of the README: installs what is missing, builds, runs every test (unit,
# example scenarios, CLI exit codes, panels, the window under Xvfb), the bridge's node tests
# (scripts/bridge_test.sh), then the hardening
# checks: the unit tests under AddressSanitizer + UBSan and each fuzzer for 60 s.
# SI_QUICK=1 skips the hardening part (about 6 minutes) while iterating.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
(cd build && ctest --output-on-failure -j "${JOBS:-2}" "$@")
bash scripts/package_test.sh build
bash scripts/bridge_test.sh
if [ "${SI_QUICK:-0}" != "1" ]; then
  bash scripts/hardening.sh
fi
