"""The journey format, version 1, as pydantic models.

The field names are the file format's contract (see docs/format.md). Shorthands a person types
(a pain point as plain text, an emotion as a label) are normalised here, so everything after
loading sees one shape: ids filled in, emotion labels as scores 1-5, `personas` of each
touchpoint resolved to ids and its `next` to `Route`s.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    StrictInt,
    StringConstraints,
    Tag,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from jmap import durations
from jmap.errors import did_you_mean, shown_value
from jmap.i18n import LanguageCode
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
# How much an opportunity would change for customers, and how much work it is.
Level = Literal["low", "medium", "high"]
# Where an opportunity is as work, in the order work goes.
Status = Literal["idea", "planned", "in progress", "done", "dropped"]


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


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError(
        "date",
        "must be a date written YYYY-MM-DD, such as 2025-03-31; got {shown}",
        {"shown": shown_value(value)},
    )


Date = Annotated[datetime.date, BeforeValidator(_date, json_schema_input_type=datetime.date)]

# A KPI is measured as a number (12000, 4.6) or stated as text ("4.6 / 5", "top 3").
Measure = Annotated[int | float | str | None, BeforeValidator(_scalar_only)]


class Duration(BaseModel):
    """A length of time as written (`10 min`) and in seconds, for totals (jmap.durations)."""

    model_config = ConfigDict(frozen=True)

    text: Annotated[str, Field(description="As written: '10 min'")]
    amount: Annotated[float, Field(description="The number written: 10")]
    unit: Annotated[
        Literal["second", "minute", "hour", "day", "week", "month", "year"],
        Field(description="The unit written, by its full name"),
    ]
    seconds: Annotated[float, Field(description="In seconds (a month is 30 days, a year 365)")]

    @model_serializer(mode="plain")
    def _for_json(self) -> dict[str, Any]:
        # A whole number of seconds is written as one: 600, not 600.0.
        seconds = int(self.seconds) if self.seconds.is_integer() else self.seconds
        return {"text": self.text, "seconds": seconds}


def _duration(value: Any) -> Any:
    if isinstance(value, Duration):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "duration",
            "must be a number and a unit, such as {examples}; got {shown}",
            {"examples": durations.EXAMPLES, "shown": shown_value(value)},
        )
    try:
        parsed = durations.parse(value)
    except durations.DurationError as error:
        raise PydanticCustomError(
            "duration", "{problem}; got {shown}", {"problem": str(error), "shown": repr(value)}
        ) from None
    return {
        "text": value.strip(),
        "amount": parsed.amount,
        "unit": parsed.unit,
        "seconds": parsed.seconds,
    }


# `10 min`, `3 days`, `1.5 hours`: the grammar is jmap.durations'.
TimeSpan = Annotated[
    Duration,
    BeforeValidator(
        _duration,
        json_schema_input_type=Annotated[
            str, StringConstraints(pattern=r"^\s*\d+(\.\d+)?\s*[A-Za-z]+\s*$")
        ],
    ),
]


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


def _unset(value: Any) -> bool:
    # Fields added after the JSON output was first published are left out of it when unset,
    # so the output of a journey that does not use them stays what it was.
    return value is None or (isinstance(value, list) and not value)


# Put on such a field: `Annotated[..., LATER]`.
LATER = Field(exclude_if=_unset)


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
    media: Annotated[
        Literal["owned", "earned", "paid", "third-party"] | None,
        Field(
            description="Who speaks through the channel: the company's own (owned), others by"
            " choice (earned), the company paying (paid), or someone independent (third-party)"
        ),
        LATER,
    ] = None
    description: FreeText | None = None


@dataclass(frozen=True)
class Point:
    """One period of a data source's trend: a month (`2025-03`) and the value of its rows."""

    period: str
    value: int | float


@dataclass(frozen=True)
class SourceData:
    """What a data source gave: its trend by month, and its newest row's date (YYYY-MM-DD)."""

    series: tuple[Point, ...]
    newest: str
    rows: int  # the rows that matched `where`


