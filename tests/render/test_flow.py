"""The flow graph (`--format flow`, its source `--format dot`) and route labels (`when`).

The flow graph is the one drawing Graphviz lays out: touchpoints grouped by stage, every route
with its label. Only the formats that show it run the layout engine.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

import pytest

from jmap.palette import EMOTIONS
from tests.browser import visit
from tests.helpers import EXAMPLES, ROOT, run_cli
from tests.test_pipeline_properties import LOOPS

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SVG = "{http://www.w3.org/2000/svg}"
OMNICHANNEL = ROOT / "examples" / "omnichannel-support.yaml"
DROPPED = "The transfer drops the call"

BRANCHES = """\
jmap: 1
title: Support call
stages:
  - name: Call
    touchpoints:
      - id: explains
        name: Explains the problem
        emotion: 2
        next: [agrees, {to: callback, when: Call drops}]
      - {id: agrees, name: Agrees a fix, emotion: 4, next: [done]}
      - id: callback
        name: Gets a callback
        emotion: 1
        next: [{to: explains, when: Nobody picks up}, {to: done, when: Agent calls}]
  - name: Empty
  - name: After
    touchpoints:
      - {id: done, name: Is done, emotion: 5}
"""


def _build(tmp_path: Path, source: Path, formats: str, *options: str) -> Path:
    output = tmp_path / "maps"
    result = run_cli(
        ["build", "-q", "-j", "1", "-f", formats, "-o", str(output), *options, str(source)]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    return output


def _journey(tmp_path: Path, text: str = BRANCHES, name: str = "support.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _groups(svg: ElementTree.Element, css: str) -> dict[str, ElementTree.Element]:
    """Graphviz's groups of one class (`node`, `edge`, `cluster`) by their id, in order."""
    return {g.get("id", ""): g for g in svg.iter(f"{SVG}g") if css in g.get("class", "").split()}


def _texts(group: ElementTree.Element) -> list[str]:
    return [text.text or "" for text in group.iter(f"{SVG}text")]


def test_flow_draws_touchpoints_by_stage_and_every_route_with_its_label(tmp_path: Path) -> None:
    maps = _build(tmp_path, _journey(tmp_path), "flow")
    assert sorted(path.name for path in maps.iterdir() if not path.name.startswith(".")) == [
        "support.flow.svg"
    ]
    svg = ElementTree.parse(maps / "support.flow.svg").getroot()
    clusters = _groups(svg, "cluster")
    assert list(clusters) == ["stage-call", "stage-empty", "stage-after"]
    assert _texts(clusters["stage-call"]) == ["1 · Call"]
    # A stage without touchpoints keeps its place.
    assert _texts(clusters["stage-empty"]) == ["2 · Empty"]
    nodes = _groups(svg, "node")
    assert list(nodes)[:4] == ["tp-explains", "tp-agrees", "tp-callback", "tp-done"]
    # Coloured by emotion, and never by colour alone: the symbol, score and words are written.
    assert _texts(nodes["tp-callback"]) == ["Gets a callback", "▼▼ 1 very negative"]
    shape = next(e for e in nodes["tp-callback"].iter() if e.get("fill") not in (None, "none"))
    assert shape.get("fill") == EMOTIONS[1].fill
    edges = _groups(svg, "edge")
    assert sorted(edges) == [
        "route-agrees.done",
        "route-callback.done",
        "route-callback.explains",
        "route-explains.agrees",
        "route-explains.callback",
    ]
    assert _texts(edges["route-explains.callback"]) == ["Call drops"]
    assert _texts(edges["route-callback.explains"]) == ["Nobody picks up"]
    assert _texts(edges["route-callback.done"]) == ["Agent calls"]
    assert _texts(edges["route-explains.agrees"]) == []
    # The way a touchpoint's journey goes on is solid; its alternatives are dashed.
    assert "branch" in edges["route-explains.callback"].get("class", "")
    assert "branch" not in edges["route-explains.agrees"].get("class", "")


def test_flow_counts_the_implicit_next_touchpoint_as_a_route(tmp_path: Path) -> None:
    maps = _build(tmp_path, OMNICHANNEL, "flow")
    svg = ElementTree.parse(maps / "omnichannel-support.flow.svg").getroot()
    edges = _groups(svg, "edge")
    assert "route-opens-damaged-parcel.posts-complaint" in edges  # `next` not written
    # A long label is wrapped into lines.
    assert " ".join(_texts(edges["route-explains-to-agent.call-drops"])) == DROPPED
    assert [g.get("id") for g in _groups(svg, "cluster").values()] == [
        "stage-problem",
        "stage-first-contact",
        "stage-resolution",
        "stage-follow-through",
    ]


def test_dot_is_the_lean_source_of_the_flow_graph(tmp_path: Path) -> None:
    maps = _build(tmp_path, _journey(tmp_path), "dot")
    dot = (maps / "support.dot").read_text(encoding="utf-8")
    assert dot.startswith('digraph support {\n\tgraph [bgcolor="#ffffff" class=flow')
    assert '"tp-explains" -> "tp-callback" [label="Call drops"' in dot
    assert 'label="Gets a callback\\n▼▼ 1 very negative"' in dot
    # Plain labels, no HTML-like tables for Graphviz to parse; no pieces of the old full map.
    assert "<TABLE" not in dot
    assert "=<" not in dot
    for gone in ("LOWEST POINT", "backstage", "curve-", "OPPORTUNITY"):
        assert gone not in dot


