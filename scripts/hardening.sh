#!/usr/bin/env bash
# Hardening checks: (a) the unit tests built with AddressSanitizer + UBSan (build-asan, no GUI),
# (b) each libFuzzer target for ${FUZZ_SECONDS:-60} seconds (scripts/fuzz.sh, build-fuzz).
# Needs, beyond scripts/deps.sh: clang-14 libclang-rt-14-dev (for (b)).
# Prints how long each half took.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
t0=$(date +%s)
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSI_SANITIZE=ON -DSI_BUILD_GUI=OFF >/dev/null
cmake --build build-asan -j "${JOBS:-2}"
t1=$(date +%s)
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j "${JOBS:-2}")
t2=$(date +%s)
bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
t3=$(date +%s)
echo "hardening: sanitizer build $((t1 - t0)) s, sanitizer tests $((t2 - t1)) s, fuzz build+runs $((t3 - t2)) s"
