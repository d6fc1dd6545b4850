"""The journey as a Mermaid `journey` diagram: the emotion curve GitHub and GitLab draw inline.

Mermaid's journey diagram knows sections, tasks, one score from 1 to 5 per task and the actors
at each task. A stage is a section, a touchpoint a task, an emotion its score and the personas
at the touchpoint its actors. Where a journey says more than that:

- Personas who feel differently at one touchpoint get a task each, one per distinct score,
  named after the touchpoint and the personas who feel that way, who are its actors ("Runs a
  trial (Priya): 5: Priya" and "Runs a trial (Daniel): 2: Daniel"): a reader sees whose each
  face is without knowing jmap, where an average or a minimum would show a feeling nobody had.
- A touchpoint without a recorded emotion is left out of the drawing: Mermaid needs a score,
  and a neutral face would claim a feeling nobody recorded. A comment keeps its place in the
  source, and the Markdown map lists it in its stage's table.
- A journey without personas has tasks without actors.
- The tasks follow the journey's paths (docs/format.md, Paths): the main path's touchpoints
  first, in their stages' sections, then each branch in sections named by the branch, so the
  sequence Mermaid draws never runs from one alternative into another. `%%` comments at the
  top say what the drawing cannot show: that there are branches, where each leaves and
  rejoins, and every touchpoint's routes with their `when`. A journey without branches keeps
  the file's order, stage by stage (its skips and loops are noted, not drawn).

Text is escaped for Mermaid's journey grammar (checked against mermaid 11.17.2, see
tests/render/test_mermaid.py). Mermaid turns `#<decimal>;` back into the character everywhere,
so the characters its grammar stops at or splits on are written that way, in every field:
`#` (starts a comment, and a typed `#word;` would become an entity), `;` (ends a statement),
`:` (ends a task or section name), `,` (separates actors), `%` (`%%` comments and directives),
`<` and `>` (`<br>` breaks a task name into lines), and `¶` and `ﬂ`, which Mermaid uses in
its own placeholders for entities. A task or section name that begins with a keyword of the
grammar (`title`, `section`, `journey`, `accTitle`, `accDescr`) has its first letter written as
an entity too, or Mermaid would read the line as that statement. Every separator colon is
followed by a space, which keeps Mermaid's `style ...:...#...;` clean-up away from task lines.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from jmap import wording
from jmap.i18n import _
from jmap.palette import GRID
from jmap.render.grid import text as measure
from jmap.view import Everyone

if TYPE_CHECKING:
    from jmap.model import Persona, Stage
    from jmap.render import RenderContext
    from jmap.view import JourneyView, TouchpointView

_ENCODED = frozenset("#;:,%<>¶ﬂ")
# Whitespace to Python or to JavaScript: what JavaScript adds is the byte-order mark.
_SPACE = re.compile(r"[\s\ufeff]+")
# What the lexer matches at the start of a statement before it tries a task name.
_KEYWORDS = ("title", "section", "journey", "acc")
# How the diagram is laid out (docs/output.md, The Mermaid journey, says why). Mermaid shrinks a
# journey to the page width by default, which makes a map of 15 touchpoints unreadably small on
# GitHub; at its natural size it scrolls sideways instead, so it is made as narrow as its labels
# allow. Every task is a box of one size, its label an HTML box that wraps at the box's width
# and cuts off what does not fit (mermaid#6243), so the boxes are made as wide and as tall as
# the longest label needs, measured as the grid map measures text.
_LABEL_PX = 16 * 1.15  # Mermaid's 16 px, measured in Inter and widened for Verdana or Trebuchet
_LINE_PX = 19
_PADDING_PX = 8
# Mermaid draws the axis at 4 x the box height and the faces from 285 px down: boxes taller than
# 65 px (three lines) would push the axis into the faces, so a longer label gets a wider box.
_MOST_LINES = 3
_BOX_WIDTHS = range(140, 301, 10)
_GAP_PX = 16  # between tasks (taskMargin) and sections (diagramMarginX); 50 by default
_LEGEND_PX = 160  # where a persona's name in the legend wraps (maxLabelWidth)


def render(view: JourneyView, context: RenderContext) -> str:
    return mermaid_block(view) + "\n"


def mermaid_block(view: JourneyView) -> str:
    """The diagram's source, without a Markdown fence or a final newline."""
    return "\n".join([_directive(view), "journey", *_body(view)])


