"""replications.csv's rows from the compiled writer: the same text as %-formatting each cell."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.analysis.csv_rows import CELL, replication_rows

NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12).map(float),  # whole, some past CELL's ten digits
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e10, -1e10, 9999999999.0, 0.5, 1e-300]),
)


def expected(lead: str, columns: list[np.ndarray]) -> str:
    """Each cell as CELL prints it ("" where not finite), the slow way."""
    rows = []
    for r in range(len(columns[0])):
        cells = [CELL % v if np.isfinite(v) else "" for v in (c[r].item() for c in columns)]
        rows.append(",".join([str(r), lead, *cells]) + "\n")
    return "".join(rows)


@settings(deadline=None)  # the first example loads the compiled writer
@given(
    st.integers(1, 30).flatmap(
        lambda size: st.lists(
            st.one_of(
                st.lists(NUMBERS, min_size=size, max_size=size).map(np.array),
                st.lists(st.integers(-(2**62), 2**62), min_size=size, max_size=size).map(
                    lambda v: np.array(v, np.int64)
                ),
                st.lists(st.integers(0, 5000), min_size=size, max_size=size).map(
                    lambda v: np.array(v, np.int64)
                ),
            ),
            min_size=1,
            max_size=6,
        )
    ),
    st.sampled_from(["tomahawk", '"a, b"', "é"]),
)
def test_rows_are_each_cell_formatted(columns: list[np.ndarray], lead: str) -> None:
    assert replication_rows(lead, columns) == expected(lead, columns)


def test_whole_columns_print_as_digits() -> None:
    got = replication_rows("m", [np.array([0, -7, 1234567890]), np.array([3.0, -0.0, 2.5])])
    assert got == "0,m,0,3\n1,m,-7,-0\n2,m,1234567890,2.5\n"
