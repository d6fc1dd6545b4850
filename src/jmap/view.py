"""What every map shows, worked out once from a journey: the renderers only lay it out.

A renderer should not have to know that a shared emotion applies to every persona of a
touchpoint, which opportunity answers which pain point, or where the emotion curve is lowest.
`journey_view` answers those questions in one place so the SVG, HTML and Markdown maps agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal, final

from jmap.i18n import N_, _
from jmap.model import (
    SEVERITY_RANK,
    Channel,
    Journey,
    Kpi,
    Opportunity,
    PainPoint,
    Persona,
    Route,
    Stage,
    Touchpoint,
)
from jmap.palette import EMOTIONS
from jmap.paths import branches, successors


@dataclass(frozen=True)
class Mood:
    """How an emotion score is shown: never by colour alone, always with a symbol and words."""

    score: int
    words: str  # in English; `label` says them in the reader's language
    symbol: str
    colour: str  # fill, from jmap.palette.EMOTIONS
    ink: str  # text colour on that fill

    @property
    def label(self) -> str:
        """'very negative', in the language of the render (jmap.i18n)."""
        return _(self.words)


MOODS: dict[int, Mood] = {
    score: Mood(score, label, symbol, EMOTIONS[score].fill, EMOTIONS[score].ink)
    for score, label, symbol in (
        (1, N_("very negative"), "▼▼"),
        (2, N_("negative"), "▼"),
        (3, N_("neutral"), "●"),
        (4, N_("positive"), "▲"),
        (5, N_("very positive"), "▲▲"),
    )
}


@final
class Everyone:
    """Every persona at once: whose feeling a shared emotion is, whose curve the one curve is.

    Not a Persona, and without an id, so that no persona can be taken for it: a journey may
    have a persona of its own called Everyone, with the id `everyone`. Tell it apart with
    `isinstance(x, Everyone)` (or `x is EVERYONE`: it pickles as a reference to EVERYONE, so a
    view from a build's worker process holds this same object)."""

    __slots__ = ()

    @property
    def name(self) -> str:
        """How a map names it, where it names it at all, in the reader's language."""
        return _("Everyone")

    def __reduce__(self) -> str:
        return "EVERYONE"

    def __repr__(self) -> str:
        return "EVERYONE"


# In a journey without personas, or where all personas feel the same.
EVERYONE: Final = Everyone()


def persona_key(persona: Persona | Everyone) -> str | None:
    """A persona's id; None for everyone, which is no persona's id."""
    return None if isinstance(persona, Everyone) else persona.id


@dataclass(frozen=True)
class Feeling:
    persona: Persona | Everyone
    mood: Mood


@dataclass(frozen=True)
class PainView:
    pain: PainPoint
    key: str  # unique in the journey: the pain point's id, or "<touchpoint id>.pain-<n>"
    answered_by: tuple[Opportunity, ...]


@dataclass
class TouchpointView:
    touchpoint: Touchpoint
    stage: Stage
    index: int  # position in the whole journey, from 0
    channel: Channel | None  # the first of `channels`: where one channel is enough to say
    personas: list[Persona]
    # One feeling per persona where they differ; a single one (for EVERYONE or the only
    # persona) where everybody feels the same. Empty when no emotion is recorded.
    feelings: list[Feeling]
    pains: list[PainView]  # worst first
    next: list[str]  # the touchpoint ids its routes lead to, in the order written
    is_default_next: bool  # `next` was not written: the flow simply continues
    routes: list[Route] = field(default_factory=list)  # `next` with each route's `when`
    lowest_for: list[Persona | Everyone] = field(default_factory=list)  # curves lowest here
    path: Path | None = None  # the path it is on; set once the paths are known
    channels: list[Channel] = field(default_factory=list)  # every channel, as `channel` lists

    @property
    def id(self) -> str:
        return self.touchpoint.id

    @property
    def time(self) -> TimeTotal | None:
        return time_total([self])


@dataclass(frozen=True)
class TimeTotal:
    """How long some touchpoints take and how long the customer waits there, in seconds."""

    duration: float
    wait: float

    @property
    def total(self) -> float:
        return self.duration + self.wait


def time_total(touchpoints: list[TouchpointView]) -> TimeTotal | None:
    """The sum of the touchpoints' `duration` and `wait`; None where none of them has either."""
    timed = [tp.touchpoint for tp in touchpoints if tp.touchpoint.duration or tp.touchpoint.wait]
    if not timed:
        return None
    return TimeTotal(
        sum(t.duration.seconds for t in timed if t.duration),
        sum(t.wait.seconds for t in timed if t.wait),
    )


@dataclass(eq=False)
class Path:
    """The main path of a journey or one of its branches (jmap.paths has the rule)."""

    number: int  # 0 for the main path, then 1, 2, ...
    touchpoints: list[TouchpointView]  # its own, in the order a customer meets them
    fork: TouchpointView | None  # where it leaves another path; None: main path, or unreached
    rejoin: TouchpointView | None  # where it comes back; None where it ends
    route: Route | None  # the fork's route that takes it
    way: list[TouchpointView]  # the whole way a customer takes through it, start to end

    @property
    def is_main(self) -> bool:
        return self.number == 0

    @property
    def name(self) -> str:
        """How maps name it: 'main path', the route's `when`, or 'via <first touchpoint>'."""
        from jmap.wording import path_name  # wording imports this module's types

        return path_name(self)

    @property
    def time(self) -> TimeTotal | None:
        """The time of its whole way: what a customer who takes it spends, start to end."""
        return time_total(self.way)


@dataclass(frozen=True)
class StageView:
    stage: Stage
    touchpoints: list[TouchpointView]

    @property
    def time(self) -> TimeTotal | None:
        """The time of its touchpoints on the main path: the way most customers take (a
        branch's alternatives are in its path's total, not added to the stage's)."""
        return time_total([tp for tp in self.touchpoints if tp.path is None or tp.path.is_main])


@dataclass(frozen=True)
class CurvePoint:
    touchpoint: TouchpointView
    mood: Mood


@dataclass(frozen=True)
class CurveSegment:
    """A curve's points on one path, with the points it leaves from and comes back to.

    `start` is the last point before the path's own touchpoints on its way (at or before the
    fork), `end` the first after them (at or after where it rejoins): a branch is drawn from
    `start` through `points` to `end`, so it visibly leaves and rejoins the main line."""

    path: Path
    points: list[CurvePoint]  # in the order of the path
    start: CurvePoint | None
    end: CurvePoint | None


@dataclass(frozen=True)
class PathAverage:
    path: Path
    average: float  # of the persona's scores along the path's whole way


@dataclass(frozen=True)
class Curve:
    """One persona's emotions along the journey, at the touchpoints where one is recorded.

    `points` are in file order, for tables and columns; `segments` follow the journey's
    paths, for lines: the main path first (drawn solid), then each branch (drawn dashed)."""

    persona: Persona | Everyone
    points: list[CurvePoint]
    segments: list[CurveSegment] = field(default_factory=list)
    averages: list[PathAverage] = field(default_factory=list)  # main path first

    @property
    def lowest(self) -> list[CurvePoint]:
        if not self.points:
            return []
        bottom = min(point.mood.score for point in self.points)
        return [point for point in self.points if point.mood.score == bottom]

    @property
    def average(self) -> float | None:
        """Along the main path: the way most customers take (or, without a main path scored,
        of the first path that has a score). Branches' averages are in `averages`."""
        return self.averages[0].average if self.averages else None

    @property
    def branched(self) -> bool:
        """Whether any of its points is off the main path: then its averages name their path."""
        return any(not segment.path.is_main and segment.points for segment in self.segments)


# How many opportunities and moments that matter a map puts first, above the grid.
TOP_OPPORTUNITIES = 3
TOP_MOMENTS = 5
_PRIORITY_RANK: dict[str | None, int] = {"high": 3, "medium": 2, "low": 1, None: 0}
_CLOSED = ("done", "dropped")  # statuses of work that is no longer to do


@dataclass(frozen=True)
class RankedOpportunity:
    """An opportunity with the pain points it answers and what ranks it (see `_rank`)."""

    opportunity: Opportunity
    touchpoint: TouchpointView
    answers: tuple[tuple[PainView, TouchpointView], ...]  # worst first, then journey order
    personas: int  # how many personas the pain points it answers touch

    @property
    def worst(self) -> tuple[PainView, TouchpointView] | None:
        """The worst pain point it answers: the one a map names beside it."""
        return self.answers[0] if self.answers else None


@dataclass(frozen=True)
class JourneyView:
    journey: Journey
    stages: list[StageView]
    touchpoints: list[TouchpointView]
    curves: list[Curve]  # one per persona whose emotions differ, else one for EVERYONE
    pains: list[tuple[PainView, TouchpointView]]  # every pain point, worst first
    personas: list[Persona]
    # Every opportunity with what it answers, in journey order.
    opportunities: list[RankedOpportunity] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)  # the main path first, then branches

    @property
    def top_opportunities(self) -> list[RankedOpportunity]:
        """The TOP_OPPORTUNITIES first opportunities by the rule of `_rank` (docs/output.md),
        of those still to do: one whose status is done or dropped is no longer a candidate."""
        open_work = [r for r in self.opportunities if r.opportunity.status not in _CLOSED]
        return sorted(open_work, key=_rank)[:TOP_OPPORTUNITIES]

    @property
    def moments(self) -> list[TouchpointView]:
        """The moments that matter: the touchpoints where some curve is lowest, in order."""
        return [tp for tp in self.touchpoints if tp.lowest_for]

    @property
    def top_moments(self) -> list[TouchpointView]:
        """The TOP_MOMENTS moments a map's top shows, in journey order: those that feel worst,
        then those where most curves are lowest, then the earliest (docs/output.md)."""
        lows: dict[int, int] = {}
        for curve in self.curves:
            for point in curve.lowest:
                key = id(point.touchpoint)
                lows[key] = min(lows.get(key, 5), point.mood.score)
        ranked = sorted(self.moments, key=lambda tp: (lows[id(tp)], -len(tp.lowest_for), tp.index))
        return sorted(ranked[:TOP_MOMENTS], key=lambda tp: tp.index)

    @property
    def has_backstage(self) -> bool:
        return any(tp.touchpoint.backstage for tp in self.touchpoints)

    @property
    def is_blueprint(self) -> bool:
        """Whether the journey has a service blueprint's lanes (physical evidence, frontstage,
        support processes): then the maps draw the lines of interaction, visibility and
        internal interaction, the way service designers draw them."""
        return any(
            tp.touchpoint.physical_evidence
            or tp.touchpoint.frontstage
            or tp.touchpoint.support_processes
            for tp in self.touchpoints
        )

    @property
    def has_routes(self) -> bool:
        """Whether `next` says anything besides "then the next touchpoint": a branch, a skip,
        a loop, an end before the last touchpoint, or a route's `when`."""
        return any(not tp.is_default_next for tp in self.touchpoints)

    @property
    def has_times(self) -> bool:
        """Whether some touchpoint has a `duration` or a `wait`: then maps total them."""
        return time_total(self.touchpoints) is not None

    @property
    def timed_paths(self) -> list[Path]:
        """The paths whose way has a time, main path first: each with its total."""
        return [path for path in self.paths if path.time is not None]

    @property
    def has_emotions(self) -> bool:
        return any(curve.points for curve in self.curves)

    @property
    def has_branches(self) -> bool:
        """Whether some touchpoint is off the main path: then curves fork."""
        return len(self.paths) > 1


