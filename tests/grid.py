"""Reading the grid map (the SVG `jmap build` writes) the way its tests need: groups by class
and data-id, the texts in them, and the frame each is drawn in."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Frame:
    left: float
    top: float
    right: float
    bottom: float


def parse(svg: str | bytes) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)


def groups(root: ET.Element, css: str) -> list[ET.Element]:
    """The <g> elements that have `css` among their classes, in document order."""
    return [g for g in root.iter(f"{SVG}g") if css in g.get("class", "").split()]


def group(root: ET.Element, css: str, data_id: str) -> ET.Element:
    found = [g for g in groups(root, css) if g.get("data-id") == data_id]
    assert len(found) == 1, f"{len(found)} groups of class {css} with data-id {data_id}"
    return found[0]


def has_group(root: ET.Element, css: str, data_id: str) -> bool:
    return any(g.get("data-id") == data_id for g in groups(root, css))


def texts(element: ET.Element) -> list[str]:
    """The text a reader sees inside an element, one entry per <text> line."""
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def words(element: ET.Element) -> str:
    return " ".join(texts(element))


def title(element: ET.Element) -> str:
    found = element.find(f"{SVG}title")
    assert found is not None
    return found.text or ""


def frame(element: ET.Element) -> Frame:
    """The first rectangle in a group: the card or band it is drawn in."""
    rect = next(element.iter(f"{SVG}rect"))
    x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
    return Frame(x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0)))
