"""Charts of wfsim results, shared by `wfsim report` and the notebooks.

Every function takes the reader's frames and returns a matplotlib Figure. The
figures are made without pyplot, so no window opens and no global state is
kept: a notebook shows a returned Figure, a script saves it
(`figure.savefig("chart.png")`).

    import wfsim
    from wfsim import plots
    results = wfsim.open("compare.h5")
    plots.role_fan_grid(results.summaries(), "headcount")
    plots.difference_chart(results.comparison())

Labels and units come from `metrics`, a `labels.Metrics` of the file
(`results.metric_info()`); without it, a metric is labelled by its name and
has no unit.

Fans show the mean over replications as a line and the 5–95% range of the
replications as a band. Money is drawn in US$ millions (billions for sums
from 5 billion up); time in calendar years when the scenario has a
`start_year`, else in years since the start.
"""

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import labels
from .labels import Metrics
from .stats import quantile_bands, summed_paths

# Colour-blind-safe (Okabe and Ito); the base scenario is always the first.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
          "#F0E442"]
BAND_ALPHA = 0.2
BAND_NOTE = "line: mean over replications; band: 5–95% of replications"


def color(index):
    return COLORS[index % len(COLORS)]


def _new_figure(width, height):
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return figure


def _plain_number(value, _position=None):
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}"


def _mathless(text):
    """Text with its dollar signs shown as such, not as mathtext delimiters."""
    return str(text).replace("$", r"\$")


def _year_number(value, _position=None):
    return f"{value:g}"


def _style(ax, ylabel=None, xlabel=None):
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.yaxis.set_major_formatter(FuncFormatter(_plain_number))
    if ylabel:
        ax.set_ylabel(_mathless(ylabel))
    if xlabel:
        ax.set_xlabel(_mathless(xlabel))


def _time_label(start_year):
    return "Year" if start_year is not None else "Years since start"


def _x(time, start_year):
    time = np.asarray(time, dtype=float)
    return time + start_year if start_year is not None else time


def _groups(frame, column, order=None):
    """The values of `column` in the frame, in the order of `order` (the
    full list that fixes each one's colour) when given."""
    if column is None or column not in frame:
        return [None]
    present = list(dict.fromkeys(frame[column].tolist()))
    if order is None:
        return present
    return [name for name in order if name in present] + [n for n in present if n not in order]


def _colour_of(name, names, order=None):
    if order is not None and name in order:
        return color(list(order).index(name))
    return color(names.index(name))


def _draw_fan(ax, band, colour, label, scale, start_year):
    band = band.sort_values("time")
    x = _x(band["time"], start_year)
    ax.fill_between(x, band["p05"] / scale, band["p95"] / scale, color=colour, alpha=BAND_ALPHA,
                    linewidth=0)
    ax.plot(x, band["mean"] / scale, color=colour, linewidth=1.8, label=label)


def _fan_handles(names, order=None):
    handles = [Line2D([], [], color=_colour_of(name, names, order), linewidth=2, label=str(name))
               for name in names if name is not None]
    handles.append(Patch(color="#888888", alpha=BAND_ALPHA + 0.1, label="5–95% of replications"))
    return handles


def _panels(figure, rows, columns, panel_height, legend_height=0.0, sharex=False):
    """rows × columns axes below an optional legend strip that spans the
    width (matplotlib 3.6's constrained layout does not place figure
    legends)."""
    ratios = ([legend_height] if legend_height else []) + [panel_height] * rows
    grid = figure.add_gridspec(len(ratios), columns, height_ratios=ratios)
    legend_ax = None
    offset = 0
    if legend_height:
        legend_ax = figure.add_subplot(grid[0, :])
        legend_ax.axis("off")
        offset = 1
    axes = [[None] * columns for _ in range(rows)]
    first = None
    for r in range(rows):
        for c in range(columns):
            axes[r][c] = figure.add_subplot(grid[r + offset, c],
                                            sharex=first if sharex else None)
            first = first or axes[r][c]
    return legend_ax, axes


def _legend(legend_ax, handles, columns=4):
    legend_ax.legend(handles=handles, loc="center", ncols=min(len(handles), columns),
                     frameon=False, fontsize=9)


