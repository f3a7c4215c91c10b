"""Reads wfsim HDF5 files (SPEC §4) into tidy pandas frames.

A *run group* is what `wfsim run` writes at the root of its file: `/time`,
`/roles`, `/programs`, `/replication_status`, `/trajectories`, `/totals`,
`/summary`, `/parameters`, `/events`. `wfsim compare` writes one run group
per scenario under `/scenarios/<name>/`, `wfsim sweep` one per point under
`/points/<k>/`. Every frame of a file holds the rows of its run groups with
a `scenario` column (and a `point` column for sweeps).

Only committed replications (`/replication_status` == 1) are returned unless
the file is opened with `include_uncommitted=True`: the rows of a replication
that was not committed are NaN or half-written.

The file is opened for each call and closed at once, so a `Results` holds no
HDF5 handle and the file may be rewritten between calls.
"""

import os

import h5py
import numpy as np
import pandas as pd

from .labels import METRIC_GROUPS, MetricInfo, Metrics, humanised
from .stats import mean_interval

SUMMARY_STATISTICS = ("mean", "sd", "p05", "p50", "p95")

# The names of what the engine writes are declared once, for C++, in
# engine/include/wfsim/engine/results_schema.h; these spell them again.
# Root attributes of a run group (SPEC §4) and the writer's own bookkeeping;
# any other attribute of a sweep point is one of the point's values.
RUN_ATTRIBUTES = frozenset(
    {
        "wfsim_version",
        "schema_version",
        "scenario_name",
        "seed",
        "replications",
        "replications_completed",
        "threads",
        "trace_replications",
        "ranks",
        "shard_index",
        "shard_count",
        "merged_shards",
        "complete",
        "failed_replications",
        "events_processed",
        "wall_seconds",
        "created_utc",
        "git_sha",
        "scenario_yaml",
        "series_paths",
        "summary_paths",
    }
)


class FormatError(Exception):
    """The file is not a wfsim results file of the expected kind, or misses
    a group or dataset the requested frame needs."""


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value


