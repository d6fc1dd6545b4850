"""The deck's first page: what the journey is, how it feels, and what to do first.

Laid out with the grid map's own pieces (its type sizes, text measuring and emotion curve) in
map units on a page of `width` x `height`, which the deck scales as it scales the map's pages.
"""

from __future__ import annotations

from jmap.i18n import _, ngettext
from jmap.render.curve import BRANCH_DASH
from jmap.render.grid import curve
from jmap.render.grid.layout import (
    BODY,
    CAPTION,
    CURVE_ROOM,
    MARGIN,
    NAME,
    STAGE,
    GridMap,
    Stack,
    heading,
    journey_facts,
)
from jmap.render.grid.shapes import Box, Group, Mark, Path, Rect, Shape, Text
from jmap.render.grid.text import width as text_width
from jmap.view import MOODS, JourneyView, TouchpointView
from jmap.wording import (
    BRANCH_KEY,
    MOMENTS_HEADING,
    PRIORITY_WORDS,
    TOP_OPPORTUNITIES_HEADING,
    branch_of,
    mood_words,
)

STEP = 36.0  # one score step of the curve


def overview(view: JourneyView, width: float, height: float) -> GridMap:
    inner = width - 2 * MARGIN
    stack = Stack(MARGIN, MARGIN, inner)
    heading(stack, view)
    stack.gap(14)
    items: list[Shape | Group] = list(stack.items)
    y = stack.y
    if view.has_emotions:
        curve_items, y = _curve(view, y, inner)
        items.extend(curve_items)
    column = (inner - 24) / 2
    items.append(_moments(view, MARGIN, y + 10, column, height - MARGIN))
    items.append(_opportunities(view, MARGIN + column + 24, y + 10, column, height - MARGIN))
    paper = Group("paper", items=[Rect(Box(0, 0, width, height), "jm-paper")])
    return GridMap(
        width,
        height,
        _("Journey map: {title}").format(title=view.journey.title),
        journey_facts(view),
        [paper, Group("overview", items=items)],
    )


def _curve(view: JourneyView, top: float, inner: float) -> tuple[list[Shape | Group], float]:
    """The emotion curve of every persona across the journey, over its stages."""
    items: list[Shape | Group] = [
        Text(MARGIN, top + STAGE, _("How it feels"), STAGE, "jm-title", "bold")
    ]
    # The curves' legend, right of the heading.
    x = MARGIN + text_width(_("How it feels"), STAGE, "bold") + 24
    for index, line in enumerate(view.curves):
        style = curve.curve_style(index)
        name = line.persona.name if len(view.curves) > 1 else _("emotion curve")
        css = f"jm-c{style.number}"
        items.append(Path(f"M{curve.fmt(x)} {curve.fmt(top + 10)}h32", f"jm-line {css}"))
        items.append(Mark(style.shape, x + 16, top + 10, curve.MARK_R, f"jm-mark {css}"))
        items.append(Text(x + 38, top + 14, name, CAPTION, "jm-body"))
        x += 38 + text_width(name, CAPTION) + 18
    if view.has_branches:
        sample = f"M{curve.fmt(x)} {curve.fmt(top + 10)}h32"
        items.append(Path(sample, "jm-line jm-branch jm-key-line", BRANCH_DASH))
        items.append(Text(x + 38, top + 14, _(BRANCH_KEY), CAPTION, "jm-body"))
    scale_w = 40.0
    left = MARGIN + scale_w
    band_top = top + 30
    names_h = CAPTION * 1.6
    room = CURVE_ROOM + 14 * min(3, len(view.curves) - 1)
    plot_top = band_top + names_h + room
    plot_h = 4 * STEP + 2 * room
    count = len(view.touchpoints)
    pitch = (inner - scale_w) / max(1, count)
    centres = {tp.id: left + (tp.index + 0.5) * pitch for tp in view.touchpoints}
    bottom = band_top + names_h + plot_h
    for number, stage in enumerate(view.stages, start=1):
        if not stage.touchpoints:
            continue
        first, last = stage.touchpoints[0].index, stage.touchpoints[-1].index
        box = Box(left + first * pitch, band_top, (last - first + 1) * pitch, bottom - band_top)
        items.append(Rect(box, f"jm-tint-{(number - 1) % 6 + 1}", 4))
        label = next(
            (
                text
                for text in (stage.stage.name, f"Stage {number}", str(number))
                if text_width(text, CAPTION, "bold") <= box.w - 8
            ),
            "",
        )
        if label:
            items.append(
                Text(box.x + 4, band_top + CAPTION * 1.2, label, CAPTION, "jm-muted", "bold")
            )
    plot = curve.Plot(Box(left, plot_top - room, inner - scale_w, plot_h), plot_top, STEP, centres)
    for score in range(1, 6):
        mood = MOODS[score]
        items.append(
            Text(
                left - 6,
                plot.y(score) + 4,
                f"{mood.symbol} {score}",
                CAPTION,
                "jm-muted",
                anchor="end",
            )
        )
    items.extend(curve.draw(view, plot))
    numbers = [str(tp.index + 1) for tp in view.touchpoints]
    if max(text_width(text, CAPTION) for text in numbers) + 4 <= pitch:
        for tp, text in zip(view.touchpoints, numbers, strict=True):
            items.append(
                Text(centres[tp.id], bottom + 14, text, CAPTION, "jm-muted", anchor="middle")
            )
    return items, bottom + 22


