#!/usr/bin/env bash
# The .deb: built by cpack from this build, its dependencies resolvable by apt, and the installed copy runs.
# Installing it for real would change the machine the tests run on, so the package is checked with apt's simulation
# (every dependency resolvable from the archive), then unpacked into a scratch root (dpkg-deb -x, exactly the files
# apt would lay down) where its stride analyses a bundled recording, with its man page and completion checked.
# Usage: install_deb.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD=$1; SRC=$2
command -v cpack >/dev/null && command -v dpkg-deb >/dev/null || { echo "skip: cpack or dpkg-deb missing"; exit 77; }
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
(cd "$BUILD" && cpack -G DEB -B "$WORK/out" >"$WORK/cpack.log" 2>&1) || { cat "$WORK/cpack.log"; exit 1; }
DEB=$(ls "$WORK"/out/stride_*_amd64.deb)
echo "package: $(basename "$DEB") ($(du -k "$DEB" | cut -f1) KB)"
fail() { echo "FAIL: $*"; exit 1; }

depends=$(dpkg-deb -f "$DEB" Depends)
echo "Depends: $depends"
for lib in libsqlite3 libzip libserialport libfmt libstdc++6 libc6; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib"
done
files=$(dpkg-deb -c "$DEB" | awk '{print $6}')
for f in ./usr/bin/stride ./usr/share/man/man1/stride.1 ./usr/share/bash-completion/completions/stride \
         ./usr/share/zsh/vendor-completions/_stride \
         ./usr/share/doc/stride/README.md ./usr/share/doc/stride/examples/sim_run_rearfoot_3.5mps.csv; do
  grep -qx "$f" <<<"$files" || fail "the package lacks $f"
done
if dpkg-deb -c "$DEB" | grep -q -e stride_tests -e stride_bench; then fail "test or benchmark programs packaged"; fi

# apt resolves every dependency (simulated: nothing is installed).
apt-get install -s -qq "$DEB" >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log"; fail "apt-get cannot install it"; }

# The unpacked copy runs on its own (no build tree on its path).
dpkg-deb -x "$DEB" "$WORK/root"
BIN="$WORK/root/usr/bin/stride"
"$BIN" --version | grep -q "^stride " || fail "--version"
(cd "$WORK" && "$BIN" analyze "$WORK/root/usr/share/doc/stride/examples/sim_run_rearfoot_3.5mps.csv" >"$WORK/out.txt") \
  || { cat "$WORK/out.txt"; fail "stride analyze from the package"; }
grep -q "strides: 30 found, 30 valid" "$WORK/out.txt" || { cat "$WORK/out.txt"; fail "unexpected analysis"; }
grep -q '^\.TH STRIDE 1' "$WORK/root/usr/share/man/man1/stride.1" || fail "man page header"
grep -q '^\.SS analyze' "$WORK/root/usr/share/man/man1/stride.1" || fail "man page lacks analyze"
if grep -q "$BUILD" "$WORK/root/usr/share/man/man1/stride.1"; then fail "man page names the build folder"; fi
bash -n "$WORK/root/usr/share/bash-completion/completions/stride" || fail "completion syntax"
# The completion offers the verbs and a verb's options.
source "$WORK/root/usr/share/bash-completion/completions/stride"
COMP_WORDS=(stride an); COMP_CWORD=1; _stride; [[ " ${COMPREPLY[*]} " == *" analyze "* ]] || fail "completion: verbs"
COMP_WORDS=(stride analyze --js); COMP_CWORD=2; _stride; [[ " ${COMPREPLY[*]} " == *" --json "* ]] || fail "completion: options"
# zsh: the completion parses and lists every verb with its options.
ZSH_COMP="$WORK/root/usr/share/zsh/vendor-completions/_stride"
if command -v zsh >/dev/null; then zsh -n "$ZSH_COMP" || fail "zsh completion syntax"; fi
grep -q "^#compdef stride" "$ZSH_COMP" || fail "zsh completion header"
grep -q "'analyze:" "$ZSH_COMP" && grep -q "analyze|analyse) opts=(.*--json" "$ZSH_COMP" || fail "zsh completion: verbs"
echo "ok: installs (apt simulation), runs from the unpacked package, man page and completion in place"
