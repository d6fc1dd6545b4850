"""The journey map as Graphviz DOT: the source of the SVG map.

The map reads left to right. Each stage is a column (a cluster) headed by its goals and KPIs;
each touchpoint is a card with its channel and emotion, and below it its pain points (worst
first), each followed by the opportunities that answer it. Backstage work sits in a lane under
a line of visibility. Solid arrows follow the journey; routes written in `next` are dashed.

User text reaches the DOT only through `_text` (HTML-escaped, for HTML-like labels) or `_plain`
(backslashes made literal, for tooltips); the `graphviz` package does all DOT quoting.
"""

from __future__ import annotations

import html
import itertools
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import graphviz

from jmap.view import EVERYONE, MOODS, Mood, PainView

if TYPE_CHECKING:
    from jmap.model import Kpi, Opportunity, Persona
    from jmap.render import RenderContext
    from jmap.view import JourneyView, StageView, TouchpointView

# Graphviz estimates text widths from built-in metrics; only Helvetica/Arial ones match what a
# browser draws, any other name falls back to Times metrics and text overflows its box.
FONT = "Helvetica"
WRAP = 30  # characters per line of user text, so cards stay narrow and columns comparable
CARD_WIDTH = 220  # points: every card at least this wide, so a column's cards line up

INK = "#1f2933"
MUTED = "#52606d"
LINE = "#7b8794"
CARD_LINE = "#9aa5b1"
BRANCH = "#6a3d9a"
LOWEST = "#b2182b"
OPPORTUNITY_FILL = "#e3f2e1"
OPPORTUNITY_LINE = "#2f7d32"
STAGE_FILLS = ("#f5f7fa", "#e9eef4")  # alternating, so neighbouring stages stand apart
STAGE_LINE = "#cbd2d9"
BACKSTAGE_FILL = "#f3f0e8"
BACKSTAGE_LINE = "#b8b2a7"
SCALE_ROW = 16  # points per step of a card's emotion scale
SCALE_STRIPES = ("#ffffff", "#eef2f6")


@dataclass(frozen=True)
class CurveStyle:
    ink: str
    style: str  # a Graphviz edge style
    words: str  # how the legend names it


# One per persona's curve, told apart by pattern as well as by colour.
CURVE_STYLES = (
    CurveStyle("#1f2933", "solid", "solid dark line"),
    CurveStyle("#6a3d9a", "dashed", "dashed purple line"),
    CurveStyle("#8c510a", "dotted", "dotted brown line"),
    CurveStyle("#01665e", "bold", "thick teal line"),
    CurveStyle("#c51b7d", "dashed", "dashed pink line"),
)


@dataclass(frozen=True)
class SeverityStyle:
    label: str
    fill: str
    ink: str  # text colour on that fill, at least 4.5:1 contrast


# Severity is always written out; the colour only repeats the word.
SEVERITIES: dict[str, SeverityStyle] = {
    "critical": SeverityStyle("CRITICAL", "#67000d", "#ffffff"),
    "high": SeverityStyle("HIGH", "#cb181d", "#ffffff"),
    "medium": SeverityStyle("MEDIUM", "#fdae6b", "#000000"),
    "low": SeverityStyle("LOW", "#fee6ce", "#000000"),
}


def render(view: JourneyView, context: RenderContext) -> str:
    return str(_journey_graph(_Map.of(view)).source)


@dataclass(frozen=True)
class _OpportunityNode:
    id: str
    opportunity: Opportunity


@dataclass(frozen=True)
class _Map:
    """The view plus what several parts of the drawing need to agree on."""

    view: JourneyView
    persona_names: dict[str, str]  # persona id -> the short name used on cards
    opportunities: dict[str, list[_OpportunityNode]]  # touchpoint id -> its opportunities
    main_path: frozenset[str]  # touchpoints reached by always taking the first `next`

    @classmethod
    def of(cls, view: JourneyView) -> _Map:
        return cls(
            view,
            _short_persona_names(view.personas),
            {tp.id: _opportunity_nodes(tp) for tp in view.touchpoints},
            _main_path(view),
        )

    def opportunity_node(self, opportunity: Opportunity) -> _OpportunityNode:
        # By identity: two opportunities may be equal in every field yet be two cards.
        for node in itertools.chain.from_iterable(self.opportunities.values()):
            if node.opportunity is opportunity:
                return node
        raise KeyError(opportunity.text)  # pragma: no cover - the view only holds these

    def persona_name(self, persona: Persona) -> str | None:
        """How a card names a persona; None for everyone, who needs no name."""
        if persona.id == EVERYONE.id:
            return None
        return self.persona_names.get(persona.id, persona.name)


