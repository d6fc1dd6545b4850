"""`jmap diff`: its text, Markdown, JSON and HTML output, its errors, and the library beside it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pytest
from markdown_it import MarkdownIt

from jmap.diff import render
from jmap.diff.compare import compare
from jmap.loading.loader import load
from tests.browser import PHONE, visit
from tests.diff_cases import JMAP, base, diff_json, pair, rich_pair, touchpoint, write
from tests.helpers import ROOT, run_cli

if TYPE_CHECKING:
    from playwright.sync_api import Browser


# Output formats ------------------------------------------------------------------------------


def test_json_has_the_documented_keys(tmp_path: Path) -> None:
    document = diff_json(*rich_pair(tmp_path))
    assert list(document) == ["jmap_diff", "generator", "changed", "journeys"]
    assert document["jmap_diff"] == 1
    (journey,) = document["journeys"]
    assert list(journey) == [
        "status",
        "changed",
        "old",
        "new",
        "summary",
        "journey",
        "stages",
        "personas",
        "channels",
        "touchpoints",
        "branches",
        "times",
        "emotions",
        "curves",
        "pain_points",
        "opportunities",
        "kpis",
    ]
    assert list(journey["old"]) == ["label", "id", "title", "state"]
    for key in ("stages", "personas", "channels", "touchpoints", "pain_points", "opportunities"):
        for entry in journey[key]:
            assert {"change", "id", "old", "new", "fields"} <= set(entry), key
    for entry in journey["kpis"]:
        assert list(entry) == ["change", "name", "level", "at", "old", "new", "fields"]
    for entry in journey["emotions"]:
        assert list(entry) == ["touchpoint", "persona", "old", "new", "delta"]
    for entry in journey["curves"]:
        assert list(entry) == ["persona", "changed", "old", "new", "average_delta"]


def _tables(markdown: str) -> list[list[int]]:
    """The number of cells of each row of each table, as GitHub's parser reads them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables: list[list[int]] = []
    cells = 0
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            tables[-1].append(cells)
    return tables


def test_markdown_tables_keep_their_shape_with_hostile_names(tmp_path: Path) -> None:
    result = run_cli(["diff", *rich_pair(tmp_path, hostile=True), "-f", "md"])
    assert result.exit_code == 0
    markdown = result.stdout
    tables = _tables(markdown)
    assert len(tables) >= 6
    for rows in tables:
        assert set(rows) == {3}
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<img" not in html
    assert "<b>x</b>" not in html
    assert "Size `guide` | &lt;img src=x onerror=alert(1)&gt;" in html.replace("\\", "")
    assert markdown.startswith("### Buying shoes\n\n`")
    assert "#### Emotions\n\n| Change | Touchpoint | Details |\n| --- | --- | --- |\n" in markdown


def test_text_is_coloured_only_when_asked(tmp_path: Path) -> None:
    old, new = rich_pair(tmp_path)
    diffs = [compare(load(old), load(new), old, new)]
    assert "\x1b[" in render("text", diffs, colour=True)
    assert "\x1b[" not in render("text", diffs)
    # CliRunner's stdout is a pipe, not a terminal: no colour codes.
    assert "\x1b[" not in run_cli(["diff", old, new]).stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_text_is_coloured_on_a_terminal_unless_no_color(
    tmp_path: Path, no_color: str | None, coloured: bool
) -> None:
    import pty

    old, new = rich_pair(tmp_path)
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    terminal, child = pty.openpty()
    with subprocess.Popen(
        [*JMAP, "diff", old, new],
        stdout=child,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    ) as process:
        os.close(child)
        shown = b""
        while True:
            try:
                chunk = os.read(terminal, 65536)
            except OSError:  # the terminal closes when the command exits (EIO on Linux)
                break
            if not chunk:
                break
            shown += chunk
    os.close(terminal)
    assert process.returncode == 0
    assert (b"\x1b[" in shown) is coloured
    assert b"Touchpoints" in shown


