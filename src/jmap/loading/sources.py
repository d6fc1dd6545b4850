"""A journey's numbers from data files: each `source:` read, filtered and aggregated.

A KPI's `source:` and a touchpoint's `emotion_source:` name a data file (jmap.loading.datafile)
relative to the journey. It is found like an included file (jmap.loading.includes): inside the
project, a regular file, or from a git revision for `jmap diff`. Each file is read once per
journey, as a stream, for every source that names it; its SHA-256 is taken on the way, so an
incremental build knows when a row changed. The value worked out (jmap.loading.aggregate) goes
into the KPI's `value` or the touchpoint's `emotion`, and the trend into the KPI's `data`.

A problem in a row is reported at the row (`data/nps.csv:14:3`), followed by the reference in
the journey that read it; a file that cannot be read, a missing column or no matching rows,
at the reference in the journey.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from jmap.errors import Problem, did_you_mean, shown_value
from jmap.loading.aggregate import Trend, emotion_score
from jmap.loading.datafile import (
    CSV_SUFFIXES,
    DATA_SUFFIXES,
    JSON_LINES_SUFFIXES,
    CsvRows,
    DataError,
    JsonRows,
    Rows,
    csv_error,
)
from jmap.loading.document import Path as DataPath
from jmap.loading.includes import Files, Found, Included, IncludeError
from jmap.model import EmotionSource, Journey, Kpi, Source, Touchpoint

DATE, VALUE = "date", "value"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The values of a dimension kept for a did-you-mean when no row matches: enough for any
# real dimension (touchpoints, personas, segments), not a million distinct ids.
_SEEN = 200
Place = Callable[[DataPath, bool], tuple[str, int, int]]


@dataclass
class _Use:
    """One `source:` in the journey, and what its rows add up to so far."""

    path: DataPath  # of the `source:` value
    source: Source
    owner: Kpi | Touchpoint
    trend: Trend
    # (index among the file's dimensions, the values kept): every filter must match.
    filters: list[tuple[int, frozenset[str]]] = field(default_factory=list)
    persona: str | None = None  # whose emotion, for a per-persona `emotion_source:`


def read_sources(
    journey: Journey, name: str, files: Files, place: Place
) -> tuple[list[Included], list[Problem]]:
    """Work out every value the journey takes from data files, and put it in the journey.

    `place` gives the file, line and column of a value (or, with True, its key) in the
    journey. Returns the data files read, for incremental builds, and the problems found.
    """
    uses = list(_uses(journey))
    if not uses:
        return [], []
    start = files.start(name)
    by_file: dict[str, tuple[Found, list[_Use]]] = {}
    problems: list[Problem] = []
    for use in uses:
        try:
            found = files.locate(start, use.source.file, "a data file")
        except IncludeError as error:
            problems.append(_at(place, (*use.path, "file"), f"{_named(use)} {error}"))
            continue
        if not found.key.lower().endswith(DATA_SUFFIXES):
            problems.append(
                _at(
                    place,
                    (*use.path, "file"),
                    f"{_named(use)} is not a data file jmap reads: name a CSV file (.csv)"
                    " or a JSON Lines file (.jsonl)",
                )
            )
            continue
        by_file.setdefault(found.key, (found, []))[1].append(use)
    read: list[Included] = []
    for found, listed in by_file.values():
        digest = _File(found, listed, files, place, problems).read()
        if digest is not None:
            via = place((*listed[0].path, "file"), False)
            read.append(Included(found.name, digest, (via,)))
    return read, problems


def _uses(journey: Journey) -> Iterator[_Use]:
    for s, stage in enumerate(journey.stages):
        for k, kpi in enumerate(stage.kpis):
            if kpi.source is not None:
                yield _Use(("stages", s, "kpis", k, "source"), kpi.source, kpi, _trend(kpi.source))
        for t, touchpoint in enumerate(stage.touchpoints):
            at = ("stages", s, "touchpoints", t)
            for k, kpi in enumerate(touchpoint.kpis):
                if kpi.source is not None:
                    yield _Use((*at, "kpis", k, "source"), kpi.source, kpi, _trend(kpi.source))
            emotion = touchpoint.emotion_source
            if isinstance(emotion, dict):
                for persona, one in emotion.items():
                    yield _Use(
                        (*at, "emotion_source", persona),
                        one,
                        touchpoint,
                        _trend(one),
                        persona=persona,
                    )
            elif emotion is not None:
                yield _Use((*at, "emotion_source"), emotion, touchpoint, _trend(emotion))


def _trend(source: Source) -> Trend:
    scale = source.scale if isinstance(source, EmotionSource) else None
    return Trend(source.aggregate, scale)


class _File:
    """One data file and the sources that read it, read in one pass."""

    def __init__(
        self, found: Found, uses: list[_Use], files: Files, place: Place, problems: list[Problem]
    ) -> None:
        self.found = found
        self.uses = uses
        self.files = files
        self.place = place
        self.problems = problems
        self.dimensions = sorted({key for use in uses for key in use.source.where})
        file, line, column = place((*uses[0].path, "file"), False)
        self.via = f" (read for {file}:{line}:{column})"

    def read(self) -> str | None:
        """The file's SHA-256 once every source has its value; None after a problem."""
        try:
            stream = self.files.open(self.found, DATA_SUFFIXES)
        except IncludeError as error:
            for use in self.uses:
                self._at_use(use, (*use.path, "file"), f"{_named(use)} {error}")
            return None
        hashed = _Hashed(stream)
        text = io.TextIOWrapper(
            io.BufferedReader(hashed, 1 << 16), encoding="utf-8-sig", newline=""
        )
        rows: Rows | None = None
        try:
            with text:
                rows = self._rows(text)
                if rows is None:
                    return None
                self._pass(rows)
        except DataError as error:
            self._in_file(error.line, error.column, error.message)
            return None
        except csv.Error as error:
            assert rows is not None
            problem = csv_error(error, rows.line)
            self._in_file(problem.line, problem.column, problem.message)
            return None
        except UnicodeDecodeError:
            line = rows.line + 1 if rows is not None else 1
            self._in_file(line, 1, "the file is not UTF-8 text; save it as UTF-8")
            return None
        except OSError as error:
            for use in self.uses:
                self._at_use(use, (*use.path, "file"), f"{_named(use)} cannot be read: {error}")
            return None
        if not self._finish():
            return None
        return hashed.digest.hexdigest()

    def _rows(self, text: io.TextIOWrapper) -> Rows | None:
        columns = [DATE, VALUE, *self.dimensions]
        if not self.found.key.lower().endswith(CSV_SUFFIXES):
            assert self.found.key.lower().endswith(JSON_LINES_SUFFIXES)
            return JsonRows(text, columns)
        rows = CsvRows(text, columns)
        header = rows.header
        for needed in (DATE, VALUE):
            if needed not in header:
                self._in_file(
                    1,
                    1,
                    f"the header row has no column '{needed}'{did_you_mean(needed, header)};"
                    f" a data file needs the columns {DATE} and {VALUE}",
                )
                return None
        for use in self.uses:
            for key in use.source.where:
                if key in rows.missing:
                    self._at_use(
                        use,
                        (*use.path, "where", key),
                        f"{self.found.name} has no column '{key}'{did_you_mean(key, header)};"
                        f" its columns are {', '.join(header)}",
                        key=True,
                    )
        return None if rows.missing else rows

    def _pass(self, rows: Rows) -> None:
        """Every row, once: its date and value checked, then added to each source it matches.

        The hot loop of a build that reads a million rows: everything it can look up once is
        looked up before it, and each source's trend is filled in place (see `Trend`).
        """
        at = {key: rows.indexes[2 + number] for number, key in enumerate(self.dimensions)}
        sources = []
        for use in self.uses:
            filters = tuple(
                (at[key], frozenset([wanted] if isinstance(wanted, str) else wanted))
                for key, wanted in use.source.where.items()
            )
            sources.append((filters, use.trend))
        date_at, value_at = rows.indexes[:2]
        width = rows.width
        months: dict[str | None, str] = {}  # date -> its month, for the dates seen so far
        for record in rows.records():
            if len(record) != width:
                if not record:
                    continue  # a blank line
                raise rows.wrong_width(record)
            date = record[date_at]
            if date not in months:
                months[date] = _month(date, rows)
            text = record[value_at]
            try:
                value = float(text)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                value = math.nan
            if value - value != 0:  # not finite: nan, inf, or not a number at all
                raise _not_a_number(text, rows)
            for filters, trend in sources:
                for index, wanted in filters:
                    if record[index] not in wanted:
                        break
                else:
                    if not trend.low <= value <= trend.high or (
                        trend.allowed is not None and value not in trend.allowed
                    ):
                        raise DataError(rows.line, rows.column(VALUE), trend.why_not(value))
                    assert date is not None
                    if trend.answers is not None:
                        answers = trend.answers.get(date)
                        if answers is None:
                            answers = trend.answers[date] = [0] * 11
                        answers[int(value)] += 1
                    else:
                        trend.counts[date] = trend.counts.get(date, 0) + 1
                        trend.totals[date] = trend.totals.get(date, 0.0) + value
                        if trend.last is not None:
                            trend.last[date] = value

    def _finish(self) -> bool:
        """Each source's value put in the journey; False when a source matched no row."""
        done = True
        for use in self.uses:
            if use.trend.rows == 0:
                self._no_rows(use)
                done = False
                continue
            data = use.trend.data()
            current = data.series[-1].value
            if isinstance(use.owner, Kpi):
                # Set after validation, as the model's own defaults are (see Journey).
                object.__setattr__(use.owner, "value", current)
                use.owner._data = data
            else:
                assert isinstance(use.source, EmotionSource)
                score = emotion_score(current, use.source.scale)
                emotion: int | dict[str, int] = score
                if use.persona is not None:
                    emotion = _emotions(use.owner, use.persona, score)
                object.__setattr__(use.owner, "emotion", emotion)
        return done

    def _no_rows(self, use: _Use) -> None:
        name = self.found.name
        for key, wanted in use.source.where.items():
            values = self._values(key)
            if not values:
                message = f"no row of {name} has a '{key}'; check the name of the field"
                self._at_use(use, (*use.path, "where", key), message, key=True)
                return
            listed = [wanted] if isinstance(wanted, str) else wanted
            if not any(one in values for one in listed):
                hint = did_you_mean(listed[0], sorted(values))
                shown = " or ".join(shown_value(one) for one in listed)
                message = f"no row of {name} has {key} {shown}{hint}"
                self._at_use(use, (*use.path, "where", key), message)
                return
        what = "matches every filter in `where:`" if use.source.where else "has a date and a value"
        self._at_use(use, use.path, f"no row of {name} {what}; a source needs at least one row")

    def _values(self, key: str) -> set[str]:
        """Some values of dimension `key` in the file, for a did-you-mean: read again, as
        only a source that matched nothing needs them."""
        values: set[str] = set()
        with io.TextIOWrapper(
            self.files.open(self.found, DATA_SUFFIXES), encoding="utf-8-sig", newline=""
        ) as text:
            rows = self._rows(text)
            assert rows is not None  # it was read once already
            index = rows.indexes[2 + self.dimensions.index(key)]
            for record in rows.records():
                if len(record) == rows.width and record[index] is not None:
                    values.add(str(record[index]))
                    if len(values) >= _SEEN:
                        break
        return values

    def _in_file(self, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(self.found.name, line, column, message + self.via))

    def _at_use(self, use: _Use, path: DataPath, message: str, *, key: bool = False) -> None:
        self.problems.append(_at(self.place, path, message, key=key))


