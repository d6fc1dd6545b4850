"""The portfolio pages (index.html, index.md): every journey, every pain point, the channel matrix.

Expected values are worked out here from the journey models, not from jmap.view, so a mistake
in the view cannot hide behind the same mistake in the test. The pages are read the way a
reader's tools read them: the HTML with a parser and in headless Chromium (tests/browser.py),
the Markdown through markdown-it's CommonMark + GFM tables, as GitHub reads it.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args
from urllib.parse import unquote

import pytest

from jmap.loader import load
from jmap.model import SEVERITY_RANK, Category, Journey
from jmap.render import RenderContext
from jmap.render.portfolio import (
    CATEGORY_NAMES,
    JOURNEYS_SHOWN_PER_CELL,
    PAINS_SHOWN_PER_CATEGORY,
    PortfolioEntry,
    portfolio_row,
    render_index_html,
    render_index_md,
)
from jmap.templating import environment
from jmap.view import MOODS, journey_view
from tests.browser import PHONE, launch, visit
from tests.helpers import EXAMPLES, ROOT, journey_folder, run_cli
from tests.test_html import parse as well_formed
from tests.test_markdown import read_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SEVERITIES = ("critical", "high", "medium", "low")
MAP_FORMATS = ("svg", "html", "md")
HOSTILE = "<img src=x onerror=alert(1)> | *bold* [link](javascript:alert(1))"


def context() -> RenderContext:
    return RenderContext(environment(), lambda dot: "")  # the portfolio lays nothing out


def entries(
    journeys: list[Journey], formats: tuple[str, ...] = MAP_FORMATS
) -> list[PortfolioEntry]:
    return [
        PortfolioEntry(portfolio_row(journey_view(j)), {name: f"{j.id}.{name}" for name in formats})
        for j in journeys
    ]


@pytest.fixture(scope="module")
def journeys() -> list[Journey]:
    return [load(example) for example in EXAMPLES]


@pytest.fixture(scope="module")
def html(journeys: list[Journey]) -> str:
    return render_index_html(entries(journeys), context())


@pytest.fixture(scope="module")
def markdown(journeys: list[Journey]) -> str:
    return render_index_md(entries(journeys), context())


# Reading an HTML page ------------------------------------------------------------------------


@dataclass
class Table:
    caption: str = ""
    rows: list[list[str]] = field(default_factory=list)  # every row, header first; cell text
    links: list[list[str | None]] = field(default_factory=list)  # first link of each cell


class _Page(HTMLParser):
    """Tables (caption, cell texts, links), headings, every tag, and all text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.headings: list[tuple[int, str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._link: str | None = None
        self._caption: list[str] | None = None
        self._heading: tuple[int, list[str]] | None = None
        self._elements: list[str] = []  # open elements, to tell which card a text is in
        self.cards: dict[str, list[str]] = {}  # journey card id -> its text
        self._card: str | None = None
        self._card_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if tag == "table":
            self.tables.append(Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
            self.tables[-1].links.append([])
        elif tag in ("td", "th") and self.tables and self._caption is None:
            self._cell = []
            self._link = None
        elif tag == "caption":
            self._caption = []
        elif tag == "a" and self._cell is not None and self._link is None:
            self._link = found.get("href")
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = (int(tag[1]), [])
        if tag == "li" and (found.get("id") or "").startswith("journey-"):
            self._card = found["id"]
            self._card_depth = 0
            self.cards[self._card or ""] = []
        if self._card is not None and tag == "li":
            self._card_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1].rows[-1].append(" ".join("".join(self._cell).split()))
            self.tables[-1].links[-1].append(self._link)
            self._cell = None
        elif tag == "caption" and self._caption is not None:
            self.tables[-1].caption = " ".join("".join(self._caption).split())
            self._caption = None
        elif self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], " ".join("".join(self._heading[1]).split())))
            self._heading = None
        if self._card is not None and tag == "li":
            self._card_depth -= 1
            if self._card_depth == 0:
                self._card = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._caption is not None:
            self._caption.append(data)
        if self._heading is not None:
            self._heading[1].append(data)
        if self._card is not None:
            self.cards[self._card].append(data)

    def table(self, caption_start: str) -> Table:
        (found,) = [t for t in self.tables if t.caption.startswith(caption_start)]
        return found

    def card(self, journey_id: str) -> str:
        return " ".join(" ".join(self.cards[f"journey-{journey_id}"]).split())


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


