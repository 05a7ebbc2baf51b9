"""`wargame invest`: the least supplemental money that meets a target."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wargame.analysis.budget import Budget
from wargame.analysis.invest_hulls import invest_hulls
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
from wargame.errors import InputError
from wargame.folders import choose_folder, invest_variant, manifest_meta, publish_run
from wargame.investing import file_target, invest_scenario
from wargame.recorded import RecordedCommand, run_provenance
from wargame.report.invest_hulls_report import invest_hulls_report
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
    target_hulls: Annotated[
        str | None,
        typer.Option(
            metavar="CLASS=N",
            help="Instead of a days target: keep platform class CLASS at or above N hulls at "
            "every year end from --by on (yard capacity, extra orders, life extension).",
        ),
    ] = None,
    by: Annotated[
        int | None,
        typer.Option(
            metavar="YEAR",
            help="With --target-hulls: the first year held (a fiscal year with start_date, "
            "else the 365-day year counted from the decision day).",
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
    if target_hulls is not None or by is not None:
        _invest_hulls(ctx, config, overrides or [], target_hulls, by, target_days, risk, out, sha)
        return
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


def _invest_hulls(
    ctx: typer.Context,
    config: Path,
    overrides: list[str],
    target: str | None,
    by: int | None,
    target_days: float | None,
    risk: float | None,
    out: Path | None,
    sha: str,
) -> None:
    """`invest --target-hulls CLASS=N --by YEAR`: the least money keeping a class's hulls."""
    if target is None or by is None:
        raise InputError("--target-hulls and --by go together")
    if target_days is not None or risk is not None:
        raise InputError("--target-hulls: --target-days and --risk are for munitions targets")
    study = load_study(config, overrides)
    name = study.scenario.scenario.name
    out_dir, default = choose_folder(out, name, sha, f"hulls-{target}-{by}", "-invest")
    output = invest_hulls(
        config, overrides, target, by, run_provenance(ctx, config, overrides, sha, None)
    )
    files = {**output.files, "invest.html": invest_hulls_report(output.summary, output.closed)}
    say(publish_run(out_dir, files, manifest_meta("invest", name, sha), default))
    typer.echo(output.text)
    typer.echo(f"plan: {out_dir / 'invest.json'}   report: {out_dir / 'invest.html'}")
    if not output.feasible:
        raise typer.Exit(EXIT_INFEASIBLE)


command = click_command(command_app)
