"""The `wargame` command line: thin wrappers that parse arguments, call the library, map errors.

Exit codes: 0 ok, 1 internal bug, 2 bad input, 3 target infeasible or a check violated.

Each command lives in its own module, `wargame/cli/<command>.py`, imported only when that
command runs (or its --help is asked for): `wargame --help` lists them from `COMMANDS` without
importing any, and `wargame validate` loads no engine, scipy, plotly or numba.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer import _click
from typer.core import TyperGroup

from wargame import __version__
from wargame.errors import InputError

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3

# Every command, in the order `wargame --help` lists them, with the first sentence of its
# docstring (tests/test_startup.py checks they match): the list costs no import.
COMMANDS = {
    "run": "Simulate a scenario; write summary.json, timeseries.csv, inputs.csv and report.html.",
    "invest": "Find the least supplemental money, decided on day 0, that meets demand for the "
    "target.",
    "validate": "Check a scenario file (and overrides) without running it.",
    "schema": "Print the JSON Schema of scenario files (distributions included), for editors.",
    "sweep": "Run a sensitivity sweep; write sweep.csv, sweep.parquet, sweep.html and "
    "indices.json.",
    "export": "Add a workbook and static images of the charts to a folder (listed in its "
    "manifest).",
    "version": "Print the wargame version.",
    "compare": "Compare runs side by side: headline outcomes, differences against the first with "
    "95% intervals (paired when the runs share random numbers), overlaid charts, compare.html.",
}


class _Commands(Mapping[str, _click.Command]):
    """The commands by name; a command's module is imported when it is first looked up."""

    def __init__(self) -> None:
        self._loaded: dict[str, _click.Command] = {}

    def __getitem__(self, name: str) -> _click.Command:
        if name not in COMMANDS:
            raise KeyError(name)
        if name not in self._loaded:
            module = importlib.import_module(f"wargame.cli.{name}")
            self._loaded[name] = module.command
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class LazyGroup(TyperGroup):
    """The `wargame` group: its commands load on first use, and its help lists them from
    `COMMANDS` (click would load every command to read its help)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()  # type: ignore[assignment]  # read-only: all are known

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, _click.utils.make_default_short_help(text, limit))
            for name, text in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def new_app(**attrs: Any) -> typer.Typer:
    """A typer app with the command line's settings: plain help, exceptions not prettified."""
    return typer.Typer(
        pretty_exceptions_enable=False,
        add_completion=False,
        rich_markup_mode=None,  # plain help: rich would eat "[default: ...]" as markup
        **attrs,
    )


app = new_app(
    cls=LazyGroup,
    help="Munitions and shipbuilding capacity wargame calculator.",
    no_args_is_help=True,
)


def click_command(command_app: typer.Typer) -> _click.Command:
    """The one command of a command module's app, as the group runs it."""
    return typer.main.get_command(command_app)


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


def bad_input_exits(command: F) -> F:
    """Turn InputError into one line on stderr and exit code 2, with no traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            typer.echo(f"error: {one_line(str(exc))}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None

    return wrapper  # type: ignore[return-value]


def say(lines: list[str]) -> None:
    """Notes and warnings, on stderr (the exit code stays 0)."""
    for line in lines:
        typer.echo(line, err=True)


def main() -> None:
    """The console entry point: the app, with a usage error (an unknown option, a value out of
    range) on one line and exit code 2, like every other bad input; notices of slow one-off
    steps (compiling the engine's core) on stderr."""
    from typer._click.exceptions import NoArgsIsHelpError, UsageError  # typer's own click

    from wargame.progress import notices_to

    try:
        with notices_to(lambda text: typer.echo(text, err=True)):
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
