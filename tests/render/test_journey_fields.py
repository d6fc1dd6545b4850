"""Issue 14's fields for what teams record: per-persona thoughts, actions and pain points, time
(`duration`, `wait`, totals per stage and path), several channels, channel `media`, and
`reviewed`, `review_every` and a stage's `owner`. Through the CLI, with real files."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import run_cli

# A branched journey: Checks in goes on to Drops bags (the main path) or, when the kiosk
# fails, through Queues at desk, which rejoins at Drops bags.
JOURNEY = """jmap: 1
title: Kiosk check-in
reviewed: 2025-03-01
review_every: 6 months
personas:
  - {id: priya, name: "Priya, frequent flyer"}
  - {id: sam, name: "Sam, first-time flyer"}
channels:
  - {id: kiosk, name: Kiosk, kind: physical, media: owned}
  - {id: desk, name: Check-in desk, kind: human}
  - {id: reviews, name: Review sites, kind: digital, media: third-party}
stages:
  - name: Arrive
    owner: Airport operations
    touchpoints:
      - id: read
        name: Reads reviews
        channel: reviews
        duration: 20 min
        emotion: {priya: 4, sam: 3}
      - id: checkin
        name: Checks in
        channel: [kiosk, desk]
        duration: 10 min
        wait: 15 min
        emotion: {priya: 4, sam: 2}
        next: [bags, {to: queue, when: The kiosk fails}]
        thoughts:
          - Everyone thinks this
          - {persona: priya, text: Quick as always}
          - {persona: sam, text: Where do I go first}
        actions:
          - {persona: sam, text: Asks a member of staff}
          - Scans the passport
        pain_points:
          - {text: The kiosk rejects the passport, persona: sam, severity: high}
  - name: Depart
    touchpoints:
      - id: queue
        name: Queues at desk
        channel: desk
        wait: 1.5 hours
        duration: 5 min
        emotion: {priya: 2, sam: 1}
        next: [bags]
      - id: bags
        name: Drops bags
        channel: desk
        duration: 5 min
        emotion: 3
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fields")
    source = folder / "kiosk.yaml"
    source.write_text(JOURNEY, encoding="utf-8")
    out = folder / "out"
    result = run_cli(["build", str(source), "-o", str(out), "-f", "svg,html,md,json,pdf"])
    assert result.exit_code == 0, result.stdout + result.stderr
    return out


