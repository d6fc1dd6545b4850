"""The portfolio: one page over every journey of a build, in HTML (`index.html`) and Markdown.

A build of several journeys answers questions no single map can: which journeys hurt most,
where the same kind of pain point recurs, which channels carry which stages. `Portfolio` works
those answers out once from the journey views; `index.html.j2` and `index.md.j2` lay them out,
and a team's own copies of those templates receive the same object.

Like the renderers of single maps these functions do no I/O. They read a journey through its
`PortfolioRow`: the few facts the pages show of it, worked out from its view by `portfolio_row`
where the journey is rendered (a build's worker), plain and JSON-able so that the build keeps
it in its manifest and never reads an unchanged journey again for these pages. The build
passes, for each journey, the file names it wrote, so the index links to maps that exist: the
HTML index to the HTML map where there is one (with deep links into it), the Markdown index to
the Markdown map.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import quote

from markupsafe import Markup, escape
from pydantic import ConfigDict, Field

from jmap import __version__, stale, wording
from jmap.i18n import N_, _, decimal, ngettext
from jmap.i18n import date as date_words
from jmap.model import Category, Severity
from jmap.render.markdown_text import md, md_all, tidy
from jmap.view import MOODS, Everyone, JourneyView, Mood, TouchpointView, kpi_status
from jmap.wording import KPI_STATUS_WORDS, channel_names, kpi_target, mood_words, quantity

if TYPE_CHECKING:
    from jmap.render import RenderContext

HTML_TEMPLATE = "index.html.j2"
MD_TEMPLATE = "index.md.j2"

SEVERITIES = ("critical", "high", "medium", "low")  # worst first
# Which of a journey's files each index links to, best first.
HTML_PREFERENCE = ("html", "svg", "md")
MD_PREFERENCE = ("md", "html", "svg")
# The common kinds of pain point (DOMAIN.md, seed 000), in the order the format lists them.
CATEGORY_NAMES: dict[str, str] = {
    "complexity": N_("Complex processes"),
    "information": N_("Missing information"),
    "staff": N_("Unhelpful staff"),
    "wait-time": N_("Long waits"),
    "follow-up": N_("Poor follow-up"),
    "policy": N_("Rigid policies"),
    "personalization": N_("No personalisation"),
    "other": N_("Other"),
}
FORMAT_NAMES = {"html": N_("HTML map"), "svg": N_("SVG diagram"), "md": N_("Markdown")}
# A portfolio of hundreds of journeys has thousands of pain points and matrix cells shared by
# hundreds of journeys: listing them all made a page of a thousand journeys 14 MB that a
# browser struggles with and nobody reads. Past these, a list shows its first (worst) items
# and counts the rest, which each journey's own map still shows.
PAINS_SHOWN_PER_CATEGORY = 100
JOURNEYS_SHOWN_PER_CELL = 12


# A journey as the portfolio sees it ----------------------------------------------------------
# Plain values only (strings, numbers, lists, these dataclasses): a build stores each journey's
# row in its manifest, and the manifest checks a row it reads against these types, strictly
# (pydantic reads `__pydantic_config__`): a planted row must not reach the templates.
_STRICT = ConfigDict(strict=True, extra="forbid")


@dataclass(frozen=True)
class Place:
    """A touchpoint, as the index names it: where a pain point or a lowest moment is."""

    __pydantic_config__ = _STRICT

    id: str
    name: str
    stage: str  # the stage's name
    channel: str | None  # its channels' names ("Kiosk or Desk"); None where it names none


@dataclass(frozen=True)
class Average:
    """The mean emotion of one curve; `who` is None where one curve stands for everyone."""

    __pydantic_config__ = _STRICT

    who: str | None
    value: float

    @property
    def text(self) -> str:
        return decimal(self.value)


@dataclass(frozen=True)
class Low:
    """A lowest point of one curve: a moment that matters."""

    __pydantic_config__ = _STRICT

    who: str | None
    score: Annotated[int, Field(ge=1, le=5)]  # an emotion: a key of MOODS
    touchpoint: Place

    @property
    def mood(self) -> Mood:
        return MOODS[self.score]


@dataclass(frozen=True)
class Pain:
    """A pain point, with the texts of the opportunities that answer it."""

    __pydantic_config__ = _STRICT

    key: str  # unique in the journey: what its anchor in the HTML map is made of
    text: str
    severity: Severity
    category: Category
    answered_by: list[str]
    touchpoint: Place


@dataclass(frozen=True)
class StageName:
    __pydantic_config__ = _STRICT

    id: str
    name: str


@dataclass(frozen=True)
class ChannelName:
    __pydantic_config__ = _STRICT

    id: str
    name: str
    kind: Literal["digital", "physical", "human", "other"] | None


@dataclass(frozen=True)
class Tally:
    """How many of a journey's touchpoints are on one channel (None: none named) in one stage."""

    __pydantic_config__ = _STRICT

    channel: str | None
    stage: str
    count: int


