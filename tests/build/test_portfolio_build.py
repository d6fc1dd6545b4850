"""The portfolio pages as `jmap build` writes, updates and removes them, and in Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote

import pytest

from jmap.lint.settings import LintSettings
from jmap.loading.loader import load
from jmap.render.portfolio import (
    render_index_html,
)
from tests.browser import PHONE, visit
from tests.helpers import EXAMPLES, journey_folder, run_cli
from tests.portfolio_pages import context, entries

if TYPE_CHECKING:
    from playwright.sync_api import Browser


# Through the CLI -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example maps, and the index pages beside them."""
    output = tmp_path_factory.mktemp("maps")
    result = run_cli(["build", "examples", "-o", str(output), "-q"])
    assert result.exit_code == 0, result.stdout
    return output


def test_links_and_anchors_resolve(built: Path) -> None:
    for name in ("index.html", "index.md"):
        text = (built / name).read_text("utf-8")
        hrefs = re.findall(r'href="([^"#][^"]*)"', text) + re.findall(r"\]\(([^)]+)\)", text)
        assert hrefs
        for href in hrefs:
            file, _, anchor = unquote(href).partition("#")
            assert (built / file).is_file(), href
            if anchor:
                assert f'id="{anchor}"' in (built / file).read_text("utf-8"), href


def test_build_writes_the_index_only_for_several_journeys(tmp_path: Path) -> None:
    output = tmp_path / "all"
    result = run_cli(["build", "examples", "-o", str(output)])
    assert result.exit_code == 0, result.stdout
    assert (output / "index.html").is_file()
    assert (output / "index.md").is_file()
    journeys = [load(example) for example in EXAMPLES]
    # The build lists stale journeys first, by the day and rules of the lint settings.
    check = LintSettings().stale_check()
    assert (output / "index.html").read_text("utf-8") == render_index_html(
        entries(journeys), context(), check=check
    )
    single = tmp_path / "one"
    result = run_cli(["build", str(EXAMPLES[0]), "-o", str(single)])
    assert result.exit_code == 0, result.stdout
    assert not (single / "index.html").exists()
    assert not (single / "index.md").exists()


def test_an_incremental_build_writes_the_index_a_full_build_would(tmp_path: Path) -> None:
    # The index of an incremental build mixes journeys rendered now (their views come back
    # from the workers) with journeys read again because they did not change.
    folder = _journey_folder(tmp_path)
    output = tmp_path / "maps"
    assert run_cli(["build", str(folder), "-o", str(output), "-j", "2"]).exit_code == 0
    edited = folder / EXAMPLES[0].name
    text = edited.read_text("utf-8")
    edited.write_text(text.replace("\ntitle: ", "\ntitle: Edited ", 1), "utf-8")
    result = run_cli(["build", str(folder), "-o", str(output), "-j", "2"])
    assert result.exit_code == 0, result.stdout
    assert "1 built" in result.stdout
    pages = {name: (output / name).read_bytes() for name in ("index.html", "index.md")}
    assert b"Edited " in pages["index.html"]
    fresh = tmp_path / "fresh"
    assert run_cli(["build", str(folder), "-o", str(fresh), "-j", "1"]).exit_code == 0
    assert pages == {name: (fresh / name).read_bytes() for name in pages}


def test_views_from_worker_processes_give_the_same_index(tmp_path: Path) -> None:
    # Views come back from the workers pickled; "everyone" (a journey without personas) is
    # told apart by identity, so it must survive that.
    folder = tmp_path / "journeys"
    journey_folder(folder, 3)
    pages = []
    for jobs in ("1", "2"):
        output = tmp_path / f"maps-{jobs}"
        assert run_cli(["build", str(folder), "-o", str(output), "-j", jobs]).exit_code == 0
        pages.append([(output / name).read_bytes() for name in ("index.html", "index.md")])
    assert pages[0] == pages[1]
    assert b"Everyone" not in pages[0][1]


