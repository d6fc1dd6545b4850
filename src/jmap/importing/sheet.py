"""Spreadsheets, one row per touchpoint, to journeys and back (docs/import.md lists the columns).

A header row names the columns, in any order and case (`Pain points`, `pain_points`); rows
follow the journey's order, and the rows of one stage are together. A cell of a list column
holds one item per line. `emotion` is everyone's score; `emotion: <persona name>` one
persona's; `thoughts: <persona name>` and `actions: <persona name>` that persona's items.
Personas and channels are written by name and get the slug of their name as id (docs/format.md
"Ids"), as stages and touchpoints do.

Where a problem is: a CSV file's line (where the row's cell starts) and the column's number;
an XLSX file's sheet and cell reference (`Journey!C7`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jmap.errors import JmapError, JourneyError, Problem, closest, printable
from jmap.importing import Imported
from jmap.importing.ids import Ids, named
from jmap.model import EMOTION_LABELS, Journey, PersonaText

# column -> touchpoint field, in the order an export writes them (and docs/import.md lists).
TEXT_COLUMNS = {"touchpoint": "name", "description": "description"}
LIST_COLUMNS = {
    "actions": "actions",
    "thoughts": "thoughts",
    "pain points": "pain_points",
    "opportunities": "opportunities",
    "backstage": "backstage",
    "physical evidence": "physical_evidence",
    "frontstage": "frontstage",
    "support processes": "support_processes",
    "evidence": "evidence",
    "kpis": "kpis",
}
TIME_COLUMNS = {"duration": "duration", "wait": "wait"}
PER_PERSONA = ("emotion", "thoughts", "actions")  # `emotion: Maya` and so on
REQUIRED = ("stage", "touchpoint")
_ALL = (
    "stage",
    "touchpoint",
    "description",
    "channel",
    "personas",
    "emotion",
    *LIST_COLUMNS,
    *TIME_COLUMNS,
)
# Written by an export even when empty, so a team sees where to type.
_ALWAYS = ("stage", "touchpoint", "channel", "emotion", "thoughts", "pain points", "opportunities")


@dataclass(frozen=True)
class Cell:
    value: str
    where: str  # `path:line:column` or `path:Sheet!C7`


class SheetError(JmapError):
    """Problems in a spreadsheet, each at its cell: `sheet.xlsx:Journey!C7: error: ...`."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{where}: error: {message}" for where, message in problems))

    def lines(self) -> list[str]:
        return [printable(f"{where}: error: {message}") for where, message in self.problems]


def _column_key(header: str) -> str:
    return " ".join(header.replace("_", " ").split()).lower()


def read_rows(rows: list[list[Cell]], title: str) -> Imported:
    """A journey from a header row and the rows under it."""
    if not rows:
        raise JmapError("the spreadsheet is empty; its first row names the columns")
    problems: list[tuple[str, str]] = []
    header = rows[0]
    columns: list[tuple[str, str | None]] = []  # (kind, persona name) per column
    for cell in header:
        key = _column_key(cell.value)
        kind, _, persona = key.partition(":")
        persona_name = " ".join(cell.value.split(":", 1)[1].split()) if persona else None
        if not key:
            columns.append(("", None))
        elif key in _ALL and not persona:
            columns.append((key, None))
        elif kind.strip() in PER_PERSONA and persona_name:
            columns.append((kind.strip(), persona_name))
        else:
            known = [*_ALL, *(f"{k}: <persona>" for k in PER_PERSONA)]
            hint = closest(key, known)
            problems.append(
                (
                    cell.where,
                    f"unknown column '{cell.value}'"
                    + (
                        f" (did you mean '{hint}'?)"
                        if hint
                        else f"; the columns are: {', '.join(known)}"
                    ),
                )
            )
            columns.append(("", None))
    for needed in REQUIRED:
        if needed not in {kind for kind, _ in columns}:
            where = header[0].where if header else ""
            problems.append((where, f"no '{needed}' column; the first row names the columns"))
    if problems:
        raise SheetError(problems)
    return _Builder(columns, problems).build(rows[1:], title)


