#!/usr/bin/env bash
# Holds the current build's results against those of an earlier commit: the
# gate of every change that must not change a result.
#
#   tools/same-results.sh REF
#
# Builds wfsim at git REF once (tools/build-at.sh) and the current tree
# (build/), runs both on the same inputs, the current tree's scenarios, and
# compares every results file with tools/h5-same.py (every dataset, numeric,
# string and compound, the trace included; every attribute but timing and
# provenance) and every CSV file byte for byte. The inputs: every shipped
# scenario at a fixed seed (-r 4), a run with --set, a traced run, a compare
# of the quick-start pair and of the flagship's policies, a grid and a Latin
# hypercube sweep, and a sensitivity run. Prints what differs; exits 0 when
# nothing does, 1 when something does, 2 on bad usage.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: tools/same-results.sh REF" >&2
  exit 2
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${WFSIM_BUILD_DIR:-$root/build}"
ref_build="$(bash "$root/tools/build-at.sh" "$1" wfsim)"
cmake --build "$build" -j "$(nproc)" --target wfsim >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
scenarios="$root/scenarios"
program=programs.analyst_academy

# Runs every case with the wfsim binary $1 into the folder $2.
run_cases() {
  local wfsim="$1" out="$2"
  mkdir -p "$out"
  for scenario in "$scenarios"/*.yaml; do
    "$wfsim" run "$scenario" -r 4 -s 11 -j 2 -q -o "$out/run_$(basename "$scenario" .yaml).h5"
  done
  "$wfsim" run "$scenarios/quickstart.yaml" -r 4 -q -o "$out/set.h5" \
    --set roles.picker.attrition=1.3 --set 'roles.analyst.transfers={supervisor: 0.05}'
  "$wfsim" run "$scenarios/quickstart_training.yaml" -r 4 --trace 2 -q -o "$out/trace.h5"
  "$wfsim" compare "$scenarios/quickstart.yaml" "$scenarios/quickstart_training.yaml" -r 8 -q \
    -o "$out/compare_quickstart.h5" --csv "$out/compare_quickstart.csv"
  "$wfsim" compare "$scenarios/amazon_baseline_2019.yaml" "$scenarios/policy_no_programs.yaml" \
    "$scenarios/amazon_upskilling_2025.yaml" -r 2 -q -o "$out/compare_pledge.h5"
  "$wfsim" sweep "$scenarios/quickstart_training.yaml" -r 4 -q -o "$out/sweep_grid.h5" \
    --vary "$program.capacity=30,90" --vary roles.picker.attrition=0.6:1.2:3 \
    --csv "$out/sweep_grid.csv"
  "$wfsim" sweep "$scenarios/quickstart_training.yaml" -r 4 -q -o "$out/sweep_lhs.h5" --lhs 4 \
    --vary "$program.cost.per_month=500:1500" --vary "$program.cost.fixed=1000:3000"
  "$wfsim" sensitivity "$scenarios/quickstart_training.yaml" -r 4 -q -o "$out/sensitivity.h5" \
    --path "$program.capacity" --path roles.picker.attrition --path "$program.cost.fixed"
}

echo "same-results: running the cases with the build at $1 ..." >&2
run_cases "$ref_build/tools/wfsim" "$work/reference"
echo "same-results: running the cases with the current build ..." >&2
run_cases "$build/tools/wfsim" "$work/current"

status=0
compared=0
for reference in "$work/reference"/*; do
  name="$(basename "$reference")"
  current="$work/current/$name"
  compared=$((compared + 1))
  if [[ "$name" == *.h5 ]]; then
    if ! report="$(/usr/bin/python3 "$root/tools/h5-same.py" "$reference" "$current")"; then
      status=1
    fi
    [ -z "$report" ] || printf '%s\n' "$report" | sed "s|^|$name: |"
  elif ! cmp -s "$reference" "$current"; then
    echo "$name: differs"
    diff "$reference" "$current" | head -5 || true
    status=1
  fi
done
if ((status == 0)); then
  echo "same-results: $compared files compared, no difference from $1"
else
  echo "same-results: results differ from $1"
fi
exit "$status"