@dataclass(frozen=True)
class KpiRow:
    """A KPI against its target, as the maps say it."""

    __pydantic_config__ = _STRICT

    name: str
    stage: str  # the name of the stage it belongs to, itself or through a touchpoint
    value: str | None  # with its unit: '31', '4.6 days'
    target: str | None  # 'target 45 ↑ higher is better' (jmap.wording.kpi_target)
    status: Literal["on track", "off track"] | None  # None where the map cannot tell
    newest: str | None  # YYYY-MM-DD of the newest row of its `source`, if it has one


@dataclass(frozen=True)
class Freshness:
    """The dates and facts that say whether a journey has gone stale (jmap.stale). Kept as
    dates, not as a verdict: the verdict depends on the day the pages are made."""

    __pydantic_config__ = _STRICT

    review_due: str | None  # YYYY-MM-DD: `reviewed` plus `review_every`
    review_every: str | None  # as written: '6 months'
    evidence: list[str]  # the date of each dated piece of evidence, YYYY-MM-DD
    abandoned: list[str]  # high or critical pain points answered only by dropped opportunities


@dataclass(frozen=True)
class PortfolioRow:
    """What the index pages show of one journey."""

    __pydantic_config__ = _STRICT

    id: str
    title: str
    state: Literal["current", "future"]
    owner: str | None
    tags: list[str]
    personas: list[str]  # their names
    stages: list[StageName]
    channels: list[ChannelName]
    touchpoints: int  # how many
    tallies: list[Tally]  # in the order the journey first puts a touchpoint in each cell
    averages: list[Average]  # one per curve with emotions
    lows: list[Low]  # the lowest points of each such curve
    pains: list[Pain]  # worst first, in journey order within a severity
    kpis: list[KpiRow]  # the stages' and then their touchpoints', in journey order
    freshness: Freshness


def portfolio_row(view: JourneyView) -> PortfolioRow:
    """The row of a journey, from its view."""
    journey = view.journey
    averages: list[Average] = []
    lows: list[Low] = []
    for curve in view.curves:
        if not curve.points:
            continue
        who = None if isinstance(curve.persona, Everyone) else curve.persona.name
        if curve.average is not None:
            averages.append(Average(who, curve.average))
        lows.extend(Low(who, point.mood.score, _place(point.touchpoint)) for point in curve.lowest)
    tallies: dict[tuple[str | None, str], int] = {}
    for tp in view.touchpoints:
        # A touchpoint on several channels ("kiosk or desk") is carried by each of them.
        ids: list[str | None] = [channel.id for channel in tp.channels]
        for channel_id in ids or [None]:
            cell = (channel_id, tp.stage.id)
            tallies[cell] = tallies.get(cell, 0) + 1
    return PortfolioRow(
        id=journey.id,
        title=journey.title,
        state=journey.state,
        owner=journey.owner,
        tags=list(journey.tags),
        personas=[persona.name for persona in view.personas],
        stages=[StageName(stage.id, stage.name) for stage in journey.stages],
        channels=[ChannelName(c.id, c.name, c.kind) for c in journey.channels],
        touchpoints=len(view.touchpoints),
        tallies=[Tally(channel, stage, count) for (channel, stage), count in tallies.items()],
        averages=averages,
        lows=lows,
        pains=[
            Pain(
                pain.key,
                pain.pain.text,
                pain.pain.severity,
                pain.pain.category,
                [opportunity.text for opportunity in pain.answered_by],
                _place(tp),
            )
            for pain, tp in view.pains
        ],
        kpis=[
            KpiRow(
                kpi.name,
                stage.name,
                None if kpi.value is None else quantity(kpi.value, kpi.unit),
                kpi_target(kpi),
                kpi_status(kpi),
                kpi.data.newest if kpi.data is not None and kpi.source is not None else None,
            )
            for stage in journey.stages
            for kpi in [*stage.kpis, *(k for tp in stage.touchpoints for k in tp.kpis)]
        ],
        freshness=_freshness(view),
    )