def kpi_status(kpi: Kpi) -> Literal["on track", "off track"] | None:
    """Whether a KPI meets its target: only where its value and target are numbers and its
    `direction` says which way is better (a value equal to the target is on track)."""
    value, target = kpi.value, kpi.target
    if kpi.direction is None or not isinstance(value, int | float):
        return None
    if not isinstance(target, int | float):
        return None
    met = value >= target if kpi.direction == "higher" else value <= target
    return "on track" if met else "off track"


def journey_view(journey: Journey) -> JourneyView:
    personas = {persona.id: persona for persona in journey.personas}
    channels = {channel.id: channel for channel in journey.channels}
    curve_personas = _curve_personas(journey)
    answers = _answers(journey)
    order = [touchpoint.id for touchpoint in journey.touchpoints()]
    touchpoints: list[TouchpointView] = []
    stages: list[StageView] = []
    for stage in journey.stages:
        in_stage = []
        for touchpoint in stage.touchpoints:
            routes = list(touchpoint.next or [])
            named = [channels[c] for c in touchpoint.channel_ids() if c in channels]
            view = TouchpointView(
                touchpoint=touchpoint,
                stage=stage,
                index=len(touchpoints),
                channel=next(iter(named), None),
                channels=named,
                personas=[personas[p] for p in touchpoint.personas or []],
                feelings=_feelings(touchpoint, curve_personas),
                pains=_pains(touchpoint, len(touchpoints), answers),
                next=[route.to for route in routes],
                is_default_next=not any(route.when for route in routes)
                and [route.to for route in routes] == order[len(touchpoints) + 1 :][:1],
                routes=routes,
            )
            touchpoints.append(view)
            in_stage.append(view)
        stages.append(StageView(stage, in_stage))
    paths = _paths(touchpoints)
    curves = [_curve(persona, touchpoints, paths) for persona in curve_personas]
    for curve in curves:
        for point in curve.lowest:
            point.touchpoint.lowest_for.append(curve.persona)
    ranked = sorted(
        ((pain, tp) for tp in touchpoints for pain in tp.pains),
        key=lambda item: (-SEVERITY_RANK[item[0].pain.severity], item[1].index),
    )
    return JourneyView(
        journey,
        stages,
        touchpoints,
        curves,
        ranked,
        list(journey.personas),
        _opportunities(touchpoints, ranked, len(journey.personas)),
        paths,
    )


