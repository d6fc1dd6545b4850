"""The labels and tooltips of the cards in a column: touchpoints, pain points, opportunities.

A label is an HTML-like table; a tooltip repeats the card in full sentences, for readers who
hover or use a screen reader.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from jmap.palette import SVG
from jmap.render.dot.markup import cell, font, heading, html_label, lines, table
from jmap.render.dot.style import CARD_WIDTH, SCALE_ROW
from jmap.render.dot.syntax import Html
from jmap.render.dot.text import label_text, tooltip_text
from jmap.wording import channel_words, kpi_words, mood_words, plural

if TYPE_CHECKING:
    from jmap.model import Opportunity, Persona
    from jmap.render.dot.facts import MapFacts
    from jmap.view import Everyone, Mood, PainView, TouchpointView


# --- Touchpoints ------------------------------------------------------------------------------


def touchpoint_label(facts: MapFacts, touchpoint: TouchpointView) -> Html:
    """The card: the emotion scale on top (see `_scale`), then name, channel, a thought."""
    about = touchpoint.touchpoint
    rows = _scale(facts, touchpoint) if facts.view.has_emotions else []
    # The card's first cell sets its width (see `cell`): the scale's, if it has one.
    width = {} if rows else {"WIDTH": CARD_WIDTH}
    rows.append(cell(f"<B>{lines(about.name, 26)}</B>", **width, PORT="title"))
    rows.append(cell(font(label_text(channel_words(touchpoint)), size=11, colour=SVG.muted)))
    if about.thoughts:
        rows.append(cell(font(f"<I>{lines(f'“{about.thoughts[0]}”')}</I>", colour=SVG.muted)))
    if touchpoint.lowest_for:
        rows.append(_lowest_cell(facts, touchpoint.lowest_for))
    rows.extend(cell(font(lines(f"KPI · {kpi_words(kpi)}"), size=11)) for kpi in about.kpis)
    if touchpoint.lowest_for:
        return html_label(table(rows, BORDER=3, COLOR=SVG.lowest.fill, BGCOLOR=SVG.paper))
    return html_label(table(rows, COLOR=SVG.card_line, BGCOLOR=SVG.paper))


def _scale(facts: MapFacts, touchpoint: TouchpointView) -> list[str]:
    """Five rows, very positive on top, with each persona's mood as a bar in its row.

    The scales of all cards are kept level and the bars joined by lines (see
    `emotion_curve.add_curve_edges`): read across the map, they are the emotion curve.
    """
    rows = []
    for score in range(5, 0, -1):
        here = [feeling for feeling in touchpoint.feelings if feeling.mood.score == score]
        if here:
            who = [name for name in (facts.persona_name(f.persona) for f in here) if name]
            # Outlined, so that even the near-white neutral bar stands out from the stripes.
            bar = {"BORDER": 1, "COLOR": SVG.ink, **_scale_row(score), "PORT": f"s{score}"}
            rows.append(mood_cell(here[0].mood, ", ".join(who) or None, **bar, CELLPADDING=1))
        elif score == 3 and not touchpoint.feelings:
            words = font("<I>emotion not recorded</I>", 10, SVG.muted)
            rows.append(cell(words, **_scale_row(score), CELLPADDING=1))
        else:
            rows.append(_stripe(score))
    return rows


def _scale_row(score: int) -> dict[str, object]:
    """Where a row sits on the scale. The top row is the end of the edges that keep the scales
    level (see `emotion_curve`); it is also the card's first cell, which sets its width."""
    if score == 5:
        return {"HEIGHT": SCALE_ROW, "WIDTH": CARD_WIDTH, "PORT": "s5"}
    return {"HEIGHT": SCALE_ROW}


@functools.cache  # the same on every card
def _stripe(score: int) -> str:
    """A row of the scale without a bar. Without a port unless it is the top row: only bars
    and the top row are ever the end of an edge. Without padding to speak of: an empty row is
    SCALE_ROW high whatever its padding, while a row with words needs padding 1 to fit in it.
    """
    return cell("", BGCOLOR=SVG.scale_stripes[score % 2], **_scale_row(score))


