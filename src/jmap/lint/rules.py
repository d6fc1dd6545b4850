"""The lint rules: what a good journey map holds, checked one question at a time.

Each rule is a function from a `LintContext` to the places it finds, registered by the
`@rule` above it with a stable id, its default level and why it matters. Ids never change
meaning and are never reused: projects name them in their configuration and in
`# jmap: ignore[...]` comments. docs/lint.md documents every rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from jmap import stale
from jmap.lint import history
from jmap.lint.findings import At, Check, Hit, Level, LintContext, Rule
from jmap.lint.graph import nearest, traps
from jmap.loading.document import Path
from jmap.model import Kpi, PainPoint
from jmap.view import MOODS, Curve, Mood, kpi_status, persona_key
from jmap.view import Path as JourneyPath
from jmap.wording import on_path, quantity

_REGISTERED: dict[str, Rule] = {}


def rule(
    rule_id: str, name: str, *, level: Level, summary: str, rationale: str
) -> Callable[[Check], Check]:
    """Register the check below as a rule; `RULES` collects them all, in id order.

    `level` is the default a project can change; `summary` is one line for listings and
    SARIF's shortDescription; `rationale` says why it matters, for docs/lint.md and SARIF.
    """

    def register(check: Check) -> Check:
        for other in _REGISTERED.values():
            if rule_id == other.id or name == other.name:
                raise ValueError(f"{rule_id} {name}: {other.id} {other.name} is registered")
        _REGISTERED[rule_id] = Rule(rule_id, name, level, summary, rationale, check)
        return check

    return register


@rule(
    "JM001",
    "missing-emotion",
    level="warning",
    summary="A touchpoint has no emotion, or none for a persona who takes it.",
    rationale=(
        "The emotion curve is what a reader looks at first: its highs and lows show where the"
        " journey works and where it hurts. A touchpoint without an emotion is a gap in the"
        " curve that a reader cannot tell from a neutral moment."
    ),
)
def missing_emotion(ctx: LintContext) -> Iterator[Hit]:
    for at in ctx.touchpoints:
        emotion = at.touchpoint.emotion
        if emotion is None:
            yield ctx.hit(
                (*at.path, "name"),
                f"touchpoint '{at.name}' has no emotion; add `emotion:` (1-5 or a label such"
                " as neutral) so the emotion curve covers it",
            )
        elif isinstance(emotion, dict):
            missing = [p for p in at.touchpoint.personas or [] if p not in emotion]
            if missing:
                yield ctx.hit(
                    (*at.path, "emotion"),
                    f"touchpoint '{at.name}' has no emotion for {_names(ctx, missing)}, who"
                    f" {'takes' if len(missing) == 1 else 'take'} it; add"
                    f" {'it' if len(missing) == 1 else 'them'} to its `emotion:` mapping",
                )


@rule(
    "JM002",
    "unanswered-pain-point",
    level="warning",
    summary="No opportunity answers a pain point.",
    rationale=(
        "A map exists to change the journey: every pain point should have at least one idea to"
        " fix it. An opportunity answers the pain points it names in `answers:`; one that names"
        " none answers the pain points of its own touchpoint."
    ),
)
def unanswered_pain_point(ctx: LintContext) -> Iterator[Hit]:
    for view in ctx.view.touchpoints:
        at = ctx.by_id[view.id]
        for pain_view in view.pains:
            if pain_view.answered_by:
                continue
            pain = pain_view.pain
            if pain.id:
                how = f"add one here, or name '{pain.id}' in the `answers:` of one"
            else:
                how = "add one to this touchpoint"
            yield ctx.hit(
                _pain_path(at, pain_view.pain),
                f"no opportunity answers the pain point '{_short(pain.text)}'; {how}",
            )


@rule(
    "JM003",
    "unevidenced-pain-point",
    level="warning",
    summary="A high or critical pain point has no evidence.",
    rationale=(
        "The worst pain points decide where a team spends its effort, so they should rest on"
        " real customer data (surveys, analytics, interviews, support tickets) rather than"
        " assumptions. Evidence on the pain point or on its touchpoint counts."
    ),
)
def unevidenced_pain_point(ctx: LintContext) -> Iterator[Hit]:
    for at in ctx.touchpoints:
        for pain in at.touchpoint.pain_points:
            if pain.severity in ("high", "critical") and not (
                pain.evidence or at.touchpoint.evidence
            ):
                yield ctx.hit(
                    _pain_path(at, pain),
                    f"{pain.severity} pain point '{_short(pain.text)}' has no evidence; add"
                    " `evidence:` (a survey, analytics, interviews, tickets) to it or to its"
                    " touchpoint",
                )


@rule(
    "JM004",
    "unused-persona-or-channel",
    level="warning",
    summary="A persona takes no touchpoint, or a channel is the channel of no touchpoint.",
    rationale=(
        "A persona or channel that nothing uses is shown in the map's legend but nowhere in the"
        " journey: usually a touchpoint forgot to name it, or it is left over from an earlier"
        " version of the map."
    ),
)
def unused_persona_or_channel(ctx: LintContext) -> Iterator[Hit]:
    if not ctx.touchpoints:
        return  # empty-stage says what is missing
    # Personas and channels from an included file are shared by many journeys, and each
    # journey uses only some of them: only the journey's own are expected to be used.
    taken = {p for at in ctx.touchpoints for p in at.touchpoint.personas or []}
    for index, persona in enumerate(ctx.journey.personas):
        where = _defined_at(ctx, ("personas", index))
        if persona.id not in taken and not ctx.shared(where):
            yield ctx.hit(
                where,
                f"persona '{persona.id}' takes no touchpoint: every touchpoint lists its"
                " `personas:` without it; add it where it takes part, or remove it",
            )
    used = {c for at in ctx.touchpoints for c in at.touchpoint.channel_ids()}
    for index, channel in enumerate(ctx.journey.channels):
        where = _defined_at(ctx, ("channels", index))
        if channel.id not in used and not ctx.shared(where):
            yield ctx.hit(
                where,
                f"channel '{channel.id}' is the channel of no touchpoint; name it in a"
                " touchpoint's `channel:`, or remove it",
            )


@rule(
    "JM005",
    "empty-stage",
    level="warning",
    summary="A stage has no touchpoints.",
    rationale=(
        "An empty column in the map says the customer does nothing in that phase. Either the"
        " phase has not been researched yet, or it does not belong in this journey."
    ),
)
def empty_stage(ctx: LintContext) -> Iterator[Hit]:
    for index, stage in enumerate(ctx.journey.stages):
        if not stage.touchpoints:
            yield ctx.hit(
                ("stages", index, "name"),
                f"stage '{stage.name}' has no touchpoints; add the interactions of this phase"
                " under `touchpoints:`, or remove the stage",
            )


@rule(
    "JM006",
    "stage-without-goals",
    level="warning",
    summary="A stage has no customer goal or no business goal.",
    rationale=(
        "The goals of a stage say what success looks like for both sides, and what its KPIs"
        " measure. Without them a reader cannot judge whether the phase works."
    ),
)
def stage_without_goals(ctx: LintContext) -> Iterator[Hit]:
    for index, stage in enumerate(ctx.journey.stages):
        missing = [
            key
            for key, value in (
                ("customer_goal", stage.customer_goal),
                ("business_goal", stage.business_goal),
            )
            if not (value and value.strip())
        ]
        if not missing:
            continue
        if len(missing) == 2:
            what = "neither a `customer_goal:` nor a `business_goal:`"
        else:
            what = f"no `{missing[0]}:`"
        yield ctx.hit(
            ("stages", index, "name"),
            f"stage '{stage.name}' has {what}; say what the customer and the business want"
            " from this phase",
        )


@rule(
    "JM007",
    "emotion-drop",
    level="info",
    summary="The emotion falls by two or more from one touchpoint to the next.",
    rationale=(
        "A steep fall in the emotion curve is a moment that matters: the place where customers"
        " are lost or won back. This rule points them out so a team can check that the map"
        " explains each one with a pain point."
    ),
)
def emotion_drop(ctx: LintContext) -> Iterator[Hit]:
    edges = _edges(ctx)
    curves = ctx.view.curves
    # Personas with the same fall at the same place share one finding. A journey with one
    # curve names nobody: that curve is everyone's, even where the journey has one persona.
    drops: dict[tuple[int, Path, int, Mood, Mood], list[str]] = {}
    for curve in curves:
        persona = persona_key(curve.persona) if len(curves) > 1 else None
        falls = _steepest_falls(curve, edges, lambda n, m: _step_path(ctx, n, m).number)
        for (target, _), (source, before, after) in falls.items():
            where = _emotion_path(ctx.touchpoints[target], persona)
            drops.setdefault((target, where, source, before, after), []).append(persona or "")
    for (target, where, source, before, after), personas in sorted(drops.items(), key=_by_place):
        who = f" for {_names(ctx, personas)}" if any(personas) else ""
        why = "" if ctx.touchpoints[target].touchpoint.pain_points else "; no pain point says why"
        on = f" {on_path(_step_path(ctx, source, target))}" if ctx.view.has_branches else ""
        yield ctx.hit(
            where,
            f"emotion falls from {_mood(before)} to {_mood(after)}{who} after"
            f" '{ctx.touchpoints[source].name}'{on}: a moment that matters{why}",
        )


@rule(
    "JM008",
    "undistinguished-personas",
    level="warning",
    summary="A journey has several personas but never gives them different emotions.",
    rationale=(
        "Personas exist because segments experience the same journey differently. When every"
        " emotion is shared, the map draws one curve for everyone and the difference the"
        " personas were made for is lost."
    ),
)
def undistinguished_personas(ctx: LintContext) -> Iterator[Hit]:
    journey = ctx.journey
    if len(journey.personas) < 2:
        return
    if len(ctx.view.curves) > 1 or not ctx.view.has_emotions:
        return
    example = ", ".join(f"{p.id}: {s}" for p, s in zip(journey.personas[:2], (2, 4), strict=True))
    yield ctx.hit(
        ("personas",),
        f"the journey has {len(journey.personas)} personas but every emotion is shared, so the"
        " map draws one curve for all of them; where they feel differently, give one emotion"
        f" per persona (`emotion: {{{example}}}`)",
        key=True,
    )


@rule(
    "JM009",
    "inescapable-loop",
    level="warning",
    summary="Touchpoints form a `next` loop that no path leaves.",
    rationale=(
        "A loop is fine (a retry, a repeat purchase), but one with no way out says the customer"
        " can never finish or leave the journey. Usually a `next` list lost a branch."
    ),
)
def inescapable_loop(ctx: LintContext) -> Iterator[Hit]:
    edges = _edges(ctx)
    for trap in traps(edges):
        members = [ctx.touchpoints[n] for n in trap]
        # Point at the `next` that closes the loop: the last one written in the file.
        written = [at for at in members if ctx.has((*at.path, "next"))]
        closing = (written or members)[-1]
        if len(members) == 1:
            loop = f"touchpoint '{closing.name}' leads only back to itself"
        else:
            loop = f"touchpoints {_listed([at.name for at in members])} form a loop"
        yield ctx.hit(
            (*closing.path, "next"),
            f"{loop}, so a customer who gets there can never leave: add a way out to a"
            " `next:`, such as a touchpoint where the customer is done or gives up",
        )


@rule(
    "JM010",
    "touchpoint-without-channel",
    level="warning",
    summary="A touchpoint has no channel.",
    rationale=(
        "Where an interaction happens (app, store, phone, email) is half of what a touchpoint"
        " is, and omnichannel problems only show when every touchpoint names its channel."
    ),
)
def touchpoint_without_channel(ctx: LintContext) -> Iterator[Hit]:
    for at in ctx.touchpoints:
        if not at.touchpoint.channel_ids():
            hint = (
                "the id of one of the journey's channels"
                if ctx.journey.channels
                else "a channel id, defined under `channels:`"
            )
            yield ctx.hit(
                (*at.path, "name"),
                f"touchpoint '{at.name}' has no channel; add `channel:` with {hint}",
            )


@rule(
    "JM011",
    "duplicate-touchpoint-name",
    level="warning",
    summary="Two touchpoints have the same name.",
    rationale=(
        "Names are what a reader of the map sees; two cards with the same name (ignoring case"
        " and spaces) look like one step drawn twice. Ids keep them apart for jmap, not for"
        " people."
    ),
)
def duplicate_touchpoint_name(ctx: LintContext) -> Iterator[Hit]:
    first: dict[str, At] = {}
    for at in ctx.touchpoints:
        key = " ".join(at.name.split()).casefold()
        if key not in first:
            first[key] = at
            continue
        earlier = first[key]
        yield ctx.hit(
            (*at.path, "name"),
            f"another touchpoint is already named '{earlier.name}'"
            f" ({ctx.place((*earlier.path, 'name'))}); readers of the map cannot tell them"
            " apart, so rename one",
        )


@rule(
    "JM012",
    "stale-evidence",
    level="warning",
    summary="A piece of evidence is older than the project allows (default 18 months).",
    rationale=(
        "Evidence is what makes a map more than opinion, but research describes the product,"
        " prices and competitors of its day: after a year and a half most of that has changed,"
        " and a map resting on it shows a journey customers no longer take."
    ),
)
def stale_evidence(ctx: LintContext) -> Iterator[Hit]:
    age, today = ctx.settings.evidence_age, ctx.settings.today
    for at in ctx.touchpoints:
        lists = [((*at.path, "evidence"), at.touchpoint.evidence)]
        lists += [
            ((*at.path, "pain_points", index, "evidence"), pain.evidence)
            for index, pain in enumerate(at.touchpoint.pain_points)
        ]
        for where, evidence in lists:
            for index, item in enumerate(evidence):
                if item.date is not None and stale.is_older(item.date, age, today):
                    yield ctx.hit(
                        (*where, index, "date"),
                        f"evidence '{_short(item.text)}' is from {item.date}, more than"
                        f" {stale.span_words(age)} before {today}; redo the research and update its"
                        " `date:`, or set `evidence_age` in [tool.jmap.lint]",
                    )


@rule(
    "JM013",
    "review-overdue",
    level="warning",
    summary="A journey is past its review date (`reviewed` plus `review_every`).",
    rationale=(
        "Maps fail when no one owns them after the workshop. A journey that says how often it"
        " should be checked against reality and has not been, for longer than that, is a map"
        " its readers can no longer trust."
    ),
)
def review_overdue(ctx: LintContext) -> Iterator[Hit]:
    journey, today = ctx.journey, ctx.settings.today
    due = stale.review_due(journey.reviewed, journey.review_every)
    if due is not None and journey.review_every is not None and due < today:
        yield ctx.hit(
            ("reviewed",),
            f"the journey was due for review on {due} ({journey.review_every.text} after"
            f" {journey.reviewed}); check the map against reality and update `reviewed:`",
        )


@rule(
    "JM014",
    "kpi-off-target",
    level="info",
    summary="A KPI with a `direction` misses its target.",
    rationale=(
        "A KPI that misses its target is where the journey needs work now. It is a fact"
        " about the service, not a mistake in the map, so it is an info: it points a team at"
        " the stage to look at first."
    ),
)
def kpi_off_target(ctx: LintContext) -> Iterator[Hit]:
    for where, kpi in _kpis(ctx):
        if kpi_status(kpi) != "off track":
            continue
        yield ctx.hit(
            (*where, "source") if kpi.source is not None else (*where, "value"),
            f"KPI '{_short(kpi.name)}' is off track: {quantity(kpi.value, kpi.unit)} against a"
            f" target of {quantity(kpi.target, kpi.unit)} ({kpi.direction} is better); work on"
            " the pain points where it is measured, or revise the target",
        )


@rule(
    "JM015",
    "stale-kpi-data",
    level="warning",
    summary="The newest data point of a KPI's `source` is older than the project allows.",
    rationale=(
        "A KPI read from a data file is only as current as the file. When its newest row is"
        " months old, the export that fed it has usually stopped, and the map shows an old"
        " number as today's."
    ),
)
def stale_kpi_data(ctx: LintContext) -> Iterator[Hit]:
    age, today = ctx.settings.data_age, ctx.settings.today
    for where, kpi in _kpis(ctx):
        data = kpi.data
        if data is None or kpi.source is None:
            continue
        newest = datetime.date.fromisoformat(data.newest)
        if stale.is_older(newest, age, today):
            yield ctx.hit(
                (*where, "source"),
                f"the newest row behind KPI '{_short(kpi.name)}' is from {newest}, more than"
                f" {stale.span_words(age)} before {today}; add newer rows to"
                f" {kpi.source.file} (or check that its export still runs), or set `data_age`"
                " in [tool.jmap.lint]",
            )


@rule(
    "JM016",
    "abandoned-pain-point",
    level="warning",
    summary="A high or critical pain point is answered only by dropped opportunities.",
    rationale=(
        "Dropping an idea is fine; dropping every idea for one of the worst pain points"
        " leaves it on the map with nobody working on it. Either a new opportunity is needed,"
        " or the pain point no longer hurts as much as the map says."
    ),
)
def abandoned_pain_point(ctx: LintContext) -> Iterator[Hit]:
    for view in ctx.view.touchpoints:
        at = ctx.by_id[view.id]
        for pain_view in view.pains:
            pain, answers = pain_view.pain, pain_view.answered_by
            if pain.severity not in ("high", "critical") or not answers:
                continue
            if all(opportunity.status == "dropped" for opportunity in answers):
                dropped = _listed([_short(o.text, 40) for o in answers])
                yield ctx.hit(
                    _pain_path(at, pain),
                    f"{pain.severity} pain point '{_short(pain.text)}' is answered only by"
                    f" dropped opportunities ({dropped}); add one that is still open, or lower"
                    " its severity if it no longer hurts as much",
                )


@rule(
    "JM017",
    "fix-not-shown",
    level="warning",
    summary="An opportunity is done, but its touchpoint's emotion is what it was before.",
    rationale=(
        "An opportunity marked done should change how the moment feels. When the emotion of"
        " the touchpoint it answers is the same as in the last version of the file where the"
        " opportunity was not done yet, either the fix did not work or the map was not"
        " updated after it; both are worth knowing. It reads the file's git history, so"
        " outside git it does not fire."
    ),
)
def fix_not_shown(ctx: LintContext) -> Iterator[Hit]:
    done = [
        (at, index, opportunity)
        for at in ctx.touchpoints
        for index, opportunity in enumerate(at.touchpoint.opportunities)
        if opportunity.status == "done"
    ]
    if not done:
        return  # no git call for a journey with nothing done
    # The touchpoints each done opportunity answers, through the pain points it answers.
    answered: dict[int, list[str]] = {}
    for view in ctx.view.touchpoints:
        for pain_view in view.pains:
            for opportunity in pain_view.answered_by:
                places = answered.setdefault(id(opportunity), [])
                if view.id not in places:
                    places.append(view.id)
    wanted = {
        history.opportunity_key(at.touchpoint.id, opportunity): answered.get(id(opportunity), [])
        for at, _, opportunity in done
    }
    before = history.before_done(ctx.loaded, wanted)
    for at, index, opportunity in done:
        found = before.get(history.opportunity_key(at.touchpoint.id, opportunity))
        if found is None:
            continue  # the history cannot say
        for touchpoint_id in answered.get(id(opportunity), []):
            now = ctx.by_id[touchpoint_id].touchpoint.emotion
            if now is None or found.emotions.get(touchpoint_id) != now:
                continue
            place = ctx.by_id[touchpoint_id]
            yield ctx.hit(
                (*at.path, "opportunities", index, "status"),
                f"opportunity '{_short(opportunity.text)}' is done, but the emotion of"
                f" '{place.name}' is {_emotion_words(now)}, as it was at {found.revision}"
                " before it was done; if the fix worked, update the emotion, if not, say so"
                " in a pain point",
            )


# Every rule above, in id order.
RULES: tuple[Rule, ...] = tuple(_REGISTERED[rule_id] for rule_id in sorted(_REGISTERED))


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _names(ctx: LintContext, persona_ids: list[str]) -> str:
    known = {p.id: p.name for p in ctx.journey.personas}
    return _listed([known.get(p, p) for p in persona_ids])


def _listed(names: list[str]) -> str:
    shown = [f"'{name}'" for name in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _pain_path(at: At, pain: PainPoint) -> Path:
    index = next(i for i, p in enumerate(at.touchpoint.pain_points) if p is pain)
    return (*at.path, "pain_points", index)


def _defined_at(ctx: LintContext, path: Path) -> Path:
    """A persona or channel is found by its `id:` when written, else by its `name:`."""
    return (*path, "id") if ctx.has((*path, "id")) else (*path, "name")


def _edges(ctx: LintContext) -> list[list[int]]:
    return [
        [ctx.by_id[route.to].order for route in at.touchpoint.next or []] for at in ctx.touchpoints
    ]


def _by_place(drop: tuple[tuple[int, Path, int, Mood, Mood], list[str]]) -> tuple[object, ...]:
    """Falls in journey order; moods do not compare, so their scores order the rest."""
    (target, where, source, before, after), _ = drop
    return (target, where, source, before.score, after.score)


def _steepest_falls(
    curve: Curve, edges: list[list[int]], path_of: Callable[[int, int], int]
) -> dict[tuple[int, int], tuple[int, Mood, Mood]]:
    """(touchpoint, path) -> (predecessor, mood before, mood after) of the steepest fall into
    the touchpoint along that path (`path_of(source, target)` says which path a step is on).

    Falls are measured along `next`, from each point of the curve to the next point on every
    route that leaves it, so never between alternatives; the first predecessor wins a tie. A
    branch that rejoins has its own fall into the touchpoint where it comes back.
    """
    moods: list[Mood | None] = [None] * len(edges)
    for point in curve.points:
        moods[point.touchpoint.index] = point.mood
    steepest: dict[tuple[int, int], tuple[int, Mood, Mood]] = {}
    for source, before in enumerate(moods):
        if before is None:
            continue
        for target in nearest(source, edges, lambda node: moods[node] is not None):
            after = moods[target]
            assert after is not None
            fall = before.score - after.score
            key = (target, path_of(source, target))
            best = steepest.get(key)
            if fall >= 2 and (best is None or fall > best[1].score - best[2].score):
                steepest[key] = (source, before, after)
    return steepest


def _step_path(ctx: LintContext, source: int, target: int) -> JourneyPath:
    """The path a fall from `source` to `target` is on: the branch it goes into, or the one it
    comes back from; the main path where both ends are on it."""
    into = ctx.view.touchpoints[target].path
    out_of = ctx.view.touchpoints[source].path
    assert into is not None
    assert out_of is not None
    return out_of if into.is_main else into


def _emotion_path(at: At, persona: str | None) -> Path:
    if persona is not None and isinstance(at.touchpoint.emotion, dict):
        return (*at.path, "emotion", persona)
    return (*at.path, "emotion")


def _mood(mood: Mood) -> str:
    return f"{mood.label} ({mood.score})"


def _kpis(ctx: LintContext) -> Iterator[tuple[Path, Kpi]]:
    """Every KPI with the path of its mapping: a stage's, then its touchpoints'."""
    for stage_index, stage in enumerate(ctx.journey.stages):
        for index, kpi in enumerate(stage.kpis):
            yield ("stages", stage_index, "kpis", index), kpi
        for tp_index, touchpoint in enumerate(stage.touchpoints):
            for index, kpi in enumerate(touchpoint.kpis):
                yield ("stages", stage_index, "touchpoints", tp_index, "kpis", index), kpi


def _emotion_words(emotion: int | dict[str, int]) -> str:
    if isinstance(emotion, int):
        return _mood(MOODS[emotion])
    assert isinstance(emotion, dict)
    return ", ".join(f"{persona}: {_mood(MOODS[score])}" for persona, score in emotion.items())
