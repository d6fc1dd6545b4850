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

from jmap import wording
from jmap.render.markdown_text import BREAK, fenced, md, md_all, tidy
from jmap.render.mermaid import mermaid_block
from jmap.view import EVERYONE, MOODS, Everyone
from jmap.wording import DIRECTION_WORDS, mood_words

if TYPE_CHECKING:
    from jmap.model import Backstage, Evidence, Kpi, Opportunity
    from jmap.render import RenderContext
    from jmap.view import (
        CurvePoint,
        Feeling,
        JourneyView,
        RankedOpportunity,
        StageView,
        TouchpointView,
    )

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
        lanes=lambda stage: lanes(view, stage),
        pains=pains,
        opportunities=opportunities,
        top=top_opportunity,
        evidence=evidence,
        wording=wording,
        places=places,
        measure=measure,
        kpis=kpis,
        target=target,
        value=value,
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


def lanes(view: JourneyView, stage: StageView) -> list[tuple[str, list[str]]]:
    """The rows of a stage's table, one cell per touchpoint, in the order of the HTML map's
    lanes; a row with nothing in it for this stage is left out."""
    rows: list[tuple[str, list[str]]] = []
    for name, cell in (
        ("Channel", _channel),
        ("Only for", lambda tp: _audience(view, tp)),
        ("About", lambda tp: md(tp.touchpoint.description)),
        ("Physical evidence", lambda tp: _items(md_all(tp.touchpoint.physical_evidence))),
        ("Actions", lambda tp: _items(md_all(tp.touchpoint.actions))),
        ("Thoughts", lambda tp: _items(f"*“{md(t)}”*" for t in tp.touchpoint.thoughts)),
        ("Emotion", lambda tp: _emotion(view, tp)),
        ("Pain points", pains),
        ("Opportunities", lambda tp: opportunities(view, tp)),
        ("Frontstage", lambda tp: _staff(tp.touchpoint.frontstage)),
        ("Backstage", _backstage),
        ("Support processes", _support),
        ("Evidence", lambda tp: evidence(tp.touchpoint.evidence)),
        ("Next", lambda tp: routes(view, tp)),
    ):
        # A service blueprint's lines, as rows where the HTML and SVG maps draw them.
        line = _BLUEPRINT_LINES.get(name) if view.is_blueprint else None
        if line:
            rows.append((f"*{line}*", ["―――" for _ in stage.touchpoints]))
        cells = [cell(tp) for tp in stage.touchpoints]
        if any(cells):
            rows.append((name, cells))
    return rows


# The line a blueprint draws above each of these lanes, shown even where the lane is empty.
_BLUEPRINT_LINES = {
    "Frontstage": wording.LINE_OF_INTERACTION,
    "Backstage": wording.LINE_OF_VISIBILITY,
    "Support processes": wording.LINE_OF_INTERNAL_INTERACTION,
}


def _items(texts: Iterable[str]) -> str:
    shown = list(texts)
    return BREAK.join(f"• {text}" for text in shown) if len(shown) > 1 else "".join(shown)


def _channel(touchpoint: TouchpointView) -> str:
    channel = touchpoint.channel
    if channel is None:
        return ""
    return md(channel.name) + (f" ({channel.kind})" if channel.kind else "")


def _audience(view: JourneyView, touchpoint: TouchpointView) -> str:
    """The personas of a touchpoint that only some of the journey's personas meet."""
    if len(touchpoint.personas) == len(view.personas):
        return ""
    return "; ".join(md_all(persona.name for persona in touchpoint.personas))


def _emotion(view: JourneyView, touchpoint: TouchpointView) -> str:
    felt = emotions(view, touchpoint)
    if touchpoint.lowest_for:
        felt += f"{BREAK}**◆ {wording.MOMENT_FLAG}**"
    return felt


def _backstage(touchpoint: TouchpointView) -> str:
    return _staff(touchpoint.touchpoint.backstage)


def _staff(work: Iterable[Backstage]) -> str:
    """Frontstage or backstage work, with how the staff feel and what hurts them."""
    return _items(
        (f"**{md(item.actor)}:** " if item.actor else "")
        + md(item.text)
        + (
            f" ({wording.STAFF_FEELING.lower()} {mood_words(MOODS[item.emotion])})"
            if item.emotion is not None
            else ""
        )
        + "".join(f"; **{pain.severity} pain:** {md(pain.text)}" for pain in item.pain_points)
        for item in work
    )


