"""Branches drawn as branches: every emotion curve (the SVG map, the HTML lane and chart, the
PDF overview) draws the main path solid and each branch dashed, from where it leaves the main
path to where it rejoins it; averages and lowest points say which path they are of.

The journeys are built through the CLI and read back from the files it writes: the points a
line passes through are the vertices of its SVG path (the grid map's `M`/`C` end points, the
HTML's polyline points), compared with where each touchpoint's marker is drawn.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.grid import SVG, groups, parse, title
from tests.helpers import EXAMPLES, ROOT, run_cli

OMNICHANNEL = next(path for path in EXAMPLES if path.stem == "omnichannel-support")
FORTY = ROOT / "tests" / "data" / "grid" / "forty.yaml"
# The example's touchpoints in file order; "call-drops" and "gets-callback" are the branch
# "The transfer drops the call", which leaves after "explains-to-agent" and comes back at
# "gets-confirmation-email". The main path goes from "agrees-replacement" to that email.
ORDER = [
    "opens-damaged-parcel",
    "posts-complaint",
    "gets-dm-reply",
    "waits-on-hold",
    "explains-to-agent",
    "agrees-replacement",
    "call-drops",
    "gets-callback",
    "gets-confirmation-email",
    "tracks-replacement",
    "confirms-delivery",
]
BRANCH = ["explains-to-agent", "call-drops", "gets-callback", "gets-confirmation-email"]
MAIN = [tp for tp in ORDER if tp not in ("call-drops", "gets-callback")]
BRANCH_NAME = "The transfer drops the call"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("branches")
    journeys = [str(OMNICHANNEL), str(FORTY)]
    result = run_cli(["build", *journeys, "-o", str(output), "-f", "svg,html", "-q"])
    assert result.exit_code == 0, result.stdout + result.stderr
    return output


def path_vertices(d: str) -> list[tuple[float, float]]:
    """The points a grid-map path passes through: its start and the end of each cubic."""
    start = re.match(r"M(-?[\d.]+) (-?[\d.]+)", d)
    assert start, d
    found = [(float(start[1]), float(start[2]))]
    for cubic in re.findall(r"C([^C]+)", d):
        numbers = [float(n) for n in cubic.split()]
        found.append((numbers[4], numbers[5]))
    return found


def polyline_vertices(element: ET.Element) -> list[tuple[float, float]]:
    return [
        (float(x), float(y))
        for x, y in (pair.split(",") for pair in element.get("points", "").split())
    ]


def classes(element: ET.Element) -> list[str]:
    return element.get("class", "").split()


def markers(drawing: ET.Element) -> dict[str, tuple[float, float]]:
    """Where each touchpoint's point is drawn: one curve, a score at every touchpoint."""
    marks = [m for m in drawing.iter(f"{SVG}circle") if "jm-mark" in classes(m)]
    return {
        tp: (float(m.get("cx", 0)), float(m.get("cy", 0)))
        for tp, m in zip(ORDER, marks, strict=True)
    }


def test_the_svg_map_draws_the_dropped_call_as_a_dashed_branch(built: Path) -> None:
    svg = parse((built / "omnichannel-support.svg").read_bytes())
    (curve,) = groups(svg, "curve")
    at = markers(curve)
    lines = [p for p in curve.iter(f"{SVG}path") if "jm-line" in classes(p)]
    solid = [p for p in lines if not p.get("stroke-dasharray")]
    dashed = [p for p in lines if p.get("stroke-dasharray")]
    assert len(solid) == 1, [p.attrib for p in lines]
    assert len(dashed) == 1, [p.attrib for p in lines]
    main = path_vertices(solid[0].get("d", ""))
    assert main == [at[tp] for tp in MAIN]
    # Nothing joins the agreement (3) to the dropped call (1) as if one followed the other.
    for line in lines:
        vertices = path_vertices(line.get("d", ""))
        assert (at["agrees-replacement"], at["call-drops"]) not in itertools.pairwise(vertices)
    branch = path_vertices(dashed[0].get("d", ""))
    assert branch == [at[tp] for tp in BRANCH], "leaves at the fork and rejoins at the email"
    assert "jm-branch" in classes(dashed[0])
    # The legend says what a dash means.
    assert "dashed: a branch (an alternative path)" in "".join(svg.itertext())