def money_unit(values):
    """(divisor, unit label) for amounts like `values`."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    return labels.money_scale(float(np.abs(finite).max()) if finite.size else 0.0)


def _zero_floor(ax, bands, from_zero):
    """Counts that are zero everywhere get a plain 0..1 axis and a note
    instead of matplotlib's ±0.04; `from_zero` starts the axis at 0."""
    values = bands[["p05", "p95", "mean"]].to_numpy(dtype=float)
    if values.size and np.nanmax(np.abs(values)) == 0:
        ax.set_ylim(0, 1)
        ax.text(0.5, 0.5, "zero in every replication", transform=ax.transAxes, ha="center",
                va="center", color="#555555")
    elif from_zero and values.size and np.nanmin(values) >= 0:
        ax.set_ylim(bottom=0)


def fan_chart(bands, title, ylabel, group="scenario", start_year=None, scale=1.0,
              width=9.0, height=3.6, order=None, from_zero=False):
    """One fan per value of `group` (one fan when the frame has no such
    column). `bands`: columns time, mean, p05, p95 (a `quantile_bands`
    frame, or rows of `summaries()`); values are divided by `scale`.
    `order` lists every group value to give each the same colour in every
    chart; `from_zero` starts the vertical axis at 0."""
    figure = _new_figure(width, height)
    ax = figure.add_subplot()
    names = _groups(bands, group, order)
    for name in names:
        part = bands if name is None else bands[bands[group] == name]
        _draw_fan(ax, part, _colour_of(name, names, order), name, scale, start_year)
    ax.set_title(title, loc="left", fontweight="bold")
    _style(ax, ylabel, _time_label(start_year))
    _zero_floor(ax, bands, from_zero)
    ax.legend(handles=_fan_handles(names, order), frameon=False, fontsize=9, loc="best")
    return figure


