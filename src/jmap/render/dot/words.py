"""How values are put into words, the same on a card, in a heading and in a tooltip."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jmap.model import Kpi
    from jmap.view import Mood, TouchpointView


def kpi_words(kpi: Kpi) -> str:
    """'Conversion: 12% (target 15%)', or as much of it as is known."""
    parts = []
    if kpi.value is not None:
        parts.append(_measure(kpi.value, kpi.unit))
    if kpi.target is not None:
        target = f"target {_measure(kpi.target, kpi.unit)}"
        parts.append(f"({target})" if parts else target)
    return f"{kpi.name}: {' '.join(parts)}" if parts else kpi.name


def mood_words(mood: Mood) -> str:
    return f"{mood.symbol} {mood.score} {mood.label}"


def channel_words(touchpoint: TouchpointView) -> str:
    channel = touchpoint.channel
    if channel is None:
        return "no channel"
    return f"{channel.name} · {channel.kind}" if channel.kind else channel.name


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _measure(value: object, unit: str | None) -> str:
    if unit is None:
        return str(value)
    return f"{value}{unit}" if unit == "%" else f"{value} {unit}"
