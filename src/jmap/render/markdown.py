"""The journey as GitHub-flavoured Markdown: a map that reads well on GitHub and GitLab.

The template (`map.md.j2`, which a team may override) lays the page out; this module gives it
the journey view and small functions for the parts that need care. Every user-written text
goes through `md` (jmap.render.markdown_text), since Markdown has no autoescaping. The
functions are passed to the template with the view instead of being added to the shared Jinja
environment, so rendering one format never changes the environment another format renders with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from jmap import i18n, wording
from jmap.i18n import N_, _, decimal, ngettext, number
from jmap.render import FORMATS, sparkline
from jmap.render.markdown_text import BREAK, fenced, md, md_all, tidy
from jmap.render.mermaid import mermaid_block
from jmap.view import EVERYONE, MOODS, Everyone
from jmap.wording import DIRECTION_WORDS, mood_words

if TYPE_CHECKING:
    from jmap.model import Backstage, Channel, Evidence, Kpi, Opportunity, PainPoint
    from jmap.render import RenderContext
    from jmap.view import (
        Curve,
        CurvePoint,
        Feeling,
        JourneyView,
        RankedOpportunity,
        StageView,
        TouchpointView,
    )

TEMPLATE = "map.md.j2"


@dataclass(frozen=True)
class Image:
    """The SVG map, written beside the Markdown map, as the map shows it: a relative link, so
    GitHub and GitLab display the file of the same commit, and alt text that says what it shows."""

    src: str
    alt: str


def render(view: JourneyView, context: RenderContext) -> str:
    template = context.templates.get_template(TEMPLATE)
    text = template.render(
        view=view,
        image=map_image(view) if "svg" in context.formats else None,
        journey=view.journey,
        everyone=EVERYONE,
        mermaid=fenced(mermaid_block(view), "mermaid"),
        split=any(len({f.mood.score for f in tp.feelings}) > 1 for tp in view.touchpoints),
        md=md,
        md_all=md_all,
        mood=mood_words,
        emotions=lambda touchpoint: emotions(view, touchpoint),
        lanes=lambda stage: lanes(view, stage),
        pains=lambda touchpoint: pains(view, touchpoint),
        pain_text=lambda pain: pain_text(view, pain),
        opportunities=opportunities,
        top=top_opportunity,
        evidence=evidence,
        wording=wording,
        places=places,
        lowest=lambda curve: lowest(view, curve),
        paths=lambda: paths(view),
        measure=measure,
        kpis=kpis,
        target=target,
        value=value,
        category=category,
    )
    return tidy(text)


def map_image(view: JourneyView) -> Image:
    """The SVG map that the same build writes beside this one, as an image."""
    src = quote(f"{view.journey.id}.{FORMATS['svg'].extension}")
    return Image(src, md(_one_line(image_alt(view))))


def image_alt(view: JourneyView) -> str:
    """What the SVG map shows, in a sentence, for a reader who cannot see it: the journey, its
    stages and touchpoints, and where each emotion curve is lowest."""
    stages = [stage.stage.name for stage in view.stages]
    count = len(stages)
    shown = f"{ngettext('{n} stage', '{n} stages', count).format(n=count)} ({', '.join(stages)})"
    count = len(view.touchpoints)
    touchpoints = ngettext("{n} touchpoint", "{n} touchpoints", count).format(n=count)
    parts = [part for part in (shown if stages else "", touchpoints) if part]
    sentences = [
        _("Journey map of {title}: {parts}.").format(
            title=view.journey.title, parts=_(" and ").join(parts)
        )
    ]
    for curve in view.curves:
        if not curve.points:
            continue
        where = "; ".join(
            f"{point.touchpoint.touchpoint.name} ({point.touchpoint.stage.name})"
            for point in curve.lowest
        )
        said = (
            _("Lowest point: {mood}, at {where}.")
            if isinstance(curve.persona, Everyone)
            else _("Lowest point for {name}: {mood}, at {where}.")
        )
        sentences.append(
            said.format(name=curve.persona.name, mood=curve.lowest[0].mood.label, where=where)
        )
    return " ".join(sentences)


def _one_line(text: str) -> str:
    # Alt text is plain text: a line break would reach it as a `<br>` tag.
    return " ".join(text.split())


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
        (N_("Channel"), _channel),
        (N_("Only for"), lambda tp: _audience(view, tp)),
        (N_("About"), lambda tp: md(tp.touchpoint.description)),
        (N_("Physical evidence"), lambda tp: _items(md_all(tp.touchpoint.physical_evidence))),
        (N_("Time"), lambda tp: wording.touchpoint_time_words(tp.touchpoint)),
        (
            N_("Actions"),
            lambda tp: _items(_owned(view, a.persona, md(a.text)) for a in tp.touchpoint.actions),
        ),
        (
            N_("Thoughts"),
            lambda tp: _items(
                _owned(view, t.persona, f"*“{md(t.text)}”*") for t in tp.touchpoint.thoughts
            ),
        ),
        (N_("Emotion"), lambda tp: _emotion(view, tp)),
        (N_("Pain points"), lambda tp: pains(view, tp)),
        (N_("Opportunities"), lambda tp: opportunities(view, tp)),
        (N_("Frontstage"), lambda tp: _staff(tp.touchpoint.frontstage)),
        (N_("Backstage"), _backstage),
        (N_("Support processes"), _support),
        (N_("Evidence"), lambda tp: evidence(tp.touchpoint.evidence)),
        (N_("Next"), lambda tp: routes(view, tp)),
        (N_("Path"), _path),
    ):
        # A service blueprint's lines, as rows where the HTML and SVG maps draw them.
        line = _BLUEPRINT_LINES.get(name) if view.is_blueprint else None
        if line:
            rows.append((f"*{_(line)}*", ["―――" for _ in stage.touchpoints]))
        cells = [cell(tp) for tp in stage.touchpoints]
        if any(cells):
            rows.append((_(name), cells))
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


def _owned(view: JourneyView, persona: str | None, text: str) -> str:
    """A thought or an action, after the name of the persona it belongs to, if one."""
    if persona is None:
        return text
    return f"**{md(wording.owner_name(view.personas, persona))}:** {text}"


def pain_text(view: JourneyView, pain: PainPoint) -> str:
    """A pain point's text, and whose it is where it belongs to one persona."""
    if pain.persona is None:
        return md(pain.text)
    owner = md(wording.owner_name(view.personas, pain.persona))
    whose = _("for {name}").format(name=owner)
    return f"{md(pain.text)} *({whose})*"