def _support(touchpoint: TouchpointView) -> str:
    return _items(
        (f"**{md(item.actor)}:** " if item.actor else "") + md(item.text)
        for item in touchpoint.touchpoint.support_processes
    )


def evidence(items: Iterable[Evidence]) -> str:
    """Research behind a touchpoint or a pain point: kind, text and where to find it."""
    return _items(
        (f"{item.kind}: " if item.kind else "")
        + md(item.text)
        + (f" *“{md(item.quote)}”*" if item.quote else "")
        + (f" ({wording.evidence_facts(item)})" if wording.evidence_facts(item) else "")
        + (f" ({md(item.link)})" if item.link else "")
        for item in items
    )


def routes(view: JourneyView, touchpoint: TouchpointView) -> str:
    """Where the journey goes after a touchpoint, where that is not simply the next column."""
    if touchpoint.is_default_next:
        return ""
    if not touchpoint.next:
        return "*the journey ends here*"
    names = {tp.id: tp for tp in view.touchpoints}
    return " or ".join(
        f"→ {names[route.to].index + 1}. {md(names[route.to].touchpoint.name)}"
        + (f" (when: {md(route.when)})" if route.when else "")
        for route in touchpoint.routes
    )


def pains(touchpoint: TouchpointView) -> str:
    """The pain points of a touchpoint, worst first, each with its severity."""
    return BREAK.join(
        f"**{pain.pain.severity}:** {md(pain.pain.text)}" for pain in touchpoint.pains
    )


def opportunities(view: JourneyView, touchpoint: TouchpointView) -> str:
    """The opportunities at a touchpoint, each with its owner and priority where known, and
    the pain points it answers at other touchpoints."""
    shown = []
    for ranked in view.opportunities:
        if ranked.touchpoint is not touchpoint:
            continue
        elsewhere = [
            f"answers {md(pain.pain.text)} (at {md(where.touchpoint.name)})"
            for pain, where in ranked.answers
            if where is not touchpoint
        ]
        shown.append("; ".join([_opportunity(ranked.opportunity), *elsewhere]))
    return _items(shown)


def top_opportunity(ranked: RankedOpportunity) -> str:
    """One of the top opportunities: what, where, and the worst pain point it answers."""
    where = ranked.touchpoint
    text = f"{_opportunity(ranked.opportunity)} at {places_of([where])}"
    worst = ranked.worst
    if worst is None:
        return text + "; answers no recorded pain point"
    pain, at = worst
    there = f" at {places_of([at])}" if at is not where else ""
    more = len(ranked.answers) - 1
    also = f" and {wording.plural(more, 'other pain point')}" if more else ""
    return f"{text}; answers **{pain.pain.severity}:** {md(pain.pain.text)}{there}{also}"


def _opportunity(item: Opportunity) -> str:
    details = [md(item.owner)] if item.owner else []
    if item.priority:
        details.append(f"{item.priority} priority")
    details.extend(wording.work_words(item)[1 if item.status else 0 :])
    status = f"**{item.status.upper()}** " if item.status else ""
    return status + md(item.text) + (f" ({', '.join(details)})" if details else "")


def places(points: Iterable[CurvePoint]) -> str:
    """Where on the journey some points of a curve are: touchpoint and stage."""
    return places_of(point.touchpoint for point in points)


def places_of(touchpoints: Iterable[TouchpointView]) -> str:
    return "; ".join(f"{md(tp.touchpoint.name)} ({md(tp.stage.name)})" for tp in touchpoints)


def measure(value: int | float | str | None) -> str:
    """A KPI value or target as written in the journey."""
    return "" if value is None else md(str(value))


def value(kpi: Kpi) -> str:
    """A KPI's value cell: the value as written, and whether it meets its target where known."""
    status = wording.kpi_status_words(kpi)
    return measure(kpi.value) + (f" ({status})" if status else "")


def target(kpi: Kpi) -> str:
    """A KPI's target cell: the target as written, and which way is better when said."""
    cell = measure(kpi.target)
    if kpi.direction is None:
        return cell
    return f"{cell} ({DIRECTION_WORDS[kpi.direction]})" if cell else DIRECTION_WORDS[kpi.direction]


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