def _emotions(touchpoint: Touchpoint, persona: str, score: int) -> dict[str, int]:
    """The per-persona scores with `persona`'s added, in the order `emotion_source:` names
    them, so the result does not depend on which data file was read first."""
    sources = touchpoint.emotion_source
    assert isinstance(sources, dict)
    had = dict(touchpoint.emotion) if isinstance(touchpoint.emotion, dict) else {}
    had[persona] = score
    return {one: had[one] for one in sources if one in had}


def _month(date: str | None, rows: Rows) -> str:
    if date is None:
        raise DataError(rows.line, 1, f'the row has no "{DATE}"; every row needs one')
    valid = _DATE.fullmatch(date) is not None
    if valid:
        try:
            datetime.date.fromisoformat(date)
        except ValueError:
            valid = False
    if not valid:
        raise DataError(
            rows.line,
            rows.column(DATE),
            f"date {shown_value(date)} is not a date in the form YYYY-MM-DD (2025-03-31)",
        )
    return date[:7]


def _not_a_number(text: str | None, rows: Rows) -> DataError:
    if text is None:
        return DataError(rows.line, 1, f'the row has no "{VALUE}"; every row needs one')
    return DataError(rows.line, rows.column(VALUE), f"value {shown_value(text)} is not a number")


def _named(use: _Use) -> str:
    return f"data file '{use.source.file}'"


def _at(place: Place, path: DataPath, message: str, *, key: bool = False) -> Problem:
    file, line, column = place(path, key)
    return Problem(file, line, column, message)


class _Hashed(io.RawIOBase):
    """A binary stream that takes the SHA-256 of what is read through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._raw.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self.digest.update(chunk)
        return len(chunk)

    def close(self) -> None:
        self._raw.close()
        super().close()