def _channel(touchpoint: TouchpointView) -> str:
    def shown(channel: Channel) -> str:
        about = ", ".join(_(wording.CHANNEL_WORDS[w]) for w in (channel.kind, channel.media) if w)
        return md(channel.name) + (f" ({about})" if about else "")

    return _(" or ").join(shown(channel) for channel in touchpoint.channels)


def _audience(view: JourneyView, touchpoint: TouchpointView) -> str:
    """The personas of a touchpoint that only some of the journey's personas meet."""
    if len(touchpoint.personas) == len(view.personas):
        return ""
    return "; ".join(md_all(persona.name for persona in touchpoint.personas))


def _emotion(view: JourneyView, touchpoint: TouchpointView) -> str:
    felt = emotions(view, touchpoint)
    if touchpoint.lowest_for:
        felt += f"{BREAK}**◆ {_(wording.MOMENT_FLAG)}**"
    return felt


def _backstage(touchpoint: TouchpointView) -> str:
    return _staff(touchpoint.touchpoint.backstage)


def _staff(work: Iterable[Backstage]) -> str:
    """Frontstage or backstage work, with how the staff feel and what hurts them."""
    return _items(
        (f"**{md(item.actor)}:** " if item.actor else "")
        + md(item.text)
        + (
            " ({} {})".format(_("staff feel"), mood_words(MOODS[item.emotion]))
            if item.emotion is not None
            else ""
        )
        + "".join(
            "; **{}:** {}".format(
                _("{severity} pain").format(severity=_severity(pain.severity)), md(pain.text)
            )
            for pain in item.pain_points
        )
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
        (f"{_(wording.EVIDENCE_WORDS[item.kind])}: " if item.kind else "")
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
        return "*{}*".format(_("the journey ends here"))
    names = {tp.id: tp for tp in view.touchpoints}
    return _(" or ").join(
        f"→ {names[route.to].index + 1}. {md(names[route.to].touchpoint.name)}"
        + (" ({})".format(_("when: {when}").format(when=md(route.when))) if route.when else "")
        for route in touchpoint.routes
    )


def _path(touchpoint: TouchpointView) -> str:
    """The branch a touchpoint is on; nothing on the main path, where most touchpoints are."""
    path = touchpoint.path
    if path is None or path.is_main:
        return ""
    return _("branch: {name}").format(name=md(path.name))


def lowest(view: JourneyView, curve: Curve) -> str:
    """Where a curve is lowest; in a journey with branches, on which path each place is."""
    if not view.has_branches:
        return places(curve.lowest)
    on: dict[int, list[CurvePoint]] = {}
    for point in curve.lowest:
        assert point.touchpoint.path is not None
        on.setdefault(point.touchpoint.path.number, []).append(point)
    return ", and ".join(
        f"{places(points)} {md(wording.on_path(points[0].touchpoint.path))}"
        for points in on.values()
        if points[0].touchpoint.path is not None
    )


def paths(view: JourneyView) -> tuple[list[str], list[list[str]]]:
    """The paths of a journey with branches as a table: name, course, and the average of each
    curve along the path's whole way (blank for a branch with no score of its own)."""
    curves = [curve for curve in view.curves if curve.points]
    header = [_("Path"), _("Where"), _("Touchpoints")]
    header += [
        _("Average")
        if isinstance(curve.persona, Everyone)
        else _("Average for {name}").format(name=md(curve.persona.name))
        for curve in curves
    ]
    rows = []
    for path in view.paths:
        averages = []
        for curve in curves:
            found = next((a.average for a in curve.averages if a.path is path), None)
            averages.append("" if found is None else decimal(found, 2))
        names = md_all(f"{tp.index + 1}. {tp.touchpoint.name}" for tp in path.touchpoints)
        rows.append(
            [f"**{md(path.name)}**", md(wording.path_course(path)), ", ".join(names), *averages]
        )
    return header, rows


def pains(view: JourneyView, touchpoint: TouchpointView) -> str:
    """The pain points of a touchpoint, worst first, each with its severity."""
    return BREAK.join(
        f"**{_severity(pain.pain.severity)}:** {pain_text(view, pain.pain)}"
        for pain in touchpoint.pains
    )


def opportunities(view: JourneyView, touchpoint: TouchpointView) -> str:
    """The opportunities at a touchpoint, each with its owner and priority where known, and
    the pain points it answers at other touchpoints."""
    shown = []
    for ranked in view.opportunities:
        if ranked.touchpoint is not touchpoint:
            continue
        elsewhere = [
            _("answers {pain} (at {where})").format(
                pain=md(pain.pain.text), where=md(where.touchpoint.name)
            )
            for pain, where in ranked.answers
            if where is not touchpoint
        ]
        shown.append("; ".join([_opportunity(ranked.opportunity), *elsewhere]))
    return _items(shown)


def top_opportunity(ranked: RankedOpportunity) -> str:
    """One of the top opportunities: what, where, and the worst pain point it answers."""
    where = ranked.touchpoint
    text = _("{what} at {where}").format(
        what=_opportunity(ranked.opportunity), where=places_of([where])
    )
    worst = ranked.worst
    if worst is None:
        return "{}; {}".format(text, _("answers no recorded pain point"))
    pain, at = worst
    there = " " + _("at {where}").format(where=places_of([at])) if at is not where else ""
    more = len(ranked.answers) - 1
    also = (
        ngettext(" and {n} other pain point", " and {n} other pain points", more).format(n=more)
        if more
        else ""
    )
    answers = _("answers {what}").format(
        what=f"**{_severity(pain.pain.severity)}:** {md(pain.pain.text)}"
    )
    return f"{text}; {answers}{there}{also}"


def _opportunity(item: Opportunity) -> str:
    details = [md(item.owner)] if item.owner else []
    if item.priority:
        details.append(_(wording.PRIORITY_WORDS[item.priority]))
    details.extend(wording.work_words(item)[1 if item.status else 0 :])
    status = f"**{_(wording.STATUS_WORDS[item.status]).upper()}** " if item.status else ""
    return status + md(item.text) + (f" ({', '.join(details)})" if details else "")


def places(points: Iterable[CurvePoint]) -> str:
    """Where on the journey some points of a curve are: touchpoint and stage."""
    return places_of(point.touchpoint for point in points)


def places_of(touchpoints: Iterable[TouchpointView]) -> str:
    return "; ".join(f"{md(tp.touchpoint.name)} ({md(tp.stage.name)})" for tp in touchpoints)


def measure(value: int | float | str | None) -> str:
    """A KPI value or target as written in the journey."""
    return "" if value is None else md(number(value))


def value(kpi: Kpi) -> str:
    """A KPI's value cell: the value, whether it meets its target where known, and its trend
    by month when it comes from data."""
    status = wording.kpi_status_words(kpi)
    cell = measure(kpi.value) + (f" ({status})" if status else "")
    if kpi.data is None or len(kpi.data.series) < 2:
        return cell
    series = kpi.data.series
    return f"{cell} {sparkline.blocks(series)} ({md(sparkline.summary(series))})"


def target(kpi: Kpi) -> str:
    """A KPI's target cell: the target as written, and which way is better when said."""
    cell = measure(kpi.target)
    if kpi.direction is None:
        return cell
    direction = _(DIRECTION_WORDS[kpi.direction])
    return f"{cell} ({direction})" if cell else direction


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


def _severity(severity: str) -> str:
    return _(wording.SEVERITY_WORDS[severity])


def category(pain: PainPoint) -> str:
    """A pain point's category: in English as the journey file writes it (`wait-time`), in
    another language in its words."""
    if i18n.current().code == i18n.DEFAULT:
        return pain.category
    return _(wording.CATEGORY_WORDS[pain.category])
