"""Comparing runs: headline outcomes side by side, and each run's difference from the first.

Every run ("arm") is read from the files a run writes (summary.json, replications.csv,
timeseries.csv), whether it was just computed from a config or read from a run folder, so one
path serves both. Differences are `other - first`. When two arms drew the same replications
(the same seed and replication count: common random numbers), replication r of one is paired
with replication r of the other and the interval is that of the paired differences, which is
tight because the shared draws cancel; otherwise the intervals are unpaired (Welch for means, an
independent bootstrap for quantiles). Pure: text in, numbers out.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from wargame.analysis.montecarlo import CONFIDENCE
from wargame.model.rates import FloatArray

BOOTSTRAP_RESAMPLES = 400  # percentile bootstrap for quantile differences
BOOTSTRAP_SEED = 12  # a fixed local stream: the same inputs give the same intervals
BAND_COLUMNS = ("stock_p5", "stock_p25", "stock_p50", "stock_p75", "stock_p95")


@dataclass(frozen=True)
class Outcomes:
    """One munition of one arm, per replication (days: NaN where it never ran out)."""

    days: FloatArray
    shortfall: FloatArray
    fired: FloatArray
    end_inventory: FloatArray


@dataclass(frozen=True)
class Bands:
    """One munition's stock quantiles at each day's end and the chance of being out by then."""

    days: list[int]
    stock: dict[str, list[float]]  # BAND_COLUMNS -> per day
    p_out: list[float]


@dataclass(frozen=True)
class Arm:
    """One run being compared: what it is, its per-replication outcomes and its day bands."""

    label: str  # the argument as given (a folder or a config file)
    scenario: str
    seed: int
    replications: int
    fixed: bool  # every replication alike: the numbers are exact, not estimates
    horizon_days: int
    target_days: float | None
    config_sha256: str
    outcomes: dict[str, Outcomes]
    bands: dict[str, Bands]
    overrides: tuple[str, ...] = ()  # --set DOTTED.PATH=VALUE the run was made with


@dataclass(frozen=True)
class Difference:
    """`other - first`, with its 95% interval (None where it cannot be estimated)."""

    value: float | None
    low: float | None
    high: float | None
    exact: bool = False  # both runs had fixed inputs: no sampling error at all


@dataclass(frozen=True)
class Row:
    """One headline outcome of one munition: each arm's value and each later arm's difference."""

    munition: str
    outcome: str  # a people's label, e.g. "days to depletion, median"
    unit: str  # days | missiles | share
    values: list[float | None]  # per arm (None: never ran out within the horizon)
    differences: list[Difference]  # per arm after the first


@dataclass(frozen=True)
class Comparison:
    """The comparison of arms[1:] against arms[0]."""

    arms: list[Arm]
    paired: list[bool]  # per arm after the first: whether its intervals are paired
    notes: list[str]  # why an arm could not be paired, and other caveats
    target_days: float
    rows: list[Row]


def arm_from_files(label: str, summary: Mapping[str, Any], files: Mapping[str, str]) -> Arm:
    """An arm from a run's files: summary.json's content, and replications.csv and
    timeseries.csv's text (replications.csv only for a Monte Carlo run)."""
    munitions = list(summary["munitions"])
    horizon = int(summary["horizon_days"])
    if summary.get("kind") == "monte_carlo":
        outcomes = _replications(files["replications.csv"], munitions)
        bands = _mc_bands(files["timeseries.csv"], munitions)
        count = int(summary["replications"])
        fixed = not summary.get("uncertain_inputs") and _all_alike(outcomes)
        target = summary.get("target_days")
    else:  # one run of fixed inputs: its totals are exact
        outcomes = {name: _single(summary["munitions"][name]) for name in munitions}
        bands = _run_bands(files["timeseries.csv"], munitions, summary)
        count, fixed, target = 1, True, None
    return Arm(
        label=label,
        scenario=str(summary["scenario"]),
        seed=int(summary.get("seed") or 0),
        replications=count,
        fixed=fixed,
        horizon_days=horizon,
        target_days=None if target is None else float(target),
        config_sha256=str(summary.get("config_sha256", "")),
        outcomes=outcomes,
        bands=bands,
        overrides=_overrides(summary),
    )


def _overrides(summary: Mapping[str, Any]) -> tuple[str, ...]:
    """The run's --set overrides, from its provenance when the summary records one."""
    provenance = summary.get("provenance") or {}
    found = provenance.get("overrides") or [] if isinstance(provenance, dict) else []
    return tuple(
        f"{item['path']}={json.dumps(item['value'])}" for item in found if isinstance(item, dict)
    )


