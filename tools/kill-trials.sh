#!/usr/bin/env bash
# SIGKILL at random moments of a flagship-size run, then --resume: checks that
# every committed replication survives and the resumed file equals an
# uninterrupted run (a few minutes; not part of the test suite). Options go to
# tools/reliability/kill_trials.py (--trials 20 --replications 40 ...).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${WFSIM_PYTHON:-/usr/bin/python3}"
cd "$root"
exec "$python" tools/reliability/kill_trials.py "$@"
