#!/usr/bin/env bash
# The test suite under the sanitizers: the C++ suite built with
# AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/), then the tests
# that drive the parallel runner hardest (1 to 16 threads, SIGTERM and
# SIGINT midway, resume) built with ThreadSanitizer (build-tsan/). Called
# by tools/test.sh; runs alone too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc)"

# Any report fails the run; leaks count.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"

# The C++ suite; the Python, notebook and browser tests exercise the Python
# package and run in the Release stage.
echo "sanitize: AddressSanitizer + UndefinedBehaviorSanitizer, the C++ suite"
WFSIM_BUILD_DIR="$root/build-asan" bash "$root/tools/build.sh" -DWFSIM_SANITIZE=ON
(cd "$root/build-asan" && ctest --output-on-failure -j "$jobs" -E "^(python|notebook)\.")

echo "sanitize: ThreadSanitizer, the parallel runner"
WFSIM_BUILD_DIR="$root/build-tsan" bash "$root/tools/build.sh" -DWFSIM_TSAN=ON
(cd "$root/build-tsan" &&
  ctest --output-on-failure -j "$jobs" -R "threads|SIGTERM|SIGINT|remote|the others")