def _opportunity_nodes(touchpoint: TouchpointView) -> list[_OpportunityNode]:
    return [
        # A dot cannot appear in a written id, so a made-up one never clashes with it.
        _OpportunityNode(f"opportunity-{o.id or f'{touchpoint.id}.{number}'}", o)
        for number, o in enumerate(touchpoint.touchpoint.opportunities, start=1)
    ]


def _main_path(view: JourneyView) -> frozenset[str]:
    by_id = {tp.id: tp for tp in view.touchpoints}
    path: set[str] = set()
    current = view.touchpoints[0] if view.touchpoints else None
    while current is not None and current.id not in path:
        path.add(current.id)
        current = by_id[current.next[0]] if current.next else None
    return frozenset(path)


def _short_persona_names(personas: Sequence[Persona]) -> dict[str, str]:
    """'Priya, operations manager' -> 'Priya' on cards, unless two personas would collide."""
    short = {p.id: p.name.split(",")[0].strip() or p.name for p in personas}
    if len(set(short.values())) < len(short):
        return {p.id: p.name for p in personas}
    return short


# --- The graph --------------------------------------------------------------------------------


def _journey_graph(facts: _Map) -> Any:
    view = facts.view
    graph = graphviz.Digraph(
        name=view.journey.id,
        graph_attr={
            "id": f"journey-{view.journey.id}",
            "rankdir": "LR",
            "newrank": "true",
            "fontname": FONT,
            "fontsize": "12",
            "fontcolor": INK,
            "bgcolor": "white",
            "label": _header_label(view),
            "labelloc": "t",
            "labeljust": "l",
            "pad": "0.3",
            "nodesep": "0.18",
            "ranksep": "0.55",
            "outputorder": "edgesfirst",
        },
        node_attr={"fontname": FONT, "fontsize": "12", "fontcolor": INK, "shape": "plain"},
        edge_attr={"fontname": FONT, "fontsize": "11", "color": LINE, "fontcolor": MUTED},
    )
    # Declared before the stages: together with each column's ordering edges, that is what
    # puts the lane below the stages rather than above them.
    if view.has_backstage:
        graph.subgraph(_backstage_lane(view))
    for number, stage in enumerate(view.stages, start=1):
        graph.subgraph(_stage_cluster(facts, stage, number))
    for touchpoint in view.touchpoints:
        graph.subgraph(_column(facts, touchpoint))
    _add_far_answer_edges(graph, facts)
    _add_flow_edges(graph, view)
    if view.has_emotions:
        _add_curve_edges(graph, facts)
    _add_stage_order_edges(graph, view)
    return graph


# --- Text -------------------------------------------------------------------------------------


