"""What the metrics and KPIs of a results file mean, and how reports and
charts print them.

wfsim declares every metric once (docs/metrics.md) and writes what it is
into the attributes of its datasets: `label`, `unit` ("people",
"positions", "pairs", "attempts", "requests", "money"), `kind` ("stock",
"flow", "total", "final") and, for a headline KPI, `headline` (its place,
"1" first). `Results.metric_info()` reads them into a `Metrics`. A file
written before the datasets carried them gets the metric's name as its label
("total_cost" -> "Total cost"), no unit and every KPI as a headline.

Money is in the scenarios' one currency unit, shown as US$; charts and
tables show it in millions or billions so that a figure reads at a glance.
"""

import math
from typing import NamedTuple

# The groups of a run whose datasets are metrics.
METRIC_GROUPS = ("trajectories", "program_trajectories", "totals", "program_totals")
TRAJECTORY_GROUPS = ("trajectories", "program_trajectories")


class MetricInfo(NamedTuple):
    name: str
    label: str
    unit: str = ""
    kind: str = ""
    headline: int = 0  # place among the headline KPIs (1 first); 0 = not one


def humanised(name):
    """A name as a label, for files that carry none: "total_cost" -> "Total cost"."""
    return name.replace("_", " ").capitalize()


def unit_text(unit):
    """A unit as printed: money as US$, other units as they are named."""
    return "US$" if unit == "money" else unit


class Metrics:
    """The metrics of a run by group ("trajectories", "program_trajectories",
    "totals", "program_totals") and name, as `MetricInfo`s. A name the file
    does not describe reads as its humanised name without a unit."""

    def __init__(self, groups=None):
        self.groups = {group: dict(infos) for group, infos in (groups or {}).items()}

    def info(self, name, *groups):
        """The metric `name` of the first of `groups` (default: the KPIs of
        /totals) that has it."""
        for group in groups or ("totals",):
            if name in self.groups.get(group, {}):
                return self.groups[group][name]
        return MetricInfo(name, humanised(name))

    def trajectory_info(self, name):
        """A role or program metric (their names differ)."""
        return self.info(name, *TRAJECTORY_GROUPS)

    def label(self, kpi):
        return self.info(kpi).label

    def short_label(self, kpi):
        """The label without its parenthesis: "Total cost" of "Total cost (...)"."""
        return self.label(kpi).split(" (")[0]

    def unit(self, kpi):
        return self.info(kpi).unit

    def is_money(self, kpi):
        return self.unit(kpi) == "money"

    def headline_kpis(self):
        """The KPIs a reader looks at first, most important first; every KPI
        of the file, in its order, when the file names none."""
        kpis = self.groups.get("totals", {})
        ranked = sorted((info.headline, name) for name, info in kpis.items() if info.headline > 0)
        return [name for _, name in ranked] if ranked else list(kpis)


def money_scale(magnitude):
    """(divisor, unit text) that shows amounts of about this size readably."""
    magnitude = abs(magnitude) if magnitude is not None and math.isfinite(magnitude) else 0.0
    if magnitude >= 5e9:
        return 1e9, "US$ billions"
    return 1e6, "US$ millions"


def format_number(value, decimals=None):
    """A count or amount with thousands separators: whole numbers from 100
    up, three significant digits below (unless `decimals` says)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if decimals is None:
        magnitude = abs(value)
        if magnitude >= 100 or magnitude == 0:
            decimals = 0
        else:
            decimals = max(0, 2 - int(math.floor(math.log10(magnitude))))
    text = f"{abs(value):,.{decimals}f}"
    if value < 0 and float(text.replace(",", "")) != 0:
        text = "-" + text
    return text
