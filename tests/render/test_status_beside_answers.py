"""An opportunity's status where the HTML map names it outside its lane: the top
opportunities and a pain point's "Answered by" list, built through the CLI from the example."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import ROOT, run_cli


def test_top_opportunities_and_answered_by_show_the_status(tmp_path: Path) -> None:
    journey = ROOT / "examples" / "support-blueprint.yaml"
    result = run_cli(["build", str(journey), "-o", str(tmp_path), "-f", "html", "-q"])
    assert result.exit_code == 0, result.stdout + result.stderr
    html = (tmp_path / "support-blueprint.html").read_text(encoding="utf-8")
    top = html[html.index('class="card glance-card glance-opportunities"') :]
    top = top[: top.index("</ol>")]
    assert (
        '<li><span class="status status-in-progress">in progress</span>'
        ' <a href="#opp-shared-case">Show the social conversation' in top
    )
    answered = re.findall(r'<ul class="answered-by">(.*?)</ul>', html, re.S)
    assert any(
        '<li><span class="status status-done">done</span> <a href="#opp-queue-callback">' in ul
        for ul in answered
    )