def _paths(touchpoints: list[TouchpointView]) -> list[Path]:
    position = {tp.id: tp.index for tp in touchpoints}
    written = [
        [position[to] for to in tp.next] if tp.touchpoint.next is not None else None
        for tp in touchpoints
    ]
    paths = []
    for branch in branches(successors(written)):
        fork = touchpoints[branch.fork] if branch.fork is not None else None
        path = Path(
            number=branch.number,
            touchpoints=[touchpoints[n] for n in branch.members],
            fork=fork,
            rejoin=touchpoints[branch.rejoin] if branch.rejoin is not None else None,
            route=fork.routes[branch.route] if fork and branch.route is not None else None,
            way=[touchpoints[n] for n in branch.way],
        )
        for member in path.touchpoints:
            member.path = path
        paths.append(path)
    return paths


def _opportunities(
    touchpoints: list[TouchpointView],
    pains: list[tuple[PainView, TouchpointView]],
    persona_count: int,
) -> list[RankedOpportunity]:
    # By object identity: two opportunities may read the same and still be two.
    answers: dict[int, list[tuple[PainView, TouchpointView]]] = {}
    for pain, where in pains:  # worst first, then in journey order
        for opportunity in pain.answered_by:
            answers.setdefault(id(opportunity), []).append((pain, where))
    found = []
    for tp in touchpoints:
        for opportunity in tp.touchpoint.opportunities:
            answered = tuple(answers.get(id(opportunity), []))
            touched = {p.id for _, where in answered for p in where.personas}
            # In a journey without personas, a pain point touches the one customer there is.
            count = len(touched) if persona_count else min(1, len(answered))
            found.append(RankedOpportunity(opportunity, tp, answered, count))
    return found


