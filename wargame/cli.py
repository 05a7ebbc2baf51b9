"""The `wargame` command line: thin wrappers that parse arguments, call the library, map errors.

Exit codes: 0 ok, 1 internal bug, 2 bad input, 3 target infeasible or a check violated.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from wargame import __version__
from wargame.analysis.budget import DEFAULT_MAX_MEMORY_GIB, DEFAULT_MAX_WORK, Budget
from wargame.analysis.invest import Plan
from wargame.analysis.montecarlo import ENGINES, MAX_REPLICATIONS, Engine, Precision
from wargame.analysis.outdir import check_out_dir, read_manifest
from wargame.analysis.store import folder_lock, publish
from wargame.config.loading import load_scenario, load_study, scenario_json_schema, study_sha256
from wargame.errors import InputError
from wargame.progress import progress_reporter
from wargame.runner import (
    SweepOutput,
    invest_scenario,
    run_scenario,
    run_study,
    slug,
    sweep_outputs,
)
from wargame.sweep.loading import Sweep, load_sweep
from wargame.sweep.outputs import Check, parse_check, passes
from wargame.sweep.outputs import warnings as sweep_warnings
from wargame.sweep.store import POINTS

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
MAX_REPLICATIONS_ASKED = 10_000_000  # as scenario.replications; the budget may refuse fewer
MAX_WORKERS = 256

app = typer.Typer(
    help="Munitions and shipbuilding capacity wargame calculator.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

ConfigArg = Annotated[Path, typer.Argument(help="Scenario file (TOML).", show_default=False)]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a field: DOTTED.PATH=VALUE (repeatable)."),
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
        help="des: the SimPy model, one replication at a time; vector: all at once "
        "[default: des for a single fixed run, vector for Monte Carlo]."
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        help="Output folder, replaced as a whole by the run's files [default: "
        "reports/<scenario-slug>/, or reports/<scenario-slug>-invest/ for invest]."
    ),
]
MaxWorkOption = Annotated[
    float | None,
    typer.Option(
        help="Refuse runs estimated above this many replication-steps (replications x steps "
        f"x (munitions + hulls)) [default: {DEFAULT_MAX_WORK:g}].",
    ),
]
MaxMemoryOption = Annotated[
    float | None,
    typer.Option(
        help="Memory budget in GiB: blocks of replications are sized to it and runs that "
        f"cannot fit are refused [default: {DEFAULT_MAX_MEMORY_GIB:g}].",
    ),
]


@app.command()
@_bad_input_exits
def run(
    config: ConfigArg,
    overrides: SetOption = None,
    out: OutOption = None,
    replications: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_REPLICATIONS_ASKED,
            help="Monte Carlo replications [default: the file's scenario.replications; 1000 "
            "when an input is uncertain, else 1].",
        ),
    ] = None,
    precision: Annotated[
        float | None,
        typer.Option(
            help="Add replications until the 95% interval of the mean days to depletion is "
            "within this many days (up to --max-replications).",
        ),
    ] = None,
    max_replications: Annotated[
        int,
        typer.Option(
            min=1, max=MAX_REPLICATIONS_ASKED, help="The cap on replications for --precision."
        ),
    ] = MAX_REPLICATIONS,
    engine: EngineOption = None,
    paths: Annotated[
        bool, typer.Option("--paths", help="Keep every replication's stock path (paths.csv).")
    ] = False,
    max_work: MaxWorkOption = None,
    max_memory_gib: MaxMemoryOption = None,
) -> None:
    """Simulate a scenario; write summary.json, timeseries.csv and report.html.

    A scenario with uncertain inputs (or --replications above 1) runs as a Monte Carlo and also
    writes replications.csv.
    """
    chosen = _engine(engine)
    if precision is not None and not (math.isfinite(precision) and precision > 0):
        raise InputError(f"--precision {precision:g}: must be a finite number of days above 0")
    budget = Budget.of(max_work, max_memory_gib)
    study = load_study(config, overrides or ())
    count = replications or study.replications
    montecarlo = study.stochastic or count > 1 or precision is not None or chosen == "vector"
    out_dir = _out_dir(out, study.scenario.scenario.name, "")
    meta = _manifest_meta("run", study.scenario.scenario.name, study_sha256(study))
    if not montecarlo:
        output = run_scenario(study.scenario, budget, str(config))
        publish(out_dir, output.files, meta)
        typer.echo(headline_table(output.summary))
    else:
        rule = None if precision is None else Precision(precision, max(max_replications, count))
        mc = run_study(
            study, count, chosen or "vector", rule, paths=paths, budget=budget, origin=str(config)
        )
        publish(out_dir, mc.files, {**meta, "kind": "monte_carlo"})
        typer.echo(montecarlo_table(mc.summary))
    typer.echo(f"report: {out_dir / 'report.html'}")


@app.command()
@_bad_input_exits
def invest(
    config: ConfigArg,
    overrides: SetOption = None,
    target_days: Annotated[
        float | None,
        typer.Option(
            help="Days of the conflict for which all demanded fire must be met "
            "[default: the whole horizon]."
        ),
    ] = None,
    risk: Annotated[
        float | None,
        typer.Option(
            help="Accepted probability of running out before the target day, over the "
            "uncertain inputs (munitions only). With fixed inputs the outcome is certain, so "
            "any risk below 1 asks the same. Without it, the plan is for the median inputs."
        ),
    ] = None,
    out: OutOption = None,
    max_work: MaxWorkOption = None,
    max_memory_gib: MaxMemoryOption = None,
) -> None:
    """Find the least supplemental money, decided on day 0, that meets demand for the target."""
    budget = Budget.of(max_work, max_memory_gib)
    study = load_study(config, overrides or ())
    out_dir = _out_dir(out, study.scenario.scenario.name, "-invest")
    output = invest_scenario(config, overrides or (), target_days, risk, out_dir, budget)
    meta = _manifest_meta("invest", study.scenario.scenario.name, study_sha256(study))
    publish(out_dir, output.files, meta)
    typer.echo(plan_table(output.plan, output.summary))
    typer.echo(f"report: {out_dir / 'invest.html'}   closed scenario: {out_dir / 'closed.toml'}")
    if not output.plan.feasible:
        raise typer.Exit(EXIT_INFEASIBLE)


@app.command()
@_bad_input_exits
def validate(config: ConfigArg, overrides: SetOption = None) -> None:
    """Check a scenario file (and overrides) without running it."""
    scenario = load_scenario(config, overrides or ())
    names = ", ".join(scenario.munitions)
    typer.echo(f"{config}: ok ({scenario.scenario.name}; munitions: {names})")


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files, for editors."""
    typer.echo(json.dumps(scenario_json_schema(), indent=2))


