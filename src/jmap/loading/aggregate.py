"""Rows to numbers: the aggregates a data source may ask for, by calendar month.

The trend of a source is its aggregate per calendar month of the rows' dates; its current
value is the newest month's. Values are rounded to one decimal place, and a whole number is
written without one (`38`, not `38.0`), so the outputs say what a person would.

- mean, ces: the mean of the values (CES is the mean of its answers).
- sum, count: the sum of the values; how many rows there are.
- last: the value of the row with the newest date (of rows with one date, the last in the file).
- nps: answers 0-10; the % of promoters (9-10) minus the % of detractors (0-6), -100..100.
- csat: answers 1-5; the % of satisfied answers (4-5).

An emotion from data maps the score to the 1-5 curve: on the `1-5` scale, rounded half up;
on the `0-10` scale, 1 + value x 4 / 10, rounded half up (0 -> 1, 5 -> 3, 10 -> 5).
"""

from __future__ import annotations

import math

from jmap.model import Point, SourceData

# The answers each scale allows, as the floats the rows are read as.
_SCALES: dict[str, frozenset[float]] = {
    "0-10": frozenset(float(answer) for answer in range(11)),
    "1-5": frozenset(float(answer) for answer in range(1, 6)),
}
# The scale of the answers an aggregate counts.
_ANSWERS = {"nps": "0-10", "csat": "1-5"}
_NPS_TOP, _NPS_BOTTOM = 9.0, 6.0
_CSAT_TOP = 4.0


def answers_error(value: float, aggregate: str, scale: str | None = None) -> str | None:
    """Why `value` cannot be an answer for this aggregate (or emotion scale), or None."""
    scale = scale or _ANSWERS.get(aggregate)
    if scale is None:
        return None
    if aggregate in _ANSWERS:
        if value in _SCALES[scale]:
            return None
        what = "an NPS answer" if aggregate == "nps" else "a CSAT answer"
        low, high = scale.split("-")
        return f"value {shown(value)} is not {what}: a whole number from {low} to {high}"
    bottom, top = (0.0, 10.0) if scale == "0-10" else (1.0, 5.0)
    if bottom <= value <= top:
        return None
    return f"value {shown(value)} is outside the scale {scale} the source names in `scale:`"


class _Month:
    """The rows of one month so far: enough for every aggregate."""

    __slots__ = ("bottom", "last", "newest", "rows", "top", "total")

    def __init__(self) -> None:
        self.rows = 0
        self.total = 0.0
        self.top = 0  # answers counted as promoters (NPS) or satisfied (CSAT)
        self.bottom = 0  # answers counted as detractors (NPS)
        self.newest = ""  # the newest date, and the value of its last row
        self.last = 0.0


class Trend:
    """The rows of one source, gathered by month as they stream past."""

    def __init__(self, aggregate: str) -> None:
        self.aggregate = aggregate
        self._months: dict[str, _Month] = {}
        self._top = {"nps": _NPS_TOP, "csat": _CSAT_TOP}.get(aggregate, math.inf)
        self._bottom = _NPS_BOTTOM if aggregate == "nps" else -math.inf
        self.rows = 0

    def add(self, month: str, date: str, value: float) -> None:
        found = self._months.get(month)
        if found is None:
            found = self._months[month] = _Month()
        found.rows += 1
        found.total += value
        if value >= self._top:
            found.top += 1
        elif value <= self._bottom:
            found.bottom += 1
        if date >= found.newest:
            found.newest = date
            found.last = value
        self.rows += 1

    def data(self) -> SourceData:
        """The trend, month by month; only called when a row was added."""
        series = tuple(
            Point(month, rounded(self._value(found)))
            for month, found in sorted(self._months.items())
        )
        newest = max(found.newest for found in self._months.values())
        return SourceData(series, newest, self.rows)

    def _value(self, found: _Month) -> float:
        if self.aggregate == "sum":
            return found.total
        if self.aggregate == "count":
            return found.rows
        if self.aggregate == "last":
            return found.last
        if self.aggregate == "nps":
            return 100 * (found.top - found.bottom) / found.rows
        if self.aggregate == "csat":
            return 100 * found.top / found.rows
        return found.total / found.rows  # mean, ces


def emotion_score(value: float, scale: str) -> int:
    """A value on a source's scale as an emotion score 1-5 (see the module's rule)."""
    on_curve = 1 + value * 4 / 10 if scale == "0-10" else value
    return min(5, max(1, math.floor(on_curve + 0.5)))


def rounded(value: float) -> int | float:
    """One decimal place; a whole number as an int."""
    kept = round(value, 1)
    return int(kept) if kept == int(kept) else kept


def shown(value: float) -> str:
    return str(rounded(value)) if value == round(value, 1) else repr(value)