def fan_grid(summaries, metric, kind="role", names=None, titles=None, ylabel=None, title=None,
             group="scenario", start_year=None, scale=1.0, columns=3, order=None, metrics=None):
    """Small multiples: one panel per role (or program) of `summaries()`
    rows of `metric`, one fan per value of `group` in each panel, each panel
    with its own vertical scale. `titles` maps ids to display names."""
    rows = summaries[(summaries["metric"] == metric) & (summaries["kind"] == kind)]
    if names is None:
        names = list(dict.fromkeys(rows["name"].tolist()))
    titles = titles or {}
    info = (metrics or Metrics()).info(
        metric, "trajectories" if kind == "role" else "program_trajectories")
    ylabel = ylabel if ylabel is not None else labels.unit_text(info.unit)
    columns = max(1, min(columns, len(names)))
    grid_rows = max(1, math.ceil(len(names) / columns))
    figure = _new_figure(3.4 * columns, 2.3 * grid_rows + 1.0)
    groups = _groups(rows, group, order)
    legend_ax, axes = _panels(figure, grid_rows, columns, 2.3, 0.3, sharex=True)
    for index, name in enumerate(names):
        ax = axes[index // columns][index % columns]
        panel = rows[rows["name"] == name]
        for value in groups:
            part = panel if value is None else panel[panel[group] == value]
            if len(part):
                _draw_fan(ax, part, _colour_of(value, groups, order), value, scale, start_year)
        shown = titles.get(name, name)
        ax.set_title(shown if len(shown) <= 40 else shown[:38] + "…", fontsize=9, loc="left")
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.tick_params(labelsize=8)
        _style(ax)
        if index % columns == 0:
            ax.set_ylabel(_mathless(ylabel), fontsize=9)
        if index // columns == grid_rows - 1 or index + columns >= len(names):
            ax.set_xlabel(_time_label(start_year), fontsize=9)
            ax.tick_params(labelbottom=True)
    for index in range(len(names), grid_rows * columns):
        axes[index // columns][index % columns].set_visible(False)
    figure.suptitle(title or f"{info.label} by {kind}", x=0.01, ha="left", fontweight="bold")
    _legend(legend_ax, _fan_handles(groups, order))
    return figure


def role_fan_grid(summaries, metric="headcount", **options):
    """`fan_grid` of a role metric (headcount, vacancies, displaced, ...)."""
    return fan_grid(summaries, metric, kind="role", **options)


def program_fan_grid(summaries, metric="enrolled", **options):
    """`fan_grid` of a program metric (enrolled, enrollments, completions, ...)."""
    return fan_grid(summaries, metric, kind="program", **options)


def total_bands(trajectories, metric, by=("scenario",), cumulative=False, per_year=False):
    """Quantile bands of `metric` summed over roles or programs in each
    replication (from a wide trajectory frame): the band of the total, not
    the sum of the bands. `cumulative`: a running total of a flow;
    `per_year`: a flow divided by the length of its interval (snapshot 0,
    which holds no flow, is dropped)."""
    paths = summed_paths(trajectories, metric, by=by, cumulative=cumulative)
    if per_year:
        times = np.sort(paths["time"].unique())
        lengths = dict(zip(times[1:], np.diff(times)))
        paths = paths[paths["time"] > times[0]].copy()
        paths[metric] = paths[metric] / paths["time"].map(lengths)
    return quantile_bands(paths, metric, by=by)


def total_fan_chart(trajectories, metric, title, ylabel=None, cumulative=False, per_year=False,
                    money=False, group="scenario", start_year=None, order=None,
                    from_zero=False, metrics=None):
    """A fan of `metric` summed over roles or programs per replication (see
    `total_bands`); `money=True` draws US$ millions or billions."""
    by = (group,) if group in trajectories else ()
    bands = total_bands(trajectories, metric, by=by, cumulative=cumulative, per_year=per_year)
    scale = 1.0
    if money:
        scale, unit = money_unit(bands["p95"])
        ylabel = unit + (" per year" if per_year else "")
    else:
        ylabel = ylabel or labels.unit_text((metrics or Metrics()).trajectory_info(metric).unit)
    return fan_chart(bands, title, ylabel, group=group if by else None, start_year=start_year,
                     scale=scale, order=order, from_zero=from_zero)


def _interval_text(value, low, high, scale, decimals=None):
    def f(x):
        return labels.format_number(x / scale, decimals)

    if not (math.isfinite(low) and math.isfinite(high)):
        return f"{f(value)}"
    return f"{f(value)} [{f(low)}, {f(high)}]"


def _limits_with_zero(rows, scale):
    """x limits that show 0 and every interval of `rows`, with room for the
    labels above the points."""
    values = rows[["difference", "ci_low", "ci_high"]].to_numpy(dtype=float) / scale
    values = values[np.isfinite(values)]
    low, high = min(0.0, values.min(initial=0.0)), max(0.0, values.max(initial=0.0))
    pad = 0.3 * (high - low) if high > low else 1.0
    return low - pad, high + pad


def difference_chart(comparison, kpis=None, columns=3, title=None, metrics=None):
    """Paired differences (policy − base) with their 95% CIs, one small
    panel per KPI (each with its own scale and a zero line), one row per
    policy. `comparison`: the frame of `ResultsFile.comparison()`."""
    metrics = metrics or Metrics()
    kpis = kpis or [k for k in metrics.headline_kpis() + ["exits", "enrollments", "placements",
                                                          "hiring_cost", "vacancy_cost",
                                                          "mentoring_cost"]
                    if k in set(comparison["kpi"])]
    kpis = list(dict.fromkeys(kpis))
    policies = list(dict.fromkeys(comparison["policy"].tolist()))
    columns = max(1, min(columns, len(kpis)))
    grid_rows = math.ceil(len(kpis) / columns)
    panel_height = 0.75 + 0.38 * len(policies)
    figure = _new_figure(3.6 * columns, panel_height * grid_rows + 0.8)
    _, axes = _panels(figure, grid_rows, columns, panel_height)
    for index, kpi in enumerate(kpis):
        ax = axes[index // columns][index % columns]
        rows = comparison[comparison["kpi"] == kpi].set_index("policy")
        unit = labels.unit_text(metrics.unit(kpi))
        scale = 1.0
        if metrics.is_money(kpi):
            scale, unit = money_unit(rows[["ci_low", "ci_high", "difference"]].to_numpy())
        for position, policy in enumerate(reversed(policies)):
            if policy not in rows.index:
                continue
            row = rows.loc[policy]
            value, low, high = row["difference"] / scale, row["ci_low"] / scale, row["ci_high"] / scale
            error = [[max(value - low, 0.0)], [max(high - value, 0.0)]] if math.isfinite(low) else None
            ax.errorbar([value], [position], xerr=error, fmt="o",
                        color=color(policies.index(policy) + 1), capsize=4, markersize=5)
            ax.annotate(_interval_text(row["difference"], row["ci_low"], row["ci_high"], scale),
                        (value, position), xytext=(0, 6), textcoords="offset points",
                        ha="center", fontsize=8)
        ax.axvline(0, color="#555555", linewidth=0.8)
        if len(policies) > 1:
            ax.set_yticks(range(len(policies)))
            ax.set_yticklabels(list(reversed(policies)), fontsize=8)
        else:
            ax.set_yticks([])
        ax.set_ylim(-0.6, len(policies) - 0.2)
        ax.set_xlim(*_limits_with_zero(rows, scale))
        label = metrics.label(kpi)
        ax.set_title(label if len(label) <= 40 else metrics.short_label(kpi), fontsize=9,
                     loc="left")
        ax.set_xlabel(_mathless(f"difference, {unit}"), fontsize=8)
        ax.tick_params(labelsize=8)
        ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
        ax.xaxis.set_major_formatter(FuncFormatter(_plain_number))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
    for index in range(len(kpis), grid_rows * columns):
        axes[index // columns][index % columns].set_visible(False)
    base = comparison["base"].iloc[0] if len(comparison) else "base"
    figure.suptitle(title or f"Paired differences, policy − {base}: mean and 95% CI",
                    x=0.01, ha="left", fontweight="bold")
    return figure


def roi_chart(roi, title=None):
    """ROI per policy with its 95% bootstrap CI (`ResultsFile.roi()`), with
    the break-even (0) and no-saving (−1) lines."""
    policies = roi["policy"].tolist()
    figure = _new_figure(8.0, 1.3 + 0.5 * len(policies))
    ax = figure.add_subplot()
    for position, (_, row) in enumerate(roi.iloc[::-1].iterrows()):
        value, low, high = row["roi"], row["ci_low"], row["ci_high"]
        index = policies.index(row["policy"])
        if not math.isfinite(value):
            ax.annotate("n/a: the extra investment is not significantly different from 0",
                        (0, position), ha="center", fontsize=8)
            continue
        error = [[value - low], [high - value]] if math.isfinite(low) else None
        ax.errorbar([value], [position], xerr=error, fmt="o", color=color(index + 1),
                    capsize=4, markersize=6)
        ax.annotate(_interval_text(value, low, high, 1.0, decimals=3), (value, position),
                    xytext=(0, 7), textcoords="offset points", ha="center", fontsize=9)
    ax.axvline(0, color="#009E73", linewidth=1, linestyle="--")
    ax.axvline(-1, color="#D55E00", linewidth=1, linestyle=":")
    left, right = ax.get_xlim()
    ax.set_xlim(min(left, -1.15), max(right, 0.15))
    ax.text(0, len(policies) - 0.45, " break-even", color="#009E73", fontsize=8, va="top")
    ax.text(-1, len(policies) - 0.45, " nothing saved", color="#D55E00", fontsize=8, va="top")
    ax.set_yticks(range(len(policies)))
    ax.set_yticklabels(list(reversed(policies)), fontsize=9)
    ax.set_ylim(-0.6, len(policies) - 0.3)
    ax.set_xlabel(_mathless("US$ of net saving per extra US$ invested in programs and mentoring"))
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title or "Return on the extra investment (ROI) with 95% bootstrap CI", loc="left",
                 fontweight="bold")
    return figure


def sweep_parameters(table):
    """The varied paths of a `/sweep/table`: its columns between `point` and
    `replications`."""
    columns = list(table.columns)
    start = columns.index("point") + 1 if "point" in columns else 0
    end = columns.index("replications") if "replications" in columns else start
    return columns[start:end]


def sweep_chart(table, kpis=None, x=None, by=None, columns=2, title=None, metrics=None):
    """KPI means with 95% CI error bars against a varied parameter, one panel
    per KPI. `table`: `ResultsFile.sweep_table()`. `x` defaults to the first
    varied path; `by` (default: the second, if it takes at most 8 values)
    draws one line per value."""
    parameters = sweep_parameters(table)
    x = x or parameters[0]
    if by is None:
        others = [p for p in parameters if p != x]
        by = others[0] if others and table[others[0]].nunique() <= 8 else None
    metrics = metrics or Metrics()
    available = [k[: -len("_mean")] for k in table.columns if k.endswith("_mean")]
    if kpis is None:
        # KPIs that are zero at every point say nothing here.
        kpis = [k for k in metrics.headline_kpis()
                if k in available and table[f"{k}_mean"].abs().max() > 0]
    kpis = [k for k in kpis if k in available]
    columns = max(1, min(columns, len(kpis)))
    grid_rows = math.ceil(len(kpis) / columns)
    lines = _groups(table, by)
    figure = _new_figure(4.6 * columns, 2.9 * grid_rows + (1.2 if lines != [None] else 0.9))
    legend_ax, axes = _panels(figure, grid_rows, columns, 2.9, 0.3 if lines != [None] else 0.0)
    for index, kpi in enumerate(kpis):
        ax = axes[index // columns][index % columns]
        unit = labels.unit_text(metrics.unit(kpi))
        scale = 1.0
        if metrics.is_money(kpi):
            scale, unit = money_unit(table[f"{kpi}_ci_high"])
        for i, value in enumerate(lines):
            part = table if value is None else table[table[by] == value]
            part = part.sort_values(x)
            mean = part[f"{kpi}_mean"].to_numpy() / scale
            low = part[f"{kpi}_ci_low"].to_numpy() / scale
            high = part[f"{kpi}_ci_high"].to_numpy() / scale
            ax.errorbar(part[x], mean, yerr=[mean - low, high - mean], fmt="o-" if value is not None or part[x].is_unique else "o",
                        color=color(i), capsize=3, markersize=4, linewidth=1.2,
                        label=None if value is None else f"{by} = {value:g}")
        ax.set_title(metrics.short_label(kpi), fontsize=10, loc="left")
        _style(ax, unit, x)
        ax.xaxis.set_major_formatter(FuncFormatter(_plain_number))
        ax.xaxis.label.set_size(8)
        ax.tick_params(labelsize=8)
    for index in range(len(kpis), grid_rows * columns):
        axes[index // columns][index % columns].set_visible(False)
    if lines != [None]:
        handles, _ = axes[0][0].get_legend_handles_labels()
        _legend(legend_ax, handles)
    figure.suptitle(title or "KPIs across the sweep: mean and 95% CI per point",
                    x=0.01, ha="left", fontweight="bold")
    return figure


def tornado_chart(table, kpi, delta=None, ax=None, title=None, metrics=None):
    """Tornado of one KPI from `/sensitivity/table`
    (`ResultsFile.sensitivity_table()`): per path, the KPI mean with the path
    at −Δ and at +Δ, as bars from the base mean; largest swing on top."""
    base = float(table[f"{kpi}_base"].iloc[0])
    rows = table.assign(
        swing=(table[f"{kpi}_plus"] - table[f"{kpi}_minus"]).abs()).sort_values("swing")
    metrics = metrics or Metrics()
    unit = labels.unit_text(metrics.unit(kpi))
    scale = 1.0
    if metrics.is_money(kpi):
        scale, unit = money_unit(rows[[f"{kpi}_minus", f"{kpi}_plus"]].to_numpy())
    figure = None
    if ax is None:
        figure = _new_figure(8.5, 1.2 + 0.42 * len(rows))
        ax = figure.add_subplot()
    step = "Δ" if delta is None else f"{float(delta):.0%}"
    positions = np.arange(len(rows))
    minus = rows[f"{kpi}_minus"].to_numpy() / scale - base / scale
    plus = rows[f"{kpi}_plus"].to_numpy() / scale - base / scale
    ax.barh(positions, minus, left=base / scale, height=0.6, color=COLORS[0],
            label=f"parameter −{step}")
    ax.barh(positions, plus, left=base / scale, height=0.6, color=COLORS[1], alpha=0.85,
            label=f"parameter +{step}")
    ax.axvline(base / scale, color="#333333", linewidth=1)
    ax.set_yticks(positions)
    ax.set_yticklabels(rows["path"].tolist(), fontsize=8)
    ax.set_xlabel(_mathless(f"{unit} (base mean {labels.format_number(base / scale)})"))
    ax.xaxis.set_major_formatter(FuncFormatter(_plain_number))
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title or metrics.short_label(kpi), loc="left", fontweight="bold")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return figure if figure is not None else ax.figure


# Events that give the role an agent holds afterwards (placements and
# redeployments name the destination; a transfer names the role left).
_ROLE_AFTER = {"hire", "placement", "redeployment", "enrolment", "completion", "dropout",
               "displacement", "pairing_start", "pairing_end"}
_MARKERS = {"hire": ("o", "#000000"), "enrolment": ("^", "#0072B2"),
            "completion": ("*", "#009E73"), "dropout": ("x", "#D55E00"),
            "placement": ("D", "#009E73"), "transfer": (">", "#555555"),
            "displacement": ("v", "#D55E00"), "redeployment": ("s", "#555555"),
            "exit": ("|", "#000000"), "layoff": ("X", "#D55E00")}


def career_segments(events, horizon):
    """Per agent of an `events()` frame, the stretches of time spent in each
    role: columns replication, agent, role, start, end. Agents whose first
    event is not a hire were employed at time 0; the role held after a
    transfer is the one the next event names."""
    records = []
    people = events[events["agent"] != 0].sort_values(["replication", "agent", "time"])
    for (replication, agent), rows in people.groupby(["replication", "agent"], sort=False):
        kinds, roles, times = rows["event"].tolist(), rows["role"].tolist(), rows["time"].tolist()
        start = 0.0 if kinds[0] != "hire" else times[0]
        role = roles[0]
        for i, kind in enumerate(kinds):
            if kind in ("exit", "layoff"):
                records.append((replication, agent, role, start, times[i]))
                break
            following = roles[i + 1] if i + 1 < len(roles) else role
            new_role = roles[i] if kind in _ROLE_AFTER else following if kind == "transfer" else role
            if new_role != role or i == 0:
                if times[i] > start:
                    records.append((replication, agent, role, start, times[i]))
                    start = times[i]
                role = new_role
        else:
            records.append((replication, agent, role, start, horizon))
    return pd.DataFrame.from_records(
        records, columns=["replication", "agent", "role", "start", "end"])


def career_chart(events, agents, horizon, role_names=None, start_year=None, title=None):
    """Timelines of chosen agents from an `events()` frame: one line per
    agent coloured by the role held, markers at hires, enrolments,
    completions, placements, exits and other events."""
    events = events[events["agent"].isin(agents)]
    segments = career_segments(events, horizon)
    role_names = role_names or {}
    roles = list(dict.fromkeys(segments["role"].tolist()))
    figure = _new_figure(10, 1.4 + 0.32 * len(agents))
    ax = figure.add_subplot()
    order = {agent: position for position, agent in enumerate(reversed(list(agents)))}
    for row in segments.itertuples():
        ax.plot(_x([row.start, row.end], start_year), [order[row.agent]] * 2,
                color=color(roles.index(row.role)), linewidth=5, solid_capstyle="butt")
    shown = set()
    for row in events.itertuples():
        marker = _MARKERS.get(row.event)
        if marker is None or row.agent not in order:
            continue
        ax.plot(_x([row.time], start_year), [order[row.agent]], marker=marker[0],
                color=marker[1], markersize=7, linestyle="none",
                markeredgecolor="white" if marker[0] not in "|x" else marker[1],
                label=row.event if row.event not in shown else None)
        shown.add(row.event)
    handles = [Line2D([], [], color=color(i), linewidth=5, label=role_names.get(r, r))
               for i, r in enumerate(roles)]
    handles += [Line2D([], [], marker=_MARKERS[e][0], color=_MARKERS[e][1], linestyle="none",
                       label=e) for e in _MARKERS if e in shown]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              fontsize=8)
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([f"agent {a}"[:22] for a in reversed(list(agents))], fontsize=7)
    ax.set_xlabel(_time_label(start_year))
    ax.xaxis.set_major_formatter(FuncFormatter(_year_number))
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
    ax.set_title(title or "Careers of individual employees", loc="left", fontweight="bold")
    return figure
