"""`wargame version`: the version."""

from __future__ import annotations

import typer

from wargame import __version__
from wargame.cli import click_command, new_app
from wargame.recorded import RecordedCommand

command_app = new_app()


@command_app.command(cls=RecordedCommand)
def version() -> None:
    """Print the wargame version."""
    typer.echo(__version__)


command = click_command(command_app)