def compare(
    arms: list[Arm], target_days: float | None = None, *, paired: bool = True
) -> Comparison:
    """Each arm against the first. `target_days` (default: the first arm's that has one, else
    7) is the day of the chance of running out; `paired=False` forces unpaired intervals."""
    first = arms[0]
    target = target_days
    if target is None:
        target = next((a.target_days for a in arms if a.target_days is not None), 7.0)
    pairs, notes = [], []
    for arm in arms[1:]:
        ok, why = pairable(first, arm)
        pairs.append(paired and ok)
        if paired and not ok:
            notes.append(f"{arm.label}: unpaired intervals ({why})")
    rows = [
        _row(name, label, unit, measure, arms, pairs)
        for name in first.outcomes
        if all(name in arm.outcomes for arm in arms)
        for label, unit, measure in _measures(target)
    ]
    missing = sorted({n for a in arms for n in a.outcomes} - set(first.outcomes))
    missing += [n for n in first.outcomes if not all(n in a.outcomes for a in arms)]
    if missing:
        notes.append(f"not in every run, so not compared: {', '.join(missing)}")
    return Comparison(arms, pairs, notes, float(target), rows)


def pairable(first: Arm, other: Arm) -> tuple[bool, str]:
    """Whether replication r of `other` drew the same numbers as replication r of `first`."""
    if first.fixed and other.fixed:
        return True, ""  # both exact: the difference is exact too
    if first.fixed or other.fixed:
        return False, "one run has fixed inputs, the other's replications differ"
    if first.seed != other.seed:
        return False, f"seed {other.seed}, not {first.seed}: different random numbers"
    if first.replications != other.replications:
        return False, f"{other.replications:,} replications, not {first.replications:,}"
    return True, ""


def _measures(target: float) -> list[tuple[str, str, Any]]:
    """(label, unit, what) for each headline outcome: what is ("quantile", q) or ("mean", f)
    with f giving a per-replication value from an arm's outcomes and horizon."""
    return [
        ("days to depletion, p5", "days", ("quantile", 0.05)),
        ("days to depletion, median", "days", ("quantile", 0.50)),
        ("days to depletion, p95", "days", ("quantile", 0.95)),
        ("days lasted, mean (never = horizon)", "days", ("mean", _lasted)),
        (f"chance of running out by day {target:g}", "share", ("mean", _out_by(target))),
        ("shortfall, mean", "missiles", ("mean", lambda o, h: o.shortfall)),
        ("fired, mean", "missiles", ("mean", lambda o, h: o.fired)),
        ("end stock, mean", "missiles", ("mean", lambda o, h: o.end_inventory)),
    ]


def _lasted(outcomes: Outcomes, horizon: int) -> FloatArray:
    """Days the stock lasted, counting a replication that never ran out as the horizon."""
    return np.where(np.isfinite(outcomes.days), outcomes.days, float(horizon))


def _out_by(target: float) -> Callable[[Outcomes, int], FloatArray]:
    def indicator(outcomes: Outcomes, horizon: int) -> FloatArray:
        ran_out = np.isfinite(outcomes.days) & (np.nan_to_num(outcomes.days, nan=0) <= target)
        return ran_out.astype(np.float64)

    return indicator


def _row(
    munition: str, label: str, unit: str, what: Any, arms: list[Arm], pairs: list[bool]
) -> Row:
    kind, how = what
    first = arms[0]
    if kind == "quantile":
        data = [_days_sorted_last(a.outcomes[munition].days) for a in arms]
        values = [_quantile(d, how) for d in data]
        diffs = [
            _quantile_difference(data[0], d, how, p, exact=first.fixed and a.fixed)
            for a, d, p in zip(arms[1:], data[1:], pairs, strict=True)
        ]
    else:
        data = [how(a.outcomes[munition], a.horizon_days) for a in arms]
        values = [float(np.mean(d)) for d in data]
        diffs = [
            _mean_difference(data[0], d, p, fixed=(first.fixed, a.fixed))
            for a, d, p in zip(arms[1:], data[1:], pairs, strict=True)
        ]
    shown = [None if v is None or math.isinf(v) else v for v in values]
    return Row(munition, label, unit, shown, diffs)


def _days_sorted_last(days: FloatArray) -> FloatArray:
    """Days with "never" as +infinity, so it sorts after every day."""
    return np.where(np.isfinite(days), days, np.inf)


def _quantile(values: FloatArray, q: float) -> float:
    return float(np.quantile(values, q, method="inverted_cdf"))


def _quantile_difference(
    first: FloatArray, other: FloatArray, q: float, paired: bool, *, exact: bool
) -> Difference:
    """The difference of two quantiles and its percentile-bootstrap 95% interval (the same
    resampled replications for both arms when paired). None where either is "never"."""
    value = _quantile(other, q) - _quantile(first, q)
    if not math.isfinite(value):
        return Difference(None, None, None)
    if exact:
        return Difference(value, value, value, exact=True)
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    a_idx = rng.integers(0, first.size, (BOOTSTRAP_RESAMPLES, first.size))
    b_idx = a_idx if paired else rng.integers(0, other.size, (BOOTSTRAP_RESAMPLES, other.size))
    boot = np.quantile(other[b_idx], q, axis=1, method="inverted_cdf") - np.quantile(
        first[a_idx], q, axis=1, method="inverted_cdf"
    )
    if not np.all(np.isfinite(boot)):
        return Difference(value, None, None)
    tail = (1 - CONFIDENCE) / 2
    low, high = np.quantile(boot, [tail, 1 - tail])
    return Difference(value, float(low), float(high))


