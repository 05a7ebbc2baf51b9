"""One way to write a number for people: terminal tables, reports, workbooks and messages.

Counts with thousands separators ("4,000"), money in words at a readable size ("$17.4 billion",
"$850 million", "$2.24 million", "$12,500"), days as whole numbers where they are whole ("6",
"6.5"), shares as percentages ("62%", "2.1%", "0.3%"), and "never" for a day that never came.
Machine outputs (JSON, CSV) keep full precision; this module is only for text a person reads.
"""

from __future__ import annotations

import math

NEVER = "never"


def count(value: float) -> str:
    """A whole number with thousands separators: 4,000."""
    return f"{round(value):,}"


def usd(value: float) -> str:
    """Dollars at a readable size: $17.4 billion, $850 million, $2.24 million, $12,500."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"{sign}${_three_figures(value / size)} {word}"
    return f"{sign}${round(value):,}"


def days(value: float | None) -> str:
    """Days: whole where whole (6), else one decimal (6.5); "never" for None or infinity."""
    if value is None or math.isinf(value):
        return NEVER
    return count(value) if float(value).is_integer() else f"{value:,.1f}"


def share(value: float) -> str:
    """A probability or fraction as a percentage: 62%, 2.1%, 0.3%, 0%, 100%."""
    percent = 100.0 * value
    if percent in (0.0, 100.0) or abs(percent) >= 10:
        return f"{percent:.0f}%"
    return f"{percent:.1f}%"


def number(value: float) -> str:
    """Any other quantity: separators, at most three significant decimals (749.3, 0.0208)."""
    if float(value).is_integer():
        return count(value)
    if abs(value) >= 100:
        return f"{value:,.1f}"
    return f"{value:,.3g}"


def _three_figures(value: float) -> str:
    """17.4, 850, 2.24: three significant figures, no trailing zeros past the point."""
    text = f"{value:.3g}" if value < 1000 else f"{value:,.0f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