def _freshness(view: JourneyView) -> Freshness:
    journey = view.journey
    due = stale.review_due(journey.reviewed, journey.review_every)
    dates = [
        item.date.isoformat()
        for tp in journey.touchpoints()
        for item in [*tp.evidence, *(e for pain in tp.pain_points for e in pain.evidence)]
        if item.date is not None
    ]
    abandoned = [
        pain.pain.text
        for pain, _ in view.pains
        if pain.pain.severity in ("high", "critical")
        and pain.answered_by
        and all(opportunity.status == "dropped" for opportunity in pain.answered_by)
    ]
    return Freshness(
        due.isoformat() if due else None,
        journey.review_every.text if journey.review_every else None,
        sorted(dates),
        abandoned,
    )


def _place(tp: TouchpointView) -> Place:
    return Place(tp.id, tp.touchpoint.name, tp.stage.name, channel_names(tp) or None)


# The pages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioEntry:
    """One journey of the build and the files written for it: format name -> relative path."""

    row: PortfolioRow
    links: dict[str, str]


@dataclass(frozen=True)
class SeverityCount:
    severity: str
    count: int


@dataclass(frozen=True)
class JourneyRow:
    """A journey as the index shows it."""

    number: int  # 1-based, in build order
    entry: PortfolioEntry
    href: str | None  # the map this index links to; None when none of its maps was written
    deep: bool  # href is the HTML map, whose ids (tp-..., pain-..., moment-...) links can use
    others: list[tuple[str, str]]  # (what, href) of the journey's other maps
    severities: list[SeverityCount]  # every severity, worst first, zeros included
    stale: list[str] = field(default_factory=list)  # why it has gone stale, in words

    @property
    def kpis(self) -> list[KpiRow]:
        return self.entry.row.kpis

    @property
    def label(self) -> str:
        """A short name where the title would crowd the page, as in the channel matrix."""
        return f"J{self.number}"

    @property
    def journey(self) -> PortfolioRow:
        return self.entry.row

    @property
    def averages(self) -> list[Average]:
        return self.entry.row.averages

    @property
    def lows(self) -> list[Low]:
        return self.entry.row.lows

    @property
    def pain_total(self) -> int:
        return len(self.journey.pains)

    def link(self, anchor: str) -> str | None:
        """A link to a place in the journey's map, or to the map where it has no such places."""
        if self.href is None or not self.deep:
            return self.href
        return f"{self.href}#{quote(anchor, safe='')}"


@dataclass(frozen=True)
class PainRow:
    journey: JourneyRow
    pain: Pain

    @property
    def touchpoint(self) -> Place:
        return self.pain.touchpoint

    @property
    def severity(self) -> str:
        return self.pain.severity


@dataclass(frozen=True)
class PainGroup:
    """The pain points of one category across every journey, worst first."""

    category: str
    pains: list[PainRow]

    @property
    def name(self) -> str:
        return _(CATEGORY_NAMES[self.category])

    @property
    def severities(self) -> list[SeverityCount]:
        return _severity_counts(row.severity for row in self.pains)

    @property
    def shown(self) -> list[PainRow]:
        """The worst PAINS_SHOWN_PER_CATEGORY: what the index lists."""
        return self.pains[:PAINS_SHOWN_PER_CATEGORY]

    @property
    def more(self) -> list[SeverityCount]:
        """The pain points not listed, by severity (zeros included); all zeros when none."""
        return _severity_counts(row.severity for row in self.pains[PAINS_SHOWN_PER_CATEGORY:])

    @property
    def more_total(self) -> int:
        return max(0, len(self.pains) - PAINS_SHOWN_PER_CATEGORY)