def _text(value: object) -> str:
    """User text for an HTML-like label: escaped, and padded where Graphviz underestimates it.

    Graphviz expands escapes such as \\N (the node's name) even in HTML-like labels, after
    undoing one level of backslashes: doubled, a backslash stays a backslash. It measures each
    byte of a non-ASCII character as a space, so an East Asian wide character comes out about
    a sixth of an em too narrow; a no-break space (two such bytes) per three of them makes up
    for it.
    """
    text = str(value)
    wide = sum(1 for char in text if _is_wide(char))
    escaped = html.escape(text.replace("\\", "\\\\"), quote=True)
    return escaped + "&#160;" * -(-wide // 3)


def _plain(lines: Iterable[str]) -> str:
    """Lines for a tooltip, joined with DOT's newline escape.

    A tooltip goes through two levels of backslash escapes before \\N and the like are
    expanded, so a literal backslash is written as four (`graphviz.escape`, doubling, is not
    enough). `nohtml`, because a tooltip that starts with < and ends with > is still text.
    """
    literal = (line.replace("\\", "\\" * 4) for line in lines)
    tooltip: str = graphviz.nohtml("\\n".join(literal))
    return tooltip


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _width(text: str) -> int:
    return sum(2 if _is_wide(char) else 1 for char in text)


def _wrap(text: str, width: int = WRAP) -> list[str]:
    """Greedy wrapping by display width (a wide character counts two)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        for index, piece in enumerate(_pieces(word, width)):
            glue = " " if index == 0 and line else ""
            if line and _width(line + glue + piece) > width:
                lines.append(line)
                line = piece
            else:
                line += glue + piece
    if line:
        lines.append(line)
    return lines or [""]


def _pieces(word: str, width: int) -> Iterator[str]:
    """A word as the parts a line may break between: each wide character on its own (scripts
    written without spaces break between characters), other runs cut to the line width."""
    for wide, run in itertools.groupby(word, key=_is_wide):
        chars = "".join(run)
        if wide:
            yield from chars
        else:
            yield from (chars[i : i + width] for i in range(0, len(chars), width))


def _lines(text: str, width: int = WRAP) -> str:
    """Wrapped, escaped text with left-aligned lines (a <BR> aligns the line before it)."""
    return "".join(f'{_text(line)}<BR ALIGN="LEFT"/>' for line in _wrap(text, width))


def _measure(value: object, unit: str | None) -> str:
    if unit is None:
        return str(value)
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}"


def _kpi(kpi: Kpi) -> str:
    parts = []
    if kpi.value is not None:
        parts.append(_measure(kpi.value, kpi.unit))
    if kpi.target is not None:
        target = f"target {_measure(kpi.target, kpi.unit)}"
        parts.append(f"({target})" if parts else target)
    return f"{kpi.name}: {' '.join(parts)}" if parts else kpi.name


def _mood_words(mood: Mood) -> str:
    return f"{mood.symbol} {mood.score} {mood.label}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- HTML-like labels -------------------------------------------------------------------------


def _attributes(attributes: dict[str, object]) -> str:
    return "".join(
        f' {name}="{html.escape(str(value), quote=True)}"' for name, value in attributes.items()
    )


def _cell(content: str, **attributes: object) -> str:
    """A one-cell row. A card's first cell carries its WIDTH: a table's own WIDTH would widen
    the table but not the coloured cells in it."""
    return f"<TR><TD{_attributes({'ALIGN': 'LEFT', **attributes})}>{content}</TD></TR>"


def _table(rows: Iterable[str], **attributes: object) -> str:
    defaults = {"BORDER": 1, "CELLBORDER": 0, "CELLSPACING": 0, "CELLPADDING": 5}
    return f"<TABLE{_attributes({**defaults, **attributes})}>{''.join(rows)}</TABLE>"


def _bare_table(rows: Iterable[str], **attributes: object) -> str:
    return _table(rows, BORDER=0, CELLPADDING=2, **attributes)


def _html(table: str) -> str:
    return f"<{table}>"


def _font(content: str, size: int | None = None, colour: str | None = None) -> str:
    attributes: dict[str, object] = {}
    if size is not None:
        attributes["POINT-SIZE"] = size
    if colour is not None:
        attributes["COLOR"] = colour
    return f"<FONT{_attributes(attributes)}>{content}</FONT>"


def _heading(words: str, size: int = 10, colour: str = MUTED) -> str:
    return _font(f"<B>{words}</B>", size, colour)


# --- Title and legends ------------------------------------------------------------------------


def _header_label(view: JourneyView) -> str:
    journey = view.journey
    about = f"{journey.state.capitalize()} state"
    if journey.owner:
        about += f" · owner: {journey.owner}"
    rows = [
        _cell(_font(f"<B>{_text(journey.title)}</B>", size=22)),
        _cell(_font(_text(about), size=13, colour=MUTED)),
    ]
    if journey.description:
        rows.append(_cell(_font(_lines(journey.description, 90), colour=MUTED)))
    legends = [_emotion_legend(), _severity_legend(), _reading_legend()]
    if view.personas:
        legends.insert(0, _persona_legend(view))
    rows.append(_cell(_side_by_side(legends, spacing=10)))
    return _html(_bare_table(rows))


def _side_by_side(parts: Iterable[str], spacing: int) -> str:
    cells = "".join(f'<TD ALIGN="LEFT" VALIGN="TOP">{part}</TD>' for part in parts)
    return _bare_table([f"<TR>{cells}</TR>"], CELLSPACING=spacing)


def _legend(title: str, rows: Iterable[str]) -> str:
    heading = _cell(_heading(title, 11))
    return _table([heading, *rows], COLOR=STAGE_LINE, CELLPADDING=5)


def _text_legend(title: str, paragraphs: Iterable[str]) -> str:
    """A legend of text only, in one top-aligned cell: Graphviz stretches a table to the
    height of its neighbours and would spread separate rows apart."""
    breaks = '<BR ALIGN="LEFT"/>'
    gap = breaks + _font(" ", size=5) + breaks  # a short blank line between paragraphs
    text = _heading(title, 11) + gap + gap.join(paragraphs) + breaks
    return _table([_cell(text, VALIGN="TOP")], COLOR=STAGE_LINE, CELLPADDING=5)


def _persona_legend(view: JourneyView) -> str:
    lines = _curve_styles(view)
    paragraphs = []
    for persona in view.personas:
        about = f"<B>{_text(persona.name)}</B>"
        line = lines.get(persona.id)
        if line and len(lines) > 1:
            about += '<BR ALIGN="LEFT"/>' + _font(f"emotions: {line.words}", 11, line.ink)
        if persona.description:
            about += '<BR ALIGN="LEFT"/>' + _font(_lines(persona.description, 48), 11, MUTED)
        paragraphs.append(about)
    return _text_legend("PERSONAS", paragraphs)


def _curve_styles(view: JourneyView) -> dict[str, CurveStyle]:
    """The line of each persona's emotion curve, by persona id."""
    return {
        curve.persona.id: CURVE_STYLES[number % len(CURVE_STYLES)]
        for number, curve in enumerate(view.curves)
    }


def _emotion_legend() -> str:
    rows = [_mood_cell(mood, None) for mood in sorted(MOODS.values(), key=lambda m: -m.score)]
    return _legend("EMOTION", rows)


def _severity_legend() -> str:
    return _legend("PAIN POINT SEVERITY", map(_severity_cell, SEVERITIES))


def _reading_legend() -> str:
    paragraphs = [
        "bars on a card's 1-5 scale, joined across: the emotion curve",
        "solid arrow: the next step",
        _font("dashed arrow: a route written in `next`", colour=BRANCH),
        _font("green arrow: an opportunity answering a pain point", colour=OPPORTUNITY_LINE),
        _font("<B>thick red border: lowest point of the emotions</B>", colour=LOWEST),
    ]
    return _text_legend("READING THE MAP", paragraphs)


# --- Stages -----------------------------------------------------------------------------------


def _stage_cluster(facts: _Map, stage: StageView, number: int) -> Any:
    cluster = graphviz.Digraph(
        name=f"cluster_stage_{stage.stage.id}",
        graph_attr={
            "id": f"stage-{stage.stage.id}",
            "label": _stage_label(stage, number),
            "labeljust": "l",
            "tooltip": _stage_tooltip(stage),
            "style": "filled",
            "fillcolor": STAGE_FILLS[(number - 1) % len(STAGE_FILLS)],
            "color": STAGE_LINE,
            "margin": "12",
        },
    )
    for touchpoint in stage.touchpoints:
        cluster.subgraph(_touchpoint_cluster(facts, touchpoint))
    if not stage.touchpoints:
        placeholder = _cell(_font("<I>no touchpoints yet</I>", colour=MUTED), WIDTH=CARD_WIDTH)
        cluster.node(
            _empty_stage_id(stage),
            label=_html(_table([placeholder], COLOR=CARD_LINE, BGCOLOR="white")),
            id=_empty_stage_id(stage),
        )
    return cluster


def _stage_label(stage: StageView, number: int) -> str:
    about = stage.stage
    title = _cell(_font(f"<B>{number} · {_text(about.name)}</B>", size=18))
    parts = []
    if about.description:
        parts.append(_font(_lines(about.description), colour=MUTED))
    if about.customer_goal:
        parts.append(_heading("CUSTOMER GOAL") + '<BR ALIGN="LEFT"/>' + _lines(about.customer_goal))
    if about.business_goal:
        parts.append(_heading("BUSINESS GOAL") + '<BR ALIGN="LEFT"/>' + _lines(about.business_goal))
    if about.kpis:
        kpis = "".join(_lines(f"• {_kpi(kpi)}") for kpi in about.kpis)
        parts.append(_heading("KPIs") + '<BR ALIGN="LEFT"/>' + _font(kpis, size=11))
    # A stage several cards wide has room for its goals side by side; a narrow one stacks them.
    if 1 < len(parts) <= len(stage.touchpoints):
        return _html(_bare_table([title, _cell(_side_by_side(parts, spacing=6))]))
    return _html(_bare_table([title, *(_cell(part) for part in parts)]))


def _stage_tooltip(stage: StageView) -> str:
    about = stage.stage
    lines = [f"Stage: {about.name}"]
    if about.description:
        lines.append(about.description)
    if about.customer_goal:
        lines.append(f"Customer goal: {about.customer_goal}")
    if about.business_goal:
        lines.append(f"Business goal: {about.business_goal}")
    lines.extend(f"KPI: {_kpi(kpi)}" for kpi in about.kpis)
    return _plain(lines)


def _empty_stage_id(stage: StageView) -> str:
    return f"stage-{stage.stage.id}.empty"


def _first_node(stage: StageView) -> str:
    return _touchpoint_id(stage.touchpoints[0]) if stage.touchpoints else _empty_stage_id(stage)


def _last_node(stage: StageView) -> str:
    return _touchpoint_id(stage.touchpoints[-1]) if stage.touchpoints else _empty_stage_id(stage)


# --- Touchpoints ------------------------------------------------------------------------------


def _touchpoint_id(touchpoint: TouchpointView) -> str:
    return f"tp-{touchpoint.id}"


def _touchpoint_cluster(facts: _Map, touchpoint: TouchpointView) -> Any:
    """A borderless cluster around a card and its pain points and opportunities.

    Graphviz keeps a cluster compact; without one, a pain point with no edge pulling it up
    drifts down its column, away from its card. What a cluster would inherit from its stage
    (label, fill) is reset.
    """
    cluster = graphviz.Digraph(
        name=f"cluster_touchpoint_{touchpoint.id}",
        graph_attr={
            "id": f"column-{touchpoint.id}",
            "label": "",
            "tooltip": "",
            "style": "solid",
            "peripheries": "0",
            "margin": "0",
        },
    )
    cluster.node(
        _touchpoint_id(touchpoint),
        label=_touchpoint_label(facts, touchpoint),
        id=_touchpoint_id(touchpoint),
        tooltip=_touchpoint_tooltip(facts, touchpoint),
        # Touchpoints of one group are lined up, so the main path reads as a straight row.
        group="main" if touchpoint.id in facts.main_path else None,
    )
    for item in _column_items(facts, touchpoint):
        if isinstance(item, PainView):
            cluster.node(
                _pain_id(item),
                label=_pain_label(item),
                id=_pain_id(item),
                tooltip=_pain_tooltip(item, touchpoint),
            )
        else:
            cluster.node(
                item.id,
                label=_opportunity_label(item.opportunity),
                id=item.id,
                tooltip=_opportunity_tooltip(item.opportunity),
            )
    return cluster


def _touchpoint_label(facts: _Map, touchpoint: TouchpointView) -> str:
    """The card: the emotion scale on top (see `_scale`), then name, channel, a thought."""
    about = touchpoint.touchpoint
    rows = _scale(facts, touchpoint) if facts.view.has_emotions else []
    rows.append(_cell(f"<B>{_lines(about.name, 26)}</B>", WIDTH=CARD_WIDTH, PORT="title"))
    rows.append(_cell(_font(_text(_channel(touchpoint)), size=11, colour=MUTED)))
    if about.thoughts:
        rows.append(_cell(_font(f"<I>{_lines(f'“{about.thoughts[0]}”')}</I>", colour=MUTED)))
    if touchpoint.lowest_for:
        rows.append(_lowest_cell(facts, touchpoint.lowest_for))
    rows.extend(_cell(_font(_lines(f"KPI · {_kpi(kpi)}"), size=11)) for kpi in about.kpis)
    if touchpoint.lowest_for:
        return _html(_table(rows, BORDER=3, COLOR=LOWEST, BGCOLOR="white"))
    return _html(_table(rows, COLOR=CARD_LINE, BGCOLOR="white"))


def _scale(facts: _Map, touchpoint: TouchpointView) -> list[str]:
    """Five rows, very positive on top, with each persona's mood as a bar in its row.

    The scales of all cards are kept level and the bars joined by lines (see
    `_add_curve_edges`): read across the map, they are the emotion curve.
    """
    rows = []
    for score in range(5, 0, -1):
        here = [feeling for feeling in touchpoint.feelings if feeling.mood.score == score]
        row: dict[str, object] = {"PORT": f"s{score}", "HEIGHT": SCALE_ROW, "CELLPADDING": 1}
        if score == 5:
            row["WIDTH"] = CARD_WIDTH  # the card's first cell sets its width (see `_cell`)
        if here:
            who = [name for name in (facts.persona_name(f.persona) for f in here) if name]
            # Outlined, so that even the near-white neutral bar stands out from the stripes.
            rows.append(
                _mood_cell(here[0].mood, ", ".join(who) or None, BORDER=1, COLOR=INK, **row)
            )
        elif score == 3 and not touchpoint.feelings:
            rows.append(_cell(_font("<I>emotion not recorded</I>", 10, MUTED), **row))
        else:
            rows.append(_cell("", BGCOLOR=SCALE_STRIPES[score % 2], **row))
    return rows


def _channel(touchpoint: TouchpointView) -> str:
    channel = touchpoint.channel
    if channel is None:
        return "no channel"
    return f"{channel.name} · {channel.kind}" if channel.kind else channel.name


def _mood_cell(mood: Mood, persona: str | None, **attributes: object) -> str:
    words = _text(_mood_words(mood))
    content = f"<B>{_text(persona)}</B>  {words}" if persona else words
    return _cell(_font(content, colour=mood.ink), BGCOLOR=mood.colour, **attributes)


def _lowest_cell(facts: _Map, personas: Sequence[Persona]) -> str:
    who = [name for name in map(facts.persona_name, personas) if name]
    words = "LOWEST POINT" + (f" for {', '.join(who)}" if who else "")
    return _cell(_font(f"<B>{_lines(words)}</B>", colour="#ffffff"), BGCOLOR=LOWEST)


def _touchpoint_tooltip(facts: _Map, touchpoint: TouchpointView) -> str:
    about = touchpoint.touchpoint
    lines = [f"{about.name} ({touchpoint.stage.name}, {_channel(touchpoint)})"]
    if about.description:
        lines.append(about.description)
    lines.extend(f"Does: {action}" for action in about.actions)
    lines.extend(f"Thinks: “{thought}”" for thought in about.thoughts)
    for feeling in touchpoint.feelings:
        who = facts.persona_name(feeling.persona)
        lines.append(f"Feels: {f'{who}: ' if who else ''}{_mood_words(feeling.mood)}")
    if touchpoint.lowest_for:
        lines.append("Lowest point of the emotions")
    lines.extend(f"Pain ({pain.pain.severity}): {pain.pain.text}" for pain in touchpoint.pains)
    lines.extend(f"Evidence: {evidence.text}" for evidence in about.evidence)
    return _plain(lines)


# --- Pain points and opportunities ------------------------------------------------------------


def _pain_id(pain: PainView) -> str:
    return f"pain-{pain.key}"


def _column_items(facts: _Map, touchpoint: TouchpointView) -> list[PainView | _OpportunityNode]:
    """Pain points worst first, each followed by this touchpoint's opportunities that answer
    it (after the last one they answer), then the opportunities that answer none here."""
    own = facts.opportunities[touchpoint.id]
    last_answered: dict[str, int] = {}
    for position, pain in enumerate(touchpoint.pains):
        for opportunity in pain.answered_by:
            node = facts.opportunity_node(opportunity)
            if node in own:
                last_answered[node.id] = position
    items: list[PainView | _OpportunityNode] = []
    for position, pain in enumerate(touchpoint.pains):
        items.append(pain)
        items.extend(node for node in own if last_answered.get(node.id) == position)
    items.extend(node for node in own if node.id not in last_answered)
    return items


def _pain_label(pain: PainView) -> str:
    category = pain.pain.category.replace("-", " ")
    rows = [
        _severity_cell(pain.pain.severity, f" · {category}", WIDTH=CARD_WIDTH),
        _cell(_lines(pain.pain.text)),
    ]
    if pain.pain.evidence:
        rows.append(_cell(_font(_plural(len(pain.pain.evidence), "evidence source"), 10, MUTED)))
    return _html(_table(rows, COLOR=SEVERITIES[pain.pain.severity].fill, BGCOLOR="white"))


def _severity_cell(severity: str, suffix: str = "", **attributes: object) -> str:
    style = SEVERITIES[severity]
    words = f"<B>! {style.label}</B>{_text(suffix)}"
    return _cell(_font(words, size=11, colour=style.ink), BGCOLOR=style.fill, **attributes)


def _pain_tooltip(pain: PainView, touchpoint: TouchpointView) -> str:
    lines = [
        f"Pain point ({pain.pain.severity}, {pain.pain.category}) at {touchpoint.touchpoint.name}",
        pain.pain.text,
    ]
    lines.extend(f"Evidence: {evidence.text}" for evidence in pain.pain.evidence)
    lines.extend(f"Answered by: {opportunity.text}" for opportunity in pain.answered_by)
    return _plain(lines)


def _opportunity_facts(opportunity: Opportunity) -> list[str]:
    facts = []
    if opportunity.priority:
        facts.append(f"{opportunity.priority} priority")
    if opportunity.owner:
        facts.append(f"owner: {opportunity.owner}")
    return facts


def _opportunity_label(opportunity: Opportunity) -> str:
    rows = [
        _cell(_heading("OPPORTUNITY", 11, OPPORTUNITY_LINE), WIDTH=CARD_WIDTH),
        _cell(_lines(opportunity.text)),
    ]
    facts = _opportunity_facts(opportunity)
    if facts:
        rows.append(_cell(_font(_lines(" · ".join(facts)), size=10, colour=MUTED)))
    return _html(_table(rows, COLOR=OPPORTUNITY_LINE, BGCOLOR=OPPORTUNITY_FILL))


def _opportunity_tooltip(opportunity: Opportunity) -> str:
    return _plain([f"Opportunity: {opportunity.text}", *_opportunity_facts(opportunity)])


# --- Backstage --------------------------------------------------------------------------------


def _backstage_id(touchpoint: TouchpointView) -> str:
    return f"backstage-{touchpoint.id}"


def _backstage_lane(view: JourneyView) -> Any:
    title = _heading("LINE OF VISIBILITY", 12) + _font(
        "   above: what the customer sees · below: the work behind it", 11, MUTED
    )
    lane = graphviz.Digraph(
        name="cluster_backstage",
        graph_attr={
            "id": "backstage",  # never a touchpoint's backstage-<id>: ids are not empty
            "label": _html(_bare_table([_cell(title)])),
            "labeljust": "l",
            "style": "dashed,filled",
            "fillcolor": BACKSTAGE_FILL,
            "color": MUTED,
            "penwidth": "1.5",
            "margin": "12",
        },
    )
    for touchpoint in view.touchpoints:
        if touchpoint.touchpoint.backstage:
            lane.node(
                _backstage_id(touchpoint),
                label=_backstage_label(touchpoint),
                id=_backstage_id(touchpoint),
                tooltip=_backstage_tooltip(touchpoint),
            )
        else:
            # Holds the place, so the lane spans the journey from the first column to the last.
            lane.node(
                _backstage_id(touchpoint),
                label="",
                shape="box",
                width=str(CARD_WIDTH / 72),  # inches
                height="0.1",
                style="invis",
            )
    return lane


def _backstage_label(touchpoint: TouchpointView) -> str:
    rows = [_cell(_heading("BACKSTAGE"), WIDTH=CARD_WIDTH)]
    for work in touchpoint.touchpoint.backstage:
        actor = f"<B>{_lines(work.actor)}</B>" if work.actor else ""
        rows.append(_cell(actor + _lines(work.text)))
    return _html(_table(rows, COLOR=BACKSTAGE_LINE, BGCOLOR="white"))


def _backstage_tooltip(touchpoint: TouchpointView) -> str:
    lines = [f"Backstage of {touchpoint.touchpoint.name}"]
    lines.extend(
        f"{work.actor}: {work.text}" if work.actor else work.text
        for work in touchpoint.touchpoint.backstage
    )
    return _plain(lines)


# --- Columns ----------------------------------------------------------------------------------


def _column(facts: _Map, touchpoint: TouchpointView) -> Any:
    """One rank per touchpoint: its card on top, pains and opportunities below, then backstage.

    Within a rank Graphviz puts the tail of an edge before its head, which in a left-to-right
    layout is *below* it; so each ordering edge runs from the lower node up to the one above.
    """
    column = graphviz.Digraph(graph_attr={"rank": "same"})
    stack = _column_ids(facts, touchpoint)
    if facts.view.has_backstage:
        stack.append(_backstage_id(touchpoint))
    answers = _answer_pairs(facts, touchpoint)
    for upper, lower in itertools.pairwise(stack):
        column.edge(lower, upper, **_stack_edge(touchpoint, upper, lower, answers))
    if len(stack) == 1:
        column.node(stack[0])
    return column


def _column_ids(facts: _Map, touchpoint: TouchpointView) -> list[str]:
    items = _column_items(facts, touchpoint)
    return [_touchpoint_id(touchpoint)] + [
        _pain_id(item) if isinstance(item, PainView) else item.id for item in items
    ]


def _answer_pairs(facts: _Map, touchpoint: TouchpointView) -> set[tuple[str, str]]:
    """(pain point id, opportunity id) for every answer at this touchpoint."""
    return {
        (_pain_id(pain), facts.opportunity_node(opportunity).id)
        for pain in touchpoint.pains
        for opportunity in pain.answered_by
    }


def _stack_edge(
    touchpoint: TouchpointView, upper: str, lower: str, answers: set[tuple[str, str]]
) -> dict[str, str]:
    """Neighbours in a column: an answer arrow, the tie from a card to its pain points, or an
    invisible edge that only keeps the order."""
    if (upper, lower) in answers:
        return {
            "id": f"answers-{upper}.{lower}",
            "dir": "back",  # drawn from the pain point down to the opportunity
            "color": OPPORTUNITY_LINE,
            "penwidth": "1.5",
        }
    if upper == _touchpoint_id(touchpoint) and lower.startswith("pain-"):
        return {"id": f"pains-of-{touchpoint.id}", "dir": "none", "color": LINE}
    return {"style": "invis"}


def _add_far_answer_edges(graph: Any, facts: _Map) -> None:
    """Answer arrows between pain points and opportunities that are not neighbours."""
    for touchpoint in facts.view.touchpoints:
        neighbours = set(itertools.pairwise(_column_ids(facts, touchpoint)))
        for pain, opportunity in sorted(_answer_pairs(facts, touchpoint) - neighbours):
            graph.edge(
                pain,
                opportunity,
                id=f"answers-{pain}.{opportunity}",
                color=OPPORTUNITY_LINE,
                penwidth="1.5",
                constraint="false",  # a reminder only: it must not move columns
            )


# --- Flow -------------------------------------------------------------------------------------


def _add_flow_edges(graph: Any, view: JourneyView) -> None:
    by_id = {tp.id: tp for tp in view.touchpoints}
    arrivals = Counter(target for tp in view.touchpoints for target in tp.next)
    for source in view.touchpoints:
        for target in (by_id[target_id] for target_id in source.next):
            if source.is_default_next:
                style = _flow_style(source, target)
            else:
                style = _route_style(source, target, arrivals[target.id])
            graph.edge(
                f"{_touchpoint_id(source)}:title:e", f"{_touchpoint_id(target)}:title:w", **style
            )


def _flow_style(source: TouchpointView, target: TouchpointView) -> dict[str, str]:
    return {"id": f"flow-{source.id}.{target.id}", "color": INK, "penwidth": "1.6", "weight": "10"}


def _route_style(source: TouchpointView, target: TouchpointView, arrivals: int) -> dict[str, str]:
    """A route written in `next`: dashed and labelled, so it never passes for the plain flow."""
    style = {
        "id": f"branch-{source.id}.{target.id}",
        "label": _route_label(source, target, arrivals),
        "style": "dashed",
        "color": BRANCH,
        "fontcolor": BRANCH,
        "penwidth": "1.6",
        # A step to the touchpoint written next in the file pulls hardest, so alternatives
        # share a column and a route that rejoins later stretches instead.
        "weight": "10" if target.index == source.index + 1 else "1",
    }
    if target.index <= source.index:
        style["constraint"] = "false"  # a loop back must not reorder the columns
    return style


def _route_label(source: TouchpointView, target: TouchpointView, arrivals: int) -> str:
    if len(source.next) > 1:
        return "branch"
    if target.index <= source.index:
        return "back to"
    return "rejoins" if arrivals > 1 else "skips to"


def _add_stage_order_edges(graph: Any, view: JourneyView) -> None:
    """Keep the stage columns in file order where no flow arrow links one stage to the next."""
    by_id = {tp.id: tp for tp in view.touchpoints}
    linked = {
        (_touchpoint_id(tp), _touchpoint_id(by_id[target]))
        for tp in view.touchpoints
        for target in tp.next
    }
    for previous, stage in itertools.pairwise(view.stages):
        tail, head = _last_node(previous), _first_node(stage)
        if (tail, head) not in linked:
            graph.edge(tail, head, style="invis")


# --- Emotion curve ----------------------------------------------------------------------------


def _add_curve_edges(graph: Any, facts: _Map) -> None:
    """One line per curve from bar to bar along the flow, so that a curve branches with it.

    A line stops where its persona is absent: a segment spanning columns would be routed
    around the cards in between, and the gap says truthfully that they were not there.
    """
    by_id = {tp.id: tp for tp in facts.view.touchpoints}
    for source in facts.view.touchpoints:
        for target in (by_id[i] for i in source.next if by_id[i].index > source.index):
            # Invisible and heavy: it keeps the top rows of the scales level across the map.
            graph.edge(
                f"{_touchpoint_id(source)}:s5:e",
                f"{_touchpoint_id(target)}:s5:w",
                style="invis",
                weight="100",
            )
    styles = _curve_styles(facts.view)
    for curve in facts.view.curves:
        line = styles[curve.persona.id]
        scores = {point.touchpoint.id: point.mood.score for point in curve.points}
        for point in curve.points:
            source = point.touchpoint
            # Forward only: a loop back would draw the curve backwards over the map.
            following = (by_id[i] for i in source.next if i in scores)
            for target in (t for t in following if t.index > source.index):
                graph.edge(
                    f"{_touchpoint_id(source)}:s{scores[source.id]}:e",
                    f"{_touchpoint_id(target)}:s{scores[target.id]}:w",
                    id=f"curve-{curve.persona.id}.{source.id}.{target.id}",
                    color=line.ink,
                    style=line.style,
                    penwidth="2",
                    arrowhead="none",
                    # Pulls on nothing, but stays ranked like the flow it follows: Graphviz
                    # routes such edges as smooth S-curves, unranked ones loop over the cards.
                    weight="0",
                )
