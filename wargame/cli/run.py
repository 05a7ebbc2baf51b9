"""`wargame run`: simulate a scenario (once with the SimPy model, or as a Monte Carlo)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from wargame.analysis.budget import Budget
from wargame.analysis.montecarlo import MAX_REPLICATIONS, Precision
from wargame.cli import ConfigArg, SetOption, bad_input_exits, click_command, new_app, say
from wargame.cli.options import (
    MAX_REPLICATIONS_ASKED,
    EngineOption,
    MaxMemoryOption,
    MaxWorkOption,
    OutOption,
    chosen_engine,
)
from wargame.config.loading import load_study, study_sha256
from wargame.config.uncertain import Study
from wargame.errors import InputError
from wargame.folders import choose_folder, manifest_meta, publish_run
from wargame.numbers import count
from wargame.recorded import RecordedCommand, run_provenance
from wargame.runner import run_scenario, run_study
from wargame.tables import force_table, headline_table, montecarlo_table, precision_warning

command_app = new_app()


@command_app.command(cls=RecordedCommand)
@bad_input_exits
def run(
    ctx: typer.Context,
    config: ConfigArg,
    overrides: SetOption = None,
    out: OutOption = None,
    replications: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_REPLICATIONS_ASKED,
            metavar="N",
            help="Monte Carlo replications [default: the file's scenario.replications; 1000 "
            "when an input is uncertain, else 1].",
        ),
    ] = None,
    precision: Annotated[
        float | None,
        typer.Option(
            metavar="DAYS",
            help="Add replications until the 95% interval of the mean days to depletion is "
            "within this many days (up to --max-replications); warns if it is not reached.",
        ),
    ] = None,
    max_replications: Annotated[
        int,
        typer.Option(
            min=1,
            max=MAX_REPLICATIONS_ASKED,
            metavar="N",
            help="The cap on replications for --precision.",
        ),
    ] = MAX_REPLICATIONS,
    engine: EngineOption = None,
    paths: Annotated[
        bool, typer.Option("--paths", help="Keep every replication's stock path (paths.csv).")
    ] = False,
    max_work: MaxWorkOption = None,
    max_memory_gib: MaxMemoryOption = None,
) -> None:
    """Simulate a scenario; write summary.json, timeseries.csv, inputs.csv and report.html.

    A scenario with uncertain inputs runs as a Monte Carlo and also writes replications.csv
    (--precision or --engine vector make any scenario one); a scenario whose inputs are all
    fixed runs one replication, whatever --replications asks.
    """
    chosen = chosen_engine(engine)
    if precision is not None and not (math.isfinite(precision) and precision > 0):
        raise InputError(f"--precision {precision:g}: must be a finite number of days above 0")
    budget = Budget.of(max_work, max_memory_gib)
    study = load_study(config, overrides or ())
    replicas, note = _replications(study, replications or study.replications, config)
    montecarlo = study.stochastic or replicas > 1 or precision is not None or chosen == "vector"
    sha = study_sha256(study)
    out_dir, default = choose_folder(out, study.scenario.scenario.name, sha)
    meta = manifest_meta("run", study.scenario.scenario.name, sha)
    used = (chosen or "vector") if montecarlo else "des"
    origin = run_provenance(ctx, config, overrides, sha, used)
    if not montecarlo:
        output = run_scenario(study.scenario, budget, str(config), origin)
        say(publish_run(out_dir, output.files, meta, default))
        typer.echo(headline_table(output.summary))
        if table := force_table(output.summary):
            typer.echo(table)
    else:
        rule = None if precision is None else Precision(precision, max(max_replications, replicas))
        mc = run_study(
            study,
            replicas,
            chosen or "vector",
            rule,
            paths=paths,
            budget=budget,
            origin=str(config),
            provenance=origin,
        )
        say(publish_run(out_dir, mc.files, {**meta, "kind": "monte_carlo"}, default))
        typer.echo(montecarlo_table(mc.summary))
        if table := force_table(mc.summary):
            typer.echo(table)
        say([line] if (line := precision_warning(mc.summary)) else [])
    typer.echo(f"report: {out_dir / 'report.html'}")
    say(note)


def _replications(study: Study, asked: int, config: Path) -> tuple[int, list[str]]:
    """Replications to run, and the note to give once the run is done: one replication when
    every input is fixed (they would all agree)."""
    if asked > 1 and not study.stochastic:
        note = (
            f"note: {config}: every input is fixed, so all {count(asked)} replications would "
            "be the same: ran one"
        )
        return 1, [note]
    return asked, []


command = click_command(command_app)
