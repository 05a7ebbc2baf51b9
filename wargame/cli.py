"""The `wargame` command line: thin wrappers that parse arguments, call the library, map errors.

Exit codes: 0 ok, 1 internal bug, 2 bad input, 3 target infeasible or a check violated.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from wargame import __version__
from wargame.analysis.budget import DEFAULT_MAX_MEMORY_GIB, DEFAULT_MAX_WORK, Budget
from wargame.analysis.invest_hulls import invest_hulls
from wargame.analysis.montecarlo import ENGINES, MAX_REPLICATIONS, Engine, Precision
from wargame.analysis.outdir import check_out_dir
from wargame.analysis.store import folder_lock, publish
from wargame.config.json_schema import scenario_json_schema
from wargame.config.loading import load_study, study_sha256
from wargame.config.provenance import provenance
from wargame.config.uncertain import Study
from wargame.errors import InputError
from wargame.export import FORMATS, export_folder, parse_formats
from wargame.folders import choose_folder, invest_variant, manifest_meta, publish_run
from wargame.numbers import count
from wargame.progress import progress_reporter
from wargame.recorded import RecordedCommand, run_provenance, typed
from wargame.report.invest_hulls_report import invest_hulls_report
from wargame.runner import file_target, invest_scenario, run_scenario, run_study, sweep_outputs
from wargame.sweep.loading import load_sweep
from wargame.sweep.outputs import parse_check, passes
from wargame.sweep.outputs import warnings as sweep_warnings
from wargame.sweep.store import POINTS
from wargame.tables import (
    force_table,
    headline_table,
    montecarlo_table,
    plan_table,
    precision_warning,
    violations_table,
)

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
MAX_REPLICATIONS_ASKED = 10_000_000  # as scenario.replications; the budget may refuse fewer
MAX_WORKERS = 256
ARGV = "wargame.argv"  # the command's arguments as typed, kept in the click context's meta


app = typer.Typer(
    help="Munitions and shipbuilding capacity wargame calculator.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # plain help: rich would eat "[default: ...]" as markup
)
recorded = app.command(cls=RecordedCommand)  # keeps the arguments as typed, for provenance


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"wargame {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_print_version
        ),
    ] = False,
) -> None:
    """Munitions and shipbuilding capacity wargame calculator."""


ConfigArg = Annotated[
    Path, typer.Argument(metavar="CONFIG", help="Scenario file (TOML).", show_default=False)
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set", metavar="PATH=VALUE", help="Override a field by its dotted path (repeatable)."
    ),
]
F = TypeVar("F", bound=Callable[..., Any])


def one_line(text: str) -> str:
    """`text` on one line: a line break in a file name or value is shown escaped."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _bad_input_exits(command: F) -> F:
    """Turn InputError into one line on stderr and exit code 2, with no traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            typer.echo(f"error: {one_line(str(exc))}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper  # type: ignore[return-value]


EngineOption = Annotated[
    str | None,
    typer.Option(
        metavar=f"[{'|'.join(ENGINES)}]",
        help="des: the SimPy model, one replication at a time; vector: all at once "
        "[default: des for a single fixed run, vector for Monte Carlo].",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        metavar="FOLDER",
        help="Output folder, replaced as a whole by the run's files [default: run: "
        "reports/<scenario-slug>/<config hash>/; invest: reports/<scenario-slug>-invest/"
        "<config hash>-target-<days>d/; a 'latest' link beside each].",
        show_default=False,
    ),
]
MaxWorkOption = Annotated[
    float | None,
    typer.Option(
        metavar="STEPS",
        help="Refuse runs estimated above this many replication-steps (replications x steps "
        f"x (munitions + hulls)) [default: {DEFAULT_MAX_WORK:g}].",
    ),
]
MaxMemoryOption = Annotated[
    float | None,
    typer.Option(
        metavar="GIB",
        help="Memory budget in GiB: blocks of replications are sized to it and runs that "
        f"cannot fit are refused [default: {DEFAULT_MAX_MEMORY_GIB:g}].",
    ),
]


@recorded
@_bad_input_exits
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
    chosen = _engine(engine)
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
        _say(publish_run(out_dir, output.files, meta, default))
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
        _say(publish_run(out_dir, mc.files, {**meta, "kind": "monte_carlo"}, default))
        typer.echo(montecarlo_table(mc.summary))
        if table := force_table(mc.summary):
            typer.echo(table)
        _say([line] if (line := precision_warning(mc.summary)) else [])
    typer.echo(f"report: {out_dir / 'report.html'}")
    _say(note)


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


@recorded
@_bad_input_exits
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
    _say(publish_run(out_dir, output.files, meta, default))
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
    _say(publish_run(out_dir, files, manifest_meta("invest", name, sha), default))
    typer.echo(output.text)
    typer.echo(f"plan: {out_dir / 'invest.json'}   report: {out_dir / 'invest.html'}")
    if not output.feasible:
        raise typer.Exit(EXIT_INFEASIBLE)


@recorded
@_bad_input_exits
def validate(config: ConfigArg, overrides: SetOption = None) -> None:
    """Check a scenario file (and overrides) without running it."""
    scenario = load_study(config, overrides or ()).scenario
    names = ", ".join(scenario.munitions)
    typer.echo(f"{config}: ok ({scenario.scenario.name}; munitions: {names})")


@recorded
def schema() -> None:
    """Print the JSON Schema of scenario files (distributions included), for editors."""
    typer.echo(json.dumps(scenario_json_schema(), indent=2))


@recorded
@_bad_input_exits
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
    _say(sweep_warnings(loaded, output.table))
    for line in passes(checks, output.table):
        typer.echo(line)
    if output.failed:
        typer.echo(violations_table(output.failed), err=True)
        raise typer.Exit(EXIT_INFEASIBLE)


@recorded
@_bad_input_exits
def export(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER", help="A run, Monte Carlo, invest or sweep folder.", show_default=False
        ),
    ],
    formats: Annotated[
        str,
        typer.Option(
            "--format",
            metavar=f"[{'|'.join(FORMATS)}],...",
            help="Comma list: xlsx, one workbook of the folder's numbers; png, svg, pdf, "
            "each chart of its report (needs chromium-headless-shell: make browser).",
        ),
    ] = "xlsx",
) -> None:
    """Add a workbook and static images of the charts to a folder (listed in its manifest)."""
    written = export_folder(folder, parse_formats(formats))
    for path in written:
        typer.echo(f"wrote {path}")


@recorded
def version() -> None:
    """Print the wargame version."""
    typer.echo(__version__)


def main() -> None:
    """The console entry point: the app, with a usage error (an unknown option, a value out of
    range) on one line and exit code 2, like every other bad input."""
    from typer._click.exceptions import NoArgsIsHelpError, UsageError  # typer's own click

    try:
        code = app(standalone_mode=False, prog_name="wargame")
    except NoArgsIsHelpError as exc:
        exc.show()
        code = exc.exit_code
    except UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "wargame"
        message = " ".join(exc.format_message().split())
        typer.echo(f"error: {one_line(where)}: {message} (see --help)", err=True)
        code = EXIT_BAD_INPUT
    raise SystemExit(code or 0)


def _say(lines: list[str]) -> None:
    """Notes and warnings, on stderr (the exit code stays 0)."""
    for line in lines:
        typer.echo(line, err=True)


def _engine(name: str | None) -> Engine | None:
    """The --engine option, checked."""
    if name is None or name in ENGINES:
        return name  # checked against ENGINES just above
    raise InputError(f"--engine {name}: choose one of {', '.join(ENGINES)}")


# `wargame compare` lives in its own module, which registers itself on `app` (so it is imported
# last, once everything it uses from here exists).
from wargame import cli_compare as _cli_compare  # noqa: E402, F401
