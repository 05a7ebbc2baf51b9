"""The Python API, for notebooks: the CLI's commands as functions returning typed results.

    import wargame
    study = wargame.load("configs/tomahawk-wargame.toml", overrides=["scenario.target_days=6"])
    result = wargame.run(study, replications=500)
    result.summary["munitions"]["tomahawk"]["days_to_depletion"]["p50"]   # 5.0
    result.to_dataframe()          # one row per replication and munition (pandas)

Each function does what its command does (the same runner code, the same numbers) but writes no
files: a result holds the text of every file the command would write (`files`), so
`result.save(folder)` writes them as one unit when you want them. pandas is optional: only the
`to_dataframe()` accessors need it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame import __version__
from wargame.analysis.montecarlo import ENGINES, Engine
from wargame.analysis.store import publish
from wargame.config.loading import load_study
from wargame.config.uncertain import Study
from wargame.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from wargame.analysis.compare import Comparison
    from wargame.analysis.invest import Plan

__all__ = ["CompareResult", "InvestResult", "Result", "compare", "invest", "load", "run", "sweep"]

PathLike = str | Path


def load(path: PathLike, overrides: Sequence[str] = ()) -> Study:
    """The scenario at `path` with `--set` style `overrides` ("DOTTED.PATH=VALUE"), validated;
    InputError (one line naming the file and field) if it is not a valid scenario."""
    return load_study(Path(path), overrides)


@dataclass(frozen=True)
class Result:
    """What a command computed: its main JSON document (`summary`: summary.json, invest.json
    or indices.json's content) and the text of every file it would write."""

    kind: str  # run | monte_carlo | invest | sweep | compare
    summary: Any
    files: dict[str, str | bytes]

    def table(self, name: str) -> list[dict[str, str]]:
        """One of the result's CSV files as rows of text, e.g. "timeseries.csv"."""
        text = self.files[name]
        return list(csv.DictReader(io.StringIO(text if isinstance(text, str) else text.decode())))

    def to_dataframe(self, name: str | None = None) -> pd.DataFrame:
        """A CSV file of the result as a pandas DataFrame (numbers typed). By default the
        per-replication outcomes of a Monte Carlo run (replications.csv), the day-by-day
        series of a run (timeseries.csv), the cost curve of an invest, the sweep's table or
        the comparison's outcomes."""
        pandas = _pandas()
        chosen = name or DEFAULT_TABLES[self.kind]
        text = self.files[chosen]
        return pandas.read_csv(io.StringIO(text if isinstance(text, str) else text.decode()))

    def save(self, out_dir: PathLike) -> Path:
        """Write every file into `out_dir` as one unit (replacing a previous run there)."""
        folder = Path(out_dir)
        about = self.summary if isinstance(self.summary, dict) else {}
        meta = {
            "kind": self.kind,
            "scenario": about.get("scenario", ""),
            "config_sha256": about.get("config_sha256", ""),
            "wargame_version": __version__,
        }
        publish(folder, self.files, meta)
        return folder


DEFAULT_TABLES = {
    "run": "timeseries.csv",
    "monte_carlo": "replications.csv",
    "invest": "cost_curve.csv",
    "sweep": "sweep.csv",
    "compare": "compare.csv",
}


@dataclass(frozen=True)
class InvestResult(Result):
    """An invest's answer: `plan` (total, purchases, what binds) beside invest.json."""

    plan: Plan | None = None


@dataclass(frozen=True)
class CompareResult(Result):
    """A comparison: `comparison` holds every arm and difference at full precision."""

    comparison: Comparison | None = None


def run(
    study: Study | PathLike,
    *,
    replications: int | None = None,
    engine: Engine | None = None,
) -> Result:
    """Run a scenario as `wargame run` does: one SimPy run when its inputs are fixed and one
    replication is asked, else a Monte Carlo of `replications` (default: the file's)."""
    from wargame.runner import run_scenario, run_study

    study = study if isinstance(study, Study) else load(study)
    if engine is not None and engine not in ENGINES:
        raise InputError(f"engine {engine!r}: choose one of {', '.join(ENGINES)}")
    count = replications or study.replications
    if not study.stochastic and count == 1 and engine != "vector":
        output = run_scenario(study.scenario)
        return Result("run", output.summary, dict(output.files))
    mc = run_study(study, count, engine or "vector")
    return Result("monte_carlo", mc.summary, dict(mc.files))


def invest(
    path: PathLike,
    overrides: Sequence[str] = (),
    *,
    target_days: float | None = None,
    risk: float | None = None,
) -> InvestResult:
    """The least supplemental money that meets demand for `target_days` (default: the file's
    scenario.target_days), as `wargame invest` finds it. `plan.feasible` says whether any
    money does; closed.toml (in `files`) is the scenario with the purchase applied."""
    from wargame.investing import invest_scenario

    if target_days is None:
        target_days = load(path, overrides).scenario.scenario.target_days
    output = invest_scenario(Path(path), overrides, target_days, risk, Path())
    return InvestResult("invest", output.summary, dict(output.files), plan=output.plan)


def sweep(path: PathLike, out_dir: PathLike, *, workers: int | None = None) -> Result:
    """Run (or resume) the sweep file at `path`, keeping finished points in OUT/points/ as
    `wargame sweep` does; the result holds the table, the indices and the report."""
    from wargame.sweep.command import sweep_outputs
    from wargame.sweep.loading import load_sweep

    folder = Path(out_dir)
    output = sweep_outputs(load_sweep(Path(path)), folder, [], None, workers, None)
    return Result("sweep", json.loads(output.files["indices.json"]), dict(output.files))


def compare(
    *sources: PathLike,
    overrides: Sequence[str] = (),
    replications: int | None = None,
    seed: int | None = None,
    target_days: float | None = None,
    paired: bool = True,
) -> CompareResult:
    """Compare run folders and config files against the first, as `wargame compare` does;
    `comparison.rows` holds each outcome's values and differences with their intervals."""
    from wargame.comparison import compare_runs, comparison_json

    output = compare_runs(
        [Path(s) for s in sources],
        overrides,
        replications=replications,
        seed=seed,
        target_days=target_days,
        paired=paired,
    )
    document = comparison_json(output.comparison)
    return CompareResult("compare", document, dict(output.files), comparison=output.comparison)


def _pandas() -> Any:
    """pandas, or an error that says how to get it."""
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "to_dataframe() needs pandas, which wargame does not install: pip install pandas"
        ) from None
    return pandas
