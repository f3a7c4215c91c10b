#!/usr/bin/env bash
# Quick start, part 2: installs what is missing, builds, and runs the whole
# test suite through ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/install-deps.sh"
bash "$root/tools/build.sh"
cd "${WFSIM_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j "$(nproc)"
