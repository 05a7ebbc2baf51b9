"""Engines: the SimPy discrete-event reference model and the shared result types."""

from wargame.engine.des import run_des
from wargame.engine.results import MunitionRun, RunResult

__all__ = ["MunitionRun", "RunResult", "run_des"]
