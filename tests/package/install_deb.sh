#!/usr/bin/env bash
# The .deb: built by cpack from this build, its dependencies resolvable by apt, and the installed copy runs.
# Checked three ways: apt's simulation (every dependency resolvable from the archive); the files unpacked into a
# scratch root (dpkg-deb -x), where its stride analyses a bundled recording and its man page and completion are
# checked; and a real `apt-get install ./stride_*.deb` into a throw-away copy of this machine (an overlay over / in
# a private mount namespace, chrooted into), where dpkg registers it and the installed /usr/bin/stride runs the
# demo. The machine itself is not changed: the overlay's upper layer is deleted afterwards.
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

# A real install with apt, into an overlay of this machine (needs root, unshare and overlayfs; said when missing).
installed="skipped (needs root, unshare and overlayfs)"
if [[ $(id -u) == 0 ]] && command -v unshare >/dev/null && grep -qw overlay /proc/filesystems; then
  OVL="$WORK/ovl"; mkdir -p "$OVL/upper/stride-deb" "$OVL/work" "$OVL/root"
  cp "$DEB" "$OVL/upper/stride-deb/"   # the upper layer's files show in the merged root
  unshare --mount --propagation private bash -euo pipefail -c '
    OVL=$1
    mount -t overlay overlay -o lowerdir=/,upperdir="$OVL/upper",workdir="$OVL/work" "$OVL/root"
    mount -t proc proc "$OVL/root/proc"
    mount --rbind /dev "$OVL/root/dev"
    mount -t tmpfs tmpfs "$OVL/root/tmp"
    chroot "$OVL/root" bash -euo pipefail -c "
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -qq /stride-deb/stride_*_amd64.deb
      dpkg -s stride | grep -q \"^Status: install ok installed\"
      dpkg -L stride | grep -qx /usr/bin/stride
      cd /tmp && stride analyze /usr/share/doc/stride/examples/sim_run_low_cadence_3.2mps.csv
    "' _ "$OVL" >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; fail "apt-get install ./$(basename "$DEB") (overlay)"; }
  grep -q "strides: 300 found, 300 valid" "$WORK/install.log" || { cat "$WORK/install.log"; fail "installed stride"; }
  grep -q "low_cadence" "$WORK/install.log" || { cat "$WORK/install.log"; fail "installed stride: the demo's flag"; }
  installed="apt-get install ./$(basename "$DEB") into an overlay of this machine; /usr/bin/stride ran the demo"
fi
echo "ok: installs (apt simulation), runs from the unpacked package, man page and completion in place; real install: $installed"
