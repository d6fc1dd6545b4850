"""The HTML map: one self-contained page that works opened from disk, offline.

Python works out what the page needs (the grid's columns, which lanes have anything in them,
which pain points each opportunity answers, the emotion curve as SVG) and `map.html.j2` lays it
out. A team's own `map.html.j2` receives the same `page`, so it can restyle the map without
repeating this logic.

Nothing in the page loads from anywhere: styles are inline, there is no script, the SVG map is
a data: image, and a Content-Security-Policy says so to the browser as well. Links a journey
author wrote (`link:` of evidence and opportunities) stay links a reader may follow; only
web and mail addresses and relative paths are linked (`safe_href`), so `javascript:` cannot run
on a click.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

from jmap import __version__, wording
from jmap.i18n import DEFAULT, _, current
from jmap.model import Journey, Kpi, Opportunity, Persona
from jmap.render import curve, sparkline
from jmap.view import (
    MOODS,
    Curve,
    Everyone,
    JourneyView,
    Mood,
    PainView,
    RankedOpportunity,
    StageView,
    TouchpointView,
    kpi_status,
)
from jmap.wording import kpi_measure

if TYPE_CHECKING:
    from jmap.render import RenderContext

TEMPLATE = "map.html.j2"

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# The WHATWG URL parser, which every browser follows, first strips C0 controls and spaces from
# both ends (U+0000 to U+0020 only: not U+00A0 or other Unicode spaces) and removes every tab
# and line break, wherever it is: "java\tscript:" is "javascript:".
_C0_CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
# Then a scheme is an ASCII letter, then letters, digits, `+`, `-` or `.`, up to a `:`; a URL
# that does not start so has no scheme and is relative to the page.
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_href(url: str | None) -> str | None:
    """The URL to write into an href, if following it can only navigate, else None.

    Only web and mail addresses (`http`, `https`, `mailto`) and relative paths are links. The
    scheme is read exactly as a browser reads it, and the URL returned is the one the browser
    would parse (ends stripped, tabs and line breaks removed), so what was checked is what a
    click follows. Every output that writes a link from a journey uses this.
    """
    if url is None:
        return None
    parsed = _TAB_OR_NEWLINE.sub("", url.strip(_C0_CONTROL_OR_SPACE))
    if not parsed:
        return None
    scheme = _SCHEME.match(parsed)
    if scheme and scheme.group(1).lower() not in _SAFE_SCHEMES:
        return None
    return parsed


@dataclass(frozen=True)
class Column:
    """One column of the grid: a touchpoint, or the place of a stage that has none yet."""

    stage_number: int  # 1-based, for the stage colour band
    touchpoint: TouchpointView | None
    starts_stage: bool


@dataclass(frozen=True)
class StageBlock:
    view: StageView
    number: int  # 1-based
    span: int  # grid columns under the stage: at least one

    @property
    def band(self) -> int:
        """Which of the six stage colours the stage wears."""
        return (self.number - 1) % 6 + 1


@dataclass(frozen=True)
class OpportunityView:
    opportunity: Opportunity
    touchpoint: TouchpointView
    anchor: str
    answers: tuple[tuple[PainView, TouchpointView], ...]  # worst first
    href: str | None


@dataclass(frozen=True)
class Lanes:
    """Which lanes of the grid have anything to show; an empty lane is left out."""

    actions: bool
    thoughts: bool
    emotion: bool
    pains: bool
    opportunities: bool
    backstage: bool
    stage_kpis: bool
    kpis: bool
    evidence: bool
    # A service blueprint's (JourneyView.is_blueprint): its lines, and the lanes that have items.
    blueprint: bool = False
    physical_evidence: bool = False
    frontstage: bool = False
    support: bool = False


@dataclass
class Page:
    """Everything `map.html.j2` shows, worked out from the journey view."""

    view: JourneyView
    columns: list[Column]
    stages: list[StageBlock]
    lanes: Lanes
    grid_curve: Markup
    chart: Markup
    # The flow graph (a journey with routes) or else the SVG map, as a data: URL; None leaves
    # the Diagram section out.
    diagram: str | None
    opportunity_views: dict[int, OpportunityView]  # by the id() of the Opportunity
    diagram_is_flow: bool = False
    # The parts `html/work.css` styles that this page shows; the page carries those rules only
    # where it shows them, so a map without them is the same page it was.
    features: set[str] = field(default_factory=set)
    version: str = __version__
    moods: list[Mood] = field(default_factory=lambda: [MOODS[s] for s in range(5, 0, -1)])

    @property
    def journey(self) -> Journey:
        return self.view.journey

    @property
    def moments(self) -> list[TouchpointView]:
        """The touchpoints where some curve is lowest: the moments that matter, in order."""
        return self.view.moments

    @property
    def top_moments(self) -> list[tuple[TouchpointView, list[tuple[Mood, list[Curve]]]]]:
        """The moments the top of the page shows, each with its lows grouped by mood."""
        shown = []
        for tp in self.view.top_moments:
            moods: dict[int, tuple[Mood, list[Curve]]] = {}
            for c, mood in self.lows(tp):
                moods.setdefault(mood.score, (mood, []))[1].append(c)
            shown.append((tp, [moods[score] for score in sorted(moods)]))
        return shown

    @property
    def top_opportunities(self) -> list[tuple[RankedOpportunity, OpportunityView]]:
        """The top opportunities of the view, each with its place in this page."""
        return [(r, self.opportunity_views[id(r.opportunity)]) for r in self.view.top_opportunities]

    @property
    def summaries(self) -> list[tuple[curve.Summary, Markup]]:
        """The chart's summary table: one row per curve, with its legend sample."""
        return [(s, curve.swatch(s.index)) for s in curve.summaries(self.view)]

    @property
    def branch_swatch(self) -> Markup:
        """The legend sample of a branch's dashed line."""
        return curve.branch_swatch()

    @property
    def chart_width(self) -> str:
        """The chart's natural width in CSS pixels: the page stretches it wider, never narrower."""
        return curve.fmt(curve.chart_size(self.view)[0])

    @property
    def curves(self) -> list[tuple[Curve, Markup]]:
        return [(c, curve.swatch(i)) for i, c in enumerate(self.view.curves)]

    @property
    def severity_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for pain, _where in self.view.pains:
            counts[pain.pain.severity] = counts.get(pain.pain.severity, 0) + 1
        return [(s, counts[s]) for s in ("critical", "high", "medium", "low") if s in counts]

    @property
    def chart_description(self) -> str:
        return curve.chart_description(self.view)

    def priority_words(self, priority: str) -> str:
        """'High priority', in the reader's language."""
        words = _(wording.PRIORITY_WORDS[priority])
        return words[:1].upper() + words[1:]

    def status_words(self, status: str) -> str:
        """An opportunity's status on its chip: as written ('in progress') in English, the
        language's own word elsewhere (a German noun keeps its capital)."""
        return status if current().code == DEFAULT else _(wording.STATUS_WORDS[status])

    def touchpoint(self, touchpoint_id: str) -> TouchpointView:
        return next(tp for tp in self.view.touchpoints if tp.id == touchpoint_id)

    def lows(self, tp: TouchpointView) -> list[tuple[Curve, Mood]]:
        """The curves that are lowest at a touchpoint, with their mood there."""
        return [
            (c, point.mood)
            for c in self.view.curves
            for point in c.lowest
            if point.touchpoint is tp
        ]

    def opportunities(self, tp: TouchpointView) -> list[OpportunityView]:
        return [self.opportunity_views[id(o)] for o in tp.touchpoint.opportunities]

    def answering(self, pain: PainView) -> list[OpportunityView]:
        return [self.opportunity_views[id(o)] for o in pain.answered_by]

    def audience(self, tp: TouchpointView) -> list[Persona]:
        """The personas of a touchpoint that only some of the journey's personas meet."""
        if len(tp.personas) == len(self.view.personas):
            return []
        return tp.personas

    def swatch(self, persona: Persona | Everyone) -> Markup:
        """The legend sample of a persona's curve; nothing when one curve stands for everyone."""
        for index, c in enumerate(self.view.curves):
            if c.persona == persona and len(self.view.curves) > 1:
                return curve.swatch(index)
        return Markup("")

    def score(self, c: Curve, tp: TouchpointView) -> Mood | None:
        for point in c.points:
            if point.touchpoint.id == tp.id:
                return point.mood
        return None

    def is_lowest(self, c: Curve, tp: TouchpointView) -> bool:
        return any(point.touchpoint.id == tp.id for point in c.lowest)

    def owner_name(self, persona_id: str) -> str:
        """Whose a thought, an action or a pain point is (wording.owner_name)."""
        return wording.owner_name(self.view.personas, persona_id)

    def owner_swatch(self, persona_id: str) -> Markup:
        """The legend sample of the curve of the persona an item belongs to, beside its name;
        nothing where one curve stands for everyone."""
        persona = next((p for p in self.view.personas if p.id == persona_id), None)
        return self.swatch(persona) if persona else Markup("")

    def feeling_owner(self, persona: Persona | Everyone) -> str:
        """Whose feeling a grid cell shows: empty where there is only one curve to tell apart,
        and for everyone's feeling, which the cards of the SVG map leave unnamed too."""
        if len(self.view.curves) < 2 or isinstance(persona, Everyone):
            return ""
        return persona.name

    @staticmethod
    def href(url: str | None) -> str | None:
        return safe_href(url)

    @staticmethod
    def measure(kpi: Kpi) -> str:
        return kpi_measure(kpi)

    @staticmethod
    def trend(kpi: Kpi) -> tuple[str, str] | None:
        """The points of a KPI's trend line and what it shows in words, when from data."""
        if kpi.data is None:
            return None
        return sparkline.points(kpi.data.series), sparkline.summary(kpi.data.series)

    @staticmethod
    def kpi_status(kpi: Kpi) -> str | None:
        return kpi_status(kpi)

    @staticmethod
    def mood(score: int) -> Mood:
        return MOODS[score]