def _moments(view: JourneyView, x: float, top: float, w: float, bottom: float) -> Group:
    """The lowest point of each curve: where it is, who feels it and how, and its worst pain."""
    entries = []
    for line in view.curves:
        for point in line.lowest:
            who = "" if len(view.curves) == 1 else f"{curve.short_name(line)}: "
            pains = point.touchpoint.pains
            entries.append(
                (
                    f"{point.touchpoint.index + 1}. {point.touchpoint.touchpoint.name}",
                    f"{who}{mood_words(point.mood)} · {_place(point.touchpoint)}",
                    pains[0].pain.text if pains else "",
                )
            )
    return _list(
        _(MOMENTS_HEADING),
        _("the lowest point of each curve"),
        entries,
        x,
        top,
        w,
        bottom,
        False,
    )


def _place(tp: TouchpointView) -> str:
    """Its stage, and off the main path the branch it is on."""
    return " · ".join(filter(None, (tp.stage.name, branch_of(tp))))


def _opportunities(view: JourneyView, x: float, top: float, w: float, bottom: float) -> Group:
    """The top opportunities, ranked by the view's one rule (docs/output.md)."""
    entries = []
    for ranked in view.top_opportunities:
        opportunity = ranked.opportunity
        priority = _(PRIORITY_WORDS[opportunity.priority]) if opportunity.priority else ""
        meta = [priority[:1].upper() + priority[1:]] if priority else []
        if opportunity.owner:
            meta.append(opportunity.owner)
        answers = ""
        if ranked.worst is not None:
            pain, where = ranked.worst
            at = _("at {where}").format(where=where.touchpoint.name)
            answers = _("answers: {pain}").format(pain=f"{pain.pain.text} ({at})")
        entries.append((opportunity.text, " · ".join(meta), answers))
    return _list(
        _(TOP_OPPORTUNITIES_HEADING),
        _("by priority, then the pain they answer"),
        entries,
        x,
        top,
        w,
        bottom,
    )


def _list(
    heading: str,
    note: str,
    entries: list[tuple[str, str, str]],
    x: float,
    top: float,
    w: float,
    bottom: float,
    numbered: bool = True,
) -> Group:
    """A heading and (numbered) entries (a bold line, a caption, a body line), as many as fit
    above `bottom`; the map's pages show the rest."""
    stack = Stack(x, top, w)
    stack.text(heading, STAGE, "jm-title", "bold")
    stack.text(note, CAPTION, "jm-muted")
    stack.gap(8)
    if not entries:
        stack.text(_("None in this journey yet."), BODY, "jm-muted")
    group = Group(items=list(stack.items))
    for number, (title, caption, body) in enumerate(entries, start=1):
        entry = Stack(x, stack.y, w)
        entry.text(f"{number}. {title}" if numbered else title, NAME, "jm-name", "bold")
        if caption:
            entry.text(caption, CAPTION, "jm-muted", "bold")
        if body:
            entry.text(body, BODY, "jm-body")
        entry.gap(10)
        if entry.y > bottom:
            left = len(entries) - number + 1
            more = ngettext(
                "And {n} more: see the map's pages.", "And {n} more: see the map's pages.", left
            )
            stack.text(more.format(n=left), BODY, "jm-muted")
            group.add(*stack.items)
            break
        group.add(*entry.items)
        stack.y = entry.y
        stack.items = []
    return group
