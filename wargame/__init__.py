"""wargame: munitions and shipbuilding capacity wargame calculator.

The Python API (`wargame.load`, `run`, `invest`, `sweep`, `compare`; see wargame/api.py and
docs/api.md) is imported on first use, so `import wargame` stays light.
"""

from typing import Any

__version__ = "0.2.0"

_API = frozenset(
    {"load", "run", "invest", "sweep", "compare", "Result", "InvestResult", "CompareResult"}
)


def __getattr__(name: str) -> Any:
    """wargame.run and the rest of the API, from wargame.api when first asked for."""
    if name in _API:
        from wargame import api

        return getattr(api, name)
    raise AttributeError(f"module 'wargame' has no attribute {name!r}")