def render(view: JourneyView, context: RenderContext) -> str:
    template = context.templates.get_template(TEMPLATE)
    page = build_page(view, _diagram(view, context), diagram_is_flow=view.has_routes)
    return template.render(page=page, wording=wording)


def _diagram(view: JourneyView, context: RenderContext) -> str:
    """The flow graph of a journey with routes (where its branches and loops read best), else
    the SVG map, as a data: URL. An <img> shows it and runs nothing in it, whatever text it
    carries; a build that also writes the SVG file draws the journey only once."""
    svg = context.render("flow" if view.has_routes else "svg", view)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def build_page(
    view: JourneyView, diagram: str | None = None, *, diagram_is_flow: bool = False
) -> Page:
    columns: list[Column] = []
    stages: list[StageBlock] = []
    for number, stage in enumerate(view.stages, start=1):
        stages.append(StageBlock(stage, number, max(1, len(stage.touchpoints))))
        slots: Sequence[TouchpointView | None] = stage.touchpoints or [None]
        for index, tp in enumerate(slots):
            columns.append(Column(number, tp, index == 0))
    touchpoints = view.touchpoints
    return Page(
        view=view,
        columns=columns,
        stages=stages,
        lanes=Lanes(
            actions=any(tp.touchpoint.actions for tp in touchpoints),
            thoughts=any(tp.touchpoint.thoughts for tp in touchpoints),
            emotion=view.has_emotions,
            pains=any(tp.pains for tp in touchpoints),
            opportunities=any(tp.touchpoint.opportunities for tp in touchpoints),
            backstage=view.has_backstage,
            stage_kpis=any(stage.stage.kpis for stage in view.stages),
            kpis=any(tp.touchpoint.kpis for tp in touchpoints),
            evidence=any(tp.touchpoint.evidence for tp in touchpoints),
            blueprint=view.is_blueprint,
            physical_evidence=any(tp.touchpoint.physical_evidence for tp in touchpoints),
            frontstage=any(tp.touchpoint.frontstage for tp in touchpoints),
            support=any(tp.touchpoint.support_processes for tp in touchpoints),
        ),
        grid_curve=curve.grid_curve(view),
        chart=curve.chart(view, "emotion-chart-title", "emotion-chart-desc"),
        diagram=diagram,
        diagram_is_flow=diagram_is_flow,
        opportunity_views=_opportunity_views(view),
        features=_features(view),
    )


