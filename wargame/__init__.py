"""wargame: munitions and shipbuilding capacity wargame calculator."""

__version__ = "0.1.0"
