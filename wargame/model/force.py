"""The force over decades: each class's hulls by year, from cohorts, yards, retirements and
transfers, on the simulation clock (day 0 is the decision day).

Rules, applied per replication:

- A cohort's hulls are in service on day 0 (they are the class's `hulls`). With a `start_date`,
  a cohort of (fiscal) year y retires at the end of FY(y + life): whole years by the calendar,
  a fractional part of a life as that share of 365 days. Without one, the decision day opens
  year Y0 = the newest cohort's year + 1, and years are the 365-day years from day 0. A hull past
  its life on the decision day retires on day 0. Without cohorts, today's hulls do not retire.
- Yards deliver hulls in monthly lots (model/yards.py); each lot retires `life` years (of 365
  days) after its delivery.
- On one day, deliveries come first, then retirements, then transfers, which take the newest hulls
  in service (those with the most life left; ties: cohorts before lots, earliest listed first)
  and never more than are in service. Transfers are made in their listed order.
- Hulls transferred to another platform class join it on the transfer day and keep their
  retirement day (their own class's life from their commissioning or delivery); the receiving
  class may transfer them again. Classes are projected senders first (transfers between classes
  form no cycle: config/graph.py).
- The projection has no combat losses; the war's losses are in the fleet's outputs. A war that
  starts after `warning_days` meets the hulls in service then (engine/phases.py); retirements and
  transfers due during the war are deferred (a navy at war keeps its hulls), deliveries arrive.
  The years' counts defer them too: a year ending after the war starts counts the retirements
  and transfers made by its start.

Hence, at any time t: hulls(t) = initial - retired(t) + delivered(t) - transferred(t) + received(t).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from wargame.calendar import fiscal_year_ends, fiscal_year_label
from wargame.config.fleet import PlatformClass
from wargame.config.graph import senders_first
from wargame.config.models import DAYS_PER_YEAR
from wargame.config.scenario import Scenario
from wargame.model.draws import Draws
from wargame.model.force_loops import count_by
from wargame.model.force_units import History, Units, class_units, take_transfers, wide
from wargame.model.rates import FloatArray, IntArray
from wargame.model.yards import YardOutput, compile_yards

COUNTS = ("delivered", "retired", "transferred", "received")  # per year, beside hulls and cells


@dataclass(frozen=True)
class YearGrid:
    """The projection's years: each year's label and the day it ends (sim days)."""

    labels: tuple[str, ...]
    ends: FloatArray  # (Y,)


@dataclass(frozen=True)
class ClassForce:
    """One class's projection: cumulative counts at each year end, and at the war's start."""

    name: str
    goal_hulls: int | None
    initial: IntArray  # (R,)
    cells_per_hull: IntArray  # (R,)
    by_year: dict[str, IntArray]  # COUNTS and "hulls": (Y, R), cumulative counts by each year end
    at_war: dict[str, IntArray]  # COUNTS and "hulls": (R,), by the war's start (deliveries all)
    theater_before_war: IntArray  # (R,) hulls delivered to the theater before the war


@dataclass(frozen=True)
class YardLoad:
    """A yard's work by each year end (cumulative units, (Y, R)): what it could do, and what each
    class it builds took."""

    name: str
    capacity: FloatArray
    work: dict[str, FloatArray]


@dataclass(frozen=True)
class Force:
    """Every class's projection over the same years, and the load on each yard."""

    years: YearGrid
    classes: tuple[ClassForce, ...]
    yards: tuple[YardLoad, ...]


def year_grid(start: dt.date | None, last_day: float) -> YearGrid:
    """Fiscal years ending in (0, last_day] with a start date; else 365-day years from day 0."""
    if start is not None:
        ends = fiscal_year_ends(start, 0.0, last_day)
        return YearGrid(
            tuple(fiscal_year_label(y) for y, _ in ends), np.array([e for _, e in ends])
        )
    count = int(np.ceil(last_day / DAYS_PER_YEAR - 1e-9)) if last_day > 0 else 0
    ends_ = np.minimum(np.arange(1, count + 1) * DAYS_PER_YEAR, last_day)
    return YearGrid(tuple(f"year {k}" for k in range(1, count + 1)), ends_.astype(np.float64))


def project_force(scenario: Scenario, draws: Draws) -> Force | None:
    """The projection for `draws` (a Monte Carlo's force outputs)."""
    end = float(scenario.scenario.warning_days + scenario.scenario.horizon_days)
    return compile_force(scenario, draws, compile_yards(scenario, draws, end), force_width(draws))


def has_force(scenario: Scenario) -> bool:
    """Whether any class has a force over time (cohorts, transfers, yards...): else there is
    no projection, and nothing to draw for one."""
    return any(_projected(p) for p in scenario.platforms.values()) or bool(scenario.yards)


def force_width(draws: Draws) -> int:
    """Replications the projection needs: one when no drawn input is a class's or a yard's
    (every replication has the same fleet over the years), else every replication."""
    drawn = any(path.startswith(("platforms.", "yards.")) for path in draws.values)
    return draws.size if drawn else 1


