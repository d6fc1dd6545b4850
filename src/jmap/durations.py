"""Lengths of time as people write them in a journey: `10 min`, `3 days`, `1.5 hours`.

The grammar (docs/format.md, "Time"): a number (a whole number or a decimal with a point),
optional spaces, and a unit from `UNITS`, in any case. A month is 30 days and a year 365 days,
so that every duration is a number of seconds the maps can add up; `review_every` keeps the
unit as written, for rules that count calendar months.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from jmap.i18n import ngettext, number

# Each unit's canonical name, the words that name it, and its length in seconds.
_UNITS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("second", ("s", "sec", "secs", "second", "seconds"), 1),
    ("minute", ("min", "mins", "minute", "minutes"), 60),
    ("hour", ("h", "hr", "hrs", "hour", "hours"), 3600),
    ("day", ("d", "day", "days"), 86400),
    ("week", ("w", "wk", "wks", "week", "weeks"), 7 * 86400),
    ("month", ("month", "months"), 30 * 86400),
    ("year", ("y", "yr", "yrs", "year", "years"), 365 * 86400),
)
UNITS: dict[str, tuple[str, int]] = {
    word: (name, seconds) for name, words, seconds in _UNITS for word in words
}
# What an error lists: one way to write each unit.
ACCEPTED = "s, min, h, days, weeks, months, years"
EXAMPLES = "'10 min', '3 days', '1.5 hours'"

_WRITTEN = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*")


@dataclass(frozen=True)
class Parsed:
    amount: float
    unit: str  # the canonical name: second, minute, hour, day, week, month or year
    seconds: float


class DurationError(ValueError):
    """Text that is not a duration; the message says what would be."""


def parse(text: str) -> Parsed:
    from jmap.errors import did_you_mean

    match = _WRITTEN.fullmatch(text)
    if match is None:
        raise DurationError(f"must be a number and a unit, such as {EXAMPLES}")
    number, word = match.groups()
    unit = UNITS.get(word.lower())
    if unit is None:
        hint = did_you_mean(word.lower(), UNITS)
        raise DurationError(f"has an unknown unit '{word}'{hint}; the units are {ACCEPTED}")
    amount = float(number)
    return Parsed(amount, unit[0], amount * unit[1])


# How totals are said, largest first: a total reads in at most two of these. They are labels
# jmap composes, so they are in the reader's language (jmap.i18n); a journey's own `10 min`
# stays as written.
_SHOWN: tuple[tuple[Callable[[int], str], int], ...] = (
    (lambda n: ngettext("{n} week", "{n} weeks", n), 7 * 86400),
    (lambda n: ngettext("{n} day", "{n} days", n), 86400),
    (lambda n: ngettext("{n} h", "{n} h", n), 3600),
    (lambda n: ngettext("{n} min", "{n} min", n), 60),
    (lambda n: ngettext("{n} s", "{n} s", n), 1),
)


def words(seconds: float) -> str:
    """'3 days 2 h', '1 h 30 min', '45 s': a length of time in its two largest units, the
    smaller one rounded, so a total reads at a glance. Nothing is '0 min'."""
    seconds = round(seconds)
    if seconds <= 0:
        return _count(0, _SHOWN[3])
    index = next(i for i, shown in enumerate(_SHOWN) if seconds >= shown[1] or shown[1] == 1)
    if index + 1 == len(_SHOWN):
        return _count(seconds, _SHOWN[index])
    big, small = _SHOWN[index], _SHOWN[index + 1]
    # Rounded to the smaller unit first, so 1 day 23.9 h reads '2 days', not '1 day 24 h'.
    units = round(seconds / small[1])
    whole, rest = divmod(units * small[1], big[1])
    parts = [_count(whole, big)]
    if rest:
        parts.append(_count(rest // small[1], small))
    return " ".join(parts)


def _count(count: int, unit: tuple[Callable[[int], str], int]) -> str:
    return unit[0](count).format(n=number(count))
