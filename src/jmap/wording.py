"""How jmap puts things into words, written once for every output and message that says them.

A count and its noun ("3 journeys"), a KPI's value and target, an emotion in symbol, score and
words, a touchpoint's channel, and the message for two journeys that would write the same
maps. The SVG map, the HTML and Markdown maps, the portfolio pages, `jmap diff`, the console
and `jmap serve` all say these the same way because they all ask here. What an emotion score
is called and its symbol are the moods of `jmap.view.MOODS`; their colours are in
`jmap.palette`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path as FilePath

    from jmap.model import Evidence, Kpi, Opportunity
    from jmap.view import JourneyView, Mood, Path, RankedOpportunity, TouchpointView


def plural(count: int, word: str) -> str:
    """'1 journey', '3 journeys': for the nouns jmap counts, which all take an s."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def quantity(value: object, unit: str | None) -> str:
    """A value with its unit: '12%' (a percentage sign is written on the number), '4.5 min'."""
    if not unit:
        return str(value)
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}"


# A KPI's `direction`, said after its target: an arrow and words, never the arrow alone.
DIRECTION_WORDS = {"higher": "↑ higher is better", "lower": "↓ lower is better"}


def kpi_target(kpi: Kpi) -> str | None:
    """'target 15% ↑ higher is better', 'target 15%', '↓ lower is better', or None."""
    parts = []
    if kpi.target is not None:
        parts.append(f"target {quantity(kpi.target, kpi.unit)}")
    if kpi.direction is not None:
        parts.append(DIRECTION_WORDS[kpi.direction])
    return " ".join(parts) or None


# Whether a KPI meets its target (jmap.view.kpi_status): a sign and words, never colour alone;
# a no-break space keeps the sign on the line of its words.
KPI_STATUS_WORDS = {"on track": "●\u00a0on track", "off track": "×\u00a0off track"}


def kpi_status_words(kpi: Kpi) -> str | None:
    """KPI_STATUS_WORDS of the KPI's status, or None where the map cannot tell."""
    # Here, not at the top: the console says counts through this module without the model.
    from jmap.view import kpi_status

    status = kpi_status(kpi)
    return None if status is None else KPI_STATUS_WORDS[status]


def kpi_words(kpi: Kpi) -> str:
    """'Conversion: 12% (target 15%)', or as much of it as is known: the map's cards."""
    parts = []
    if kpi.value is not None:
        parts.append(quantity(kpi.value, kpi.unit))
    target = kpi_target(kpi)
    if target is not None:
        parts.append(f"({target})" if parts else target)
    status = kpi_status_words(kpi)
    if status is not None:
        parts.append(f"· {status}")
    return f"{kpi.name}: {' '.join(parts)}" if parts else kpi.name


def kpi_measure(kpi: Kpi) -> str:
    """A KPI's value and target without its name: '1.1 min / target 1.5 min', '41%',
    'target 12%'; empty when neither is known. Where the name is shown beside it."""
    value = None if kpi.value is None else quantity(kpi.value, kpi.unit)
    return " / ".join(part for part in (value, kpi_target(kpi)) if part)


def work_words(opportunity: Opportunity) -> list[str]:
    """An opportunity as work: 'In progress', 'high impact', 'low effort', as far as known."""
    words = [opportunity.status.capitalize()] if opportunity.status else []
    if opportunity.impact:
        words.append(f"{opportunity.impact} impact")
    if opportunity.effort:
        words.append(f"{opportunity.effort} effort")
    return words


def evidence_facts(evidence: Evidence) -> str:
    """What a piece of evidence rests on, besides its kind: '2025-03-31 · n = 412 · observed'."""
    facts = []
    if evidence.date:
        facts.append(evidence.date.isoformat())
    if evidence.n is not None:
        facts.append(f"n = {evidence.n}")
    if evidence.confidence:
        facts.append(evidence.confidence)
    return " · ".join(facts)


STAFF_FEELING = "Staff feel"  # before an employee's emotion: "Staff feel ▼ 2 negative"
# The lines of a service blueprint, top to bottom (docs/output.md).
LINE_OF_INTERACTION = "Line of interaction"
LINE_OF_VISIBILITY = "Line of visibility"
LINE_OF_INTERNAL_INTERACTION = "Line of internal interaction"
VISIBILITY_NOTE = "Above: what the customer sees. Below: what happens behind the scenes."
INTERACTION_NOTE = "Above: the customer. Below: the people and systems they deal with."
INTERNAL_INTERACTION_NOTE = "Below: the processes and systems that support the work."


def mood_words(mood: Mood) -> str:
    """'▼ 2 negative': an emotion by symbol, score and words, so it never depends on colour."""
    return f"{mood.symbol} {mood.score} {mood.label}"


def channel_words(touchpoint: TouchpointView) -> str:
    channel = touchpoint.channel
    if channel is None:
        return "no channel"
    return f"{channel.name} · {channel.kind}" if channel.kind else channel.name


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
MOMENTS_HEADING = "Moments that matter"
MOMENT_FLAG = "Moment that matters"  # beside a touchpoint that is one
MOMENTS_NOTE = "The lowest points of each emotion curve: where a fix matters most."
TOP_OPPORTUNITIES_HEADING = "Top opportunities"
# The rule itself is jmap.view._rank; docs/output.md says it in full.
TOP_OPPORTUNITIES_NOTE = (
    "Ranked by priority, then the severity of the pain points they answer, then how many"
    " personas those pain points touch."
)


def moment_words(view: JourneyView, touchpoint: TouchpointView) -> str:
    """A moment that matters in plain text (the SVG map, the PDF): '▼▼ 1 very negative at
    7. Call drops (Resolution), for Ann; Bo', naming whose low it is where curves differ."""
    lows: dict[int, tuple[Mood, list[str]]] = {}
    for curve in view.curves:
        for point in curve.lowest:
            if point.touchpoint is touchpoint:
                lows.setdefault(point.mood.score, (point.mood, []))[1].append(curve.persona.name)
    where = f"{touchpoint.index + 1}. {touchpoint.touchpoint.name} ({touchpoint.stage.name})"
    parts = []
    for score in sorted(lows):
        mood, names = lows[score]
        whose = f", for {'; '.join(names)}" if len(view.curves) > 1 else ""
        parts.append(f"{mood_words(mood)}{whose}")
    return f"{where}: {' · '.join(parts)}"


def top_opportunity_words(ranked: RankedOpportunity) -> str:
    """One of the top opportunities in plain text: what, its priority, where, and the worst
    pain point it answers."""
    opportunity, where = ranked.opportunity, ranked.touchpoint
    priority = f" ({opportunity.priority} priority)" if opportunity.priority else ""
    text = f"{opportunity.text}{priority} at {where.index + 1}. {where.touchpoint.name}"
    worst = ranked.worst
    if worst is None:
        return text
    pain, at = worst
    there = f" (at {at.touchpoint.name})" if at is not where else ""
    return f"{text}; answers {pain.pain.severity}: {pain.pain.text}{there}"


def path_name(path: Path) -> str:
    """How maps name a path: 'main path', its route's `when`, or 'via <first touchpoint>'."""
    if path.is_main:
        return "main path"
    if path.route is not None and path.route.when:
        return path.route.when
    return f"via {path.touchpoints[0].touchpoint.name}"