def test_the_svg_maps_lowest_point_on_the_branch_names_it(built: Path) -> None:
    svg = parse((built / "omnichannel-support.svg").read_bytes())
    rings = groups(svg, "lowest")
    titles = [title(ring) for ring in rings]
    assert f"lowest: Call drops on transfer ({BRANCH_NAME})" in titles
    assert "lowest: Posts complaint on X" in titles  # on the main path: no path named
    assert f"lowest ({BRANCH_NAME})" in "".join(svg.itertext())
    # The moments that matter at the top name the branch too.
    assert f"7. Call drops on transfer (Resolution; {BRANCH_NAME})" in "".join(svg.itertext())


def test_every_curve_of_a_branched_journey_has_one_solid_line(built: Path) -> None:
    svg = parse((built / "forty.svg").read_bytes())
    curves = groups(svg, "curve")
    assert len(curves) == 4
    for curve in curves:
        lines = [p for p in curve.iter(f"{SVG}path") if "jm-line" in classes(p)]
        solid = [p for p in lines if not p.get("stroke-dasharray")]
        assert len(solid) == 1, curve.get("data-id")
        assert all("jm-branch" in classes(p) for p in lines if p not in solid)
        assert len(lines) > 1, "the journey's branches are drawn"


def html_curves(html: str) -> list[ET.Element]:
    """The inline SVGs of the HTML map's emotion lane and chart."""
    found = re.findall(r'<svg class="jm-curve[^"]*".*?</svg>', html, flags=re.S)
    assert len(found) == 2, "the lane's curve and the chart"
    return [ET.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)) for svg in found]


def test_the_html_lane_and_chart_draw_the_dropped_call_as_a_dashed_branch(built: Path) -> None:
    for svg in html_curves((built / "omnichannel-support.html").read_text(encoding="utf-8")):
        at = markers(svg)
        lines = list(svg.iter(f"{SVG}polyline"))
        solid = [p for p in lines if not p.get("stroke-dasharray")]
        dashed = [p for p in lines if p.get("stroke-dasharray")]
        assert len(solid) == 1, svg.get("class")
        assert len(dashed) == 1, svg.get("class")
        assert polyline_vertices(solid[0]) == [at[tp] for tp in MAIN]
        assert polyline_vertices(dashed[0]) == [at[tp] for tp in BRANCH]
        assert "jm-branch" in classes(dashed[0])


def test_the_html_averages_and_lowest_points_say_which_path(built: Path) -> None:
    html = (built / "omnichannel-support.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert f"main path 2.2; {BRANCH_NAME} 2.1" in text  # the summary table
    assert f"7. Call drops on transfer ({BRANCH_NAME})" in text  # its lowest points
    assert f"Call drops on transfer ({BRANCH_NAME}), and ends" in text  # the chart's <desc>
    assert f"Its averages: main path 2.2; {BRANCH_NAME} 2.1." in text
    assert "dashed: a branch (an alternative path)" in text
    _, chart = html_curves(html)
    labels = [
        " ".join(t.text or "" for t in label)  # one <tspan> a line
        for label in chart.iter(f"{SVG}text")
        if "jm-lowest-label" in classes(label)
    ]
    assert f"lowest: Call drops on transfer ({BRANCH_NAME})" in labels
    assert "lowest: Posts complaint on X" in labels


@pytest.mark.slow
def test_the_pdf_overview_names_the_branch_of_a_lowest_point(tmp_path: Path) -> None:
    result = run_cli(["build", str(OMNICHANNEL), "-o", str(tmp_path), "-f", "pdf", "-q"])
    assert result.exit_code == 0, result.stdout + result.stderr
    overview = PdfReader(tmp_path / "omnichannel-support.pdf").pages[0].extract_text()
    words = re.sub(r"\s+", " ", overview)
    assert f"1 very negative · Resolution · {BRANCH_NAME}" in words
    assert "dashed: a branch (an alternative path)" in words