@dataclass(frozen=True)
class StageColumn:
    id: str
    names: list[str]  # every name the journeys give this stage id, first-seen first

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(frozen=True)
class Cell:
    """The touchpoints on one channel in one stage, counted per journey."""

    journeys: list[tuple[JourneyRow, int]]

    @property
    def count(self) -> int:
        return sum(count for _, count in self.journeys)

    @property
    def shown(self) -> list[tuple[JourneyRow, int]]:
        """The first JOURNEYS_SHOWN_PER_CELL journeys, in build order: what the cell names."""
        return self.journeys[:JOURNEYS_SHOWN_PER_CELL]

    @property
    def more(self) -> int:
        """How many journeys the cell counts but does not name."""
        return max(0, len(self.journeys) - JOURNEYS_SHOWN_PER_CELL)


@dataclass(frozen=True)
class ChannelRow:
    id: str | None  # None: the touchpoints that name no channel
    # Every name the journeys give this channel id, first-seen first: one id may stand for
    # different media in different journeys (`social`: Instagram here, X there).
    names: list[str]
    kind: str | None  # from the first journey that gives one
    cells: list[Cell]  # one per stage column

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)


@dataclass(frozen=True)
class Matrix:
    """Channels by stage: how many touchpoints of which journeys each channel carries."""

    stages: list[StageColumn]
    channels: list[ChannelRow]

    @property
    def stage_totals(self) -> list[int]:
        return [sum(row.cells[i].count for row in self.channels) for i in range(len(self.stages))]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.channels)


@dataclass(frozen=True)
class Portfolio:
    """Everything an index template shows.

    A future-state journey is a design, not today's experience: its pain points are counted
    apart (`future_*`) and never in the totals of the current state.
    """

    journeys: list[JourneyRow]
    pain_groups: list[PainGroup]  # of the current-state journeys
    matrix: Matrix
    future_pain_groups: list[PainGroup] = field(default_factory=list)
    title: str | None = None  # the project's `title`; the pages say what they are without it
    version: str = __version__
    moods: list[Mood] = field(default_factory=lambda: [MOODS[s] for s in range(5, 0, -1)])
    severity_names: tuple[str, ...] = SEVERITIES
    kpi_status_words: dict[str, str] = field(default_factory=lambda: dict(KPI_STATUS_WORDS))
    pains_shown: int = PAINS_SHOWN_PER_CATEGORY  # per category, for the page to say so

    @property
    def touchpoint_total(self) -> int:
        return sum(row.journey.touchpoints for row in self.journeys)

    @property
    def current(self) -> list[JourneyRow]:
        return [row for row in self.journeys if row.journey.state == "current"]

    @property
    def future(self) -> list[JourneyRow]:
        return [row for row in self.journeys if row.journey.state == "future"]

    @property
    def pain_total(self) -> int:
        """The pain points of the current-state journeys."""
        return sum(row.pain_total for row in self.current)

    @property
    def severities(self) -> list[SeverityCount]:
        return _severity_counts(pain.severity for row in self.current for pain in row.journey.pains)

    @property
    def future_pain_total(self) -> int:
        """The pain points of the future-state journeys: counted apart."""
        return sum(row.pain_total for row in self.future)

    @property
    def future_severities(self) -> list[SeverityCount]:
        return _severity_counts(pain.severity for row in self.future for pain in row.journey.pains)

    @property
    def states(self) -> list[tuple[str, int]]:
        """How many journeys map today ('current') and how many a design ('future')."""
        found = [row.journey.state for row in self.journeys]
        return [(state, found.count(state)) for state in ("current", "future") if state in found]

    @property
    def stale(self) -> list[JourneyRow]:
        """The journeys that have gone stale: listed first."""
        return [row for row in self.journeys if row.stale]

    @property
    def answered_total(self) -> int:
        return sum(1 for group in self.pain_groups for row in group.pains if row.pain.answered_by)