Aggregate = Literal["mean", "sum", "count", "last", "nps", "csat", "ces"]
# A dimension's value to keep rows by: `touchpoint: delivered`, or a list meaning any of them.
Dimension = Annotated[str, _AS_WRITTEN]


class Source(_Model):
    """Rows of a data file in the repository that a number is worked out from."""

    file: Annotated[
        Text,
        Field(
            description="A CSV or JSON Lines file (.csv, .jsonl), relative to this journey"
            " file and inside the project"
        ),
    ]
    where: Annotated[
        dict[Text, Dimension | list[Dimension]],
        NoneIsEmpty,
        Field(description="Keep the rows whose columns have these values (a list: any of them)"),
    ] = {}
    aggregate: Annotated[
        Aggregate,
        Field(
            description="How the rows make one number: mean, sum, count, last (by date), nps"
            " (0-10 answers), csat (% of 4-5 answers on 1-5), ces (mean)"
        ),
    ] = "mean"


class EmotionSource(Source):
    """Rows of a data file that give a touchpoint's emotion score."""

    aggregate: Annotated[
        Literal["mean", "last"],
        Field(description="How the rows make one score: their mean, or the last by date"),
    ] = "mean"
    scale: Annotated[
        Literal["0-10", "1-5"],
        Field(description="The scale of the values: 0-10 or 1-5, mapped to the 1-5 curve"),
    ]


def per_persona_sources(value: Any) -> bool:
    """Whether an `emotion_source:` as written is keyed by persona id. A mapping that names a
    field of a source is one source for everyone (so a source missing `file` is reported as
    that, not as a persona); any other mapping is keyed by persona id."""
    return isinstance(value, dict) and not set(value) & set(EmotionSource.model_fields)


def _emotion_source_form(value: Any) -> str:
    return "per-persona" if per_persona_sources(value) else "shared"


# One data source for the shared score, or one per persona id, as `emotion:` takes.
EmotionSources = Annotated[
    Annotated[EmotionSource, Tag("shared")]
    | Annotated[dict[Id, EmotionSource], Tag("per-persona")],
    Discriminator(_emotion_source_form),
]


class Kpi(_Model):
    name: Text
    value: Measure = None
    target: Measure = None
    unit: FreeText | None = None
    description: FreeText | None = None
    direction: Annotated[
        Literal["higher", "lower"] | None,
        Field(description="Which way is better: `higher` or `lower` values", exclude_if=_unset),
    ] = None
    source: Annotated[
        Source | None,
        Field(
            description="A data file the value is worked out from, instead of `value`",
            exclude_if=_unset,
        ),
    ] = None
    # What the loader worked out from `source` (jmap.loading.sources): the value is put in
    # `value`, the trend here; set after validation, so a journey file cannot write it.
    _data: SourceData | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _value_or_source(self) -> Kpi:
        if self.source is not None and self.value is not None:
            raise PydanticCustomError(
                "value_and_source",
                "a KPI takes its value from `value:` or from `source:`, not both; remove one",
            )
        return self

    @property
    def data(self) -> SourceData | None:
        """The data behind the value, when it comes from `source:`."""
        return self._data

    @model_serializer(mode="wrap")
    def _with_series(self, handler: SerializerFunctionWrapHandler) -> Any:
        # The JSON output holds the trend the value was taken from.
        written = handler(self)
        if self._data is not None and isinstance(written, dict):
            written["series"] = [
                {"period": point.period, "value": point.value} for point in self._data.series
            ]
            written["newest"] = self._data.newest
        return written


class Evidence(_Model):
    text: Text
    kind: Literal["survey", "analytics", "interview", "observation", "support", "other"] | None = (
        None
    )
    link: FreeText | None = None
    date: Annotated[
        Date | None,
        Field(description="When the research was done or the data taken, as YYYY-MM-DD"),
        LATER,
    ] = None
    n: Annotated[
        StrictInt | None,
        Field(ge=1, description="How many people, sessions or answers the evidence rests on"),
        LATER,
    ] = None
    confidence: Annotated[
        Literal["observed", "inferred", "assumed"] | None,
        Field(
            description="How sure it is: `observed` (seen or measured), `inferred` (read from"
            " what was seen) or `assumed` (not checked yet)"
        ),
        LATER,
    ] = None
    quote: Annotated[
        Text | None, Field(description="A customer's own words from the research"), LATER
    ] = None


