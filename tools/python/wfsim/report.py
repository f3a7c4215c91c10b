"""The HTML report of a wfsim results file (run, compare, sweep or
sensitivity): one self-contained page, charts embedded as PNG data URIs,
styles inline, no external reference, printable to PDF from a browser.

    python -m wfsim.report RESULTS.h5 -o report.html      # or: wfsim report RESULTS.h5

The page holds the scenario's assumptions, the KPI table with 95% CIs, fan
charts of headcount by role, vacancies, displaced workers, program enrolment
and completions, spend and cumulative cost; for a comparison, the paired
differences and the ROI; for a sweep, KPIs against the varied parameters;
for a sensitivity file, tornado charts. Every KPI cell carries its full
value in `data-value` so that the page can be checked against the file.
"""

import argparse
import base64
import datetime
import html
import io
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402 (after the backend is chosen)
import yaml  # noqa: E402

from . import labels, plots  # noqa: E402
from .reader import FormatError, Results, ResultsFile  # noqa: E402
from .stats import quantile_bands  # noqa: E402

# At most this many sweep points are drawn in the fan charts of a sweep.
MAX_SWEEP_FANS = 5
PNG_DPI = 110

STYLE = """
:root { --ink: #1d2330; --muted: #5b6473; --rule: #d9dde3; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; }
h1 { font-size: 1.7em; margin: 0 0 4px; }
h2 { font-size: 1.3em; margin: 36px 0 10px; padding-bottom: 4px;
     border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.05em; margin: 22px 0 8px; }
p.lead { color: var(--muted); margin: 0 0 12px; }
.meta { color: var(--muted); font-size: 0.88em; }
nav { font-size: 0.9em; margin: 14px 0; }
nav a { color: var(--accent); margin-right: 14px; text-decoration: none; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.88em; }
th, td { padding: 4px 9px; border-bottom: 1px solid var(--rule); text-align: left;
         vertical-align: top; }
th { background: #f2f4f7; font-weight: 600; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.unit { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td .id { color: var(--muted); font-size: 0.85em; }
.better { color: #00734d; } .worse { color: #b34700; }
figure { margin: 12px 0 24px; }
figure img { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.85em; margin-top: 4px; }
.note { color: var(--muted); font-size: 0.88em; }
.glance { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 10px;
          margin: 14px 0 8px; }
.card { background: #f2f6fa; border-left: 4px solid var(--accent); padding: 8px 12px; }
.card .label { color: var(--muted); font-size: 0.82em; }
.card .figure { font-size: 1.45em; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .interval { color: var(--muted); font-size: 0.8em; font-variant-numeric: tabular-nums; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.8em; border-top: 1px solid var(--rule);
         padding-top: 8px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, table, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 14mm; }
}
"""

# No request may leave the page: images are data URIs, styles inline.
CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def escape(text):
    return html.escape(str(text), quote=True)


# ---- values of a scenario --------------------------------------------------


