"""Cross-references of a journey: ids unique, every reference naming something that exists.

This works on the parsed data rather than the model so that it runs even when other parts of
the file are invalid: a user sees a dangling reference and a typo in one pass. Anything with
the wrong shape is left to the model's checks and skipped here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jmap.errors import did_you_mean
from jmap.loading.document import Path, as_written
from jmap.model import per_persona_sources
from jmap.slug import is_id, slugify


@dataclass(frozen=True)
class Finding:
    path: Path
    message: str
    at_key: bool = False  # point at the key itself rather than its value


@dataclass
class _Defined:
    """The ids of one kind (personas, channels, ...) and where each was first defined."""

    kind: str
    where: dict[str, Path]

    def message_for_unknown(self, ref: str) -> str:
        if not self.where:
            return f"unknown {self.kind} '{ref}': this journey defines no {self.kind}s"
        known = ", ".join(self.where)
        return f"unknown {self.kind} '{ref}'{did_you_mean(ref, self.where)}; known: {known}"


# File, line and column of a value: the journey's personas may come from included files.
Place = Callable[[Path], tuple[str, int, int]]


def check(data: Any, place: Place | None = None) -> list[Finding]:
    if not isinstance(data, dict):
        return []
    findings: list[Finding] = []
    personas = _collect(findings, "persona", _items(data, "personas"), place=place)
    channels = _collect(findings, "channel", _items(data, "channels"), place=place)
    _collect(findings, "stage", _items(data, "stages"), place=place)
    touchpoint_items = list(_touchpoints(data))
    touchpoints = _collect(findings, "touchpoint", touchpoint_items, place=place)
    # Pain points and opportunities have ids only where one is written, for `answers` to use.
    pain_items = _nested(touchpoint_items, "pain_points")
    pains = _collect(findings, "pain point", pain_items, explicit=True, place=place)
    opportunity_items = _nested(touchpoint_items, "opportunities")
    _collect(findings, "opportunity", opportunity_items, explicit=True, place=place)

    for path, touchpoint in touchpoint_items:
        channel = touchpoint.get("channel")
        if isinstance(channel, list):
            for index, ref in _list(channel):
                _refer(findings, channels, (*path, "channel", index), ref)
        else:
            _refer(findings, channels, (*path, "channel"), channel)
        for index, ref in _list(touchpoint.get("personas")):
            _refer(findings, personas, (*path, "personas", index), ref)
        _owned(findings, personas, path, touchpoint)
        for index, route in _list(touchpoint.get("next")):
            # A route is a touchpoint id, or a mapping that names it in `to`.
            if isinstance(route, dict):
                _refer(findings, touchpoints, (*path, "next", index, "to"), route.get("to"))
            else:
                _refer(findings, touchpoints, (*path, "next", index), route)
        _per_persona(findings, personas, path, touchpoint, "emotion")
        if per_persona_sources(touchpoint.get("emotion_source")):
            _per_persona(findings, personas, path, touchpoint, "emotion_source")
        for opportunity_path, opportunity in _nested([(path, touchpoint)], "opportunities"):
            for index, ref in _list(opportunity.get("answers")):
                where = (*opportunity_path, "answers", index)
                cause = _stray(data, ref, pains, "pain_points", place)
                if cause is not None:
                    findings.append(Finding(where, cause))
                else:
                    _refer(findings, pains, where, ref)
    return findings


def _per_persona(
    findings: list[Finding], personas: _Defined, path: Path, touchpoint: dict[str, Any], key: str
) -> None:
    """The persona ids `emotion:` or `emotion_source:` is keyed by: personas of the journey,
    and of this touchpoint when it lists its own."""
    emotion = touchpoint.get(key)
    if not isinstance(emotion, dict):
        return
    present = touchpoint.get("personas")
    listed = [_as_id(p) for p in present] if isinstance(present, list) else None
    for persona in emotion:
        if not is_id(persona):
            continue  # the model reports it, at the key
        where = (*path, key, persona)
        if listed is not None and persona in personas.where and persona not in listed:
            shown = ", ".join(str(p) for p in listed)
            message = (
                f"persona '{persona}' has an emotion here but is not in this touchpoint's"
                f" personas ({shown}); add it there or remove the emotion"
            )
            findings.append(Finding(where, message, at_key=True))
        else:
            _refer(findings, personas, where, persona, at_key=True)


def _stray(data: Any, ref: Any, defined: _Defined, key: str, place: Place | None) -> str | None:
    """Why `ref` is unknown when an item with that id is written somewhere it is not read as
    one of `defined` (under a misspelt key): that mistake is the cause, reported there."""
    ident = _as_id(ref)
    if ident is None or ident in defined.where or place is None:
        return None
    found = _with_id(data, ident, ())
    if found is None:
        return None
    file, line, column = place((*found, "id"))
    under = next((part for part in reversed(found) if isinstance(part, str)), "")
    return (
        f"unknown {defined.kind} '{ident}': the one at {file}:{line}:{column} is under"
        f" '{under}', not '{key}', so it is not read as a {defined.kind}; fix that key"
    )


def _with_id(value: Any, ident: str, path: Path) -> Path | None:
    """The path of the first mapping in `value` whose `id` is `ident`."""
    if isinstance(value, dict):
        if _as_id(value.get("id")) == ident:
            return path
        items: list[tuple[Any, Any]] = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None
    for part, child in items:
        found = _with_id(child, ident, (*path, part))
        if found is not None:
            return found
    return None


def _owned(
    findings: list[Finding], personas: _Defined, path: Path, touchpoint: dict[str, Any]
) -> None:
    """The `persona:` of a thought, an action or a pain point: a persona of the journey, and
    one this touchpoint has (its `personas:`, where written)."""
    present = touchpoint.get("personas")
    listed = [_as_id(p) for p in present] if isinstance(present, list) else None
    for key in ("thoughts", "actions", "pain_points"):
        for item_path, item in _nested([(path, touchpoint)], key):
            ref = _as_id(item.get("persona"))
            where = (*item_path, "persona")
            if ref is not None and listed is not None and ref in personas.where:
                if ref not in listed:
                    shown = ", ".join(str(p) for p in listed)
                    message = (
                        f"persona '{ref}' is not in this touchpoint's personas ({shown});"
                        " add it there or name another persona"
                    )
                    findings.append(Finding(where, message))
                continue
            _refer(findings, personas, where, ref)


def _items(data: dict[str, Any], key: str) -> list[tuple[Path, dict[str, Any]]]:
    return [((key, i), item) for i, item in _list(data.get(key)) if isinstance(item, dict)]


def _touchpoints(data: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    for stage_path, stage in _items(data, "stages"):
        touchpoints = stage.get("touchpoints")
        if isinstance(touchpoints, list):
            for index, item in enumerate(touchpoints):
                if isinstance(item, dict):
                    yield (*stage_path, "touchpoints", index), item


def _nested(
    parents: list[tuple[Path, dict[str, Any]]], key: str
) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path, parent in parents:
        for index, item in _list(parent.get(key)):
            if isinstance(item, dict):
                found.append(((*path, key, index), item))
    return found


def _list(value: Any) -> list[tuple[int, Any]]:
    return list(enumerate(value)) if isinstance(value, list) else []


def _collect(
    findings: list[Finding],
    kind: str,
    items: list[tuple[Path, dict[str, Any]]],
    explicit: bool = False,
    place: Place | None = None,
) -> _Defined:
    """Record the id of each item (explicit, or the slug of its name) and flag repeats,
    each saying where the first is (perhaps in an included file)."""
    defined = _Defined(kind, {})
    for path, item in items:
        given = _as_id(item.get("id"))
        if given is not None:
            ident, id_path, derived = given, (*path, "id"), False
        elif not explicit and isinstance(item.get("name"), str):
            ident, id_path, derived = slugify(item["name"]), (*path, "name"), True
        else:
            continue
        if not ident or not is_id(ident):
            continue  # the model reports ids it cannot use
        if ident in defined.where:
            message = _duplicate(kind, ident, derived, defined.where[ident], place)
            findings.append(Finding(id_path, message))
            continue
        defined.where[ident] = id_path
    return defined


def _duplicate(kind: str, ident: str, derived: bool, first: Path, place: Place | None) -> str:
    where = ""
    if place is not None:
        file, line, column = place(first)
        where = f": first defined at {file}:{line}:{column}"
    if derived:
        return f"duplicate {kind} id '{ident}' (made from its name){where}; give one an `id:`"
    return f"duplicate {kind} id '{ident}'{where}; remove one, or give one another `id:`"


def _refer(
    findings: list[Finding], defined: _Defined, path: Path, ref: Any, at_key: bool = False
) -> None:
    ident = _as_id(ref)
    if ident is not None and ident not in defined.where:
        findings.append(Finding(path, defined.message_for_unknown(ident), at_key))


def _as_id(value: Any) -> str | None:
    """An id as the model reads it: `id: 7` is the id "7", like `id: "7"`, and `id: 07` "07"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(as_written(value))
    return value if isinstance(value, str) else None
