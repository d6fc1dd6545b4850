"""When a map has gone stale: today's date, and the dates after which a fact is out of date.

The lint rules that say a map is stale (docs/lint.md, JM012 to JM017) and the portfolio pages
that list stale journeys first both ask these questions, so the answers live here, once.

"Today" is the real date unless `JMAP_TODAY` says another (YYYY-MM-DD), so that tests, golden
files and a CI run replayed later see the same findings; `jmap lint --today` does the same for
one run. Months and years are counted on the calendar (2025-01-31 plus 1 month is 2025-02-28),
as a person reading "review every 6 months" counts them; other units in days.
"""

from __future__ import annotations

import calendar
import datetime
import os
import re
from dataclasses import dataclass
from typing import Protocol

from jmap.errors import UsageError

TODAY_VARIABLE = "JMAP_TODAY"
# How old evidence may be before a map stops resting on it: research older than a year and a
# half describes a product, prices and competitors that have usually changed since.
DEFAULT_EVIDENCE_AGE = "18 months"
# How old a KPI's newest data point may be: most teams report KPIs monthly or quarterly, so a
# source with nothing newer than a quarter has stopped being fed (or its export broke).
DEFAULT_DATA_AGE = "3 months"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Span(Protocol):
    """A length of time as written: `model.Duration` or `durations.Parsed`."""

    @property
    def amount(self) -> float: ...

    @property
    def unit(self) -> str: ...

    @property
    def seconds(self) -> float: ...


def parse_day(text: str, what: str) -> datetime.date:
    """A date written YYYY-MM-DD; `what` names where it was given, for the error."""
    if _ISO_DATE.fullmatch(text.strip()):
        try:
            return datetime.date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise UsageError(
        f"must be a date written YYYY-MM-DD, such as 2026-12-02; got {text!r}", path=what
    )


def today() -> datetime.date:
    """`JMAP_TODAY` when set, else the real date."""
    given = os.environ.get(TODAY_VARIABLE)
    if given:
        return parse_day(given, TODAY_VARIABLE)
    return datetime.date.today()


def after(day: datetime.date, span: Span) -> datetime.date:
    """The day `span` after `day`: whole months and years on the calendar, the rest in days."""
    if span.unit in ("month", "year") and float(span.amount).is_integer():
        months = int(span.amount) * (12 if span.unit == "year" else 1)
        year, month = divmod(day.month - 1 + months, 12)
        year += day.year
        last = calendar.monthrange(year, month + 1)[1]
        return datetime.date(year, month + 1, min(day.day, last))
    return day + datetime.timedelta(days=span.seconds // 86400)


def is_older(day: datetime.date, age: Span, on: datetime.date) -> bool:
    """Whether `day` is more than `age` before `on`."""
    return after(day, age) < on


def review_due(reviewed: datetime.date | None, every: Span | None) -> datetime.date | None:
    """When a journey is next due for review; None when it does not say both."""
    if reviewed is None or every is None:
        return None
    return after(reviewed, every)


def span_words(span: Span) -> str:
    """'18 months', '1 year', '2.5 weeks': an age as a person writes it."""
    amount = f"{span.amount:g}"
    return f"{amount} {span.unit}{'' if amount == '1' else 's'}"


@dataclass(frozen=True)
class Check:
    """What a verdict of stale is made against: the day, the ages, and which of the stale rules
    the project runs (their ids), so the portfolio says what `jmap lint` says."""

    today: datetime.date
    evidence_age: Span
    data_age: Span
    rules: frozenset[str]
