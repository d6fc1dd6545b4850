"""Issue 14 part B in the maps: the service blueprint's lanes and lines, staff emotion and pain
points, opportunities as work, evidence as data and KPIs on or off track, in every output a
reader looks at (SVG, HTML, Markdown, JSON, PDF), built through the CLI from the example."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import ROOT, run_cli

BLUEPRINT = ROOT / "examples" / "support-blueprint.yaml"
# A map with none of the new fields (the examples all use them now).
PLAIN = """jmap: 1
title: Plain
id: plain
stages:
  - name: Buy
    touchpoints:
      - name: Pays
        emotion: 2
        backstage: [Payment provider checks the card]
        opportunities: [One-click payment]
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("blueprint")
    plain = output / "plain.yaml"
    plain.write_text(PLAIN, encoding="utf-8")
    formats = "svg,html,md,json,pdf"
    for journey in (BLUEPRINT, plain):
        result = run_cli(["build", str(journey), "-o", str(output), "-f", formats, "-q"])
        assert result.exit_code == 0, result.stdout + result.stderr
    return output


def _lane_tops(svg: str) -> dict[str, float]:
    found = re.findall(r'<g class="lane" data-id="([^"]+)">\n<rect x="[\d.]+" y="([\d.]+)"', svg)
    return {key: float(y) for key, y in found}


def _line_ys(svg: str) -> dict[str, float]:
    found = re.findall(r'<path d="M24 ([\d.]+)H[\d.]+" class="jm-(\w+)"', svg)
    return {css: float(y) for y, css in found}


def test_svg_draws_the_blueprint_lines_between_the_right_lanes(built: Path) -> None:
    svg = (built / "support-blueprint.svg").read_text(encoding="utf-8")
    lanes, lines = _lane_tops(svg), _line_ys(svg)
    order = [
        lanes["physical-evidence"],
        lanes["actions"],
        lanes["opportunities"],
        lines["interaction"],
        lanes["frontstage"],
        lines["visibility"],
        lanes["backstage"],
        lines["internal"],
        lanes["support"],
    ]
    assert order == sorted(order)
    assert len(set(order)) == len(order)
    # The lane header wraps the longest name: "Line of internal" / "interaction".
    for text in ("Line of interaction", "Line of visibility", "Line of internal"):
        assert f">{text}</text>" in svg


def test_a_map_without_blueprint_lanes_has_only_the_line_of_visibility(built: Path) -> None:
    svg = (built / "plain.svg").read_text(encoding="utf-8")
    assert set(_line_ys(svg)) == {"visibility"}
    assert "jm-interaction" not in svg
    assert "jm-status" not in svg


def test_svg_shows_staff_feelings_work_status_evidence_and_kpi_status(built: Path) -> None:
    svg = (built / "support-blueprint.svg").read_text(encoding="utf-8")
    for shown in (
        "Staff feel ▼▼ 1 very",  # then "negative", wrapped
        "CRITICAL PAIN",
        ">IN PROGRESS<",
        ">DONE<",
        "high impact · high effort",
        "2025-11-20 · n = 8 ·",  # then "observed", wrapped
        "“I'm overwhelmed, and the",  # wrapped
        "×\u00a0off track",
        "●\u00a0on track",
    ):
        assert shown in svg, shown
    # The status is a word on its chip, never the chip's colour alone.
    assert re.search(r'class="jm-status-done"/>\n<text [^>]*class="jm-status-ink-done"', svg)


def test_html_rows_are_in_blueprint_order(built: Path) -> None:
    html = (built / "support-blueprint.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="((?:lane|line)-[\w-]+|visibility)">', html)
    blueprint = [r for r in rows if r not in ("lane-curve", "lane-feeling", "lane-thoughts")]
    assert blueprint == [
        "lane-physical-evidence",
        "lane-actions",
        "lane-pains",
        "lane-opportunities",
        "line-interaction",
        "lane-frontstage",
        "visibility",
        "lane-backstage",
        "line-internal",
        "lane-support",
        "lane-stage-kpis",
        "lane-kpis",
        "lane-evidence",
    ]


def test_html_shows_status_kpi_status_evidence_and_staff(built: Path) -> None:
    html = (built / "support-blueprint.html").read_text(encoding="utf-8")
    assert '<span class="status status-in-progress">in progress</span>' in html
    assert '<span class="opp-work">high impact · high effort</span>' in html
    assert '<span class="kpi-status kpi-off-track">×\u00a0off track</span>' in html
    assert '<span class="kpi-status kpi-on-track">●\u00a0on track</span>' in html
    assert '<span class="evidence-facts">2026-02-14 · n = 380 · observed</span>' in html
    assert '<q class="evidence-quote">Why reply at all if you just give me a number?</q>' in html
    assert 'Staff feel <span class="mood mood-1">' in html
    assert ".status-done {" in html


def test_html_of_a_map_without_the_new_fields_has_none_of_their_styles(built: Path) -> None:
    html = (built / "plain.html").read_text(encoding="utf-8")
    assert ".status-done" not in html
    assert "line-interaction" not in html


def test_markdown_has_the_lanes_lines_and_facts(built: Path) -> None:
    md = (built / "support-blueprint.md").read_text(encoding="utf-8")
    names = re.findall(r"^\| \*\*\*?([^|*]+)\*\*\*? \|", md, re.M)
    first_stage = names[: names.index("Support processes") + 1]
    assert first_stage == [
        "Channel",
        "Physical evidence",
        "Actions",
        "Emotion",
        "Pain points",
        "Opportunities",
        "Line of interaction",
        "Frontstage",
        "Line of visibility",
        "Backstage",
        "Line of internal interaction",
        "Support processes",
    ]
    assert "**DONE** Offer a callback instead of the queue (high impact, low effort)" in md
    assert "(staff feel ▼ 2 negative); **high pain:** Cannot open a case from the social tool" in md
    row = "| First contact resolution | 62 (×\u00a0off track) | 70 (↑ higher is better) | % |"
    assert row in md
    assert "(2026-02-14 · n = 380 · observed)" in md


def test_json_holds_the_new_fields(built: Path) -> None:
    document = json.loads((built / "support-blueprint.json").read_text(encoding="utf-8"))
    touchpoint = document["stages"][1]["touchpoints"][0]
    assert touchpoint["backstage"][0]["emotion"] == 1
    assert touchpoint["backstage"][0]["pain_points"][0]["severity"] == "critical"
    assert touchpoint["support_processes"][0] == {
        "text": "Merges contacts from each channel overnight, not live",
        "actor": "CRM",
    }
    assert touchpoint["opportunities"][0]["status"] == "in progress"
    evidence = touchpoint["evidence"][0]
    assert (evidence["date"], evidence["n"], evidence["confidence"]) == (
        "2025-11-20",
        8,
        "observed",
    )
    assert document["stages"][1]["kpis"][0]["direction"] == "higher"


def test_pdf_text_has_the_blueprint(built: Path) -> None:
    deck = PdfReader(built / "support-blueprint.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in deck.pages)
    for shown in (
        "Line of interaction",
        "Line of internal interaction",
        "Support processes",
        "Staff feel",
        "IN PROGRESS",
        "off track",
    ):
        assert shown in text, shown
