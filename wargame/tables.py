"""What the terminal prints: short aligned tables of a run's, an invest's and a sweep's answer,
every number in the one format for people (wargame/numbers.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wargame.analysis.invest import Plan
from wargame.numbers import count, days, number, share, usd


def format_rows(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Align a table: the first column left, the rest right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            [
                row[0].ljust(widths[0]),
                *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
            ]
        )
        for row in rows
    ]


def headline_table(summary: dict[str, Any]) -> str:
    """One run's headline as a short aligned text table."""
    header = ("munition", "days to depletion", "stock at start", "fired", "shortfall")
    rows = [(*header, "rebuild years")]
    for name, m in summary["munitions"].items():
        never = "n/a" if m["rebuild_never_because"] == "nothing_funded" else "never"
        rebuild = never if m["rebuild_years"] is None else number(m["rebuild_years"])
        rows.append(
            (
                name,
                days(m["days_to_depletion"]),
                count(m["inventory_at_conflict_start"]),
                count(m["fired"]),
                count(m["shortfall"]),
                rebuild,
            )
        )
    return "\n".join([_scenario_line(summary, ""), *format_rows(rows)])


def montecarlo_table(summary: dict[str, Any]) -> str:
    """A Monte Carlo run's headline: the spread of days to depletion and the chance of running
    out by the target day."""
    target = summary["target_days"]
    header = ("munition", "days to depletion p5", "p50", "p95", "mean (95% CI)")
    rows = [(*header, f"P(out by {days(target)})")]
    for name, m in summary["munitions"].items():
        d = m["days_to_depletion"]
        mean = "n/a" if d["mean"] is None else number(d["mean"])
        if d["mean_ci95"] is not None:
            mean += f" ({number(d['mean_ci95'][0])}-{number(d['mean_ci95'][1])})"
        quantiles = (days(d[q]) for q in ("p5", "p50", "p95"))
        rows.append((name, *quantiles, mean, share(d["p_depleted_by"])))
    runs = f"{count(summary['replications'])} replications ({summary['engine']} engine, "
    return "\n".join([_scenario_line(summary, runs), *format_rows(rows)])


def _scenario_line(summary: dict[str, Any], runs: str) -> str:
    """The scenario's name with its horizon and warning (after `runs`, if a Monte Carlo)."""
    opening = f": {runs}" if runs else " ("
    return (
        f"{summary['scenario']}{opening}horizon {days(summary['horizon_days'])} days, "
        f"warning {days(summary['warning_days'])} days)"
    )


def plan_table(plan: Plan, summary: dict[str, Any]) -> str:
    """The supplemental's answer: total, by munition and lever, by year, and what binds."""
    target = days(plan.target_days)
    if plan.feasible:
        cost = usd(plan.total_usd)
        lines = [f"Meeting demand for {target} days costs {cost} (decided on day 0)."]
    else:
        lines = [
            f"INFEASIBLE: no money meets demand for {target} days. Best achievable: "
            f"{days(plan.achieved_days)} days for {usd(plan.total_usd)}."
        ]
    lines.append(f"binding constraint: {plan.binding} ({plan.binding_detail})")
    lines += _uncertainty_lines(plan, summary.get("uncertainty"))
    if plan.launchers.usd > 0:
        lines.append(f"launchers: {plan.launchers.label} ({usd(plan.launchers.usd)})")
    lines += format_rows(_purchase_rows(plan, summary["days_to_depletion_after"]))
    for bought in plan.suppliers:
        if bought.added_capacity_per_year > 0:
            lines.append(
                f"supplier {bought.supplier}: +{number(bought.added_capacity_per_year)} a year of "
                f"capacity, {usd(bought.capacity_usd)}"
            )
    fiscal = summary.get("outlays_by_fiscal_year")
    if fiscal:
        lines.append(
            f"in then-year dollars: {usd(fiscal['total_then_year_usd'])} "
            f"({usd(fiscal['total_constant_usd'])} in {fiscal['constant_dollars']})"
        )
    bills = summary["breakdown"].get("nations")
    if bills:
        lines.append("who pays: " + ", ".join(_bill(bill) for bill in bills.values()))
    for year in summary["outlays_by_year"]:
        lines.append(
            f"year {year['year']}: {usd(year['total_usd'])} (missiles "
            f"{usd(year['missiles_usd'])}, capacity {usd(year['capacity_usd'])})"
        )
    return "\n".join(lines)