def _rank(item: RankedOpportunity) -> tuple[int, ...]:
    """The order of opportunities, first first; docs/output.md says it in words.

    1. its priority: high, medium, low, then none given;
    2. the severity of the worst pain point it answers (critical first; none answered last);
    3. how many personas the pain points it answers touch;
    4. how many pain points it answers;
    5. where it is: the earlier touchpoint first, then the order the touchpoint lists them.
    Sorting is stable, so the journey order of `JourneyView.opportunities` settles the last.
    """
    worst = item.worst
    return (
        -_PRIORITY_RANK[item.opportunity.priority],
        -(SEVERITY_RANK[worst[0].pain.severity] if worst else 0),
        -item.personas,
        -len(item.answers),
    )


def _curve_personas(journey: Journey) -> list[Persona | Everyone]:
    """The personas that get a curve of their own: all of them if any two ever feel differently."""
    if len(journey.personas) < 2:
        return list(journey.personas) or [EVERYONE]
    for touchpoint in journey.touchpoints():
        if isinstance(touchpoint.emotion, dict):
            return list(journey.personas)
    return [EVERYONE]


def _feelings(touchpoint: Touchpoint, curve_personas: list[Persona | Everyone]) -> list[Feeling]:
    emotion = touchpoint.emotion
    if emotion is None:
        return []
    if isinstance(emotion, int) and len(curve_personas) == 1:
        return [Feeling(curve_personas[0], MOODS[emotion])]
    personas = [p for p in curve_personas if isinstance(p, Persona)]
    if isinstance(emotion, int):
        scores = {p.id: emotion for p in personas if p.id in (touchpoint.personas or [])}
    else:
        scores = emotion
    feelings = [Feeling(p, MOODS[scores[p.id]]) for p in personas if p.id in scores]
    if len({feeling.mood.score for feeling in feelings}) == 1 and len(personas) > 1:
        present_ids = set(touchpoint.personas or [])
        if present_ids == {p.id for p in personas} and len(feelings) == len(personas):
            return [Feeling(EVERYONE, feelings[0].mood)]
    return feelings


