"""One wording: a value is put into words the same way in every output that shows it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import run_cli

_KPI = """jmap: 1
title: Checkout
stages:
  - name: Purchase
    touchpoints:
      - name: Pays
        kpis:
          - {name: Conversion, value: 12, target: 15, unit: ""}
          - {name: Wait, value: 1.5, target: 1, unit: min}
          - {name: Drop-off, target: 5, unit: "%"}
"""


def test_a_kpi_reads_the_same_on_the_svg_card_as_in_the_html_map(tmp_path: Path) -> None:
    journey = tmp_path / "checkout.yaml"
    journey.write_text(_KPI, encoding="utf-8")
    result = run_cli(
        ["build", "-q", "-j", "1", "-f", "svg,html", "-o", str(tmp_path), str(journey)]
    )
    assert result.exit_code == 0, result.stderr
    svg = (tmp_path / "checkout.svg").read_text(encoding="utf-8")
    card = " ".join(re.findall(r"<text [^>]*>([^<]*)</text>", svg))  # wrapped lines joined
    page = (tmp_path / "checkout.html").read_text(encoding="utf-8")
    # An empty unit is no unit: no space is left for it, before a bracket or anywhere else.
    assert "Conversion: 12 (target 15)" in card
    assert '<span class="kpi-measure">12 / target 15</span>' in page
    assert "Wait: 1.5 min (target 1 min)" in card
    assert '<span class="kpi-measure">1.5 min / target 1 min</span>' in page
    assert "Drop-off: target 5%" in card
    assert '<span class="kpi-measure">target 5%</span>' in page
