"""A persona may be called Everyone: every output tells it apart from "every persona".

A map draws one curve for every persona where all personas feel the same (or there are none),
and names it Everyone. A journey may also have a persona of its own named Everyone, with the
id `everyone`; its feelings, curve and lowest point are that persona's, and Sam's are Sam's.
Each test builds real files through the CLI, with one worker and with two (whose views come
back pickled), and reads what a reader of each format sees.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.grid import SVG, frame, group, groups, parse, texts, title
from tests.helpers import run_cli

# Everyone is lowest at the first touchpoint, Sam at the second; both feel the same at the
# third, which is then one feeling of every persona.
EVERYONE_AND_SAM = """\
jmap: 1
title: Everyone and Sam
personas:
  - name: Everyone
  - name: Sam
stages:
  - name: Start
    touchpoints:
      - name: Opens app
        emotion: {everyone: 1, sam: 5}
      - name: Signs up
        emotion: {everyone: 4, sam: 2}
      - name: Pays
        emotion: 3
"""
# No personas: one curve, for everyone.
NOBODY = """\
jmap: 1
title: No personas
stages:
  - name: Start
    touchpoints:
      - {name: Looks, emotion: 4}
      - {name: Leaves, emotion: 2}
"""
FORMATS = "svg,html,md,mermaid,json,dot"


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every file of a build of both journeys, by name; the same bytes with -j 1 and -j 2."""
    root = tmp_path_factory.mktemp("personas")
    journeys = root / "journeys"
    journeys.mkdir()
    (journeys / "everyone.yaml").write_text(EVERYONE_AND_SAM, encoding="utf-8")
    (journeys / "nobody.yaml").write_text(NOBODY, encoding="utf-8")
    built = []
    for jobs in ("1", "2"):
        output = root / f"maps-{jobs}"
        result = run_cli(["build", str(journeys), "-o", str(output), "-f", FORMATS, "-j", jobs])
        assert result.exit_code == 0, result.stdout + result.stderr
        built.append(
            {p.name: p.read_text("utf-8") for p in sorted(output.iterdir()) if p.is_file()}
        )
    assert built[0] == built[1]
    assert {"everyone.md", "index.md", "index.html", "nobody.svg"} <= set(built[0])
    return built[0]


def card(svg: str, touchpoint: str) -> tuple[str, list[str]]:
    """What the SVG map shows of a touchpoint's feelings and lowest points (its card, its
    cell of the Feeling lane, the labels of the rings drawn over its column), and the lines
    of its tooltip."""
    root = parse(svg)
    found = group(root, "touchpoint", touchpoint)
    (feelings,) = groups(root, "row-feeling")
    shown = texts(found) + texts(group(feelings, "cell", touchpoint))
    column = frame(found)
    for line in groups(root, "curve"):
        rings = [c for c in line.iter(f"{SVG}circle") if "jm-ring" in c.get("class", "")]
        if any(column.left < float(ring.get("cx", 0)) < column.right for ring in rings):
            shown += [t for t in texts(line) if t.startswith("lowest")]
    return " ".join(shown), title(found).split("\n")  # lines wrap at spaces


def tasks(mermaid: str) -> list[str]:
    """The task lines of a Mermaid journey."""
    return [line.strip() for line in mermaid.splitlines() if line.startswith("    ")]


def lowest_section(markdown: str) -> list[str]:
    """The list items of the Markdown map's lowest points."""
    start = markdown.index("The lowest points of each emotion curve")
    return re.findall(r"^- (.*)$", markdown[start:].split("\n## ", 1)[0], re.MULTILINE)


def test_markdown_map_gives_each_persona_its_own_lowest_point(maps: dict[str, str]) -> None:
    assert lowest_section(maps["everyone.md"]) == [
        "**Everyone:** ▼▼ 1 very negative at Opens app (Start)",
        "**Sam:** ▼ 2 negative at Signs up (Start)",
    ]


def test_markdown_map_names_who_feels_what(maps: dict[str, str]) -> None:
    # A stage's table has the lanes as rows and the touchpoints as columns.
    lines = [line for line in maps["everyone.md"].splitlines() if line.startswith("|")]
    header = next(line for line in lines if "Opens app" in line)
    names = [cell.strip().split(". ", 1)[-1] for cell in header.split("|")[2:-1]]
    emotion = next(line for line in lines[lines.index(header) :] if "**Emotion**" in line)
    cells = dict(zip(names, emotion.split("|")[2:-1], strict=True))
    assert "▼▼ 1 very negative (Everyone)<br>▲▲ 5 very positive (Sam)" in cells["Opens app"]
    assert "▲ 4 positive (Everyone)<br>▼ 2 negative (Sam)" in cells["Signs up"]


