"""Compile a validated Scenario into plain schedules both engines read."""

from wargame.model.compile import CompiledModel, CompiledMunition, compile_scenario
from wargame.model.line import Line

__all__ = ["CompiledModel", "CompiledMunition", "Line", "compile_scenario"]