def compile_force(
    scenario: Scenario,
    draws: Draws,
    yards: dict[str, list[YardOutput]],
    width: int,
    *,
    by_year: bool = True,
) -> Force | None:
    """Every class's projection to the run's end, or None when no class has a force over time.
    Without `by_year`, only the counts at the war's start (war_hulls): no years, no yards' load."""
    if not has_force(scenario):
        return None
    meta = scenario.scenario
    last_day = float(meta.warning_days + meta.horizon_days)
    years = year_grid(meta.start_date, last_day) if by_year else YearGrid((), np.zeros(0))
    newest = [c.year for p in scenario.platforms.values() for c in p.cohorts]
    first_year = max(newest) + 1 if newest else 0
    forces: dict[str, tuple[Units, History]] = {}
    received: dict[str, list[Units]] = {n: [] for n in scenario.platforms}
    for name in senders_first(scenario):
        platform, path = scenario.platforms[name], f"platforms.{name}"
        own_width = _class_width(path, draws, yards[name], received[name], width)
        own = class_units(
            path, platform, draws, yards[name], meta.start_date, first_year, own_width
        )
        units = own.joined(received[name])
        taken, kept = take_transfers(path, platform, draws, units, own_width)
        for (day, take), transfer in zip(taken, platform.transfers, strict=True):
            if transfer.to in received:
                received[transfer.to].append(units.handed_over(day, take))
        forces[name] = (units, History(units, kept, [(d, t.sum(axis=0)) for d, t in taken]))
    classes = []
    for name, platform in scenario.platforms.items():
        units, history = forces[name]
        war = float(meta.warning_days)
        at_war = _widened(history.by(np.full((1, 1), war)), width)
        classes.append(
            ClassForce(
                name,
                platform.goal_hulls,
                wide(units.hulls[units.cohort].sum(axis=0), width),
                wide(
                    draws.count(f"platforms.{name}.cells_per_hull", platform.cells_per_hull), width
                ),
                _war_defers(
                    _widened(history.by(years.ends[:, None]), width), at_war, years.ends > war
                )
                if by_year
                else {},
                at_war,
                _theater_before(yards[name], float(meta.warning_days), width),
            )
        )
    loads = _yard_loads(yards, years.ends, width) if by_year else ()
    return Force(years, tuple(classes), loads)


def _war_defers(
    by_year: dict[str, IntArray], at_war: dict[str, IntArray], in_war: np.ndarray
) -> dict[str, IntArray]:
    """The counts by each year end with what the war defers left out: a year ending after the
    war starts (`in_war`, (Y,)) has the retirements and transfers (sent and received) made by
    the war's start, no more (a navy at war keeps its hulls, as both engines do); deliveries
    go on. Hulls are the identity's again."""
    out = dict(by_year)
    for key in ("retired", "transferred", "received"):
        out[key] = np.where(in_war[:, None], at_war[key], by_year[key])
    out["hulls"] = (
        by_year["hulls"]
        + (by_year["retired"] - out["retired"])
        + (by_year["transferred"] - out["transferred"])
        - (by_year["received"] - out["received"])
    )
    return out


def _yard_loads(
    yards: dict[str, list[YardOutput]], ends: FloatArray, width: int
) -> tuple[YardLoad, ...]:
    by_yard: dict[str, list[YardOutput]] = {}
    for outputs in yards.values():
        for output in outputs:
            by_yard.setdefault(output.yard, []).append(output)
    loads = []
    for name, outputs in by_yard.items():
        capacity = outputs[0].capacity.work_by(ends)
        work = {}
        for output in outputs:
            done = count_by(output.lot_times, output.delivered, ends)
            work[output.platform] = np.broadcast_to(done * output.work_per_hull, (ends.size, width))
        loads.append(
            YardLoad(
                name, np.broadcast_to(capacity.reshape(ends.size, -1), (ends.size, width)), work
            )
        )
    return tuple(loads)


def _class_width(
    path: str, draws: Draws, outputs: list[YardOutput], received: list[Units], width: int
) -> int:
    """Replications a class's own projection needs: `width` when any of its inputs differs by
    replication (one of its own drawn, its yards' deliveries, hulls it receives), else one.
    A class drawn on nothing is projected once, not once per replication, and widened at the
    end (most classes of a scenario with one uncertain yard)."""
    drawn = any(key.startswith(f"{path}.") for key in draws.values)
    widths = [o.delivered.shape[1] for o in outputs] + [o.lot_times.shape[1] for o in outputs]
    widths += [u.hulls.shape[1] for u in received]
    return width if drawn or max(widths, default=1) > 1 else 1


def _widened(counts: dict[str, IntArray], width: int) -> dict[str, IntArray]:
    """Counts (T, 1 or R) as (T, width) arrays."""
    return {k: np.array(np.broadcast_to(v, (v.shape[0], width))) for k, v in counts.items()}


def _theater_before(outputs: list[YardOutput], warning: float, width: int) -> IntArray:
    """Hulls the class's yards send to the theater in time for the war (at its start)."""
    total = np.zeros(width, dtype=np.int64)
    for output in outputs:
        before = output.theater_days <= warning
        total += np.sum(np.where(before, output.to_theater, 0), axis=0)
    return total


def war_fleet(
    scenario: Scenario, draws: Draws, yards: dict[str, list[YardOutput]]
) -> dict[str, IntArray]:
    """Each projected class's hulls in the theater when the war starts, (R,) or (1,): the fleet
    that loads out. The projection's years are not needed for it, so they are not counted."""
    force = compile_force(scenario, draws, yards, force_width(draws), by_year=False)
    return {} if force is None else {c.name: war_hulls(c) for c in force.classes}


def war_hulls(force: ClassForce) -> IntArray:
    """The class's hulls in the theater when the war starts (R,): those on station at the
    decision day less the retired and transferred, plus the theater's deliveries and receipts."""
    at_war = force.at_war
    hulls = (
        force.initial
        + force.theater_before_war
        - at_war["retired"][0]
        - at_war["transferred"][0]
        + at_war["received"][0]
    )
    out: IntArray = np.maximum(hulls, 0)
    return out


def _projected(platform: PlatformClass) -> bool:
    return bool(
        platform.cohorts
        or platform.transfers
        or platform.yard is not None
        or platform.service_life_years is not None
        or platform.goal_hulls is not None
    )