class _Builder:
    def __init__(self, columns: list[tuple[str, str | None]], problems: list[tuple[str, str]]):
        self.columns = columns
        self.problems = problems
        self.personas = Ids("persona")
        self.persona_ids: dict[str, str] = {}
        self.persona_data: list[dict[str, Any]] = []
        self.channels = Ids("channel")
        self.channel_ids: dict[str, str] = {}
        self.channel_data: list[dict[str, Any]] = []
        for _, name in columns:
            if name is not None:
                self.persona(name)

    def persona(self, name: str) -> str:
        if name not in self.persona_ids:
            ident, data = named(self.personas, name)
            self.persona_ids[name] = ident
            self.persona_data.append(data)
        return self.persona_ids[name]

    def channel(self, name: str) -> str:
        if name not in self.channel_ids:
            ident, data = named(self.channels, name)
            self.channel_ids[name] = ident
            self.channel_data.append(data)
        return self.channel_ids[name]

    def build(self, rows: list[list[Cell]], title: str) -> Imported:
        stages: list[dict[str, Any]] = []
        stage_ids = Ids("stage")
        touchpoint_ids = Ids("touchpoint")
        seen: dict[str, str] = {}  # stage name -> where its rows started
        for row in rows:
            cells = {i: cell for i, cell in enumerate(row) if i < len(self.columns)}
            if not any(cell.value.strip() for cell in cells.values()):
                continue  # an empty row between stages, as people leave them
            by_kind = {
                kind: cells[i]
                for i, (kind, name) in enumerate(self.columns)
                if name is None and kind and i in cells
            }
            missing = [k for k in REQUIRED if not by_kind.get(k, Cell("", "")).value.strip()]
            if missing:
                for kind in missing:
                    index = next(i for i, (k, _) in enumerate(self.columns) if k == kind)
                    where = cells[index].where if index in cells else row[0].where
                    self.problems.append(
                        (
                            where,
                            f"empty '{kind}' cell; every row is a touchpoint of a stage: name both",
                        )
                    )
                continue
            stage_name = _one_line(by_kind["stage"].value)
            if not stages or stages[-1]["name"] != stage_name:
                if stage_name in seen:
                    self.problems.append(
                        (
                            by_kind["stage"].where,
                            f"stage '{stage_name}' comes"
                            f" again after other stages (first at {seen[stage_name]});"
                            " keep a stage's rows together",
                        )
                    )
                    continue
                seen[stage_name] = by_kind["stage"].where
                _, stage = named(stage_ids, stage_name)
                stage["touchpoints"] = []
                stages.append(stage)
            stages[-1]["touchpoints"].append(self.touchpoint(cells, by_kind, touchpoint_ids))
        if self.problems:
            raise SheetError(self.problems)
        if not stages:
            raise JmapError("the spreadsheet has no rows under its header; add one per touchpoint")
        data: dict[str, Any] = {"jmap": 1, "title": title}
        if self.persona_data:
            data["personas"] = self.persona_data
        if self.channel_data:
            data["channels"] = self.channel_data
        data["stages"] = stages
        return Imported(data)

    def touchpoint(
        self, cells: dict[int, Cell], by_kind: dict[str, Cell], ids: Ids
    ) -> dict[str, Any]:
        _, data = named(ids, _one_line(by_kind["touchpoint"].value))
        if by_kind.get("description") and by_kind["description"].value.strip():
            data["description"] = by_kind["description"].value.strip()
        channels = [self.channel(name) for name in _items(by_kind.get("channel"))]
        if channels:
            data["channel"] = channels[0] if len(channels) == 1 else channels
        personas = [self.persona(name) for name in _items(by_kind.get("personas"))]
        if personas:
            data["personas"] = personas
        for column in TIME_COLUMNS:
            if by_kind.get(column) and by_kind[column].value.strip():
                data[TIME_COLUMNS[column]] = _one_line(by_kind[column].value)
        owned: dict[str, list[Any]] = {"actions": [], "thoughts": []}
        emotions: dict[str, int] = {}
        shared: int | None = None
        for index, (kind, name) in enumerate(self.columns):
            cell = cells.get(index)
            if cell is None or not cell.value.strip():
                continue
            if kind == "emotion":
                score = self.score(cell)
                if name is None:
                    shared = score
                elif score is not None:
                    emotions[self.persona(name)] = score
            elif kind in owned:
                persona = None if name is None else self.persona(name)
                owned[kind].extend(
                    text if persona is None else {"persona": persona, "text": text}
                    for text in _items(cell)
                )
        for kind in ("actions", "thoughts"):
            if owned[kind]:
                data[kind] = owned[kind]
        if shared is not None and emotions:
            self.problems.append(
                (
                    by_kind["touchpoint"].where,
                    "both an 'emotion' and an 'emotion: <persona>' score in one row; keep one kind",
                )
            )
        elif shared is not None:
            data["emotion"] = shared
        elif emotions:
            data["emotion"] = emotions
        for column, field in LIST_COLUMNS.items():
            if field not in ("actions", "thoughts") and by_kind.get(column):
                items = _items(by_kind[column])
                if items:
                    data[field] = items
        return _in_order(data)

    def score(self, cell: Cell) -> int | None:
        written = cell.value.strip()
        if written in EMOTION_LABELS:
            return EMOTION_LABELS[written]
        try:
            number = float(written)
        except ValueError:
            number = None
        if number is not None and number == int(number) and 1 <= number <= 5:
            return int(number)
        self.problems.append(
            (
                cell.where,
                f"emotion '{written}' is not a score from 1 to 5 or a"
                f" label ({', '.join(EMOTION_LABELS)})",
            )
        )
        return None


