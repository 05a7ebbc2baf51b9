"""`wargame validate`: check a scenario file without running it (loads no engine)."""

from __future__ import annotations

import typer

from wargame.cli import ConfigArg, SetOption, bad_input_exits, click_command, new_app
from wargame.config.loading import load_study
from wargame.recorded import RecordedCommand

command_app = new_app()


@command_app.command(cls=RecordedCommand)
@bad_input_exits
def validate(config: ConfigArg, overrides: SetOption = None) -> None:
    """Check a scenario file (and overrides) without running it."""
    scenario = load_study(config, overrides or ()).scenario
    names = ", ".join(scenario.munitions)
    typer.echo(f"{config}: ok ({scenario.scenario.name}; munitions: {names})")


command = click_command(command_app)
