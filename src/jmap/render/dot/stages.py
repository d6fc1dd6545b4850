"""The stages: one filled cluster each, headed by the stage's name, goals and KPIs, around the
columns of its touchpoints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jmap.palette import SVG
from jmap.render.dot.columns import touchpoint_cluster
from jmap.render.dot.facts import MapFacts, empty_stage_id
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
from jmap.render.dot.style import CARD_WIDTH
from jmap.render.dot.syntax import Graph, Html
from jmap.render.dot.text import label_text, tooltip_text
from jmap.wording import kpi_words

if TYPE_CHECKING:
    from jmap.view import StageView


def stage_cluster(facts: MapFacts, stage: StageView, number: int) -> Graph:
    cluster = Graph(
        f"cluster_stage_{stage.stage.id}",
        {
            "id": f"stage-{stage.stage.id}",
            "label": _stage_label(stage, number),
            "labeljust": "l",
            "tooltip": _stage_tooltip(stage),
            "style": "filled",
            "fillcolor": SVG.stage_fills[(number - 1) % len(SVG.stage_fills)],
            "color": SVG.stage_line,
            "margin": "12",
        },
    )
    for touchpoint in stage.touchpoints:
        cluster.subgraph(touchpoint_cluster(facts, touchpoint))
    if not stage.touchpoints:
        placeholder = cell(font("<I>no touchpoints yet</I>", colour=SVG.muted), WIDTH=CARD_WIDTH)
        cluster.node(
            empty_stage_id(stage),
            {
                "label": html_label(table([placeholder], COLOR=SVG.card_line, BGCOLOR=SVG.paper)),
                "id": empty_stage_id(stage),
            },
        )
    return cluster


def _stage_label(stage: StageView, number: int) -> Html:
    about = stage.stage
    title = cell(font(f"<B>{number} · {label_text(about.name)}</B>", size=18))
    parts = []
    if about.description:
        parts.append(font(lines(about.description), colour=SVG.muted))
    if about.customer_goal:
        parts.append(_section("CUSTOMER GOAL", lines(about.customer_goal)))
    if about.business_goal:
        parts.append(_section("BUSINESS GOAL", lines(about.business_goal)))
    if about.kpis:
        kpis = "".join(lines(f"• {kpi_words(kpi)}") for kpi in about.kpis)
        parts.append(_section("KPIs", font(kpis, size=11)))
    # A stage several cards wide has room for its goals side by side; a narrow one stacks them.
    if 1 < len(parts) <= len(stage.touchpoints):
        return html_label(bare_table([title, cell(side_by_side(parts, spacing=6))]))
    return html_label(bare_table([title, *(cell(part) for part in parts)]))


def _section(title: str, body: str) -> str:
    return heading(title) + LEFT_BREAK + body


def _stage_tooltip(stage: StageView) -> str:
    about = stage.stage
    sentences = [f"Stage: {about.name}"]
    if about.description:
        sentences.append(about.description)
    if about.customer_goal:
        sentences.append(f"Customer goal: {about.customer_goal}")
    if about.business_goal:
        sentences.append(f"Business goal: {about.business_goal}")
    sentences.extend(f"KPI: {kpi_words(kpi)}" for kpi in about.kpis)
    return tooltip_text(sentences)