def test_output_file_instead_of_stdout(tmp_path: Path) -> None:
    old, new = rich_pair(tmp_path)
    target = tmp_path / "out" / "diff.md"
    result = run_cli(["diff", old, new, "-f", "md", "-o", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == run_cli(["diff", old, new, "-f", "md"]).stdout
    assert [p.name for p in target.parent.iterdir()] == ["diff.md"]


@pytest.mark.slow
def test_same_input_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    old, new = rich_pair(tmp_path)
    outputs: dict[str, set[bytes]] = {}
    for seed in ("0", "1"):
        for fmt in ("text", "md", "json", "html"):
            target = tmp_path / seed / f"diff.{fmt}"
            subprocess.run(
                [
                    *JMAP,
                    "diff",
                    old,
                    new,
                    "-f",
                    fmt,
                    "-o",
                    str(target),
                ],
                check=True,
                env={**os.environ, "PYTHONHASHSEED": seed},
                cwd=ROOT,
            )
            outputs.setdefault(fmt, set()).add(target.read_bytes())
    assert {fmt: len(seen) for fmt, seen in outputs.items()} == dict.fromkeys(outputs, 1)


# Errors ----------------------------------------------------------------------------------------


def test_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # not a git repository
    write(tmp_path / "a.yaml", base())
    cases = {
        ("diff", "a.yaml"): "error: give the two versions to compare, OLD and NEW, or --git REV\n",
        ("diff", "a.yaml", "a.yaml", "--git", "HEAD"): (
            "error: give either OLD and NEW or --git REV, not both\n"
        ),
        ("diff", "a.yaml", "missing.yaml"): "missing.yaml: error: no such file\n",
        ("diff", "main:a.yaml", "a.yaml"): (
            "main:a.yaml: error: no such file, and not in a git repository\n"
        ),
        ("diff", "--git", "HEAD"): "--git HEAD: error: no such file, and not in a git repository\n",
        ("diff", "a.yaml", "a.yaml", "-f", "pdf"): None,
    }
    for args, stderr in cases.items():
        result = run_cli(list(args))
        assert result.exit_code == 2, args
        assert result.stdout == "", args
        if stderr is not None:
            assert result.stderr == stderr, args


def test_invalid_side_is_reported_like_validate(tmp_path: Path) -> None:
    broken = base()
    touchpoint(broken, "search")["emotion"] = "great"
    old, new = pair(tmp_path, base(), broken)
    result = run_cli(["diff", old, new, "-f", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{new}:")
    assert ": error: emotion must be a score from 1" in result.stderr
    assert result.stderr == run_cli(["validate", new]).stdout.splitlines(keepends=True)[0]


# HTML ------------------------------------------------------------------------------------------


def html_page(folder: Path, *args: str) -> Path:
    target = folder / "diff.html"
    result = run_cli(["diff", *args, "-f", "html", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    return target


def test_html_marks_changes_in_words_and_escapes_names(tmp_path: Path) -> None:
    page = html_page(tmp_path, *rich_pair(tmp_path, hostile=True)).read_text(encoding="utf-8")
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    for words in ("Added", "Removed", "Renamed from Searches", "Worse: medium", "+2"):
        assert words in page, words
    assert page.count('class="dm-old"') >= 2  # an old, dashed curve per persona
    assert "Content-Security-Policy" in page
    assert "<script" not in page


_SHOWN = """() => ({
  removed: [...document.querySelectorAll('th.tp.gone-col')].map((th) => th.innerText),
  badges: [...document.querySelectorAll('.grid .badge')].map((b) => b.innerText),
  charts: [...document.querySelectorAll('svg.dm-chart')].map((svg) => ({
    label: svg.getAttribute('aria-labelledby').split(' ')
      .map((id) => document.getElementById(id).textContent).join(' | '),
    old: svg.querySelectorAll('polyline.dm-old').length,
    new: svg.querySelectorAll('polyline.jm-line').length,
  })),
  overflow: document.documentElement.scrollWidth - window.innerWidth,
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_html_diff_in_a_browser(
    browser: Browser, tmp_path: Path, scheme: Literal["light", "dark"]
) -> None:
    page = html_page(tmp_path, *rich_pair(tmp_path, hostile=True))
    with visit(browser, page, color_scheme=scheme) as seen:
        assert seen.axe_violations() == []
        shown = seen.page.evaluate(_SHOWN)
        assert len(shown["removed"]) == 1
        assert "Compares" in shown["removed"][0]
        assert "Removed" in shown["removed"][0]
        assert {"Added", "Removed", "Worse: medium → high"} <= set(shown["badges"])
        assert [(c["old"], c["new"]) for c in shown["charts"]] == [(1, 1), (1, 1)]
        assert "before and after" in shown["charts"][0]["label"]
        assert "Changed: Size `guide`" in shown["charts"][0]["label"]
        assert shown["overflow"] <= 0  # wide drawings scroll inside their own box
        assert seen.errors == []
        assert seen.foreign_requests() == []
        assert seen.dialogs == []


def test_html_diff_of_an_example_with_two_personas_on_a_phone(
    browser: Browser, tmp_path: Path
) -> None:
    example = ROOT / "examples" / "b2b-software-purchase.yaml"
    edited = tmp_path / example.name
    shutil.copytree(example.parent / "data", tmp_path / "data")  # the data files it reads
    text = example.read_text(encoding="utf-8")
    before = "          ops-manager: very-positive\n          it-lead: negative\n"
    assert before in text
    edited.write_text(
        text.replace(before, "          ops-manager: very-positive\n          it-lead: positive\n"),
        encoding="utf-8",
    )
    page = html_page(tmp_path, str(example), str(edited))
    with visit(browser, page, size=PHONE) as seen:
        assert seen.axe_violations() == []
        shown = seen.page.evaluate(_SHOWN)
        assert shown["overflow"] <= 0
        # One chart per persona; only Daniel's changed, by two steps.
        assert len(shown["charts"]) == 2
        assert (
            "Changed: Runs a 14-day trial 2 negative → 4 positive (+2)"
            in (shown["charts"][1]["label"])
        )
        assert seen.errors == []


def test_cli_result_is_the_library_result(tmp_path: Path) -> None:
    old, new = rich_pair(tmp_path)
    from jmap.diff import diff as library_diff

    expected = render("json", [library_diff(old, new)])
    assert run_cli(["diff", old, new, "-f", "json"]).stdout == expected