def _text_or(model: type[BaseModel], field_name: str) -> BeforeValidator:
    """The validator for list items written either as a mapping or as its main text."""
    return BeforeValidator(_shorthand(field_name), json_schema_input_type=str | model)


EvidenceList = Annotated[list[Annotated[Evidence, _text_or(Evidence, "text")]], NoneIsEmpty]
KpiList = Annotated[list[Annotated[Kpi, _text_or(Kpi, "name")]], NoneIsEmpty]


PersonaRef = Annotated[
    Id | None, Field(description="The persona it belongs to; default: the touchpoint's")
]


class PainPoint(_Model):
    text: Text
    id: Id | None = None
    persona: Annotated[PersonaRef, LATER] = None
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
    status: Annotated[
        Status | None,
        Field(description="Where it is as work: idea, planned, in progress, done or dropped"),
        LATER,
    ] = None
    impact: Annotated[
        Level | None, Field(description="How much it would change for customers"), LATER
    ] = None
    effort: Annotated[Level | None, Field(description="How much work it is"), LATER] = None


StaffPains = Annotated[
    list[Annotated[PainPoint, _text_or(PainPoint, "text")]],
    NoneIsEmpty,
    Field(description="What makes the work hard for the people who do it"),
]
StaffEmotion = Annotated[
    Score | None,
    Field(description="How the people who do this work feel, 1-5 or a label, as for customers"),
]


class Backstage(_Model):
    """Work the customer does not see; with `emotion` and `pain_points`, the staff's side."""

    text: Text
    actor: FreeText | None = None
    emotion: Annotated[StaffEmotion, LATER] = None
    pain_points: Annotated[StaffPains, LATER] = []


class Frontstage(Backstage):
    """What staff or systems do in front of the customer, in a service blueprint."""


class SupportProcess(_Model):
    """A process or system that supports the work at a touchpoint, in a service blueprint."""

    text: Text
    actor: Annotated[
        FreeText | None, Field(description="The team or system that runs the process")
    ] = None


class PersonaText(_Model):
    """A thought or an action, of one persona where `persona` says so. Written as plain text
    (everyone's) it stays plain text in the JSON output too."""

    text: Text
    persona: PersonaRef = None

    @model_serializer(mode="wrap")
    def _as_written(self, handler: SerializerFunctionWrapHandler) -> Any:
        return self.text if self.persona is None else handler(self)


def _text_or_owned(value: Any) -> Any:
    """Plain text (everyone's), or a mapping with `text:` and `persona:`; anything else is
    neither, and the error says both forms (a model error would offer only the mapping)."""
    if isinstance(value, str):
        # Checked here, so that the error names the list (`actions`), not a `text:` not written.
        _not_blank(value)
        if not value:
            raise PydanticCustomError("empty", "must not be empty")
    value = _shorthand("text")(value)
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "owned_text",
            "must be text, or a mapping with `text:` and `persona:`; got {shown}",
            {"shown": shown_value(value)},
        )
    return value


PersonaTextList = Annotated[
    list[
        Annotated[
            PersonaText, BeforeValidator(_text_or_owned, json_schema_input_type=str | PersonaText)
        ]
    ],
    NoneIsEmpty,
]


def _channel_form(value: Any) -> str:
    return "several" if isinstance(value, list) else "one"


