#!/usr/bin/env bash
# End to end: how `stride analyze` scales with the recording's length. Simulates a 1 h and an 8 h run at 200 Hz
# (5 300 and 42 400 strides), analyses each with --json, and prints CPU, wall and peak RSS (/usr/bin/time) and the
# 8 h / 1 h ratios (linear: 8). Usage: bench/scale.sh [STRIDE_BINARY]  (default build/tools/stride)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="${1:-$ROOT/build/tools/stride}"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
"$B" simulate --out "$T/h1.csv" --strides 5300 --rate 200 --seed 1 2>/dev/null
"$B" simulate --out "$T/h8.csv" --strides 42400 --rate 200 --seed 1 2>/dev/null
for h in h1 h8; do
  /usr/bin/time -f "%U %e %M" -o "$T/$h.time" "$B" analyze "$T/$h.csv" --quiet --json "$T/$h.json"
  read -r cpu wall rss < "$T/$h.time"
  echo "$h: cpu ${cpu} s, wall ${wall} s, peak RSS $((rss / 1024)) MiB"
  eval "${h}_cpu=$cpu"
done
awk -v a="$h1_cpu" -v b="$h8_cpu" 'BEGIN { printf "8 h / 1 h CPU: %.1fx (linear: 8x)\n", b / a }'
