"""Mermaid `journey` diagrams as journeys: a `.mmd` file, or each journey block of Markdown.

A section is a stage, a task a touchpoint, an actor a persona (its id the slug of its name), a
score an emotion. Tasks in a row with the same name and different actors are one touchpoint
felt differently (jmap's own Mermaid output writes a touchpoint so, each name followed by
whose it is, "Runs a trial (Priya)", which is left out): their scores become an emotion per
persona, or one shared emotion when they agree. A task without actors is everyone's.

Read as Mermaid reads it (its jison grammar, checked against mermaid 11 in the tests), and more
tolerantly where real diagrams go beyond it:

- `%%` comment lines, `#` comments, `%%{init: ...}%%` directives and YAML front matter are
  skipped (a front matter `title:` is the title when there is no `title` line);
- `title` is the journey's title; `accTitle` too, when there is no title; `accDescr` (one line
  or a `{...}` block) its description;
- `section Step 1: Context` keeps its colon (Mermaid itself rejects it);
- tasks before the first section go to a stage named `START_STAGE`, with a warning;
- entities (`#58;`, `#quot;`) are decoded and `<br>` is a space;
- scores: see `SCALE_RULE`.

What Mermaid rejects and jmap cannot guess (a task without a score, a score that is not a
number, a `;` in a statement, a diagram that is not a journey) is an error at its line and
column.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from jmap.errors import JourneyError, Problem
from jmap.importing import Imported, Note
from jmap.importing.ids import Ids, named
from jmap.loading.aggregate import emotion_score, shown

START_STAGE = "Start"
SCALE_RULE = (
    "scores 1 to 5 are kept; a diagram with any score outside 1-5 (0, 6 to 10) is read on a 0-10"
    " scale, each score mapped to 1 + score x 4 / 10, rounded half up, as for data files"
)

# ```mermaid or ~~~mermaid, indented at most 3 spaces (CommonMark), to a closing fence of the
# same character at least as long.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*mermaid\b")
_DIRECTIVE = re.compile(r"%%\{.*?\}%%", re.DOTALL)
# `#58;` and `#quot;`: Mermaid's entities, which hide `#`, `:` and `;` from its grammar.
_ENTITY = re.compile(r"#(\d+|[a-zA-Z][a-zA-Z0-9]*);")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_DIAGRAM_TYPE = re.compile(r"[A-Za-z][\w-]*")


@dataclass
class _Task:
    name: str
    score: float
    actors: list[str]
    line: int
    column: int  # of the score


@dataclass
class _Section:
    name: str
    tasks: list[_Task] = field(default_factory=list)


@dataclass
class _Diagram:
    title: str | None = None
    acc_title: str | None = None
    description: str | None = None
    sections: list[_Section] = field(default_factory=list)


def read_mermaid(text: str, path: str, *, markdown: bool, fallback_title: str) -> list[Imported]:
    """The journeys of a `.mmd` file (`markdown=False`) or of a Markdown file's journey blocks.

    Raises JourneyError with every syntax error of every block.
    """
    problems: list[Problem] = []
    journeys = []
    sources = _markdown_blocks(text) if markdown else [(1, text.splitlines())]
    for first_line, lines in sources:
        reader = _Reader(path, first_line, problems)
        diagram = reader.read(lines, required=not markdown)
        if diagram is not None:
            journeys.append((diagram, reader.notes))
    if problems:
        raise JourneyError(problems)
    if not journeys:
        raise JourneyError(
            [
                Problem(
                    path,
                    0,
                    0,
                    "no Mermaid journey block (```mermaid with `journey` first) in this file",
                )
            ]
        )
    return [_journey(diagram, notes, path, fallback_title) for diagram, notes in journeys]


def _markdown_blocks(text: str) -> list[tuple[int, list[str]]]:
    """Each fenced `mermaid` block: the line number of its first line, and its lines."""
    blocks = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opened = _FENCE.match(lines[index])
        index += 1
        if not opened:
            continue
        fence = opened.group(1)
        start = index
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        while index < len(lines) and not closing.match(lines[index]):
            index += 1
        blocks.append((start + 1, lines[start:index]))
        index += 1
    return blocks


class _Reader:
    """One diagram, line by line, with the problems and notes at their place in the file."""

    def __init__(self, path: str, first_line: int, problems: list[Problem]) -> None:
        self.path = path
        self.first_line = first_line
        self.problems = problems
        self.notes: list[Note] = []

    def error(self, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, column, message))

    def note(self, line: int, column: int, message: str) -> None:
        self.notes.append(Note(self.path, line, column, message))

    def read(self, lines: list[str], *, required: bool) -> _Diagram | None:
        """The diagram, or None for a block that is another kind of diagram (in Markdown)."""
        text = "\n".join(line.rstrip("\r") for line in lines)
        # Directives may span lines: blank them out, keeping every other character's place.
        text = _DIRECTIVE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
        lines = text.split("\n")
        diagram = _Diagram()
        index = self._front_matter(lines, diagram)
        started = False
        while index < len(lines):
            number = self.first_line + index
            line = _uncommented(lines[index])
            index += 1
            stripped = line.strip()
            if not stripped or stripped.startswith("%%"):
                continue
            column = len(line) - len(line.lstrip()) + 1
            if not started:
                word = _DIAGRAM_TYPE.match(stripped)
                if word and word.group().lower() == "journey" and stripped.lower() == "journey":
                    started = True
                    continue
                if not required:
                    return None
                found = word.group() if word else stripped
                self.error(
                    number,
                    column,
                    f"not a Mermaid journey: the diagram starts with"
                    f" '{found}'; a journey's first line is `journey`",
                )
                return None
            index = self._statement(lines, index, number, column, stripped, diagram)
        if not started:
            if required:
                self.error(self.first_line, 1, "no diagram: a journey's first line is `journey`")
            return None
        return diagram

    def _front_matter(self, lines: list[str], diagram: _Diagram) -> int:
        """Skip `---` front matter at the top; its `title:` is kept for the journey."""
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None or lines[first].strip() != "---":
            return 0
        end = next((i for i in range(first + 1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            return 0
        try:
            matter = yaml.safe_load("\n".join(lines[first + 1 : end]))
        except yaml.YAMLError:
            matter = None
        if isinstance(matter, dict) and isinstance(matter.get("title"), str | int | float):
            diagram.title = _text(str(matter["title"])) or None
        return end + 1

    def _statement(
        self, lines: list[str], index: int, number: int, column: int, stripped: str, d: _Diagram
    ) -> int:
        lowered = stripped.lower()
        semicolon = _outside_entities(stripped, ";")
        if semicolon is not None:
            self.error(
                number,
                column + semicolon,
                "Mermaid ends a statement at ';'; write it as #59; in a name",
            )
            return index
        if re.match(r"acctitle\s*:", lowered):
            d.acc_title = _text(stripped.split(":", 1)[1]) or None
        elif re.match(r"accdescr\s*:", lowered):
            d.description = _text(stripped.split(":", 1)[1]) or None
        elif re.match(r"accdescr\s*\{", lowered):
            body = [stripped.split("{", 1)[1]]
            while "}" not in body[-1] and index < len(lines):
                body.append(lines[index])
                index += 1
            if "}" not in body[-1]:
                self.error(number, column, "accDescr { has no closing }")
            body[-1] = body[-1].split("}", 1)[0]
            d.description = _text(" ".join(body)) or None
        elif re.match(r"title\s", lowered) or lowered == "title":
            d.title = _text(stripped[5:]) or None
        elif re.match(r"section(\s|$)", lowered):
            name = _text(stripped[7:])
            if not name:
                self.error(number, column, "a section needs a name: `section Sign-up`")
            d.sections.append(_Section(name or START_STAGE))
        else:
            self._task(number, column, stripped, d)
        return index

    def _task(self, number: int, column: int, stripped: str, d: _Diagram) -> None:
        colon = _outside_entities(stripped, ":")
        if colon is None:
            self.error(
                number,
                column + len(stripped),
                f"task '{_text(stripped)}' has no score;"
                " write it as `<task>: <score>: <actors>`, e.g. `Make tea: 5: Me`",
            )
            return
        name = _text(stripped[:colon])
        data = stripped[colon + 1 :]
        parts = data.split(":")
        raw = parts[0]
        score_column = column + colon + 1 + (len(raw) - len(raw.lstrip()))
        if not name:
            self.error(number, column, "a task needs a name before its ':'")
            return
        score = _number(raw)
        if score is None or not 0 <= score <= 10:
            shown = raw.strip() or "nothing"
            self.error(
                number,
                score_column,
                f"score '{shown}' of task '{name}' is not a number"
                " from 1 to 5 (or 0 to 10); write e.g. `Make tea: 5: Me`",
            )
            return
        if len(parts) > 2:
            extra = column + colon + 1 + len(parts[0]) + 1 + len(parts[1])
            self.note(
                number,
                extra + 1,
                f"task '{name}': the text after the actors"
                f" (':{':'.join(parts[2:])}') is not part of Mermaid's journey; left out",
            )
        actors = [_text(actor) for actor in parts[1].split(",")] if len(parts) > 1 else []
        if not d.sections:
            self.note(
                number,
                column,
                f"a task before the first section: put in a stage named '{START_STAGE}'",
            )
            d.sections.append(_Section(START_STAGE))
        task = _Task(name, score, [actor for actor in actors if actor], number, score_column)
        d.sections[-1].tasks.append(task)


def _uncommented(line: str) -> str:
    """The line without a `#` comment (a `#` that does not start an entity such as `#58;`)."""
    at = _outside_entities(line, "#")
    return line if at is None else line[:at]


def _outside_entities(text: str, char: str) -> int | None:
    """The index of the first `char` in `text` that is not part of an entity."""
    masked = _ENTITY.sub(lambda m: "\0" * len(m.group()), text)
    at = masked.find(char)
    return None if at < 0 else at


def _text(written: str) -> str:
    """A name as Mermaid shows it: entities decoded, `<br>` a space, spaces collapsed."""
    unbroken = _BREAK.sub(" ", written)
    decoded = _ENTITY.sub(_entity, unbroken)
    return " ".join(decoded.split())


def _entity(match: re.Match[str]) -> str:
    code = match.group(1)
    if code.isdigit():
        number = int(code)
        return chr(number) if 0 < number <= 0x10FFFF else match.group()
    decoded = html.unescape(f"&{code};")
    return match.group() if decoded.startswith("&") else decoded


def _number(raw: str) -> float | None:
    try:
        value = float(raw.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _journey(d: _Diagram, notes: list[Note], path: str, fallback: str) -> Imported:
    tasks = [task for section in d.sections for task in section.tasks]
    zero_to_ten = any(not 1 <= task.score <= 5 for task in tasks)
    personas = Ids("persona")
    persona_ids: dict[str, str] = {}
    persona_data: list[dict[str, Any]] = []
    for task in tasks:
        for actor in task.actors:
            if actor not in persona_ids:
                ident, written = named(personas, actor)
                persona_ids[actor] = ident
                persona_data.append(written)
    stages = Ids("stage")
    touchpoints = Ids("touchpoint")
    stage_data = []
    for section in d.sections:
        _, stage = named(stages, section.name)
        stage["touchpoints"] = [
            _touchpoint(group, touchpoints, persona_ids, zero_to_ten, notes, path)
            for group in _groups(section.tasks)
        ]
        stage_data.append(stage)
    data: dict[str, Any] = {"jmap": 1, "title": d.title or d.acc_title or fallback}
    if d.description:
        data["description"] = d.description
    if persona_data:
        data["personas"] = persona_data
    data["stages"] = stage_data or [{"name": START_STAGE}]
    return Imported(data, sorted(notes, key=lambda note: (note.line, note.column)))


def _groups(tasks: list[_Task]) -> list[list[_Task]]:
    """Tasks in a row with one name and no actor in common: one touchpoint, felt per persona."""
    groups: list[list[_Task]] = []
    for task in tasks:
        task.name = _without_whose(task)
        previous = groups[-1] if groups else []
        if (
            previous
            and previous[0].name == task.name
            and task.actors
            and all(p.actors for p in previous)
            and not {a for p in previous for a in p.actors} & set(task.actors)
        ):
            previous.append(task)
        else:
            groups.append([task])
    return groups


def _without_whose(task: _Task) -> str:
    """A task's name without the " (Priya, Daniel)" that jmap's own output adds after a
    touchpoint where personas feel differently: the short names (up to a comma) of its actors."""
    whose = ", ".join(actor.split(",")[0].strip() or actor for actor in task.actors)
    suffix = f" ({whose})"
    if task.actors and task.name.endswith(suffix) and len(task.name) > len(suffix):
        return task.name[: -len(suffix)]
    return task.name


def _touchpoint(
    group: list[_Task],
    ids: Ids,
    persona_ids: dict[str, str],
    zero_to_ten: bool,
    notes: list[Note],
    path: str,
) -> dict[str, Any]:
    _, data = named(ids, group[0].name)
    scores = [_score(task, zero_to_ten, notes, path) for task in group]
    actors = [persona_ids[actor] for task in group for actor in dict.fromkeys(task.actors)]
    everyone = list(persona_ids.values())
    if actors and actors != everyone:
        data["personas"] = actors
    if len(set(scores)) == 1:
        data["emotion"] = scores[0]
    else:
        data["emotion"] = {
            persona_ids[actor]: score
            for task, score in zip(group, scores, strict=True)
            for actor in task.actors
        }
    return data


def _score(task: _Task, zero_to_ten: bool, notes: list[Note], path: str) -> int:
    if zero_to_ten:
        score = emotion_score(task.score, "0-10")
        if not 1 <= task.score <= 5:
            notes.append(
                Note(
                    path,
                    task.line,
                    task.column,
                    f"score {shown(task.score)} of '{task.name}' is outside 1-5, so the diagram's"
                    " scores are read on a 0-10 scale (1 + score x 4 / 10, rounded half up):"
                    f" emotion {score}",
                )
            )
        return score
    score = emotion_score(task.score, "1-5")
    if score != task.score:
        notes.append(
            Note(
                path,
                task.line,
                task.column,
                f"score {shown(task.score)} of '{task.name}' is not a whole number:"
                f" emotion {score}",
            )
        )
    return score
