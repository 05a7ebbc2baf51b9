"""Piecewise-linear rates: exact integrals and whole-missile cutting without drift."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wargame.model.rates import PiecewiseLinear, whole_amounts


def test_step_rate_integrates_exactly() -> None:
    rate = PiecewiseLinear.steps([0.0, 7.0], [7.0, np.inf], [600.0, 100.0])
    got = rate.cumulative(np.array([0.0, 3.5, 7.0, 10.0]))
    np.testing.assert_allclose(got, [0.0, 2100.0, 4200.0, 4500.0])


def test_gap_between_phases_has_zero_rate() -> None:
    rate = PiecewiseLinear.steps([0.0, 10.0], [5.0, 20.0], [2.0, 3.0])
    np.testing.assert_allclose(rate.cumulative(np.array([5.0, 10.0, 20.0, 30.0])), [10, 10, 40, 40])


def test_linear_ramp_integrates_to_a_triangle() -> None:
    ramp = PiecewiseLinear.from_points([(0.0, 0.0), (10.0, 0.0), (20.0, 4.0)])
    # area of the ramp: 10 days * 4/day / 2 = 20; after it the rate holds at 4/day
    np.testing.assert_allclose(ramp.cumulative(np.array([10.0, 15.0, 20.0, 25.0])), [0, 5, 20, 40])
    np.testing.assert_allclose(ramp.value(np.array([15.0, 30.0])), [2.0, 4.0])


def test_jump_is_right_continuous() -> None:
    rate = PiecewiseLinear.from_points([(0.0, 0.0), (5.0, 0.0), (5.0, 3.0)])
    np.testing.assert_allclose(rate.value(np.array([4.999, 5.0])), [0.0, 3.0])


@given(
    st.floats(0.01, 1000.0),
    st.lists(st.floats(0.0, 50.0), min_size=1, max_size=30),
)
def test_whole_amounts_sum_to_the_floor_of_the_total(rate: float, gaps: list[float]) -> None:
    bounds = np.concatenate(([0.0], np.cumsum(gaps)))
    cumulative = rate * bounds
    amounts = whole_amounts(cumulative)
    assert np.all(amounts >= 0)
    assert amounts.sum() == np.floor(cumulative[-1] + 1e-7)


@settings(deadline=None)  # the first example loads the compiled pass
@given(
    st.lists(st.floats(0.0, 400.0), min_size=1, max_size=6),
    st.lists(st.lists(st.floats(0.0, 1000.0), min_size=6, max_size=6), min_size=1, max_size=5),
    st.lists(st.floats(0.0, 500.0), min_size=2, max_size=40),
)
def test_whole_amounts_of_a_batch_are_each_curves_own(
    breaks: list[float], rates: list[list[float]], bounds: list[float]
) -> None:
    """Curves sharing their knots, rates drawn per replication (the one compiled pass straight
    to whole units): each replication's units are its own curve's, integrated and cut alone,
    and their running total is the floor of its integral."""
    knots = np.sort(np.array([0.0, *breaks[:5]]))
    drawn = np.array(rates).T[: knots.size]  # (knots, R): the rate from each knot on
    left = np.concatenate((drawn[:1], drawn[:-1]))  # just before each knot
    batch = PiecewiseLinear(
        np.repeat(knots, 2), np.stack((left, drawn), axis=1).reshape(-1, len(rates))
    )
    t = np.array(bounds)  # in any order: the pass groups runs of times in one piece
    got = batch.whole_amounts(t)
    assert got.shape == (t.size - 1, drawn.shape[1])
    for r in range(drawn.shape[1]):
        own = batch.replication(r)
        np.testing.assert_array_equal(got[:, r], whole_amounts(own.cumulative(t)))
        total = np.floor(own.cumulative(t) + 1e-7)
        assert got[:, r].sum() == total[-1] - total[0]