@app.command()
@_bad_input_exits
def sweep(
    spec: Annotated[Path, typer.Argument(help="Sweep file (TOML).", show_default=False)],
    out: Annotated[
        Path | None,
        typer.Option(
            help="Output folder: points/ keeps finished points; the rest is replaced as a "
            "whole [default: reports/sweep-<spec name>/]."
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="A dask.distributed scheduler (tcp://HOST:PORT) to run on instead."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, max=MAX_WORKERS, help="Local worker processes [default: one per core]."
        ),
    ] = None,
    check: Annotated[
        list[str] | None,
        typer.Option(help='"METRIC OP VALUE" every point must meet (repeatable); exit 3 if not.'),
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
        raise InputError(
            "--scheduler: empty; give tcp://HOST:PORT, or leave it out for local workers"
        )
    with folder_lock(out_dir):  # until its files are in place: the points are the folder's
        output = _sweep(loaded, out_dir, checks, scheduler, workers, no_progress, budget)
        points = {f"{POINTS}/{k}.json": out_dir / POINTS / f"{k}.json" for k in output.run.keys}
        meta = _manifest_meta("sweep", loaded.spec.sweep.name, loaded.base_sha256)
        publish(out_dir, output.files, meta, carry=points)
    if output.run.corrupt:
        typer.echo(
            f"warning: {len(output.run.corrupt)} stored points could not be read and were "
            f"computed again (first: {output.run.corrupt[0]}.json)",
            err=True,
        )
    typer.echo(
        f"{loaded.spec.sweep.name}: {len(output.run.design.points):,} points "
        f"({output.run.computed:,} computed now); table: {out_dir / 'sweep.csv'}"
    )
    typer.echo(f"report: {out_dir / 'sweep.html'}")
    for line in sweep_warnings(loaded, output.table):
        typer.echo(line, err=True)
    for line in passes(checks, output.table):
        typer.echo(line)
    if output.failed:
        typer.echo(violations_table(output.failed), err=True)
        raise typer.Exit(EXIT_INFEASIBLE)


def _sweep(
    loaded: Sweep,
    out_dir: Path,
    checks: list[Check],
    scheduler: str | None,
    workers: int | None,
    no_progress: bool,
    budget: Budget,
) -> SweepOutput:
    """Run the sweep with a progress bar (unless asked not to)."""
    with progress_reporter(enabled=not no_progress) as progress:
        return sweep_outputs(loaded, out_dir, checks, scheduler, workers, progress, budget)


@app.command()
def version() -> None:
    """Print the wargame version."""
    typer.echo(__version__)


def main() -> None:
    """The console entry point: the app, with a usage error (an unknown option, a value out of
    range) on one line and exit code 2, like every other bad input."""
    from typer._click.exceptions import NoArgsIsHelpError, UsageError  # typer's own click

    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as exc:
        exc.show()
        code = exc.exit_code
    except UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "wargame"
        message = " ".join(exc.format_message().split())
        typer.echo(f"error: {one_line(where)}: {message} (see --help)", err=True)
        code = EXIT_BAD_INPUT
    raise SystemExit(code or 0)


def _out_dir(out: Path | None, scenario: str, suffix: str) -> Path:
    """The output folder, checked before any work. The default folder is named for the
    scenario, so it is refused if it holds another scenario's run (two names that differ only
    in case or punctuation share a slug)."""
    if out is not None:
        check_out_dir(out)
        return out
    folder = Path("reports") / f"{slug(scenario)}{suffix}"
    check_out_dir(folder)
    held = (read_manifest(folder) or {}).get("scenario")
    if held is not None and held != scenario:
        raise InputError(
            f"{folder}: holds the run of scenario {held!r}, not {scenario!r} (their names "
            "share this folder); give --out"
        )
    return folder


def _manifest_meta(kind: str, scenario: str, config_sha256: str) -> dict[str, Any]:
    """What a run's manifest says beside its files' hashes."""
    return {
        "kind": kind,
        "scenario": scenario,
        "config_sha256": config_sha256,
        "wargame_version": __version__,
    }


def plan_table(plan: Plan, summary: dict[str, Any]) -> str:
    """The supplemental's answer: total, by munition and lever, by year, and what binds."""
    lines = []
    if plan.feasible:
        lines.append(
            f"Meeting demand for {plan.target_days:g} days costs "
            f"${plan.total_usd / 1e9:,.3f}B (decided on day 0)."
        )
    else:
        lines.append(
            f"INFEASIBLE: no money meets demand for {plan.target_days:g} days. "
            f"Best achievable: {plan.achieved_days:g} days for "
            f"${plan.total_usd / 1e9:,.3f}B."
        )
    lines.append(f"binding constraint: {plan.binding} ({plan.binding_detail})")
    spread = summary.get("uncertainty")
    if spread is not None:
        lines.append(
            f"with uncertain inputs, the plan runs out before day {plan.target_days:g} in "
            f"{spread['p_out_before_target']:.1%} of {spread['checked_replications']:,} "
            f"fresh replications (95% upper bound "
            f"{spread['p_out_before_target_upper95']:.1%})"
        )
        if spread["accepted"] is not None:
            verdict = "within" if spread["risk_met_at_95"] else "NOT shown to be within"
            lines.append(
                f"accepted risk {spread['accepted']:.1%}: {verdict} it at 95% confidence (the "
                f"plan covers {spread['covered_replications']} of "
                f"{spread['fitted_replications']} sampled replications; no finite sample makes "
                "a risk certain)"
            )
    if plan.launchers.usd > 0:
        lines.append(f"launchers: {plan.launchers.label} (${plan.launchers.usd / 1e9:,.3f}B)")
    after = summary["days_to_depletion_after"]
    rows = [
        (
            "munition",
            "extra missiles",
            "missiles $B",
            "capacity +/yr",
            "capacity $B",
            "runs out on day",
        )
    ]
    for p in plan.purchases:
        days = "never" if after[p.munition] is None else f"{after[p.munition]:g}"
        rows.append(
            (
                p.munition,
                f"{p.missiles:,}",
                f"{p.missiles_usd / 1e9:,.3f}",
                f"{p.added_capacity_per_year:,.1f}",
                f"{p.capacity_usd / 1e9:,.3f}",
                days,
            )
        )
    lines += format_rows(rows)
    for year in summary["outlays_by_year"]:
        lines.append(
            f"year {year['year']}: ${year['total_usd'] / 1e9:,.3f}B "
            f"(missiles {year['missiles_usd'] / 1e9:,.3f}, "
            f"capacity {year['capacity_usd'] / 1e9:,.3f})"
        )
    return "\n".join(lines)


def format_rows(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Align a table: the first column left, the rest right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            [
                row[0].ljust(widths[0]),
                *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
            ]
        )
        for row in rows
    ]


def _engine(name: str | None) -> Engine | None:
    """The --engine option, checked."""
    if name is None or name in ENGINES:
        return name  # checked against ENGINES just above
    raise InputError(f"--engine {name}: choose one of {', '.join(ENGINES)}")


def montecarlo_table(summary: dict[str, Any]) -> str:
    """A Monte Carlo run's headline: the spread of days to depletion and the chance of running
    out by the target day."""
    target = summary["target_days"]
    header = (
        "munition",
        "days to depletion p5",
        "p50",
        "p95",
        "mean (95% CI)",
        f"P(out by {target:g})",
    )
    rows = [header]
    for name, m in summary["munitions"].items():
        d = m["days_to_depletion"]
        mean = "n/a" if d["mean"] is None else f"{d['mean']:.2f}"
        if d["mean_ci95"] is not None:
            mean += f" ({d['mean_ci95'][0]:.2f}-{d['mean_ci95'][1]:.2f})"
        rows.append(
            (name, *(_day(d[q]) for q in ("p5", "p50", "p95")), mean, f"{d['p_depleted_by']:.1%}")
        )
    lines = [
        f"{summary['scenario']}: {summary['replications']:,} replications ({summary['engine']} "
        f"engine, horizon {summary['horizon_days']} days, warning {summary['warning_days']} days)",
        *format_rows(rows),
    ]
    return "\n".join(lines)


def violations_table(failed: list[dict[str, Any]]) -> str:
    """The points that break a check: the check, the point's parameters, its value."""
    names = [k for k in failed[0] if k not in VIOLATION_SKIP]
    rows = [("check", "point", *names, "value")]
    for row in failed:
        value = "null" if row["value"] is None else f"{row['value']:g}"
        rows.append((row["check"], str(row["point"]), *(f"{row[n]:g}" for n in names), value))
    return "\n".join([f"{len(failed)} check violations:", *format_rows(rows)])


VIOLATION_SKIP = {
    "check",
    "point",
    "metric",
    "value",
    "design",
    "replications",
    "seed",
    "config_sha256",
    "point_key",
}


def _day(value: float | None) -> str:
    return "never" if value is None else f"{value:g}"


def headline_table(summary: dict[str, Any]) -> str:
    """The run's headline as a short aligned text table."""
    header = (
        "munition",
        "days to depletion",
        "stock at start",
        "fired",
        "shortfall",
        "rebuild years",
    )
    rows = [header]
    for name, m in summary["munitions"].items():
        depletion = "never" if m["days_to_depletion"] is None else f"{m['days_to_depletion']:.1f}"
        never = "never" if m["rebuild_never_because"] == "peacetime_use" else "n/a"
        rebuild = never if m["rebuild_years"] is None else f"{m['rebuild_years']:.1f}"
        rows.append(
            (
                name,
                depletion,
                f"{m['inventory_at_conflict_start']:,}",
                f"{m['fired']:,}",
                f"{m['shortfall']:,}",
                rebuild,
            )
        )
    lines = [
        f"{summary['scenario']} (horizon {summary['horizon_days']} days, "
        f"warning {summary['warning_days']} days)",
        *format_rows(rows),
    ]
    return "\n".join(lines)


# `wargame compare` lives in its own module, which registers itself on `app` (so it is imported
# last, once everything it uses from here exists).
from wargame import cli_compare as _cli_compare  # noqa: E402, F401
