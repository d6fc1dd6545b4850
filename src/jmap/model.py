"""The journey format, version 1, as pydantic models.

The field names are the file format's contract (see docs/format.md). Shorthands a person types
(a pain point as plain text, an emotion as a label) are normalised here, so everything after
loading sees one shape: ids filled in, emotion labels as scores 1-5, `personas` of each
touchpoint resolved to ids and its `next` to `Route`s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    Tag,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from jmap.errors import did_you_mean, shown_value
from jmap.loading.document import as_written
from jmap.slug import ID_PATTERN, slugify

FORMAT_VERSION = 1

# A number typed into a text field is the text it was written as: `title: 1.10` is "1.10",
# `name: 08` is "08" (pydantic's own coercion, `coerce_numbers_to_str`, would make "1.1").
_AS_WRITTEN = BeforeValidator(as_written)
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN), _AS_WRITTEN]


def _not_blank(text: str) -> str:
    # An empty text has pydantic's own error, `string_too_short`.
    if text.isspace():
        raise PydanticCustomError(
            "blank", "must not be blank: it holds only spaces, tabs or line breaks"
        )
    return text


# Something to show on the map: not empty, and not only spaces, tabs or line breaks.
Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_not_blank), _AS_WRITTEN]
# Text that may be empty or blank: a description, an owner, a link.
FreeText = Annotated[str, _AS_WRITTEN]

EMOTION_LABELS: dict[str, int] = {
    "very-negative": 1,
    "negative": 2,
    "neutral": 3,
    "positive": 4,
    "very-positive": 5,
}
EmotionLabel = Literal["very-negative", "negative", "neutral", "positive", "very-positive"]
Severity = Literal["low", "medium", "high", "critical"]
SEVERITY_RANK: dict[str, int] = {"critical": 4, "high": 3, "medium": 2, "low": 1}
Category = Literal[
    "complexity",
    "information",
    "staff",
    "wait-time",
    "follow-up",
    "policy",
    "personalization",
    "other",
]
Priority = Literal["low", "medium", "high"]


def _score(value: Any) -> Any:
    """A 1-5 score or an emotion label -> the score, with an error a person can act on."""
    if isinstance(value, str) and value in EMOTION_LABELS:
        return EMOTION_LABELS[value]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    hint = did_you_mean(value, EMOTION_LABELS) if isinstance(value, str) else ""
    raise PydanticCustomError(
        "emotion",
        "emotion must be a score from 1 (very negative) to 5 (very positive) or a label:"
        " very-negative, negative, neutral, positive, very-positive; got {shown}{hint}",
        {"shown": shown_value(value), "hint": hint},
    )


def _scalar_only(value: Any) -> Any:
    if isinstance(value, list | dict | bool):
        raise PydanticCustomError(
            "scalar", "must be a number or text; got {shown}", {"shown": shown_value(value)}
        )
    return value


# A KPI is measured as a number (12000, 4.6) or stated as text ("4.6 / 5", "top 3").
Measure = Annotated[int | float | str | None, BeforeValidator(_scalar_only)]


Score = Annotated[
    int,
    BeforeValidator(
        _score,
        json_schema_input_type=Annotated[int, Field(ge=1, le=5)] | EmotionLabel,
    ),
]


def _emotion_form(value: Any) -> str:
    return "per-persona" if isinstance(value, dict) else "score"


# One score for everyone, or one per persona id. The discriminator keeps errors to the form
# that was written instead of reporting both alternatives of a union.
Emotion = Annotated[
    Annotated[Score, Tag("score")] | Annotated[dict[Id, Score], Tag("per-persona")],
    Discriminator(_emotion_form),
]


def _shorthand(field_name: str) -> Callable[[Any], Any]:
    """Accept plain text where a mapping is expected: `- Long waits` is `- {text: Long waits}`."""

    def expand(value: Any) -> Any:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return {field_name: value}
        return value

    return expand


class _Model(BaseModel):
    # A misspelt key must never be ignored; numbers typed into text fields stay text.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


def _none_is_empty(value: Any) -> Any:
    """`goals:` with nothing after it is an empty list, not an error."""
    return [] if value is None else value


NoneIsEmpty = BeforeValidator(_none_is_empty)


def _one_or_many(value: Any) -> Any:
    """`include: shared.yaml` is `include: [shared.yaml]`; `include:` alone includes nothing."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


TextList = Annotated[list[Text], NoneIsEmpty]
IdList = Annotated[list[Id], NoneIsEmpty]


class _Identified(_Model):
    """Something with a `name` and an `id` that defaults to the slug of the name."""

    id: Id = ""
    name: Text

    @model_validator(mode="after")
    def _default_id(self) -> _Identified:
        if not self.id:
            derived = slugify(self.name)
            if not derived:
                raise PydanticCustomError(
                    "no_id",
                    "cannot make an id from the name '{name}'; add an `id:` such as 'step-1'",
                    {"name": self.name},
                )
            object.__setattr__(self, "id", derived)
        return self


class Persona(_Identified):
    description: FreeText | None = None
    goals: TextList = []
    needs: TextList = []
    frustrations: TextList = []


class Channel(_Identified):
    kind: Literal["digital", "physical", "human", "other"] | None = None
    description: FreeText | None = None


