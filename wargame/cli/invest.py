"""`wargame invest`: the least supplemental money that meets a target."""

from __future__ import annotations

from typing import Annotated

import typer

from wargame.analysis.budget import Budget
from wargame.cli import (
    EXIT_INFEASIBLE,
    ConfigArg,
    SetOption,
    bad_input_exits,
    click_command,
    new_app,
    say,
)
from wargame.cli.options import MaxMemoryOption, MaxWorkOption, OutOption
from wargame.config.loading import load_study, study_sha256
from wargame.folders import choose_folder, invest_variant, manifest_meta, publish_run
from wargame.investing import file_target, invest_scenario
from wargame.recorded import RecordedCommand, run_provenance
from wargame.tables import plan_table

command_app = new_app()


@command_app.command(cls=RecordedCommand)
@bad_input_exits
def invest(
    ctx: typer.Context,
    config: ConfigArg,
    overrides: SetOption = None,
    target_days: Annotated[
        float | None,
        typer.Option(
            metavar="DAYS",
            help="Days of the conflict for which all demanded fire must be met [default: the "
            "file's scenario.target_days if it sets one, else the whole horizon].",
        ),
    ] = None,
    risk: Annotated[
        float | None,
        typer.Option(
            metavar="P",
            help="Accepted probability of running out before the target day, over the "
            "uncertain inputs (munitions only). With fixed inputs the outcome is certain, so "
            "any risk below 1 asks the same. Without it, the plan is for the median inputs.",
        ),
    ] = None,
    out: OutOption = None,
    max_work: MaxWorkOption = None,
    max_memory_gib: MaxMemoryOption = None,
) -> None:
    """Find the least supplemental money, decided on day 0, that meets demand for the target."""
    budget = Budget.of(max_work, max_memory_gib)
    study = load_study(config, overrides or ())
    sha = study_sha256(study)
    target = target_days if target_days is not None else file_target(study.scenario)
    name = study.scenario.scenario.name
    out_dir, default = choose_folder(out, name, sha, invest_variant(target, risk), "-invest")
    origin = run_provenance(ctx, config, overrides, sha, None)
    output = invest_scenario(
        config, overrides or (), target_days, risk, out_dir, budget, provenance=origin
    )
    meta = manifest_meta("invest", study.scenario.scenario.name, sha)
    say(publish_run(out_dir, output.files, meta, default))
    typer.echo(plan_table(output.plan, output.summary))
    typer.echo(f"report: {out_dir / 'invest.html'}   closed scenario: {out_dir / 'closed.toml'}")
    if not output.plan.feasible:
        raise typer.Exit(EXIT_INFEASIBLE)


command = click_command(command_app)