def _curve(
    persona: Persona | Everyone, touchpoints: list[TouchpointView], paths: list[Path]
) -> Curve:
    at: dict[int, CurvePoint] = {}
    for view in touchpoints:
        for feeling in view.feelings:
            # A feeling of every persona is on each persona's curve.
            if isinstance(feeling.persona, Everyone) or feeling.persona == persona:
                at[view.index] = CurvePoint(view, feeling.mood)
                break
    return curve_along(persona, list(at.values()), paths)


def curve_along(persona: Persona | Everyone, points: list[CurvePoint], paths: list[Path]) -> Curve:
    """A curve of `points` (in file order) with its segments and averages along `paths`: for a
    curve made from another one's points, such as the diff's shared curve read per persona."""
    at = {point.touchpoint.index: point for point in points}
    segments = []
    averages = []
    for path in paths:
        own = [at[tp.index] for tp in path.touchpoints if tp.index in at]
        first = path.way.index(path.touchpoints[0])
        last = first + len(path.touchpoints)
        before = [at[tp.index] for tp in path.way[:first] if tp.index in at]
        after = [at[tp.index] for tp in path.way[last:] if tp.index in at]
        segments.append(
            CurveSegment(path, own, before[-1] if before else None, after[0] if after else None)
        )
        scores = [at[tp.index].mood.score for tp in path.way if tp.index in at]
        # A branch without a score of its own has the main path's average: not worth saying.
        if scores and (own or path.is_main):
            averages.append(PathAverage(path, sum(scores) / len(scores)))
    return Curve(persona, points, segments, averages)


def _answers(journey: Journey) -> dict[str, list[Opportunity]]:
    """Pain point id -> the opportunities that name it in `answers`."""
    found: dict[str, list[Opportunity]] = {}
    for touchpoint in journey.touchpoints():
        for opportunity in touchpoint.opportunities:
            for pain_id in opportunity.answers:
                found.setdefault(pain_id, []).append(opportunity)
    return found


def _pains(
    touchpoint: Touchpoint, index: int, answers: dict[str, list[Opportunity]]
) -> list[PainView]:
    # An opportunity that names no pain point answers the pain points of its own touchpoint.
    unaddressed = tuple(o for o in touchpoint.opportunities if not o.answers)
    views = []
    for number, pain in enumerate(touchpoint.pain_points, start=1):
        named = tuple(answers.get(pain.id, [])) if pain.id else ()
        # A dot cannot appear in a written id, so a made-up key never clashes with one.
        key = pain.id or f"{touchpoint.id}.pain-{number}"
        views.append(PainView(pain, key, named + unaddressed))
    return sorted(views, key=lambda view: -SEVERITY_RANK[view.pain.severity])
