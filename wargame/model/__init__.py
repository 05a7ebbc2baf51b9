"""Compile a validated Scenario into plain schedules both engines read."""

from wargame.model.compile import CompiledModel, CompiledMunition, compile_scenario

__all__ = ["CompiledModel", "CompiledMunition", "compile_scenario"]
