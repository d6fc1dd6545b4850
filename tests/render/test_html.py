"""The HTML map: self-contained, safe with hostile text, accessible, readable on every screen.

The first tests read the file as text and always run. The browser tests open it from disk in
headless Chromium (see tests/browser.py): what a reader's browser would do with it, in light
and dark mode, on a phone and on paper, with axe-core checking accessibility.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from jmap.render.html import safe_href
from tests.browser import PHONE, visit
from tests.helpers import EXAMPLES, ROOT, run_cli

if TYPE_CHECKING:
    from playwright.sync_api import Browser


EXAMPLE_IDS = [e.stem for e in EXAMPLES]
PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
)
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}
# Attributes that make a browser fetch something by themselves, without a click.
_LOADING = {"src", "srcset", "poster", "data", "action", "formaction", "background", "xlink:href"}


def build_html(journey: Path, output: Path) -> Path:
    result = run_cli(["build", str(journey), "-f", "html", "-o", str(output)])
    assert result.exit_code == 0, result.stdout + result.stderr
    (written,) = output.glob("*.html")
    return written


def write_journey(folder: Path, journey: dict[str, object]) -> Path:
    """A journey file from a dict: JSON is YAML, and it quotes hostile text for us."""
    path = folder / f"{journey.get('id', 'journey')}.yaml"
    path.write_text(json.dumps({"jmap": 1, **journey}, indent=2), encoding="utf-8")
    return path


def hostile_journey(folder: Path) -> Path:
    a, b, c = PAYLOADS
    return write_journey(
        folder,
        {
            "title": f"Shop {a}",
            "id": "hostile",
            "description": f"{b} and {c}",
            "owner": a,
            "tags": [b],
            "personas": [{"id": "p1", "name": f"Ann {c}", "goals": [a], "frustrations": [b]}],
            "channels": [{"id": "web", "name": f"Web {a}"}],
            "stages": [
                {
                    "id": "buy",
                    "name": f"Buy {b}",
                    "customer_goal": c,
                    "kpis": [{"name": a, "value": b, "target": c, "unit": a}],
                    "touchpoints": [
                        {
                            "id": "tp-a",
                            "name": f"Checkout {a}",
                            "channel": "web",
                            "thoughts": [b, c],
                            "actions": [a],
                            "emotion": 1,
                            "pain_points": [
                                {"id": "pain-a", "text": f"Slow {a}", "severity": "critical"},
                                {
                                    "text": c,
                                    "evidence": [{"text": b, "link": "javascript:alert(1)"}],
                                },
                            ],
                            "opportunities": [
                                {"text": f"Fix {c}", "answers": ["pain-a"], "owner": b},
                                {"text": a, "link": "java\tscript:alert(1)"},
                            ],
                            "backstage": [{"actor": a, "text": b}],
                            "evidence": [{"text": c, "link": "https://example.com/survey?a=1&b=2"}],
                        },
                        {"id": "tp-b", "name": c, "emotion": 4, "next": []},
                    ],
                }
            ],
        },
    )


class _Page(HTMLParser):
    """Every start tag with its attributes, and whether each element that opened was closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else ''}>")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_page_is_well_formed_and_loads_nothing(example: Path, tmp_path: Path) -> None:
    html = build_html(example, tmp_path).read_text(encoding="utf-8")
    page = parse(html)
    assert page.problems == []
    assert page.open == []
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "link", "iframe", "object", "embed", "base", "audio", "video"}
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if name in _LOADING or (name == "href" and tag != "a"):
                assert (value or "").startswith(("data:", "#")), f"<{tag} {name}={value!r}>"
    assert "url(" not in html
    assert "@import" not in html
    assert "Content-Security-Policy" in html


def test_page_shows_what_a_good_map_shows(tmp_path: Path) -> None:
    html = build_html(ROOT / "examples" / "shoe-purchase.yaml", tmp_path).read_text("utf-8")
    page = parse(html)
    text = " ".join(" ".join(page.text).split())
    ids = {attrs.get("id") for _, attrs in page.tags}
    # A column per touchpoint, named by the spec's ids; the lowest points named.
    assert {"tp-tries-them-on", "tp-requests-exchange", "stage-awareness"} <= ids
    assert "lowest: Tries them on at home" in text
    assert "Line of visibility" in text
    # An opportunity says which pain point it answers, and the worst pain point comes first.
    assert "answers: Online orders can only be refunded, not exchanged" in text
    pains = text.split("Pain points, worst first", 1)[1]
    assert pains.index("Critical") < pains.index("High") < pains.index("Medium")
    assert "Reel click-through rate 1.1% / target 1.5%" in text
    assert "Digital CX team (cx@strideco.example)" in text