# The key order of a touchpoint in docs/format.md, for the fields a row has.
_TOUCHPOINT_KEYS = (
    "id",
    "name",
    "description",
    "channel",
    "personas",
    "duration",
    "wait",
    "actions",
    "thoughts",
    "emotion",
    "pain_points",
    "opportunities",
    "backstage",
    "physical_evidence",
    "frontstage",
    "support_processes",
    "evidence",
    "kpis",
)


def _in_order(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data[key] for key in _TOUCHPOINT_KEYS if key in data}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _items(cell: Cell | None) -> list[str]:
    if cell is None:
        return []
    return [line.strip() for line in cell.value.splitlines() if line.strip()]


# Reading and writing the files.


def read_csv(text: str, path: str, title: str) -> Imported:
    rows: list[list[Cell]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for record in reader:
            line = start
            cells = []
            for number, value in enumerate(record, 1):
                cells.append(Cell(value, f"{path}:{line}:{number}"))
                line += value.count("\n")
            rows.append(cells)
            start = reader.line_num + 1
    except csv.Error as error:
        raise JourneyError([Problem(path, reader.line_num, 1, f"not CSV: {error}")]) from None
    return read_rows(rows, title)


def read_xlsx(data: bytes, path: str, title: str) -> Imported:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError) as error:
        raise JmapError(f"{path}: not an XLSX workbook ({error})") from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            if not hasattr(cell, "coordinate"):
                continue  # an empty cell of a read-only sheet
            cells.append(Cell(_cell_text(cell.value), f"{path}:{sheet.title}!{cell.coordinate}"))
        rows.append(cells)
    book.close()
    return read_rows(rows, title)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def journey_rows(journey: Journey) -> list[list[str]]:
    """The journey as a header row and a row per touchpoint (what `read_rows` reads back)."""
    names = {persona.id: persona.name for persona in journey.personas}
    channels = {channel.id: channel.name for channel in journey.channels}
    everyone = [persona.id for persona in journey.personas]
    touchpoints = list(journey.touchpoints())
    per_persona: dict[str, list[str]] = {kind: [] for kind in PER_PERSONA}
    for tp in touchpoints:
        if isinstance(tp.emotion, dict):
            per_persona["emotion"].extend(tp.emotion)
        for kind in ("thoughts", "actions"):
            per_persona[kind].extend(i.persona for i in getattr(tp, kind) if i.persona)
    used = {
        column
        for column in _ALL
        if column in _ALWAYS
        or any(_exported(journey, tp, column, names, channels, everyone) for tp in touchpoints)
    }
    header: list[tuple[str, str | None]] = []
    for column in _ALL:
        if column in used:
            header.append((column, None))
        if column in PER_PERSONA:
            header.extend((column, p) for p in everyone if p in per_persona[column])
    rows = [[column if p is None else f"{column}: {names[p]}" for column, p in header]]
    for stage in journey.stages:
        for tp in stage.touchpoints:
            values = {"stage": stage.name}
            rows.append(
                [
                    values.get(column)
                    or (
                        _exported(journey, tp, column, names, channels, everyone)
                        if p is None
                        else _owned(tp, column, p)
                    )
                    for column, p in header
                ]
            )
    return rows


