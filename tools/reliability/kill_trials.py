"""Kills a flagship-size run with SIGKILL at random moments and checks that
nothing committed is lost (SPEC §5 Interruption).

Each trial starts `wfsim run`, kills it after a random delay, then checks
that the file opens read-only (no h5clear), that every replication whose
/replication_status is 1 equals the uninterrupted reference row for row, and
that `wfsim run --resume` completes the file to datasets equal to the
reference. Prints one line per trial and a summary; exits 1 on any failure.
"""

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np


def datasets(path):
    found = {}

    def visit(name, node):
        if isinstance(node, h5py.Dataset):
            found[name] = node[()]

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return found


def same(a, b):
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    return np.array_equal(a, b)


def committed_rows_match(path, reference):
    """Rows of committed replications equal the reference's; the count."""
    with h5py.File(path, "r") as f, h5py.File(reference, "r") as r:
        status = f["replication_status"][()]
        committed = np.flatnonzero(status == 1)
        for group in ("trajectories", "program_trajectories", "totals", "program_totals"):
            if group not in f:
                continue
            for name, dataset in f[group].items():
                if not np.array_equal(dataset[committed], r[group][name][committed]):
                    return False, len(committed)
    return True, len(committed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="build/tools/wfsim")
    parser.add_argument("--scenario", default="scenarios/amazon_baseline_2019.yaml")
    parser.add_argument("--replications", type=int, default=40)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261122, help="seeds the kill moments")
    options = parser.parse_args()

    work = tempfile.mkdtemp(prefix="wfsim_kill_")
    run = [options.binary, "run", options.scenario, "-r", str(options.replications),
           "-j", str(options.threads), "-q", "--force"]
    reference = os.path.join(work, "reference.h5")
    start = time.monotonic()
    subprocess.run(run + ["-o", reference], check=True)
    run_seconds = time.monotonic() - start
    expected = datasets(reference)
    print(f"reference: {options.replications} replications in {run_seconds:.1f} s; "
          f"{len(expected)} datasets")

    moments = random.Random(options.seed)
    failures = 0
    for trial in range(1, options.trials + 1):
        path = os.path.join(work, f"trial_{trial}.h5")
        delay = moments.uniform(0.5, 0.9 * run_seconds)
        while True:
            child = subprocess.Popen(run + ["-o", path])
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
            if child.wait() == -signal.SIGKILL:
                break
            delay /= 2  # the run was faster this time: kill it sooner
        problems = []
        try:
            rows_ok, committed = committed_rows_match(path, reference)
            if not rows_ok:
                problems.append("a committed replication differs from the reference")
        except OSError as error:
            committed = 0
            problems.append(f"the file does not open: {error}")
        resumed = subprocess.run([options.binary, "run", "--resume", path, "-j",
                                  str(options.threads), "-q"])
        if resumed.returncode != 0:
            problems.append(f"--resume exited with {resumed.returncode}")
        else:
            got = datasets(path)
            different = [n for n in expected if n not in got or not same(expected[n], got[n])]
            different += [n for n in got if n not in expected]
            if different:
                problems.append(f"{len(different)} datasets differ after --resume, "
                                f"e.g. {different[0]}")
        failures += bool(problems)
        print(f"trial {trial:2}: killed after {delay:5.2f} s, {committed:3} of "
              f"{options.replications} committed, "
              + ("resumed to identical datasets" if not problems else "; ".join(problems)),
              flush=True)
    print(f"{options.trials - failures} of {options.trials} kill-and-resume trials passed "
          f"({work})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