class Kpi(_Model):
    name: Text
    value: Measure = None
    target: Measure = None
    unit: FreeText | None = None
    description: FreeText | None = None


class Evidence(_Model):
    text: Text
    kind: Literal["survey", "analytics", "interview", "observation", "support", "other"] | None = (
        None
    )
    link: FreeText | None = None


def _text_or(model: type[BaseModel], field_name: str) -> BeforeValidator:
    """The validator for list items written either as a mapping or as its main text."""
    return BeforeValidator(_shorthand(field_name), json_schema_input_type=str | model)


EvidenceList = Annotated[list[Annotated[Evidence, _text_or(Evidence, "text")]], NoneIsEmpty]
KpiList = Annotated[list[Annotated[Kpi, _text_or(Kpi, "name")]], NoneIsEmpty]


class PainPoint(_Model):
    text: Text
    id: Id | None = None
    severity: Severity = "medium"
    category: Category = "other"
    evidence: EvidenceList = []


class Opportunity(_Model):
    text: Text
    id: Id | None = None
    owner: FreeText | None = None
    priority: Priority | None = None
    link: FreeText | None = None
    answers: IdList = []


class Backstage(_Model):
    text: Text
    actor: FreeText | None = None


class Route(_Model):
    """A route from a touchpoint: where to, and when. `pays` is short for `{to: pays}`."""

    # A route without `when` is written as its bare id in the JSON output too (`"pays"`), so
    # the output of a journey without labels is what it was before routes had them.

    to: Annotated[Id, Field(description="The touchpoint the route leads to")]
    when: Annotated[Text | None, Field(description="When the customer takes this route")] = None

    @model_serializer(mode="wrap")
    def _as_written(self, handler: SerializerFunctionWrapHandler) -> Any:
        return self.to if self.when is None else handler(self)


RouteList = Annotated[
    list[Annotated[Route, BeforeValidator(_shorthand("to"), json_schema_input_type=Id | Route)]]
    | None,
    Field(description="Default: the next touchpoint"),
]


class Touchpoint(_Identified):
    description: FreeText | None = None
    channel: Id | None = None
    personas: Annotated[list[Id] | None, Field(description="Default: every persona")] = None
    actions: TextList = []
    thoughts: TextList = []
    emotion: Emotion | None = None
    pain_points: Annotated[
        list[Annotated[PainPoint, _text_or(PainPoint, "text")]], NoneIsEmpty
    ] = []
    opportunities: Annotated[
        list[Annotated[Opportunity, _text_or(Opportunity, "text")]], NoneIsEmpty
    ] = []
    backstage: Annotated[list[Annotated[Backstage, _text_or(Backstage, "text")]], NoneIsEmpty] = []
    evidence: EvidenceList = []
    kpis: KpiList = []
    next: RouteList = None

    def emotion_of(self, persona: str | None) -> int | None:
        """The score this touchpoint has for a persona (or the shared score for None)."""
        if isinstance(self.emotion, dict):
            return self.emotion.get(persona) if persona else None
        return self.emotion


class Stage(_Identified):
    description: FreeText | None = None
    customer_goal: FreeText | None = None
    business_goal: FreeText | None = None
    kpis: KpiList = []
    touchpoints: Annotated[list[Touchpoint], NoneIsEmpty] = []


class Journey(_Model):
    """A customer journey map: personas and channels, then stages of touchpoints in order."""

    model_config = ConfigDict(title="jmap journey", json_schema_extra={"$id": "jmap.schema.json"})

    jmap: Literal[1] = Field(description="The format version; this is version 1.")
    title: Text
    id: Id = Field("", description="Default: the slug of the file name")
    description: FreeText | None = None
    state: Literal["current", "future"] = "current"
    owner: FreeText | None = None
    tags: TextList = []
    # The loader reads these files and merges their personas and channels into the journey;
    # the list stays here as written, and out of the JSON output, which shows the result.
    include: Annotated[
        list[Text],
        BeforeValidator(_one_or_many, json_schema_input_type=Text | list[Text]),
        Field(
            exclude=True,
            description="Files, relative to this one, whose personas and channels the journey"
            " shares; see Includes in the format reference",
        ),
    ] = []
    personas: Annotated[list[Persona], NoneIsEmpty] = []
    channels: Annotated[list[Channel], NoneIsEmpty] = []
    stages: Annotated[list[Stage], Field(min_length=1)]

    @model_validator(mode="after")
    def _fill_defaults(self) -> Journey:
        # References were checked against the same data before this model was built (see
        # jmap.loading.references), so filling defaults here cannot hide a broken reference.
        everyone = [persona.id for persona in self.personas]
        flat = list(self.touchpoints())
        for index, touchpoint in enumerate(flat):
            if touchpoint.personas is None:
                object.__setattr__(touchpoint, "personas", list(everyone))
            if touchpoint.next is None:
                following = [Route(to=flat[index + 1].id)] if index + 1 < len(flat) else []
                object.__setattr__(touchpoint, "next", following)
        return self

    def touchpoints(self) -> Iterator[Touchpoint]:
        """Every touchpoint in journey order."""
        for stage in self.stages:
            yield from stage.touchpoints
