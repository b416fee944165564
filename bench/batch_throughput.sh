#!/usr/bin/env bash
# The throughput of `stride batch` (docs/batch.md): N simulated recordings, analysed with --jobs 1 and --jobs 2
# into fresh output folders (nothing skipped), with and without the per-session HTML reports.
# Prints sessions/s and samples/s. Usage: bench/batch_throughput.sh [path/to/stride] [N=19] [strides=20]
set -euo pipefail
EXE="$(readlink -f "${1:-build/tools/stride}")"
N="${2:-19}"
STRIDES="${3:-20}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for i in $(seq 1 "$N"); do
  "$EXE" simulate --out "$WORK/in/run$i.csv" --strides "$STRIDES" --rate 100 --seed "$i" 2>/dev/null || {
    mkdir -p "$WORK/in"; "$EXE" simulate --out "$WORK/in/run$i.csv" --strides "$STRIDES" --rate 100 --seed "$i" 2>/dev/null; }
done
samples=$(cat "$WORK"/in/*.csv | grep -c '^[0-9-]')
for opts in "" "--no-reports"; do
  for jobs in 1 2; do
    rm -rf "$WORK/out"
    t0=$(date +%s.%N)
    "$EXE" batch "$WORK/in" --out "$WORK/out" --jobs "$jobs" $opts 2>/dev/null
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" -v n="$N" -v s="$samples" -v j="$jobs" -v o="${opts:-with reports}" \
      'BEGIN { d = b - a; printf "--jobs %d (%s): %d sessions, %d samples in %.2f s: %.1f sessions/s, %.0f samples/s\n", j, o, n, s, d, n / d, s / d }'
  done
done
