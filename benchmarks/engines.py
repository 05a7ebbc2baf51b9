"""Replications per second of the SimPy and vectorised engines on the default scenario.

`make bench` runs this in one process. Two views of each engine:
- engine: running replications from a compiled batch (both engines read the same one);
- end to end: a Monte Carlo run as `wargame run` does it, drawing the uncertain inputs,
  compiling each block's schedules and collecting the outcomes.
The vectorised engine is warmed up first: its compiled core is cached on disk after the first
run, and that first call is reported apart. Times are the best of three.

Targets (issue 5, 2-core machine): the vectorised engine at least 200x the SimPy engine's
replications per second; 10,000 replications of the default scenario in under 0.25 s on one core
(munitions only) and under 2 s with platforms.

Suppliers (issue 15) are allocated while compiling each block, in numpy over the days a lot
lands. Measured on the shared 2-core machine (other jobs running): 10,000 replications of
motor-network.toml end to end in 1.50 s, against 0.99 s for the same four munitions without
suppliers and 0.56 s for the default scenario at the same moment; of the 1.50 s, compiling
(suppliers included) took 0.45 s.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

import numba
import numpy as np

from wargame.analysis.montecarlo import run_montecarlo
from wargame.config.loading import load_study
from wargame.config.uncertain import Study
from wargame.engine.des import run_des_batch
from wargame.engine.vector import run_vector
from wargame.model.compile import BatchModel, compile_batch
from wargame.model.draws import sample

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
DEFAULT = CONFIGS / "tomahawk-wargame.toml"
# The fleet model with the default's uncertain stock, and Poisson hull losses.
FLEET = (
    'munitions.tomahawk.inventory={dist="uniform",low=3000,high=4000}',
    "platforms.ddg.loss_noise='poisson'",
    "platforms.cg.loss_noise='poisson'",
    "platforms.ssn.loss_noise='poisson'",
)
# The supplier network with an uncertain motor maker and SM-6 stock: suppliers are allocated in
# the compile step of every block, so the end-to-end figure is the one they change.
NETWORK = (
    'suppliers.srm.funded_per_year={dist="uniform",low=150,high=220}',
    'munitions.sm6.inventory={dist="uniform",low=500,high=1100}',
)
REPLICATIONS = 10_000
CORES = numba.config.NUMBA_NUM_THREADS


def best(run: Callable[[], object]) -> float:
    """Best of three wall times (s)."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def batch(study: Study, replications: int) -> BatchModel:
    """A compiled batch of replications 0 .. replications - 1."""
    return compile_batch(study.scenario, sample(study.uncertain, 0, np.arange(replications)))


def report(name: str, study: Study, des_replications: int) -> None:
    """Both engines on `study`: engine only, and end to end, on one core and on all."""
    des_model = batch(study, des_replications)
    des = des_replications / best(lambda: run_des_batch(des_model))
    des_end = des_replications / best(lambda: run_montecarlo(study, des_replications, engine="des"))
    model = batch(study, REPLICATIONS)
    print(f"{name}:")
    print(f"  SimPy engine        {des:10,.0f} replications/s engine, {des_end:8,.0f} end to end")
    for cores in (1, CORES):
        numba.set_num_threads(cores)
        engine = best(lambda: run_vector(model))
        end = best(lambda: run_montecarlo(study, REPLICATIONS))
        print(
            f"  vectorised, {cores} core{'s' if cores > 1 else ' '} {REPLICATIONS / engine:10,.0f} "
            f"replications/s engine ({REPLICATIONS / engine / des:5,.0f}x), "
            f"{REPLICATIONS / end:8,.0f} end to end ({REPLICATIONS / end / des_end:4,.0f}x); "
            f"10,000 replications: {engine:.3f} s engine, {end:.3f} s end to end"
        )


def main() -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}, numba {numba.__version__}"
    )
    default = load_study(DEFAULT)
    fleet = load_study(CONFIGS / "taiwan-fleet.toml", FLEET)
    network = load_study(CONFIGS / "motor-network.toml", NETWORK)
    start = time.perf_counter()
    run_montecarlo(default, 10)
    run_montecarlo(fleet, 10)
    run_montecarlo(network, 10)
    print(
        f"first call of the vectorised core (load or compile): {time.perf_counter() - start:.1f} s"
    )
    report(f"default scenario ({DEFAULT.name}: uncertain stock, rate and lead time)", default, 500)
    report("with platforms (taiwan-fleet.toml: uncertain stock, Poisson hull losses)", fleet, 100)
    report("with suppliers (motor-network.toml: uncertain motor funding, SM-6 stock)", network, 200)


if __name__ == "__main__":
    main()
