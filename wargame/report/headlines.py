"""Headlines that carry the finding: what binds (missiles, launch cells and reloads, the line,
yards) and the number that matters most, in words a memo can quote.

Pure functions from results and summaries to sentences; every number through wargame.numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from wargame import numbers
from wargame.config.models import Munition
from wargame.config.scenario import Scenario
from wargame.engine.results import MunitionRun
from wargame.report.labels import display_name

FIRST_WEEK = 7  # days: the opening the public wargames are about


def launch_week(run: MunitionRun) -> tuple[int, int, int] | None:
    """Demanded shots lost to launch limits in the first week, and the first and last conflict
    day with such a loss (None when launchers never held fire back that week)."""
    lost = run.launch_lost[run.warning_days : run.warning_days + FIRST_WEEK]
    days = np.nonzero(lost)[0]
    if not days.size:
        return None
    return int(lost.sum()), int(days[0]), int(days[-1])


def day_span(first: int, last: int) -> str:
    """ "day 3" or "days 1-6"."""
    return f"day {first}" if first == last else f"days {first}-{last}"


def rebuild_text(
    why: str | None, years: float | None, fired: float, use: float, funded: float
) -> str:
    """The rebuild clause: the years at the funded rate (`funded` US deliveries a year, less
    `use` a year of tests and training), or "never" and why."""
    if why == "peacetime_use":
        return (
            f"the stock never rebuilds the {numbers.count(fired)} fired: tests and training "
            f"({numbers.number(use)} a year) take at least the {numbers.number(funded)} a year "
            "funded"
        )
    if why == "suppliers_starve":
        return (
            f"the stock never rebuilds the {numbers.count(fired)} fired: its suppliers allocate "
            f"the line none of the components for the {numbers.number(funded)} a year funded"
        )
    if years is None:
        return f"nothing is funded to rebuild the {numbers.count(fired)} fired"
    less = f" less {numbers.number(use)} a year of tests and training" if use else ""
    # The years count what the line really makes: suppliers may allow less than is funded.
    made = fired / years + use if years > 0 else funded
    rate = (
        f"the funded {numbers.number(funded)} a year"
        if math.isclose(made, funded, rel_tol=1e-6)
        else f"the {numbers.number(made)} a year its suppliers allow ({numbers.number(funded)} "
        "funded)"
    )
    return (
        f"rebuilding the {numbers.count(fired)} fired takes {numbers.number(round(years, 1))} "
        f"years at {rate}{less}"
    )


def line_rates(munition: Munition) -> tuple[float, float]:
    """Tests and training a year, and funded US deliveries a year, of a munition's line."""
    production = munition.production
    return (
        munition.peacetime_use_per_year,
        production.funded_per_year * (1 - production.foreign_share),
    )


def passed_on(scenario: Scenario, name: str) -> list[str]:
    """The munitions to which a mission passes what `name` cannot serve (the next listed in
    each mission where it is not the last)."""
    after = []
    for mission in scenario.missions.values():
        listed = [entry.name for entry in mission.munitions]
        if name in listed[:-1]:
            after.append(listed[listed.index(name) + 1])
    return after