def mood_cell(mood: Mood, persona: str | None, **attributes: object) -> str:
    """A mood in its colour and in words; the emotion legend shows the same cells."""
    words = label_text(mood_words(mood))
    content = f"<B>{label_text(persona)}</B>  {words}" if persona else words
    return cell(font(content, colour=mood.ink), BGCOLOR=mood.colour, **attributes)


def _lowest_cell(facts: MapFacts, personas: Sequence[Persona | Everyone]) -> str:
    who = [name for name in map(facts.persona_name, personas) if name]
    words = "LOWEST POINT" + (f" for {', '.join(who)}" if who else "")
    return cell(font(f"<B>{lines(words)}</B>", colour=SVG.lowest.ink), BGCOLOR=SVG.lowest.fill)


def touchpoint_tooltip(facts: MapFacts, touchpoint: TouchpointView) -> str:
    about = touchpoint.touchpoint
    sentences = [f"{about.name} ({touchpoint.stage.name}, {channel_words(touchpoint)})"]
    if about.description:
        sentences.append(about.description)
    sentences.extend(f"Does: {action}" for action in about.actions)
    sentences.extend(f"Thinks: “{thought}”" for thought in about.thoughts)
    for feeling in touchpoint.feelings:
        who = facts.persona_name(feeling.persona)
        sentences.append(f"Feels: {f'{who}: ' if who else ''}{mood_words(feeling.mood)}")
    if touchpoint.lowest_for:
        sentences.append("Lowest point of the emotions")
    sentences.extend(f"Pain ({pain.pain.severity}): {pain.pain.text}" for pain in touchpoint.pains)
    sentences.extend(f"Evidence: {evidence.text}" for evidence in about.evidence)
    return tooltip_text(sentences)


# --- Pain points ------------------------------------------------------------------------------


def pain_label(pain: PainView) -> Html:
    category = pain.pain.category.replace("-", " ")
    rows = [
        severity_cell(pain.pain.severity, f" · {category}", WIDTH=CARD_WIDTH),
        cell(lines(pain.pain.text)),
    ]
    if pain.pain.evidence:
        rows.append(cell(font(plural(len(pain.pain.evidence), "evidence source"), 10, SVG.muted)))
    return html_label(table(rows, COLOR=SVG.severities[pain.pain.severity].fill, BGCOLOR=SVG.paper))


def severity_cell(severity: str, suffix: str = "", **attributes: object) -> str:
    """The severity in words on its colour; the severity legend shows the same cells."""
    swatch = SVG.severities[severity]
    words = f"<B>! {severity.upper()}</B>{label_text(suffix)}"
    return cell(font(words, size=11, colour=swatch.ink), BGCOLOR=swatch.fill, **attributes)


def pain_tooltip(pain: PainView, touchpoint: TouchpointView) -> str:
    sentences = [
        f"Pain point ({pain.pain.severity}, {pain.pain.category}) at {touchpoint.touchpoint.name}",
        pain.pain.text,
    ]
    sentences.extend(f"Evidence: {evidence.text}" for evidence in pain.pain.evidence)
    sentences.extend(f"Answered by: {opportunity.text}" for opportunity in pain.answered_by)
    return tooltip_text(sentences)


# --- Opportunities ----------------------------------------------------------------------------


def opportunity_label(opportunity: Opportunity) -> Html:
    rows = [
        cell(heading("OPPORTUNITY", 11, SVG.opportunity.line), WIDTH=CARD_WIDTH),
        cell(lines(opportunity.text)),
    ]
    details = _opportunity_details(opportunity)
    if details:
        rows.append(cell(font(lines(" · ".join(details)), size=10, colour=SVG.muted)))
    return html_label(table(rows, COLOR=SVG.opportunity.line, BGCOLOR=SVG.opportunity.fill))


def opportunity_tooltip(opportunity: Opportunity) -> str:
    return tooltip_text([f"Opportunity: {opportunity.text}", *_opportunity_details(opportunity)])


def _opportunity_details(opportunity: Opportunity) -> list[str]:
    details = []
    if opportunity.priority:
        details.append(f"{opportunity.priority} priority")
    if opportunity.owner:
        details.append(f"owner: {opportunity.owner}")
    return details
