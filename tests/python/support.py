"""Shared by the Python tests: paths from the environment ctest sets, and
small files written with h5py to SPEC §4's layout."""

import os
import sys
from pathlib import Path

import h5py
import numpy as np

SOURCE_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(SOURCE_ROOT / "tools" / "python"))

BINARY = os.environ.get("WFSIM_BINARY", str(SOURCE_ROOT / "build" / "tools" / "wfsim"))
SCENARIOS = SOURCE_ROOT / "scenarios"

ROLE_METRICS = ["headcount", "exits"]
PROGRAM_METRICS = ["enrolled", "spend"]
KPIS = ["exits", "program_spend", "total_cost"]
PROGRAM_KPIS = ["enrollments", "spend"]
STATISTICS = ["mean", "sd", "p05", "p50", "p95"]

UNCERTAIN_SCENARIO = """\
wfsim: 1
name: uncertain_tiny
horizon_years: 1
snapshots_per_year: 4
replications: 5
seed: 7
roles:
  - id: clerk
    headcount: 60
    salary: 30000
    attrition: {uncertain: {dist: uniform, min: 0.2, max: 0.4}}
  - id: lead
    headcount: 10
    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.2}, shared: market}
programs:
  - id: course
    type: upskilling
    eligible_roles: [clerk]
    enrollment_rate: 0.5
    duration_months: 3
    dropout: 0.2
    cost: {fixed: 100}
"""


def string_dataset(group, name, values):
    group.create_dataset(name, data=np.array(values, dtype=object),
                         dtype=h5py.string_dtype("utf-8"))


def write_run_group(group, name, replications=4, offset=0.0, status=None):
    """A run group as `wfsim run` writes it: 2 roles, 1 program, T = 3.
    Every value is offset + a formula of its indices, so tests can check
    where each one lands."""
    T, roles, programs = 3, ["a", "b"], ["p"]
    group.attrs["scenario_name"] = name
    group.attrs["seed"] = np.uint64(1)
    group.attrs["replications"] = np.uint64(replications)
    if status is None:
        status = [1] * replications
    group.create_dataset("replication_status", data=np.array(status, dtype=np.uint8))
    group.create_dataset("time", data=np.arange(T) / 2.0)
    string_dataset(group, "roles", roles)
    string_dataset(group, "programs", programs)
    r, t, e = np.meshgrid(np.arange(replications), np.arange(T), np.arange(len(roles)),
                          indexing="ij")
    for m, metric in enumerate(ROLE_METRICS):
        group.create_dataset(f"trajectories/{metric}",
                             data=offset + 1000 * m + 100 * r + 10 * t + e)
    for m, metric in enumerate(PROGRAM_METRICS):
        group.create_dataset(f"program_trajectories/{metric}",
                             data=offset + 1000 * m + 100 * r[:, :, :1] + 10 * t[:, :, :1])
    for k, kpi in enumerate(KPIS):
        group.create_dataset(f"totals/{kpi}",
                             data=offset + 10.0 * k + np.arange(replications, dtype=float))
    for k, kpi in enumerate(PROGRAM_KPIS):
        group.create_dataset(f"program_totals/{kpi}",
                             data=offset + k + np.arange(replications, dtype=float)[:, None])
    for metric in ROLE_METRICS:
        for s, stat in enumerate(STATISTICS):
            group.create_dataset(f"summary/{metric}/{stat}", data=np.full((T, 2), float(s)))
    for kpi in KPIS:
        for s, stat in enumerate(STATISTICS):
            group.create_dataset(f"summary/totals/{kpi}/{stat}", data=float(s))
    return group
