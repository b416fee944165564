#!/usr/bin/env bash
# Command (2): set up, build, run every test (Release), then the whole suite again under ASan + UBSan.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
(cd "$BUILD_DIR" && ctest --output-on-failure -j"$(nproc)")

echo "== sanitizer build (AddressSanitizer + UndefinedBehaviorSanitizer) ==" >&2
SAN_DIR="$ROOT/build-sanitize"
cmake -S "$ROOT" -B "$SAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRIDE_SANITIZE=ON \
      -DSTRIDE_BUILD_BENCH=OFF >/dev/null
cmake --build "$SAN_DIR" -- -j"$(nproc)" | grep -v '^\[' || true
(cd "$SAN_DIR" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$(nproc)")

echo "== fuzzing (libFuzzer, ASan + UBSan: ${FUZZ_SECONDS:-30} s per harness) ==" >&2
bash "$ROOT/scripts/fuzz.sh"
