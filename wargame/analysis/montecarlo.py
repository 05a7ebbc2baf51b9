"""Monte Carlo: many replications of a scenario with uncertain inputs, in blocks.

Replications run in blocks of BLOCK, so memory holds the outcomes of every replication (a few
numbers each) and one block's schedules, never replications x days. Replication r always draws
from its own streams (model/streams.py), so the numbers do not depend on the block size, the
engine, or how many replications ran before. The fan chart's stock paths are kept for the first
FAN_REPLICATIONS replications only (fewer where paths are long; every path with `paths`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from scipy import special

from wargame.config.uncertain import Study
from wargame.engine.des import run_des_batch
from wargame.engine.results import BATCH_OUTCOMES, BatchRun, GroupBatch, salvo_days
from wargame.engine.vector import run_vector
from wargame.model.compile import BatchModel, compile_batch
from wargame.model.draws import sample
from wargame.model.rates import FloatArray, IntArray

Engine = Literal["des", "vector"]
ENGINES: tuple[Engine, ...] = ("des", "vector")
BLOCK = 4096
FAN_REPLICATIONS = 2000
MAX_REPLICATIONS = 100_000  # the default cap when adding replications for --precision
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Precision:
    """A stopping rule: add replications until the mean's 95% half-width is below `days`."""

    days: float
    cap: int = MAX_REPLICATIONS


@dataclass(frozen=True)
class MonteCarlo:
    """Every replication's outcomes, and the sampled inputs behind them."""

    engine: Engine
    outcomes: BatchRun  # (R,) per munition; stock paths (salvo days, kept replications)
    inputs: dict[str, FloatArray]  # dotted path -> (R,) drawn values
    salvo_days: IntArray  # conflict day of each row of the stock paths
    half_width: float | None  # the 95% half-width of the first munition's mean days
    precision: Precision | None

    @property
    def replications(self) -> int:
        """How many replications ran."""
        return self.outcomes.size


def run_montecarlo(
    study: Study,
    replications: int,
    *,
    engine: Engine = "vector",
    precision: Precision | None = None,
    paths: bool = False,
    block: int = BLOCK,
    fan: int = FAN_REPLICATIONS,
    national: bool = False,
) -> MonteCarlo:
    """Run `replications` replications of `study` (more, up to the cap, for `precision`), in
    blocks of `block` (the results do not depend on it; memory does), keeping the stock paths
    of the first `fan` replications (of all with `paths`). `national`: every pooled mission with
    shares as its national counterfactual (model/missions.py)."""
    seed = study.scenario.scenario.seed
    blocks: list[BatchRun] = []
    inputs: list[dict[str, FloatArray]] = []
    done = 0
    while True:
        size = min(block, replications - done)
        if not paths and done < fan:  # the fan's replications in blocks of their own: the
            size = min(size, fan - done)  # rest run without recording paths (3x quicker)
        draws = sample(study.uncertain, seed, np.arange(done, done + size))
        model = compile_batch(study.scenario, draws, national=national, ledgers=False)
        keep = paths or done < fan
        blocks.append(_trim_paths(run_block(model, engine, paths=keep), done, fan, paths))
        inputs.append(dict(draws.values))
        grid = salvo_days(model.step_times)[0] - model.warning_days
        del model  # one block's schedules at a time: freed before the next is compiled
        done += size
        if done < replications:
            continue
        half = half_width(np.concatenate([b.munitions[0].days_to_depletion for b in blocks]))
        if precision is None or half is None or half < precision.days or done >= precision.cap:
            break
        replications = min(precision.cap, done + block)
    return MonteCarlo(
        engine=engine,
        outcomes=_concatenate(blocks),
        inputs={path: np.concatenate([i[path] for i in inputs]) for path in inputs[0]},
        salvo_days=grid,
        half_width=half,
        precision=precision,
    )