def _bill(bill: dict[str, Any]) -> str:
    """A nation's bill for people: 'Japan $0.4 billion (cap $0.5 billion)'."""
    cap = bill["spending_cap_usd"]
    return f"{bill['name']} {usd(bill['total_usd'])}" + (
        "" if cap is None else f" (cap {usd(cap)})"
    )


def _uncertainty_lines(plan: Plan, spread: dict[str, Any] | None) -> list[str]:
    """For an uncertain scenario: how often the plan fails on fresh replications."""
    if spread is None:
        return []
    lines = [
        f"with uncertain inputs, the plan runs out before day {days(plan.target_days)} in "
        f"{share(spread['p_out_before_target'])} of {count(spread['checked_replications'])} "
        f"fresh replications (95% upper bound {share(spread['p_out_before_target_upper95'])})"
    ]
    if spread["accepted"] is not None:
        verdict = "within" if spread["risk_met_at_95"] else "NOT shown to be within"
        lines.append(
            f"accepted risk {share(spread['accepted'])}: {verdict} it at 95% confidence (the "
            f"plan covers {count(spread['covered_replications'])} of "
            f"{count(spread['fitted_replications'])} sampled replications; no finite sample "
            "makes a risk certain)"
        )
    return lines


def _purchase_rows(plan: Plan, after: dict[str, float | None]) -> list[tuple[str, ...]]:
    header = ("munition", "extra missiles", "missiles", "capacity +/yr", "capacity")
    rows: list[tuple[str, ...]] = [(*header, "runs out on day")]
    for p in plan.purchases:
        rows.append(
            (
                p.munition,
                count(p.missiles),
                usd(p.missiles_usd),
                number(p.added_capacity_per_year),
                usd(p.capacity_usd),
                days(after[p.munition]),
            )
        )
    for r in plan.routes:
        rows.append((r.label, count(r.missiles), usd(r.missiles_usd), "", "", ""))
    return rows


def precision_warning(summary: dict[str, Any]) -> str | None:
    """The line to warn with when --precision was asked and the cap came first."""
    rule = summary.get("precision")
    if rule is None or rule["reached"]:
        return None
    half = rule["half_width_days"]
    reached = (
        "no interval (fewer than two replications ran out)"
        if half is None
        else f"+-{number(half)} days"
    )
    return (
        f"warning: --precision {number(rule['target_half_width_days'])} not met: the 95% "
        f"interval of the mean days to depletion is {reached} after "
        f"{count(summary['replications'])} replications (the cap: raise --max-replications)"
    )


VIOLATION_SKIP = {
    "check",
    "point",
    "metric",
    "value",
    "design",
    "replications",
    "seed",
    "config_sha256",
    "point_key",
}


def violations_table(failed: list[dict[str, Any]]) -> str:
    """The points that break a check: the check, the point's parameters, its value."""
    names = [k for k in failed[0] if k not in VIOLATION_SKIP]
    rows = [("check", "point", *names, "value")]
    for row in failed:
        value = "null" if row["value"] is None else number(row["value"])
        rows.append((row["check"], str(row["point"]), *(number(row[n]) for n in names), value))
    return "\n".join([f"{count(len(failed))} check violations:", *format_rows(rows)])


def force_table(summary: dict[str, Any]) -> str:
    """The force over the years: each class's hulls at each year's end (a Monte Carlo's median),
    with its goal; empty without a force."""
    force = summary.get("force")
    if not force:
        return ""
    names = list(force)
    header = ("year", *(f"{n} hulls" for n in names))
    rows = [header]
    for y, year in enumerate(force[names[0]]["years"]):
        values = (force[n]["years"][y]["hulls"] for n in names)
        rows.append(
            (year["year"], *(count(v["p50"] if isinstance(v, dict) else v) for v in values))
        )
    goals = [force[n]["goal_hulls"] for n in names]
    if any(g is not None for g in goals):
        rows.append(("goal", *("" if g is None else count(g) for g in goals)))
    return "\n".join(format_rows(rows))
