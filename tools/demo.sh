#!/usr/bin/env bash
# Quick start, part 1: installs what is missing, builds, and runs the
# flagship scenario (Amazon's 2019 US workforce, six years), printing the
# KPI table and writing results/amazon_baseline_2019.h5.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/install-deps.sh"
bash "$root/tools/build.sh"
mkdir -p "$root/results"
"$root/build/tools/wfsim" run "$root/scenarios/amazon_baseline_2019.yaml" \
  -r "${WFSIM_DEMO_REPLICATIONS:-100}" -o "$root/results/amazon_baseline_2019.h5" --force