def half_width(days: FloatArray) -> float | None:
    """The 95% confidence half-width (Student t) of the mean of the finite `days`."""
    finite = days[np.isfinite(days)]
    if finite.size < 2:
        return None
    spread = float(np.std(finite, ddof=1)) / float(np.sqrt(finite.size))
    # Student's t quantile: special.stdtrit is what scipy.stats.t.ppf computes, without
    # loading scipy.stats (over half a second of every run's start-up)
    quantile = float(special.stdtrit(finite.size - 1, 0.5 + CONFIDENCE / 2))
    return quantile * spread


def run_block(model: BatchModel, engine: Engine, *, paths: bool = False) -> BatchRun:
    """One block with the chosen engine."""
    return (run_vector if engine == "vector" else run_des_batch)(model, paths=paths)


def _trim_paths(run: BatchRun, first: int, fan: int, every: bool) -> BatchRun:
    """Keep stock paths for replications below `fan` only, unless `every`."""
    if every:
        return run
    keep = max(0, fan - first)
    munitions = tuple(
        replace(
            m,
            stock=None if m.stock is None or keep == 0 else m.stock[:, :keep],
            fired_per_step=None
            if m.fired_per_step is None or keep == 0
            else m.fired_per_step[:, :keep],
        )
        for m in run.munitions
    )
    groups = tuple(
        replace(
            g,
            demanded_per_day=_first(g.demanded_per_day, keep),
            served_per_day=_first(g.served_per_day, keep),
        )
        for g in run.groups
    )
    return replace(run, munitions=munitions, groups=groups)


def _first(paths: IntArray | None, keep: int) -> IntArray | None:
    """The first `keep` replications' paths (None when none are kept)."""
    return None if paths is None or keep == 0 else paths[:, :keep]


def _concatenate(blocks: list[BatchRun]) -> BatchRun:
    """Blocks of replications as one run, in replication order."""
    first = blocks[0]
    munitions = []
    for i, m in enumerate(first.munitions):
        fields: dict[str, object] = {}
        for name in BATCH_OUTCOMES:
            fields[name] = np.concatenate([getattr(b.munitions[i], name) for b in blocks])
        for name in ("stock", "fired_per_step"):
            kept = [s for b in blocks if (s := getattr(b.munitions[i], name)) is not None]
            fields[name] = _side_by_side(kept)
        munitions.append(replace(m, **fields))  # type: ignore[arg-type]
    hulls = [b.hulls_lost for b in blocks if b.hulls_lost is not None]
    days = [b.launcher_limited_days for b in blocks if b.launcher_limited_days is not None]
    joins = [b.join_steps for b in blocks if b.join_steps is not None]
    groups = tuple(_join_groups([b.groups[g] for b in blocks]) for g in range(len(first.groups)))
    return replace(
        first,
        size=sum(b.size for b in blocks),
        munitions=tuple(munitions),
        hulls_lost=np.concatenate(hulls, axis=1) if hulls else None,
        launcher_limited_days=np.concatenate(days) if days else None,
        groups=groups,
        join_steps=np.concatenate(joins, axis=1) if joins else None,
    )


def _join_groups(parts: list[GroupBatch]) -> GroupBatch:
    """One demand group's outcomes across blocks, in replication order."""

    def joined(name: str) -> np.ndarray:
        return np.concatenate([getattr(part, name) for part in parts], axis=-1)

    def kept(name: str) -> np.ndarray | None:
        return _side_by_side([a for part in parts if (a := getattr(part, name)) is not None])

    return replace(
        parts[0],
        days_to_shortfall=joined("days_to_shortfall"),
        demanded=joined("demanded"),
        served=joined("served"),
        shots=joined("shots"),
        demanded_per_day=kept("demanded_per_day"),
        served_per_day=kept("served_per_day"),
    )


def _side_by_side(paths: list[IntArray]) -> IntArray | None:
    """Blocks' paths (steps, replications) joined along replications; None when no block kept
    any. One block's are returned as they are: the fan's replications are usually one block,
    and copying its paths (steps x 2,000 each) cost more than the rest of the joining."""
    if len(paths) <= 1:
        return paths[0] if paths else None
    return np.concatenate(paths, axis=1)
