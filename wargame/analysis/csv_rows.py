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
NEWLINE, COMMA, MINUS, ZERO = 10, 44, 45, 48  # ASCII
WIDEST = 20  # characters of the longest int64, "-9223372036854775808"
Bytes = NDArray[np.uint8]


def replication_rows(lead: str, columns: Sequence[NDArray[Any]]) -> str:
    """Rows "r,<lead>,<cells>" for r = 0 .. R - 1, one cell from each (R,) column; `lead`
    is written as given (already quoted for CSV)."""
    size = len(columns[0])
    if size == 0:
        return ""
    head = lead.encode()
    whole: list[IntArray] = [np.arange(size)]  # the replication, then whole-number columns
    texts: list[str] = []  # the other columns' cells, each ended by a newline
    layout = [0, -1]  # each cell of a row: its row of `whole` (>= 0), or -1 - its text (the
    for values in columns:  # lead is text 0: the same bytes in every row)
        if _short_whole(values):
            layout.append(len(whole))
            whole.append(values.astype(np.int64))
        else:
            texts.append(_text(values))
            layout.append(-1 - len(texts))
    text = np.frombuffer(head + "".join(texts).encode(), np.uint8)  # ASCII: a byte a character
    # text t's cell r is text[begin[t, r] : end[t, r]]: up to its newline
    newlines = np.flatnonzero(text[len(head) :] == NEWLINE).reshape(len(texts), size) + len(head)
    begin = np.zeros((1 + len(texts), size), np.int64)
    end = np.full((1 + len(texts), size), len(head), np.int64)
    end[1:] = newlines
    begin[1:, 1:] = newlines[:, :-1] + 1
    begin[1:, 0] = np.concatenate(([len(head)], newlines[:-1, -1] + 1))
    out = np.empty(size * (len(layout) * (WIDEST + 1) + len(head)) + text.size, np.uint8)
    with first_call("csv-rows", "the writer of replications.csv"):
        written = _write_rows(
            np.array(whole, np.int64), text, begin, end, np.array(layout, np.int64), out
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
def _write_rows(
    ints: IntArray, text: Bytes, begin: IntArray, end: IntArray, layout: IntArray, out: Bytes
) -> int:
    """Every row into `out`, its cells comma-separated: for layout >= 0 the whole number
    ints[layout] in decimal, else the text -1 - layout's cell; returns the bytes written.
    One loop with one digit writer: numba builds it in about 0.3 s on a fresh cache."""
    scratch = np.empty(WIDEST, np.uint8)
    at = 0
    for r in range(begin.shape[1]):
        for c in range(layout.size):
            if c > 0:
                out[at] = COMMA
                at += 1
            if layout[c] >= 0:
                value = ints[layout[c], r]
                if value < 0:
                    out[at] = MINUS
                    at += 1
                    value = -value
                count = 0
                while True:  # least significant digit first, into scratch
                    scratch[count] = ZERO + value % 10
                    count += 1
                    value //= 10
                    if value == 0:
                        break
                for i in range(count):
                    out[at + i] = scratch[count - 1 - i]
                at += count
            else:
                t = -1 - layout[c]
                for i in range(begin[t, r], end[t, r]):
                    out[at] = text[i]
                    at += 1
        out[at] = NEWLINE
        at += 1
    return at
