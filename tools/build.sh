#!/usr/bin/env bash
# Configures and builds wfsim (Release) into build/. Extra arguments go to
# CMake's configure step, e.g. -DWFSIM_SANITIZE=ON.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WFSIM_BUILD_DIR:-$root/build}"
werror=OFF
if [ "${CI:-}" = "true" ]; then werror=ON; fi  # warnings are errors in CI
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWFSIM_WERROR="$werror" "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
