"""The `wargame` command line: thin wrappers that parse arguments, call the library, map errors.

Exit codes: 0 ok, 1 internal bug, 2 bad input, 3 target infeasible or a check violated.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from wargame import __version__
from wargame.analysis.store import write_outputs
from wargame.config.loading import load_scenario, scenario_json_schema
from wargame.errors import InputError
from wargame.runner import run_scenario, slug

EXIT_BAD_INPUT = 2

app = typer.Typer(
    help="Munitions and shipbuilding capacity wargame calculator.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)

ConfigArg = Annotated[Path, typer.Argument(help="Scenario file (TOML).", show_default=False)]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a field: DOTTED.PATH=VALUE (repeatable)."),
]
F = TypeVar("F", bound=Callable[..., Any])


def _bad_input_exits(command: F) -> F:
    """Turn InputError into one line on stderr and exit code 2, with no traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper  # type: ignore[return-value]


@app.command()
@_bad_input_exits
def run(
    config: ConfigArg,
    overrides: SetOption = None,
    out: Annotated[
        Path | None, typer.Option(help="Output directory [default: reports/<scenario-slug>/].")
    ] = None,
) -> None:
    """Simulate a scenario; write summary.json, timeseries.csv and report.html."""
    scenario = load_scenario(config, overrides or ())
    output = run_scenario(scenario)
    out_dir = out if out is not None else Path("reports") / slug(scenario.scenario.name)
    write_outputs(out_dir, output.files)
    typer.echo(headline_table(output.summary))
    typer.echo(f"report: {out_dir / 'report.html'}")


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
def version() -> None:
    """Print the wargame version."""
    typer.echo(__version__)


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
        rebuild = "n/a" if m["rebuild_years"] is None else f"{m['rebuild_years']:.1f}"
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
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        f"{summary['scenario']} (horizon {summary['horizon_days']} days, "
        f"warning {summary['warning_days']} days)"
    ]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    return "\n".join(lines)
