"""Missions as demand groups, nations as join steps, transfers as a schedule: for both engines.

A *group* is one stream of demand served from an ordered list of munitions. Each munition with
its own `firing` plan is a group of one (the model before missions, unchanged); a pooled mission
is one group listing every munition it names; a national mission is one group per nation with a
share, listing that nation's munitions only. Groups are served in order at each salvo: munitions'
own plans first (scenario order), then the missions (file order), each group in full before the
next, so two missions drawing on one stock on the same step are served in file order.

Serving a group at a salvo (both engines, engine/serve rules below):
    remaining = new demand + backlog carried (demanded shots, in the first munition's terms)
    for each listed munition of a nation that has joined, in order:
        per = its shots per demanded shot; can = its stock ashore (or loaded cells on station)
        units = remaining if shots_for(remaining, per) <= can else units_within(can, per)
        fire shots_for(units, per); remaining -= units
Whole shots: a substitute needing 1.5 shots a target fires ceil(1.5 u) for u targets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wargame.config.scenario import Scenario
from wargame.model.draws import Draws, per_replication, phase_rate, pick
from wargame.model.fleet import steps
from wargame.model.rates import FloatArray, IntArray

SHOT_SLACK = 1e-9  # shots of k x units within this of a whole number are that number
NEVER_STEP = 2**62  # the join step of a nation that does not join


def shots_for(units: int, per: float) -> int:
    """Whole shots that serve `units` demanded shots at `per` shots each: ceil(units x per)
    (one for one without float arithmetic: the compiled core calls this every salvo)."""
    if per == 1.0:
        return units
    return math.ceil(units * per - SHOT_SLACK)


def units_within(can: int, per: float) -> int:
    """The most demanded shots that `can` shots serve at `per` shots each: floor(can / per)."""
    if per == 1.0:
        return can
    return math.floor((can + SHOT_SLACK) / per)


@dataclass(frozen=True)
class BatchGroup:
    """One demand stream for R replications: who it belongs to and who may serve it."""

    label: str  # the munition's name, the mission's, or "mission/nation"
    mission: str | None  # the mission (None: a munition's own plan)
    nation: str | None  # the nation whose share this is (national pooling), else None
    demand: IntArray  # (steps, R or 1) demanded shots at each salvo
    backlog: bool
    members: tuple[int, ...]  # munition indices, in order of preference
    shots_per_demand: tuple[float, ...]

    def replication(self, r: int) -> BatchGroup:
        """Replication r (a trailing axis of 1)."""
        return BatchGroup(
            self.label,
            self.mission,
            self.nation,
            pick(self.demand, r)[:, None],
            self.backlog,
            self.members,
            self.shots_per_demand,
        )


@dataclass(frozen=True)
class Transfers:
    """Scheduled transfers between munitions: at `step`, up to `missiles` from `source` to
    `target`, in the order given (steps: the first salvo at or after the day)."""

    step: IntArray  # (T, R or 1)
    source: IntArray  # (T,) munition indices
    target: IntArray  # (T,)
    missiles: IntArray  # (T, R or 1)

    def replication(self, r: int) -> Transfers:
        """Replication r (a trailing axis of 1)."""
        return Transfers(
            pick(self.step, r)[:, None],
            self.source,
            self.target,
            pick(self.missiles, r)[:, None],
        )


def compile_groups(
    scenario: Scenario,
    draws: Draws,
    own_demand: list[IntArray],
    bounds: FloatArray,
    *,
    national: bool = False,
) -> tuple[BatchGroup, ...]:
    """Every demand group. `own_demand` is each munition's own salvo demand (steps, R or 1);
    `bounds` the salvo bounds in sim time (steps + 1). `national` turns every pooled mission
    with shares into its national counterfactual."""
    names = list(scenario.munitions)
    groups = [
        BatchGroup(name, None, None, own_demand[i], munition.backlog, (i,), (1.0,))
        for i, (name, munition) in enumerate(scenario.munitions.items())
        if munition.firing
    ]
    warning = scenario.scenario.warning_days
    for mission_id, mission in scenario.missions.items():
        path = f"missions.{mission_id}"
        rate = phase_rate(mission.firing, warning, draws, f"{path}.firing")
        noisy = mission.salvo_noise == "poisson"
        total = per_replication(draws.counts(f"{path}.salvos", rate, bounds, noisy), 1)
        entries = [(names.index(e.name), e.shots_per_demand) for e in mission.munitions]
        if mission.pooling == "pooled" and not (national and mission.shares):
            members, per = zip(*entries, strict=True)
            groups.append(
                BatchGroup(mission_id, mission_id, None, total, mission.backlog, members, per)
            )
            continue
        split = split_by_shares(total, list(mission.shares.values()))
        for n, nation in enumerate(mission.shares):
            own = [(i, k) for i, k in entries if scenario.munitions[names[i]].nation == nation]
            members, per = (tuple(x) for x in zip(*own, strict=True)) if own else ((), ())
            groups.append(
                BatchGroup(
                    f"{mission_id}/{nation}",
                    mission_id,
                    nation,
                    split[n],
                    mission.backlog,
                    members,
                    per,
                )
            )
    return tuple(groups)


def split_by_shares(total: IntArray, shares: list[float]) -> IntArray:
    """(N, steps, R): each step's whole demanded shots split among N nations by their shares.

    Exact (the nations' shots add up to the total at every step) and never negative: each step
    gives every nation the floor of its share of the step's demand, then one more shot each to
    the nations furthest behind their share of the running total (ties: the first listed), so
    every nation's running total stays within a shot or so of its exact share.
    """
    steps, width = total.shape
    share = np.asarray(shares, dtype=np.float64)[:, None]
    given = np.zeros((share.shape[0], width), dtype=np.int64)
    running = np.zeros(width, dtype=np.int64)
    out = np.zeros((share.shape[0], steps, width), dtype=np.int64)
    for k in range(steps):
        demand = total[k]
        running = running + demand
        base = np.floor(share * demand + SHOT_SLACK).astype(np.int64)
        left = demand - base.sum(axis=0)
        behind = share * running - (given + base)
        rank = np.argsort(np.argsort(-behind, axis=0, kind="stable"), axis=0, kind="stable")
        out[:, k] = base + (rank < left)
        given += out[:, k]
    return out


def join_steps(scenario: Scenario, draws: Draws, n_steps: int) -> IntArray:
    """(M, R or 1): the salvo step from which each munition's nation serves (NEVER_STEP: it
    never joins). A nation joins with its probability, drawn once per replication; a run
    without randomness takes the likelier outcome (it joins when the probability is >= 0.5)."""
    dt = scenario.scenario.salvo_interval_days
    rows = []
    for munition in scenario.munitions.values():
        if munition.nation is None:
            rows.append(np.zeros(1, dtype=np.int64))
            continue
        path = f"nations.{munition.nation}"
        nation = scenario.nations[munition.nation]
        step = per_replication(steps(draws.num(f"{path}.joins_day", nation.joins_day), dt), 0)
        chance = per_replication(draws.num(f"{path}.join_probability", nation.join_probability), 0)
        u = draws.stream(f"{path}.joins", 1)
        joins = chance >= 0.5 if u is None else u[0] < chance
        rows.append(np.where(joins & (step < n_steps), step, NEVER_STEP))
    width = max(row.shape[0] for row in rows)
    return np.stack([np.broadcast_to(row, (width,)) for row in rows])


def compile_transfers(scenario: Scenario, draws: Draws) -> Transfers:
    """The scheduled transfers as arrays (steps from the conflict start)."""
    names = list(scenario.munitions)
    dt = scenario.scenario.salvo_interval_days
    if not scenario.transfers:
        empty = np.zeros((0, 1), dtype=np.int64)
        return Transfers(empty, np.zeros(0, np.int64), np.zeros(0, np.int64), empty)
    step, missiles = [], []
    for i, transfer in enumerate(scenario.transfers):
        path = f"transfers.{i}"
        step.append(per_replication(steps(draws.num(f"{path}.day", transfer.day), dt), 0))
        missiles.append(per_replication(draws.count(f"{path}.missiles", transfer.missiles), 0))
    return Transfers(
        np.stack(np.broadcast_arrays(*step)),
        np.array([names.index(t.source) for t in scenario.transfers], dtype=np.int64),
        np.array([names.index(t.to) for t in scenario.transfers], dtype=np.int64),
        np.stack(np.broadcast_arrays(*missiles)),
    )


def has_counterfactual(scenario: Scenario) -> bool:
    """Whether a pooled mission has shares: its national counterfactual is worth running."""
    return any(m.pooling == "pooled" and m.shares for m in scenario.missions.values())
