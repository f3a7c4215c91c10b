#!/usr/bin/env bash
# Times the current build against the build of an earlier commit, in turns,
# so that the machine's drift falls on both alike.
#
#   tools/bench-against.sh REF REF_SCENARIO SCENARIO [ROUNDS] [REPLICATIONS]
#
# Builds wfsim_bench at git REF once (tools/build-at.sh), then, ROUNDS
# times (default 5), runs REF's build on REF_SCENARIO as it was at REF and
# the current build (build/) on SCENARIO, REPLICATIONS replications (default 8) on 1 and 2 threads each;
# which of the two goes first alternates. Prints every round's seconds per
# replication and the ratio current / reference, and the median ratio per
# thread count. Scenario paths are relative to the repository's root, e.g.
#
#   tools/bench-against.sh d5ca494 scenarios/amazon_baseline_2019.yaml \
#       scenarios/amazon_upskilling_2025.yaml
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: tools/bench-against.sh REF REF_SCENARIO SCENARIO [ROUNDS] [REPLICATIONS]" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ref="$1" ref_scenario="$2" scenario="$3" rounds="${4:-5}" replications="${5:-8}"
build="${WFSIM_BUILD_DIR:-$root/build}"

commit="$(git -C "$root" rev-parse --verify --quiet "$ref^{commit}")" || {
  echo "bench-against: $ref is not a commit of this repository" >&2
  exit 2
}
[ -f "$root/$scenario" ] || { echo "bench-against: no scenario $root/$scenario" >&2; exit 2; }
git -C "$root" cat-file -e "$commit:$ref_scenario" 2>/dev/null ||
  { echo "bench-against: $ref_scenario is not in ${commit:0:12}" >&2; exit 2; }
[[ "$rounds" =~ ^[1-9][0-9]*$ && "$replications" =~ ^[1-9][0-9]*$ ]] ||
  { echo "bench-against: ROUNDS and REPLICATIONS must be positive integers" >&2; exit 2; }

ref_build="$(bash "$root/tools/build-at.sh" "$commit" wfsim_bench)"
ref_bench="$ref_build/tools/wfsim_bench"
cmake --build "$build" -j "$(nproc)" --target wfsim_bench >/dev/null

# One measurement: "threads seconds-per-replication" lines, or a failure
# should the benchmark print no rows this script can read.
measure() {
  local rows
  rows="$("$1" "$2" -r "$replications" | awk 'NR > 1 && $3 ~ /^[0-9]+$/ {print $2, $4}')"
  if [ -z "$rows" ]; then
    echo "bench-against: no measurement from $1 on $2" >&2
    return 1
  fi
  echo "$rows"
}

printf '%-6s %-8s %-16s %-14s %s\n' round threads "reference s/rep" "current s/rep" current/reference
results="$(mktemp)"
trap 'rm -f "$results"' EXIT
for ((k = 1; k <= rounds; ++k)); do
  if ((k % 2)); then
    reference="$(measure "$ref_bench" "$ref_build/../source/$ref_scenario")"
    current="$(measure "$build/tools/wfsim_bench" "$root/$scenario")"
  else
    current="$(measure "$build/tools/wfsim_bench" "$root/$scenario")"
    reference="$(measure "$ref_bench" "$ref_build/../source/$ref_scenario")"
  fi
  join <(echo "$reference") <(echo "$current") |
    awk -v k="$k" '{printf "%-6d %-8d %-16.4f %-14.4f %.3f\n", k, $1, $2, $3, $3 / $2}' |
    tee -a "$results"
done
for threads in 1 2; do
  awk -v t="$threads" '$2 == t {print $5}' "$results" | sort -n |
    awk -v t="$threads" '{r[NR] = $1} END {
      if (NR) printf "median current/reference on %d thread%s: %.3f (range %.3f-%.3f, %d rounds)\n",
        t, (t > 1 ? "s" : ""), (NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2), r[1], r[NR], NR }'
done