def test_empty_lanes_and_sections_are_left_out(tmp_path: Path) -> None:
    journey = write_journey(
        tmp_path,
        {
            "title": "Bare",
            "id": "bare",
            "stages": [
                {"name": "Look", "touchpoints": [{"name": "Sees an ad"}]},
                {"name": "Later"},  # no touchpoints yet: still a column, so the stage shows
            ],
        },
    )
    html = build_html(journey, tmp_path / "out").read_text("utf-8")
    text = " ".join(parse(html).text)
    for absent in ("Backstage", "Line of visibility", "Emotion curve", "Thoughts", "KPIs"):
        assert absent not in text
    assert "No touchpoints yet" in text
    assert "No pain points recorded." in text


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    html = build_html(hostile_journey(tmp_path), tmp_path / "out").read_text("utf-8")
    page = parse(html)
    assert page.problems == []
    for tag, attrs in page.tags:
        assert tag != "script"
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "img":
            assert (attrs.get("src") or "").startswith("data:image/svg+xml;base64,")
        if tag == "svg":  # only the emotion drawings jmap makes
            assert (attrs.get("class") or "").startswith("jm-")
    text = "".join(page.text)
    for payload in PAYLOADS:
        assert payload in text
    # Written links: a web address is a link, a javascript: one is only shown as text.
    links = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    assert "https://example.com/survey?a=1&b=2" in links
    assert not [link for link in links if link and "script:" in link.replace("\t", "")]


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.com/a", True),
        ("http://example.com", True),
        ("mailto:cx@example.com", True),
        ("reports/q3.pdf", True),
        ("#top", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox", False),
        ("", False),
    ],
)
def test_only_links_that_navigate_are_links(url: str, linked: bool) -> None:
    assert (safe_href(url) is not None) is linked


# In the browser -----------------------------------------------------------------------------


_GRID = """() => {
  const grid = document.querySelector('table.grid');
  const scroller = grid.closest('.scroller');
  const lanes = [...grid.querySelectorAll('th[scope=row]')];
  return {
    columns: grid.querySelectorAll('tr.tp-row th[scope=col]').length,
    sticky: lanes.map((th) => getComputedStyle(th).position),
    scrollerTabIndex: scroller.tabIndex,
    scrollerLabel: scroller.getAttribute('aria-label'),
  };
}"""
_LANE_HEADER_LEFT = """() => {
  const scroller = document.querySelector('table.grid').closest('.scroller');
  const lane = scroller.querySelector('th.lane');
  return {
    offset: lane.getBoundingClientRect().left - scroller.getBoundingClientRect().left,
    scrolled: scroller.scrollLeft,
  };
}"""


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_map_in_a_browser(browser: Browser, example: Path, tmp_path: Path) -> None:
    from jmap.loading.loader import load

    touchpoints = len(list(load(example).touchpoints()))
    path = build_html(example, tmp_path)
    with visit(browser, path) as seen:
        page = seen.page
        page.screenshot(path=tmp_path / "desktop.png", full_page=True)
        assert seen.axe_violations() == []
        grid = page.evaluate(_GRID)
        assert grid["columns"] == touchpoints
        assert set(grid["sticky"]) == {"sticky"}
        assert grid["scrollerTabIndex"] == 0
        assert grid["scrollerLabel"]
        # A keyboard user scrolls the grid sideways; the lane names stay where they were.
        page.focus("table.grid >> xpath=ancestor::div[contains(@class, 'scroller')]")
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('table.grid').closest('.scroller').scrollLeft > 0"
        )
        after = page.evaluate(_LANE_HEADER_LEFT)
        assert after["scrolled"] > 0
        assert abs(after["offset"]) <= 2
        assert seen.errors == []
        assert seen.foreign_requests() == []


@pytest.mark.parametrize("example", EXAMPLES[:1], ids=EXAMPLE_IDS[:1])
def test_dark_mode_keeps_contrast(browser: Browser, example: Path, tmp_path: Path) -> None:
    path = build_html(example, tmp_path)
    with visit(browser, path, color_scheme="dark") as seen:
        background = seen.page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert background != "rgb(255, 255, 255)"
        seen.page.screenshot(path=tmp_path / "dark.png", full_page=True)
        assert seen.axe_violations() == []
        assert seen.errors == []


@pytest.mark.parametrize("example", EXAMPLES, ids=EXAMPLE_IDS)
def test_phone_scrolls_only_the_grid(browser: Browser, example: Path, tmp_path: Path) -> None:
    path = build_html(example, tmp_path)
    with visit(browser, path, size=PHONE) as seen:
        widths = seen.page.evaluate(
            """() => ({
              page: document.documentElement.scrollWidth,
              viewport: document.documentElement.clientWidth,
              grid: document.querySelector('table.grid').closest('.scroller').scrollWidth,
            })"""
        )
        seen.page.screenshot(path=tmp_path / "phone.png")
        assert widths["page"] <= widths["viewport"]
        assert widths["grid"] > widths["viewport"]
        assert seen.axe_violations() == []