# What the pages should show, from the models ---------------------------------------------------


def severity_counts(journey: Journey) -> list[int]:
    found: list[str] = [pain.severity for tp in journey.touchpoints() for pain in tp.pain_points]
    return [found.count(severity) for severity in SEVERITIES]


def answered(journey: Journey, touchpoint_id: str, pain_id: str | None) -> list[str]:
    """The opportunities that answer a pain point: by naming its id, or at its touchpoint
    without naming any pain point."""
    texts = []
    for tp in journey.touchpoints():
        for opportunity in tp.opportunities:
            if (pain_id and pain_id in opportunity.answers) or (
                tp.id == touchpoint_id and not opportunity.answers
            ):
                texts.append(opportunity.text)
    return texts


@dataclass(frozen=True)
class ExpectedPain:
    severity: str
    text: str
    journey: str
    touchpoint: str
    answers: tuple[str, ...]


def expected_pains(journeys: list[Journey]) -> dict[str, list[ExpectedPain]]:
    """Category -> its pain points, worst first, then in journey and touchpoint order."""
    found: dict[str, list[tuple[int, int, int, ExpectedPain]]] = {}
    for j_index, journey in enumerate(journeys):
        for t_index, tp in enumerate(journey.touchpoints()):
            for pain in tp.pain_points:
                item = ExpectedPain(
                    pain.severity,
                    pain.text,
                    journey.title,
                    tp.name,
                    tuple(answered(journey, tp.id, pain.id)),
                )
                key = (-SEVERITY_RANK[pain.severity], j_index, t_index, item)
                found.setdefault(pain.category, []).append(key)
    return {
        category: [item for *_, item in sorted(found[category], key=lambda k: k[:3])]
        for category in CATEGORY_NAMES
        if category in found
    }


@dataclass
class ExpectedMatrix:
    stages: list[str]  # ids, first-seen order
    stage_names: dict[str, list[str]]
    channels: list[str | None]  # ids, first-seen order; None for touchpoints without one
    channel_names: dict[str | None, list[str]]
    counts: dict[tuple[str | None, str], dict[str, int]]  # (channel, stage) -> journey -> n


def expected_matrix(journeys: list[Journey]) -> ExpectedMatrix:
    matrix = ExpectedMatrix([], {}, [], {}, {})
    for journey in journeys:
        for stage in journey.stages:
            if stage.id not in matrix.stages:
                matrix.stages.append(stage.id)
            names = matrix.stage_names.setdefault(stage.id, [])
            if stage.name not in names:
                names.append(stage.name)
            for tp in stage.touchpoints:
                cell = matrix.counts.setdefault((tp.channel, stage.id), {})
                cell[journey.id] = cell.get(journey.id, 0) + 1
        for channel in journey.channels:
            if channel.id not in matrix.channels:
                matrix.channels.append(channel.id)
            names = matrix.channel_names.setdefault(channel.id, [])
            if channel.name not in names:
                names.append(channel.name)
    if any(channel is None for channel, _ in matrix.counts):
        matrix.channels.append(None)
        matrix.channel_names[None] = ["No channel given"]
    return matrix


def count_in(cell: str) -> int:
    """The touchpoint count a matrix cell starts with; an empty cell shows a dash."""
    found = re.match(r"\**(\d+)", cell)
    return int(found.group(1)) if found else 0


# The HTML page ----------------------------------------------------------------------------


