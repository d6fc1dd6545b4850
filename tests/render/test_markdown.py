"""The Markdown map, read back with a CommonMark + GFM-tables parser the way GitHub reads it.

Markdown has no autoescaping: one unescaped `|` in a pain point adds a table column, one `<img>`
in a persona's name becomes an image on GitHub. These tests parse the map and check the shape
of every table and that each text from the journey comes back as the same text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from jmap.loading.loader import load
from jmap.model import Journey
from jmap.view import JourneyView, journey_view
from jmap.wording import on_path
from tests.helpers import DATA, EXAMPLES, run_cli

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@dataclass
class Table:
    heading: str  # the text of the heading the table is under
    rows: list[list[str]]  # the header row first; each cell as plain text


@dataclass
class Page:
    """A Markdown map as a reader sees it."""

    markdown: str
    html: str
    headings: list[tuple[int, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    fences: list[Token] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # paragraphs and list items, as plain text
    markup: set[str] = field(default_factory=set)  # every kind of inline token that occurs


def plain(inline: Token, markup: set[str]) -> str:
    """The text a reader sees in an inline token: `<br>` as a line break, ** and * kept."""
    parts = []
    for child in inline.children or []:
        markup.add(child.type if child.type != "html_inline" else child.content)
        if child.type == "text":
            parts.append(child.content)
        elif child.type == "html_inline" and child.content == "<br>":
            parts.append("\n")
        elif child.type == "html_inline" and child.content == "<!-- -->":
            pass  # keeps an address from becoming a link; a reader sees nothing
        elif child.type in ("strong_open", "strong_close"):
            parts.append("**")
        elif child.type in ("em_open", "em_close"):
            parts.append("*")
        elif child.type == "softbreak":
            parts.append(" ")
        else:
            parts.append(f"[{child.type}]")
    return "".join(parts)


def read_page(markdown: str) -> Page:
    page = Page(markdown, PARSER.render(markdown))
    tokens = PARSER.parse(markdown)
    heading = ""
    rows: list[list[str]] = []
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type == "heading_open" and following is not None:
            heading = plain(following, page.markup)
            page.headings.append((int(token.tag[1]), heading))
        elif token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open") and following is not None:
            rows[-1].append(plain(following, page.markup))
        elif token.type == "table_close":
            page.tables.append(Table(heading, rows))
            rows = []
        elif token.type == "paragraph_open" and following is not None:
            page.texts.append(plain(following, page.markup))
        elif token.type == "fence":
            page.fences.append(token)
    return page


def shown(text: str) -> str:
    """How a text from the journey should read on the page: trimmed, lines kept."""
    return "\n".join(line.strip() for line in text.strip().splitlines())


def build(journey: Path, output: Path) -> tuple[str, str]:
    result = run_cli(["build", str(journey), "-f", "md,mermaid", "-o", str(output)])
    assert result.exit_code == 0, result.stdout + result.stderr
    stem = output / load(journey).id
    return stem.with_suffix(".md").read_text("utf-8"), stem.with_suffix(".mmd").read_text("utf-8")


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    output = tmp_path_factory.mktemp("maps")
    return {example.stem: build(example, output) for example in EXAMPLES}


def stage_tables(page: Page, view: JourneyView) -> Iterator[tuple[Table, Any]]:
    by_heading = {table.heading: table for table in page.tables}
    for stage in view.stages:
        if stage.touchpoints:
            yield by_heading[shown(stage.stage.name)], stage


def assert_map_shows(page: Page, journey: Journey) -> None:
    """The headings, tables and cells of a map say what the journey says, text for text."""
    view = journey_view(journey)
    assert page.headings[0] == (1, shown(journey.title))
    assert [text for level, text in page.headings if level == 3] == [
        shown(persona.name) for persona in journey.personas
    ]
    stage_headings = [text for level, text in page.headings if level == 2]
    for stage in journey.stages:
        assert shown(stage.name) in stage_headings
    checked = 0
    for table, stage in stage_tables(page, view):
        # Lanes as rows, the stage's touchpoints as columns, as in the HTML map.
        assert table.rows[0] == [
            "Touchpoint",
            *(f"{tp.index + 1}. {shown(tp.touchpoint.name)}" for tp in stage.touchpoints),
        ]
        assert all(len(row) == 1 + len(stage.touchpoints) for row in table.rows), table.rows
        lanes = {row[0]: row[1:] for row in table.rows[1:]}
        assert all(lane.startswith("**") for lane in lanes)
        for column, touchpoint in enumerate(stage.touchpoints):
            cells = {lane[2:-2]: row[column] for lane, row in lanes.items()}
            cell = cells.get  # a lane left out of this stage's table: None
            if touchpoint.channel:
                assert (cell("Channel") or "").startswith(shown(touchpoint.channel.name))
            for feeling in touchpoint.feelings:
                mood = feeling.mood
                assert f"{mood.symbol} {mood.score} {mood.label}" in (cell("Emotion") or "")
            for pain in touchpoint.pains:
                assert f"**{pain.pain.severity}:** {shown(pain.pain.text)}" in (
                    cell("Pain points") or ""
                )
            for item in touchpoint.touchpoint.opportunities:
                assert shown(item.text) in (cell("Opportunities") or "")
            for lane, texts in (
                ("Actions", [a.text for a in touchpoint.touchpoint.actions]),
                ("Thoughts", [t.text for t in touchpoint.touchpoint.thoughts]),
                ("Backstage", [b.text for b in touchpoint.touchpoint.backstage]),
                ("Evidence", [e.text for e in touchpoint.touchpoint.evidence]),
            ):
                for text in texts:
                    assert shown(text) in (cell(lane) or ""), (lane, text)
            if not touchpoint.is_default_next:
                targets = {tp.id: tp for tp in view.touchpoints}
                for target in touchpoint.next:
                    assert shown(targets[target].touchpoint.name) in (cell("Next") or "")
            # Off the main path, a touchpoint says which branch it is on.
            path = touchpoint.path
            on_branch = f"branch: {shown(path.name)}" if path and not path.is_main else ""
            assert (cell("Path") or "") == on_branch
        checked += 1
    if view.has_branches:
        # Each path by name, where it leaves and rejoins, and each curve's average along it.
        table = next(t for t in page.tables if t.heading == "Emotion curve")
        curves = [curve for curve in view.curves if curve.points]
        assert len(table.rows) == 1 + len(view.paths)
        assert table.rows[0][:3] == ["Path", "Where", "Touchpoints"]
        for row, path in zip(table.rows[1:], view.paths, strict=True):
            assert row[0] == f"**{shown(path.name)}**"
            averages = [
                next((f"{a.average:.2f}" for a in curve.averages if a.path is path), "")
                for curve in curves
            ]
            assert row[3:] == averages
        checked += 1
    expected_tables = checked + bool(view.pains)
    if view.pains:
        table = next(t for t in page.tables if t.heading == "Pain points by severity")
        assert len(table.rows) == 1 + len(view.pains)
        assert all(len(row) == 6 for row in table.rows)
        # A pain point of one persona is followed by whose it is.
        assert all(
            row[2].startswith(shown(p.pain.text))
            for row, (p, _) in zip(table.rows[1:], view.pains, strict=True)
        )
    kpis = [kpi for stage in journey.stages for kpi in stage.kpis] + [
        kpi for touchpoint in journey.touchpoints() for kpi in touchpoint.kpis
    ]
    if kpis:
        table = next(t for t in page.tables if t.heading == "KPIs")
        assert len(table.rows) == 1 + len(kpis)
        assert all(len(row) == 6 for row in table.rows)
        assert sorted(row[2] for row in table.rows[1:]) == sorted(shown(k.name) for k in kpis)
        expected_tables += 1
    assert len(page.tables) == expected_tables


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_every_example_reads_as_a_map(examples: dict[str, tuple[str, str]], example: Path) -> None:
    markdown, mermaid = examples[example.stem]
    page = read_page(markdown)
    assert_map_shows(page, load(example))
    assert [(fence.info, fence.content) for fence in page.fences] == [("mermaid", mermaid)]
    headings = [text for level, text in page.headings if level == 2]
    # What a reader needs first comes first.
    assert headings[:2] == ["Moments that matter", "Top opportunities"]
    assert headings[-2:] == ["Pain points by severity", "KPIs"]
    assert page.markdown.endswith("\n")
    assert not page.markdown.endswith("\n\n")
    assert not [line for line in page.markdown.splitlines() if line != line.rstrip()]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_every_curve_names_its_lowest_points(
    examples: dict[str, tuple[str, str]], example: Path
) -> None:
    page = read_page(examples[example.stem][0])
    view = journey_view(load(example))
    for curve in view.curves:
        mood = curve.lowest[0].mood
        on: dict[str, list[str]] = {}
        for p in curve.lowest:
            assert p.touchpoint.path is not None
            where_on = on_path(p.touchpoint.path) if view.has_branches else ""
            on.setdefault(where_on, []).append(
                f"{p.touchpoint.touchpoint.name} ({p.touchpoint.stage.name})"
            )
        # In a journey with branches, the places on each path, then the path.
        where = ", and ".join(f"{'; '.join(places)} {path}".strip() for path, places in on.items())
        assert f"**{curve.persona.name}:** {mood.symbol} {mood.score} {mood.label} at {where}" in (
            page.texts
        )


# The only markup a map writes: bold labels, line breaks, `*none yet*`, the empty comment after
# the `@` of an address. Any other token in a rendered map came from journey text that was not
# escaped.
MAP_MARKUP = {
    "text",
    "softbreak",
    "<br>",
    "<!-- -->",
    "strong_open",
    "strong_close",
    "em_open",
    "em_close",
}
HOSTILE = "*bold* | <img src=x onerror=alert(1)> _u_ `code` [x](http://evil) ~~gone~~ $x$"
LINES = "- first\n1. second\n---\n> quoted\n# heading #\n&lt; &#60; \\| {+ins+}"


def hazard_journey(folder: Path) -> Path:
    """A journey whose every text is made of what Markdown, GitHub and GitLab read as markup."""
    persona = {
        "id": "p1",
        "name": f"Ann {HOSTILE}",
        "description": LINES,
        "goals": [HOSTILE, LINES],
        "needs": ["- a need that looks like a list item"],
        "frustrations": ["1. numbered"],
    }
    touchpoints: list[dict[str, Any]] = [
        {
            "id": "t1",
            "name": f"Touch {HOSTILE}",
            "channel": "c1",
            "emotion": {"p1": 1, "p2": 5},
            "pain_points": [
                {"id": "pain-1", "text": f"Pain {HOSTILE}\nsecond line", "severity": "critical"},
                LINES,
            ],
            "opportunities": [
                {"text": f"Fix {HOSTILE}", "owner": "| owner |", "answers": ["pain-1"]}
            ],
            "kpis": [{"name": f"KPI {HOSTILE}", "value": "a|b", "target": 5.5, "unit": "| %"}],
        },
        {"id": "t2", "name": LINES, "emotion": 2},
        {"id": "t3", "name": "---", "personas": ["p2"]},
    ]
    journey = {
        "jmap": 1,
        "id": "hazards",
        "title": f"# {HOSTILE}",
        "description": LINES,
        "owner": HOSTILE,
        "tags": [HOSTILE, "`tag`"],
        "personas": [persona, {"id": "p2", "name": "1. Bo | <b>"}],
        "channels": [{"id": "c1", "name": f"Channel {HOSTILE}"}],
        "stages": [
            {
                "id": "s1",
                "name": f"Stage {HOSTILE}",
                "customer_goal": HOSTILE,
                "business_goal": LINES,
                "kpis": [{"name": "| KPI |", "value": 3}],
                "touchpoints": touchpoints,
            },
            {"id": "s2", "name": "- empty stage"},
        ],
    }
    path = folder / "hazards.yaml"
    path.write_text(yaml.safe_dump(journey, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_markup_in_journey_text_shows_as_text(tmp_path: Path) -> None:
    journey = hazard_journey(tmp_path)
    markdown, mermaid = build(journey, tmp_path)
    page = read_page(markdown)
    assert_map_shows(page, load(journey))
    assert [(fence.info, fence.content) for fence in page.fences] == [("mermaid", mermaid)]
    assert page.markup <= MAP_MARKUP
    for tag in ("<img", "<a ", "<code>", "<s>", "<b>", "<h4", "<hr", "<blockquote"):
        assert tag not in page.html.replace('<code class="language-mermaid">', "")
    assert page.html.count("<ol") == 1  # the top opportunities, the one numbered list
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.html
    # Texts that open a line keep their first character instead of starting a list or a rule.
    assert shown(LINES) in page.texts
    assert any(
        text.endswith("Not drawn, as no emotion is recorded for them: ---.") for text in page.texts
    )
    assert "No touchpoints yet." in page.texts


def test_a_journey_without_emotions_has_no_curve(tmp_path: Path) -> None:
    path = tmp_path / "calm.yaml"
    path.write_text(
        "jmap: 1\ntitle: Calm\nstages:\n  - name: Only\n    touchpoints:\n      - name: Looks\n",
        "utf-8",
    )
    page = read_page(build(path, tmp_path)[0])
    assert page.fences == []
    assert [text for _, text in page.headings] == ["Calm", "Only"]
    assert page.tables[0].rows == [["Touchpoint", "1. Looks"]]


def test_the_same_journey_gives_the_same_bytes(tmp_path: Path) -> None:
    journey = hazard_journey(tmp_path)
    assert build(journey, tmp_path / "one") == build(journey, tmp_path / "two")


def test_the_top_three_opportunities_come_first_by_the_documented_rule(tmp_path: Path) -> None:
    page = read_page(build(DATA / "ranking.yaml", tmp_path)[0])
    headings = [text for level, text in page.headings if level == 2]
    assert headings[:2] == ["Moments that matter", "Top opportunities"]
    start = page.texts.index(
        "Ranked by priority, then the severity of the pain points they answer, then how many"
        " personas those pain points touch."
    )
    # High priority beats a worse pain; three personas beat one; then the journey's order.
    assert page.texts[start + 1 : start + 4] == [
        "High fix for a small pain (high priority) at First step (Only); answers **low:** A small"
        " pain",
        "Medium fix for everyone (medium priority) at Second step (Only); answers **critical:**"
        " Everyone hurts",
        "Medium fix for Ann (medium priority) at First step (Only); answers **critical:** Ann"
        " hurts",
    ]
    assert not any("Medium fix for Bo (medium priority) at" in text for text in page.texts)
    assert page.texts[
        page.texts.index("The lowest points of each emotion curve: where a fix matters most.") + 1
    ] == ("▼▼ 1 very negative at Second step (Only)")
