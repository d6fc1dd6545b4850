"""The portfolio pages (index.html, index.md): every journey, every pain point, the channel matrix.

Expected values are worked out here from the journey models, not from jmap.view, so a mistake
in the view cannot hide behind the same mistake in the test. The pages are read the way a
reader's tools read them: the HTML with a parser and in headless Chromium (tests/browser.py),
the Markdown through markdown-it's CommonMark + GFM tables, as GitHub reads it.

What the portfolio tests share: the pages read back, and what they should show; the
tests are in test_portfolio_*.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from jmap.model import SEVERITY_RANK, Journey
from jmap.render import RenderContext
from jmap.render.portfolio import (
    CATEGORY_NAMES,
    PortfolioEntry,
    portfolio_row,
)
from jmap.templating import environment
from jmap.view import journey_view

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
        if tag == "li" and self._cell is not None:
            self._cell.append(" ")  # list items read as separate words, as a browser shows them
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
                # The portfolio counts a touchpoint under each of its channels.
                ids: list[str | None] = list(tp.channel_ids())
                for channel_id in ids or [None]:
                    cell = matrix.counts.setdefault((channel_id, stage.id), {})
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


def many_journeys(count: int, pains_each: int) -> list[Journey]:
    """Journeys that all put one touchpoint on the same channel and stage, each with pain
    points of one category whose severity cycles through the four."""
    from jmap.loading.loader import loads

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


def hostile() -> list[Journey]:
    from jmap.loading.loader import loads

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
