"""Japanese text breaks where a Japanese reader expects: kinsoku, the basic rules (JIS X 4051)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import DATA, run_cli

NO_LINE_START = "。、，．・：；！？」』）】〉》〕｝ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ"
NO_LINE_END = "「『（【〈《〔｛"


def svg_lines(journey: Path, output: Path) -> list[str]:
    result = run_cli(["build", str(journey), "-o", str(output), "-f", "svg", "-q"])
    assert result.exit_code == 0, result.stdout + result.stderr
    svg = (output / f"{journey.stem}.svg").read_text(encoding="utf-8")
    return [line for line in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if line]


def breaks_badly(line: str) -> bool:
    return line[0] in NO_LINE_START or line[-1] in NO_LINE_END


def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_bracket(
    tmp_path: Path,
) -> None:
    # Before the rule, this journey's cards had lines starting with an ideographic comma and a
    # full-width closing parenthesis.
    lines = svg_lines(DATA / "grid" / "kinsoku.yaml", tmp_path)
    assert any("。" in line for line in lines)
    assert [line for line in lines if breaks_badly(line)] == []


words = st.sampled_from(["注文", "番号", "電話", "チャット", "待っている", "もう一度", "コーヒー"])
marks = st.sampled_from(list("。、」）！？ーっ「（"))
sentences = st.lists(st.one_of(words, marks), min_size=20, max_size=80).map("".join)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sentences)
def test_any_japanese_thought_wraps_by_the_rules(tmp_path: Path, thought: str) -> None:
    journey = tmp_path / "j.yaml"
    touchpoint = {"id": "t", "name": "問い合わせ", "thoughts": [thought], "emotion": 2}
    document = {
        "jmap": 1,
        "title": "J",
        "stages": [{"id": "s", "name": "S", "touchpoints": [touchpoint]}],
    }
    journey.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    lines = svg_lines(journey, tmp_path / "out")
    # Where a run of marks is longer than a line, a rule must give way; not here.
    assert [line for line in lines if breaks_badly(line) and len(line) > 1] == []