def test_svg_cards_name_the_persona_everyone_and_sam(maps: dict[str, str]) -> None:
    shown, tooltip = card(maps["everyone.svg"], "opens-app")
    assert "Everyone: ▼▼ 1 very negative" in shown
    assert "Sam: ▲▲ 5 very positive" in shown
    assert "lowest: Everyone" in shown
    assert "Feels: Everyone: ▼▼ 1 very negative" in tooltip
    assert "Feels: Sam: ▲▲ 5 very positive" in tooltip
    shown, tooltip = card(maps["everyone.svg"], "signs-up")
    assert "lowest: Sam" in shown
    assert "Feels: Everyone: ▲ 4 positive" in tooltip
    assert "Feels: Sam: ▼ 2 negative" in tooltip
    # Both feel the same here: one feeling, of every persona, named for no one.
    shown, tooltip = card(maps["everyone.svg"], "pays")
    assert "Feels: ● 3 neutral" in tooltip
    assert "● 3 neutral" in shown
    assert "Everyone" not in shown
    assert "Sam" not in shown


def test_flow_graph_names_each_personas_feeling(maps: dict[str, str]) -> None:
    dot = maps["everyone.dot"]
    # The persona Everyone is named like Sam; the feeling of every persona is named for no one.
    assert 'label="Opens app\\nEveryone: ▼▼ 1 very negative\\nSam: ▲▲ 5 very positive"' in dot
    assert 'label="Signs up\\nEveryone: ▲ 4 positive\\nSam: ▼ 2 negative"' in dot
    assert 'label="Pays\\n● 3 neutral"' in dot


def test_html_map_draws_sams_curve(maps: dict[str, str]) -> None:
    html = maps["everyone.html"]
    assert (
        "Everyone: starts very negative (1) at Opens app, is lowest, very negative (1), at"
        " Opens app, and ends neutral (3) at Pays."
    ) in html
    assert (
        "Sam: starts very positive (5) at Opens app, is lowest, negative (2), at Signs up,"
        " and ends neutral (3) at Pays."
    ) in html
    moments = re.findall(r'id="moment-([a-z-]+)".*?lowest for (\w+)', html, re.DOTALL)
    assert moments == [("opens-app", "Everyone"), ("signs-up", "Sam")]
    assert '<th scope="col">Everyone</th><th scope="col">Sam</th>' in html
    # Where both feel the same, the grid names no one, as the cards do: it is not the
    # persona Everyone's feeling alone.
    feelings = re.findall(r'<span class="feeling">(.*?)<span class="mood mood-(\d)', html)
    assert [(score, "feeling-who" in who) for who, score in feelings] == [
        ("1", True),
        ("5", True),
        ("4", True),
        ("2", True),
        ("3", False),
    ]


def test_mermaid_journey_gives_each_persona_its_score(maps: dict[str, str]) -> None:
    assert tasks(maps["everyone.mmd"]) == [
        # Where personas feel differently, each task says whose it is.
        "Opens app (Everyone): 1: Everyone",
        "Opens app (Sam): 5: Sam",
        "Signs up (Everyone): 4: Everyone",
        "Signs up (Sam): 2: Sam",
        "Pays: 3: Everyone, Sam",
    ]


def test_json_keeps_each_personas_scores(maps: dict[str, str]) -> None:
    journey = json.loads(maps["everyone.json"])
    emotions = [tp["emotion"] for stage in journey["stages"] for tp in stage["touchpoints"]]
    assert emotions == [{"everyone": 1, "sam": 5}, {"everyone": 4, "sam": 2}, 3]


def test_portfolio_pages_give_each_persona_its_average_and_low(maps: dict[str, str]) -> None:
    index = maps["index.md"]
    row = next(line for line in index.splitlines() if line.startswith("| Everyone and Sam |"))
    assert "2.7 (Everyone) · 3.3 (Sam)" in row
    assert "▼▼ 1 very negative at Opens app (Start), Everyone" in row
    assert "▼ 2 negative at Signs up (Start), Sam" in row
    html = maps["index.html"]
    assert '<b>3.3</b> <span class="who">Sam</span>' in html
    assert 'everyone.html#moment-signs-up">Signs up</a> <span class="who">Start · Sam</span>' in (
        html
    )


def test_a_journey_without_personas_still_reads_everyone(maps: dict[str, str]) -> None:
    html = maps["nobody.html"]
    assert "Everyone: starts positive (4) at Looks" in html
    assert '<th scope="col">Everyone</th>' in html
    # One curve needs no name in the Markdown map, the cards or the portfolio.
    assert lowest_section(maps["nobody.md"]) == ["▼ 2 negative at Leaves (Start)"]
    assert 'label="Leaves\\n▼ 2 negative"' in maps["nobody.dot"]
    row = next(line for line in maps["index.md"].splitlines() if line.startswith("| No personas"))
    assert "| 3.0 | ▼ 2 negative at Leaves (Start) |" in row
    assert tasks(maps["nobody.mmd"]) == ["Looks: 4", "Leaves: 2"]


def test_lint_names_the_persona_whose_emotion_falls(tmp_path: Path) -> None:
    path = tmp_path / "everyone.yaml"
    path.write_text(EVERYONE_AND_SAM, encoding="utf-8")
    result = run_cli(["lint", str(path), "-f", "json"])
    falls = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "JM007"]
    # At Sam's score in `emotion: {everyone: 4, sam: 2}`; the persona Everyone rises there.
    assert [(f["line"], f["column"], f["message"]) for f in falls] == [
        (
            12,
            37,
            "emotion falls from very positive (5) to negative (2) for 'Sam' after 'Opens app':"
            " a moment that matters; no pain point says why",
        )
    ]
