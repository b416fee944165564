#!/usr/bin/env bash
# Writes a bash completion for stride from the built program's help: its verbs, and each verb's options.
# Usage: make_completion.sh STRIDE_BINARY OUT
set -euo pipefail
BIN=$1; OUT=$2
verbs=$("$BIN" --help | awk '/^Subcommands:/{on=1; next} on && NF {print $1}' | tr -d ',')
{
  echo "# bash completion for stride (generated from \`stride VERB --help\` at build time)"
  echo "_stride() {"
  echo "  local cur=\${COMP_WORDS[COMP_CWORD]} verb=\${COMP_WORDS[1]}"
  echo "  if [[ \$COMP_CWORD -eq 1 ]]; then"
  echo "    COMPREPLY=(\$(compgen -W \"$(echo $verbs) --help --version\" -- \"\$cur\")); return"
  echo "  fi"
  echo "  local opts=\"\""
  echo "  case \$verb in"
  for v in $verbs; do
    opts=$("$BIN" "$v" --help | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | tr -d ' ,' | sort -u | tr '\n' ' ')
    echo "    $v) opts=\"$opts\" ;;"
  done
  echo "  esac"
  echo "  if [[ \$cur == -* ]]; then COMPREPLY=(\$(compgen -W \"\$opts\" -- \"\$cur\")); else COMPREPLY=(\$(compgen -f -- \"\$cur\")); fi"
  echo "}"
  echo "complete -o filenames -F _stride stride"
} > "$OUT"