def test_user_text_reaches_the_flow_graph_as_written(tmp_path: Path) -> None:
    nasty = r'<b>"Quotes" & \N &lt; \l</b>'
    text = BRANCHES.replace("Explains the problem", f"'{nasty}'").replace(
        "when: Call drops", "when: '\\\\G \"drops\"'"
    )
    maps = _build(tmp_path, _journey(tmp_path, text), "flow")
    svg = ElementTree.parse(maps / "support.flow.svg").getroot()
    assert " ".join(_texts(_groups(svg, "node")["tp-explains"])[:-1]) == nasty
    assert _texts(_groups(svg, "edge")["route-explains.callback"]) == ['\\\\G "drops"']


@pytest.mark.parametrize("name", sorted(LOOPS))
def test_graphviz_lays_out_the_journeys_that_once_broke_it(tmp_path: Path, name: str) -> None:
    maps = _build(tmp_path, _journey(tmp_path, LOOPS[name], "loop.yaml"), "flow")
    svg = ElementTree.parse(maps / "loop.flow.svg").getroot()
    assert _groups(svg, "node")


def test_svg_md_and_json_run_no_layout_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No Graphviz at all: the grid map is jmap's own drawing, and `dot` is only the source.
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    maps = _build(tmp_path, OMNICHANNEL, "svg,md,json,dot", "--engine", "system")
    assert (maps / "omnichannel-support.svg").exists()


def _fake_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `dot` first on PATH that notes the graph it is asked to lay out."""
    calls = tmp_path / "calls.txt"
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"open({str(calls)!r}, 'a').write(sys.stdin.readline())\n"
        "print('<svg xmlns=\"http://www.w3.org/2000/svg\"><text>laid out</text></svg>')\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    return calls


@pytest.mark.skipif(sys.platform == "win32", reason="a script as `dot`")
def test_html_shows_the_flow_graph_only_for_a_journey_with_routes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _fake_dot(tmp_path, monkeypatch)
    shoes = ROOT / "examples" / "shoe-purchase.yaml"
    for source in (OMNICHANNEL, shoes):
        _build(tmp_path, source, "html", "--engine", "system")
    # Only the journey with routes was laid out, once.
    assert calls.read_text(encoding="utf-8").splitlines() == ['digraph "omnichannel-support" {']
    maps = tmp_path / "maps"
    flow = _diagram(maps / "omnichannel-support.html")
    assert "laid out" in flow
    assert "<style>@font-face" in flow  # the font the nodes were measured in
    grid = _diagram(maps / "shoe-purchase.html")
    assert 'class="jmap-grid"' in grid


def _diagram(page: Path) -> str:
    import base64

    html = page.read_text(encoding="utf-8")
    section = html[html.index('<section id="diagram"') :]
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', section)
    assert data is not None
    return base64.b64decode(data.group(1)).decode("utf-8")


def test_route_labels_reach_the_html_and_the_json(tmp_path: Path) -> None:
    maps = _build(tmp_path, _journey(tmp_path), "html,json")
    html = (maps / "support.html").read_text(encoding="utf-8")
    assert (
        'Next: <a href="#tp-agrees">Agrees a fix</a> or <a href="#tp-callback">Gets a callback'
        '</a> <span class="when">(when: Call drops)</span>'
    ) in html
    journey = json.loads((maps / "support.json").read_text(encoding="utf-8"))
    routes = [tp["next"] for stage in journey["stages"] for tp in stage["touchpoints"]]
    # A route without a label stays the bare id it was; a labelled one says when.
    assert routes == [
        ["agrees", {"to": "callback", "when": "Call drops"}],
        ["done"],
        [{"to": "explains", "when": "Nobody picks up"}, {"to": "done", "when": "Agent calls"}],
        [],
    ]


def test_a_label_alone_makes_the_next_touchpoint_a_route(tmp_path: Path) -> None:
    text = BRANCHES.replace("next: [done]}", "next: [{to: callback, when: Needs parts}]}")
    maps = _build(tmp_path, _journey(tmp_path, text), "svg")
    svg = (maps / "support.svg").read_text(encoding="utf-8")
    assert 'data-id="agrees&gt;callback"' in svg
    # On the card, always; on the route too where its channel has room (see the example's).
    assert ">(when: Needs parts)</text>" in svg


# What Chromium draws: every node's text inside its node.

MEASURE = """async () => {
  await document.fonts.ready;
  const box = (e) => { const b = e.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
  return [...document.querySelectorAll('g.node')].map((g) => ({
    id: g.id,
    shape: box(g.querySelector('path, polygon')),
    texts: [...g.querySelectorAll('text')].map((t) => ({text: t.textContent, box: box(t)})),
  }));
}"""
SOURCES = [*EXAMPLES, ROOT / "tests" / "data" / "grid" / "scripts.yaml"]


@pytest.mark.parametrize("source", SOURCES, ids=[source.stem for source in SOURCES])
def test_chromium_draws_every_node_label_inside_its_node(
    browser: Browser, tmp_path: Path, source: Path
) -> None:
    maps = _build(tmp_path, source, "flow")
    (path,) = maps.glob("*.flow.svg")
    with visit(browser, path) as seen:
        nodes: list[dict[str, Any]] = seen.page.evaluate(MEASURE)
        assert seen.errors == []
    assert nodes
    for node in nodes:
        left, top, right, bottom = node["shape"]
        for text in node["texts"]:
            x0, y0, x1, y1 = text["box"]
            inside = left <= x0 and x1 <= right and top <= y0 and y1 <= bottom
            assert inside, (node["id"], text, node["shape"])
