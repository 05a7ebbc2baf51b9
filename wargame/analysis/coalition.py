"""What a coalition's missions got, what each nation gave and received, and what pooling is worth.

Everything here works on (R,) outcome arrays: a Monte Carlo batch, or a single run as a batch of
one. A mission's outcome joins its demand groups (one when pooled, one per nation when national):
it first falls short at its groups' earliest short salvo. What pooling is worth compares each
pooled mission with its national counterfactual run on the same replications (common random
numbers): days gained, with "never short within the horizon" counted as the horizon (so the gain
is then a lower bound, and says so), and demanded shots served.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.config.scenario import Scenario
from wargame.engine.results import BatchRun, GroupBatch, MunitionBatch, RunResult, stack_groups
from wargame.model.rates import FloatArray, IntArray


@dataclass(frozen=True)
class MissionOutcomes:
    """One mission in every replication."""

    days_to_depletion: FloatArray  # first salvo not served in full (conflict day; NaN: never)
    demanded: IntArray  # demanded shots
    served: IntArray  # demanded shots served
    fired_by_munition: dict[str, IntArray]  # shots each listed munition fired for it

    @property
    def shortfall(self) -> IntArray:
        """Demanded shots never served."""
        return self.demanded - self.served


def missions(groups: Sequence[GroupBatch], scenario: Scenario) -> dict[str, MissionOutcomes]:
    """Each declared mission's outcomes, joined from its demand groups."""
    out = {}
    for name, mission in scenario.missions.items():
        own = [g for g in groups if g.mission == name]
        fired = {entry.name: np.zeros_like(own[0].demanded) for entry in mission.munitions}
        for group in own:
            for j, munition in enumerate(group.members):
                fired[munition] = fired[munition] + group.shots[j]
        out[name] = MissionOutcomes(
            days_to_depletion=np.fmin.reduce([g.days_to_shortfall for g in own]),
            demanded=np.sum([g.demanded for g in own], axis=0),
            served=np.sum([g.served for g in own], axis=0),
            fired_by_munition=fired,
        )
    return out


@dataclass(frozen=True)
class PoolingValue:
    """A pooled mission against its national counterfactual, replication by replication."""

    pooled_days: FloatArray
    national_days: FloatArray
    days_gained: FloatArray  # pooled - national, "never" counted as the horizon
    lower_bound: bool  # some pooled replication never fell short: the gain is at least this
    shots_gained: IntArray  # demanded shots served pooled, less national


def pooling_value(
    pooled: dict[str, MissionOutcomes], national: dict[str, MissionOutcomes], horizon: int
) -> dict[str, PoolingValue]:
    """What pooling is worth for every mission that has a national counterfactual."""
    out = {}
    for name, alone in national.items():
        together = pooled[name]

        def censored(days: FloatArray) -> FloatArray:
            return np.where(np.isfinite(days), days, float(horizon))

        out[name] = PoolingValue(
            pooled_days=together.days_to_depletion,
            national_days=alone.days_to_depletion,
            days_gained=censored(together.days_to_depletion) - censored(alone.days_to_depletion),
            lower_bound=bool(np.any(~np.isfinite(together.days_to_depletion))),
            shots_gained=together.served - alone.served,
        )
    return out


Flows = dict[str, dict[str, IntArray]]  # munition -> fired, end_stock, received, sent (R,)


def batch_flows(munitions: Sequence[MunitionBatch]) -> Flows:
    """Each munition's flows between nations, from a batch."""
    return {
        m.name: {
            "fired": m.fired,
            "end_stock": m.end_inventory,
            "received": m.received,
            "sent": m.sent,
        }
        for m in munitions
    }


def nations(flows: Flows, scenario: Scenario) -> Flows:
    """Per nation: shots fired, the stock at the end, and missiles received from and sent to
    other nations during the conflict (allies' lots and transfers), summed over its munitions."""
    out = {}
    for nation in scenario.nations:
        own = [flows[name] for name, m in scenario.munitions.items() if m.nation == nation]
        out[nation] = {
            field: np.sum([f[field] for f in own], axis=0).astype(np.int64)
            for field in ("fired", "end_stock", "received", "sent")
        }
    return out


Stat = Callable[[np.ndarray], Any]  # (R,) outcomes -> their JSON (a number, or a distribution)


