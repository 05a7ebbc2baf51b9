"""Compile the fleet: ports, platform classes, losses, reinforcements and shipyards, in steps.

The fleet moves on the salvo grid: conflict step k is sim time warning + k * salvo interval.
Sailing and reloading take whole steps (rounded up), so a hull's cycle is one step to decide to
leave, a transit each way, and its reload; both engines share these numbers exactly. Compiled for
a batch, every number gains a trailing replication axis (of size R, or 1 when it is fixed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from wargame.config.fleet import PlatformClass
from wargame.config.scenario import Scenario
from wargame.model.draws import Draws, per_replication, phase_rate, pick, stacked
from wargame.model.force import war_fleet
from wargame.model.rates import FloatArray, IntArray
from wargame.model.yards import YardOutput, compile_yards

STEP_SLACK = 1e-9  # durations within this of a whole number of steps count as that number
NEVER = 2**62  # the available-from step of a port whose capability was not bought


def steps(days: ArrayLike, step_days: float) -> IntArray:
    """Whole salvo intervals needed to cover `days` (0 for 0), elementwise."""
    whole = np.ceil(np.asarray(days, dtype=np.float64) / step_days - STEP_SLACK)
    return np.maximum(0, whole).astype(np.int64)


@dataclass(frozen=True)
class CompiledPort:
    """A reload port in steps."""

    name: str
    transit_steps: int
    berths: int
    reload_days_per_cell: float
    available_from_step: int  # first conflict step it can reload (negative: before the war)


@dataclass(frozen=True)
class CompiledClass:
    """A platform class: its hulls' cells per munition and what happens to it, step by step."""

    name: str
    initial_hulls: int  # on station, loaded, at conflict start (yard hulls delivered before too)
    cells: tuple[int, ...]  # loadable cells per munition, in the model's munition order
    reload_ports: tuple[int, ...]  # port indices in order of preference
    threshold: float  # leaves station when any munition's loaded cells fall to this share
    losses: IntArray  # hulls lost at each conflict step
    arrivals: IntArray  # hulls arriving empty at its port at each conflict step


@dataclass(frozen=True)
class CompiledFleet:
    """Everything the engines need to move hulls."""

    step_days: float
    steps: int  # conflict steps (salvos) in the horizon
    ports: tuple[CompiledPort, ...]
    classes: tuple[CompiledClass, ...]
    launched: tuple[bool, ...]  # per munition: fired only from loaded cells on station


@dataclass(frozen=True)
class BatchFleet:
    """The fleet for R replications: per port (P), class (C) and munition (M), replication last."""

    step_days: float
    steps: int
    port_names: tuple[str, ...]
    transit_steps: IntArray  # (P, R)
    berths: IntArray  # (P, R)
    reload_days_per_cell: FloatArray  # (P, R)
    available_from_step: IntArray  # (P, R)
    class_names: tuple[str, ...]
    initial_hulls: IntArray  # (C, R)
    cells: IntArray  # (C, M, R)
    reload_ports: tuple[tuple[int, ...], ...]  # per class, port indices by preference
    threshold: FloatArray  # (C, R)
    losses: IntArray  # (C, steps, R)
    arrivals: IntArray  # (C, steps, R)
    launched: tuple[bool, ...]

    def replication(self, r: int) -> CompiledFleet:
        """Replication r as a single run's fleet, for the SimPy engine."""
        ports = tuple(
            CompiledPort(
                name,
                int(pick(self.transit_steps[p], r)),
                int(pick(self.berths[p], r)),
                float(pick(self.reload_days_per_cell[p], r)),
                int(pick(self.available_from_step[p], r)),
            )
            for p, name in enumerate(self.port_names)
        )
        classes = tuple(
            CompiledClass(
                name,
                int(pick(self.initial_hulls[c], r)),
                tuple(pick(self.cells[c], r).tolist()),
                self.reload_ports[c],
                float(pick(self.threshold[c], r)),
                pick(self.losses[c], r),
                pick(self.arrivals[c], r),
            )
            for c, name in enumerate(self.class_names)
        )
        return CompiledFleet(self.step_days, self.steps, ports, classes, self.launched)


