"""One number format for people (wargame/numbers.py)."""

from __future__ import annotations

import pytest

from wargame import numbers


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (17_365_631_360, "$17.4 billion"),
        (8.5e8, "$850 million"),
        (2.24e6, "$2.24 million"),
        (1e9, "$1 billion"),
        (12_500, "$12,500"),
        (-3.3e9, "-$3.3 billion"),
    ],
)
def test_dollars_in_words(value: float, text: str) -> None:
    assert numbers.usd(value) == text


def test_counts_days_shares_and_other_numbers() -> None:
    assert numbers.count(4000) == "4,000"
    assert (numbers.days(6.0), numbers.days(6.5), numbers.days(None)) == ("6", "6.5", "never")
    assert [numbers.share(p) for p in (0.62, 0.021, 0.003, 1.0, 0.0)] == [
        "62%",
        "2.1%",
        "0.3%",
        "100%",
        "0%",
    ]
    assert (numbers.number(749.26), numbers.number(0.0208), numbers.number(2000.0)) == (
        "749.3",
        "0.0208",
        "2,000",
    )
