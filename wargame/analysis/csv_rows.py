"""A CSV's rows, one per replication, written by a compiled loop (replications.csv).

Python's %-formatting took a call per cell: 20,000 replications of one munition are 220,000
cells, more time than the engine spends on them. Whole-number columns (most of a replication's
outcomes) are printed as digits straight into one byte buffer; any other column is formatted
in Python (CELL, "" where not finite) and copied in. The text is the same as `CELL % value` of
every cell: CELL prints a whole number below 1e10 in size (and not -0) as its digits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wargame.jit import compiled, first_call
from wargame.model.rates import IntArray

CELL = "%.10g"  # a number in the CSVs: at most ten significant figures ("" where not finite)
NEWLINE = 10
WIDEST = 20  # characters of the longest int64, "-9223372036854775808"
Bytes = NDArray[np.uint8]


def replication_rows(lead: str, columns: Sequence[NDArray[Any]]) -> str:
    """Rows "r,<lead>,<cells>" for r = 0 .. R - 1, one cell from each (R,) column; `lead`
    is written as given (already quoted for CSV)."""
    size = len(columns[0])
    if size == 0:
        return ""
    whole: list[IntArray] = []
    texts: list[str] = []
    layout = []  # each column: its row in `whole` (>= 0), or -1 - its index in `texts`
    for values in columns:
        if _short_whole(values):
            layout.append(len(whole))
            whole.append(values.astype(np.int64))
        else:
            layout.append(-1 - len(texts))
            texts.append(_text(values))
    text = np.frombuffer("".join(texts).encode(), np.uint8)  # ASCII: a character is a byte
    # cell r of text column c is text[starts[c, r] : starts[c, r + 1] - 1] (less its newline)
    ends = np.flatnonzero(text == NEWLINE).reshape(len(texts), size) + 1
    starts = np.zeros((len(texts), size + 1), np.int64)
    starts[:, 1:] = ends
    starts[1:, 0] = ends[:-1, -1]
    prefix = np.frombuffer(lead.encode(), np.uint8)
    longest = WIDEST + 1 + prefix.size + len(columns) * (WIDEST + 1) + 1
    out = np.empty(size * longest + text.size, np.uint8)
    ints = np.zeros((len(whole), size), np.int64)
    for c, values in enumerate(whole):
        ints[c] = values
    with first_call("csv-rows", "the writer of replications.csv"):
        written = _write_rows(
            size,
            ints,
            text,
            starts,
            np.array(layout, np.int64),
            prefix,
            out,
        )
    return out[:written].tobytes().decode()


def _text(values: NDArray[Any]) -> str:
    """A column's cells as text, each ended by a newline: CELL of each number, "" where not
    finite (one %-format over the column when all are: a third quicker than one a cell)."""
    listed = values.tolist()
    finite = np.isfinite(values)
    if finite.all():
        return (CELL + "\n") * len(listed) % tuple(listed)
    cells = [CELL % v if ok else "" for v, ok in zip(listed, finite.tolist(), strict=True)]
    return "".join(cell + "\n" for cell in cells)


def _short_whole(values: NDArray[Any]) -> bool:
    """Whether every value is a whole number below 1e10 in size (at most CELL's ten digits,
    so no exponent) and none is -0 (which CELL prints as "-0")."""
    if values.size == 0:
        return True
    if values.dtype.kind not in "iu":
        if not np.isfinite(values).all():
            return False
        negative_zero = np.signbit(values) & (values == 0)
        if not np.array_equal(values, np.floor(values)) or negative_zero.any():
            return False
    return bool(values.min() > -1e10 and values.max() < 1e10)


@compiled()
def _digits(value: int, out: Bytes, at: int, scratch: Bytes) -> int:
    """`value` in decimal into out[at:]; returns where the next character goes."""
    if value < 0:
        out[at] = 45  # "-"
        at += 1
        value = -value
    count = 0
    while True:  # least significant first, into scratch
        scratch[count] = 48 + value % 10
        count += 1
        value //= 10
        if value == 0:
            break
    for i in range(count):
        out[at + i] = scratch[count - 1 - i]
    return at + count


@compiled()
def _write_rows(
    size: int,
    ints: IntArray,
    text: Bytes,
    starts: IntArray,
    layout: IntArray,
    prefix: Bytes,
    out: Bytes,
) -> int:
    """`size` rows into `out`: each its number, the prefix, then each column's cell (layout
    >= 0: the whole numbers ints[layout]; else its cell of `text`, from its start in
    starts[-1 - layout] to the newline before the next); returns the bytes written."""
    scratch = np.empty(WIDEST, np.uint8)
    at = 0
    for r in range(size):
        at = _digits(r, out, at, scratch)
        out[at] = 44  # ","
        at += 1
        for i in range(prefix.size):
            out[at + i] = prefix[i]
        at += prefix.size
        for c in range(layout.size):
            out[at] = 44
            at += 1
            if layout[c] >= 0:
                at = _digits(ints[layout[c], r], out, at, scratch)
            else:
                row = -1 - layout[c]
                for i in range(starts[row, r], starts[row, r + 1] - 1):
                    out[at] = text[i]
                    at += 1
        out[at] = NEWLINE
        at += 1
    return at
