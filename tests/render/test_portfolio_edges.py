"""Portfolios at the edges: bare journeys, many pain points, hostile text; and the same bytes
whatever the hash seed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import get_args

import pytest

from jmap.model import Category
from jmap.render.portfolio import (
    CATEGORY_NAMES,
    JOURNEYS_SHOWN_PER_CELL,
    PAINS_SHOWN_PER_CATEGORY,
    render_index_html,
    render_index_md,
)
from tests.helpers import ROOT
from tests.portfolio_pages import HOSTILE, context, count_in, entries, hostile, many_journeys, parse
from tests.render.test_html import parse as well_formed
from tests.render.test_markdown import read_page


def test_every_category_has_a_name() -> None:
    assert tuple(CATEGORY_NAMES) == get_args(Category)


def test_bare_journeys_say_what_is_missing() -> None:
    from jmap.loading.loader import loads

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


@pytest.mark.slow
def test_same_pages_whatever_the_hash_seed() -> None:
    script = (
        "from jmap.loading.loader import load\n"
        "from tests.helpers import EXAMPLES\n"
        "from tests.portfolio_pages import context, entries\n"
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
