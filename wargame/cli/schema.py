"""`wargame schema`: the JSON Schema of scenario files."""

from __future__ import annotations

import json

import typer

from wargame.cli import click_command, new_app
from wargame.config.json_schema import scenario_json_schema
from wargame.recorded import RecordedCommand

command_app = new_app()


@command_app.command(cls=RecordedCommand)
def schema() -> None:
    """Print the JSON Schema of scenario files (distributions included), for editors."""
    typer.echo(json.dumps(scenario_json_schema(), indent=2))


command = click_command(command_app)
