"""A class's hulls as units for the force projection (model/force.py): cohorts, yard lots and
hulls received, each with its delivery and retirement day, and what happened to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from wargame.calendar import fiscal_year_start_day
from wargame.config.fleet import PlatformClass
from wargame.config.models import DAYS_PER_YEAR
from wargame.model.draws import Draws
from wargame.model.force_loops import count_by, take_newest
from wargame.model.rates import FloatArray, IntArray
from wargame.model.yards import YardOutput


def wide(a: IntArray, width: int) -> IntArray:
    """`a` as a writable (width,) array."""
    return np.array(np.broadcast_to(a, (width,)))


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
            "transferred": moved_by(self.taken, t, width),
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


def moved_by(events: list[tuple[FloatArray, IntArray]], t: FloatArray, width: int) -> IntArray:
    """Hulls moved by events (day, hulls) on or before each of `t` (T, 1): (T, R)."""
    total = np.zeros((t.shape[0], width), dtype=np.int64)
    for day, hulls in events:
        total += np.where(day[None] <= t, hulls[None], 0)
    return total


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


def class_units(
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
        hulls.append(wide(draws.count(f"{path}.hulls", platform.hulls), width)[None])
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


def take_transfers(
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
