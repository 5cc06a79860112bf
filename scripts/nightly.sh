#!/usr/bin/env bash
# Nightly (not part of CI's 20-minute budget):
#   1. the differential test at 1,000,000 steps (100 seeds x 10,000), in the sanitizer build:
#      SPEC 2 and SPEC 8-10 (several registries, identities, external loads, shutdowns);
#   2. each fuzzer for ${FUZZ_SECONDS:-1800} s;
#   3. store-soak: W1 scaled to ${SOAK_OPS:-100000000} operations in an optimised build,
#      exiting non-zero if RSS grew over the second half of the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSI_SANITIZE=ON -DSI_BUILD_GUI=OFF >/dev/null
cmake --build build-asan -j "${JOBS:-2}" --target si_unit_tests
SI_DIFF_SEEDS="${SI_DIFF_SEEDS:-100}" SI_DIFF_STEPS="${SI_DIFF_STEPS:-10000}" \
  build-asan/tests/si_unit_tests --gtest_filter='Differential.*'
bash scripts/fuzz.sh "${FUZZ_SECONDS:-1800}"
cmake -S . -B build-hard -G Ninja -DCMAKE_BUILD_TYPE=Release -DSI_BUILD_GUI=OFF >/dev/null
cmake --build build-hard -j "${JOBS:-2}" --target store-soak
build-hard/tests/store-soak "${SOAK_OPS:-100000000}"
