#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/, clang-14, ASan + UBSan) and runs each for FUZZ_SECONDS (default 30) over a
# seed corpus made from the repository's recordings. Any finding (crash, sanitizer report, leak, timeout) fails.
# scripts/test.sh runs it with the default; a longer run: FUZZ_SECONDS=3600 bash scripts/fuzz.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_DIR="${FUZZ_DIR:-$ROOT/build-fuzz}"
SECONDS_EACH="${FUZZ_SECONDS:-30}"

missing=()
for p in clang-14 libfuzzer-14-dev libclang-rt-14-dev; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "fuzz: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S "$ROOT" -B "$FUZZ_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
      -DSTRIDE_FUZZ=ON -DSTRIDE_BUILD_TESTS=OFF -DSTRIDE_BUILD_BENCH=OFF >/dev/null
cmake --build "$FUZZ_DIR" --target fuzz_csv_import fuzz_stream_decoder fuzz_session_json fuzz_fit_reader fuzz_fit_roundtrip fuzz_fit_export fuzz_strideb fuzz_history_store -- -j"$(nproc)" \
  | grep -v -e '^\[' -e '^ninja: no work to do' || true

# Seeds: the head of every recording (the parsers' interesting part is the header and the first rows), the
# reference sets' other CSVs, and the committed session documents.
SEEDS="$FUZZ_DIR/seeds"
rm -rf "$SEEDS"; mkdir -p "$SEEDS/csv" "$SEEDS/stream" "$SEEDS/json" "$SEEDS/fit" "$SEEDS/fit_roundtrip" "$SEEDS/fit_export" "$SEEDS/strideb" "$SEEDS/history"
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  head -c 8192 "$f" > "$SEEDS/csv/$n.csv"
  { printf '\x00\x10\x80'; head -c 8192 "$f"; } > "$SEEDS/stream/text-$n"   # auto, 16-byte chunks, reconnect mid-way
done < <(find "$ROOT/recordings" -name '*.csv' -print0)
cp "$ROOT"/fuzz/seeds/session_json/*.json "$SEEDS/json/"
cp "$ROOT"/fuzz/seeds/strideb/* "$SEEDS/strideb/"  # a .strideb with sample and clock-mark blocks (first byte: chunk size)
cp "$ROOT"/fuzz/seeds/session_json/*.json "$SEEDS/history/"  # the history saves the same documents
cp "$ROOT"/fuzz/seeds/session_json/*.json "$SEEDS/fit_export/"  # and `stride export` writes them as FIT
while IFS= read -r -d '' f; do  # FIT: the first byte chooses CRC checked (1) or not (0)
  { printf '\x01'; cat "$f"; } > "$SEEDS/fit/crc-$(basename "$f")"
  { printf '\x00'; cat "$f"; } > "$SEEDS/fit/nocrc-$(basename "$f")"
done < <(find "$ROOT/recordings" -name '*.fit' -size -64k -print0)
# The FIT round trip reads its bytes as choices (FuzzedDataProvider), not as a file: any bytes seed it.
head -c 4096 "$ROOT/fuzz/fuzz_fit_roundtrip.cpp" > "$SEEDS/fit_roundtrip/source-text"

failed=0
run() {  # name corpus
  local name=$1 corpus=$2 log="$FUZZ_DIR/fuzz_$1.log" work="$FUZZ_DIR/corpus-$1"
  mkdir -p "$work"
  if (cd "$FUZZ_DIR" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "./fuzz/fuzz_$name" "$work" "$corpus" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
        -max_len=65536 -print_final_stats=1 >"$log" 2>&1); then
    echo "fuzz $name: $(grep -m1 -o 'Done [0-9]* runs in [0-9]* second(s)' "$log" || tail -n 1 "$log"), no finding"
  else
    echo "fuzz $name: FINDING (log: $log)"; grep -m5 -e 'ERROR' -e 'SUMMARY' -e 'runtime error' "$log" || tail -n 20 "$log"
    failed=1
  fi
}
run csv_import "$SEEDS/csv"
run stream_decoder "$SEEDS/stream"
run session_json "$SEEDS/json"
run fit_reader "$SEEDS/fit"
run fit_roundtrip "$SEEDS/fit_roundtrip"
run fit_export "$SEEDS/fit_export"
run strideb "$SEEDS/strideb"
run history_store "$SEEDS/history"
exit $failed
