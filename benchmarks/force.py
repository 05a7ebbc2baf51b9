"""The force over decades (issue 14): a 30-year projection with daily salvo steps in the war.

`configs/ssn-force.toml` moved to a war 30 years out (FY2026-FY2055), with a drawn service life
and yard capacity so every replication has its own fleet. Timed, best of three:
- the projection alone (model/force.py) for 10,000 replications, as a Monte Carlo's force
  outputs compute it;
- a 10,000-replication Monte Carlo end to end on the vectorised engine (projection, schedules,
  the war's daily steps), against the issue 5 target for scenarios with platforms (under 2 s).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from wargame.analysis.montecarlo import run_montecarlo
from wargame.config.loading import load_study
from wargame.model.draws import sample
from wargame.model.force import project_force

CONFIG = Path(__file__).resolve().parents[1] / "configs" / "ssn-force.toml"
THIRTY_YEARS = (
    "scenario.warning_days=10958",  # 2025-10-01 to 2055-10-01
    "scenario.salvo_interval_days=1",
    'platforms.ssn.service_life_years={dist="uniform",low=30,high=36}',
    'yards.eb_nns.capacity_per_year={dist="triangular",low=3.5,mode=3.7,high=4.5}',
)
REPLICATIONS = 10_000


def best(run: Callable[[], object]) -> float:
    """Best of three wall times (s)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    study = load_study(CONFIG, THIRTY_YEARS)
    draws = sample(study.uncertain, 0, np.arange(REPLICATIONS))
    run_montecarlo(study, 10)  # load the compiled core
    projection = best(lambda: project_force(study.scenario, draws))
    end = best(lambda: run_montecarlo(study, REPLICATIONS))
    print("force over decades (ssn-force.toml, 30 years, daily steps, drawn life and capacity):")
    print(f"  projection, {REPLICATIONS:,} replications: {projection:.3f} s")
    print(f"  Monte Carlo end to end, {REPLICATIONS:,} replications: {end:.3f} s (target < 2 s)")


if __name__ == "__main__":
    main()