def test_print_fits_the_grid_on_the_paper(browser: Browser, tmp_path: Path) -> None:
    path = build_html(ROOT / "examples" / "b2b-software-purchase.yaml", tmp_path)
    with visit(browser, path) as seen:
        page = seen.page
        page.emulate_media(media="print")
        shown = page.evaluate(
            """() => {
              const grid = document.querySelector('table.grid');
              return {
                nav: getComputedStyle(document.querySelector('nav')).display,
                overflow: getComputedStyle(grid.closest('.scroller')).overflowX,
                grid: grid.getBoundingClientRect().width,
                page: document.documentElement.clientWidth,
              };
            }"""
        )
        assert shown["nav"] == "none"
        assert shown["overflow"] == "visible"
        assert shown["grid"] <= shown["page"]
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        assert pdf.startswith(b"%PDF")
        assert seen.errors == []


def test_hostile_text_runs_nothing_in_a_browser(browser: Browser, tmp_path: Path) -> None:
    path = build_html(hostile_journey(tmp_path), tmp_path / "out")
    with visit(browser, path) as seen:
        page = seen.page
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true })")
        # The first Tab lands on the skip link, shown on focus; Enter follows it.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip"
        page.keyboard.press("Enter")
        text = page.inner_text("body")
        for payload in PAYLOADS:
            assert payload in text
        injected = page.evaluate(
            """() => ({
              scripts: document.querySelectorAll('script').length,
              images: [...document.images].filter((i) => !i.src.startsWith('data:')).length,
              handlers: [...document.querySelectorAll('*')].filter(
                (e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
            })"""
        )
        assert injected == {"scripts": 0, "images": 0, "handlers": 0}
        assert seen.dialogs == []
        assert seen.errors == []
        assert seen.foreign_requests() == []
        assert seen.axe_violations() == []


def test_the_top_of_the_map_shows_moments_and_the_top_three_opportunities(
    tmp_path: Path,
) -> None:
    html = build_html(ROOT / "tests" / "data" / "ranking.yaml", tmp_path).read_text("utf-8")
    text = " ".join(" ".join(parse(html).text).split())
    top = text.split("What matters first", 1)[1].split("Personas", 1)[0]
    moments, opportunities = top.split("Top opportunities", 1)
    assert "Moments that matter" in moments
    assert "Second step 2 · Only ▼▼ 1 very negative" in moments
    # High priority beats a worse pain; three personas beat one; then the journey's order.
    assert opportunities.index("High fix for a small pain") < opportunities.index(
        "Medium fix for everyone"
    )
    assert opportunities.index("Medium fix for everyone") < opportunities.index(
        "Medium fix for Ann"
    )
    assert "answers: Low A small pain" in opportunities
    assert "Medium fix for Bo" not in opportunities
    assert "Fix without a priority" not in opportunities
    # Before anything else of the map.
    assert text.index("What matters first") < text.index("Personas Ann") < text.index("Stage 1")


WIDE = (2560, 1440)
_WIDTHS = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect().width;
  return {
    viewport: document.documentElement.clientWidth,
    page: document.documentElement.scrollWidth,
    grid: box('table.grid'),
    chart: box('.jm-chart'),
    card: box('.chart-figure .scroller'),
    summaryRows: [...document.querySelectorAll('.chart-summary tbody tr')].map(
      (row) => row.children.length),
    longestText: Math.max(...[...document.querySelectorAll('.chart-figure figcaption p')].map(
      (p) => p.textContent.length)),
  };
}"""


def test_a_wide_screen_shows_the_grid_full_width_and_the_chart_fills_its_card(
    browser: Browser, tmp_path: Path
) -> None:
    path = build_html(ROOT / "examples" / "omnichannel-support.yaml", tmp_path)
    with visit(browser, path, size=WIDE) as seen:
        widths = seen.page.evaluate(_WIDTHS)
        seen.page.screenshot(path=tmp_path / "wide.png")
        assert widths["page"] <= widths["viewport"]
        # The grid used to stop at 1486 px on any screen.
        assert widths["grid"] >= widths["viewport"] - 60
        assert abs(widths["chart"] - widths["card"]) <= 2
        assert widths["summaryRows"] == [5]
        assert seen.errors == []


def test_the_chart_summary_of_forty_touchpoints_and_four_personas_is_a_table(
    browser: Browser, tmp_path: Path
) -> None:
    path = build_html(ROOT / "tests" / "data" / "grid" / "forty.yaml", tmp_path)
    with visit(browser, path, size=WIDE) as seen:
        widths = seen.page.evaluate(_WIDTHS)
        # A row per persona, a column per fact, no paragraph of sentences.
        assert widths["summaryRows"] == [5, 5, 5, 5]
        assert widths["longestText"] < 80
        # Wider than its card, the chart keeps its size and scrolls inside the card.
        assert widths["chart"] > widths["card"]
        assert widths["page"] <= widths["viewport"]
        assert seen.axe_violations() == []