def test_every_journey_is_listed_with_its_facts_and_a_link(
    html: str, journeys: list[Journey]
) -> None:
    page = parse(html)
    assert [card.removeprefix("journey-") for card in page.cards] == [j.id for j in journeys]
    links = {attrs.get("href") for tag, attrs in page.tags if tag == "a"}
    for number, journey in enumerate(journeys, start=1):
        card = page.card(journey.id)
        assert f"J{number} {journey.title}" in card
        assert f"{journey.state.capitalize()} state" in card
        assert f"Owner {journey.owner}" in card
        for persona in journey.personas:
            assert persona.name in card
        for tag in journey.tags:
            assert tag in card
        assert f"{journey.id}.html" in links
        counts = severity_counts(journey)
        for severity, count in zip(SEVERITIES, counts, strict=True):
            assert (f"{count} {severity}" in card) is (count > 0)


def test_emotion_average_and_lowest_moments(html: str, journeys: list[Journey]) -> None:
    # Every example journey has one persona, or scores per persona: one curve per persona.
    page = parse(html)
    for journey in journeys:
        card = page.card(journey.id)
        lows = card.split("Lowest moment", 1)[1]
        for persona in journey.personas:
            scores: dict[str, int] = {}  # "<touchpoint> <stage>" -> the persona's score
            for stage in journey.stages:
                for tp in stage.touchpoints:
                    where = f"{tp.name} {stage.name}"
                    if isinstance(tp.emotion, dict):
                        if persona.id in tp.emotion:
                            scores[where] = tp.emotion[persona.id]
                    elif tp.emotion is not None and persona.id in (tp.personas or []):
                        scores[where] = tp.emotion
            mean = sum(scores.values()) / len(scores)
            assert f"{mean:.1f} {persona.name}" in card
            bottom = min(scores.values())
            for where, score in scores.items():
                shown = f"{bottom} {MOODS[bottom].label} {where} · {persona.name}"
                assert (shown in lows) is (score == bottom), shown


def test_severity_table_counts_every_pain_point(html: str, journeys: list[Journey]) -> None:
    table = parse(html).table("Pain points of each journey by severity")
    header, *rows, total = table.rows
    assert header == ["Journey", "Critical", "High", "Medium", "Low", "Total"]
    for row, links, journey in zip(rows, table.links[1:-1], journeys, strict=True):
        counts = severity_counts(journey)
        assert row == [journey.title, *map(str, counts), str(sum(counts))]
        assert links[0] == f"{journey.id}.html#pains"
    every = [sum(c) for c in zip(*(severity_counts(j) for j in journeys), strict=True)]
    assert total == ["All journeys", *map(str, every), str(sum(every))]


def test_pain_points_grouped_by_category_worst_first(html: str, journeys: list[Journey]) -> None:
    page = parse(html)
    expected = expected_pains(journeys)
    headings = [text for level, text in page.headings if level == 3 and "pain point" in text]
    assert [h.split(" ")[0] for h in headings] == [
        CATEGORY_NAMES[c].split(" ")[0] for c in expected
    ]
    for category, pains in expected.items():
        table = page.table(f"{CATEGORY_NAMES[category]}: pain points with category {category}")
        header, *rows = table.rows
        assert header == ["Severity", "Pain point", "Journey", "Touchpoint", "Answered by"]
        assert len(rows) == len(pains)
        for row, pain in zip(rows, pains, strict=True):
            assert row[0] == pain.severity.capitalize()
            assert row[1] == pain.text
            assert row[2] == pain.journey
            assert row[3].startswith(pain.touchpoint)
            if pain.answers:
                assert row[4] == " ".join(pain.answers)
            else:
                assert row[4] == "No opportunity yet"
    assert sum(len(p) for p in expected.values()) == sum(sum(severity_counts(j)) for j in journeys)


