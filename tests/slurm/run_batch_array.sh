#!/usr/bin/env bash
# `stride batch --slurm` end to end on a real one-node Slurm on localhost (../shared/notes/slurm-single-node.md):
# starts munged (unless one runs), slurmctld and slurmd with a slurm.conf in a temporary folder, simulates a 20-file
# archive (18 runs and a two-feet pair: 19 sessions), submits the 4-task array and its merge exactly as
# `stride batch --slurm` printed them (afterok), waits, and checks that the merged outputs are byte-identical to a
# local `stride batch` of the same files: index.csv, strides.csv, index.html and every session's JSON and marker.
# Every daemon it started is stopped by a trap. Needs root and `slurm-wlm munge` (apt, --no-install-recommends);
# exits 77 (ctest: skipped) without them.
# Usage: tests/slurm/run_batch_array.sh [path/to/stride]
set -euo pipefail
EXE="$(readlink -f "${1:-build/tools/stride}")"
[ -x "$EXE" ] || { echo "no stride binary at $EXE" >&2; exit 2; }
if [ "$(id -u)" -ne 0 ] || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "skipped: needs root and the slurm-wlm and munge packages" >&2
  exit 77
fi
t_start=$(date +%s.%N)
WORK="$(mktemp -d /tmp/stride-slurm.XXXXXX)"
chmod 755 "$WORK"
started=()  # "name pid" of every daemon started here

stop_daemons() {
  local i name pid
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    read -r name pid <<<"${started[$i]}"
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { echo "$name ($pid) did not stop; killing it" >&2; kill -KILL "$pid" 2>/dev/null; }
  done
  started=()
}
cleanup() {
  local rc=$?
  stop_daemons
  if [ "$rc" -ne 0 ] && [ -d "$WORK" ]; then
    echo "--- slurmctld.log (tail) ---" >&2; tail -n 20 "$WORK/slurmctld.log" 2>/dev/null >&2 || true
    echo "--- slurmd.log (tail) ---" >&2; tail -n 20 "$WORK/slurmd.log" 2>/dev/null >&2 || true
    for f in "$WORK"/slurm-out/slurm/*.out; do [ -f "$f" ] && { echo "--- $f ---"; cat "$f"; } >&2; done
  fi
  [ "${STRIDE_KEEP_TEST_FILES:-0}" = 1 ] || rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munge: a key, its run folder, and the daemon as the munge user (as root it refuses).
if [ -f /run/munge/munged.pid ] && kill -0 "$(cat /run/munge/munged.pid)" 2>/dev/null; then
  echo "munged already runs ($(cat /run/munge/munged.pid)); using it" >&2
else
  mkdir -p /etc/munge /run/munge
  chown munge:munge /run/munge /etc/munge
  chmod 700 /etc/munge
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
  fi
  runuser -u munge -- /usr/sbin/munged --force
  for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
  started+=("munged $(cat /run/munge/munged.pid)")
fi
munge -n | unmunge >/dev/null

# slurm.conf in the temporary folder; SLURM_CONF for every client.
host="$(hostname -s)"
node="$(slurmd -C | head -n 1)"
addr=""
getent hosts "$host" >/dev/null || addr="NodeAddr=127.0.0.1"
mkdir -p "$WORK/state" "$WORK/spool"
cat >"$WORK/slurm.conf" <<EOF
ClusterName=stride-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerParameters=batch_sched_delay=0
$node $addr
PartitionName=stride Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$WORK/slurm.conf"
slurmctld -D -c -f "$SLURM_CONF" >"$WORK/slurmctld.stdout" 2>&1 &
started+=("slurmctld $!")
slurmd -D -c -f "$SLURM_CONF" >"$WORK/slurmd.stdout" 2>&1 &
started+=("slurmd $!")
for i in $(seq 100); do
  [ "$(sinfo -h -N -o %T 2>/dev/null | head -n 1)" = idle ] && break
  [ "$i" = 100 ] && { echo "the node never became idle: $(sinfo -N 2>&1)" >&2; exit 1; }
  sleep 0.2
done
t_ready=$(date +%s.%N)

# The archive: 18 short runs in two folders and a two-feet pair.
A="$WORK/archive"
mkdir -p "$A/week1" "$A/week2"
for i in $(seq 0 17); do
  d="$A/week$((i % 2 + 1))"
  "$EXE" simulate --out "$d/run$i.csv" --strides 20 --rate 100 --seed "$((100 + i))" 2>/dev/null
done
"$EXE" simulate --two-feet --out "$A/week2/pair.csv" --strides 20 --rate 100 --seed 7 2>/dev/null
[ "$(find "$A" -name '*.csv' | wc -l)" = 20 ] || { echo "expected 20 recordings" >&2; exit 1; }

# The array and the merge, submitted with the commands stride printed.
cd "$WORK"
submit="$("$EXE" batch archive --out slurm-out --slurm --shards 4 --jobs 1)"
grep -q -- '--dependency=afterok:' <<<"$submit"
grep -q '^#SBATCH --array=0-3$' slurm-out/stride-batch.sbatch
t_submit=$(date +%s.%N)
merge_id="$(eval "$submit" | tail -n 1)"
merge_id="${merge_id%%;*}"
state=""
for _ in $(seq 600); do
  state="$(scontrol show job "$merge_id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)"
  case "$state" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
  sleep 0.2
done
t_done=$(date +%s.%N)
# The merge's exit code: 0 (every session ok).
[ "$state" = COMPLETED ] || { echo "merge job $merge_id ended $state" >&2; exit 1; }
[ "$(ls slurm-out/slurm/stride-batch-*_*.out | wc -l)" = 4 ] || { echo "expected 4 array task logs" >&2; exit 1; }

# The same files, locally, in one run.
"$EXE" batch archive --out local-out --jobs 2 2>/dev/null
t_local=$(date +%s.%N)
for f in index.csv strides.csv index.html; do
  cmp "slurm-out/$f" "local-out/$f" || { echo "$f differs between Slurm and local" >&2; diff "slurm-out/$f" "local-out/$f" | head >&2; exit 1; }
done
n=0
for f in local-out/sessions/*.json; do
  cmp "$f" "slurm-out/sessions/$(basename "$f")" || { echo "$(basename "$f") differs" >&2; exit 1; }
  n=$((n + 1))
done
[ "$(ls local-out/sessions/*.json | wc -l)" = "$(ls slurm-out/sessions/*.json | wc -l)" ]
rows=$(($(wc -l <local-out/index.csv) - 1))
[ "$rows" = 19 ] || { echo "expected 19 sessions in the index, got $rows" >&2; exit 1; }
if grep -q ',failed,' local-out/index.csv; then echo "a session failed" >&2; exit 1; fi
stop_daemons
t_end=$(date +%s.%N)
awk -v s="$t_start" -v r="$t_ready" -v u="$t_submit" -v d="$t_done" -v l="$t_local" -v e="$t_end" -v n="$n" -v rows="$rows" 'BEGIN {
  printf "slurm batch: OK: %d sessions, %d files (JSON + markers) identical to the local run\n", rows, n
  printf "  daemons up %.1f s; array (4 tasks) + merge, submit to done %.1f s; local batch --jobs 2 %.1f s; total %.1f s\n",
         r - s, d - u, l - d, e - s }'
