"""Sweep speed: a 10-parameter Morris screening (r = 20) of the default scenario, 1,000
replications per point, on local worker processes. Target (issue 6): under 30 s on 2 cores for
days to depletion and shortfall; the time with the investment metric is reported apart.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import tomlkit

from wargame.sweep.loading import load_sweep
from wargame.sweep.run import run_sweep

DEFAULT = Path(__file__).resolve().parents[1] / "configs" / "tomahawk-wargame.toml"
PARAMETERS = {
    "munitions.tomahawk.inventory": (3000, 4000),
    "munitions.tomahawk.firing.0.rate_per_day": (400, 800),
    "munitions.tomahawk.firing.0.end_day": (4, 7),
    "munitions.tomahawk.firing.1.rate_per_day": (40, 200),
    "munitions.tomahawk.production.funded_per_year": (30, 120),
    "munitions.tomahawk.production.lead_time_days": (365, 1156),
    "munitions.tomahawk.production.capacity_per_year": (500, 1500),
    "munitions.tomahawk.production.lot_interval_days": (15, 60),
    "munitions.tomahawk.unit_cost_usd": (1.5e6, 3e6),
    "scenario.warning_days": (0, 730),
}


def spec(folder: Path, metrics: list[str]) -> Path:
    """A Morris sweep file over PARAMETERS."""
    data = {
        "sweep": {
            "name": "Morris screening, 10 parameters",
            "base": str(DEFAULT),
            "design": "morris",
            "trajectories": 20,
            "replications": 1000,
            "metrics": metrics,
        },
        "parameters": {
            name: {"low": low, "high": high} for name, (low, high) in PARAMETERS.items()
        },
    }
    path = folder / "morris.toml"
    path.write_text(tomlkit.dumps(data))
    return path


def timed(metrics: list[str]) -> tuple[float, int]:
    """Wall time of the whole sweep from an empty store, and its points."""
    with tempfile.TemporaryDirectory() as folder:
        sweep = load_sweep(spec(Path(folder), metrics))
        start = time.perf_counter()
        run = run_sweep(sweep, Path(folder) / "out")
        return time.perf_counter() - start, len(run.design.points)


def main() -> None:
    days = ["tomahawk.days_to_depletion.p50", "tomahawk.days_to_depletion.mean"]
    base, points = timed([*days, "tomahawk.shortfall.mean"])
    print(f"Morris r=20, 10 parameters, {points} points x 1,000 replications, local workers:")
    print(f"  days to depletion and shortfall: {base:.1f} s (target < 30 s)")
    invest, _ = timed([*days, "tomahawk.shortfall.mean", "invest.total_usd"])
    print(f"  with the investment metric:      {invest:.1f} s")


if __name__ == "__main__":
    main()