def test_channel_by_stage_matrix(html: str, journeys: list[Journey]) -> None:
    expected = expected_matrix(journeys)
    titles = {j.id: j.title for j in journeys}
    table = parse(html).table("Touchpoints by channel (rows) and stage (columns)")
    header, *rows, totals = table.rows
    assert header == [
        "Channel",
        *(" / ".join(expected.stage_names[s]) for s in expected.stages),
        "Total",
    ]
    assert len(rows) == len(expected.channels)
    for row, channel in zip(rows, expected.channels, strict=True):
        assert row[0].startswith(" / ".join(expected.channel_names[channel]))
        for cell, stage in zip(row[1:-1], expected.stages, strict=True):
            tally = expected.counts.get((channel, stage), {})
            assert count_in(cell) == sum(tally.values()), (channel, stage, cell)
            if not tally:
                assert cell == "–none"  # a dash to see, "none" to hear
            for journey_id in tally:
                assert titles[journey_id] in cell
        assert row[-1] == str(
            sum(sum(t.values()) for (c, _), t in expected.counts.items() if c == channel)
        )
    every = sum(len(list(j.touchpoints())) for j in journeys)
    assert totals[0] == "All channels"
    assert totals[-1] == str(every)
    assert sum(map(int, totals[1:-1])) == every


def test_one_channel_id_with_two_names_shows_both(journeys: list[Journey]) -> None:
    # The examples use `social` for Instagram in one journey and X in another.
    table = parse(render_index_html(entries(journeys), context())).table("Touchpoints by")
    names = [row[0] for row in table.rows[1:-1]]
    assert any("X (Twitter) / Instagram" in name for name in names)


def test_page_is_self_contained_and_accessible_by_structure(html: str) -> None:
    nesting = well_formed(html)
    assert nesting.problems == []
    assert nesting.open == []
    page = parse(html)
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "link", "iframe", "object", "embed", "img", "base"}
    assert '<html lang="en">' in html
    assert "Content-Security-Policy" in html
    assert "url(" not in html
    assert page.tags[[t for t, _ in page.tags].index("a")][1].get("class") == "skip"
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    for tag, attrs in page.tags:
        if tag == "th":
            assert attrs.get("scope") in ("col", "row"), attrs
    assert all(table.caption for table in page.tables)


def test_links_prefer_html_then_svg_then_markdown(journeys: list[Journey]) -> None:
    page = parse(render_index_html(entries(journeys[:2], ("svg", "md")), context()))
    links = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    assert f"{journeys[0].id}.svg" in links
    assert not [link for link in links if link and ".svg#" in link]  # no deep links into SVG
    markdown = render_index_md(entries(journeys[:2], ("html", "svg")), context())
    assert f"]({journeys[0].id}.html)" in markdown
    bare = render_index_html(entries(journeys[:2], ("json",)), context())
    assert not [a for t, a in parse(bare).tags if t == "a" and ".json" in (a.get("href") or "")]


# The Markdown page ------------------------------------------------------------------------


def test_markdown_tables_keep_their_shape(markdown: str, journeys: list[Journey]) -> None:
    page = read_page(markdown)
    assert [text for level, text in page.headings if level < 3] == [
        "Customer journey portfolio",
        "Journeys",
        "Emotion",
        "Pain points by severity",
        "Pain points by category",
        "Channels by stage",
    ]
    for table in page.tables:
        assert len({len(row) for row in table.rows}) == 1, table.heading
    by_heading = {table.heading: table for table in page.tables}
    listing = by_heading["Journeys"].rows
    assert [row[1] for row in listing[1:]] == [
        f"[link_open]{j.title}[link_close]" for j in journeys
    ]
    assert [row[3] for row in listing[1:]] == [j.owner for j in journeys]
    assert f'href="{journeys[0].id}.md"' in page.html
    severity = by_heading["Pain points by severity"].rows
    for row, journey in zip(severity[1:-1], journeys, strict=True):
        counts = severity_counts(journey)
        assert row == [journey.title, *map(str, counts), str(sum(counts))]
    every = [sum(c) for c in zip(*(severity_counts(j) for j in journeys), strict=True)]
    assert severity[-1] == [f"**{n}**" for n in ("All journeys", *every, sum(every))]
    for category, pains in expected_pains(journeys).items():
        rows = by_heading[CATEGORY_NAMES[category]].rows[1:]
        assert [(r[0], r[1], r[2]) for r in rows] == [
            (p.severity, p.text, p.journey) for p in pains
        ]
        for row, pain in zip(rows, pains, strict=True):
            assert row[4] == ("\n".join(pain.answers) if pain.answers else "*none yet*")
    matrix = by_heading["Channels by stage"].rows
    expected = expected_matrix(journeys)
    assert len(matrix) == len(expected.channels) + 2
    for row, channel in zip(matrix[1:-1], expected.channels, strict=True):
        for cell, stage in zip(row[1:-1], expected.stages, strict=True):
            tally = expected.counts.get((channel, stage), {})
            assert count_in(cell) == sum(tally.values())


