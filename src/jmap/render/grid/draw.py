"""The grid map written as SVG text: the placed shapes of `layout`, and a stylesheet.

Every colour comes from the palette's `GRID` (jmap's, or a theme's: the render context's) and
reaches the drawing through the classes of the stylesheet written here. A theme's logo goes in
a strip of its own above the map, at the right, so it never covers the title. The font the
map was measured in is embedded as @font-face, so every browser draws the text as wide as it
was measured; characters that font lacks (CJK, emoji) come from the reader's system and were
measured generously. Numbers are written with two decimals at
most, and nothing depends on time or on the machine: the same journey gives the same bytes.
"""

from __future__ import annotations

import functools
from html import escape

from jmap.palette import DEFAULT, Logo, Palette
from jmap.render.grid.curve import fmt
from jmap.render.grid.layout import MARGIN, GridMap
from jmap.render.grid.shapes import Circle, Group, Mark, Path, Polyline, Rect, Shape, Text
from jmap.render.grid.text import FONT_FAMILY, font_faces
from jmap.render.xml_text import xml_text


def svg(
    drawing: GridMap, journey_id: str, palette: Palette = DEFAULT, logo: Logo | None = None
) -> str:
    """The map as SVG text, in `palette`'s colours, with `logo` above it (the PDF deck, which
    draws its pages from pieces of the map, places the logo itself)."""
    # Named after the journey, so that a page showing several maps has no duplicate ids.
    title_id, desc_id = f"journey-{journey_id}.title", f"journey-{journey_id}.desc"
    strip = logo.height + MARGIN if logo is not None else 0.0
    width, height = fmt(drawing.width), fmt(drawing.height + strip)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-labelledby="{_attr(title_id)} {_attr(desc_id)}" class="jmap-grid">',
        f'<title id="{_attr(title_id)}">{_text(drawing.title)}</title>',
        f'<desc id="{_attr(desc_id)}">{_text(drawing.description)}</desc>',
        f"<style>{stylesheet(frozenset(drawing.features), palette)}</style>",
    ]
    if logo is not None:
        parts += [
            f'<rect x="0" y="0" width="{width}" height="{fmt(strip)}" class="jm-paper"/>',
            f'<image class="jm-logo" x="{fmt(drawing.width - MARGIN - logo.width)}"'
            f' y="{fmt(MARGIN)}" width="{fmt(logo.width)}" height="{fmt(logo.height)}"'
            f' href="{logo.data_uri}"/>',
            f'<g transform="translate(0 {fmt(strip)})">',
        ]
    for layer in drawing.layers:
        _write(parts, layer)
    if logo is not None:
        parts.append("</g>")
    parts.append("</svg>\n")
    return "\n".join(parts)


def _write(parts: list[str], item: Shape | Group) -> None:
    if isinstance(item, Group):
        attributes = ""
        if item.css:
            attributes += f' class="{item.css}"'
        if item.data_id is not None:
            attributes += f' data-id="{_attr(item.data_id)}"'
        parts.append(f"<g{attributes}>")
        if item.title:
            parts.append(f"<title>{_text(item.title)}</title>")
        for inner in item.items:
            _write(parts, inner)
        parts.append("</g>")
    else:
        parts.append(_shape(item))


def _shape(item: Shape) -> str:
    if isinstance(item, Text):
        anchor = "" if item.anchor == "start" else f' text-anchor="{item.anchor}"'
        bold = ' font-weight="700"' if item.weight == "bold" else ""
        return (
            f'<text x="{fmt(item.x)}" y="{fmt(item.y)}" font-size="{fmt(item.size)}"'
            f'{bold}{anchor} class="{item.css}">{_text(item.text)}</text>'
        )
    if isinstance(item, Rect):
        box = item.box
        rounded = f' rx="{fmt(item.rx)}"' if item.rx else ""
        return (
            f'<rect x="{fmt(box.x)}" y="{fmt(box.y)}" width="{fmt(box.w)}"'
            f' height="{fmt(box.h)}"{rounded} class="{item.css}"/>'
        )
    if isinstance(item, Path):
        dash = f' stroke-dasharray="{item.dash}"' if item.dash else ""
        return f'<path d="{item.d}" class="{item.css}"{dash}/>'
    if isinstance(item, Polyline):
        points = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in item.points)
        return f'<polyline points="{points}" class="{item.css}"/>'
    if isinstance(item, Circle):
        return (
            f'<circle cx="{fmt(item.x)}" cy="{fmt(item.y)}" r="{fmt(item.r)}" class="{item.css}"/>'
        )
    return _mark(item)


def _mark(mark: Mark) -> str:
    x, y, r = mark.x, mark.y, mark.r
    if mark.shape == "circle":
        return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}" class="{mark.css}"/>'
    if mark.shape == "square":
        s = r * 0.9
        return (
            f'<rect x="{fmt(x - s)}" y="{fmt(y - s)}" width="{fmt(2 * s)}"'
            f' height="{fmt(2 * s)}" class="{mark.css}"/>'
        )
    if mark.shape == "diamond":
        d = r * 1.25
        corners = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
    else:
        d = r * 1.3
        corners = [(x, y - d), (x + d * 0.95, y + d * 0.62), (x - d * 0.95, y + d * 0.62)]
    points = " ".join(f"{fmt(cx)},{fmt(cy)}" for cx, cy in corners)
    return f'<polygon points="{points}" class="{mark.css}"/>'


def _text(text: str) -> str:
    return escape(xml_text(text), quote=False)


def _attr(text: str) -> str:
    return escape(xml_text(text), quote=True)


