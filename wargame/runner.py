"""`wargame run`'s work: from a validated scenario to the files a run writes (content only, no
I/O). Invest's is in wargame/investing.py, a sweep's in wargame/sweep/command.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.analysis.budget import (
    DEFAULT_BUDGET,
    Budget,
    block_size,
    check_memory,
    check_work,
    fan_size,
    size_of,
)
from wargame.analysis.coalition import coalition_csv, run_coalition
from wargame.analysis.coalition_bands import coalition_bands_csv
from wargame.analysis.force import force_csv, montecarlo_blocks, run_blocks
from wargame.analysis.inputs_table import inputs_csv
from wargame.analysis.metrics import summary, timeseries_csv
from wargame.analysis.montecarlo import (
    BLOCK,
    FAN_REPLICATIONS,
    Engine,
    MonteCarlo,
    Precision,
    run_montecarlo,
)
from wargame.analysis.store import to_json
from wargame.analysis.supply import suppliers_block, suppliers_csv
from wargame.analysis.uncertainty import (
    bands_csv,
    montecarlo_summary,
    paths_csv,
    replications_csv,
)
from wargame.config.loading import scenario_sha256, study_sha256
from wargame.config.provenance import with_provenance
from wargame.config.scenario import Scenario
from wargame.config.uncertain import Study
from wargame.engine.des import run_des
from wargame.engine.results import RunResult
from wargame.model.compile import compile_scenario
from wargame.model.draws import FIXED, sample
from wargame.model.force import has_force, project_force
from wargame.model.missions import has_counterfactual
from wargame.report.montecarlo_report import montecarlo_report
from wargame.report.run_report import run_report


@dataclass(frozen=True)
class RunOutput:
    """A finished run: its results, its summary and the text of every output file."""

    result: RunResult
    summary: dict[str, Any]
    files: dict[str, str]


def run_scenario(
    scenario: Scenario,
    budget: Budget = DEFAULT_BUDGET,
    origin: str = "the scenario",
    provenance: dict[str, Any] | None = None,
) -> RunOutput:
    """Compile and simulate `scenario` with the SimPy engine; render summary, CSV and report.

    `origin` (the config file) names the run in a refusal when it is over `budget`;
    `provenance` (config/provenance.py) joins the summary before the report is rendered."""
    size = size_of(scenario)
    check_work(size, 2 if has_counterfactual(scenario) else 1, budget, origin, des=True)
    model = compile_scenario(scenario)
    result = run_des(model)
    national = None
    if has_counterfactual(scenario):
        national = run_des(compile_scenario(scenario, national=True))
    force = project_force(scenario, FIXED)
    data = summary(result, model, scenario_sha256(scenario)) | run_coalition(
        result, national, scenario
    )
    if model.suppliers:
        data["suppliers"] = suppliers_block(model)
    data = with_provenance(data | run_blocks(force), provenance)
    files = {
        "summary.json": to_json(data),
        "timeseries.csv": timeseries_csv(result),
        "inputs.csv": inputs_csv(Study(scenario, ()), provenance),
        "report.html": run_report(result, scenario, data, model),
    }
    if model.suppliers:
        files["suppliers.csv"] = suppliers_csv(model)
    if scenario.missions or scenario.nations:
        files["coalition.csv"] = coalition_csv(result, scenario)
    if force is not None:
        files["force.csv"] = force_csv(force)
    return RunOutput(result, data, files)


@dataclass(frozen=True)
class MonteCarloOutput:
    """A finished Monte Carlo run: its outcomes, its summary and every output file's text."""

    montecarlo: MonteCarlo
    summary: dict[str, Any]
    files: dict[str, str]


def run_study(
    study: Study,
    replications: int,
    engine: Engine,
    precision: Precision | None = None,
    *,
    paths: bool = False,
    budget: Budget = DEFAULT_BUDGET,
    origin: str = "the scenario",
    provenance: dict[str, Any] | None = None,
) -> MonteCarloOutput:
    """Run `study` as a Monte Carlo; render summary, day-by-day bands, replications and report.

    The work and memory are estimated first and refused (InputError naming `origin`) when over
    `budget`; blocks are as large as the memory budget allows."""
    size = size_of(study.scenario)
    most = max(replications, 0 if precision is None else precision.cap)
    most *= 2 if has_counterfactual(study.scenario) else 1
    check_work(size, most, budget, origin, des=engine == "des")
    fan = fan_size(size, FAN_REPLICATIONS, budget)
    check_memory(size, most, most if paths else min(most, fan), budget)
    block = block_size(size, BLOCK, budget)
    mc = run_montecarlo(
        study, replications, engine=engine, precision=precision, paths=paths, block=block, fan=fan
    )
    national = None
    if has_counterfactual(study.scenario):  # the same replications, each nation on its own
        national = run_montecarlo(
            study, mc.replications, engine=engine, block=block, fan=0, national=True
        )
    force = None
    if has_force(study.scenario):  # the same draws again: (replications,) per drawn input
        seed, reps = study.scenario.scenario.seed, np.arange(mc.replications)
        force = project_force(study.scenario, sample(study.uncertain, seed, reps))
    data = montecarlo_summary(mc, study, study_sha256(study), national) | montecarlo_blocks(force)
    nominal = compile_scenario(study.scenario)  # every input at its value in the file
    if nominal.suppliers:
        data["suppliers_at_file_values"] = suppliers_block(nominal)
    data = with_provenance(data, provenance)
    horizon = study.scenario.scenario.horizon_days
    files = {
        "summary.json": to_json(data),
        "timeseries.csv": bands_csv(mc, horizon),
        "replications.csv": replications_csv(mc),
        "inputs.csv": inputs_csv(study, provenance),
        "report.html": montecarlo_report(mc, study, data, run_des(nominal)),
    }
    if study.scenario.missions or study.scenario.nations:
        files["coalition_bands.csv"] = coalition_bands_csv(mc, study.scenario)
    if nominal.suppliers:
        files["suppliers.csv"] = suppliers_csv(nominal)
    if paths:
        files["paths.csv"] = paths_csv(mc)
    if force is not None:
        files["force.csv"] = force_csv(force, spread=True)
    return MonteCarloOutput(mc, data, files)


def slug(name: str) -> str:
    """A directory name for a scenario title: lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"