def _journey_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "journeys"
    folder.mkdir()
    for example in EXAMPLES:
        (folder / example.name).write_bytes(example.read_bytes())
    # The data files an example reads its KPIs from, where it finds them: beside it.
    shutil.copytree(EXAMPLES[0].parent / "data", folder / "data")
    return folder


def test_the_index_goes_when_the_folder_holds_one_journey_again(tmp_path: Path) -> None:
    folder, output = _journey_folder(tmp_path), tmp_path / "maps"
    assert run_cli(["build", str(folder), "-o", str(output)]).exit_code == 0
    # Building one of them alone leaves the pages: the other maps are still in the folder.
    assert run_cli(["build", str(folder / EXAMPLES[0].name), "-o", str(output)]).exit_code == 0
    assert (output / "index.html").is_file()
    for example in EXAMPLES[1:]:
        (folder / example.name).unlink()
    result = run_cli(["build", str(folder), "-o", str(output)])
    assert result.exit_code == 0, result.stdout
    assert not (output / "index.html").exists()
    assert not (output / "index.md").exists()
    assert "index" not in (output / ".jmap-manifest.json").read_text("utf-8")


def test_an_index_page_goes_with_its_format_and_a_users_own_stays(tmp_path: Path) -> None:
    folder, output = _journey_folder(tmp_path), tmp_path / "maps"
    assert run_cli(["build", str(folder), "-o", str(output), "-f", "svg,html,md"]).exit_code == 0
    check = run_cli(["build", str(folder), "-o", str(output), "-f", "svg,html", "--check"])
    assert check.exit_code == 1
    assert "index.md" in check.stdout
    assert (output / "index.md").is_file()  # --check changes nothing
    assert run_cli(["build", str(folder), "-o", str(output), "-f", "svg,html"]).exit_code == 0
    assert not (output / "index.md").exists()
    assert (output / "index.html").is_file()
    (output / "index.md").write_text("# Our own notes\n", "utf-8")  # jmap did not write this
    for _ in range(2):
        assert run_cli(["build", str(folder), "-o", str(output), "-f", "svg,html"]).exit_code == 0
    for example in EXAMPLES[1:]:  # one journey left: no index
        (folder / example.name).unlink()
    assert run_cli(["build", str(folder), "-o", str(output), "-f", "svg,html"]).exit_code == 0
    assert not (output / "index.html").exists()
    assert (output / "index.md").read_text("utf-8") == "# Our own notes\n"


# In the browser -----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_index_in_a_browser(
    browser: Browser, built: Path, scheme: Literal["light", "dark"], tmp_path: Path
) -> None:
    with visit(browser, built / "index.html", color_scheme=scheme) as seen:
        page = seen.page
        page.screenshot(path=tmp_path / f"index-{scheme}.png", full_page=True)
        assert seen.axe_violations() == []
        assert seen.errors == []
        assert seen.foreign_requests() == []
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1]
        # The first Tab lands on the skip link; following it moves to the journeys.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"


def test_index_on_a_phone_and_on_paper(browser: Browser, built: Path, tmp_path: Path) -> None:
    with visit(browser, built / "index.html", size=PHONE) as seen:
        page = seen.page
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        page.screenshot(path=tmp_path / "phone.png", full_page=True)
        assert widths[0] <= widths[1]  # wide tables scroll inside their own box
        assert seen.axe_violations() == []
        # On A4 landscape (273 mm inside the margins, 1032 CSS px) every table fits the paper.
        page.set_viewport_size({"width": 1032, "height": 1400})
        page.emulate_media(media="print")
        shown = page.evaluate(
            """() => ({
              nav: getComputedStyle(document.querySelector('nav')).display,
              widest: Math.max(...[...document.querySelectorAll('table')].map(
                (t) => t.getBoundingClientRect().width)),
              paper: document.documentElement.clientWidth,
            })"""
        )
        assert shown["nav"] == "none"
        assert shown["widest"] <= shown["paper"]
        assert page.pdf(print_background=True).startswith(b"%PDF")
        assert seen.errors == []


