"""Reads wfsim's HDF5 results into pandas frames and runs the wfsim program.

    import wfsim
    results = wfsim.open("quickstart.h5")      # run, compare, sweep or sensitivity file
    results.totals()                           # one row per replication, one column per KPI
    results = wfsim.run("scenarios/quickstart.yaml", replications=20, seed=1)

Charts (`wfsim.plots`) and the HTML report (`wfsim.report`) need matplotlib
and are imported on their own: `from wfsim import plots`.

See tools/python/README.md.
"""

from .cli import (
    BinaryNotFound,
    CommandError,
    compare,
    compare_command,
    find_binary,
    run,
    run_command,
    sensitivity,
    sensitivity_command,
    sweep,
    sweep_command,
)
from .reader import FormatError, Results, ResultsFile, load, open
from .stats import mean_interval

__all__ = [
    "BinaryNotFound",
    "CommandError",
    "FormatError",
    "Results",
    "ResultsFile",
    "compare",
    "compare_command",
    "find_binary",
    "load",
    "mean_interval",
    "open",
    "run",
    "run_command",
    "sensitivity",
    "sensitivity_command",
    "sweep",
    "sweep_command",
]
