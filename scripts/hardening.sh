#!/usr/bin/env bash
# Hardening checks, one clang-14 build (./build-fuzz) with AddressSanitizer + UBSan and
# libFuzzer coverage: (a) the whole unit test suite under the sanitizers, (b) each libFuzzer
# target for ${FUZZ_SECONDS:-60} seconds. scripts/deps.sh installs clang-14 and its runtime.
# Prints how long each part took.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
t0=$(date +%s)
# fuzz.sh builds everything (tests included) first, then fuzzes; run the tests in between by
# building here with the same settings (the second configure in fuzz.sh is a no-op).
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DSI_FUZZ=ON -DSI_BUILD_GUI=OFF -DSI_BUILD_TESTS=ON >/dev/null
cmake --build build-fuzz -j "${JOBS:-2}"
t1=$(date +%s)
(cd build-fuzz && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j "${JOBS:-2}")
t2=$(date +%s)
SI_FUZZ_TESTS=ON bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
t3=$(date +%s)
echo "hardening: sanitizer build $((t1 - t0)) s, sanitizer tests $((t2 - t1)) s, fuzzing $((t3 - t2)) s"
