"""The map's heading: title, state and owner, description, and the legends that explain it."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from jmap.palette import SVG
from jmap.render.dot.cards import mood_cell, severity_cell
from jmap.render.dot.markup import (
    LEFT_BREAK,
    bare_table,
    cell,
    font,
    heading,
    html_label,
    lines,
    side_by_side,
    table,
)
from jmap.render.dot.syntax import Html
from jmap.render.dot.text import label_text
from jmap.view import MOODS

if TYPE_CHECKING:
    from jmap.render.dot.facts import MapFacts


def header_label(facts: MapFacts) -> Html:
    journey = facts.view.journey
    about = f"{journey.state.capitalize()} state"
    if journey.owner:
        about += f" · owner: {journey.owner}"
    rows = [
        cell(font(f"<B>{label_text(journey.title)}</B>", size=22)),
        cell(font(label_text(about), size=13, colour=SVG.muted)),
    ]
    if journey.description:
        rows.append(cell(font(lines(journey.description, 90), colour=SVG.muted)))
    legends = [_emotion_legend(), _severity_legend(), _reading_legend()]
    if facts.view.personas:
        legends.insert(0, _persona_legend(facts))
    rows.append(cell(side_by_side(legends, spacing=10)))
    return html_label(bare_table(rows))


def _persona_legend(facts: MapFacts) -> str:
    curve_styles = facts.curve_styles
    paragraphs = []
    for persona in facts.view.personas:
        about = f"<B>{label_text(persona.name)}</B>"
        line = curve_styles.get(persona.id)
        # With one curve there is nothing to tell apart.
        if line and len(curve_styles) > 1:
            about += LEFT_BREAK + font(f"emotions: {line.words}", 11, line.ink)
        if persona.description:
            about += LEFT_BREAK + font(lines(persona.description, 48), 11, SVG.muted)
        paragraphs.append(about)
    return _text_legend("PERSONAS", paragraphs)


@functools.cache  # the same on every map
def _emotion_legend() -> str:
    rows = [mood_cell(mood, None) for mood in sorted(MOODS.values(), key=lambda m: -m.score)]
    return _legend("EMOTION", rows)


@functools.cache  # the same on every map
def _severity_legend() -> str:
    return _legend("PAIN POINT SEVERITY", map(severity_cell, SVG.severities))


@functools.cache  # the same on every map
def _reading_legend() -> str:
    paragraphs = [
        "bars on a card's 1-5 scale, joined across: the emotion curve",
        "solid arrow: the next step",
        font("dashed arrow: a route written in `next`", colour=SVG.branch),
        font("green arrow: an opportunity answering a pain point", colour=SVG.opportunity.line),
        font("<B>thick red border: lowest point of the emotions</B>", colour=SVG.lowest.fill),
    ]
    return _text_legend("READING THE MAP", paragraphs)


def _legend(title: str, rows: Iterable[str]) -> str:
    return table([cell(heading(title, 11)), *rows], COLOR=SVG.stage_line)


def _text_legend(title: str, paragraphs: Iterable[str]) -> str:
    """A legend of text only, in one top-aligned cell: Graphviz stretches a table to the
    height of its neighbours and would spread separate rows apart."""
    gap = LEFT_BREAK + font(" ", size=5) + LEFT_BREAK  # a short blank line between paragraphs
    text = heading(title, 11) + gap + gap.join(paragraphs) + LEFT_BREAK
    return table([cell(text, VALIGN="TOP")], COLOR=SVG.stage_line)