def describe(value):
    """A scenario value (number, piecewise rate, distribution, uncertain
    parameter, list, mapping) as short text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            return f"{int(value):,}"
        return f"{value:,.6g}"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        if value and all(isinstance(v, list) and len(v) == 2 for v in value):
            return "; ".join(f"{describe(v)} from year {describe(t)}" for t, v in value)
        return ", ".join(describe(v) for v in value)
    if isinstance(value, dict):
        if "piecewise" in value:
            return describe(value["piecewise"])
        if "uncertain" in value:
            text = "uncertain: " + describe(value["uncertain"])
            return text + (f" (shared as {value['shared']})" if "shared" in value else "")
        if "dist" in value:
            rest = ", ".join(f"{k} {describe(v)}" for k, v in value.items() if k != "dist")
            return f"{value['dist']} ({rest})"
        return "; ".join(f"{k.replace('_', ' ')}: {describe(v)}" for k, v in value.items())
    return str(value)


def scenario_of(results):
    """The resolved scenario a run group stores, as Python data ({} if none)."""
    text = results.meta.get("scenario_yaml") or ""
    try:
        data = yaml.safe_load(text) if text else {}
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def role_names(scenario):
    return {r.get("id"): r.get("name", r.get("id")) for r in scenario.get("roles", [])}


def program_names(scenario):
    return {p.get("id"): p.get("name", p.get("id")) for p in scenario.get("programs", [])}


# ---- HTML pieces -----------------------------------------------------------


def table(headers, rows, numeric=(), caption=None):
    """An HTML table; `rows` hold cells as text or (html, attributes) pairs."""
    head = "".join(
        f'<th class="num">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
        for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            klass = ' class="num"' if i in numeric else ""
            if isinstance(cell, tuple):
                content, attributes = cell
                extra = "".join(f' {k}="{escape(v)}"' for k, v in attributes.items())
                cells.append(f"<td{klass}{extra}>{content}</td>")
            else:
                cells.append(f"<td{klass}>{escape(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def value_cell(value, kpi, attributes, scale=1.0):
    """A KPI figure: the rounded text shown (in units of `scale`), the full
    value in data-value."""
    shown = labels.format_number(value / scale)
    return (escape(shown), {"data-kpi": kpi, "data-value": repr(float(value)),
                            "data-scale": repr(scale), **attributes})


def kpi_name_cell(metrics, kpi):
    return (f"{escape(metrics.label(kpi))} <span class=\"id\">{escape(kpi)}</span>", {})


def unit_of(metrics, kpi):
    """(divisor, unit) of a KPI in tables: money in US$ millions throughout,
    so that figures of one table compare at a glance."""
    if metrics.is_money(kpi):
        return 1e6, "US$ millions"
    return 1.0, labels.unit_text(metrics.unit(kpi))


def figure_html(figure, caption):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>")


# ---- sections --------------------------------------------------------------


def assumptions_section(named_runs, file_meta):
    """The scenario's assumptions: general settings (one column per
    scenario), then roles, programs, budget and mentoring of the first
    scenario and of every other whose differ."""
    scenarios = [(name, scenario_of(results), results) for name, results in named_runs]
    parts = ["<h2 id=\"assumptions\">Assumptions</h2>"]
    for name, scenario, _ in scenarios:
        if scenario.get("description"):
            prefix = f"<strong>{escape(name)}</strong>: " if len(scenarios) > 1 else ""
            parts.append(f'<p class="lead">{prefix}{escape(scenario["description"].strip())}</p>')
    settings = [
        ("Horizon (years)", lambda s, r: describe(s.get("horizon_years", ""))),
        ("Start year", lambda s, r: str(s.get("start_year", "—"))),
        ("Snapshots per year", lambda s, r: describe(s.get("snapshots_per_year", ""))),
        ("Seed", lambda s, r: str(r.meta.get("seed", s.get("seed", "")))),
        ("Replications (committed of run)",
         lambda s, r: f"{r.replications_committed:,} of {len(r.replication_status):,}"),
        ("Roles", lambda s, r: str(len(s.get("roles", [])))),
        ("Employees at start", lambda s, r: labels.format_number(
            sum(float(x.get("headcount", 0)) for x in s.get("roles", []) if isinstance(x.get("headcount", 0), (int, float))))),
        ("Programs", lambda s, r: ", ".join(x.get("id", "") for x in s.get("programs", [])) or "none"),
        ("Budget, total (US$)", lambda s, r: describe(s.get("budget", {}).get("total", "none"))),
        ("Mentoring", lambda s, r: "yes" if s.get("mentoring") else "none"),
        ("Automation waves", lambda s, r: "; ".join(
            f"{float(w.get('fraction', 0)):.0%} of {w.get('role')} at year {describe(w.get('at_year'))}"
            for w in s.get("automation_waves", [])) or "none"),
        ("Displacement", lambda s, r: describe(s.get("displacement", "default"))),
    ]
    headers = ["Setting"] + [name for name, _, _ in scenarios]
    rows = [[label] + [get(s, r) for _, s, r in scenarios] for label, get in settings]
    parts.append(table(headers, rows))

    shown = {}
    for name, scenario, _ in scenarios:
        for key, render in (("roles", roles_table), ("programs", programs_table),
                            ("budget", budget_table), ("mentoring", mentoring_table)):
            if not scenario.get(key):
                continue
            if key in shown and shown[key] == scenario[key]:
                continue
            title = {"roles": "Roles", "programs": "Programs", "budget": "Budget",
                     "mentoring": "Mentoring"}[key]
            suffix = f" — {name}" if len(scenarios) > 1 else ""
            parts.append(f"<h3>{title}{escape(suffix)}</h3>" + render(scenario[key]))
            shown[key] = scenario[key]
    if len(scenarios) > 1:
        parts.append('<p class="note">Tables after the first scenario\'s appear only where a '
                     "scenario differs from the one before.</p>")
    return "".join(parts)


def roles_table(roles):
    headers = ["Role", "Headcount", "Vacancies", "Salary (US$/year)", "Attrition (per year)",
               "Automation (per year)", "Growth (per year)", "Hiring cost (US$)",
               "Time to fill (months)"]
    rows = []
    for role in roles:
        hiring = role.get("hiring", {}) if isinstance(role.get("hiring"), dict) else {}
        rows.append([
            (f"{escape(role.get('name', role.get('id')))} <span class=\"id\">{escape(role.get('id'))}</span>", {}),
            describe(role.get("headcount", 0)), describe(role.get("vacancies", 0)),
            describe(role.get("salary", "—")), describe(role.get("attrition", 0)),
            describe(role.get("automation", 0)), describe(role.get("growth", 0)),
            describe(hiring.get("cost", "—")), describe(hiring.get("time_to_fill_months", "—")),
        ])
    return table(headers, rows, numeric={1, 2, 3})


def programs_table(programs):
    headers = ["Program", "Type", "Eligible roles", "Target roles", "Seats", "Enrolment rate "
               "(per eligible employee-year)", "Duration (months)", "Dropout", "Cost (US$)",
               "Active (years)"]
    rows = []
    for program in programs:
        rows.append([
            (f"{escape(program.get('name', program.get('id')))} <span class=\"id\">{escape(program.get('id'))}</span>", {}),
            describe(program.get("type", "")), describe(program.get("eligible_roles", [])),
            describe(program.get("target_roles", "—")), describe(program.get("capacity", "unlimited")),
            describe(program.get("enrollment_rate", "")),
            describe(program.get("duration_months", "")), describe(program.get("dropout", 0)),
            describe(program.get("cost", 0)), _years(program.get("active_years")),
        ])
    return table(headers, rows)


def _years(span):
    if isinstance(span, list) and len(span) == 2:
        return f"{describe(span[0])}–{describe(span[1])}"
    return "whole horizon" if span is None else describe(span)


def budget_table(budget):
    rows = [[key.replace("_", " "), describe(value)] for key, value in budget.items()]
    return table(["Budget", "US$"], rows)


def mentoring_table(mentoring):
    rows = [[key.replace("_", " "), describe(value)] for key, value in mentoring.items()]
    return table(["Mentoring", "Value"], rows)


def kpi_section(named_runs, metrics):
    """Per scenario (or point): every KPI's mean and 95% CI over its
    committed replications."""
    parts = ['<h2 id="kpis">Key performance indicators</h2>',
             '<p class="note">Totals over the horizon per replication; mean and 95% Student t '
             "confidence interval over the committed replications.</p>"]
    for name, results in named_runs:
        kpis = results.kpis()
        rows = []
        for row in kpis.itertuples():
            scale, unit = unit_of(metrics, row.kpi)
            attributes = {"data-scenario": name}
            rows.append([
                kpi_name_cell(metrics, row.kpi), (escape(unit), {"class": "unit"}),
                value_cell(row.mean, row.kpi, {**attributes, "data-stat": "mean"}, scale),
                value_cell(row.ci_low, row.kpi, {**attributes, "data-stat": "ci_low"}, scale),
                value_cell(row.ci_high, row.kpi, {**attributes, "data-stat": "ci_high"}, scale),
                str(row.n),
            ])
        if len(named_runs) > 1:
            parts.append(f"<h3>{escape(name)}</h3>")
        parts.append(table(["KPI", "Unit", "Mean", "95% CI low", "95% CI high", "Replications"],
                           rows, numeric={2, 3, 4, 5}))
    return "".join(parts)


def comparison_section(results, metrics):
    comparison = results.comparison()
    roi = results.roi()
    base = results.base_scenario()
    # The KPIs in the files' order (SPEC order), not the groups' alphabetical one.
    order = {kpi: i for i, kpi in enumerate(results.scenario(base).kpis()["kpi"])}
    comparison = comparison.assign(order=comparison["kpi"].map(order).fillna(len(order)))
    comparison = comparison.sort_values(["order"], kind="stable").drop(columns="order")
    parts = ['<h2 id="comparison">Policies against the base</h2>',
             f'<p class="note">Paired differences policy − {escape(base)}, replication by '
             "replication (common random numbers): mean and 95% Student t confidence interval. "
             "ROI = mean(total cost base − policy) / mean(extra program spend and mentoring "
             "cost); its interval is a paired bootstrap.</p>"]
    rows = []
    for row in roi.itertuples():
        finite = math.isfinite(row.roi)
        rows.append([
            row.policy,
            (escape(labels.format_number(row.roi, 3)) if finite else "n/a",
             {"data-kpi": "roi", "data-policy": row.policy, "data-stat": "roi",
              "data-value": repr(float(row.roi))}),
            (escape(labels.format_number(row.ci_low, 3)) if finite else "",
             {"data-kpi": "roi", "data-policy": row.policy, "data-stat": "ci_low",
              "data-value": repr(float(row.ci_low))}),
            (escape(labels.format_number(row.ci_high, 3)) if finite else "",
             {"data-kpi": "roi", "data-policy": row.policy, "data-stat": "ci_high",
              "data-value": repr(float(row.ci_high))}),
        ])
    parts.append("<h3>Return on investment</h3>")
    parts.append(table(["Policy", "ROI (US$ saved per extra US$ invested)", "95% CI low",
                        "95% CI high"], rows, numeric={1, 2, 3}))
    parts.append(figure_html(plots.roi_chart(roi),
                             "ROI per policy with its 95% bootstrap interval; right of the "
                             "dashed line the policy saves more than it costs."))
    for policy in results.policies():
        part = comparison[comparison["policy"] == policy]
        rows = []
        for row in part.itertuples():
            scale, unit = unit_of(metrics, row.kpi)
            attributes = {"data-policy": policy}
            difference = labels.format_number(row.difference / scale)
            if not difference.startswith("-") and row.difference != 0:
                difference = "+" + difference
            rows.append([
                kpi_name_cell(metrics, row.kpi), (escape(unit), {"class": "unit"}),
                value_cell(row.base_mean, row.kpi, {"data-scenario": base, "data-stat": "mean"},
                           scale),
                value_cell(row.policy_mean, row.kpi, {"data-scenario": policy,
                                                      "data-stat": "mean"}, scale),
                (escape(difference), {"data-kpi": row.kpi, "data-value": repr(float(row.difference)),
                                      "data-scale": repr(scale), "data-stat": "difference",
                                      **attributes}),
                value_cell(row.ci_low, row.kpi, {**attributes, "data-stat": "difference_ci_low"},
                           scale),
                value_cell(row.ci_high, row.kpi, {**attributes, "data-stat": "difference_ci_high"},
                           scale),
                str(row.n),
            ])
        parts.append(f"<h3>{escape(policy)} against {escape(base)}</h3>")
        parts.append(table(["KPI", "Unit", base, policy, "Difference", "95% CI low",
                            "95% CI high", "Pairs"], rows, numeric={2, 3, 4, 5, 6, 7}))
    parts.append(figure_html(plots.difference_chart(comparison, metrics=metrics),
                             "Paired differences of headline KPIs with 95% confidence "
                             "intervals; an interval that does not cross 0 is a real effect."))
    return "".join(parts)


def sweep_section(results, metrics):
    table_frame = results.sweep_table()
    parameters = plots.sweep_parameters(table_frame)
    parts = ['<h2 id="sweep">Sweep</h2>',
             f'<p class="note">Varied: {escape(", ".join(parameters))} '
             f"({escape(results.meta.get('design', 'grid'))}, {len(table_frame)} points). "
             "KPI means over each point's committed replications with 95% CIs; every KPI is "
             "in the file's /sweep/table.</p>"]
    headline = [k for k in metrics.headline_kpis() if f"{k}_mean" in table_frame.columns]
    drawn = [k for k in headline if table_frame[f"{k}_mean"].abs().max() > 0]
    rows = []
    for key in results.points():
        point = results.point(key)
        kpis = point.kpis().set_index("kpi")
        row = [str(key)] + [describe(point.point_values.get(p, "")) for p in parameters]
        row.append(str(point.replications_committed))
        for kpi in headline:
            mean, low, high = kpis.loc[kpi, ["mean", "ci_low", "ci_high"]]
            scale, _ = unit_of(metrics, kpi)
            shown = labels.format_number(mean / scale)
            interval = (f"[{labels.format_number(low / scale)}, "
                        f"{labels.format_number(high / scale)}]")
            row.append((f"{escape(shown)} <span class=\"id\">{escape(interval)}</span>",
                        {"data-kpi": kpi, "data-point": str(key), "data-stat": "mean",
                         "data-value": repr(float(mean)), "data-scale": repr(scale)}))
        rows.append(row)
    headers = ["Point", *parameters, "Replications"]
    for kpi in headline:
        _, unit = unit_of(metrics, kpi)
        headers.append(f"{metrics.short_label(kpi)} ({unit})")
    numeric = set(range(1, len(headers)))
    parts.append(table(headers, rows, numeric=numeric))
    parts.append(figure_html(plots.sweep_chart(table_frame, drawn or headline, metrics=metrics),
                             "Headline KPIs against the varied parameter: mean per point with "
                             "its 95% confidence interval."))
    return "".join(parts)


def sensitivity_section(results, metrics):
    table_frame = results.sensitivity_table()
    delta = results.meta.get("delta")
    try:
        delta = float(delta)
    except (TypeError, ValueError):
        delta = None
    step = f"±{delta:.0%}" if delta is not None else "±Δ"
    parts = ['<h2 id="sensitivity">Sensitivity</h2>',
             f'<p class="note">One parameter at a time moved by {escape(step)} (relative), the '
             "others as in the scenario; common random numbers. Bars run from the base mean to "
             "the mean with the parameter lowered and raised.</p>"]
    headline = [k for k in metrics.headline_kpis() if f"{k}_base" in table_frame.columns]
    for kpi in headline:
        swings = (table_frame[f"{kpi}_plus"] - table_frame[f"{kpi}_minus"]).abs()
        if not (swings > 0).any():
            continue
        parts.append(figure_html(plots.tornado_chart(table_frame, kpi, delta, metrics=metrics),
                                 f"Tornado of {metrics.label(kpi).lower()}: paths by "
                                 "decreasing swing."))
    headers = ["Path", "Base value", "−Δ value", "+Δ value"]
    for kpi in headline:
        scale, unit = unit_of(metrics, kpi)
        headers += [f"{metrics.short_label(kpi)} −Δ ({unit})", "+Δ"]
    rows = []
    for _, row in table_frame.iterrows():
        cells = [row["path"], describe(row["base_value"]), describe(row["minus_value"]),
                 describe(row["plus_value"])]
        for kpi in headline:
            scale, _ = unit_of(metrics, kpi)
            for side in ("minus", "plus"):
                cells.append(value_cell(row[f"{kpi}_{side}"], kpi,
                                        {"data-path": row["path"], "data-stat": side}, scale))
        rows.append(cells)
    parts.append(table(headers, rows, numeric=set(range(1, len(headers)))))
    return "".join(parts)


def _summaries(named_runs):
    """/summary rows of every run, labelled by the report's names; computed
    from the trajectories where a file has no /summary (an interrupted run)."""
    frames = []
    for name, results in named_runs:
        try:
            frame = results.summaries()
        except FormatError:
            frame = _summaries_from_trajectories(results)
        frame = frame.assign(scenario=name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _summaries_from_trajectories(results):
    parts = []
    for kind, frame, entity in (
            ("role", results.trajectories(["headcount", "vacancies", "displaced"]), "role"),
            ("program", results.program_trajectories(["enrolled"]) if results.programs else None,
             "program")):
        if frame is None or frame.empty:
            continue
        bands = quantile_bands(frame, "value", by=("metric", entity))
        parts.append(bands.rename(columns={entity: "name"}).assign(kind=kind))
    return pd.concat(parts, ignore_index=True)


def _wide(named_runs, method, metrics):
    frames = []
    for name, results in named_runs:
        frame = getattr(results, method)(metrics, wide=True)
        frames.append(frame.assign(scenario=name))
    return pd.concat(frames, ignore_index=True)


def charts_section(named_runs, metrics):
    """Fan charts over time of the runs (scenarios, sweep points)."""
    first = scenario_of(named_runs[0][1])
    start_year = first.get("start_year")
    start_year = float(start_year) if isinstance(start_year, (int, float)) else None
    roles = role_names(first)
    programs = {}
    for _, results in named_runs:
        programs.update(program_names(scenario_of(results)))
    order = [name for name, _ in named_runs]
    parts = ['<h2 id="charts">Over time</h2>',
             f'<p class="note">{escape(plots.BAND_NOTE)}.</p>']
    summaries = _summaries(named_runs)
    parts.append(figure_html(
        plots.role_fan_grid(summaries, "headcount", titles=roles, start_year=start_year, order=order,
                            metrics=metrics),
        "Headcount by role, employees: mean and 5–95% band of the replications."))
    roles_wide = _wide(named_runs, "trajectories", ["headcount", "vacancies", "displaced",
                                                    "payroll"])
    parts.append(figure_html(
        plots.total_fan_chart(roles_wide, "headcount", "Total headcount, all roles",
                              start_year=start_year, order=order, metrics=metrics),
        "Headcount summed over roles."))
    parts.append(figure_html(
        plots.total_fan_chart(roles_wide, "vacancies", "Open vacancies, all roles",
                              start_year=start_year, order=order, from_zero=True,
                              metrics=metrics),
        "Vacancies summed over roles at each snapshot."))
    parts.append(figure_html(
        plots.total_fan_chart(roles_wide, "displaced",
                              "Displaced workers awaiting redeployment, all roles",
                              start_year=start_year, order=order, from_zero=True,
                              metrics=metrics),
        "The redeployment pool: employees whose position was automated away."))
    with_programs = [(n, r) for n, r in named_runs if r.programs]
    if with_programs:
        parts.append(figure_html(
            plots.program_fan_grid(summaries, "enrolled", titles=programs,
                                   start_year=start_year, order=order,
                                   title="Participants enrolled by program", metrics=metrics),
            "Participants in each program at each snapshot."))
        programs_wide = _wide(with_programs, "program_trajectories", ["completions", "spend"])
        parts.append(figure_html(
            plots.total_fan_chart(programs_wide, "completions",
                                  "Program completions to date, all programs",
                                  cumulative=True, start_year=start_year, order=order,
                                  metrics=metrics),
            "Cumulative completions summed over programs."))
        parts.append(figure_html(
            plots.total_fan_chart(programs_wide, "spend", "Program spend per year",
                                  per_year=True, money=True, start_year=start_year, order=order,
                                  from_zero=True),
            "Spend of all programs over each snapshot interval, as a yearly rate."))
        parts.append(figure_html(
            plots.total_fan_chart(programs_wide, "spend", "Cumulative program spend",
                                  cumulative=True, money=True, start_year=start_year, order=order),
            "Program spend to date."))
    parts.append(figure_html(
        plots.total_fan_chart(roles_wide, "payroll", "Cumulative payroll cost", cumulative=True,
                              money=True, start_year=start_year, order=order),
        "Salaries paid to date (payroll is reported apart from total cost)."))
    return "".join(parts)


def _card(label, figure, interval=""):
    return (f'<div class="card"><div class="label">{escape(label)}</div>'
            f'<div class="figure">{escape(figure)}</div>'
            f'<div class="interval">{escape(interval)}</div></div>')


def _amount(metrics, kpi, value, signed=False):
    scale, _ = unit_of(metrics, kpi)
    text = labels.format_number(value / scale)
    if signed and value > 0 and text != "0":
        text = "+" + text
    return text


def _glance_label(metrics, kpi, text):
    unit = unit_of(metrics, kpi)[1]
    return f"{text} ({unit})" if unit.startswith("US$") else text


def glance_section(results, runs, metrics):
    """Headline figures first: for a comparison the differences that matter
    to a client and the ROI, for a run its headline KPIs."""
    cards = []
    if results.kind == "compare" and _has_comparison(results):
        comparison = results.comparison().set_index(["policy", "kpi"])
        roi = results.roi().set_index("policy")
        for policy in results.policies():
            suffix = f" ({policy})" if len(results.policies()) > 1 else ""
            value = roi.loc[policy]
            cards.append(_card(
                f"ROI: US$ saved per extra US$ invested{suffix}",
                labels.format_number(value["roi"], 3) if math.isfinite(value["roi"]) else "n/a",
                f"95% CI [{labels.format_number(value['ci_low'], 3)}, "
                f"{labels.format_number(value['ci_high'], 3)}]"
                if math.isfinite(value["ci_low"]) else ""))
            for kpi in metrics.headline_kpis():
                if (policy, kpi) not in comparison.index:
                    continue
                row = comparison.loc[(policy, kpi)]
                cards.append(_card(
                    _glance_label(metrics, kpi, f"{metrics.short_label(kpi)}, change{suffix}"),
                    _amount(metrics, kpi, row["difference"], signed=True),
                    f"95% CI [{_amount(metrics, kpi, row['ci_low'])}, "
                    f"{_amount(metrics, kpi, row['ci_high'])}]"))
    elif results.kind in ("run", "sensitivity"):
        kpis = runs[0][1].kpis().set_index("kpi")
        for kpi in metrics.headline_kpis():
            if kpi in kpis.index:
                row = kpis.loc[kpi]
                cards.append(_card(_glance_label(metrics, kpi, metrics.short_label(kpi)),
                                   _amount(metrics, kpi, row["mean"]),
                                   f"95% CI [{_amount(metrics, kpi, row['ci_low'])}, "
                                   f"{_amount(metrics, kpi, row['ci_high'])}]"))
    if not cards:
        return ""
    return '<h2 id="glance">At a glance</h2><div class="glance">' + "".join(cards) + "</div>"


# ---- the page --------------------------------------------------------------


def _runs_of(results):
    """(title, [(name, Results)]) of the runs the report describes."""
    if results.kind == "run":
        run = results.scenario()
        return f"Scenario {run.scenario}", [(run.scenario, run)]
    if results.kind == "compare":
        base = _base_of(results)
        names = [base] + [n for n in results.scenarios() if n != base]
        title = f"{', '.join(names[1:])} against {base}"
        return title, [(n, results.scenario(n)) for n in names if n in results.scenarios()]
    if results.kind == "sweep":
        runs = []
        for key in results.points():
            point = results.point(key)
            values = ", ".join(f"{p}={describe(v)}" for p, v in point.point_values.items())
            runs.append((f"point {key}: {values}" if values else f"point {key}", point))
        return f"Sweep of {results.meta.get('scenario_name', '')}", runs
    base = Results(results.path, "/sensitivity/runs/base",
                   {"scenario": results.meta.get("scenario_name", "base")})
    return f"Sensitivity of {results.meta.get('scenario_name', '')}", [
        (results.meta.get("scenario_name", "base"), base)]


def _base_of(results):
    """The base of a comparison, also when an interruption left no
    /comparison (the root's `base` attribute, else the first scenario)."""
    try:
        return results.base_scenario()
    except FormatError:
        return results.meta.get("base") or results.scenarios()[0]


def _fan_runs(results, runs):
    if results.kind != "sweep" or len(runs) <= MAX_SWEEP_FANS:
        return runs
    # Evenly spaced points, first and last included.
    picks = sorted({round(i * (len(runs) - 1) / (MAX_SWEEP_FANS - 1))
                    for i in range(MAX_SWEEP_FANS)})
    return [runs[i] for i in picks]


def _has_comparison(results):
    try:
        return bool(results.policies())
    except FormatError:
        return False


def build(path):
    """The report of the results file at `path` as an HTML string."""
    results = ResultsFile(path)
    title, runs = _runs_of(results)
    if not runs:
        raise FormatError(f"{path}: the file holds no finished run to report")
    meta = results.meta if results.kind != "run" else runs[0][1].meta
    metrics = runs[0][1].metric_info()
    kind_text = {"run": "simulation run", "compare": "policy comparison",
                 "sweep": "parameter sweep", "sensitivity": "sensitivity analysis"}[results.kind]
    sections = []
    if results.kind == "compare":
        if _has_comparison(results):
            sections.append(comparison_section(results, metrics))
        else:
            sections.append('<h2 id="comparison">Policies against the base</h2><p class="note">'
                            "The comparison was interrupted before its differences were "
                            "written; each scenario's committed replications follow.</p>")
    elif results.kind == "sweep":
        sections.append(sweep_section(results, metrics))
    elif results.kind == "sensitivity":
        sections.append(sensitivity_section(results, metrics))
    assumption_runs = runs if results.kind == "compare" else runs[:1]
    if results.kind == "sweep":
        sections.append(assumptions_section(assumption_runs, meta))
        fan_runs = _fan_runs(results, runs)
        sections.append(charts_section(fan_runs, metrics))
        if len(fan_runs) < len(runs):
            sections.append(f'<p class="note">Fan charts show {len(fan_runs)} of the '
                            f"{len(runs)} points.</p>")
    else:
        sections.insert(0, assumptions_section(assumption_runs, meta))
        sections.insert(1 if results.kind == "run" else 2, kpi_section(runs, metrics))
        sections.append(charts_section(runs, metrics))

    sections.insert(0, glance_section(results, runs, metrics))
    provenance = (f"wfsim {meta.get('wfsim_version', '?')} (git {meta.get('git_sha', '?')}), "
                  f"file created {meta.get('created_utc', '?')}, seed {meta.get('seed', '?')}")
    generated = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    links = [("glance", "At a glance"), ("assumptions", "Assumptions"), ("kpis", "KPIs"), ("comparison", "Comparison"),
             ("sweep", "Sweep"), ("sensitivity", "Sensitivity"), ("charts", "Over time")]
    body = "".join(sections)
    nav = "".join(f'<a href="#{anchor}">{text}</a>' for anchor, text in links
                  if f'id="{anchor}"' in body)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} — wfsim report</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<p class="lead">wfsim {escape(kind_text)} · {escape(os.path.basename(path))}</p>
<p class="meta">{escape(provenance)}</p>
<nav>{nav}</nav>
</header>
{body}
<footer>Report of {escape(os.path.abspath(path))}, generated {escape(generated)} by
<code>wfsim report</code>. Figures are means over replications; intervals are 95%.</footer>
</body>
</html>
"""


def write(path, output=None):
    """Writes the report of `path` to `output` (default: `path` with .html)
    and returns the output path."""
    output = output or os.path.splitext(os.fspath(path))[0] + ".html"
    text = build(path)
    temporary = f"{output}.partial"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, output)
    return output


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m wfsim.report",
        description="Writes the self-contained HTML report of a wfsim results file.")
    parser.add_argument("results", help="a file written by wfsim run, compare, sweep or sensitivity")
    parser.add_argument("-o", "--output", help="the HTML file (default: RESULTS with .html)")
    arguments = parser.parse_args(argv)
    if not os.path.isfile(arguments.results):
        print(f"wfsim report: error: {arguments.results}: no such file", file=sys.stderr)
        return 2
    try:
        output = write(arguments.results, arguments.output)
    except (FormatError, KeyError) as error:
        print(f"wfsim report: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"wfsim report: error: {error}", file=sys.stderr)
        return 1
    print(f"report: {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