def _python_value(value):
    """An attribute as a plain Python value (str, int, float, list)."""
    if isinstance(value, (bytes, str)):
        return _text(value)
    if isinstance(value, np.ndarray):
        if value.shape == ():
            return _python_value(value[()])
        return [_python_value(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _attributes(obj):
    return {name: _python_value(obj.attrs[name]) for name in sorted(obj.attrs.keys())}


def _strings(dataset):
    return [_text(v) for v in dataset[()].tolist()]


def _table_frame(node, where):
    """A table stored as a compound dataset or as a group of equal-length
    column datasets, as a DataFrame with text columns decoded."""
    if isinstance(node, h5py.Group):
        columns = {}
        for name in node.keys():
            child = node[name]
            if not isinstance(child, h5py.Dataset):
                continue
            columns[name] = child[()]
        order = node.attrs.get("columns")
        names = [_text(c) for c in order] if order is not None else list(columns)
        frame = pd.DataFrame({name: columns[name] for name in names if name in columns})
    elif node.dtype.names:
        frame = pd.DataFrame.from_records(node[()])
    else:
        raise FormatError(f"{where} is neither a compound table nor a group of columns")
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = [_text(v) for v in frame[column]]
    return frame


class _File:
    """Opens the file read-only for the duration of a `with` block."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        try:
            self.handle = h5py.File(self.path, "r")
        except OSError as error:
            raise FormatError(f"{self.path}: cannot open as HDF5: {error}") from None
        return self.handle

    def __exit__(self, *exc):
        self.handle.close()
        return False


class Results:
    """One run group: the results of one scenario (or one sweep point)."""

    def __init__(self, path, group="/", labels=None, include_uncommitted=False):
        self.path = os.fspath(path)
        self.group = group
        self.include_uncommitted = include_uncommitted
        with _File(self.path) as f:
            if group not in f:
                raise FormatError(f"{self.path}: no group {group}")
            g = f[group]
            if "replication_status" not in g:
                raise FormatError(
                    f"{self.path}: {self._where('replication_status')} is missing: "
                    "not a wfsim run group"
                )
            meta = _attributes(f) if group != "/" else {}
            meta.update(_attributes(g))
            self.meta = meta
            self.replication_status = g["replication_status"][()].astype(np.uint8)
            self.time = g["time"][()] if "time" in g else np.zeros(0)
            self.roles = _strings(g["roles"]) if "roles" in g else []
            self.programs = _strings(g["programs"]) if "programs" in g else []
        self.labels = dict(labels or {"scenario": self.meta.get("scenario_name", "")})
        self.scenario = self.labels.get("scenario", "")

    def __repr__(self):
        return (
            f"<wfsim.Results {self.scenario!r} from {self.path}{self.group if self.group != '/' else ''}: "
            f"{self.replications_committed} of {len(self.replication_status)} replications committed>"
        )

    # ---- bookkeeping ------------------------------------------------------

    def _where(self, name):
        return "/" + "/".join(p for p in (self.group.strip("/"), name) if p)

    @property
    def replications_committed(self):
        return int((self.replication_status == 1).sum())

    @property
    def replications(self):
        """Indices of the replications whose rows the frames return."""
        if self.include_uncommitted:
            return np.arange(len(self.replication_status))
        return np.flatnonzero(self.replication_status == 1)

    def _group(self, f, name, what):
        where = self._where(name)
        if where not in f:
            raise FormatError(f"{self.path}: {where} is missing ({what})")
        return f[where]

    def _names(self, group, prefix):
        """The datasets of a group in the order the writer declared them
        (its `series_paths` attribute: SPEC order), then any others by name."""
        keys = list(group.keys())
        declared = self.meta.get("series_paths") or []
        if isinstance(declared, str):
            declared = [declared]
        ordered = [p[len(prefix) + 1:] for p in declared if p.startswith(prefix + "/")]
        ordered = [k for k in ordered if k in keys]
        return ordered + sorted(k for k in keys if k not in ordered)

    def _rows(self, dataset):
        rows = self.replications
        if len(rows) == 0:
            return np.empty((0,) + dataset.shape[1:], dtype=float)
        return dataset[()][rows]

    def _labelled(self, frame):
        for position, (name, value) in enumerate(self.labels.items()):
            frame.insert(position, name, value)
        return frame

    # ---- frames -----------------------------------------------------------

    def _trajectory_frame(self, name, entity, ids, metrics, wide):
        with _File(self.path) as f:
            g = self._group(f, name, f"{entity} trajectories")
            names = self._names(g, name) if metrics is None else list(metrics)
            rows = self.replications
            T, E = len(self.time), len(ids)
            reps = np.repeat(rows, T * E)
            times = np.tile(np.repeat(self.time, E), len(rows))
            entities = np.tile(np.asarray(ids, dtype=object), len(rows) * T)
            values = {}
            for metric in names:
                if metric not in g:
                    raise FormatError(f"{self.path}: {self._where(name)}/{metric} is missing")
                values[metric] = self._rows(g[metric]).reshape(-1)
        base = {"replication": reps, "time": times, entity: entities}
        if wide:
            return self._labelled(pd.DataFrame({**base, **values}))
        parts = [
            pd.DataFrame({**base, "metric": metric, "value": column})
            for metric, column in values.items()
        ]
        if not parts:
            parts = [pd.DataFrame({**base, "metric": [], "value": []})]
        return self._labelled(pd.concat(parts, ignore_index=True))

    def trajectories(self, metrics=None, wide=False):
        """Role metrics per snapshot: columns scenario, replication, time,
        role, metric, value (long); with wide=True one column per metric."""
        return self._trajectory_frame("trajectories", "role", self.roles, metrics, wide)

    def program_trajectories(self, metrics=None, wide=False):
        """Program metrics per snapshot: scenario, replication, time, program,
        metric, value (long); with wide=True one column per metric."""
        return self._trajectory_frame(
            "program_trajectories", "program", self.programs, metrics, wide
        )

    def totals(self):
        """One row per replication, one column per KPI (after scenario and
        replication)."""
        with _File(self.path) as f:
            g = self._group(f, "totals", "per-replication KPIs")
            data = {"replication": self.replications}
            for kpi in self._names(g, "totals"):
                data[kpi] = self._rows(g[kpi])
        return self._labelled(pd.DataFrame(data))

    def program_totals(self):
        """One row per (replication, program), one column per program KPI."""
        with _File(self.path) as f:
            g = self._group(f, "program_totals", "per-program KPIs")
            rows = self.replications
            P = len(self.programs)
            data = {
                "replication": np.repeat(rows, P),
                "program": np.tile(np.asarray(self.programs, dtype=object), len(rows)),
            }
            for kpi in self._names(g, "program_totals"):
                data[kpi] = self._rows(g[kpi]).reshape(-1)
        return self._labelled(pd.DataFrame(data))

    def kpis(self):
        """The KPI table `wfsim run` prints, computed from the committed
        replications: scenario, kpi, n, mean, sd, ci_low, ci_high (95%
        Student t)."""
        totals = self.totals()
        skip = set(self.labels) | {"replication"}
        records = []
        for kpi in (c for c in totals.columns if c not in skip):
            n, mean, sd, low, high = mean_interval(totals[kpi].to_numpy())
            records.append(
                {"kpi": kpi, "n": n, "mean": mean, "sd": sd, "ci_low": low, "ci_high": high}
            )
        return self._labelled(pd.DataFrame.from_records(records, columns=[
            "kpi", "n", "mean", "sd", "ci_low", "ci_high"]))

    def summaries(self):
        """The file's `/summary` of trajectories over committed replications:
        scenario, kind ("role" or "program"), name (role or program id),
        metric, time, mean, sd, p05, p50, p95."""
        parts = []
        with _File(self.path) as f:
            g = self._group(f, "summary", "summaries are written when a run finishes")
            for kind, group, ids in (
                ("role", "trajectories", self.roles),
                ("program", "program_trajectories", self.programs),
            ):
                where = self._where(group)
                metrics = self._names(f[where], group) if where in f else []
                for metric in metrics:
                    if metric not in g:
                        continue
                    T, E = len(self.time), len(ids)
                    part = {
                        "kind": kind,
                        "name": np.tile(np.asarray(ids, dtype=object), T),
                        "metric": metric,
                        "time": np.repeat(self.time, E),
                    }
                    for stat in SUMMARY_STATISTICS:
                        part[stat] = g[metric][stat][()].reshape(-1)
                    parts.append(pd.DataFrame(part))
        columns = ["kind", "name", "metric", "time", *SUMMARY_STATISTICS]
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
        return self._labelled(frame[columns])

    def total_summaries(self):
        """The file's `/summary/totals` and `/summary/program_totals`:
        scenario, kpi, program (None for scenario-wide KPIs), mean, sd, p05,
        p50, p95."""
        records = []
        with _File(self.path) as f:
            g = self._group(f, "summary", "summaries are written when a run finishes")
            if "totals" in g:
                for kpi in self._names(g["totals"], "totals"):
                    record = {"kpi": kpi, "program": None}
                    for stat in SUMMARY_STATISTICS:
                        record[stat] = float(g["totals"][kpi][stat][()])
                    records.append(record)
            if "program_totals" in g:
                for kpi in self._names(g["program_totals"], "program_totals"):
                    stats = {s: g["program_totals"][kpi][s][()] for s in SUMMARY_STATISTICS}
                    for i, program in enumerate(self.programs):
                        record = {"kpi": kpi, "program": program}
                        for stat in SUMMARY_STATISTICS:
                            record[stat] = float(stats[stat][i])
                        records.append(record)
        columns = ["kpi", "program", *SUMMARY_STATISTICS]
        return self._labelled(pd.DataFrame.from_records(records, columns=columns))

    def metric_info(self):
        """What each metric and KPI of the run is (`labels.Metrics`), from the
        `label`, `unit`, `kind` and `headline` attributes of its datasets;
        names only (humanised labels) for a file written without them."""
        groups = {}
        with _File(self.path) as f:
            for group in METRIC_GROUPS:
                where = self._where(group)
                if where not in f:
                    continue
                infos = {}
                for name in self._names(f[where], group):
                    attributes = _attributes(f[where][name])
                    infos[name] = MetricInfo(
                        name,
                        attributes.get("label") or humanised(name),
                        attributes.get("unit", ""),
                        attributes.get("kind", ""),
                        int(attributes.get("headline", 0)),
                    )
                groups[group] = infos
        return Metrics(groups)

    def parameters(self):
        """Drawn values of the uncertain parameters: scenario, replication,
        then one column per `/parameters/<PATH or NAME>` (no parameter
        columns when the scenario has no uncertain parameter)."""
        data = {"replication": self.replications}
        with _File(self.path) as f:
            where = self._where("parameters")
            if where in f:
                for name in self._names(f[where], "parameters"):
                    data[name] = self._rows(f[where][name])
        return self._labelled(pd.DataFrame(data))

    def parameter_info(self):
        """One row per uncertain parameter: name and the dataset's
        attributes (distribution, paths, rounding)."""
        records = []
        with _File(self.path) as f:
            where = self._where("parameters")
            if where in f:
                for name in f[where].keys():
                    records.append({"name": name, **_attributes(f[where][name])})
        columns = ["name", "distribution", "paths", "rounding"]
        frame = pd.DataFrame.from_records(records)
        return frame if records else pd.DataFrame(columns=columns)

    def has_events(self):
        with _File(self.path) as f:
            return self._where("events") in f

    def events(self):
        """The `/events` trace (runs with `--trace K`): scenario,
        replication, time, agent, event (name), role and program (ids; None
        where the event has none). Raises FormatError without a trace."""
        with _File(self.path) as f:
            where = self._where("events")
            if where not in f:
                raise FormatError(
                    f"{self.path}: {where} is missing: the run was not traced (wfsim run --trace K)"
                )
            dataset = f[where]
            table = dataset[()]
            event_type = dataset.dtype.fields["event"][0]
            mapping = h5py.check_enum_dtype(event_type) or {}
        names = {value: name for name, value in mapping.items()}
        keep = np.isin(table["replication"], self.replications)
        table = table[keep]

        def ids(column, known):
            return [known[i] if 0 <= i < len(known) else None for i in column.tolist()]

        return self._labelled(
            pd.DataFrame(
                {
                    "replication": table["replication"].astype(np.int64),
                    "time": table["time"],
                    "agent": table["agent"],
                    "event": [names.get(v, str(v)) for v in table["event"].tolist()],
                    "role": ids(table["role"], self.roles),
                    "program": ids(table["program"], self.programs),
                }
            )
        )


def _concat(frames):
    frames = list(frames)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


class ResultsFile:
    """A wfsim HDF5 file of any kind: `kind` is "run", "compare", "sweep"
    or "sensitivity". The frame methods of `Results` concatenate every run
    group of the file; `scenario(name)` / `point(k)` give one."""

    def __init__(self, path, include_uncommitted=False):
        self.path = os.fspath(path)
        self.include_uncommitted = include_uncommitted
        with _File(self.path) as f:
            self.meta = _attributes(f)
            if "comparison" in f or "scenarios" in f:
                self.kind = "compare"
            elif "sweep" in f or "points" in f:
                self.kind = "sweep"
            elif "sensitivity" in f:
                self.kind = "sensitivity"
            elif "replication_status" in f:
                self.kind = "run"
            else:
                raise FormatError(
                    f"{self.path}: not a wfsim results file (no /replication_status, "
                    "/scenarios, /points or /sensitivity)"
                )
            self._scenario_names = list(f["scenarios"].keys()) if "scenarios" in f else []
            points = list(f["points"].keys()) if "points" in f else []
            self._point_keys = sorted(points, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k))
        self._run = Results(self.path, "/", None, include_uncommitted) if self.kind == "run" else None

    def __repr__(self):
        return f"<wfsim.ResultsFile {self.kind} {self.path}>"

    # ---- run groups ---------------------------------------------------------

    def scenarios(self):
        """Scenario names: the run's, or every `/scenarios/<name>` of a compare."""
        if self.kind == "run":
            return [self._run.scenario]
        return list(self._scenario_names)

    def scenario(self, name=None):
        """The `Results` of one scenario (a run file's only one by default)."""
        if self.kind == "run":
            if name not in (None, self._run.scenario):
                raise KeyError(f"{self.path}: no scenario {name!r}; it holds {self._run.scenario!r}")
            return self._run
        if name not in self._scenario_names:
            raise KeyError(
                f"{self.path}: no scenario {name!r} under /scenarios; it holds {self._scenario_names}"
            )
        return Results(
            self.path, f"/scenarios/{name}", {"scenario": name}, self.include_uncommitted
        )

    def points(self):
        """Keys of the `/points/<k>` groups of a sweep, in numeric order."""
        return list(self._point_keys)

    def point(self, key):
        """The `Results` of one sweep point; `point_values` holds the point's
        values (the group's attributes other than the run attributes)."""
        key = str(key)
        if key not in self._point_keys:
            raise KeyError(f"{self.path}: no point {key} under /points; it holds {self._point_keys}")
        group = f"/points/{key}"
        with _File(self.path) as f:
            attrs = _attributes(f[group])
            name = attrs.get("scenario_name", self.meta.get("scenario_name", ""))
        results = Results(
            self.path, group, {"scenario": name, "point": int(key) if key.isdigit() else key},
            self.include_uncommitted,
        )
        results.point_values = {k: v for k, v in attrs.items() if k not in RUN_ATTRIBUTES}
        return results

    def runs(self):
        """Every run group of the file as `Results`."""
        if self.kind == "run":
            return [self._run]
        if self._scenario_names:
            return [self.scenario(n) for n in self._scenario_names]
        return [self.point(k) for k in self._point_keys]

    def metric_info(self):
        """`Results.metric_info()` of the file's first run group (the base of
        a sensitivity file); every run group of a file has the same metrics."""
        if self.kind == "sensitivity":
            with _File(self.path) as f:
                has_base = "sensitivity/runs/base/replication_status" in f
            if has_base:
                return Results(self.path, "/sensitivity/runs/base").metric_info()
            return Metrics()
        runs = self.runs()
        return runs[0].metric_info() if runs else Metrics()

    def _each(self, method, *args, **kwargs):
        runs = self.runs()
        if not runs:
            raise FormatError(f"{self.path}: a {self.kind} file without run groups has no {method}()")
        return _concat(getattr(r, method)(*args, **kwargs) for r in runs)

    @property
    def replication_status(self):
        """The run's `/replication_status`; for other kinds, a dict per run group."""
        if self.kind == "run":
            return self._run.replication_status
        return {tuple(r.labels.values())[-1]: r.replication_status for r in self.runs()}

    def trajectories(self, metrics=None, wide=False):
        return self._each("trajectories", metrics, wide)

    def program_trajectories(self, metrics=None, wide=False):
        return self._each("program_trajectories", metrics, wide)

    def totals(self):
        return self._each("totals")

    def program_totals(self):
        return self._each("program_totals")

    def kpis(self):
        return self._each("kpis")

    def summaries(self):
        return self._each("summaries")

    def total_summaries(self):
        return self._each("total_summaries")

    def parameters(self):
        return self._each("parameters")

    def parameter_info(self):
        return self._each("parameter_info")

    def events(self):
        return self._each("events")

    # ---- compare ------------------------------------------------------------

    def _require(self, f, name, command):
        if name not in f:
            raise FormatError(f"{self.path}: /{name} is missing: not a `wfsim {command}` file")
        return f[name]

    def base_scenario(self):
        """The base of a comparison: the `base` attribute of the root or of
        /comparison if present, else the one scenario that is no policy."""
        with _File(self.path) as f:
            comparison = self._require(f, "comparison", "compare")
            for attrs in (comparison.attrs, f.attrs):
                for name in ("base", "base_scenario"):
                    if name in attrs:
                        return _python_value(attrs[name])
            policies = set(comparison.keys())
        candidates = [n for n in self._scenario_names if n not in policies]
        if len(candidates) != 1:
            raise FormatError(
                f"{self.path}: cannot tell the base scenario: no `base` attribute and "
                f"{len(candidates)} scenarios under /scenarios are not policies"
            )
        return candidates[0]

    def policies(self):
        with _File(self.path) as f:
            return list(self._require(f, "comparison", "compare").keys())

    def comparison(self):
        """Per policy and KPI: base, policy, kpi, n, base_mean, policy_mean,
        difference (mean of the paired differences stored in
        /comparison/<policy>/<kpi>), sd, ci_low, ci_high (95% Student t),
        over the replications committed in both scenarios."""
        base = self.base_scenario()
        base_run = self.scenario(base) if base in self._scenario_names else None
        base_totals = base_run.totals() if base_run else None
        records = []
        with _File(self.path) as f:
            comparison = self._require(f, "comparison", "compare")
            for policy in comparison.keys():
                group = comparison[policy]
                if not isinstance(group, h5py.Group):
                    continue
                policy_run = self.scenario(policy) if policy in self._scenario_names else None
                policy_totals = policy_run.totals() if policy_run else None
                for kpi in group.keys():
                    node = group[kpi]
                    if kpi == "roi" or not isinstance(node, h5py.Dataset) or node.ndim != 1:
                        continue
                    differences = node[()].astype(float)
                    if not self.include_uncommitted:
                        keep = np.ones(len(differences), bool)
                        for run in (base_run, policy_run):
                            if run is not None and len(run.replication_status) == len(keep):
                                keep &= run.replication_status == 1
                        differences = differences[keep]
                    n, mean, sd, low, high = mean_interval(differences)
                    records.append(
                        {
                            "base": base,
                            "policy": policy,
                            "kpi": kpi,
                            "n": n,
                            "base_mean": _column_mean(base_totals, kpi),
                            "policy_mean": _column_mean(policy_totals, kpi),
                            "difference": mean,
                            "sd": sd,
                            "ci_low": low,
                            "ci_high": high,
                        }
                    )
        columns = ["base", "policy", "kpi", "n", "base_mean", "policy_mean", "difference",
                   "sd", "ci_low", "ci_high"]
        return pd.DataFrame.from_records(records, columns=columns)

    def differences(self):
        """The paired differences per replication: policy, replication, then
        one column per KPI."""
        parts = []
        with _File(self.path) as f:
            comparison = self._require(f, "comparison", "compare")
            for policy in comparison.keys():
                group = comparison[policy]
                data = {}
                for kpi in group.keys():
                    node = group[kpi]
                    if kpi != "roi" and isinstance(node, h5py.Dataset) and node.ndim == 1:
                        data[kpi] = node[()]
                frame = pd.DataFrame(data)
                frame.insert(0, "replication", np.arange(len(frame)))
                frame.insert(0, "policy", policy)
                if not self.include_uncommitted and policy in self._scenario_names:
                    status = self.scenario(policy).replication_status
                    base = self.base_scenario()
                    if base in self._scenario_names:
                        status = status & self.scenario(base).replication_status
                    if len(status) == len(frame):
                        frame = frame[status == 1]
                parts.append(frame)
        return _concat(parts).reset_index(drop=True)

    def roi(self):
        """ROI per policy from /comparison/<policy>/roi: policy, roi,
        ci_low, ci_high (NaN where the file stores none, e.g. "n/a"), and
        any further attribute of the dataset as a column."""
        records = []
        with _File(self.path) as f:
            comparison = self._require(f, "comparison", "compare")
            for policy in comparison.keys():
                if "roi" not in comparison[policy]:
                    raise FormatError(f"{self.path}: /comparison/{policy}/roi is missing")
                records.append({"policy": policy, **_roi_record(comparison[policy]["roi"])})
        frame = pd.DataFrame.from_records(records)
        for column in ("roi", "ci_low", "ci_high"):
            if column not in frame:
                frame[column] = np.nan
        first = ["policy", "roi", "ci_low", "ci_high"]
        return frame[first + [c for c in frame.columns if c not in first]]

    # ---- sweep and sensitivity ----------------------------------------------

    def sweep_table(self):
        """/sweep/table as written: point values and KPI means with CIs."""
        with _File(self.path) as f:
            sweep = self._require(f, "sweep", "sweep")
            if "table" not in sweep:
                raise FormatError(f"{self.path}: /sweep/table is missing")
            return _table_frame(sweep["table"], "/sweep/table")

    def sensitivity_table(self):
        """/sensitivity/table as written: path, −Δ and +Δ KPI means."""
        with _File(self.path) as f:
            sensitivity = self._require(f, "sensitivity", "sensitivity")
            if "table" not in sensitivity:
                raise FormatError(f"{self.path}: /sensitivity/table is missing")
            return _table_frame(sensitivity["table"], "/sensitivity/table")


def _column_mean(frame, column):
    if frame is None or column not in frame:
        return np.nan
    values = frame[column].to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else np.nan


def _roi_record(node):
    record = {}
    if isinstance(node, h5py.Group):
        for name in node.keys():
            child = node[name]
            if isinstance(child, h5py.Dataset) and child.shape == ():
                record[name if name != "estimate" else "roi"] = _number(child[()])
        source = node
    else:
        value = node[()]
        if node.dtype.names:
            row = value if value.shape == () else value[0]
            for name in node.dtype.names:
                record[name if name != "estimate" else "roi"] = _number(row[name])
        elif np.ndim(value) == 0:
            record["roi"] = _number(value)
        else:
            flat = np.asarray(value).reshape(-1)
            for name, v in zip(("roi", "ci_low", "ci_high"), flat):
                record[name] = _number(v)
        source = node
    for name, value in _attributes(source).items():
        name = name if name != "estimate" else "roi"
        record.setdefault(name, _number(value) if name in ("roi", "ci_low", "ci_high") else value)
    return record


def _number(value):
    value = _python_value(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return np.nan
    return value


def open(path, include_uncommitted=False):  # noqa: A001 - mirrors h5py.File / io.open
    """Opens any wfsim results file (run, compare, sweep, sensitivity)."""
    return ResultsFile(path, include_uncommitted=include_uncommitted)


load = open