def run_finding(
    run: MunitionRun,
    metrics: Mapping[str, Any],
    munition: Munition,
    horizon: int,
    passes_to: Sequence[str] = (),
) -> dict[str, str]:
    """One munition's headline in a single run: `lead` (what happens and what binds) and
    `rest` (shortfall and rebuild); `passes_to`: the munitions its missions pass to what it
    cannot fire (its shortfall is theirs to serve, not unmet)."""
    name = display_name(run.name)
    day = metrics["days_to_depletion"]
    week = launch_week(run)
    if week is not None:
        lost, first, last = week
        binds = (
            f"launch cells and reloads bind first: {numbers.count(lost)} demanded shots were "
            f"lost to launch limits in the first week ({day_span(first, last)}) with missiles "
            "still in the depot"
        )
        outcome = (
            f"then the missiles run out on day {numbers.days(day)}"
            if day is not None
            else f"the missiles last the whole {numbers.count(horizon)}-day horizon"
        )
        lead = f"{name}: {binds}; {outcome}"
    elif day is not None:
        lead = f"{name}: the missiles bind: the stock runs out on day {numbers.days(day)}"
    else:
        lead = f"{name}: the stock lasts the whole {numbers.count(horizon)}-day horizon"
    why = metrics.get("rebuild_never_because")
    unfired = (
        f"{numbers.count(metrics['shortfall'])} demanded shots it cannot fire pass to "
        f"{' and '.join(display_name(n) for n in passes_to)}"
        if passes_to
        else f"{numbers.count(metrics['shortfall'])} demanded shots go unfired in all"
    )
    rest = (
        f"{unfired}; "
        f"{rebuild_text(why, metrics['rebuild_years'], metrics['fired'], *line_rates(munition))}."
    )
    return {"lead": lead, "rest": rest}


def montecarlo_finding(
    name: str, metrics: Mapping[str, Any], munition: Munition, horizon: int, target_days: float
) -> dict[str, str]:
    """One munition's headline over replications: the median day out with its 90% range, the
    chance of running out by the target day, what binds, and the rebuild."""
    days = metrics["days_to_depletion"]
    label = display_name(name)
    if days["p50"] is None:
        lead = (
            f"{label}: in most replications the stock lasts the whole "
            f"{numbers.count(horizon)}-day horizon"
        )
    else:
        high = "beyond the horizon" if days["p95"] is None else f"day {numbers.days(days['p95'])}"
        lead = (
            f"{label}: runs out on day {numbers.days(days['p50'])} in the median replication "
            f"(90% of replications between day {numbers.days(days['p5'])} and {high})"
        )
    lead += (
        f"; the chance of running out by day {numbers.days(target_days)} is "
        f"{numbers.share(days['p_depleted_by'])}"
    )
    launch = (metrics.get("fire_lost_to_launch_limits") or {}).get("p50") or 0
    binds = (
        f"Launch cells and reloads bind: the median replication loses {numbers.count(launch)} "
        "demanded shots to launch limits. "
        if launch
        else ("The missiles bind. " if days["p50"] is not None else "")
    )
    fired = (metrics.get("fired") or {}).get("p50") or 0
    rebuild = rebuild_text(
        metrics.get("rebuild_never_because"),
        metrics.get("rebuild_years_median"),
        fired,
        *line_rates(munition),
    )
    rest = f"{binds}{rebuild[:1].upper()}{rebuild[1:]} (the median replication)."
    return {"lead": lead, "rest": rest}


def invest_uncertainty(summary: Mapping[str, Any]) -> dict[str, Any] | None:
    """What invest.json's `uncertainty` block says, as sentences: the chance the plan meets its
    target on fresh replications, and for --risk what it was fitted to and whether that held.
    `ok` says whether the page should show it as met (None when there is no accepted risk)."""
    block = summary.get("uncertainty")
    if not block:
        return None
    target = numbers.days(summary["target_days"])
    p_out = block["p_out_before_target"]
    upper = block["p_out_before_target_upper95"]
    checked = numbers.count(block["checked_replications"])
    chance = (
        f"With the inputs uncertain, this plan meets its target in "
        f"{numbers.share(1 - p_out)} of {checked} fresh replications: it runs out before day "
        f"{target} in {numbers.share(p_out)} (95% upper bound {numbers.share(upper)})."
    )
    accepted = block.get("accepted")
    if accepted is None:
        fitted = (
            "The plan is fitted to the inputs' medians, not to a risk: "
            "wargame invest --risk R buys down the chance of running out early."
        )
        return {"chance": chance, "fitted": fitted, "ok": p_out <= 0.05, "risk": None}
    met = block.get("risk_met_at_95")
    fitted = (
        f"Fitted to an accepted risk of {numbers.share(accepted)}: it covers "
        f"{numbers.count(block['covered_replications'])} of "
        f"{numbers.count(block['fitted_replications'])} sampled replications. Out of sample, "
        f"the 95% upper bound ({numbers.share(upper)}) "
        + ("is within the accepted risk." if met else "is above the accepted risk: not met.")
    )
    return {"chance": chance, "fitted": fitted, "ok": bool(met), "risk": accepted}


