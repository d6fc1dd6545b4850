"""How jmap puts things into words, written once for every output and message that says them.

A count and its noun ("3 journeys"), a KPI's value and target, an emotion in symbol, score and
words, a touchpoint's channel, and the message for two journeys that would write the same
maps. The SVG map, the HTML and Markdown maps, the portfolio pages, `jmap diff`, the console
and `jmap serve` all say these the same way because they all ask here. What a map's reader sees
is in the language of the render (jmap.i18n): a label is marked `N_()` where it is defined and
translated `_()` where it is shown; the console's own words stay English. What an emotion score
is called and its symbol are the moods of `jmap.view.MOODS`; their colours are in
`jmap.palette`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from jmap.i18n import N_, _, date, decimal, number

if TYPE_CHECKING:
    from pathlib import Path as FilePath

    from jmap.model import Channel, Evidence, Journey, Kpi, Opportunity, Persona, Touchpoint
    from jmap.view import (
        Curve,
        JourneyView,
        Mood,
        Path,
        RankedOpportunity,
        TimeTotal,
        TouchpointView,
    )


class PathLike(Protocol):
    """A path as a diff remembers it: whether it is the main path, and its name."""

    @property
    def is_main(self) -> bool: ...

    @property
    def name(self) -> str: ...


def plural(count: int, word: str) -> str:
    """'1 journey', '3 journeys': for the nouns jmap counts, which all take an s."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def quantity(value: object, unit: str | None) -> str:
    """A value with its unit: '12%' (a percentage sign is written on the number), '4.5 min'."""
    shown = number(value)
    if not unit:
        return shown
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}"


# A KPI's `direction`, said after its target: an arrow and words, never the arrow alone.
DIRECTION_WORDS = {"higher": N_("↑ higher is better"), "lower": N_("↓ lower is better")}


def kpi_target(kpi: Kpi) -> str | None:
    """'target 15% ↑ higher is better', 'target 15%', '↓ lower is better', or None."""
    parts = []
    if kpi.target is not None:
        parts.append(_("target {value}").format(value=quantity(kpi.target, kpi.unit)))
    if kpi.direction is not None:
        parts.append(_(DIRECTION_WORDS[kpi.direction]))
    return " ".join(parts) or None


# Whether a KPI meets its target (jmap.view.kpi_status): a sign and words, never colour alone;
# a no-break space keeps the sign on the line of its words.
KPI_STATUS_WORDS = {"on track": N_("●\u00a0on track"), "off track": N_("×\u00a0off track")}
# What a KPI's trend line (jmap.render.sparkline) shows, before its words: for screen readers.
TREND_LABEL = N_("trend by month")


def kpi_status_words(kpi: Kpi) -> str | None:
    """KPI_STATUS_WORDS of the KPI's status, or None where the map cannot tell."""
    # Here, not at the top: the console says counts through this module without the model.
    from jmap.view import kpi_status

    status = kpi_status(kpi)
    return None if status is None else _(KPI_STATUS_WORDS[status])


def kpi_words(kpi: Kpi, *, status: bool = True) -> str:
    """'Conversion: 12% (target 15%)', or as much of it as is known: the map's cards; its
    KPI_STATUS_WORDS last, unless `status` is False (a map that writes them on their own)."""
    parts = []
    if kpi.value is not None:
        parts.append(quantity(kpi.value, kpi.unit))
    target = kpi_target(kpi)
    if target is not None:
        parts.append(f"({target})" if parts else target)
    words = kpi_status_words(kpi) if status else None
    if words is not None:
        parts.append(f"· {words}")
    return f"{kpi.name}: {' '.join(parts)}" if parts else kpi.name


def kpi_measure(kpi: Kpi) -> str:
    """A KPI's value and target without its name: '1.1 min / target 1.5 min', '41%',
    'target 12%'; empty when neither is known. Where the name is shown beside it."""
    value = None if kpi.value is None else quantity(kpi.value, kpi.unit)
    return " / ".join(part for part in (value, kpi_target(kpi)) if part)