# `channel: kiosk`, or `channel: [kiosk, desk]` where the customer uses either.
ChannelRef = Annotated[
    Annotated[Id, Tag("one")] | Annotated[list[Id], Tag("several")],
    Discriminator(_channel_form),
    Field(description="A channel id, or a list of them where the customer uses any one"),
]


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
    channel: ChannelRef | None = None
    personas: Annotated[list[Id] | None, Field(description="Default: every persona")] = None
    actions: PersonaTextList = []
    thoughts: PersonaTextList = []
    duration: Annotated[
        TimeSpan | None, Field(description="How long the touchpoint takes: '10 min'"), LATER
    ] = None
    wait: Annotated[
        TimeSpan | None,
        Field(description="How long the customer waits before it: '3 days'"),
        LATER,
    ] = None
    emotion: Emotion | None = None
    emotion_source: Annotated[
        EmotionSources | None,
        Field(
            description="A data file the emotion score is worked out from, instead of `emotion`;"
            " or one per persona id, as `emotion` takes",
            exclude_if=_unset,
        ),
    ] = None
    pain_points: Annotated[
        list[Annotated[PainPoint, _text_or(PainPoint, "text")]], NoneIsEmpty
    ] = []
    opportunities: Annotated[
        list[Annotated[Opportunity, _text_or(Opportunity, "text")]], NoneIsEmpty
    ] = []
    backstage: Annotated[list[Annotated[Backstage, _text_or(Backstage, "text")]], NoneIsEmpty] = []
    # The lanes of a service blueprint (docs/format.md): with any of them, the maps draw the
    # lines of interaction, visibility and internal interaction.
    physical_evidence: Annotated[
        TextList,
        Field(description="What the customer sees, holds or gets: a receipt, an email, a screen"),
        LATER,
    ] = []
    frontstage: Annotated[
        list[Annotated[Frontstage, _text_or(Frontstage, "text")]],
        NoneIsEmpty,
        Field(description="What staff or systems do where the customer sees it"),
        LATER,
    ] = []
    support_processes: Annotated[
        list[Annotated[SupportProcess, _text_or(SupportProcess, "text")]],
        NoneIsEmpty,
        Field(description="The processes and systems behind the backstage work"),
        LATER,
    ] = []
    evidence: EvidenceList = []
    kpis: KpiList = []
    next: RouteList = None

    def channel_ids(self) -> list[str]:
        """The ids `channel` names: none, one, or each of several."""
        if self.channel is None:
            return []
        return [self.channel] if isinstance(self.channel, str) else list(self.channel)

    @model_validator(mode="after")
    def _emotion_or_source(self) -> Touchpoint:
        if self.emotion_source is not None and self.emotion is not None:
            raise PydanticCustomError(
                "emotion_and_source",
                "a touchpoint takes its emotion from `emotion:` or from `emotion_source:`,"
                " not both; remove one",
            )
        return self

    def emotion_of(self, persona: str | None) -> int | None:
        """The score this touchpoint has for a persona (or the shared score for None)."""
        if isinstance(self.emotion, dict):
            return self.emotion.get(persona) if persona else None
        return self.emotion


class Stage(_Identified):
    description: FreeText | None = None
    owner: Annotated[FreeText | None, Field(description="Who answers for this stage"), LATER] = None
    customer_goal: FreeText | None = None
    business_goal: FreeText | None = None
    kpis: KpiList = []
    touchpoints: Annotated[list[Touchpoint], NoneIsEmpty] = []


class Journey(_Model):
    """A customer journey map: personas and channels, then stages of touchpoints in order."""

    model_config = ConfigDict(title="jmap journey")  # its `$id` is jmap.schema.SCHEMA_ID

    jmap: Literal[1] = Field(description="The format version; this is version 1.")
    title: Text
    id: Id = Field("", description="Default: the slug of the file name")
    description: FreeText | None = None
    state: Literal["current", "future"] = "current"
    owner: FreeText | None = None
    reviewed: Annotated[
        Date | None, Field(description="When the map was last checked against reality"), LATER
    ] = None
    review_every: Annotated[
        TimeSpan | None, Field(description="How often it should be reviewed: '6 months'"), LATER
    ] = None
    lang: Annotated[
        LanguageCode | None,
        Field(
            description="The language of the map's own labels (headings, lanes, moods); default:"
            " the project's `lang`, else en"
        ),
        LATER,
    ] = None
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
