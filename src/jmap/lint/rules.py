"""The lint rules: what a good journey map holds, checked one question at a time.

Each rule is a function from a `LintContext` to the places it finds, registered by the
`@rule` above it with a stable id, its default level and why it matters. Ids never change
meaning and are never reused: projects name them in their configuration and in
`# jmap: ignore[...]` comments. docs/lint.md documents every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from jmap.lint.findings import At, Check, Hit, Level, LintContext, Rule
from jmap.lint.graph import nearest, traps
from jmap.loading.document import Path
from jmap.model import PainPoint
from jmap.view import Curve, Mood, persona_key
from jmap.view import Path as JourneyPath
from jmap.wording import on_path

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
