"""The floor: the least any tool can spend reading journeys and writing three maps of each.

    python bench/floor.py -o OUT journey.yaml [journey.yaml ...]

For each journey file, in one process: parse it with libyaml (pyyaml's C loader), then write
`<name>.svg`, `<name>.html` and `<name>.md` into OUT by plain string formatting over its stages
and touchpoints (names, channels, emotions, pain points, opportunities), with the escaping each
format needs. No validation, no layout, no measuring of text: what is left is reading the files,
parsing YAML, formatting text and writing files, which any tool reading these journeys and
writing three maps has to do. bench/compare.py times it on the same journeys as jmap.
"""

from __future__ import annotations

import argparse
import sys
from html import escape
from pathlib import Path
from typing import Any

import yaml

CARD_WIDTH, CARD_HEIGHT, GAP = 180, 120, 20


def touchpoints(journey: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(stage name, touchpoint) in file order."""
    return [
        (str(stage.get("name", "")), touchpoint)
        for stage in journey.get("stages") or []
        for touchpoint in stage.get("touchpoints") or []
    ]


def texts(items: Any) -> list[str]:
    """Pain points and opportunities: plain text, or mappings with a `text`."""
    return [
        str(item.get("text", "")) if isinstance(item, dict) else str(item) for item in items or []
    ]


def svg(journey: dict[str, Any]) -> str:
    parts = []
    for column, (stage, tp) in enumerate(touchpoints(journey)):
        x = column * (CARD_WIDTH + GAP)
        parts.append(
            f'<g class="touchpoint"><rect x="{x}" y="40" width="{CARD_WIDTH}"'
            f' height="{CARD_HEIGHT}" rx="6" fill="#fff" stroke="#999"/>'
            f'<text x="{x + 8}" y="60">{escape(stage)}</text>'
            f'<text x="{x + 8}" y="80">{escape(str(tp.get("name", "")))}</text>'
            f'<text x="{x + 8}" y="100">{escape(str(tp.get("channel", "")))}</text>'
            f'<text x="{x + 8}" y="120">{escape(str(tp.get("emotion", "")))}</text>'
            + "".join(
                f'<text x="{x + 8}" y="{140 + 16 * n}">{escape(text)}</text>'
                for n, text in enumerate(texts(tp.get("pain_points")))
            )
            + "</g>"
        )
    width = max(1, len(parts)) * (CARD_WIDTH + GAP)
    title = escape(str(journey.get("title", "")))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="240">'
        f'<text x="0" y="20">{title}</text>{"".join(parts)}</svg>\n'
    )


def html(journey: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{escape(stage)}</td><td>{escape(str(tp.get('name', '')))}</td>"
        f"<td>{escape(str(tp.get('channel', '')))}</td>"
        f"<td>{escape(str(tp.get('emotion', '')))}</td>"
        f"<td>{'<br>'.join(escape(t) for t in texts(tp.get('pain_points')))}</td>"
        f"<td>{'<br>'.join(escape(t) for t in texts(tp.get('opportunities')))}</td></tr>"
        for stage, tp in touchpoints(journey)
    )
    title = escape(str(journey.get("title", "")))
    return (
        f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head>"
        f"<body><h1>{title}</h1><table><tr><th>Stage</th><th>Touchpoint</th><th>Channel</th>"
        f"<th>Emotion</th><th>Pain points</th><th>Opportunities</th></tr>{rows}</table>"
        "</body></html>\n"
    )


def md(journey: dict[str, Any]) -> str:
    def cell(text: Any) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    rows = "".join(
        f"| {cell(stage)} | {cell(tp.get('name', ''))} | {cell(tp.get('channel', ''))}"
        f" | {cell(tp.get('emotion', ''))} | {cell('; '.join(texts(tp.get('pain_points'))))}"
        f" | {cell('; '.join(texts(tp.get('opportunities'))))} |\n"
        for stage, tp in touchpoints(journey)
    )
    return (
        f"# {cell(journey.get('title', ''))}\n\n"
        "| Stage | Touchpoint | Channel | Emotion | Pain points | Opportunities |\n"
        f"| --- | --- | --- | --- | --- | --- |\n{rows}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("journeys", type=Path, nargs="+")
    args = parser.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    for path in args.journeys:
        journey = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for suffix, render in ((".svg", svg), (".html", html), (".md", md)):
            (args.output / f"{path.stem}{suffix}").write_text(render(journey), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