# A project's title, and future-state journeys ------------------------------------------------


def _project(folder: Path, config: str) -> Path:
    """Two example journeys in `folder/journeys` and a jmap.toml with `config` beside them."""
    journeys = folder / "journeys"
    journeys.mkdir(parents=True)
    for example in EXAMPLES[:2]:
        (journeys / example.name).write_text(example.read_text("utf-8"), "utf-8")
    (folder / "jmap.toml").write_text(config, "utf-8")
    return journeys


def test_a_project_titles_its_portfolio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, 'paths = ["journeys"]\noutput = "maps"\ntitle = "Acme & co journeys"\n')
    monkeypatch.chdir(tmp_path)
    assert run_cli(["build", "-q"]).exit_code == 0
    html = (tmp_path / "maps" / "index.html").read_text("utf-8")
    assert "<h1>Acme &amp; co journeys</h1>" in html
    assert "<title>Acme &amp; co journeys · Customer journey portfolio" in html
    assert (tmp_path / "maps" / "index.md").read_text("utf-8").count(
        "\n# Acme & co journeys\n"
    ) == 1
    # A new title makes new pages, though no journey changed.
    (tmp_path / "jmap.toml").write_text(
        'paths = ["journeys"]\noutput = "maps"\ntitle = "Renamed"\n', "utf-8"
    )
    assert run_cli(["build", "-q"]).exit_code == 0
    assert "<h1>Renamed</h1>" in (tmp_path / "maps" / "index.html").read_text("utf-8")


