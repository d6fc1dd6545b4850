"""Pydantic's validation errors, reworded for someone editing a YAML file.

Pydantic says "Input should be a valid list"; a journey author needs "actions must be a list
(one `- item` per line), got text". Each error also needs the path in the file to point at,
which is pydantic's `loc` without the tags it adds for unions and validators.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from jmap.errors import did_you_mean, shown_value
from jmap.loading.document import Path, as_written
from jmap.slug import slugify


def located_path(loc: tuple[int | str, ...], known: set[Path] | dict[Path, Any]) -> Path:
    """The longest path in the file that the error location walks through.

    Pydantic puts union tags and validator names into `loc` (`('pain_points', 0, 'str')`);
    they are not in the file, so they are skipped.
    """
    path: Path = ()
    for part in loc:
        if (*path, part) in known:
            path = (*path, part)
    return path


def describe(error: ErrorDetails, root: type[BaseModel]) -> str:
    """One sentence: what is wrong with the value at `error['loc']` and how to fix it."""
    loc = tuple(error["loc"])
    kind = error["type"]
    field = _field_name(loc)
    given = error.get("input")
    if kind == "missing":
        return f"missing required field '{field}'"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(root, loc[:-1])
        hint = did_you_mean(field, allowed)
        if not hint and allowed:
            hint = f"; allowed here: {', '.join(allowed)}"
        return f"unknown field '{field}'{hint}"
    if kind in ("literal_error", "enum"):
        expected = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        hint = did_you_mean(str(given), expected) if isinstance(given, str) else ""
        return f"{field} must be one of {', '.join(expected)}; got {shown_value(given)}{hint}"
    if kind == "string_pattern_mismatch":
        # A key (pydantic's loc ends in the key and "[key]"): a persona id under `emotion:`.
        named = f"{_field_name(loc[:-2])} key" if loc[-1:] == ("[key]",) else field
        return (
            f"{named} '{given}' is not a valid id: use lowercase letters, digits and '-'"
            f"{_slug_hint(given)}"
        )
    if kind == "string_too_short":
        return f"{field} must not be empty"
    if kind == "too_short" and field == "stages":
        return "a journey needs at least one stage under `stages:`"
    if kind == "list_type":
        return f"{field} must be a list (one `- item` per line), got {kind_of(given)}"
    if kind in ("string_type", "str_type"):
        return f"{field} must be text, got {kind_of(given)}; put it in quotes if it is text"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{field} must be a mapping of `key: value` lines, got {kind_of(given)}"
    if kind == "emotion":
        return str(error["msg"]) + _unquote_hint(field, given)
    if kind in ("no_id", "value_and_source", "emotion_and_source"):
        return str(error["msg"])
    if kind == "greater_than_equal":
        limit = error.get("ctx", {}).get("ge")
        return f"{field} must be {limit} or more; got {shown_value(given)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return (
            f"{field} must be a whole number, such as 12; got {shown_value(given)}"
            + _unquote_hint(field, given)
        )
    if kind in ("scalar", "blank", "empty", "duration", "date", "owned_text"):
        return f"{field} {error['msg']}"
    return f"{field}: {error['msg']}"


def _unquote_hint(field: str, given: Any) -> str:
    """Where a number was written in quotes (`emotion: "2"`): YAML reads it as text."""
    if isinstance(given, str) and re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", given.strip()):
        number = given.strip()
        return f"; a number in quotes is text to YAML: remove the quotes, `{field}: {number}`"
    return ""


# Union tags of the model (jmap.model): not field names.
_TAGS = ("score", "per-persona", "one", "several", "function-before")


def _field_name(loc: tuple[int | str, ...]) -> str:
    names = [part for part in loc if isinstance(part, str) and not part[:1].isupper()]
    names = [n for n in names if n not in _TAGS]
    return names[-1] if names else "the journey"


def kind_of(value: Any) -> str:
    """What a value is, in words: text, the number 3, a list, nothing."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {as_written(value)}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _slug_hint(value: Any) -> str:
    if isinstance(value, str) and slugify(value):
        return f", such as '{slugify(value)}'"
    return ""


def child_list(root: type[BaseModel], loc: tuple[int | str, ...]) -> str | None:
    """The list field of the model at `loc[:-1]` whose items take the field `loc[-1]`:
    `touchpoints` for a touchpoint's `opportunities:` written at the level of a stage."""
    for name in _allowed_fields(root, loc[:-1]):
        if loc[-1] in _allowed_fields(root, (*loc[:-1], name, 0)):
            return name
    return None


def _allowed_fields(root: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The field names of the model found at `loc`, by following the type annotations."""
    current: Any = root
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return []
    # The model itself, or the model of an optional field (`Source | None`).
    model = next((kind for kind in _alternatives(current) if _is_model(kind)), None)
    return list(model.model_fields) if model is not None else []


def _unwrap(annotation: Any, part: int | str) -> Any:
    """The type one step into `annotation` along `part` (a field name or a list index)."""
    for kind in _alternatives(annotation):
        if _is_model(kind) and isinstance(part, str) and part in kind.model_fields:
            return kind.model_fields[part].annotation
        if typing.get_origin(kind) is list and isinstance(part, int):
            return typing.get_args(kind)[0]
    return None


def _alternatives(annotation: Any) -> list[Any]:
    """The types an annotation may hold, with `Annotated[...]` and unions taken apart, last
    alternative first (the order the two lookups above have always tried them in)."""
    found = []
    candidates = [annotation]
    while candidates:
        current = candidates.pop()
        origin = typing.get_origin(current)
        if origin is typing.Annotated:
            candidates.append(typing.get_args(current)[0])
        elif origin in (typing.Union, types.UnionType):
            candidates.extend(typing.get_args(current))
        else:
            found.append(current)
    return found


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)