def work_words(opportunity: Opportunity) -> list[str]:
    """An opportunity as work: 'In progress', 'high impact', 'low effort', as far as known."""
    words = [_(STATUS_WORDS[opportunity.status])] if opportunity.status else []
    if opportunity.impact:
        words.append(_(IMPACT_WORDS[opportunity.impact]))
    if opportunity.effort:
        words.append(_(EFFORT_WORDS[opportunity.effort]))
    return words


# An opportunity's `status`, `impact` and `effort` as its cards say them (docs/format.md).
STATUS_WORDS = {
    "idea": N_("Idea"),
    "planned": N_("Planned"),
    "in progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
IMPACT_WORDS = {"low": N_("low impact"), "medium": N_("medium impact"), "high": N_("high impact")}
EFFORT_WORDS = {"low": N_("low effort"), "medium": N_("medium effort"), "high": N_("high effort")}


def evidence_facts(evidence: Evidence) -> str:
    """What a piece of evidence rests on, besides its kind: '2025-03-31 · n = 412 · observed'."""
    facts = []
    if evidence.date:
        facts.append(date(evidence.date))
    if evidence.n is not None:
        facts.append(f"n = {number(evidence.n)}")
    if evidence.confidence:
        facts.append(_(CONFIDENCE_WORDS[evidence.confidence]))
    return " · ".join(facts)


STAFF_FEELING = N_("Staff feel")  # before an employee's emotion: "Staff feel ▼ 2 negative"
# The lines of a service blueprint, top to bottom (docs/output.md).
LINE_OF_INTERACTION = N_("Line of interaction")
LINE_OF_VISIBILITY = N_("Line of visibility")
LINE_OF_INTERNAL_INTERACTION = N_("Line of internal interaction")
VISIBILITY_NOTE = N_("Above: what the customer sees. Below: what happens behind the scenes.")
INTERACTION_NOTE = N_("Above: the customer. Below: the people and systems they deal with.")
INTERNAL_INTERACTION_NOTE = N_("Below: the processes and systems that support the work.")


def mood_words(mood: Mood) -> str:
    """'▼ 2 negative': an emotion by symbol, score and words, so it never depends on colour."""
    return f"{mood.symbol} {mood.score} {mood.label}"


def channel_words(touchpoint: TouchpointView) -> str:
    """'Phone support · human', 'Kiosk or Desk': each channel a touchpoint may happen in."""
    if not touchpoint.channels:
        return _("no channel")
    return _(" or ").join(channel_label(channel) for channel in touchpoint.channels)


def channel_label(channel: Channel) -> str:
    """'Review sites · digital, third-party': a channel's name with its kind and media."""
    about = ", ".join(_(CHANNEL_WORDS[word]) for word in (channel.kind, channel.media) if word)
    return f"{channel.name} · {about}" if about else channel.name


def channel_names(touchpoint: TouchpointView) -> str:
    """'Kiosk or Desk': where only the names fit."""
    return _(" or ").join(channel.name for channel in touchpoint.channels)


def owner_name(personas: list[Persona], persona_id: str) -> str:
    """Whose a thought, an action or a pain point is: its persona's name up to the first
    comma ('Priya' for 'Priya, operations manager'), short enough for a card."""
    name = next((p.name for p in personas if p.id == persona_id), persona_id)
    return name.split(",")[0].strip() or name


def time_words(time: TimeTotal) -> str:
    """'takes 1 h 30 min · waits 3 days': a total of durations and waits."""
    from jmap.durations import words

    parts = []
    if time.duration:
        parts.append(_("takes {time}").format(time=words(time.duration)))
    if time.wait:
        parts.append(_("waits {time}").format(time=words(time.wait)))
    return " · ".join(parts) or _("takes {time}").format(time=words(0))


def touchpoint_time_words(touchpoint: Touchpoint) -> str:
    """'Takes 10 min · waits 3 days', as written; empty where neither is given."""
    parts = []
    if touchpoint.duration:
        parts.append(_("takes {time}").format(time=touchpoint.duration.text))
    if touchpoint.wait:
        parts.append(_("waits {time}").format(time=touchpoint.wait.text))
    said = " · ".join(parts)
    return said[:1].upper() + said[1:]


TIME_HEADING = N_("Time")
# How stage and path totals are counted; docs/format.md ("Time") says it in full.
TIME_NOTE = N_(
    "Each path's whole way, start to end; a stage counts its touchpoints on the main path."
)


def path_time_words(path: Path) -> str:
    """'Main path: takes 2 h · waits 3 days'."""
    assert path.time is not None
    name = path.name
    return f"{name[:1].upper()}{name[1:]}: {time_words(path.time)}"


REVIEW_LABEL = N_("Reviewed")


def review_words(journey: Journey) -> str:
    """'2025-03-01 (every 6 months)', 'not yet (every 6 months)': when the map was last checked
    against reality and how often it should be, after REVIEW_LABEL; empty where neither is said."""
    if journey.reviewed is None and journey.review_every is None:
        return ""
    when = date(journey.reviewed) if journey.reviewed else _("not yet")
    if journey.review_every is None:
        return when
    return _("{when} (every {time})").format(when=when, time=journey.review_every.text)


# Why a journey's maps cannot be written, where a build or `jmap serve` names them by its id.
INDEX_ID_CLASH = (
    "the id 'index' would overwrite the portfolio page (index.html); give the journey another `id:`"
)


def journey_id_clash(journey_id: str, other: str | FilePath) -> str:
    """Two journeys with one id: `other` says which file has it already."""
    return (
        f"journey id '{journey_id}' is also the id of {other}; both would write the same maps,"
        " so give one a different `id:`"
    )


# What a reader needs first: the top of every map (HTML, SVG, Markdown, the PDF's first page).
MOMENTS_HEADING = N_("Moments that matter")
MOMENT_FLAG = N_("Moment that matters")  # beside a touchpoint that is one
MOMENTS_NOTE = N_("The lowest points of each emotion curve: where a fix matters most.")
TOP_OPPORTUNITIES_HEADING = N_("Top opportunities")
BRANCH_KEY = N_("dashed: a branch (an alternative path)")  # the legend's entry for a branch's line
# The rule itself is jmap.view._rank; docs/output.md says it in full.
TOP_OPPORTUNITIES_NOTE = N_(
    "Ranked by priority, then the severity of the pain points they answer, then how many"
    " personas those pain points touch."
)
# A pain point's `severity` and an opportunity's `priority`, as the maps show them.
SEVERITY_WORDS = {
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    "critical": N_("critical"),
}
# A piece of evidence's `kind`.
EVIDENCE_WORDS = {
    "survey": N_("survey"),
    "analytics": N_("analytics"),
    "interview": N_("interview"),
    "observation": N_("observation"),
    "support": N_("support"),
    "other": N_("other"),
}
CONFIDENCE_WORDS = {
    "observed": N_("observed"),
    "inferred": N_("inferred"),
    "assumed": N_("assumed"),
}
# The lists of a persona's card, by their headings.
PERSONA_LISTS = (N_("Goals"), N_("Needs"), N_("Frustrations"))
# A pain point's `category`.
CATEGORY_WORDS = {
    "complexity": N_("complexity"),
    "information": N_("information"),
    "staff": N_("staff"),
    "wait-time": N_("wait time"),
    "follow-up": N_("follow up"),
    "policy": N_("policy"),
    "personalization": N_("personalization"),
    "other": N_("other"),
}
# A channel's `kind` and `media`.
CHANNEL_WORDS = {
    "digital": N_("digital"),
    "physical": N_("physical"),
    "human": N_("human"),
    "other": N_("other"),
    "owned": N_("owned"),
    "earned": N_("earned"),
    "paid": N_("paid"),
    "third-party": N_("third-party"),
}


def moment_words(view: JourneyView, touchpoint: TouchpointView) -> str:
    """A moment that matters in plain text (the SVG map, the PDF): '7. Call drops (Resolution;
    The transfer drops the call): ▼▼ 1 very negative, for Ann; Bo', naming the branch it is on
    (off the main path) and whose low it is where curves differ."""
    lows: dict[int, tuple[Mood, list[str]]] = {}
    for curve in view.curves:
        for point in curve.lowest:
            if point.touchpoint is touchpoint:
                lows.setdefault(point.mood.score, (point.mood, []))[1].append(curve.persona.name)
    place = "; ".join(filter(None, (touchpoint.stage.name, branch_of(touchpoint))))
    where = f"{touchpoint.index + 1}. {touchpoint.touchpoint.name} ({place})"
    parts = []
    for score in sorted(lows):
        mood, names = lows[score]
        whose = _(", for {names}").format(names="; ".join(names)) if len(view.curves) > 1 else ""
        parts.append(f"{mood_words(mood)}{whose}")
    return f"{where}: {' · '.join(parts)}"


def branch_of(touchpoint: TouchpointView) -> str | None:
    """The name of the branch a touchpoint is on; None on the main path."""
    path = touchpoint.path
    return None if path is None or path.is_main else path.name


def path_note(touchpoint: TouchpointView) -> str:
    """' (The transfer drops the call)': the branch a touchpoint is on, said after it where a
    lowest point is named; empty on the main path."""
    branch = branch_of(touchpoint)
    return f" ({branch})" if branch else ""


def lowest_words(
    touchpoint: TouchpointView, whose: str | None = None, *, at: bool = False, path: bool = True
) -> str:
    """The label of a curve's lowest point: 'lowest', 'lowest: Ann' (whose curve), with `at` the
    touchpoint ('lowest: Ann, at Call drops'), and with `path` the branch it is on."""
    named = [part for part in (whose, touchpoint.touchpoint.name if at else None) if part]
    words = _("lowest: {what}").format(what=_(", at ").join(named)) if named else _("lowest")
    return words + path_note(touchpoint) if path else words


def path_averages(curve: Curve) -> str:
    """A curve's average, '2.2', or where it has a branch of its own, each path's by name:
    'main path 2.2; The transfer drops the call 2.1'."""
    averages = curve.averages
    if len(averages) == 1 and averages[0].path.is_main:
        return decimal(averages[0].average)
    return "; ".join(f"{a.path.name} {decimal(a.average)}" for a in averages)


def top_opportunity_words(ranked: RankedOpportunity) -> str:
    """One of the top opportunities in plain text: what, its priority, where, and the worst
    pain point it answers."""
    opportunity, where = ranked.opportunity, ranked.touchpoint
    priority = f" ({_(PRIORITY_WORDS[opportunity.priority])})" if opportunity.priority else ""
    text = _("{what}{priority} at {where}").format(
        what=opportunity.text,
        priority=priority,
        where=f"{where.index + 1}. {where.touchpoint.name}",
    )
    worst = ranked.worst
    if worst is None:
        return text
    pain, at = worst
    there = (
        " ({})".format(_("at {where}").format(where=at.touchpoint.name)) if at is not where else ""
    )
    answers = _("answers {severity}: {pain}").format(
        severity=_(SEVERITY_WORDS[pain.pain.severity]), pain=pain.pain.text
    )
    return f"{text}; {answers}{there}"


PRIORITY_WORDS = {
    "low": N_("low priority"),
    "medium": N_("medium priority"),
    "high": N_("high priority"),
}


def path_name(path: Path) -> str:
    """How maps name a path: 'main path', its route's `when`, or 'via <first touchpoint>'."""
    if path.is_main:
        return _("main path")
    if path.route is not None and path.route.when:
        return path.route.when
    return _("via {touchpoint}").format(touchpoint=path.touchpoints[0].touchpoint.name)


def on_path(path: PathLike) -> str:
    """Where a finding or a lowest point is, in a journey with branches: 'on the main path' or
    "on the branch 'The transfer drops the call'" (the path's name, see `path_name`)."""
    return (
        _("on the main path")
        if path.is_main
        else _("on the branch '{name}'").format(name=path.name)
    )


def path_course(path: Path) -> str:
    """Where a branch leaves and rejoins, in words: 'leaves after A, rejoins at B'."""
    if path.is_main:
        return _("the way most customers take")
    leaves = (
        _("leaves after {touchpoint}").format(touchpoint=path.fork.touchpoint.name)
        if path.fork is not None
        else _("reached by no route")
    )
    rejoins = (
        _("rejoins at {touchpoint}").format(touchpoint=path.rejoin.touchpoint.name)
        if path.rejoin
        else _("ends the journey")
    )
    return f"{leaves}, {rejoins}"
