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
from operator import itemgetter
from typing import Any, TextIO

CSV_SUFFIXES = (".csv",)
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
DATA_SUFFIXES = CSV_SUFFIXES + JSON_LINES_SUFFIXES

# A CSV field can be as long as a journey file may be: the csv module's default of 128 KB
# would refuse a long free-text comment column that jmap never reads anyway.
csv.field_size_limit(4 * 1024 * 1024)

Fields = tuple[Any, ...]


class DataError(Exception):
    """A problem at a row of a data file."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


class Rows:
    """The rows of a data file, each as its line and the values of `columns`, in order."""

    # The columns the file has, in order; None for JSON Lines, whose rows each have their own.
    header: tuple[str, ...] | None = None
    line = 0  # of the row read last

    def __iter__(self) -> Iterator[tuple[int, Fields]]:
        raise NotImplementedError

    def column(self, name: str) -> int:
        """The column of field `name` in the row read last, for a message about it."""
        raise NotImplementedError


class CsvRows(Rows):
    def __init__(self, stream: TextIO, columns: Sequence[str]) -> None:
        self._reader = csv.reader(stream)
        self._columns = tuple(columns)
        try:
            first = next(self._reader, None)
        except csv.Error as error:
            raise DataError(self._reader.line_num, 1, f"is not valid CSV: {error}") from None
        if first is None:
            raise DataError(1, 1, "the file is empty; a CSV data file starts with a header row")
        self.header = tuple(name.strip() for name in first)
        self.line = self._reader.line_num

    def missing(self) -> list[str]:
        assert self.header is not None
        return [name for name in self._columns if name not in self.header]

    def __iter__(self) -> Iterator[tuple[int, Fields]]:
        assert self.header is not None
        indexes = [self.header.index(name) for name in self._columns]
        # itemgetter of one index gives the value, not a 1-tuple.
        pick = itemgetter(*indexes) if len(indexes) > 1 else lambda row: (row[indexes[0]],)
        width = len(self.header)
        reader = self._reader
        try:
            for row in reader:
                if len(row) != width:
                    if not row:
                        continue  # a blank line
                    self.line = reader.line_num
                    raise DataError(
                        reader.line_num,
                        min(len(row), width) + 1,
                        f"the row has {len(row)} fields and the header {width};"
                        " give every row one value per column",
                    )
                yield reader.line_num, pick(row)
        except csv.Error as error:
            raise DataError(reader.line_num, 1, f"is not valid CSV: {error}") from None
        finally:
            self.line = reader.line_num

    def column(self, name: str) -> int:
        assert self.header is not None
        return self.header.index(name) + 1


class JsonRows(Rows):
    def __init__(self, stream: TextIO, columns: Sequence[str]) -> None:
        self._stream = stream
        self._columns = tuple(columns)
        self._text = ""

    def __iter__(self) -> Iterator[tuple[int, Fields]]:
        columns = self._columns
        for number, text in enumerate(self._stream, start=1):
            self.line = number
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
            yield number, tuple(_text(row.get(name)) for name in columns)

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