def test_every_category_has_a_name() -> None:
    assert tuple(CATEGORY_NAMES) == get_args(Category)


def test_bare_journeys_say_what_is_missing() -> None:
    from jmap.loader import loads

    bare = loads("jmap: 1\ntitle: Bare\nstages:\n  - name: Look\n", "bare.yaml")
    shared = loads(
        "jmap: 1\ntitle: Shared\npersonas: [{name: Ann}, {name: Bo}]\nstages:\n"
        "  - name: Look\n    touchpoints:\n      - {name: Sees ad, emotion: 2}\n"
        "      - {name: Buys, emotion: 4}\n",
        "shared.yaml",
    )
    page = parse(render_index_html(entries([bare, shared]), context()))
    assert "Owner Not given Personas None given" in page.card("bare")
    assert "Average emotion 1 to 5 Not recorded" in page.card("bare")
    assert "Pain points None recorded" in page.card("bare")
    # Both personas feel the same: one curve for everyone, named for no one.
    assert "Average emotion 1 to 5 3.0 Lowest moment ▼ 2 negative Sees ad Look Pain" in (
        page.card("shared")
    )
    assert "Pain points by category" not in [text for _, text in page.headings]
    matrix = page.table("Touchpoints by channel").rows
    assert matrix[1][0] == "No channel given"
    assert count_in(matrix[1][1]) == 2
    assert "Shared" in matrix[1][1]
    markdown = read_page(render_index_md(entries([bare, shared]), context()))
    for table in markdown.tables:
        assert len({len(row) for row in table.rows}) == 1, table.heading
    emotion = {t.heading: t for t in markdown.tables}["Emotion"].rows
    assert emotion[1][1:] == ["*not recorded*", "*not recorded*"]
    assert emotion[2][1:] == ["3.0", "▼ 2 negative at Sees ad (Look)"]


def many_journeys(count: int, pains_each: int) -> list[Journey]:
    """Journeys that all put one touchpoint on the same channel and stage, each with pain
    points of one category whose severity cycles through the four."""
    from jmap.loader import loads

    def journey(number: int) -> Journey:
        pains = [
            {"text": f"Pain {number}.{n}", "severity": SEVERITIES[n % 4], "category": "staff"}
            for n in range(pains_each)
        ]
        return loads(
            json.dumps(
                {
                    "jmap": 1,
                    "id": f"j{number:03}",
                    "title": f"Journey {number}",
                    "channels": [{"id": "web", "name": "Web"}],
                    "stages": [
                        {
                            "id": "buy",
                            "name": "Buy",
                            "touchpoints": [
                                {"name": "Checkout", "channel": "web", "pain_points": pains}
                            ],
                        }
                    ],
                }
            ),
            f"j{number}.yaml",
        )

    return [journey(number) for number in range(1, count + 1)]


