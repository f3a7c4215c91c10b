#!/usr/bin/env bash
# Builds targets of wfsim as they were at an earlier commit, once: the source
# is exported to build/ref/<commit>/source and built (Release) in
# build/ref/<commit>/build, which is printed on stdout (WFSIM_REF_BUILDS
# names another folder than build/ref, to share the builds between trees). Used by the scripts
# that hold the current build against an earlier one (bench-against.sh,
# same-results.sh).
#
#   tools/build-at.sh REF TARGET [TARGET...]
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: tools/build-at.sh REF TARGET [TARGET...]" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WFSIM_BUILD_DIR:-$root/build}"
commit="$(git -C "$root" rev-parse --verify --quiet "$1^{commit}")" || {
  echo "build-at: $1 is not a commit of this repository" >&2
  exit 2
}
shift
ref_dir="${WFSIM_REF_BUILDS:-$build/ref}/$commit"
if [ ! -f "$ref_dir/build/CMakeCache.txt" ]; then
  echo "build-at: exporting ${commit:0:12} to $ref_dir ..." >&2
  rm -rf "$ref_dir"
  mkdir -p "$ref_dir/source"
  git -C "$root" archive "$commit" | tar -x -C "$ref_dir/source"
  cmake -S "$ref_dir/source" -B "$ref_dir/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
echo "build-at: building $* at ${commit:0:12} ..." >&2
cmake --build "$ref_dir/build" -j "$(nproc)" --target "$@" >/dev/null
echo "$ref_dir/build"
