"""Day-by-day bands of a Monte Carlo coalition run: each mission's demand served and shortfall,
and each nation's stock, as quantiles over the replications whose paths were kept.

A mission's served shots on a day are the demanded shots its groups served that day (backlog
included); its shortfall by a day is what it demanded up to that day's end less what it served
(with backlog, what is still owed; without, what was lost). A nation's stock is the sum of its
munitions' stocks (ashore and in cells) at the day's end. The same rows as the munitions' fan
chart: the kept replications (the first FAN_REPLICATIONS, or all with --paths).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from wargame.analysis.montecarlo import MonteCarlo
from wargame.analysis.uncertainty import FAN_QUANTILES, fan_quantiles
from wargame.config.scenario import Scenario
from wargame.model.rates import IntArray

BAND_COLUMNS = ("entity", "id", "measure", "day", *(f"p{round(q * 100)}" for q in FAN_QUANTILES))


@dataclass(frozen=True)
class Paths:
    """One measure's kept paths: (days with a salvo, kept replications)."""

    entity: str  # mission or nation
    id: str
    measure: str  # served, shortfall, stock
    values: IntArray

    def quantiles(self) -> np.ndarray:
        """(quantiles, days): the FAN_QUANTILES of each day over the kept replications."""
        return fan_quantiles(self.values)


def coalition_paths(mc: MonteCarlo, scenario: Scenario) -> tuple[Paths, ...]:
    """Every mission's served and shortfall paths and every nation's stock paths (none where
    the run kept no paths)."""
    out: list[Paths] = []
    for name in scenario.missions:
        groups = [g for g in mc.outcomes.groups if g.mission == name]
        served = [g.served_per_day for g in groups if g.served_per_day is not None]
        demanded = [g.demanded_per_day for g in groups if g.demanded_per_day is not None]
        if not served or len(served) != len(groups):
            continue
        served_sum, demanded_sum = np.sum(served, axis=0), np.sum(demanded, axis=0)
        short = np.cumsum(demanded_sum - served_sum, axis=0)
        out += [
            Paths("mission", name, "served", served_sum),
            Paths("mission", name, "shortfall", short),
        ]
    for nation in scenario.nations:
        own = [
            run.stock
            for run in mc.outcomes.munitions
            if scenario.munitions[run.name].nation == nation and run.stock is not None
        ]
        if own:
            out.append(Paths("nation", nation, "stock", np.sum(own, axis=0)))
    return tuple(out)


def coalition_bands_csv(mc: MonteCarlo, scenario: Scenario) -> str:
    """coalition_bands.csv: per mission and nation, measure and day, the quantiles over the
    kept replications (long form, like coalition.csv)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*BAND_COLUMNS, "paths"))
    days = mc.salvo_days.tolist()
    for paths in coalition_paths(mc, scenario):
        bands = paths.quantiles()
        for i, day in enumerate(days):
            row = [int(b) for b in bands[:, i]]
            writer.writerow(
                (paths.entity, paths.id, paths.measure, day, *row, paths.values.shape[1])
            )
    return out.getvalue()