def test_a_large_portfolio_lists_the_worst_and_counts_the_rest() -> None:
    # 15 journeys of 8 pain points: 120 in one category, 30 of each severity; 15 journeys in
    # one matrix cell.
    journeys = many_journeys(15, 8)
    page = parse(render_index_html(entries(journeys), context()))
    _, *rows = page.table("Unhelpful staff: pain points with category staff").rows
    assert len(rows) == PAINS_SHOWN_PER_CATEGORY == 100
    shown = [row[0] for row in rows]
    assert shown == ["Critical"] * 30 + ["High"] * 30 + ["Medium"] * 30 + ["Low"] * 10
    words = " ".join("".join(page.text).split())
    assert "Where a category has more than 100, it lists its 100 worst" in words
    assert "And 20 more pain points in this category (20 low), not listed here." in words
    (heading,) = [text for level, text in page.headings if text.startswith("Unhelpful staff")]
    assert "120 pain points: 30 critical, 30 high, 30 medium, 30 low" in heading
    _, row, _ = page.table("Touchpoints by channel").rows
    assert count_in(row[1]) == 15  # every touchpoint is counted
    assert JOURNEYS_SHOWN_PER_CELL == 12
    assert "Journey 12" in row[1]
    assert "Journey 13" not in row[1]
    assert row[1].endswith("and 3 more journeys")

    markdown = read_page(render_index_md(entries(journeys), context()))
    tables = {table.heading: table for table in markdown.tables}
    assert len(tables["Unhelpful staff"].rows) == 1 + 100
    for table in markdown.tables:
        assert len({len(row) for row in table.rows}) == 1, table.heading
    matrix = tables["Channels by stage"].rows
    assert matrix[1][1].endswith("J12: 1 and 3 more)")


def test_a_small_portfolio_lists_every_pain_point() -> None:
    journeys = many_journeys(2, 8)
    html = render_index_html(entries(journeys), context())
    assert "not listed here" not in html
    assert "more journeys" not in html
    assert "lists its 100 worst" not in html
    assert "not listed here" not in render_index_md(entries(journeys), context())


# Hostile text and determinism ---------------------------------------------------------------


def hostile() -> list[Journey]:
    from jmap.loader import loads

    def journey(journey_id: str) -> Journey:
        return loads(
            json.dumps(
                {
                    "jmap": 1,
                    "id": journey_id,
                    "title": f"{journey_id} {HOSTILE}",
                    "owner": HOSTILE,
                    "tags": [HOSTILE],
                    "personas": [{"id": "p", "name": f"Ann {HOSTILE}"}],
                    "channels": [{"id": "web", "name": f"Web {HOSTILE}"}],
                    "stages": [
                        {
                            "id": "buy",
                            "name": f"Buy {HOSTILE}",
                            "touchpoints": [
                                {
                                    "id": "tp",
                                    "name": f"Checkout {HOSTILE}",
                                    "channel": "web",
                                    "emotion": 2,
                                    "pain_points": [{"text": HOSTILE, "severity": "critical"}],
                                    "opportunities": [HOSTILE],
                                }
                            ],
                        }
                    ],
                }
            ),
            f"{journey_id}.yaml",
        )

    return [journey("one"), journey("two")]


def test_hostile_text_stays_text_in_html() -> None:
    html = render_index_html(entries(hostile()), context())
    assert well_formed(html).problems == []
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in ("img", "script")
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "javascript" not in (attrs.get("href") or "")
    assert HOSTILE in "".join(page.text)
    assert "<img" not in html


def test_hostile_text_stays_text_in_markdown() -> None:
    markdown = render_index_md(entries(hostile()), context())
    page = read_page(markdown)
    assert "<img" not in page.html
    # Only the links to the maps: `[link](javascript:...)` in a text stays text.
    assert re.findall(r"<a [^>]*>", page.html) == ['<a href="one.md">', '<a href="two.md">']
    for table in page.tables:
        assert len({len(row) for row in table.rows}) == 1, table.heading
    listing = {t.heading: t for t in page.tables}["Journeys"].rows
    assert listing[1][1] == f"[link_open]one {HOSTILE}[link_close]"
    assert listing[1][3] == HOSTILE


