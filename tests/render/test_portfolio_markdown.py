"""The portfolio's Markdown page, as GitHub reads it, for the examples."""

from __future__ import annotations

import pytest

from jmap.loading.loader import load
from jmap.model import Journey
from jmap.render.portfolio import (
    CATEGORY_NAMES,
    render_index_md,
)
from tests.helpers import EXAMPLES
from tests.portfolio_pages import (
    context,
    count_in,
    entries,
    expected_matrix,
    expected_pains,
    severity_counts,
)
from tests.render.test_markdown import read_page


@pytest.fixture(scope="module")
def journeys() -> list[Journey]:
    return [load(example) for example in EXAMPLES]


@pytest.fixture(scope="module")
def markdown(journeys: list[Journey]) -> str:
    return render_index_md(entries(journeys), context())


# The Markdown page ------------------------------------------------------------------------


def test_markdown_tables_keep_their_shape(markdown: str, journeys: list[Journey]) -> None:
    page = read_page(markdown)
    assert [text for level, text in page.headings if level < 3] == [
        "Customer journey portfolio",
        "Journeys",
        "KPIs against target",
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
