#!/usr/bin/env bash
# Command (1): set up, build, and analyse a bundled recording.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
"$BUILD_DIR/tools/stride" analyze "$ROOT/recordings/sim_run_low_cadence_3.2mps.csv"