def test_same_pages_whatever_the_hash_seed() -> None:
    script = (
        "from jmap.loader import load\n"
        "from tests.test_portfolio import EXAMPLES, context, entries\n"
        "from jmap.render.portfolio import render_index_html, render_index_md\n"
        "js = [load(e) for e in EXAMPLES]\n"
        "print(render_index_html(entries(js), context()) + render_index_md(entries(js), context()))"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("0", "1")
    ]
    assert outputs[0] == outputs[1]
    assert b"Customer journey portfolio" in outputs[0]


# Through the CLI -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example maps, and the index pages the build writes beside them."""
    output = tmp_path_factory.mktemp("maps")
    result = run_cli(["build", "examples", "-o", str(output), "-q"])
    assert result.exit_code == 0, result.stdout
    return output


def test_links_and_anchors_resolve(built: Path) -> None:
    for name in ("index.html", "index.md"):
        text = (built / name).read_text("utf-8")
        hrefs = re.findall(r'href="([^"#][^"]*)"', text) + re.findall(r"\]\(([^)]+)\)", text)
        assert hrefs
        for href in hrefs:
            file, _, anchor = unquote(href).partition("#")
            assert (built / file).is_file(), href
            if anchor:
                assert f'id="{anchor}"' in (built / file).read_text("utf-8"), href


def test_build_writes_the_index_only_for_several_journeys(tmp_path: Path) -> None:
    output = tmp_path / "all"
    result = run_cli(["build", "examples", "-o", str(output)])
    assert result.exit_code == 0, result.stdout
    assert (output / "index.html").is_file()
    assert (output / "index.md").is_file()
    journeys = [load(example) for example in EXAMPLES]
    assert (output / "index.html").read_text("utf-8") == render_index_html(
        entries(journeys), context()
    )
    single = tmp_path / "one"
    result = run_cli(["build", str(EXAMPLES[0]), "-o", str(single)])
    assert result.exit_code == 0, result.stdout
    assert not (single / "index.html").exists()
    assert not (single / "index.md").exists()


def test_an_incremental_build_writes_the_index_a_full_build_would(tmp_path: Path) -> None:
    # The index of an incremental build mixes journeys rendered now (their views come back
    # from the workers) with journeys read again because they did not change.
    folder = _journey_folder(tmp_path)
    output = tmp_path / "maps"
    assert run_cli(["build", str(folder), "-o", str(output), "-j", "2"]).exit_code == 0
    edited = folder / EXAMPLES[0].name
    text = edited.read_text("utf-8")
    edited.write_text(text.replace("\ntitle: ", "\ntitle: Edited ", 1), "utf-8")
    result = run_cli(["build", str(folder), "-o", str(output), "-j", "2"])
    assert result.exit_code == 0, result.stdout
    assert "1 built" in result.stdout
    pages = {name: (output / name).read_bytes() for name in ("index.html", "index.md")}
    assert b"Edited " in pages["index.html"]
    fresh = tmp_path / "fresh"
    assert run_cli(["build", str(folder), "-o", str(fresh), "-j", "1"]).exit_code == 0
    assert pages == {name: (fresh / name).read_bytes() for name in pages}


def test_views_from_worker_processes_give_the_same_index(tmp_path: Path) -> None:
    # Views come back from the workers pickled; "everyone" (a journey without personas) is
    # told apart by identity, so it must survive that.
    folder = tmp_path / "journeys"
    journey_folder(folder, 3)
    pages = []
    for jobs in ("1", "2"):
        output = tmp_path / f"maps-{jobs}"
        assert run_cli(["build", str(folder), "-o", str(output), "-j", jobs]).exit_code == 0
        pages.append([(output / name).read_bytes() for name in ("index.html", "index.md")])
    assert pages[0] == pages[1]
    assert b"Everyone" not in pages[0][1]


