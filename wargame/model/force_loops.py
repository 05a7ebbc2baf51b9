"""The force projection's loops over units and replications, compiled (model/force.py)."""

from __future__ import annotations

import numpy as np

from wargame.jit import compiled
from wargame.model.rates import FloatArray, IntArray


def count_by(days: FloatArray, amounts: IntArray, ends: FloatArray) -> IntArray:
    """Sum of `amounts` (U, R) whose `days` (U, R, ascending down each column; either may be
    (U, 1)) are on or before each of `ends` (Y,, ascending): (Y, R). One pass per column."""
    width = max(days.shape[1], amounts.shape[1])
    days = np.broadcast_to(days, (days.shape[0], width))
    amounts = np.broadcast_to(amounts, (amounts.shape[0], width))
    out = np.zeros((ends.size, width), dtype=np.int64)
    _count_by(days, amounts.astype(np.int64, copy=False), np.asarray(ends, np.float64), out)
    return out


@compiled()
def _count_by(days: FloatArray, amounts: IntArray, ends: FloatArray, out: IntArray) -> None:
    for r in range(days.shape[1]):
        u, total = 0, 0
        for y in range(ends.size):
            while u < days.shape[0] and days[u, r] <= ends[y]:
                total += amounts[u, r]
                u += 1
            out[y, r] = total


@compiled()
def take_newest(
    delivered: FloatArray,
    retire: FloatArray,
    day: FloatArray,
    want: IntArray,
    blocks: IntArray,
    left: IntArray,
    take: IntArray,
) -> None:
    """Take `want` hulls in service on `day` from `left` into `take`, newest (latest retirement)
    first: the blocks are each in order of retirement, so walk them back, merged (ties: the
    earlier block)."""
    top = np.empty(blocks.shape[0], dtype=np.int64)
    for r in range(left.shape[1]):
        need = want[r]
        for b in range(blocks.shape[0]):
            top[b] = blocks[b, 1] - 1
        while need > 0:
            best = -1
            for b in range(blocks.shape[0]):
                if top[b] >= blocks[b, 0] and (
                    best < 0 or retire[top[b], r] > retire[top[best], r]
                ):
                    best = b
            if best < 0:
                break
            u = top[best]
            top[best] -= 1
            if delivered[u, r] <= day[r] < retire[u, r]:
                n = min(need, left[u, r])
                take[u, r] += n
                left[u, r] -= n
                need -= n
