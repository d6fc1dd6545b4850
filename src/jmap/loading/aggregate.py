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
_BOUNDS = {"0-10": (0.0, 10.0), "1-5": (1.0, 5.0)}
# Promoters answer 9-10, detractors 0-6; satisfied customers 4-5.
_NPS_TOP, _NPS_BOTTOM = 9, 6
_CSAT_TOP = 4


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
    bottom, top = _BOUNDS[scale]
    if bottom <= value <= top:
        return None
    return f"value {shown(value)} is outside the scale {scale} the source names in `scale:`"


class Trend:
    """The rows of one source, gathered by date as they stream past.

    jmap.loading.sources fills the maps below row by row, in its own loop: a method call per
    row would cost more than the rest of the reading. Memory grows with the dates, never with
    the rows: NPS and CSAT keep how many of each answer, the rest a count and a sum.
    """

    def __init__(self, aggregate: str, scale: str | None = None) -> None:
        self.aggregate = aggregate
        self.scale = scale
        answers = _ANSWERS.get(aggregate)
        # date -> how many rows gave each answer 0-10 (NPS, CSAT); else None
        self.answers: dict[str, list[int]] | None = {} if answers else None
        self.counts: dict[str, int] = {}  # date -> rows
        self.totals: dict[str, float] = {}  # date -> sum of the values
        self.last: dict[str, float] | None = {} if aggregate == "last" else None
        # What a value may be: one of `allowed` (None: any), from `low` to `high`.
        self.allowed = _SCALES[answers] if answers else None
        bounds = _BOUNDS.get(scale or "", (-math.inf, math.inf))
        self.low, self.high = bounds

    def why_not(self, value: float) -> str:
        """Why a value this source was given is not one it can take."""
        return answers_error(value, self.aggregate, self.scale) or f"value {shown(value)}"

    @property
    def rows(self) -> int:
        if self.answers is not None:
            return sum(sum(answers) for answers in self.answers.values())
        return sum(self.counts.values())

    def data(self) -> SourceData:
        """The trend, month by month; only called when a row was added."""
        dates = sorted(self.answers if self.answers is not None else self.counts)
        months: dict[str, list[str]] = {}
        for date in dates:
            months.setdefault(date[:7], []).append(date)
        series = tuple(Point(month, rounded(self._value(days))) for month, days in months.items())
        return SourceData(series, dates[-1], self.rows)

    def _value(self, dates: list[str]) -> float:
        if self.answers is not None:
            counted = zip(*(self.answers[date] for date in dates), strict=True)
            answers: list[int] = [sum(counts) for counts in counted]
            rows = sum(answers)
            if self.aggregate == "nps":
                top, bottom = sum(answers[_NPS_TOP:]), sum(answers[: _NPS_BOTTOM + 1])
                return 100 * (top - bottom) / rows
            return 100 * sum(answers[_CSAT_TOP:]) / rows
        if self.last is not None:
            return self.last[dates[-1]]
        rows = sum(self.counts[date] for date in dates)
        total = sum(self.totals[date] for date in dates)
        if self.aggregate == "count":
            return rows
        if self.aggregate == "sum":
            return total
        return total / rows  # mean, ces


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
