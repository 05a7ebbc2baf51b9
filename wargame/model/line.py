"""A production line (of missiles or of hulls) as rates, spare capacity and a lot grid.

Anything ordered on the decision day arrives from the line's lead time, as fast as its spare
capacity (today's, plus any capital-funded addition as it ramps up) allows: its cumulative delivery
is min(ordered, spare cumulative). Every number may be an (R,) array, one per replication.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wargame.config.models import DAYS_PER_YEAR, Production
from wargame.config.suppliers import Supplier
from wargame.model.draws import FIXED, Draws
from wargame.model.rates import FloatArray, PiecewiseLinear, aligned, ramp_share, within

# Grid points closer than this to the end of a span count as the end (float noise in k * interval).
TIME_SLACK = 1e-9


@dataclass(frozen=True)
class Line:
    """A munition's production line as rates per day (sim time) and its lot grid.

    Supplemental missiles ordered on the decision day take the line's spare capacity from the lead
    time on, as fast as it allows: their cumulative delivery is min(missiles, spare cumulative).
    Lot arrays are (L,), or (L, R) when the grid differs by replication.
    """

    us_share: FloatArray  # fraction of line output delivered to US stocks
    output: PiecewiseLinear  # funded output plus surge, before the foreign share
    spare: PiecewiseLinear  # today's capacity less output, zero before the lead time
    expansion: PiecewiseLinear  # added spare per missile/year of added capacity (ramp, after lead)
    lot_times: FloatArray  # when each lot is delivered
    lot_bounds: FloatArray  # lot k carries what was made in [bounds[k], bounds[k + 1])

    def us_cumulative(
        self, t: FloatArray, missiles: FloatArray | float, added_per_year: FloatArray | float
    ) -> FloatArray:
        """Missiles made for US stocks by each of `t`: the funded share plus the supplemental."""
        return self.made(t, missiles, added_per_year, self.us_share)

    def supplemental_cumulative(
        self, t: FloatArray, missiles: FloatArray | float, added_per_year: FloatArray | float
    ) -> FloatArray:
        """Supplemental missiles made by each of `t` for orders of `missiles` in all, whoever
        they are for: min(missiles, spare + added x ramp)."""
        return self.made(t, missiles, added_per_year, 0.0)

    def made(
        self,
        t: FloatArray,
        missiles: FloatArray | float,
        added_per_year: FloatArray | float,
        share: FloatArray | float = 1.0,
    ) -> FloatArray:
        """Units made by each of `t`: `share` of the funded output plus the supplemental order
        (all of the output with the default share, foreign share included)."""
        if not np.any(np.asarray(missiles) > 0):  # no order: min(0, spare capacity) is 0
            funded = self.output.cumulative(t)
            if np.ndim(share) == 1 and funded.ndim == 1:  # share drawn per replication
                funded = funded[:, None]
            return share * funded
        spare, expansion, output = aligned(
            self.spare.cumulative(t), self.expansion.cumulative(t), self.output.cumulative(t)
        )
        if any(np.ndim(x) == 1 for x in (share, missiles, added_per_year)):
            # a number drawn per replication (R,) against times shared by all (M,): (M, 1)
            spare, expansion, output = (
                a[:, None] if a.ndim == 1 else a for a in (spare, expansion, output)
            )
        reachable = spare + added_per_year * expansion
        return share * output + np.minimum(missiles, reachable)


@dataclass(frozen=True)
class LineSpec:
    """What a production line (of missiles or hulls) is, before compiling its rates.

    Numbers are floats or (R,) arrays (one per replication).
    """

    output: PiecewiseLinear  # funded output per day, sim time
    lead_time_days: FloatArray  # decision day to the first delivery of anything ordered then
    capacity_per_year: FloatArray
    lot_interval_days: FloatArray
    expansion_delay_days: FloatArray  # added capacity starts to ramp up then
    expansion_ramp_days: FloatArray  # and is all there this much later
    us_share: FloatArray


def compile_line(spec: LineSpec, end: float) -> Line:
    """Spare and expandable capacity of a line, and its lot grid up to sim time `end`."""
    lead, output = spec.lead_time_days, spec.output
    capacity = spec.capacity_per_year / DAYS_PER_YEAR
    ramp_start, ramp_days = spec.expansion_delay_days, spec.expansion_ramp_days

    def spare_at(t: FloatArray, left: bool) -> FloatArray:
        open_ = within(t, lead, np.inf, left=left)
        return np.where(open_, np.maximum(0.0, capacity - output.value(t, left=left)), 0.0)

    def expansion_at(t: FloatArray, left: bool) -> FloatArray:
        open_ = within(t, lead, np.inf, left=left)
        share = ramp_share(t, ramp_start, ramp_days, left=left)
        return np.where(open_, share / DAYS_PER_YEAR, 0.0)

    lot_times = _lot_grid(lead, spec.lot_interval_days, end)
    last_bound = lot_times[-1:] + spec.lot_interval_days if lot_times.shape[0] else [end]
    lot_bounds = np.concatenate((lot_times, np.broadcast_to(last_bound, (1, *lot_times.shape[1:]))))
    lot_bounds[0] = 0.0  # the first lot also carries anything made before it
    return Line(
        us_share=spec.us_share,
        output=output,
        spare=PiecewiseLinear.from_breaks([*output.times, lead], spare_at),
        expansion=PiecewiseLinear.from_breaks(
            [lead, ramp_start, ramp_start + ramp_days], expansion_at
        ),
        lot_times=lot_times,
        lot_bounds=lot_bounds,
    )


def _lot_grid(lead: FloatArray, interval: FloatArray, end: float) -> FloatArray:
    """Lot times lead + k * interval (k may be negative) in [0, end): the grid meets the lead.

    For a batch the grid spans every replication's range of k; a replication's extra lots fall
    on day 0 before anything is made, or after `end`, so they carry nothing within the run.
    """
    first = -np.floor(lead / interval + TIME_SLACK)
    last = np.ceil((end - lead) / interval - TIME_SLACK)
    k = np.arange(np.min(first), np.max(last), dtype=np.float64)
    shape = np.broadcast_shapes(np.shape(lead), np.shape(interval))
    k = k.reshape(-1, *([1] * len(shape)))
    return np.maximum(lead + interval * k, 0.0)


def line_rate(
    production: Production | Supplier, warning: int, draws: Draws = FIXED, path: str = ""
) -> PiecewiseLinear:
    """The line's output per day in sim time: funded after the lead time, plus any wartime surge.

    The surge ramps linearly from the funded rate (zero before the lead time) to the surge rate;
    validation keeps both at or below capacity.
    """
    lead = draws.num(f"{path}.lead_time_days", production.lead_time_days)
    funded = draws.num(f"{path}.funded_per_year", production.funded_per_year) / DAYS_PER_YEAR
    breaks = [lead]
    surge = production.surge
    if surge is not None:
        start = warning + draws.num(f"{path}.surge.delay_days", surge.delay_days)
        ramp = draws.num(f"{path}.surge.ramp_days", surge.ramp_days)
        surge_rate = draws.num(f"{path}.surge.rate_per_year", surge.rate_per_year) / DAYS_PER_YEAR
        breaks += [start, start + ramp]

    def rate_at(t: FloatArray, left: bool) -> FloatArray:
        base = np.where(within(t, lead, math.inf, left=left), funded, 0.0)
        if surge is None:
            return base
        share = ramp_share(t, start, ramp, left=left)
        return base + share * np.maximum(0.0, surge_rate - base)

    return PiecewiseLinear.from_breaks(breaks, rate_at)