def render_index_html(
    entries: Sequence[PortfolioEntry],
    context: RenderContext,
    title: str | None = None,
    check: stale.Check | None = None,
) -> str:
    template = context.templates.get_template(HTML_TEMPLATE)
    return template.render(
        portfolio=build_portfolio(entries, HTML_PREFERENCE, deep=True, title=title, check=check),
        linked=linked,
        severity=severity_chip,
        wording=wording,
        mood_chip=mood_chip,
    )


def linked(href: str | None, text: str, css: str = "") -> Markup:
    """`text` as a link to `href`, or as plain text where there is nothing to link to."""
    if not href:
        return escape(text)
    css_attribute = f' class="{escape(css)}"' if css else ""
    return Markup(f'<a href="{escape(href)}"{css_attribute}>{escape(text)}</a>')


def severity_chip(severity: str) -> Markup:
    return Markup(
        f'<span class="sev sev-{escape(severity)}">'
        f"{escape(_(wording.SEVERITY_WORDS[severity]).capitalize())}</span>"
    )


def mood_chip(mood: Mood) -> Markup:
    score, symbol, label = mood.score, escape(mood.symbol), escape(mood.label)
    return Markup(
        f'<span class="mood mood-{score}"><span class="mood-symbol" aria-hidden="true">{symbol}'
        f"</span> <b>{score}</b> {label}</span>"
    )


def render_index_md(
    entries: Sequence[PortfolioEntry],
    context: RenderContext,
    title: str | None = None,
    check: stale.Check | None = None,
) -> str:
    template = context.templates.get_template(MD_TEMPLATE)
    text = template.render(
        portfolio=build_portfolio(entries, MD_PREFERENCE, deep=False, title=title, check=check),
        md=md,
        md_all=md_all,
        mood=mood_words,
        wording=wording,
    )
    return tidy(text)


def build_portfolio(
    entries: Sequence[PortfolioEntry],
    preference: Sequence[str],
    *,
    deep: bool,
    title: str | None = None,
    check: stale.Check | None = None,
) -> Portfolio:
    """The portfolio of `entries`, linking to the first format of `preference` each has.

    `deep`: where that is the HTML map, link to the touchpoint and pain point in it. With
    `check`, the journeys that have gone stale come first (in build order), with the reasons.
    """
    reasons = [stale_reasons(entry.row, check) if check else [] for entry in entries]
    # Stale journeys first; numbered in the order listed, so J1 is the first a reader sees.
    order = sorted(range(len(entries)), key=lambda n: not reasons[n])
    rows = [
        _journey_row(number, entries[n], preference, deep, reasons[n])
        for number, n in enumerate(order, 1)
    ]
    current = [row for row in rows if row.journey.state == "current"]
    future = [row for row in rows if row.journey.state == "future"]
    return Portfolio(rows, _pain_groups(current), _matrix(rows), _pain_groups(future), title)