def _exported(
    journey: Journey,
    tp: Any,
    column: str,
    names: dict[str, str],
    channels: dict[str, str],
    everyone: list[str],
) -> str:
    if column == "stage":
        return ""
    if column in TEXT_COLUMNS:
        return getattr(tp, TEXT_COLUMNS[column]) or ""
    if column == "channel":
        return "\n".join(channels[c] for c in tp.channel_ids())
    if column == "personas":
        return "" if tp.personas == everyone else "\n".join(names[p] for p in tp.personas)
    if column == "emotion":
        return "" if tp.emotion is None or isinstance(tp.emotion, dict) else str(tp.emotion)
    if column in TIME_COLUMNS:
        value = getattr(tp, TIME_COLUMNS[column])
        return "" if value is None else str(getattr(value, "text", value))
    items = getattr(tp, LIST_COLUMNS[column])
    if column in ("actions", "thoughts"):
        items = [item for item in items if item.persona is None]
    return "\n".join(_item_text(item) for item in items)


def _owned(tp: Any, column: str, persona: str) -> str:
    if column == "emotion":
        return str(tp.emotion.get(persona, "")) if isinstance(tp.emotion, dict) else ""
    items: list[PersonaText] = getattr(tp, column)
    return "\n".join(item.text for item in items if item.persona == persona)


def _item_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    return str(getattr(item, "text", None) or getattr(item, "name", ""))


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# Every zip entry and the workbook's dates: fixed, so that the same journey gives the same bytes.
_FIXED = (1980, 1, 1, 0, 0, 0)


def xlsx_bytes(rows: list[list[str]], sheet_title: str = "Journey") -> bytes:
    """An XLSX workbook of the rows, the same bytes for the same rows (for one openpyxl)."""
    import datetime
    import zipfile

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title
    for values in rows:
        sheet.append(values)
    for heading in sheet[1]:
        heading.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrap
    sheet.freeze_panes = "C2"
    fixed = datetime.datetime(*_FIXED)
    book.properties.created = fixed
    book.properties.modified = fixed
    buffer = io.BytesIO()

    class _Fixed(zipfile.ZipFile):
        # openpyxl's writer stamps entries with the time of day; these get a fixed one.
        def writestr(
            self,
            zinfo_or_arcname: str | zipfile.ZipInfo,
            data: Any,
            compress_type: int | None = None,
            compresslevel: int | None = None,
        ) -> None:
            if isinstance(zinfo_or_arcname, str):
                zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_FIXED)
                zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

        def write(
            self,
            filename: Any,
            arcname: Any = None,
            compress_type: int | None = None,
            compresslevel: int | None = None,
        ) -> None:
            # A worksheet is written from a temporary file, with that file's time.
            self.writestr(str(arcname or filename), Path(filename).read_bytes())

    with _Fixed(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return buffer.getvalue()
