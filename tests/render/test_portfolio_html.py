"""The portfolio's HTML page, read with a parser, for the examples (portfolio_pages.py says how)."""

from __future__ import annotations

import itertools

import pytest

from jmap.loading.loader import load
from jmap.model import Journey
from jmap.render.portfolio import (
    CATEGORY_NAMES,
    render_index_html,
    render_index_md,
)
from jmap.view import MOODS
from tests.helpers import EXAMPLES
from tests.portfolio_pages import (
    SEVERITIES,
    context,
    count_in,
    entries,
    expected_matrix,
    expected_pains,
    parse,
    severity_counts,
)
from tests.render.test_html import parse as well_formed


@pytest.fixture(scope="module")
def journeys() -> list[Journey]:
    return [load(example) for example in EXAMPLES]


@pytest.fixture(scope="module")
def html(journeys: list[Journey]) -> str:
    return render_index_html(entries(journeys), context())


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
    # A touchpoint on several channels counts once in each of their rows.
    every = sum(max(1, len(tp.channel_ids())) for j in journeys for tp in j.touchpoints())
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
