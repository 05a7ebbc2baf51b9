"""Replications per second of the SimPy and vectorised engines on the default scenario.

`make bench` runs this in one process. Each measurement includes drawing the uncertain inputs
and compiling the schedules, as a Monte Carlo run does. The vectorised engine is warmed up first
(its compiled core is cached on disk after the first run; the cold start is reported apart).

Targets (issue 5, 2-core machine): the vectorised engine at least 200x the SimPy engine's
replications per second; 10,000 replications of the default scenario in under 0.25 s on one core
(munitions only) and under 2 s with platforms.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import numba

from wargame.analysis.montecarlo import run_montecarlo
from wargame.config.loading import load_study
from wargame.config.uncertain import Study

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
DEFAULT = CONFIGS / "tomahawk-wargame.toml"
# The default scenario's uncertainty, carried into the fleet model: the stock and the
# sustained rate drawn as in the default, hull losses and salvo sizes Poisson.
FLEET = (
    'munitions.tomahawk.inventory={dist="uniform",low=3000,high=4000}',
    "platforms.ddg.loss_noise='poisson'",
    "platforms.cg.loss_noise='poisson'",
    "platforms.ssn.loss_noise='poisson'",
)
REPLICATIONS = 10_000


def seconds(study: Study, replications: int, engine: str) -> float:
    """Best of three wall times for `replications` replications."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        run_montecarlo(study, replications, engine=engine)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, numba {numba.__version__}")
    default = load_study(DEFAULT)
    fleet = load_study(CONFIGS / "taiwan-fleet.toml", FLEET)
    start = time.perf_counter()
    run_montecarlo(default, 10)
    run_montecarlo(fleet, 10)
    print(f"vectorised engine first call (loads or compiles its core): "
          f"{time.perf_counter() - start:.1f} s")

    des_reps = 500
    des = des_reps / seconds(default, des_reps, "des")
    numba.set_num_threads(1)
    one_core = seconds(default, REPLICATIONS, "vector")
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    all_cores = seconds(default, REPLICATIONS, "vector")
    fleet_wall = seconds(fleet, REPLICATIONS, "vector")
    fleet_des = 100 / seconds(fleet, 100, "des")

    print(f"default scenario ({DEFAULT.name}, uncertain stock, rate and lead time):")
    print(f"  SimPy engine:       {des:12,.0f} replications/s")
    print(f"  vectorised, 1 core: {REPLICATIONS / one_core:12,.0f} replications/s"
          f"  ratio {REPLICATIONS / one_core / des:6,.0f}x  (target >= 200x)")
    print(f"  10,000 replications: {one_core:.3f} s on 1 core (target < 0.25 s), "
          f"{all_cores:.3f} s on {numba.config.NUMBA_NUM_THREADS} cores")
    print("with platforms (taiwan-fleet.toml, uncertain stock, Poisson hull losses):")
    print(f"  SimPy engine:       {fleet_des:12,.0f} replications/s")
    print(f"  vectorised:         {REPLICATIONS / fleet_wall:12,.0f} replications/s"
          f"  ratio {REPLICATIONS / fleet_wall / fleet_des:6,.0f}x")
    print(f"  10,000 replications: {fleet_wall:.3f} s (target < 2 s)")


if __name__ == "__main__":
    main()
