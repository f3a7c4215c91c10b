"""Student t intervals without SciPy, matching the CLI's KPI table, and the
mean and quantile bands of trajectories that fan charts draw."""

import math

import numpy as np
import pandas as pd


def _incomplete_beta_fraction(a, b, x):
    # Continued fraction for the regularized incomplete beta function
    # (modified Lentz's method).
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return h


def _regularized_beta(a, b, x):
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _incomplete_beta_fraction(a, b, x) / a
    return 1.0 - front * _incomplete_beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t, df):
    """P(T <= t) for Student's t with df degrees of freedom."""
    tail = 0.5 * _regularized_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p, df):
    """The p quantile (0.5 <= p < 1) of Student's t, by bisection to 1e-12."""
    if not 0.5 <= p < 1.0 or df <= 0:
        raise ValueError("t_quantile needs 0.5 <= p < 1 and df > 0")
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


def mean_interval(values):
    """(n, mean, sd, ci_low, ci_high): a 95% Student t interval over the
    non-NaN values, as printed by `wfsim run`; NaN where undefined."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    n = values.size
    if n == 0:
        return 0, math.nan, math.nan, math.nan, math.nan
    mean = float(values.mean())
    if n < 2:
        return 1, mean, math.nan, math.nan, math.nan
    sd = float(values.std(ddof=1))
    half = t_quantile(0.975, n - 1) * sd / math.sqrt(n)
    return n, mean, sd, mean - half, mean + half


def quantile_bands(frame, value, by=("scenario",), time="time"):
    """Mean and the 5%, 50% and 95% quantiles of `value` over the rows of
    each group and time: columns *by, time, mean, p05, p50, p95. Quantiles
    interpolate linearly between order statistics, as the files' /summary."""
    keys = [*by, time]
    records = []
    for key, values in frame.groupby(keys, sort=False)[value]:
        values = values.to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        if values.size == 0:
            continue
        p05, p50, p95 = np.quantile(values, [0.05, 0.5, 0.95])
        key = key if isinstance(key, tuple) else (key,)
        records.append((*key, float(values.mean()), p05, p50, p95))
    return pd.DataFrame.from_records(records, columns=[*keys, "mean", "p05", "p50", "p95"])


def summed_paths(frame, value, by=("scenario",), cumulative=False):
    """Per replication and time, `value` summed over the entities (roles or
    programs) of a wide trajectory frame; with cumulative=True, summed over
    time as well (a running total of a flow). Columns *by, replication,
    time, value."""
    keys = [*by, "replication", "time"]
    # Groups in order of appearance: scenarios keep the caller's order and
    # times, within a replication, their ascending order.
    paths = frame.groupby(keys, sort=False)[value].sum().reset_index()
    if cumulative:
        paths[value] = paths.groupby([*by, "replication"], sort=False)[value].cumsum()
    return paths
