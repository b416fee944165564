#!/usr/bin/env bash
# Writes stride(1) from the built program's own help (so the page never disagrees with the binary).
# Usage: make_man.sh STRIDE_BINARY OUT.1
set -euo pipefail
BIN=$1; OUT=$2
version=$("$BIN" --version | awk '{print $2}')
esc() { sed -e "s|Usage: [^ ]*stride|Usage: stride|" -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
verbs=$("$BIN" --help | awk '/^Subcommands:/{on=1; next} on && NF {print $1}' | tr -d ',')
{
  echo ".TH STRIDE 1 \"\" \"stride $version\" \"User Commands\""
  echo ".SH NAME"
  echo "stride \\- running and walking gait from a shoe- or shin-mounted IMU"
  echo ".SH SYNOPSIS"
  echo ".B stride"
  echo "\\fIVERB\\fR [\\fIOPTIONS\\fR] [\\fIFILES\\fR...]"
  echo ".SH DESCRIPTION"
  echo "stride reads IMU recordings (its own CSV, the files of common boards and apps: see \\fBstride formats\\fR),"
  echo "records live streams, finds foot strikes and toe-offs, measures every stride, flags gait patterns linked to"
  echo "knee pain (never a diagnosis) and reports to runners and coaches. Exit codes: 0 done, 1 bad input (nothing"
  echo "could be analysed), 2 bad arguments, 3 system failure (a write failed: nothing is left half-written)."
  echo ".SH COMMANDS"
  for v in $verbs; do
    echo ".SS $v"
    echo ".nf"
    "$BIN" "$v" --help | esc
    echo ".fi"
  done
  echo ".SH FILES"
  echo "History database: \\fI\$XDG_DATA_HOME/stride/history.sqlite\\fR, else \\fI~/.local/share/stride/history.sqlite\\fR."
  echo ".SH SEE ALSO"
  echo "The documentation in /usr/share/doc/stride and https://github.com/ (docs/ in the source)."
} > "$OUT"