@pytest.mark.parametrize("value", ["3", '""', '"   "', '["a"]'])
def test_a_title_that_is_not_text_is_a_located_error(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, f'paths = ["journeys"]\noutput = "maps"\ntitle = {value}\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli(["build"])
    assert result.exit_code == 2
    config = (tmp_path / "jmap.toml").resolve()
    assert result.stderr == (
        f'{config}:3:1: error: title must be text, such as "Acme customer journeys"\n'
    )
    assert not (tmp_path / "maps").exists()


def test_future_state_pain_points_are_counted_apart(tmp_path: Path) -> None:
    folder = tmp_path / "journeys"
    folder.mkdir()
    for example in EXAMPLES[:2]:
        (folder / example.name).write_text(example.read_text("utf-8"), "utf-8")
    today = [load(example) for example in EXAMPLES[:2]]
    future = (folder / EXAMPLES[0].name).read_text("utf-8")
    for line in ("\nstate: current\n", f"\nid: {today[0].id}\n"):
        future = future.replace(line, "\n")
    future = future.replace("\ntitle: ", "\nstate: future\nid: designed\ntitle: Designed ", 1)
    (folder / "designed.yaml").write_text(future, "utf-8")
    output = tmp_path / "maps"
    assert run_cli(["build", str(folder), "-o", str(output), "-q"]).exit_code == 0
    pains_today = sum(len(tp.pain_points) for j in today for tp in j.touchpoints())
    pains_designed = sum(len(tp.pain_points) for tp in today[0].touchpoints())
    markdown = (output / "index.md").read_text("utf-8")
    summary = markdown.split("\n\n")[2]
    assert f"· {pains_today} pain points in the current state (" in summary
    assert f"· {pains_designed} in future-state designs, counted apart" in summary
    assert "| **All current-state journeys** |" in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| **All ")]
    assert rows[0].endswith(f"**{pains_today}** |")
    assert rows[1].startswith("| **All future-state journeys** |")
    assert rows[1].endswith(f"**{pains_designed}** |")
    # The pain points by category are today's; the design's are listed in a section of their own.
    today_section = markdown.split("## Pain points by category", 1)[1].split("\n## ", 1)[0]
    assert "| Designed " not in today_section
    assert "## Pain points of future-state designs by category" in markdown
    html = (output / "index.html").read_text("utf-8")
    assert f"<dt>Pain points today</dt><dd>{pains_today} " in html
    assert '<section id="future-pains"' in html


# Stale journeys first, and KPIs against target ----------------------------------------------

FRESH = """\
jmap: 1
title: Fresh checkout
reviewed: 2026-10-01
review_every: 6 months
stages:
  - name: Pay
    kpis:
      - {name: Conversion, value: 3.1, target: 2.8, unit: "%", direction: higher}
    touchpoints:
      - {name: Pays, emotion: 4}
"""
OVERDUE = """\
jmap: 1
title: Overdue returns
reviewed: 2026-03-01
review_every: 6 months
stages:
  - name: Return
    kpis:
      - {name: Return time, value: 9, target: 5, unit: days, direction: lower}
      - {name: Tickets, value: 120}
    touchpoints:
      - {name: Sends back, emotion: 2}
"""


def _stale_project(tmp_path: Path) -> Path:
    folder = tmp_path / "j"
    folder.mkdir()
    # In file order the fresh journey comes first; the page lists the stale one first.
    (folder / "a-fresh.yaml").write_text(FRESH, encoding="utf-8")
    (folder / "b-overdue.yaml").write_text(OVERDUE, encoding="utf-8")
    return folder


def _journey_cards(page: str) -> list[str]:
    return re.findall(r'<li class="card journey" id="journey-([^"]+)">', page)


def test_the_portfolio_lists_stale_journeys_first_with_the_reasons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _stale_project(tmp_path)
    out = tmp_path / "maps"
    monkeypatch.setenv("JMAP_TODAY", "2026-12-02")
    assert run_cli(["build", str(folder), "-o", str(out), "-f", "html,md"]).exit_code == 0
    page = (out / "index.html").read_text("utf-8")
    assert _journey_cards(page) == ["b-overdue", "a-fresh"]
    assert page.count('class="stale-note"') == 1
    reasons = page.split('class="stale-note"', 1)[1].split("</div>", 1)[0]
    assert "past its review date, 2026-09-01 (every 6 months)" in reasons
    assert "KPI &#39;Return time&#39; is off track" in reasons
    assert "<dt>Gone stale</dt><dd>1 " in page
    markdown = (out / "index.md").read_text("utf-8")
    journeys = markdown.split("## Journeys", 1)[1].split("##", 1)[0]
    assert journeys.index("Overdue returns") < journeys.index("Fresh checkout")
    assert "| J1 | [Overdue returns](b-overdue.md) | past its review date, 2026-09-01" in markdown
    kpis = markdown.split("## KPIs against target", 1)[1].split("\n## ", 1)[0]
    assert kpis.strip().splitlines()[2:] == [
        "| Overdue returns | Return time | Return | 9 days | target 5 days ↓ lower is better"
        " | ×\u00a0off track |",
        "| Overdue returns | Tickets | Return | 120 | *none* | *cannot tell* |",
        "| Fresh checkout | Conversion | Pay | 3.1% | target 2.8% ↑ higher is better"
        " | ●\u00a0on track |",
    ]


def test_a_new_day_makes_new_pages_and_the_project_chooses_the_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _stale_project(tmp_path)
    out = tmp_path / "maps"
    args = ["build", str(folder), "-o", str(out), "-f", "md"]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JMAP_TODAY", "2026-08-31")  # the day before the overdue one is due
    (tmp_path / "jmap.toml").write_text('[lint]\nignore = ["JM014"]\n', encoding="utf-8")
    assert run_cli(args).exit_code == 0
    assert "## Gone stale" not in (out / "index.md").read_text("utf-8")
    # Nothing in the journeys changed, but the day did: the pages are made again.
    monkeypatch.setenv("JMAP_TODAY", "2026-09-02")
    assert run_cli(args).exit_code == 0
    markdown = (out / "index.md").read_text("utf-8")
    assert "| J1 | [Overdue returns](b-overdue.md) | past its review date, 2026-09-01" in markdown
    assert "off track |" in markdown  # the KPI table still says so; JM014 is not a reason
    assert "is off track" not in markdown
