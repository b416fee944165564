#!/usr/bin/env bash
# Every kind of session document stride writes, validated against docs/session.schema.json (draft 2020-12) with
# Debian's python3-jsonschema: one foot (declared right, and undeclared: "unknown"), two feet, a shin, a walk, an
# accelerometer-only file, a session with flags (gait flags, and the history's load flags from --save), and the
# session documents `stride batch` writes. Then deliberate mistakes in a copy of a valid document must all be
# rejected (validate.py --mutants), so this test can fail. ~10 s.
# Installs python3-jsonschema when it is missing and this runs as root; exits 77 (ctest: skipped) only when it
# cannot be had.
# Usage: validate_outputs.sh path/to/stride SOURCE_DIR
set -euo pipefail
EXE="$(readlink -f "$1")"; SRC="$(readlink -f "$2")"
SCHEMA="$SRC/docs/session.schema.json"
PY=/usr/bin/python3   # Debian's python, which python3-jsonschema is for (not a pyenv python on PATH)
[ -x "$EXE" ] || { echo "no stride binary at $EXE" >&2; exit 2; }

has_jsonschema() { [ -x "$PY" ] && "$PY" -c 'import jsonschema; jsonschema.Draft202012Validator' 2>/dev/null; }
if ! has_jsonschema && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing python3-jsonschema" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-jsonschema >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-jsonschema >/dev/null 2>&1; } ||
    true
fi
has_jsonschema || { echo "skipped: python3-jsonschema (draft 2020-12) is not installed and cannot be" >&2; exit 77; }

WORK="$(mktemp -d /tmp/stride-schema.XXXXXX)"
[ "${STRIDE_KEEP_TEST_FILES:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
REC="$SRC/recordings"
run() { "$EXE" "$@" >/dev/null 2>"$WORK/last.err" || { echo "FAIL: stride $*" >&2; cat "$WORK/last.err" >&2; exit 1; }; }

run analyze "$REC/sim_run_rearfoot_3.5mps.csv" --json one_foot.json --quiet
run analyze "$REC/sim_walk_1.4mps.csv" --json walk.json --quiet
run analyze "$REC/sim_two_feet_overstride_left.csv" "$REC/sim_two_feet_overstride_right.csv" --json two_feet.json --quiet
sed -e 's/^# side: .*/# side: unknown/' "$REC/sim_walk_1.4mps.csv" >undeclared.csv
run analyze undeclared.csv --json undeclared_side.json --quiet
run simulate --out shin.csv --placement shin --strides 40 --rate 200 --seed 3 --acc-resolution 0.01 --gyr-resolution 0.001
run analyze shin.csv --json shin.json --quiet
# Accelerometer only: the gyroscope columns dropped (docs/accelerometer-only.md).
run simulate --out shoe.csv --strides 40 --rate 200 --seed 5 --acc-resolution 0.01 --gyr-resolution 0.001
awk -F, -v OFS=, '/^#/ {print; next} {print $1, $2, $3, $4}' shoe.csv >acc_only.csv
run analyze acc_only.csv --json acc_only.json --quiet
# The history's load flags join the session's flags (analyze --save): twice, so the second sees a history.
run analyze "$REC/sim_walk_1.4mps.csv" --save --db history.sqlite --date 2025-03-01 --json saved_1.json --quiet
run analyze "$REC/sim_run_rearfoot_3.5mps.csv" --save --db history.sqlite --date 2025-03-02 --json saved_2.json --quiet
mkdir -p archive/pair
cp "$REC/sim_walk_1.4mps.csv" archive/
cp "$REC/sim_two_feet_overstride_left.csv" "$REC/sim_two_feet_overstride_right.csv" archive/pair/
run batch archive --out batch_out -j 1 --no-reports

docs=(one_foot.json walk.json two_feet.json undeclared_side.json shin.json acc_only.json saved_1.json saved_2.json)
for f in batch_out/sessions/*.json; do
  case "$f" in *.done.json) ;; *) docs+=("$f") ;; esac
done

# Each kind is really there (a test of nothing would pass too).
"$PY" - "${docs[@]}" <<'EOF'
import json, sys
docs = {p: json.load(open(p)) for p in sys.argv[1:]}
def foot(d): return next(iter(d["feet"].values()))
need = {
    "one foot, right": lambda d: list(d["feet"]) == ["right"] and d["bilateral"] is None,
    "one sensor, side unknown": lambda d: list(d["feet"]) == ["unknown"],
    "two feet": lambda d: sorted(d["feet"]) == ["left", "right"] and isinstance(d["bilateral"], dict),
    "shin": lambda d: foot(d)["metadata"]["placement"] == "shin",
    "accelerometer only": lambda d: foot(d).get("gyroscope", {}).get("present") is False,
    "gait flags": lambda d: any(f["id"] not in ("data_quality", "load_spike", "weekly_jump", "shoe_wear") for f in d["flags"]),
    "a flag on both feet": lambda d: any(f["side"] == "both" for f in d["flags"]),
    "a flag of undeclared side": lambda d: any(f["side"] == "unknown" for f in d["flags"]),
    "flags sharing a trust window": lambda d: any(any(e.get("in_window") for g in w.get("other_flags", [])
                                                      for e in g["evidence_strides"]) for w in d.get("trust_windows", [])),
    "batch sessions": lambda d: False,
}
missing = [k for k, test in need.items() if k != "batch sessions" and not any(test(d) for d in docs.values())]
if not any(p.startswith("batch_out/") for p in docs):
    missing.append("batch sessions")
if missing:
    sys.exit("FAIL: no document of these kinds: " + ", ".join(missing))
print(f"{len(docs)} documents, every kind present")
EOF
"$PY" "$SRC/tests/schema/validate.py" "$SCHEMA" "${docs[@]}"
"$PY" "$SRC/tests/schema/validate.py" "$SCHEMA" --mutants two_feet.json
"$PY" "$SRC/tests/schema/validate.py" "$SCHEMA" --mutants one_foot.json
