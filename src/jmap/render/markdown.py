"""The journey as GitHub-flavoured Markdown: a map that reads well on GitHub and GitLab.

The template (`map.md.j2`, which a team may override) lays the page out; this module gives it
the journey view and small functions for the parts that need care. Every user-written text
goes through `md` (jmap.render.markdown_text), since Markdown has no autoescaping. The
functions are passed to the template with the view instead of being added to the shared Jinja
environment, so rendering one format never changes the environment another format renders with.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from jmap.render.markdown_text import BREAK, fenced, md, md_all, tidy
from jmap.render.mermaid import mermaid_block
from jmap.view import EVERYONE, Everyone
from jmap.wording import mood_words

if TYPE_CHECKING:
    from jmap.model import Kpi, Opportunity
    from jmap.render import RenderContext
    from jmap.view import CurvePoint, Feeling, JourneyView, TouchpointView

TEMPLATE = "map.md.j2"


def render(view: JourneyView, context: RenderContext) -> str:
    template = context.templates.get_template(TEMPLATE)
    text = template.render(
        view=view,
        journey=view.journey,
        everyone=EVERYONE,
        mermaid=fenced(mermaid_block(view), "mermaid"),
        split=any(len({f.mood.score for f in tp.feelings}) > 1 for tp in view.touchpoints),
        md=md,
        md_all=md_all,
        mood=mood_words,
        emotions=lambda touchpoint: emotions(view, touchpoint),
        pains=pains,
        opportunities=opportunities,
        places=places,
        measure=measure,
        kpis=kpis,
    )
    return tidy(text)


def emotions(view: JourneyView, touchpoint: TouchpointView) -> str:
    """The feelings at a touchpoint, naming who feels each when the journey has several personas."""
    shown = []
    for felt in touchpoint.feelings:
        who = _who(view, touchpoint, felt)
        shown.append(mood_words(felt.mood) + (f" ({md(', '.join(who))})" if who else ""))
    return BREAK.join(shown)


def _who(view: JourneyView, touchpoint: TouchpointView, felt: Feeling) -> list[str]:
    if len(view.personas) < 2:
        return []
    if not isinstance(felt.persona, Everyone):
        return [felt.persona.name]
    # Everyone at the touchpoint feels the same; name them unless that is every persona.
    if len(touchpoint.personas) == len(view.personas):
        return []
    return [persona.name for persona in touchpoint.personas]


def pains(touchpoint: TouchpointView) -> str:
    """The pain points of a touchpoint, worst first, each with its severity."""
    return BREAK.join(
        f"**{pain.pain.severity}:** {md(pain.pain.text)}" for pain in touchpoint.pains
    )


def opportunities(touchpoint: TouchpointView) -> str:
    """The opportunities at a touchpoint, each with its owner and priority where known."""
    return BREAK.join(_opportunity(item) for item in touchpoint.touchpoint.opportunities)


def _opportunity(item: Opportunity) -> str:
    details = [md(item.owner)] if item.owner else []
    if item.priority:
        details.append(f"{item.priority} priority")
    return md(item.text) + (f" ({', '.join(details)})" if details else "")


def places(points: Iterable[CurvePoint]) -> str:
    """Where on the journey some points of a curve are: touchpoint and stage."""
    return "; ".join(
        f"{md(point.touchpoint.touchpoint.name)} ({md(point.touchpoint.stage.name)})"
        for point in points
    )


def measure(value: int | float | str | None) -> str:
    """A KPI value or target as written in the journey."""
    return "" if value is None else md(str(value))


def kpis(view: JourneyView) -> list[tuple[str, str, Kpi]]:
    """Every KPI with the stage and touchpoint it measures, stage KPIs first."""
    rows: list[tuple[str, str, Kpi]] = []
    for stage in view.stages:
        rows.extend((stage.stage.name, "", kpi) for kpi in stage.stage.kpis)
        for touchpoint in stage.touchpoints:
            rows.extend(
                (stage.stage.name, touchpoint.touchpoint.name, kpi)
                for kpi in touchpoint.touchpoint.kpis
            )
    return rows
