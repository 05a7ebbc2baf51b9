"""wargame: munitions and shipbuilding capacity wargame calculator.

The Python API (`wargame.load`, `run`, `invest`, `sweep`, `compare`; see wargame/api.py and
docs/api.md) is imported on first use, so `import wargame` stays light.
"""

import os
from typing import Any

__version__ = "0.2.0"

# numpy's BLAS on one thread unless the user says otherwise: its matrix products here are small
# (a rate's knots by the replications of a block), and an idle second BLAS thread spins for a
# while after each one, taking a core from the compiled engine's threads. On this 2-core
# machine that made 20,000 replications of the default run 1.5x as long (docs/engines.md).
# Read when numpy first loads, so it acts only when wargame is imported first (the command line).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

_API = frozenset(
    {"load", "run", "invest", "sweep", "compare", "Result", "InvestResult", "CompareResult"}
)


def __getattr__(name: str) -> Any:
    """wargame.run and the rest of the API, from wargame.api when first asked for."""
    if name in _API:
        from wargame import api

        return getattr(api, name)
    raise AttributeError(f"module 'wargame' has no attribute {name!r}")