def coalition_summary(
    groups: Sequence[GroupBatch],
    national: Sequence[GroupBatch] | None,
    flows: Flows,
    scenario: Scenario,
    stat: Stat,
    stat_days: Stat,
) -> dict[str, Any]:
    """summary.json's `missions`, `collective_action` and `nations` blocks (only those the
    scenario has); `stat` and `stat_days` turn (R,) outcomes into JSON."""
    out: dict[str, Any] = {}
    if scenario.missions:
        got = missions(groups, scenario)
        out["missions"] = {
            name: {
                "days_to_depletion": stat_days(m.days_to_depletion),
                "demanded": stat(m.demanded),
                "fired": stat(m.served),
                "shortfall": stat(m.shortfall),
                "fired_by_munition": {k: stat(v) for k, v in m.fired_by_munition.items()},
            }
            for name, m in got.items()
        }
        if national is not None:
            horizon = scenario.scenario.horizon_days
            worth = pooling_value(got, missions(national, scenario), horizon)
            out["collective_action"] = {
                name: {
                    "pooled_days": stat_days(v.pooled_days),
                    "national_days": stat_days(v.national_days),
                    "days_gained": stat(v.days_gained),
                    "days_gained_is_lower_bound": v.lower_bound,
                    "shots_gained": stat(v.shots_gained),
                }
                for name, v in worth.items()
                if scenario.missions[name].pooling == "pooled" and scenario.missions[name].shares
            }
    if scenario.nations:
        out["nations"] = {
            nation: {field: stat(values) for field, values in totals.items()}
            for nation, totals in nations(flows, scenario).items()
        }
    return out


def joined(batch: BatchRun, scenario: Scenario) -> dict[str, np.ndarray]:
    """(R,) whether each nation that may stay out joined in each replication."""
    if batch.join_steps is None:
        return {}
    names = list(scenario.munitions)
    out = {}
    for nation_id, nation in scenario.nations.items():
        if nation.join_probability >= 1:
            continue
        rows = [i for i, name in enumerate(names) if scenario.munitions[name].nation == nation_id]
        if rows:
            out[nation_id] = batch.join_steps[rows[0]] < batch.step_times.size
    return out


def run_coalition(
    result: RunResult, national: RunResult | None, scenario: Scenario
) -> dict[str, Any]:
    """The coalition blocks of a single run's summary.json (plain numbers)."""
    flows = {
        r.name: {
            "fired": np.array([r.total_fired]),
            "end_stock": np.array([r.end_inventory]),
            "received": np.array([r.total_received]),
            "sent": np.array([r.total_sent]),
        }
        for r in result.munitions
    }
    counterfactual = None if national is None else stack_groups([national])
    return coalition_summary(stack_groups([result]), counterfactual, flows, scenario, _number, _day)


def _number(values: np.ndarray) -> int | float:
    value = values[0].item()
    return int(value) if float(value).is_integer() else float(value)


def _day(values: np.ndarray) -> float | None:
    return None if not np.isfinite(values[0]) else float(values[0])


def coalition_csv(result: RunResult, scenario: Scenario) -> str:
    """coalition.csv: one row per day, entity and measure (long form): each mission's demanded,
    served and shortfall and the shots each munition fired for it; each nation's stock, shots
    fired, received and sent. `day` counts from the conflict start."""
    rows: list[tuple[int, str, str, str, int]] = []
    days = np.arange(result.horizon_days + result.warning_days) - result.warning_days
    for group_day in _mission_days(result, scenario):
        rows.extend(group_day)
    for nation, series in _nation_days(result, scenario).items():
        for measure, values in series.items():
            rows.extend(
                (int(d), "nation", nation, measure, int(v))
                for d, v in zip(days, values, strict=True)
            )
    rows.sort(key=lambda row: (row[1] != "mission", row[2], row[3], row[0]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("day", "entity", "id", "measure", "value"))
    writer.writerows(rows)
    return out.getvalue()


def _mission_days(
    result: RunResult, scenario: Scenario
) -> list[list[tuple[int, str, str, str, int]]]:
    out = []
    days = np.arange(result.horizon_days + result.warning_days) - result.warning_days
    for name in scenario.missions:
        own = [g for g in result.groups if g.mission == name]
        demanded = np.sum([g.demanded for g in own], axis=0)
        served = np.sum([g.served for g in own], axis=0)
        series = {"demanded": demanded, "served": served, "shortfall": demanded - served}
        for group in own:
            for j, munition in enumerate(group.members):
                key = f"fired_{munition}"
                series[key] = series.get(key, 0) + group.shots[j]
        out.append(
            [
                (int(d), "mission", name, measure, int(v))
                for measure, values in series.items()
                for d, v in zip(days, values, strict=True)
            ]
        )
    return out


def _nation_days(result: RunResult, scenario: Scenario) -> dict[str, dict[str, np.ndarray]]:
    """Each nation's stock at each day's end and its daily flows."""
    out = {}
    for nation in scenario.nations:
        own = [r for r in result.munitions if scenario.munitions[r.name].nation == nation]
        out[nation] = {
            "stock": np.sum([r.inventory for r in own], axis=0),
            "fired": np.sum([r.fired for r in own], axis=0),
            "received": np.sum([r.foreign_in + r.transfer_in for r in own], axis=0),
            "sent": np.sum([r.transfer_out for r in own], axis=0),
        }
    return out
