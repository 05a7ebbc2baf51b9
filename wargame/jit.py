"""Compiled loops: numba's njit, cached on disk, keeping each function's type for mypy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from numba import njit

F = TypeVar("F", bound=Callable[..., Any])


def compiled(*, parallel: bool = False) -> Callable[[F], F]:
    """Compile a function of numbers and arrays to machine code on first call (cached on disk,
    in the package's __pycache__, so later processes load it in well under a second)."""

    def wrap(function: F) -> F:
        return cast(F, njit(cache=True, parallel=parallel)(function))

    return wrap
