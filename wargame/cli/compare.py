"""`wargame compare A B [C ...]`: runs side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wargame.analysis.budget import Budget
from wargame.analysis.outdir import check_out_dir
from wargame.analysis.store import publish
from wargame.cli import SetOption, bad_input_exits, click_command, new_app
from wargame.cli.options import (
    MAX_REPLICATIONS_ASKED,
    EngineOption,
    MaxMemoryOption,
    MaxWorkOption,
    chosen_engine,
)
from wargame.comparison import compare_runs, comparison_sha256, comparison_table, default_out
from wargame.folders import manifest_meta

command_app = new_app()


@command_app.command()
@bad_input_exits
def compare(
    runs: Annotated[
        list[Path],
        typer.Argument(
            help="Two or more run folders (written by wargame run) or config files; each is "
            "compared with the first.",
            show_default=False,
        ),
    ],
    overrides: SetOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Output folder, replaced as a whole [default: reports/compare-<names>/]."
        ),
    ] = None,
    replications: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_REPLICATIONS_ASKED,
            help="Replications of each config [default: the first run folder's, else the "
            "most any config asks for].",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            help="Seed of every config, so they share random numbers [default: the first "
            "run folder's, else the first config's]."
        ),
    ] = None,
    target_days: Annotated[
        float | None,
        typer.Option(
            help="Day of the chance of running out [default: the first run's target_days]."
        ),
    ] = None,
    unpaired: Annotated[
        bool,
        typer.Option("--unpaired", help="Unpaired intervals even where replications pair up."),
    ] = False,
    engine: EngineOption = None,
    max_work: MaxWorkOption = None,
    max_memory_gib: MaxMemoryOption = None,
) -> None:
    """Compare runs side by side: headline outcomes, differences against the first with 95%
    intervals (paired when the runs share random numbers), overlaid charts, compare.html."""
    chosen = chosen_engine(engine) or "vector"
    out_dir = out if out is not None else default_out(runs)
    check_out_dir(out_dir)
    output = compare_runs(
        runs,
        overrides or (),
        replications=replications,
        seed=seed,
        target_days=target_days,
        paired=not unpaired,
        engine=chosen,
        budget=Budget.of(max_work, max_memory_gib),
    )
    arms = output.comparison.arms
    meta = manifest_meta(
        "compare", " vs ".join(a.scenario for a in arms), comparison_sha256(output.comparison)
    )
    publish(out_dir, output.files, meta)
    typer.echo(comparison_table(output.comparison))
    typer.echo(f"report: {out_dir / 'compare.html'}")


command = click_command(command_app)
