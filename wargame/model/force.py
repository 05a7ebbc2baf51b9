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

from wargame.calendar import fiscal_year_ends, fiscal_year_label, fiscal_year_start_day
from wargame.config.fleet import PlatformClass
from wargame.config.graph import senders_first
from wargame.config.models import DAYS_PER_YEAR
from wargame.config.scenario import Scenario
from wargame.model.draws import Draws
from wargame.model.force_loops import count_by, take_newest
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


def retirement_day(
    start: dt.date | None, first_year: int, year: int, life: FloatArray
) -> FloatArray:
    """The sim day a hull commissioned in `year` retires, for each life (years), never before 0.

    `first_year` (used without a start date) is the year the decision day opens."""
    whole = np.floor(life)
    if start is None:
        end_of_year = (year - first_year + 1 + whole) * DAYS_PER_YEAR
    else:  # the calendar for each distinct whole number of years, not for each replication
        years, where = np.unique(whole, return_inverse=True)
        days = [fiscal_year_start_day(start, year + 1 + int(w)) for w in years]
        end_of_year = np.asarray(days, dtype=np.float64)[where].reshape(whole.shape)
    return np.maximum(0.0, end_of_year + (life - whole) * DAYS_PER_YEAR)


def project_force(scenario: Scenario, draws: Draws) -> Force | None:
    """The projection for `draws` (a Monte Carlo's force outputs)."""
    end = float(scenario.scenario.warning_days + scenario.scenario.horizon_days)
    return compile_force(scenario, draws, compile_yards(scenario, draws, end), force_width(draws))


def force_width(draws: Draws) -> int:
    """Replications the projection needs: one when no drawn input is a class's or a yard's
    (every replication has the same fleet over the years), else every replication."""
    drawn = any(path.startswith(("platforms.", "yards.")) for path in draws.values)
    return draws.size if drawn else 1


def compile_force(
    scenario: Scenario, draws: Draws, yards: dict[str, list[YardOutput]], width: int
) -> Force | None:
    """Every class's projection to the run's end, or None when no class has a force over time."""
    if not any(_projected(p) for p in scenario.platforms.values()) and not scenario.yards:
        return None
    meta = scenario.scenario
    years = year_grid(meta.start_date, float(meta.warning_days + meta.horizon_days))
    newest = [c.year for p in scenario.platforms.values() for c in p.cohorts]
    first_year = max(newest) + 1 if newest else 0
    forces: dict[str, tuple[Units, History]] = {}
    received: dict[str, list[Units]] = {n: [] for n in scenario.platforms}
    for name in senders_first(scenario):
        platform = scenario.platforms[name]
        own = _units(
            f"platforms.{name}", platform, draws, yards[name], meta.start_date, first_year, width
        )
        units = own.joined(received[name])
        taken, kept = _transfers(f"platforms.{name}", platform, draws, units, width)
        for (day, take), transfer in zip(taken, platform.transfers, strict=True):
            if transfer.to in received:
                received[transfer.to].append(units.handed_over(day, take))
        forces[name] = (units, History(units, kept, [(d, t.sum(axis=0)) for d, t in taken]))
    classes = []
    for name, platform in scenario.platforms.items():
        units, history = forces[name]
        war = float(meta.warning_days)
        at_war = history.by(np.full((1, 1), war))
        classes.append(
            ClassForce(
                name,
                platform.goal_hulls,
                _wide(units.hulls[units.cohort].sum(axis=0), width),
                _wide(
                    draws.count(f"platforms.{name}.cells_per_hull", platform.cells_per_hull), width
                ),
                _war_defers(history.by(years.ends[:, None]), at_war, years.ends > war),
                at_war,
                _theater_before(yards[name], float(meta.warning_days), width),
            )
        )
    return Force(years, tuple(classes), _yard_loads(yards, years.ends, width))


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


def _wide(a: IntArray, width: int) -> IntArray:
    return np.array(np.broadcast_to(a, (width,)))


@dataclass(frozen=True)
class History:
    """What happened to a class's units: kept (never transferred) and transfers."""

    units: Units
    kept: IntArray  # (U, R)
    taken: list[tuple[FloatArray, IntArray]]  # per transfer: day (R,), hulls (R,)

    def by(self, t: FloatArray) -> dict[str, IntArray]:
        """Cumulative counts by each of `t` (T, 1) and the hulls then, each (T, R)."""
        units = self.units
        lots = np.where((units.cohort | units.received)[:, None], 0, units.hulls)
        came = np.where(units.received[:, None], units.hulls, 0)
        width = units.hulls.shape[1]
        counts = {
            "delivered": units.count_by(units.delivered_day, lots, t[:, 0]),
            "retired": units.count_by(units.retire_day, self.kept, t[:, 0]),
            "transferred": _by(self.taken, t, width),
            "received": units.count_by(units.delivered_day, came, t[:, 0]),
        }
        initial = units.hulls[units.cohort].sum(axis=0)
        counts["hulls"] = (
            initial
            + counts["delivered"]
            - counts["retired"]
            - counts["transferred"]
            + counts["received"]
        )
        return counts


def _by(events: list[tuple[FloatArray, IntArray]], t: FloatArray, width: int) -> IntArray:
    """Hulls moved by events (day, hulls) on or before each of `t` (T, 1): (T, R)."""
    total = np.zeros((t.shape[0], width), dtype=np.int64)
    for day, hulls in events:
        total += np.where(day[None] <= t, hulls[None], 0)
    return total