def _body(view: JourneyView) -> list[str]:
    lines = [f"  title {_escape(view.journey.title)}"]
    lines.extend(f"  %% {_comment(note)}" for note in _notes(view))
    if not view.has_branches:
        for stage in view.stages:
            lines.append(f"  section {_name(stage.stage.name)}")
            for touchpoint in stage.touchpoints:
                lines.extend(_tasks(touchpoint))
        return lines
    for path in view.paths:
        # Each run of a path's touchpoints in one stage is a section: the main path's sections
        # are its stages, a branch's say which branch they are.
        current: Stage | None = None
        for touchpoint in path.touchpoints:
            if touchpoint.stage is not current:
                current = touchpoint.stage
                name = (
                    current.name
                    if path.is_main
                    else _("{stage}, branch: {name}").format(stage=current.name, name=path.name)
                )
                lines.append(f"  section {_name(name)}")
            lines.extend(_tasks(touchpoint))
    return lines


def _directive(view: JourneyView) -> str:
    """Mermaid's settings for this diagram: its size, and a colour for each persona."""
    names = [name for tp in view.touchpoints for name, _, _ in task_names(tp)]
    width, height = _box([" ".join(_SPACE.split(name)).strip() for name in names])
    journey = {
        "useMaxWidth": False,
        "width": width,
        "height": height,
        "taskMargin": _GAP_PX,
        "diagramMarginX": _GAP_PX,
        "maxLabelWidth": _LEGEND_PX,
    }
    settings: dict[str, object] = {"journey": journey}
    css = _actor_colours(view)
    if css:
        settings["themeCSS"] = css
    return f"%%{{init: {json.dumps(settings)}}}%%"


def _box(names: list[str]) -> tuple[int, int]:
    """The narrowest task box in which every name fits in three lines, and its height."""

    def fits(limit: float, name: str) -> int:
        longest = max((measure.width(word, _LABEL_PX) for word in name.split()), default=0.0)
        if longest > limit:
            return 99
        return len(measure.wrap(name, limit, _LABEL_PX))

    for width in _BOX_WIDTHS:
        lines = max((fits(width - _PADDING_PX, name) for name in names), default=1)
        if lines <= _MOST_LINES:
            break
    else:
        lines = max(len(measure.wrap(name, width - _PADDING_PX, _LABEL_PX)) for name in names)
    return width, max(50, lines * _LINE_PX + _PADDING_PX)


def _actor_colours(view: JourneyView) -> str:
    """CSS that gives each persona's dot its curve's colour in the SVG map, in light and dark
    themes alike. Mermaid's own colours (two greens, a cyan) cannot be set from a diagram: its
    journey reads `actorColours` before a directive applies, so the dots are coloured by class,
    `actor-N` for the Nth actor in Mermaid's order (sorted as JavaScript sorts the names as its
    parser holds them, with entities as placeholders)."""
    names = [persona.name for persona in view.personas]
    held = sorted(
        names, key=lambda name: _PLACEHOLDER.sub(r"ﬂ°°\1¶ß", _escape(name)).encode("utf-16-be")
    )
    colours = GRID.curves
    return " ".join(
        f".actor-{position} {{ fill: {colours[names.index(name) % len(colours)]}; }}"
        for position, name in enumerate(held)
    )


_PLACEHOLDER = re.compile(r"#(\d+);")


