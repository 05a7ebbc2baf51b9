"""Scenario files: validated models, loading, overrides and the JSON Schema."""

from wargame.config.loading import load_scenario
from wargame.config.scenario import Scenario

__all__ = ["Scenario", "load_scenario"]