def _journey_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "journeys"
    folder.mkdir()
    for example in EXAMPLES:
        (folder / example.name).write_bytes(example.read_bytes())
    return folder


def test_the_index_goes_when_the_folder_holds_one_journey_again(tmp_path: Path) -> None:
    folder, output = _journey_folder(tmp_path), tmp_path / "maps"
    assert run_cli(["build", str(folder), "-o", str(output)]).exit_code == 0
    # Building one of them alone leaves the pages: the other maps are still in the folder.
    assert run_cli(["build", str(folder / EXAMPLES[0].name), "-o", str(output)]).exit_code == 0
    assert (output / "index.html").is_file()
    for example in EXAMPLES[1:]:
        (folder / example.name).unlink()
    result = run_cli(["build", str(folder), "-o", str(output)])
    assert result.exit_code == 0, result.stdout
    assert not (output / "index.html").exists()
    assert not (output / "index.md").exists()
    assert "index" not in (output / ".jmap-manifest.json").read_text("utf-8")


def test_an_index_page_goes_with_its_format_and_a_users_own_stays(tmp_path: Path) -> None:
    folder, output = _journey_folder(tmp_path), tmp_path / "maps"
    assert run_cli(["build", str(folder), "-o", str(output), "-f", "svg,html,md"]).exit_code == 0
    check = run_cli(["build", str(folder), "-o", str(output), "-f", "svg,html", "--check"])
    assert check.exit_code == 1
    assert "index.md" in check.stdout
    assert (output / "index.md").is_file()  # --check changes nothing
    assert run_cli(["build", str(folder), "-o", str(output), "-f", "svg,html"]).exit_code == 0
    assert not (output / "index.md").exists()
    assert (output / "index.html").is_file()
    (output / "index.md").write_text("# Our own notes\n", "utf-8")  # jmap did not write this
    for _ in range(2):
        assert run_cli(["build", str(folder), "-o", str(output), "-f", "svg,html"]).exit_code == 0
    (folder / EXAMPLES[1].name).unlink()
    (folder / EXAMPLES[2].name).unlink()
    assert run_cli(["build", str(folder), "-o", str(output), "-f", "svg,html"]).exit_code == 0
    assert not (output / "index.html").exists()
    assert (output / "index.md").read_text("utf-8") == "# Our own notes\n"


# In the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_index_in_a_browser(
    browser: Browser, built: Path, scheme: Literal["light", "dark"], tmp_path: Path
) -> None:
    with visit(browser, built / "index.html", color_scheme=scheme) as seen:
        page = seen.page
        page.screenshot(path=tmp_path / f"index-{scheme}.png", full_page=True)
        assert seen.axe_violations() == []
        assert seen.errors == []
        assert seen.foreign_requests() == []
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1]
        # The first Tab lands on the skip link; following it moves to the journeys.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"


def test_index_on_a_phone_and_on_paper(browser: Browser, built: Path, tmp_path: Path) -> None:
    with visit(browser, built / "index.html", size=PHONE) as seen:
        page = seen.page
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        page.screenshot(path=tmp_path / "phone.png", full_page=True)
        assert widths[0] <= widths[1]  # wide tables scroll inside their own box
        assert seen.axe_violations() == []
        # On A4 landscape (273 mm inside the margins, 1032 CSS px) every table fits the paper.
        page.set_viewport_size({"width": 1032, "height": 1400})
        page.emulate_media(media="print")
        shown = page.evaluate(
            """() => ({
              nav: getComputedStyle(document.querySelector('nav')).display,
              widest: Math.max(...[...document.querySelectorAll('table')].map(
                (t) => t.getBoundingClientRect().width)),
              paper: document.documentElement.clientWidth,
            })"""
        )
        assert shown["nav"] == "none"
        assert shown["widest"] <= shown["paper"]
        assert page.pdf(print_background=True).startswith(b"%PDF")
        assert seen.errors == []
