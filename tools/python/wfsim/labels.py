"""What the KPIs and metrics of a results file mean and which unit they are
counted in, and how reports and charts print them.

Money is in US dollars (the scenarios' currency); charts and tables show it
in millions or billions so that a figure reads at a glance.
"""

import math

# KPI -> (label, unit). Units: "people", "positions", "pairs", "US$".
KPIS = {
    "exits": ("Voluntary exits", "people"),
    "layoffs": ("Layoffs", "people"),
    "external_hires": ("External hires", "people"),
    "internal_fills": ("Vacancies filled from inside", "positions"),
    "transfers": ("Transfers between roles", "people"),
    "jobs_destroyed": ("Positions automated away", "positions"),
    "jobs_created": ("Positions created by growth", "positions"),
    "enrollments": ("Program enrolments", "people"),
    "refused": ("Enrolments refused (no seat or money)", "people"),
    "completions": ("Program completions", "people"),
    "dropouts": ("Program dropouts", "people"),
    "placements": ("Graduates placed in target roles", "people"),
    "pairs_started": ("Mentoring pairs started", "pairs"),
    "distinct_mentees": ("Distinct mentees", "people"),
    "mentoring_refused": ("Mentoring requests refused", "people"),
    "program_spend": ("Program spend", "US$"),
    "mentoring_cost": ("Mentoring cost", "US$"),
    "hiring_cost": ("Hiring cost", "US$"),
    "severance_cost": ("Severance cost", "US$"),
    "vacancy_cost": ("Vacancy cost", "US$"),
    "payroll_cost": ("Payroll (not in total cost)", "US$"),
    "total_cost": ("Total cost (programs + mentoring + hiring + severance + vacancies)", "US$"),
    "final_headcount": ("Headcount at the horizon", "employees"),
    "final_employees": ("Employees at the horizon", "employees"),
}

# The KPIs a reader looks at first: charts of sweeps and sensitivity show these.
HEADLINE_KPIS = ["total_cost", "final_headcount", "layoffs", "external_hires", "completions",
                 "program_spend"]

METRICS = {
    "headcount": ("Headcount (filled positions)", "employees"),
    "vacancies": ("Vacancies", "positions"),
    "displaced": ("Displaced, awaiting redeployment", "employees"),
    "employees": ("Employees", "employees"),
    "in_training": ("In full-time training", "employees"),
    "enrolled": ("Enrolled in programs", "participants"),
    "completions": ("Program completions", "people"),
    "spend": ("Program spend", "US$"),
    "payroll": ("Payroll", "US$"),
}


def kpi_label(kpi):
    return KPIS.get(kpi, (kpi.replace("_", " ").capitalize(), ""))[0]


def kpi_unit(kpi):
    return KPIS.get(kpi, ("", ""))[1]


def is_money(kpi):
    return kpi_unit(kpi) == "US$"


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
