#!/usr/bin/env bash
# Writes the bash and zsh completions for stride from the built program's help: its verbs (with their one-line
# descriptions for zsh), and each verb's options.
# Usage: make_completion.sh STRIDE_BINARY BASH_OUT ZSH_OUT
set -euo pipefail
BIN=$1; BASH_OUT=$2; ZSH_OUT=$3
# One line a verb: "analyze, analyse<TAB>Analyse recordings ..." (names, then the description).
help=$("$BIN" --help | awk '/^Subcommands:/{on=1; next} on && NF' | sed -E 's/^ +//; s/  +/\t/')
verbs=$(awk '{print $1}' <<<"$help" | tr -d ',')
declare -A opts
for v in $verbs; do
  opts[$v]=$("$BIN" "$v" --help | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | tr -d ' ,' | sort -u | tr '\n' ' ')
done
{
  echo "# bash completion for stride (generated from \`stride VERB --help\` at build time)"
  echo "_stride() {"
  echo "  local cur=\${COMP_WORDS[COMP_CWORD]} verb=\${COMP_WORDS[1]}"
  echo "  if [[ \$COMP_CWORD -eq 1 ]]; then"
  echo "    COMPREPLY=(\$(compgen -W \"$(echo $verbs) --help --version\" -- \"\$cur\")); return"
  echo "  fi"
  echo "  local opts=\"\""
  echo "  case \$verb in"
  for v in $verbs; do echo "    $v) opts=\"${opts[$v]}\" ;;"; done
  echo "  esac"
  echo "  if [[ \$cur == -* ]]; then COMPREPLY=(\$(compgen -W \"\$opts\" -- \"\$cur\")); else COMPREPLY=(\$(compgen -f -- \"\$cur\")); fi"
  echo "}"
  echo "complete -o filenames -F _stride stride"
} > "$BASH_OUT"
{
  echo "#compdef stride"
  echo "# zsh completion for stride (generated from \`stride VERB --help\` at build time)"
  echo "_stride() {"
  echo "  local -a verbs opts"
  echo "  verbs=("
  while IFS=$'\t' read -r names description; do
    description=${description//\'/\'\\\'\'}
    for name in ${names//,/ }; do echo "    '$name:${description//:/\\:}'"; done
  done <<<"$help"
  echo "  )"
  echo "  if (( CURRENT == 2 )); then _describe 'stride command' verbs; return; fi"
  echo "  case \$words[2] in"
  while IFS=$'\t' read -r names description; do
    v=${names%%,*}
    echo "    $(tr -d ' ' <<<"${names//,/|}")) opts=(${opts[$v]}) ;;"
  done <<<"$help"
  echo "  esac"
  echo "  if [[ \$PREFIX == -* ]]; then compadd -a opts; else _files; fi"
  echo "}"
  echo "_stride \"\$@\""
} > "$ZSH_OUT"