def _notes(view: JourneyView) -> list[str]:
    """What the drawing cannot show, for a reader of the source: branches and routes."""
    notes = []
    if view.has_branches:
        notes.append(
            _(
                "Mermaid's journey diagram draws one sequence and cannot show branches. The routes"
                " in a touchpoint's `next` are alternatives, so the tasks follow the main path,"
                " stage by stage, and each branch follows in sections of its own: read a branch"
                " as leaving and rejoining the main path where said below, not as coming after it."
            )
        )
        notes.extend(
            _("Branch {name}: {course}.").format(name=path.name, course=wording.path_course(path))
            for path in view.paths[1:]
        )
    names = {tp.id: tp.touchpoint.name for tp in view.touchpoints}
    for touchpoint in view.touchpoints:
        if len(touchpoint.routes) > 1 or any(route.when for route in touchpoint.routes):
            routes = _(" or ").join(
                names[route.to]
                + (" ({})".format(_("when: {when}").format(when=route.when)) if route.when else "")
                for route in touchpoint.routes
            )
            notes.append(
                _("Routes from {touchpoint}: {routes}.").format(
                    touchpoint=touchpoint.touchpoint.name, routes=routes
                )
            )
    return notes


def _comment(text: str) -> str:
    """Text for a `%%` comment: on one line, and without `%`, so that no part of it can be
    read as a directive (`%%{...}%%`, which Mermaid looks for anywhere in the source)."""
    return " ".join(_SPACE.split(text)).strip().replace("%", "#37;")


def _tasks(touchpoint: TouchpointView) -> list[str]:
    if not touchpoint.feelings:
        said = _("no emotion recorded for {touchpoint}")
        return [f"    %% {said.format(touchpoint=_escape(touchpoint.touchpoint.name))}"]
    lines = []
    for name, score, actors in task_names(touchpoint):
        line = f"    {_name(name)}: {score}"
        if actors:
            line += ": " + ", ".join(_escape(actor.name) for actor in actors)
        lines.append(line)
    return lines


def task_names(touchpoint: TouchpointView) -> list[tuple[str, int, list[Persona]]]:
    """The tasks of a touchpoint as Mermaid shows them: (name, score, actors), one per distinct
    score. Personas with the same score share a task, in the order of the personas; where they
    feel differently, each task's name says whose it is, by the persona's name up to the first
    comma ('Priya' for 'Priya, operations manager'; the legend has the whole name)."""
    by_score: dict[int, list[Persona]] = {}
    for feeling in touchpoint.feelings:
        if isinstance(feeling.persona, Everyone):
            actors = list(touchpoint.personas)
        else:
            actors = [feeling.persona]
        by_score.setdefault(feeling.mood.score, []).extend(actors)
    name = touchpoint.touchpoint.name
    if len(by_score) < 2:
        return [(name, score, actors) for score, actors in by_score.items()]
    return [
        (f"{name} ({', '.join(_short(actor.name) for actor in actors)})", score, actors)
        for score, actors in by_score.items()
    ]


def _short(name: str) -> str:
    return name.split(",")[0].strip() or name


def _escape(text: str) -> str:
    # Mermaid reads a statement per line and trims it, so line breaks and runs of spaces go.
    # Its lexer skips JavaScript's whitespace before a task name, which includes U+FEFF: a
    # name of only that would leave a line without a task, which Mermaid cannot parse. A NUL
    # is written as U+FFFD, which is what the SVG text of a task shows for it; the HTML label
    # of the same task would drop it.
    flat = " ".join(_SPACE.split(text)).strip().replace("\x00", "\ufffd")
    escaped = "".join(f"#{ord(char)};" if char in _ENCODED else char for char in flat)
    # An empty name would leave the line without a task; a space written as an entity keeps it.
    return escaped or "#32;"


def _name(text: str) -> str:
    """A task or section name: escaped, and never read as a keyword."""
    escaped = _escape(text)
    if escaped.lower().startswith(_KEYWORDS):
        return f"#{ord(escaped[0])};{escaped[1:]}"
    return escaped
