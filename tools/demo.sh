#!/usr/bin/env bash
# Quick start, part 1: installs what is missing, builds, runs the flagship
# scenario (Amazon's 2019 US workforce, six years), printing the KPI table and
# writing results/amazon_baseline_2019.h5; then compares the Upskilling 2025
# pledge with that baseline and writes the comparison's HTML report.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/tools/install-deps.sh"
bash "$root/tools/build.sh"
replications="${WFSIM_DEMO_REPLICATIONS:-100}"
wfsim="$root/build/tools/wfsim"
mkdir -p "$root/results"
"$wfsim" run "$root/scenarios/amazon_baseline_2019.yaml" \
  -r "$replications" -o "$root/results/amazon_baseline_2019.h5" --force
echo
"$wfsim" compare "$root/scenarios/amazon_baseline_2019.yaml" \
  "$root/scenarios/amazon_upskilling_2025.yaml" \
  -r "$replications" -o "$root/results/pledge_vs_baseline.h5" --force
echo
"$wfsim" report "$root/results/pledge_vs_baseline.h5" -o "$root/results/pledge_vs_baseline.html"
echo "Open results/pledge_vs_baseline.html in a browser: the pledge against the baseline,"
echo "with assumptions, KPIs, paired differences, ROI and charts (prints to PDF)."