def mission_findings(summary: Mapping[str, Any], horizon: int) -> list[dict[str, str]]:
    """Each mission's headline: the day its demand first goes unmet, what pooling the allies'
    stocks is worth against each nation on its own, and who fired. Works for a single run
    (numbers) and a Monte Carlo run (distributions: the median replication, with its range)."""
    pooling = summary.get("collective_action") or {}
    out = []
    for name, mission in (summary.get("missions") or {}).items():
        day = mission["days_to_depletion"]
        lead = f"Mission {name}: its demand first goes unmet {_on_day(day, horizon)}"
        parts = []
        worth = pooling.get(name)
        if worth is not None:
            gained = _median(worth["days_gained"])
            bound = "at least " if worth["days_gained_is_lower_bound"] else ""
            parts.append(
                f"Each nation on its own, {_on_day(worth['national_days'], horizon)}: pooling "
                f"is worth {bound}{numbers.days(gained)} days"
            )
        served, demanded = _median(mission["fired"]), _median(mission["demanded"])
        fired = ", ".join(
            f"{display_name(m)} {numbers.count(_median(v))}"
            for m, v in mission["fired_by_munition"].items()
        )
        parts.append(
            f"{numbers.count(served)} of {numbers.count(demanded)} demanded shots served "
            f"(shots fired: {fired})"
        )
        rest = "; ".join(parts)
        out.append({"lead": lead, "rest": rest[0].upper() + rest[1:] + "."})
    return out


def force_findings(summary: Mapping[str, Any]) -> list[dict[str, str]]:
    """Each class's fleet over the years, when the run spans more than one: where it starts,
    its low and where it ends, and the years below its goal (the median replication in a Monte
    Carlo run)."""
    out = []
    for name, force in (summary.get("force") or {}).items():
        years = [(year["year"], _median(year["hulls"])) for year in force["years"]]
        if len(years) < 2:  # a war within its first year: the fleet charts say it all
            continue
        (first, start), (last, end) = years[0], years[-1]
        low_year, low = min(years, key=lambda item: item[1])
        hulls = "hull" if start == 1 else "hulls"
        lead = f"{display_name(name)}: {numbers.count(start)} {hulls} at the end of {first}"
        rest = f"A low of {numbers.count(low)} in {low_year}, {numbers.count(end)} by {last}"
        goal, below = force.get("goal_hulls"), force.get("years_below_goal") or []
        if goal is not None:
            rest += (
                f"; below the goal of {numbers.count(goal)} in {len(below)} of {len(years)} years"
                if below
                else f"; never below the goal of {numbers.count(goal)}"
            )
        out.append({"lead": lead, "rest": rest + "."})
    return out


def _median(value: Any) -> float:
    """A single run's number, or a distribution's median (p50)."""
    return float(value["p50"]) if isinstance(value, Mapping) else float(value)


def _on_day(value: Any, horizon: int) -> str:
    """'on day 7', 'never within the 30-day horizon', or for a distribution 'on day 12 in the
    median replication (90% between day 6 and day 19)'."""
    if not isinstance(value, Mapping):
        return _day_phrase(value, horizon)
    median = _day_phrase(value["p50"], horizon)
    low, high = value["p5"], value["p95"]
    spread = f" (90% of replications between {_end(low)} and {_end(high)})"
    return f"{median} in the median replication{spread if low != high else ''}"


def _day_phrase(day: float | None, horizon: int) -> str:
    if day is None:
        return f"never within the {numbers.count(horizon)}-day horizon"
    return f"on day {numbers.days(day)}"


def _end(day: float | None) -> str:
    return "never" if day is None else f"day {numbers.days(day)}"
