#!/usr/bin/env bash
# Quick start, part 2 (and CI): installs what is missing, builds, and runs the
# whole test suite through ctest; then the MPI build and its tests
# (tools/test-mpi.sh), the suite under the sanitizers (tools/sanitize.sh) and
# a few minutes of fuzzing of the scenario loader (tools/fuzz.sh --smoke). WFSIM_TEST_STAGES=suite runs the first stage only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/install-deps.sh"
bash "$root/tools/build.sh"
(cd "${WFSIM_BUILD_DIR:-$root/build}" && ctest --output-on-failure -j "$(nproc)")
if [ "${WFSIM_TEST_STAGES:-all}" = "suite" ]; then exit 0; fi
bash "$root/tools/test-mpi.sh"
bash "$root/tools/sanitize.sh"
bash "$root/tools/fuzz.sh" --smoke