def _mean_difference(
    first: FloatArray, other: FloatArray, paired: bool, *, fixed: tuple[bool, bool]
) -> Difference:
    """The difference of two means with its 95% Student t interval: on the per-replication
    differences when paired, Welch's when not (a run with fixed inputs has no variance)."""
    value = float(np.mean(other) - np.mean(first))
    if all(fixed):
        return Difference(value, value, value, exact=True)
    if paired:
        diff = other - first
        if diff.size < 2:
            return Difference(value, None, None)
        half = _t(diff.size - 1) * float(np.std(diff, ddof=1)) / math.sqrt(diff.size)
        return Difference(value, value - half, value + half)
    va, vb = _variance_of_mean(first, fixed[0]), _variance_of_mean(other, fixed[1])
    if va is None or vb is None:
        return Difference(value, None, None)
    if va + vb == 0:
        return Difference(value, value, value)
    df = (va + vb) ** 2 / (va**2 / max(first.size - 1, 1) + vb**2 / max(other.size - 1, 1))
    half = _t(df) * math.sqrt(va + vb)
    return Difference(value, value - half, value + half)


def _variance_of_mean(values: FloatArray, fixed: bool) -> float | None:
    """The variance of a run's mean: 0 for fixed inputs, unknown from one replication."""
    if fixed:
        return 0.0
    if values.size < 2:
        return None
    return float(np.var(values, ddof=1)) / values.size


def _t(df: float) -> float:
    return float(special.stdtrit(df, 0.5 + CONFIDENCE / 2))  # scipy.stats.t.ppf's own formula


def _all_alike(outcomes: Mapping[str, Outcomes]) -> bool:
    """Whether every replication had the same outcomes (a fixed scenario run many times)."""
    return all(
        np.unique(np.nan_to_num(getattr(o, f), nan=-1)).size <= 1
        for o in outcomes.values()
        for f in ("days", "shortfall", "fired", "end_inventory")
    )


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _number(cell: str) -> float:
    return math.nan if cell == "" else float(cell)


def _replications(text: str, munitions: list[str]) -> dict[str, Outcomes]:
    """replications.csv's outcomes per munition, in replication order."""
    columns: dict[str, dict[str, list[float]]] = {
        name: {f: [] for f in ("days_to_depletion", "shortfall", "fired", "end_inventory")}
        for name in munitions
    }
    for row in _rows(text):
        for field, values in columns[row["munition"]].items():
            values.append(_number(row[field]))
    return {
        name: Outcomes(
            days=np.array(c["days_to_depletion"]),
            shortfall=np.array(c["shortfall"]),
            fired=np.array(c["fired"]),
            end_inventory=np.array(c["end_inventory"]),
        )
        for name, c in columns.items()
    }


def _single(block: Mapping[str, Any]) -> Outcomes:
    """The one replication of a fixed run, from its summary.json block."""
    days = block["days_to_depletion"]
    return Outcomes(
        days=np.array([math.nan if days is None else float(days)]),
        shortfall=np.array([float(block["shortfall"])]),
        fired=np.array([float(block["fired"])]),
        end_inventory=np.array([float(block["end_inventory"])]),
    )


def _mc_bands(text: str, munitions: list[str]) -> dict[str, Bands]:
    """A Monte Carlo timeseries.csv: the stock's quantiles and the chance of being out by day."""
    found: dict[str, Bands] = {}
    for row in _rows(text):
        bands = found.setdefault(row["munition"], Bands([], {c: [] for c in BAND_COLUMNS}, []))
        bands.days.append(int(row["day"]))
        for column in BAND_COLUMNS:
            bands.stock[column].append(float(row[column]))
        bands.p_out.append(float(row["p_depleted_by_day"]))
    return {name: found[name] for name in munitions if name in found}


def _run_bands(text: str, munitions: list[str], summary: Mapping[str, Any]) -> dict[str, Bands]:
    """A fixed run's timeseries.csv as bands: every quantile is the one path, and the chance of
    being out is 0 before its depletion day and 1 from then on."""
    found: dict[str, Bands] = {}
    for row in _rows(text):
        day = int(row["day"])
        if day < 0:
            continue  # the warning period: the comparison is about the conflict
        name = row["munition"]
        bands = found.setdefault(name, Bands([], {c: [] for c in BAND_COLUMNS}, []))
        bands.days.append(day)
        for column in BAND_COLUMNS:
            bands.stock[column].append(float(row["inventory"]))
        out = summary["munitions"][name]["days_to_depletion"]
        bands.p_out.append(0.0 if out is None or day < math.floor(out) else 1.0)
    return {name: found[name] for name in munitions if name in found}