def stale_reasons(row: PortfolioRow, check: stale.Check) -> list[str]:
    """Why a journey has gone stale, in words: what the stale rules that the project runs
    (JM012 to JM016; JM017 reads git history, which a page does not) would report of it."""
    reasons = []
    facts, today = row.freshness, check.today
    if "JM013" in check.rules and facts.review_due and _day(facts.review_due) < today:
        reasons.append(
            _("past its review date, {date} (every {span})").format(
                date=date_words(_day(facts.review_due)), span=facts.review_every
            )
        )
    if "JM012" in check.rules:
        old = [d for d in facts.evidence if stale.is_older(_day(d), check.evidence_age, today)]
        if old:
            age = stale.span_words(check.evidence_age)
            reasons.append(
                ngettext(
                    "{n} piece of evidence older than {age} (the oldest from {date})",
                    "{n} pieces of evidence older than {age} (the oldest from {date})",
                    len(old),
                ).format(n=len(old), age=age, date=date_words(_day(old[0])))
            )
    for kpi in row.kpis:
        if "JM014" in check.rules and kpi.status == "off track":
            reasons.append(_("KPI '{name}' is off track").format(name=kpi.name))
        if (
            "JM015" in check.rules
            and kpi.newest
            and stale.is_older(_day(kpi.newest), check.data_age, today)
        ):
            reasons.append(
                _("no data for KPI '{name}' since {date}").format(
                    name=kpi.name, date=date_words(_day(kpi.newest))
                )
            )
    if "JM016" in check.rules:
        dropped = _("every opportunity for '{text}' was dropped")
        reasons += [dropped.format(text=text) for text in facts.abandoned]
    return reasons


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _journey_row(
    number: int,
    entry: PortfolioEntry,
    preference: Sequence[str],
    deep: bool,
    stale_reasons: list[str],
) -> JourneyRow:
    chosen = next((name for name in preference if name in entry.links), None)
    href = _href(entry.links[chosen]) if chosen else None
    others = [
        (_(FORMAT_NAMES[name]), _href(entry.links[name]))
        for name in preference
        if name != chosen and name in entry.links
    ]
    return JourneyRow(
        number=number,
        entry=entry,
        href=href,
        deep=deep and chosen == "html",
        others=others,
        severities=_severity_counts(pain.severity for pain in entry.row.pains),
        stale=stale_reasons,
    )


def _pain_groups(rows: list[JourneyRow]) -> list[PainGroup]:
    """Every pain point by category (in the format's order), worst first, then build order."""
    found: dict[str, list[PainRow]] = {}
    for row in rows:
        # A row's pains are worst first and in journey order within a severity already.
        for pain in row.journey.pains:
            found.setdefault(pain.category, []).append(PainRow(row, pain))
    groups = []
    for category in CATEGORY_NAMES:
        if category in found:
            ranked = sorted(found[category], key=lambda p: SEVERITIES.index(p.severity))
            groups.append(PainGroup(category, ranked))
    return groups


def _matrix(rows: list[JourneyRow]) -> Matrix:
    """Channels merged by id, stages by id, each in the order the journeys first name them.

    Journeys may follow different stage models (AIDA, or awareness to advocacy); a stage id
    the models share (`awareness`) is one column, the others follow in first-seen order.
    """
    stages: dict[str, list[str]] = {}
    channels: dict[str | None, list[str]] = {}
    kinds: dict[str | None, str] = {}
    counts: dict[tuple[str | None, str], dict[int, int]] = {}
    for row in rows:
        journey = row.journey
        for stage in journey.stages:
            _add_name(stages.setdefault(stage.id, []), stage.name)
        for channel in journey.channels:
            _add_name(channels.setdefault(channel.id, []), channel.name)
            if channel.kind:
                kinds.setdefault(channel.id, channel.kind)
        for counted in journey.tallies:
            per_journey = counts.setdefault((counted.channel, counted.stage), {})
            per_journey[row.number] = per_journey.get(row.number, 0) + counted.count
    if any(channel_id is None for channel_id, _ in counts):
        channels[None] = [_("No channel given")]
    by_number = {row.number: row for row in rows}
    channel_rows = []
    for channel_id, names in channels.items():
        cells = []
        for stage_id in stages:
            tally = counts.get((channel_id, stage_id), {})
            cells.append(Cell([(by_number[n], c) for n, c in sorted(tally.items())]))
        channel_rows.append(ChannelRow(channel_id, names, kinds.get(channel_id), cells))
    return Matrix([StageColumn(i, names) for i, names in stages.items()], channel_rows)


def _add_name(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)


def _severity_counts(severities: Iterable[str]) -> list[SeverityCount]:
    found = list(severities)
    return [SeverityCount(s, found.count(s)) for s in SEVERITIES]


def _href(path: str) -> str:
    """A written file's relative path as a URL. Percent-encoding spaces, `#`, `?`, `(` and `)`
    keeps it one link in HTML and a whole link destination in Markdown."""
    return quote(path, safe="/")
