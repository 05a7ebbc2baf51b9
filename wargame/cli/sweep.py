"""`wargame sweep`: a sensitivity sweep, resumable, on local or dask workers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wargame.analysis.budget import Budget
from wargame.analysis.outdir import check_out_dir
from wargame.analysis.store import folder_lock, publish
from wargame.cli import EXIT_INFEASIBLE, bad_input_exits, click_command, new_app, say
from wargame.cli.options import MaxMemoryOption, MaxWorkOption
from wargame.config.provenance import provenance
from wargame.errors import InputError
from wargame.folders import manifest_meta
from wargame.numbers import count
from wargame.progress import progress_reporter
from wargame.recorded import RecordedCommand, typed
from wargame.sweep.command import sweep_outputs
from wargame.sweep.loading import load_sweep
from wargame.sweep.outputs import parse_check, passes
from wargame.sweep.outputs import warnings as sweep_warnings
from wargame.sweep.store import POINTS
from wargame.tables import violations_table

MAX_WORKERS = 256
command_app = new_app()


@command_app.command(cls=RecordedCommand)
@bad_input_exits
def sweep(
    ctx: typer.Context,
    spec: Annotated[
        Path, typer.Argument(metavar="SWEEP", help="Sweep file (TOML).", show_default=False)
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="FOLDER",
            help="Output folder: points/ keeps finished points; the rest is replaced as a "
            "whole [default: reports/sweep-<sweep file name>/].",
            show_default=False,
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            metavar="tcp://HOST:PORT", help="A dask.distributed scheduler to run on instead."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_WORKERS,
            metavar="N",
            help="Local worker processes [default: one per core].",
        ),
    ] = None,
    check: Annotated[
        list[str] | None,
        typer.Option(
            metavar="'METRIC OP VALUE'",
            help="A rule every point must meet (repeatable); exit 3 if one does not.",
        ),
    ] = None,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
    max_work: MaxWorkOption = None,
    max_memory_gib: MaxMemoryOption = None,
) -> None:
    """Run a sensitivity sweep; write sweep.csv, sweep.parquet, sweep.html and indices.json.

    Finished points are kept in OUT/points/: re-running computes only the missing ones.
    """
    budget = Budget.of(max_work, max_memory_gib)
    loaded = load_sweep(spec)
    checks = [parse_check(text, loaded.spec.sweep.metrics) for text in check or ()]
    out_dir = out if out is not None else Path("reports") / f"sweep-{spec.stem}"
    check_out_dir(out_dir)
    if scheduler is not None and not scheduler.strip():
        raise InputError("--scheduler: empty; give tcp://HOST:PORT, or leave it out")
    origin = provenance(typed(ctx), str(spec), {}, (), loaded.base_sha256, "vector")
    with folder_lock(out_dir), progress_reporter(enabled=not no_progress) as progress:
        output = sweep_outputs(
            loaded, out_dir, checks, scheduler, workers, progress, budget, provenance=origin
        )  # the lock holds until the files are in place: the points are the folder's
        points = {f"{POINTS}/{k}.json": out_dir / POINTS / f"{k}.json" for k in output.run.keys}
        meta = manifest_meta("sweep", loaded.spec.sweep.name, loaded.base_sha256)
        publish(out_dir, output.files, meta, carry=points)
    if output.run.corrupt:
        typer.echo(
            f"warning: {count(len(output.run.corrupt))} stored points could not be read and "
            f"were computed again (first: {output.run.corrupt[0]}.json)",
            err=True,
        )
    typer.echo(
        f"{loaded.spec.sweep.name}: {count(len(output.run.design.points))} points "
        f"({count(output.run.computed)} computed now); table: {out_dir / 'sweep.csv'}"
    )
    typer.echo(f"report: {out_dir / 'sweep.html'}")
    say(sweep_warnings(loaded, output.table))
    for line in passes(checks, output.table):
        typer.echo(line)
    if output.failed:
        typer.echo(violations_table(output.failed), err=True)
        raise typer.Exit(EXIT_INFEASIBLE)


command = click_command(command_app)
