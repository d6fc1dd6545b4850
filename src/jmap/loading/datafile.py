"""The rows of a data file, read as a stream: CSV with a header row, or JSON Lines.

A row is an observation: a `date`, a `value` and any dimensions (`touchpoint`, `persona`,
`segment`...). The readers here only split a file into rows and pick the columns asked for;
what the values mean is jmap.loading.sources' and jmap.loading.aggregate's. They never hold
more than one row, so a file of a million rows costs no more memory than a file of ten.

Positions: a row's line is the line it ends on (a quoted CSV field may hold line breaks); its
column is the field's number in the row for CSV (1 is the first field), and the character
column of the field's name for JSON Lines.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

CSV_SUFFIXES = (".csv",)
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
DATA_SUFFIXES = CSV_SUFFIXES + JSON_LINES_SUFFIXES

# A CSV field can be as long as a journey file may be: the csv module's default of 128 KB
# would refuse a long free-text comment column that jmap never reads anyway.
csv.field_size_limit(4 * 1024 * 1024)


def csv_error(error: csv.Error, line: int) -> DataError:
    return DataError(line, 1, f"is not valid CSV: {error}")


class DataError(Exception):
    """A problem at a row of a data file."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


class Rows:
    """The records of a data file, each a sequence holding the values of the columns asked
    for at `indexes` (date, value, then the dimensions); a record of another length than
    `width` is a blank line when empty, else `wrong_width`."""

    indexes: tuple[int, ...] = ()
    width = 0

    def records(self) -> Iterator[Sequence[str | None]]:
        raise NotImplementedError

    @property
    def line(self) -> int:
        """The line of the record read last (0 before the first)."""
        raise NotImplementedError

    def column(self, name: str) -> int:
        """The column of field `name` in the record read last, for a message about it."""
        raise NotImplementedError

    def wrong_width(self, record: Sequence[str | None]) -> DataError:
        return DataError(
            self.line,
            min(len(record), self.width) + 1,
            f"the row has {len(record)} fields and the header {self.width};"
            " give every row one value per column",
        )


class CsvRows(Rows):
    def __init__(self, stream: TextIO, columns: Sequence[str]) -> None:
        self._reader = csv.reader(stream)
        try:
            first = next(self._reader, None)
        except csv.Error as error:
            raise csv_error(error, self._reader.line_num) from None
        if first is None:
            raise DataError(1, 1, "the file is empty; a CSV data file starts with a header row")
        self.header = tuple(name.strip() for name in first)
        self.missing = [name for name in columns if name not in self.header]
        if not self.missing:
            self.indexes = tuple(self.header.index(name) for name in columns)
        self.width = len(self.header)

    def records(self) -> Iterator[Sequence[str | None]]:
        # The reader itself, not a generator around it: a million rows would pay for one.
        # It raises `csv.Error` (see `csv_error`).
        return self._reader

    @property
    def line(self) -> int:
        return self._reader.line_num

    def column(self, name: str) -> int:
        return self.header.index(name) + 1


class JsonRows(Rows):
    def __init__(self, stream: TextIO, columns: Sequence[str]) -> None:
        self._stream = stream
        self._columns = tuple(columns)
        self.indexes = tuple(range(len(columns)))
        self.width = len(columns)
        self._text = ""
        self._line = 0

    def records(self) -> Iterator[Sequence[str | None]]:
        columns = self._columns
        for number, text in enumerate(self._stream, start=1):
            self._line = number
            if not text.strip():
                continue
            self._text = text
            try:
                # Without its line break, which JSON would count as a line of its own.
                row = json.loads(text.rstrip("\r\n"))
            except json.JSONDecodeError as error:
                raise DataError(number, error.colno, f"is not JSON: {error.msg}") from None
            if not isinstance(row, dict):
                raise DataError(
                    number,
                    1,
                    'a JSON Lines row must be an object such as {"date": "2025-03-01", "value": 9}',
                )
            yield tuple(_text(row.get(name)) for name in columns)

    @property
    def line(self) -> int:
        return self._line

    def column(self, name: str) -> int:
        found = self._text.find(json.dumps(name))
        return found + 1 if found >= 0 else 1


def _text(value: Any) -> str | None:
    """A JSON value as a CSV field would hold it (`7`, `true`, `delivered`); None if missing."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