def _theater_before(outputs: list[YardOutput], warning: float, width: int) -> IntArray:
    """Hulls the class's yards send to the theater in time for the war (at its start)."""
    total = np.zeros(width, dtype=np.int64)
    for output in outputs:
        before = output.theater_days <= warning
        total += np.sum(np.where(before, output.to_theater, 0), axis=0)
    return total


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


@dataclass(frozen=True)
class Units:
    """A class's hulls as units (cohorts, then yard lots, then hulls received): each unit's
    hulls, delivery (or arrival) day and retirement day, (U, R); cohorts are in service from
    before day 0."""

    hulls: IntArray
    delivered_day: FloatArray
    retire_day: FloatArray
    cohort: np.ndarray  # (U,) bool
    blocks: tuple[tuple[int, int], ...]  # row ranges whose days are in order in every column
    received: np.ndarray  # (U,) bool: hulls that came from another class

    def handed_over(self, day: FloatArray, take: IntArray) -> Units:
        """The hulls `take` (U, R) of these units as another class receives them on `day` (R,):
        they arrive that day and keep their retirement days and blocks."""
        arrive = np.broadcast_to(np.asarray(day, np.float64)[None], take.shape)
        flag = np.ones(take.shape[0], dtype=bool)
        return Units(take, arrive, self.retire_day, ~flag, self.blocks, flag)

    def joined(self, others: list[Units]) -> Units:
        """These units followed by `others`' (each keeps its blocks)."""
        parts = [self, *others]
        offsets = np.cumsum([0, *(u.hulls.shape[0] for u in parts)])
        blocks = tuple(
            (a + int(off), b + int(off))
            for u, off in zip(parts, offsets, strict=False)
            for a, b in u.blocks
        )
        width = max(u.hulls.shape[1] for u in parts)
        return Units(
            np.concatenate([np.broadcast_to(u.hulls, (u.hulls.shape[0], width)) for u in parts]),
            np.concatenate(
                [np.broadcast_to(u.delivered_day, (u.hulls.shape[0], width)) for u in parts]
            ),
            np.concatenate(
                [np.broadcast_to(u.retire_day, (u.hulls.shape[0], width)) for u in parts]
            ),
            np.concatenate([u.cohort for u in parts]),
            blocks,
            np.concatenate([u.received for u in parts]),
        )

    def count_by(self, days: FloatArray, amounts: IntArray, ends: FloatArray) -> IntArray:
        """`count_by` over the units, block by block (each already in order)."""
        return sum(
            (count_by(days[a:b], amounts[a:b], ends) for a, b in self.blocks),
            np.zeros((ends.size, self.hulls.shape[1]), dtype=np.int64),
        )


def _units(
    path: str,
    platform: PlatformClass,
    draws: Draws,
    outputs: list[YardOutput],
    start: dt.date | None,
    first_year: int,
    width: int,
) -> Units:
    life = np.full(width, np.inf)
    if platform.service_life_years is not None:
        life = draws.num(f"{path}.service_life_years", platform.service_life_years)
        if platform.life_extension is not None:
            extension = platform.life_extension.years
            life = life + draws.num(f"{path}.life_extension.years", extension)
        life = np.broadcast_to(life, (width,))
    hulls, delivered, retire = [], [], []
    if not platform.cohorts:  # today's hulls, of unknown age: in service throughout
        hulls.append(_wide(draws.count(f"{path}.hulls", platform.hulls), width)[None])
        delivered.append(np.full((1, width), -np.inf))
        retire.append(np.full((1, width), np.inf))
    for cohort in sorted(platform.cohorts, key=lambda c: c.year):  # retire in this order
        hulls.append(np.full((1, width), cohort.hulls, dtype=np.int64))
        delivered.append(np.full((1, width), -np.inf))
        finite = np.isfinite(life)
        day = retirement_day(start, first_year, cohort.year, np.where(finite, life, 0.0))
        retire.append(np.where(finite, day, np.inf)[None])
    for output in outputs:
        lots = np.broadcast_to(output.delivered, (output.delivered.shape[0], width))
        times = np.broadcast_to(output.lot_times, lots.shape)
        hulls.append(lots)
        delivered.append(times)
        retire.append(times + life * DAYS_PER_YEAR)
    n_cohorts = max(1, len(platform.cohorts))
    stacked = np.concatenate(hulls)
    in_service = np.arange(stacked.shape[0]) < n_cohorts
    edges = np.cumsum([0, n_cohorts, *(len(o.lot_times) for o in outputs)])
    blocks = tuple(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))
    return Units(
        stacked,
        np.concatenate(delivered),
        np.concatenate(retire),
        in_service,
        blocks,
        np.zeros(stacked.shape[0], dtype=bool),
    )


def _transfers(
    path: str, platform: PlatformClass, draws: Draws, units: Units, width: int
) -> tuple[list[tuple[FloatArray, IntArray]], IntArray]:
    """Each transfer's day (R,) and the hulls it takes from each unit (U, R), and each unit's
    hulls never transferred.

    A transfer takes the hulls in service on its day with the latest retirement first."""
    left = np.array(units.hulls)
    out = []
    blocks = np.asarray(units.blocks, dtype=np.int64).reshape(-1, 2)
    for i, transfer in enumerate(platform.transfers):
        day = np.broadcast_to(draws.num(f"{path}.transfers.{i}.day", transfer.day), (width,))
        want = np.broadcast_to(draws.count(f"{path}.transfers.{i}.hulls", transfer.hulls), (width,))
        take = np.zeros_like(left)
        take_newest(
            units.delivered_day,
            units.retire_day,
            np.asarray(day, np.float64),
            np.asarray(want, np.int64),
            blocks,
            left,
            take,
        )
        out.append((day, take))
    return out, left