def _features(view: JourneyView) -> set[str]:
    """Which parts of `html/work.css` the page needs (see `Page.features`)."""
    touchpoints = [tp.touchpoint for tp in view.touchpoints]
    kpis = [k for s in view.stages for k in s.stage.kpis] + [k for t in touchpoints for k in t.kpis]
    evidence = [e for t in touchpoints for e in t.evidence]
    evidence += [e for t in touchpoints for p in t.pain_points for e in p.evidence]
    staff = [b for t in touchpoints for b in (*t.frontstage, *t.backstage)]
    found = set()
    if view.is_blueprint:
        found.add("blueprint")
    if any(o.status or o.impact or o.effort for t in touchpoints for o in t.opportunities):
        found.add("status")
    if any(kpi_status(k) for k in kpis):
        found.add("kpi-status")
    if any(e.quote or e.date or e.n is not None or e.confidence for e in evidence):
        found.add("evidence")
    if any(b.emotion is not None or b.pain_points for b in staff):
        found.add("staff")
    return found


def _opportunity_views(view: JourneyView) -> dict[int, OpportunityView]:
    """Each opportunity (by object identity: two may read the same) with the pains it answers."""
    answers: dict[int, list[tuple[PainView, TouchpointView]]] = {}
    for pain, tp in view.pains:
        for opportunity in pain.answered_by:
            answers.setdefault(id(opportunity), []).append((pain, tp))
    found: dict[int, OpportunityView] = {}
    for tp in view.touchpoints:
        for number, opportunity in enumerate(tp.touchpoint.opportunities, start=1):
            # "_" cannot occur in an id, so a made-up anchor never meets a written one.
            anchor = f"opp-{opportunity.id}" if opportunity.id else f"opp_{tp.id}_{number}"
            found[id(opportunity)] = OpportunityView(
                opportunity,
                tp,
                anchor,
                tuple(answers.get(id(opportunity), [])),
                safe_href(opportunity.link),
            )
    return found
