#!/usr/bin/env bash
# The MPI build (WFSIM_WITH_MPI: OpenMPI and the parallel HDF5 library, in
# build-mpi/) and its tests: mpirun -np 2 and 3 against the same binary run
# as one process, shards, a killed rank and SIGTERM to mpirun. Called by
# tools/test.sh after the serial suite; runs alone too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
echo "test-mpi: the MPI build and its tests"
WFSIM_BUILD_DIR="$root/build-mpi" bash "$root/tools/build.sh" -DWFSIM_WITH_MPI=ON
(cd "$root/build-mpi" && ctest --output-on-failure)
