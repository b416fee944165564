#!/usr/bin/env bash
# Installs what is missing (Debian 12, as root; quiet when everything is there) and builds stride in Release.
# Sourced by demo.sh and test.sh; BUILD_DIR may be set by the caller.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

PACKAGES=(g++ cmake ninja-build pkg-config libeigen3-dev libboost-dev libserialport-dev libgtest-dev libgmock-dev
          libbenchmark-dev libcli11-dev nlohmann-json3-dev libsimdjson-dev libfmt-dev libsqlite3-dev libzip-dev zlib1g-dev dpkg-dev
          libpng-dev chromium   # libpng-dev, chromium: the HTML report's browser tests (screenshots decoded)
          slurm-wlm munge       # `stride batch --slurm` on a real one-node Slurm (tests/slurm/, ctest -L slurm, ~15 s)
          zsh                   # the packaged zsh completion is parsed by tests/package
          gpsbabel              # an independent FIT reader: FitExportCli.Gpsbabel* read our FIT files with it
          python3-jsonschema)   # docs/session.schema.json checked against every output (tests/schema/)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release ${CMAKE_EXTRA:-} >/dev/null
cmake --build "$BUILD_DIR" -- -j"$(nproc)" | grep -v -e '^\[' -e '^ninja: no work to do' || true
test -x "$BUILD_DIR/tools/stride"
