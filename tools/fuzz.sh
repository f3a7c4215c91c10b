#!/usr/bin/env bash
# Builds the libFuzzer target over the scenario front end (clang, ASan and
# UBSan) into build-fuzz/ and runs it on a copy of tests/fuzz/corpus:
#
#   bash tools/fuzz.sh --smoke        about 3 minutes
#   bash tools/fuzz.sh --seconds N    N seconds (a long local run)
#
# Installs clang and the libFuzzer runtime when they are missing. Exits
# non-zero on any finding (crash, sanitizer report, unexpected exception,
# timeout, memory beyond the limit); the input is kept in build-fuzz/findings/.
# WFSIM_BUILD_JOBS sets the build's parallelism (default: every core).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"

usage() {
  echo "usage: bash tools/fuzz.sh --smoke | --seconds N" >&2
  exit 2
}
seconds=""
case "${1:-}" in
  --smoke) seconds=180 ;;
  --seconds)
    seconds="${2:-}"
    [[ "$seconds" =~ ^[1-9][0-9]*$ ]] || usage
    ;;
  *) usage ;;
esac

# clang and libFuzzer, installed the way tools/install-deps.sh installs the rest.
packages=(clang libclang-rt-14-dev)
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} > 0)); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "fuzz: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# -O1 -g without NDEBUG: assertions stay on and reports have line numbers.
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DWFSIM_FUZZ=ON -DWFSIM_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
cmake --build "$build" --target wfsim_fuzz_scenario -j "${WFSIM_BUILD_JOBS:-$(nproc)}"

# The run works on a copy (with the regression inputs): what it learns never
# grows the committed corpus.
work="$(mktemp -d "${TMPDIR:-/tmp}/wfsim-fuzz-run.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$root/tests/fuzz/corpus" "$work/corpus"
cp "$root"/tests/fuzz/regressions/* "$work/corpus/" 2>/dev/null || true  # past findings seed too
findings="$build/findings"
mkdir -p "$findings"
log="$build/fuzz.log"

echo "fuzz: running for $seconds s on a copy of tests/fuzz/corpus and regressions (log: $log)"
status=0
(
  cd "$work"
  export TMPDIR="$work"  # the target's scenario files
  # A smaller quarantine than ASan's 256 MB keeps -rss_limit_mb about the target.
  export ASAN_OPTIONS="quarantine_size_mb=64${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  "$build/tests/fuzz/wfsim_fuzz_scenario" "$work/corpus" \
    -dict="$root/tests/fuzz/scenario.dict" -max_total_time="$seconds" \
    -rss_limit_mb=512 -timeout=2 -print_final_stats=1 -artifact_prefix="$findings/"
) >"$log" 2>&1 || status=$?

grep -aE "^(INFO: seed corpus|#[0-9]+[[:space:]]+(INITED|DONE)|Done [0-9]+ runs|stat::)" "$log" || true
if [ "$status" -ne 0 ]; then
  echo "fuzz: FINDING (libFuzzer exit $status); the end of the log:" >&2
  tail -n 60 "$log" >&2
  grep -E "(Test unit|artifact) written to|^artifact_prefix" "$log" >&2 || true
  exit 1
fi
echo "fuzz: no findings"