@functools.cache
def stylesheet(features: frozenset[str] = frozenset(), palette: Palette = DEFAULT) -> str:
    """Fonts and colours, one rule a line; the rules of `features` (GridMap.features) last."""
    GRID, EMOTIONS, SEVERITY_EDGES = palette.GRID, palette.EMOTIONS, palette.SEVERITY_EDGES
    rules = [
        *font_faces(),
        f'.jmap-grid{{font-family:"{FONT_FAMILY}",sans-serif;font-kerning:none;'
        "font-variant-ligatures:none}",
        f".jm-paper{{fill:{GRID.paper}}}",
        f".jm-title,.jm-name,.jm-body,.jm-lane-name{{fill:{GRID.ink}}}",
        f".jm-muted,.jm-thought{{fill:{GRID.muted}}}",
        f".jm-lane{{fill:{GRID.lane_header}}}",
        f".jm-card,.jm-cell{{fill:{GRID.card};stroke:{GRID.rule};stroke-width:1}}",
        f".jm-lowest-card{{stroke:{GRID.lowest};stroke-width:2}}",
        f".jm-empty{{fill:none;stroke:{GRID.rule};stroke-dasharray:4 3}}",
        f".jm-stage-ink{{fill:{GRID.stage_ink}}}",
        f".jm-moment,.jm-lowest-label{{fill:{GRID.moment}}}",
        ".jm-route,.jm-answer{fill:none;stroke-width:1.6}",
        f".jm-route{{stroke:{GRID.route};stroke-dasharray:6 3}}",
        f".jm-route-head{{fill:{GRID.route}}}",
        f".jm-route-label{{fill:{GRID.route}}}",
        f".jm-answer{{stroke:{GRID.answer}}}",
        f".jm-answer-head{{fill:{GRID.answer}}}",
        f".jm-opportunity{{fill:{GRID.opportunity.fill};stroke:{GRID.opportunity.line}}}",
        f".jm-opportunity-ink{{fill:{GRID.opportunity.line}}}",
        f".jm-cell-backstage{{fill:{GRID.backstage.fill};stroke:{GRID.backstage.line}}}",
        f".jm-actor{{fill:{GRID.ink}}}",
        f".jm-visibility{{fill:none;stroke:{GRID.visibility};stroke-width:1.5}}",
        f".jm-guide{{fill:none;stroke:{GRID.rule};stroke-width:1}}",
        ".jm-line{fill:none;stroke-width:2.5;stroke-linejoin:round}",
        # A branch is dashed (render.curve.BRANCH_DASH), and thinner than the line it leaves.
        ".jm-branch{stroke-width:2}",
        f".jm-key-line{{stroke:{GRID.ink}}}",
        f".jm-mark{{stroke:{GRID.paper};stroke-width:1.5}}",
        f".jm-ring{{fill:none;stroke:{GRID.lowest};stroke-width:2}}",
        f".jm-leader{{fill:none;stroke:{GRID.lowest};stroke-width:1}}",
        f".jm-pain{{fill:{GRID.card};stroke:{GRID.rule}}}",
    ]
    if palette.TITLE is not None:  # a theme's accent; unthemed maps keep their bytes
        rules.append(f".jm-title{{fill:{palette.TITLE}}}")
    for number, band in enumerate(GRID.stages, start=1):
        rules.append(f".jm-band-{number}{{fill:{band.band}}}")
        rules.append(f".jm-tint-{number}{{fill:{band.tint}}}")
    for number, colour in enumerate(GRID.curves, start=1):
        rules.append(f".jm-c{number}{{stroke:{colour}}}")
        rules.append(f".jm-mark.jm-c{number}{{fill:{colour};stroke:{GRID.paper}}}")
    for score, swatch in EMOTIONS.items():
        rules.append(f".jm-mood-{score}{{fill:{swatch.fill};stroke:{GRID.rule}}}")
        rules.append(f".jm-mood-ink-{score}{{fill:{swatch.ink}}}")
    for severity, swatch in GRID.severities.items():
        rules.append(f".jm-sev-{severity}{{fill:{swatch.fill}}}")
        rules.append(f".jm-sev-ink-{severity}{{fill:{swatch.ink}}}")
        # The HTML map's edge: the white ink of a dark swatch would leave no edge on a card.
        rules.append(f".jm-pain-{severity}{{stroke:{SEVERITY_EDGES[severity]}}}")
    if "blueprint" in features:
        rules += [
            f".jm-interaction{{fill:none;stroke:{GRID.interaction};stroke-width:2}}",
            f".jm-internal{{fill:none;stroke:{GRID.internal};stroke-width:1.5}}",
            f".jm-cell-frontstage{{fill:{GRID.frontstage.fill};stroke:{GRID.frontstage.line}}}",
            f".jm-cell-support{{fill:{GRID.support.fill};stroke:{GRID.support.line}}}",
        ]
    if "kpi" in features:
        rules += [
            f".jm-trend{{fill:none;stroke:{GRID.ink};stroke-width:1.5;stroke-linejoin:round}}",
            f".jm-on-track{{fill:{GRID.on_track}}}",
            f".jm-off-track{{fill:{GRID.off_track}}}",
        ]
    if "status" in features:
        for status, swatch in GRID.statuses.items():
            css = status.replace(" ", "-")
            rules.append(f".jm-status-{css}{{fill:{swatch.fill};stroke:{swatch.ink}}}")
            rules.append(f".jm-status-ink-{css}{{fill:{swatch.ink}}}")
    return "\n".join(rules)