def compile_fleet(scenario: Scenario, draws: Draws, step_times: FloatArray) -> BatchFleet | None:
    """The fleet on the conflict's step grid, or None when the scenario has no platforms."""
    if not scenario.platforms:
        return None
    meta = scenario.scenario
    dt, warning = meta.salvo_interval_days, meta.warning_days
    bounds = np.append(step_times, float(warning + meta.horizon_days))
    port_names = list(scenario.ports)
    ports = [
        _compile_port(f"ports.{name}", port, draws, warning, dt)
        for name, port in scenario.ports.items()
    ]
    munitions = list(scenario.munitions)
    yards = compile_yards(scenario, draws, float(bounds[-1]))
    war = war_fleet(scenario, draws, yards)
    classes = [
        _compile_class(
            f"platforms.{name}", platform, draws, munitions, (warning, dt, bounds), yards[name]
        )
        | ({"hulls": war[name]} if name in war else {})
        for name, platform in scenario.platforms.items()
    ]

    def field(items: list[dict[str, Any]], key: str, ndim: int) -> Any:
        return stacked([item[key] for item in items], ndim)

    return BatchFleet(
        step_days=dt,
        steps=step_times.size,
        port_names=tuple(port_names),
        transit_steps=field(ports, "transit", 0),
        berths=field(ports, "berths", 0),
        reload_days_per_cell=field(ports, "reload", 0),
        available_from_step=field(ports, "available", 0),
        class_names=tuple(scenario.platforms),
        initial_hulls=field(classes, "hulls", 0),
        cells=field(classes, "cells", 1),
        reload_ports=tuple(
            tuple(port_names.index(p) for p in platform.reload_ports)
            for platform in scenario.platforms.values()
        ),
        threshold=field(classes, "threshold", 0),
        losses=field(classes, "losses", 1),
        arrivals=field(classes, "arrivals", 1),
        launched=tuple(name in scenario.launched_munitions for name in munitions),
    )


def _compile_port(path: str, port: Any, draws: Draws, warning: int, dt: float) -> dict[str, Any]:
    available = np.ceil(
        (draws.num(f"{path}.available_from_day", port.available_from_day) - warning) / dt
        - STEP_SLACK
    ).astype(np.int64)
    return {
        "transit": steps(draws.num(f"{path}.transit_days", port.transit_days), dt),
        "berths": draws.count(f"{path}.berths", port.berths),
        "reload": draws.num(f"{path}.reload_days_per_cell", port.reload_days_per_cell),
        "available": available if port.purchased else np.asarray(NEVER, dtype=np.int64),
    }


def _compile_class(
    path: str,
    platform: PlatformClass,
    draws: Draws,
    munitions: list[str],
    grid: tuple[int, float, FloatArray],
    yards: list[YardOutput],
) -> dict[str, Any]:
    """A class's numbers; its initial hulls here ignore the force projection (the caller's)."""
    warning, dt, bounds = grid
    n_steps = bounds.size - 1
    cells_per_hull = draws.count(f"{path}.cells_per_hull", platform.cells_per_hull)
    cells = [
        np.floor(
            cells_per_hull * draws.num(f"{path}.loadout.{m}", platform.loadout.get(m, 0.0)) + 1e-9
        ).astype(np.int64)
        for m in munitions
    ]
    loss_rate = phase_rate(platform.losses, warning, draws, f"{path}.losses")
    arrivals = per_replication(np.zeros(n_steps, dtype=np.int64), 1)
    for i, reinforcement in enumerate(platform.reinforcements):
        day = draws.num(f"{path}.reinforcements.{i}.day", reinforcement.day)
        hulls = draws.count(f"{path}.reinforcements.{i}.hulls", reinforcement.hulls)
        arrivals = _arrive(
            arrivals, per_replication(day, 0)[None], per_replication(hulls, 0)[None], dt
        )
    for output in yards:  # wartime deliveries; those before the war are in the initial hulls
        before = output.theater_days <= warning
        hulls = np.where(before, 0, output.to_theater)
        arrivals = _arrive(arrivals, output.theater_days - warning, hulls, dt)
    return {
        "hulls": draws.count(f"{path}.hulls", platform.hulls),
        "cells": np.stack(np.broadcast_arrays(*cells)),
        "threshold": draws.num(f"{path}.reload_threshold", platform.reload_threshold),
        "losses": draws.counts(
            f"{path}.losses", loss_rate, bounds, platform.loss_noise == "poisson"
        ),
        "arrivals": arrivals,
    }


def _arrive(arrivals: IntArray, days: FloatArray, hulls: IntArray, dt: float) -> IntArray:
    """`arrivals` (steps, R) plus `hulls` arriving at the first step at or after conflict `days`.

    `days` and `hulls` are (N, R) (R may be 1): N deliveries per replication. Arrivals after the
    horizon are dropped.
    """
    n_steps = arrivals.shape[0]
    width = max(arrivals.shape[1], days.shape[1], hulls.shape[1])
    step, hulls = np.broadcast_arrays(steps(days, dt), hulls)
    step, hulls = (np.broadcast_to(a, (a.shape[0], width)) for a in (step, hulls))
    out = np.array(np.broadcast_to(arrivals, (n_steps, width)))
    column = np.broadcast_to(np.arange(width), step.shape)
    keep = step < n_steps
    np.add.at(out, (step[keep], column[keep]), hulls[keep])
    return out
