"""A touchpoint on several channels ("kiosk or desk") in the pages that name one touchpoint's
channel beside others: the portfolio and the HTML diff, built through the CLI."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import run_cli

JOURNEY = """jmap: 1
title: Check-in
id: check-in
channels:
  - {{id: kiosk, name: Kiosk}}
  - {{id: desk, name: Desk}}
stages:
  - id: arrive
    name: Arrive
    touchpoints:
      - id: checks-in
        name: Checks in
        channel: [kiosk, desk]
        emotion: {emotion}
        pain_points:
          - {{text: The kiosk rejects a foreign passport, severity: high}}
"""


def test_the_portfolio_names_every_channel_and_counts_each(tmp_path: Path) -> None:
    (tmp_path / "check-in.yaml").write_text(JOURNEY.format(emotion=2), encoding="utf-8")
    # A portfolio is made of two journeys or more.
    other = JOURNEY.format(emotion=4).replace("id: check-in", "id: bag-drop")
    (tmp_path / "bag-drop.yaml").write_text(other.replace("[kiosk, desk]", "desk"), "utf-8")
    out = tmp_path / "maps"
    result = run_cli(["build", str(tmp_path), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.stdout + result.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    assert '<span class="who">Arrive · Kiosk or Desk</span>' in html
    markdown = (out / "index.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (Kiosk|Desk) \| \*\*(\d+)\*\*", markdown, re.M)
    assert rows == [("Kiosk", "1"), ("Desk", "2")]


def test_the_html_diff_names_every_channel(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(JOURNEY.format(emotion=2), encoding="utf-8")
    new.write_text(JOURNEY.format(emotion=3), encoding="utf-8")
    target = tmp_path / "diff.html"
    result = run_cli(["diff", str(old), str(new), "-f", "html", "-o", str(target)])
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert '<span class="channel">Kiosk or Desk</span>' in target.read_text(encoding="utf-8")