def _svg_text(out: Path) -> str:
    """The SVG map's text as a reader sees it: the lines of each <text>, joined by spaces."""
    svg = (out / "kiosk.svg").read_text(encoding="utf-8")
    return " ".join(unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def _html_text(out: Path) -> str:
    html = (out / "kiosk.html").read_text(encoding="utf-8")
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _pdf_text(out: Path) -> str:
    reader = PdfReader(out / "kiosk.pdf")
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# What every output says, in its words: time on the card, totals per path and per stage (the
# stage's main-path touchpoints), the review, the stage owner, channels and whose items are.
CARD_TIME = "Takes 10 min · waits 15 min"
MAIN_PATH = "Main path: takes 35 min · waits 15 min"  # read, checkin, bags
BRANCH = "The kiosk fails: takes 40 min · waits 1 h 45 min"  # read, checkin, queue, bags
ARRIVE = "takes 30 min · waits 15 min"
DEPART = "takes 5 min"  # only Drops bags: Queues at desk is on the branch
REVIEW = "2025-03-01 (every 6 months)"


def test_the_json_output_has_times_in_seconds_and_totals_per_path_and_stage(built: Path) -> None:
    document = json.loads((built / "kiosk.json").read_text(encoding="utf-8"))
    checkin = document["stages"][0]["touchpoints"][1]
    assert checkin["duration"] == {"text": "10 min", "seconds": 600}
    assert checkin["wait"] == {"text": "15 min", "seconds": 900}
    assert checkin["channel"] == ["kiosk", "desk"]
    assert checkin["thoughts"][0] == "Everyone thinks this"
    assert checkin["thoughts"][1] == {"text": "Quick as always", "persona": "priya"}
    assert checkin["pain_points"][0]["persona"] == "sam"
    assert document["reviewed"] == "2025-03-01"
    assert document["review_every"] == {"text": "6 months", "seconds": 180 * 86400}
    assert document["stages"][0]["owner"] == "Airport operations"
    assert document["channels"][2]["media"] == "third-party"
    paths = document["time"]["paths"]
    assert [(p["name"], p["touchpoints"]) for p in paths] == [
        ("main path", ["read", "checkin", "bags"]),
        ("The kiosk fails", ["read", "checkin", "queue", "bags"]),
    ]
    assert [(p["duration"], p["wait"], p["total"]) for p in paths] == [
        (35 * 60, 15 * 60, 50 * 60),
        (40 * 60, 105 * 60, 145 * 60),
    ]
    assert document["time"]["stages"] == {
        "arrive": {"duration": 1800, "wait": 900, "total": 2700},
        "depart": {"duration": 300, "wait": 0, "total": 300},
    }


@pytest.mark.parametrize("read", [_svg_text, _html_text, _pdf_text], ids=["svg", "html", "pdf"])
def test_the_maps_show_times_totals_review_owner_channels_and_whose_items_are(
    built: Path, read: object
) -> None:
    assert callable(read)
    text: str = read(built)
    for shown in (
        CARD_TIME,
        MAIN_PATH,
        BRANCH,
        ARRIVE,
        DEPART,
        REVIEW,
        "Airport operations",
        "Review sites · digital, third-party" if read is not _html_text else "third-party",
        "Quick as always",
        "For Sam",
    ):
        assert shown in text, shown
    # Several channels read as alternatives.
    if read is _html_text:
        assert "Kiosk physical, owned or Check-in desk human" in text
    else:
        assert "Kiosk · physical, owned or Check-in desk · human" in text
    # Whose a thought is comes before it, by name.
    assert re.search(r"Priya\W+Quick as always", text)
    assert re.search(r"Sam\W+Where do I go first", text)


def test_the_html_map_marks_whose_a_thought_is_with_the_curve_of_that_persona(
    built: Path,
) -> None:
    html = (built / "kiosk.html").read_text(encoding="utf-8")
    owner = re.search(r'<span class="owner-who">(.*?)</span>\s*<q class="thought">Quick', html)
    assert owner is not None
    assert "jm-swatch" in owner.group(1)  # the curve's legend sample
    assert owner.group(1).endswith("Priya")  # and the name: never the colour alone


def test_the_svg_pain_card_marks_whose_it_is_with_that_personas_curve_marker(
    built: Path,
) -> None:
    svg = (built / "kiosk.svg").read_text(encoding="utf-8")
    card = re.search(r'<g class="pain-point"[^>]*>.*?</g>', svg, re.S)
    assert card is not None
    assert "For Sam" in card.group(0)
    # Sam's curve is the second: its marker (and class) sits before the name, as on a thought.
    sam_mark = re.search(r'class="jm-mark (jm-c\d)"/>\s*<text[^>]*>Sam</text>', svg)
    assert sam_mark is not None
    assert f'class="jm-mark {sam_mark.group(1)}"' in card.group(0)


def test_the_markdown_map_shows_the_same(built: Path) -> None:
    md = (built / "kiosk.md").read_text(encoding="utf-8")
    assert f"**Reviewed:** {REVIEW}" in md
    assert f"- {MAIN_PATH}" in md
    assert f"- {BRANCH}" in md
    assert "- **Owner:** Airport operations" in md
    assert f"- **Time:** {ARRIVE}" in md
    assert f"| **Time** | Takes 20 min | {CARD_TIME} |" in md
    assert "Kiosk (physical, owned) or Check-in desk (human)" in md
    assert "**Priya:** *“Quick as always”*" in md
    assert "**Sam:** Asks a member of staff" in md
    assert "The kiosk rejects the passport *(for Sam)*" in md


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "journey.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BAD = """jmap: 1
title: T
reviewed: 2025-13-01
review_every: 6 monts
personas:
  - {id: priya, name: Priya}
  - {id: sam, name: Sam}
channels:
  - {id: kiosk, name: Kiosk, media: owend}
  - {id: desk, name: Desk}
stages:
  - name: S
    owner: Ops
    touchpoints:
      - name: A
        channel: [kiosk, dsk]
        duration: 10
        wait: 3 dayz
        thoughts:
          - {persona: priyaa, text: hi}
          - [a, list]
        actions:
          - {persona: sam, text: does}
        pain_points:
          - {text: p, persona: sma}
      - name: B
        personas: [priya]
        thoughts:
          - {persona: sam, text: not here}
"""


def test_bad_values_are_located_errors_that_say_what_would_fix_them(tmp_path: Path) -> None:
    path = _write(tmp_path, BAD)
    result = run_cli(["validate", str(path)])
    assert result.exit_code != 0
    lines = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert lines == [
        f"{path}:3:11: error: reviewed must be a date written YYYY-MM-DD, such as 2025-03-31;"
        " got '2025-13-01'",
        f"{path}:4:15: error: review_every has an unknown unit 'monts' (did you mean 'months'?);"
        " the units are s, min, h, days, weeks, months, years; got '6 monts'",
        f"{path}:9:37: error: media must be one of owned, earned, paid, third-party;"
        " got 'owend' (did you mean 'owned'?)",
        f"{path}:16:26: error: unknown channel 'dsk' (did you mean 'desk'?); known: kiosk, desk",
        f"{path}:17:19: error: duration must be a number and a unit, such as '10 min',"
        " '3 days', '1.5 hours'; got 10",
        f"{path}:18:15: error: wait has an unknown unit 'dayz' (did you mean 'day'?);"
        " the units are s, min, h, days, weeks, months, years; got '3 dayz'",
        f"{path}:20:23: error: unknown persona 'priyaa' (did you mean 'priya'?); known: priya, sam",
        f"{path}:21:13: error: thoughts must be text, or a mapping with `text:` and"
        " `persona:`; got a list",
        f"{path}:25:32: error: unknown persona 'sma' (did you mean 'sam'?); known: priya, sam",
        f"{path}:29:23: error: persona 'sam' is not in this touchpoint's personas (priya);"
        " add it there or name another persona",
    ]
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("45 s", 45),
        ("10 min", 600),
        ("2 h", 7200),
        ("1.5 hours", 5400),
        ("3 days", 3 * 86400),
        ("2 weeks", 14 * 86400),
        ("10min", 600),
        ("1 Hour", 3600),
    ],
)
def test_durations_in_plain_units(tmp_path: Path, written: str, seconds: int) -> None:
    path = _write(
        tmp_path,
        f"jmap: 1\ntitle: T\nstages:\n  - name: S\n    touchpoints:\n"
        f"      - {{name: A, duration: {written}}}\n",
    )
    out = tmp_path / "out"
    result = run_cli(["build", str(path), "-o", str(out), "-f", "json"])
    assert result.exit_code == 0, result.stdout
    document = json.loads((out / "journey.json").read_text(encoding="utf-8"))
    touchpoint = document["stages"][0]["touchpoints"][0]
    assert touchpoint["duration"] == {"text": written, "seconds": seconds}


def test_diff_reports_changes_to_the_new_fields(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    old.write_text(JOURNEY, encoding="utf-8")
    changed = (
        JOURNEY.replace("reviewed: 2025-03-01", "reviewed: 2025-09-01")
        .replace("review_every: 6 months", "review_every: 1 year")
        .replace("owner: Airport operations", "owner: Ground handling")
        .replace("media: owned", "media: paid")
        .replace("channel: [kiosk, desk]", "channel: [kiosk]")
        .replace("duration: 10 min", "duration: 12 min")
        .replace("persona: sam, severity", "persona: priya, severity")
    )
    new.write_text(changed, encoding="utf-8")
    result = run_cli(["diff", str(old), str(new)])
    text = result.stdout
    for change in (
        "reviewed: 2025-03-01 → 2025-09-01",
        "review_every: 6 months → 1 year",
        "Arrive: owner: Airport operations → Ground handling",
        "Kiosk: media: owned → paid",
        "Checks in: channel: Kiosk or Check-in desk → Kiosk; duration: 10 min → 12 min",
        "The kiosk rejects the passport: persona: sam → priya",
    ):
        assert change in text, (change, text)
