"""The naughty strings in every text field, built in every format: what each file holds
(tests/corpora.py says what is checked).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from jmap.loading.loader import loads
from jmap.render.html import safe_href
from jmap.render.xml_text import xml_text
from tests.corpora import (
    MARKDOWN_ELEMENTS,
    NUMBERS,
    SLIDES,
    STRING_IDS,
    STRINGS,
    VALID_IDS,
    VALID_NUMBERS,
    Built,
    Elements,
    assert_inside,
    at,
    dump,
    flat,
    naughty_journey,
    paths_of,
    valid,
)
from tests.render.test_html import parse as parse_html
from tests.render.test_markdown import MAP_MARKUP, assert_map_shows, read_page, shown


@pytest.mark.slow
def test_only_the_empty_and_the_blank_string_are_refused(naughty: Built) -> None:
    refused = {Path(built.source).stem: built.problems for built in naughty.report.failed}
    assert set(refused) == {STRING_IDS[n] for n in NUMBERS if not valid(n)}
    for name, problems in refused.items():
        text = (naughty.sources / f"{name}.yaml").read_text("utf-8")
        for problem in problems:
            assert problem.message.endswith(("must not be empty", "tabs or line breaks")), problem
            assert_inside(problem, text)


# Every 40th string, and the right-to-left and zero-width ones the slides are likeliest to miss.
SLIDE_SAMPLE = sorted(
    {*VALID_NUMBERS[::40]}
    | {n for n in VALID_NUMBERS if any(c in STRINGS[n] for c in "\u202e\u200b\u0627\u05d0")}
)


@pytest.mark.slow
def test_the_slides_build_from_every_kind_of_text(tmp_path: Path) -> None:
    from jmap.build.run import BuildOptions, build

    for number in SLIDE_SAMPLE:
        name = STRING_IDS[number]
        journey = naughty_journey(STRINGS[number], name)
        (tmp_path / f"{name}.yaml").write_text(dump(journey), "utf-8")
    report = build([tmp_path], BuildOptions(output=tmp_path / "maps", formats=SLIDES, jobs=2))
    assert not report.failed, [(b.source, b.problems) for b in report.failed]
    for number in SLIDE_SAMPLE:
        png = (tmp_path / "maps" / f"{STRING_IDS[number]}.png").read_bytes()
        pdf = (tmp_path / "maps" / f"{STRING_IDS[number]}.pdf").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert pdf.startswith(b"%PDF-")
        assert pdf.rstrip().endswith(b"%%EOF")


@pytest.mark.slow
@pytest.mark.parametrize("number", VALID_NUMBERS, ids=VALID_IDS)
def test_the_svg_is_xml_named_after_the_title(naughty: Built, number: int) -> None:
    root = ET.fromstring(naughty.map(number, "svg").read_text("utf-8"))
    svg = "{http://www.w3.org/2000/svg}"
    # XML reads every line break as \n; characters XML cannot hold are shown by a stand-in.
    title = xml_text(f"Journey map: {STRINGS[number]}")
    assert root.findtext(f"{svg}title") == title.replace("\r\n", "\n").replace("\r", "\n")
    # The map's heading, wrapped to the map's width: every character there, in order.
    shown = "".join("".join(element.itertext()) for element in root.iter(f"{svg}text"))
    assert "".join(xml_text(STRINGS[number]).split()) in "".join(shown.split())
    for element in root.iter():
        assert element.tag.removeprefix(svg) not in {"script", "foreignObject", "image"}
        assert not [name for name in element.attrib if name.lower().startswith("on")]


@pytest.mark.slow
@pytest.mark.parametrize("number", VALID_NUMBERS, ids=VALID_IDS)
def test_the_json_holds_every_text_as_written(naughty: Built, number: int) -> None:
    text = STRINGS[number]
    written = json.loads(naughty.map(number, "json").read_text("utf-8"))
    places = list(paths_of(naughty_journey(text, STRING_IDS[number]), text))
    assert len(places) >= 35
    for path in places:
        assert at(written, path) == text, path


@pytest.mark.slow
@pytest.mark.parametrize("number", VALID_NUMBERS, ids=VALID_IDS)
def test_the_markdown_keeps_its_tables_and_shows_the_text(naughty: Built, number: int) -> None:
    text = STRINGS[number]
    page = read_page(naughty.map(number, "md").read_text("utf-8"))
    # A stage's lanes (a row each, a column per touchpoint), the pain points by severity (with
    # their evidence), the KPIs of the stage and touchpoint.
    assert [[len(row) for row in table.rows] for table in page.tables] == [
        [3] * 10,
        [6] * 2,
        [6] * 3,
    ]
    if text.strip():  # a blank text shows as nothing, which assert_map_shows cannot find
        # CommonMark reads a NUL character as U+FFFD.
        shows = dump(naughty_journey(text.replace("\x00", "\ufffd"), STRING_IDS[number]))
        assert_map_shows(page, loads(shows, "expected.yaml"))
    mermaid = naughty.map(number, "mmd").read_text("utf-8")
    assert [(fence.info, fence.content) for fence in page.fences] == [("mermaid", mermaid)]
    # The one image is the SVG map written beside it, its alt text the journey's words.
    assert page.markup <= MAP_MARKUP | {"image"}
    rendered = Elements(page.html)
    assert rendered.elements <= MARKDOWN_ELEMENTS | {"img"}
    assert {value for name, value in rendered.attributes if name == "src"} == {
        f"{STRING_IDS[number]}.svg"
    }
    assert {(n, v) for n, v in rendered.attributes if n not in ("src", "alt")} <= {
        ("class", "language-mermaid")
    }


@pytest.mark.slow
def test_the_portfolio_markdown_keeps_its_tables(naughty: Built) -> None:
    page = read_page((naughty.maps / "index.md").read_text("utf-8"))
    journeys = len(VALID_NUMBERS)
    shapes = {
        table.heading: (len(table.rows), {len(row) for row in table.rows}) for table in page.tables
    }
    assert shapes["Journeys"] == (1 + journeys, {7})
    assert shapes["Emotion"] == (1 + journeys, {3})
    assert shapes["Pain points by severity"] == (2 + journeys, {6})
    titles = [row[1] for row in next(t for t in page.tables if t.heading == "Journeys").rows[1:]]
    # A title is a link to the journey's map, which the reader sees as its text.
    assert titles == [
        f"[link_open]{shown(STRINGS[n].replace(chr(0), chr(0xFFFD)))}[link_close]"
        for n in VALID_NUMBERS
    ]
    rendered = Elements(page.html)
    assert rendered.elements <= MARKDOWN_ELEMENTS | {"a"}
    assert {name for name, _ in rendered.attributes} <= {"href"}


@pytest.mark.slow
@pytest.mark.parametrize("number", VALID_NUMBERS, ids=VALID_IDS)
def test_the_html_map_holds_the_text_as_text(naughty: Built, number: int) -> None:
    page = parse_html(naughty.map(number, "html").read_text("utf-8"))
    assert page.problems == []
    assert page.open == []
    for tag, attributes in page.tags:
        assert tag not in {"script", "iframe", "object", "embed", "base", "link"}
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        if tag == "img":
            assert (attributes.get("src") or "").startswith("data:image/svg+xml;base64,")
        if tag == "a":
            assert safe_href(attributes.get("href")) == attributes.get("href")
    assert flat(STRINGS[number]) in flat("".join(page.text))
