#!/usr/bin/env bash
# Rewrites the golden regression references (tests/data/golden/*.golden) from
# the current build. This is the only way they change: run it when a change
# of results is intended, review `git diff tests/data/golden` and commit the
# new references with the change that caused them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WFSIM_BUILD_DIR:-$root/build}"
cmake --build "$build" --target wfsim_tests wfsim
WFSIM_UPDATE_GOLDEN=1 "$build/tests/wfsim_tests" "[golden]"
git -C "$root" --no-pager diff --stat -- tests/data/golden
