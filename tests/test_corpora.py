"""Hostile and broken input nobody on this project wrote: the official YAML test suite and the
Big List of Naughty Strings, copied with their licences into tests/data/corpora.

The YAML test suite (`yaml-test-suite/cases.json`, packed from the suite's data branch by
`pack_yaml_test_suite.py` beside it):

- Every case, as a journey file, is a valid journey or a `JourneyError` whose problems point at
  a line and column inside the text; no other exception, and `jmap validate` prints no
  traceback. pyyaml reads YAML 1.1 and lets a few invalid texts through (`LENIENT`, and a few
  more with libyaml); jmap then refuses them for not being journeys, still at a line and column.
- Every case's text, as a journey's `description`, comes back exactly: written as a literal
  block scalar with an explicit indentation indicator (`|2+`, `|2-`), which carries any text of
  printable characters and `\\n` line breaks (every text of the suite is one), and as a
  double-quoted scalar, which carries any text at all.

The naughty strings (`naughty-strings/blns.json`, plus `EXTRA`, strings that broke jmap's own
escaping): each string goes into every text field of its own journey (a journey has one title,
so one string per journey is what makes every string a title) and is built in every format.
YAML carries every one of them (pyyaml writes control characters as escapes), so none is lost
on the way in: the empty string and the one space are the ones refused, with a located error, as
a text may not be empty or blank. Every other string builds, and
- the SVG parses as XML and names the map after the title, with no element from the string;
- the JSON holds the string, exactly, wherever the journey did;
- the Markdown reads back through CommonMark + GFM tables with every table in shape and every
  text as written, and nothing in it is HTML but what the map itself writes;
- Mermaid parses the diagram and draws the title, stage, touchpoints and personas as written;
- the HTML page is well formed and holds the string as text; opened in headless Chromium
  (every page whose string holds markup or a URL scheme, and the portfolio page, which shows a
  text of every journey), it runs nothing, loads nothing, makes no element or link out of the
  string and shows the string as text.
A string as an id is refused at every place it is written unless it is a valid id. Lone
surrogates, which no UTF-8 file holds but YAML escapes can write, are a located error too.

The build takes half a minute and the browser passes about as long: they are marked slow.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from jmap import source as jmap_source
from jmap.build import BuildOptions, BuildReport, build
from jmap.errors import JourneyError, Problem
from jmap.limits import DEFAULT_LIMITS
from jmap.loader import loads
from jmap.render import FORMATS
from jmap.render.dot.text import xml_text
from jmap.render.html import safe_href
from jmap.slug import is_id
from jmap.source import SourceError, parse
from tests.browser import launch
from tests.helpers import DATA, run_cli
from tests.mermaid_check import MermaidPage, missing
from tests.test_html import parse as parse_html
from tests.test_markdown import MAP_MARKUP, assert_map_shows, read_page, shown
from tests.test_mermaid import unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Route

CORPORA = DATA / "corpora"

# The YAML test suite -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    yaml: str
    invalid: bool  # the suite says the text is not YAML


CASES = [Case(**case) for case in json.loads((CORPORA / "yaml-test-suite/cases.json").read_text())]
CASE_IDS = [case.id for case in CASES]
# Invalid YAML 1.2 that pyyaml parses all the same: a comment with no space before it
# (`"value"# x`), `-` alone as a flow value, flow collections and quoted text continued on
# lines indented too little or by a tab. jmap refuses each for not being a journey instead.
LENIENT = {"9C9N", "9JBA", "CVW2", "DK95/01", "G5U8", "QB6E", "S98Z", "SU5Z", "YJV2"}
# libyaml, which jmap reads YAML with when pyyaml has it, also parses a comment with no space
# before it after a directive or a block scalar indicator (`>#`), and a tab in a flow sequence.
LENIENT_LIBYAML = LENIENT | {"MUS6/00", "X4QW", "Y79Y/003"}
VALID_JOURNEY = "jmap: 1\ntitle: Embedded\nstages:\n  - name: Only\n"


def assert_inside(problem: Problem, text: str) -> None:
    """The problem points at a line and column of the text (or just after its last line)."""
    lines = text.split("\n")
    assert 1 <= problem.line <= len(lines), problem
    assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1, problem


def problems(text: str, name: str) -> list[Problem]:
    """What is wrong with a journey text; nothing when it is a valid journey."""
    try:
        loads(text, name)
    except JourneyError as error:
        return list(error.problems)
    return []


def yaml_error(text: str) -> SourceError | None:
    try:
        parse(text, DEFAULT_LIMITS)
    except SourceError as error:
        return error
    return None


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_yaml_suite_case_is_a_journey_or_a_located_error(case: Case) -> None:
    found = problems(case.yaml, "case.yaml")
    assert found or not case.invalid
    for problem in found:
        assert_inside(problem, case.yaml)


@pytest.mark.parametrize("case", [c for c in CASES if c.invalid], ids=lambda c: c.id)
def test_invalid_yaml_is_refused_as_yaml(case: Case) -> None:
    error = yaml_error(case.yaml)
    lenient = LENIENT_LIBYAML if next(iter(jmap_source.PARSERS)) == "libyaml" else LENIENT
    if case.id in lenient:
        assert error is None, f"pyyaml refuses {case.id} now: drop it from LENIENT"
    else:
        assert error is not None, f"{case.id} ({case.title}) is invalid YAML, yet it parses"
        assert error.line >= 1
        assert error.column >= 1


def literal_block(key: str, text: str) -> str:
    """`key: |2+` and the text indented by two: a literal block scalar that is exactly the text.

    The indentation indicator lets the text start with spaces; keep chomping (`+`) keeps its
    final line breaks, strip chomping (`-`) says there is none. Block scalars normalise line
    breaks and cannot hold unprintable characters, so other texts need a quoted scalar.
    """
    assert not re.search(r"[\r\x85\u2028\u2029]", text), "not for a literal block"
    chomping = "+" if text.endswith("\n") else "-"
    lines = text.removesuffix("\n").split("\n")
    return f"{key}: |2{chomping}\n" + "".join(f"  {line}\n" if line else "\n" for line in lines)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_yaml_suite_text_is_carried_exactly_as_a_description(case: Case) -> None:
    literal = VALID_JOURNEY + literal_block("description", case.yaml)
    assert loads(literal, "embedded.yaml").description == case.yaml
    quoted = VALID_JOURNEY + yaml.safe_dump({"description": case.yaml}, allow_unicode=True)
    assert loads(quoted, "embedded.yaml").description == case.yaml


def case_file(folder: Path, case: Case, text: str) -> Path:
    path = folder / f"case-{case.id.replace('/', '-').lower()}.yaml"
    path.write_text(text, "utf-8")
    return path


def validate(paths: list[Path], folder: Path) -> subprocess.CompletedProcess[str]:
    """`python -m jmap validate`, a real process, run where no project config is found."""
    return subprocess.run(
        [sys.executable, "-m", "jmap", "validate", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_validate_reports_every_yaml_suite_case_without_a_traceback(tmp_path: Path) -> None:
    files = [case_file(tmp_path, case, case.yaml) for case in CASES]
    done = validate(files, tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr == ""
    for path in files:
        assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: error: ", done.stdout, re.M), path


@pytest.mark.slow
def test_validate_accepts_every_yaml_suite_text_as_a_description(tmp_path: Path) -> None:
    files = [
        case_file(tmp_path, case, VALID_JOURNEY + literal_block("description", case.yaml))
        for case in CASES
    ]
    done = validate(files, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(files)} journeys checked: {len(files)} valid" in done.stdout


# The naughty strings -------------------------------------------------------------------------

BLNS: list[str] = json.loads((CORPORA / "naughty-strings/blns.json").read_text("utf-8"))
EXTRA = [
    "nul \x00 and \x1b[31m escape",  # control characters XML cannot hold: Graphviz refused them
    "&#14; &amp; &lt;b&gt; &#x1F;",  # Graphviz read these as characters in tooltips
    "\\N \\G \\E \\T \\H \\L \\l \\r \\n \\",  # Graphviz escapes
    "\ufffe \uffff nonchars",  # not XML characters either
    "\ufeff",  # JavaScript whitespace: a Mermaid task of only this was no task
    "a\r\nb\rc\u2028d",  # line breaks of every kind
    "<![CDATA[x]]> ]]> <?xml version='1.0'?> --> <!--",
]
STRINGS = BLNS + EXTRA
STRING_IDS = [f"blns-{n:03d}" for n in range(len(BLNS))] + [f"extra-{n}" for n in range(len(EXTRA))]
# Text fields may not be empty or blank; every other string is a valid text.
REFUSED = {"", " "}


class Dumper(yaml.SafeDumper):
    """safe_dump, but quoting what YAML 1.2 reads as a number (`1E2`, `08`), as jmap does."""


for _tag, _pattern, _first in [
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
]:
    Dumper.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False)


def naughty_journey(text: str, journey_id: str) -> dict[str, Any]:
    """A journey with `text` in every text field; ids written out, as a slug may be empty.

    Two personas who feel differently at the first touchpoint, so that the persona's name is
    drawn as an actor, a curve and a legend entry.
    """
    evidence = [{"text": text, "link": text}]
    kpi = {"name": text, "value": text, "target": text, "unit": text, "description": text}
    touchpoint = {
        "id": "t1",
        "name": text,
        "description": text,
        "channel": "c1",
        "actions": [text],
        "thoughts": [text],
        "emotion": {"p1": 1, "p2": 5},
        "pain_points": [{"id": "pain-1", "text": text, "severity": "high", "evidence": evidence}],
        "opportunities": [{"text": text, "owner": text, "link": text, "answers": ["pain-1"]}],
        "backstage": [{"actor": text, "text": text}],
        "evidence": evidence,
        "kpis": [{"name": text, "value": text, "unit": text}],
    }
    persona = {
        "id": "p1",
        "name": text,
        "description": text,
        "goals": [text],
        "needs": [text],
        "frustrations": [text],
    }
    stage = {
        "id": "st1",
        "name": text,
        "description": text,
        "customer_goal": text,
        "business_goal": text,
        "kpis": [kpi],
        "touchpoints": [touchpoint, {"id": "t2", "name": text, "emotion": 3}],
    }
    return {
        "jmap": 1,
        "id": journey_id,
        "title": text,
        "description": text,
        "owner": text,
        "tags": [text],
        "personas": [persona, {"id": "p2", "name": "Bo"}],
        "channels": [{"id": "c1", "name": text, "description": text}],
        "stages": [stage],
    }


def paths_of(data: Any, text: str, path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Where in the data `text` is a value."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_of(value, text, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths_of(value, text, (*path, index))
    elif data == text:
        yield path


def at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def flat(text: str) -> str:
    """Text on one line, as Mermaid and a browser show it: whitespace runs as one space, trimmed
    (JavaScript's whitespace, which adds the byte-order mark to Python's)."""
    return " ".join(re.split(r"[\s\ufeff]+", text)).strip()


@dataclass(frozen=True)
class Built:
    sources: Path
    maps: Path
    report: BuildReport

    def map(self, number: int, extension: str) -> Path:
        return self.maps / f"{STRING_IDS[number]}.{extension}"


@pytest.fixture(scope="module")
def naughty(tmp_path_factory: pytest.TempPathFactory) -> Built:
    sources = tmp_path_factory.mktemp("naughty")
    for text, name in zip(STRINGS, STRING_IDS, strict=True):
        (sources / f"{name}.yaml").write_text(dump(naughty_journey(text, name)), "utf-8")
    maps = sources / "maps"
    options = BuildOptions(output=maps, formats=tuple(FORMATS), jobs=2)
    return Built(sources, maps, build([sources], options))


def valid(number: int) -> bool:
    return STRINGS[number] not in REFUSED


NUMBERS = range(len(STRINGS))
VALID_NUMBERS = [n for n in NUMBERS if valid(n)]
VALID_IDS = [STRING_IDS[n] for n in VALID_NUMBERS]


@pytest.mark.slow
def test_only_the_empty_and_the_blank_string_are_refused(naughty: Built) -> None:
    refused = {Path(built.source).stem: built.problems for built in naughty.report.failed}
    assert set(refused) == {STRING_IDS[n] for n in NUMBERS if not valid(n)}
    for name, problems in refused.items():
        text = (naughty.sources / f"{name}.yaml").read_text("utf-8")
        for problem in problems:
            assert problem.message.endswith(("must not be empty", "tabs or line breaks")), problem
            assert_inside(problem, text)


@pytest.mark.slow
@pytest.mark.parametrize("number", VALID_NUMBERS, ids=VALID_IDS)
def test_the_svg_is_xml_named_after_the_title(naughty: Built, number: int) -> None:
    root = ET.fromstring(naughty.map(number, "svg").read_text("utf-8"))
    svg = "{http://www.w3.org/2000/svg}"
    # XML reads every line break as \n; characters XML cannot hold are shown by a stand-in.
    title = xml_text(f"Journey map: {STRINGS[number]}")
    assert root.findtext(f"{svg}title") == title.replace("\r\n", "\n").replace("\r", "\n")
    # The map's heading, wrapped to the map's width: every character there, in order.
    shown = "".join("".join(element.itertext()) for element in root.iter(f"{svg}text"))
    assert "".join(xml_text(STRINGS[number]).split()) in "".join(shown.split())
    for element in root.iter():
        assert element.tag.removeprefix(svg) not in {"script", "foreignObject", "image"}
        assert not [name for name in element.attrib if name.lower().startswith("on")]


@pytest.mark.slow
@pytest.mark.parametrize("number", VALID_NUMBERS, ids=VALID_IDS)
def test_the_json_holds_every_text_as_written(naughty: Built, number: int) -> None:
    text = STRINGS[number]
    written = json.loads(naughty.map(number, "json").read_text("utf-8"))
    places = list(paths_of(naughty_journey(text, STRING_IDS[number]), text))
    assert len(places) >= 35
    for path in places:
        assert at(written, path) == text, path


# What markdown-it makes of the map: the map's own markup, and nothing from a text.
MARKDOWN_ELEMENTS = {
    "h1",
    "h2",
    "h3",
    "p",
    "strong",
    "em",
    "ul",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
    "pre",
    "code",
}


class _Elements(HTMLParser):
    """Every element and attribute of an HTML text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: set[str] = set()
        self.attributes: set[tuple[str, str | None]] = set()
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.add(tag)
        self.attributes.update(attrs)


@pytest.mark.slow
@pytest.mark.parametrize("number", VALID_NUMBERS, ids=VALID_IDS)
def test_the_markdown_keeps_its_tables_and_shows_the_text(naughty: Built, number: int) -> None:
    text = STRINGS[number]
    page = read_page(naughty.map(number, "md").read_text("utf-8"))
    # A stage's touchpoints, the pain points by severity, the KPIs of the stage and touchpoint.
    assert [[len(row) for row in table.rows] for table in page.tables] == [
        [5] * 3,
        [5] * 2,
        [6] * 3,
    ]
    if text.strip():  # a blank text shows as nothing, which assert_map_shows cannot find
        # CommonMark reads a NUL character as U+FFFD.
        shows = dump(naughty_journey(text.replace("\x00", "\ufffd"), STRING_IDS[number]))
        assert_map_shows(page, loads(shows, "expected.yaml"))
    mermaid = naughty.map(number, "mmd").read_text("utf-8")
    assert [(fence.info, fence.content) for fence in page.fences] == [("mermaid", mermaid)]
    assert page.markup <= MAP_MARKUP
    rendered = _Elements(page.html)
    assert rendered.elements <= MARKDOWN_ELEMENTS
    assert rendered.attributes <= {("class", "language-mermaid")}


@pytest.mark.slow
def test_the_portfolio_markdown_keeps_its_tables(naughty: Built) -> None:
    page = read_page((naughty.maps / "index.md").read_text("utf-8"))
    journeys = len(VALID_NUMBERS)
    shapes = {
        table.heading: (len(table.rows), {len(row) for row in table.rows}) for table in page.tables
    }
    assert shapes["Journeys"] == (1 + journeys, {7})
    assert shapes["Emotion"] == (1 + journeys, {3})
    assert shapes["Pain points by severity"] == (2 + journeys, {6})
    titles = [row[1] for row in next(t for t in page.tables if t.heading == "Journeys").rows[1:]]
    # A title is a link to the journey's map, which the reader sees as its text.
    assert titles == [
        f"[link_open]{shown(STRINGS[n].replace(chr(0), chr(0xFFFD)))}[link_close]"
        for n in VALID_NUMBERS
    ]
    rendered = _Elements(page.html)
    assert rendered.elements <= MARKDOWN_ELEMENTS | {"a"}
    assert {name for name, _ in rendered.attributes} <= {"href"}


# In the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


@pytest.fixture(scope="module")
def mermaid(browser: Browser) -> Iterator[MermaidPage]:
    """Mermaid in a page of the module's browser: Playwright's sync API runs one browser per
    thread at a time, so this cannot be tests.mermaid_check.mermaid_page, which starts its own."""
    reason = missing()
    if reason:
        unavailable(reason)
    page = browser.new_page()
    try:
        yield MermaidPage.on(page)
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("number", VALID_NUMBERS, ids=VALID_IDS)
def test_mermaid_draws_every_text_as_written(
    naughty: Built, mermaid: MermaidPage, number: int
) -> None:
    # A NUL character is written as U+FFFD, which is how HTML reads it.
    text = flat(STRINGS[number].replace("\x00", "\ufffd"))
    drawn = mermaid.draw(naughty.map(number, "mmd").read_text("utf-8"))
    assert drawn.title == text
    assert drawn.sections == [text]
    assert drawn.tasks == [text, text, text]  # the personas feel differently at the first
    assert drawn.scores == [1, 5, 3]
    assert [[flat(actor) for actor in actors] for actors in drawn.actors] == [
        [text],
        ["Bo"],
        [text, "Bo"],
    ]
    assert not drawn.elements & {"a", "b", "i", "img", "script", "iframe"}, drawn.elements


_INJECTED = """() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  return {
    scripts: document.querySelectorAll('script').length,
    frames: document.querySelectorAll(
      'iframe, frame, object, embed, base, link, meta[http-equiv=refresh]').length,
    images: [...document.images].filter((i) => !i.src.startsWith('data:')).length,
    handlers: [...document.querySelectorAll('*')].filter(
      (e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
    // A link runs nothing until clicked; one that would run something on a click counts too.
    links: [...document.links].filter(
      (a) => !['http:', 'https:', 'mailto:', 'file:'].includes(a.protocol)).length,
    text: document.body.innerText,
  };
}"""


class Reader:
    """One page that opens map after map, noting whatever each one tried to do.

    Lighter than tests.browser.visit (a context and axe-core per page), which would take
    minutes over five hundred maps; accessibility is test_html's to check.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.events: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))
        page.on("console", self._console)
        page.on("request", self._request)
        page.route(lambda url: not url.startswith(("file:", "data:")), self._abort)

    def open(self, path: Path) -> tuple[dict[str, int], str, list[str]]:
        """What the page made (elements that could run or load something), its text, events."""
        self.events = []
        self.page.goto(path.as_uri())
        found: dict[str, Any] = self.page.evaluate(_INJECTED)
        text = found.pop("text")
        return found, text, self.events

    def _dialog(self, dialog: Dialog) -> None:
        self.events.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.events.append(f"console error: {message.text}")

    def _request(self, request: Request) -> None:
        if not request.url.startswith(("file:", "data:")):
            self.events.append(f"request: {request.url}")

    @staticmethod
    def _abort(route: Route) -> None:
        route.abort()


@pytest.fixture(scope="module")
def reader(browser: Browser) -> Iterator[Reader]:
    context = browser.new_context()
    try:
        yield Reader(context.new_page())
    finally:
        context.close()


NOTHING_INJECTED = {"scripts": 0, "frames": 0, "images": 0, "handlers": 0, "links": 0}


def as_a_browser_shows(text: str) -> str:
    # The HTML parser drops NUL characters from text.
    return flat(text.replace("\x00", ""))


@pytest.mark.slow
@pytest.mark.parametrize("number", VALID_NUMBERS, ids=VALID_IDS)
def test_the_html_map_holds_the_text_as_text(naughty: Built, number: int) -> None:
    page = parse_html(naughty.map(number, "html").read_text("utf-8"))
    assert page.problems == []
    assert page.open == []
    for tag, attributes in page.tags:
        assert tag not in {"script", "iframe", "object", "embed", "base", "link"}
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        if tag == "img":
            assert (attributes.get("src") or "").startswith("data:image/svg+xml;base64,")
        if tag == "a":
            assert safe_href(attributes.get("href")) == attributes.get("href")
    assert flat(STRINGS[number]) in flat("".join(page.text))


# Opening a page takes a tenth of a second: the browser opens the maps of the strings that
# hold markup or a URL scheme, and the portfolio page, which shows a text of every journey.
IN_BROWSER = [n for n in VALID_NUMBERS if re.search(r"[<>&]|script|:", STRINGS[n], re.I)]


@pytest.mark.slow
@pytest.mark.parametrize("number", IN_BROWSER, ids=[STRING_IDS[n] for n in IN_BROWSER])
def test_the_html_map_shows_the_text_and_runs_nothing(
    naughty: Built, reader: Reader, number: int
) -> None:
    made, text, events = reader.open(naughty.map(number, "html"))
    assert made == NOTHING_INJECTED
    assert events == []
    assert as_a_browser_shows(STRINGS[number]) in flat(text)


@pytest.mark.slow
def test_the_portfolio_page_shows_every_title_and_runs_nothing(
    naughty: Built, reader: Reader
) -> None:
    made, text, events = reader.open(naughty.maps / "index.html")
    assert made == NOTHING_INJECTED
    assert events == []
    shown_text = flat(text)
    assert [n for n in VALID_NUMBERS if as_a_browser_shows(STRINGS[n]) not in shown_text] == []


# What the corpora broke, kept quick -------------------------------------------------------------


def test_control_characters_and_references_stay_text_in_the_svg(tmp_path: Path) -> None:
    title = "Red \x1b[31m &#14; &lt;b&gt;\nsecond line"
    journey = {
        "jmap": 1,
        "id": "broke",
        "title": title,
        "stages": [{"id": "s", "name": "S", "touchpoints": [{"id": "t", "name": title}]}],
    }
    source = tmp_path / "broke.yaml"
    source.write_text(dump(journey), "utf-8")
    result = run_cli(["build", str(source), "-f", "svg", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    root = ET.parse(tmp_path / "broke.svg").getroot()
    # Graphviz refused the escape character; XML cannot hold it, so it shows as its picture.
    shown = "Red \u241b[31m &#14; &lt;b&gt;"
    texts = [
        "".join(element.itertext()) for element in root.iter("{http://www.w3.org/2000/svg}text")
    ]
    # The heading, wrapped at spaces: a line break is a place to wrap, and glues no words.
    assert f"{shown} second line" in " ".join(texts)
    # Tooltips show a reference as typed, where Graphviz read it as the character it names.
    tooltips = [element.text or "" for element in root.iter("{http://www.w3.org/2000/svg}title")]
    assert any(f"{shown}\nsecond line" in tip for tip in tooltips), tooltips


def test_mermaid_gets_a_task_for_every_touchpoint(tmp_path: Path) -> None:
    names = ["\ufeff", "nul \x00 here", "\ufeff\u2028 \t"]
    touchpoints = [{"id": f"t{n}", "name": name, "emotion": 3} for n, name in enumerate(names)]
    stages = [{"id": "s", "name": "S", "touchpoints": touchpoints}]
    journey = {"jmap": 1, "id": "tasks", "title": "T", "stages": stages}
    source = tmp_path / "tasks.yaml"
    source.write_text(dump(journey), "utf-8")
    assert run_cli(["build", str(source), "-f", "mermaid", "-o", str(tmp_path)]).exit_code == 0
    tasks = (tmp_path / "tasks.mmd").read_text("utf-8").splitlines()[-3:]
    # Mermaid skips JavaScript's whitespace (U+FEFF among it) before a task name: a name of
    # nothing else left a line without a task, which Mermaid cannot parse.
    assert [flat(line) for line in tasks] == ["#32;: 3", "nul \ufffd here: 3", "#32;: 3"]


# Ids and text YAML cannot carry --------------------------------------------------------------


def id_journey(ident: str) -> dict[str, Any]:
    """A journey with `ident` as every id it defines and every reference it makes."""
    touchpoint = {
        "id": ident,
        "name": "Looks",
        "channel": ident,
        "personas": [ident],
        "emotion": {ident: 2},
        "next": [ident],
        "pain_points": [{"id": ident, "text": "Slow"}],
        "opportunities": [{"id": ident, "text": "Faster", "answers": [ident]}],
    }
    return {
        "jmap": 1,
        "id": ident,
        "title": "Ids",
        "personas": [{"id": ident, "name": "Ann"}],
        "channels": [{"id": ident, "name": "Web"}],
        "stages": [{"id": ident, "name": "Look", "touchpoints": [touchpoint]}],
    }


# Seven ids defined, five references to them: each written on a line of its own.
ID_PLACES = 12


@pytest.mark.slow
def test_a_string_is_an_id_only_if_it_is_one() -> None:
    accepted = []
    for ident in STRINGS:
        text = dump(id_journey(ident))
        found = problems(text, "ids.yaml")
        if not found:
            journey = loads(text, "ids.yaml")
            assert journey.id == journey.stages[0].touchpoints[0].id == ident
            accepted.append(ident)
            continue
        assert len({problem.line for problem in found}) >= ID_PLACES, found
        for problem in found:
            assert_inside(problem, text)
    assert accepted == [ident for ident in STRINGS if is_id(ident)]
    assert len(accepted) > 10


def test_a_lone_surrogate_is_a_located_error() -> None:
    # YAML can write one as an escape; no file can hold it as UTF-8.
    with pytest.raises(JourneyError) as raised:
        loads('jmap: 1\ntitle: "half \\ud800 a pair"\nstages: [{name: A}]\n', "s.yaml")
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (2, 8)


# Found by these corpora, fixed in the loader -------------------------------------------------


def test_a_journey_written_as_json_keeps_its_emoji() -> None:
    text = json.dumps({"jmap": 1, "title": "Run 🏃", "stages": [{"name": "Go"}]})
    assert loads(text, "json.yaml").title == "Run 🏃"


def test_a_number_in_a_text_field_stays_as_written() -> None:
    journey = loads(
        "jmap: 1\ntitle: 1.10\nstages:\n  - name: 08\n    touchpoints: [{name: 1E2}]\n", "n.yaml"
    )
    assert [journey.title, journey.stages[0].name, journey.stages[0].touchpoints[0].name] == [
        "1.10",
        "08",
        "1E2",
    ]


def test_a_bad_persona_id_in_an_emotion_points_at_the_key() -> None:
    text = (
        "jmap: 1\ntitle: T\npersonas: [{id: ann, name: Ann}]\nstages:\n  - name: S\n"
        "    touchpoints:\n      - name: Looks\n        emotion:\n          Ann: 2\n"
    )
    with pytest.raises(JourneyError) as raised:
        loads(text, "e.yaml")
    messages = {(p.line, p.column): p.message for p in raised.value.problems}
    assert "[key]" not in " ".join(messages.values())
    assert "'Ann' is not a valid id" in messages[(9, 11)]


def test_a_problem_is_one_plain_line_whatever_it_quotes() -> None:
    text = 'jmap: 1\ntitle: T\nid: "two\\nlines \\e[2J"\nstages: [{name: A}]\n'
    with pytest.raises(JourneyError) as raised:
        loads(text, "m.yaml")
    for problem in raised.value.problems:
        assert str(problem).isprintable(), str(problem)


def test_a_unicode_line_separator_is_not_a_new_line_of_the_file() -> None:
    text = 'jmap: 1\ndescription: "one\u2028two"\ntitle: T\nstages: [{name: A}]\nextra: 1\n'
    with pytest.raises(JourneyError) as raised:
        loads(text, "l.yaml")
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (5, 1)


def test_a_blank_text_is_refused_like_an_empty_one() -> None:
    with pytest.raises(JourneyError) as raised:
        loads('jmap: 1\ntitle: "  "\nstages: [{id: a, name: "\\t"}]\n', "b.yaml")
    assert [(p.line, p.column) for p in raised.value.problems] == [(2, 8), (3, 24)]


# Both YAML parsers: libyaml, and pyyaml's Python parser, used when pyyaml has no libyaml -----


def read_with(parser: str, text: str) -> str | tuple[str, Any, Any]:
    """What `parse` makes of a text with one parser: data and positions, or the error."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jmap_source, "PARSERS", {parser: jmap_source.PARSERS[parser]})
        try:
            document = parse(text, DEFAULT_LIMITS)
        except SourceError as error:
            return f"error at {error.line}:{error.column}: {error.message}"
    if document is None:
        return "no document"
    return repr(document.data), document.values, document.keys


def test_the_python_parser_alone_reads_the_yaml_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jmap_source, "PARSERS", {"python": jmap_source.PythonParser})
    for case in CASES:
        found = problems(case.yaml, "case.yaml")
        assert found or not case.invalid, case.id
        for problem in found:
            assert_inside(problem, case.yaml)
        if case.invalid:
            assert (yaml_error(case.yaml) is None) == (case.id in LENIENT), case.id


# libyaml places the empty value that ends a flow mapping at the token after it, where pyyaml
# places it after the colon; and it reads a lone `!` as the empty text, not as nothing.
READ_APART = {"C2DT", "DFF7", "UKK6/02"}


def test_libyaml_and_pyyaml_read_a_text_both_accept_alike() -> None:
    if "libyaml" not in jmap_source.PARSERS:
        pytest.skip("pyyaml was built without libyaml")
    apart = set()
    for case in CASES:
        fast, python = read_with("libyaml", case.yaml), read_with("python", case.yaml)
        if isinstance(fast, tuple) and isinstance(python, tuple) and fast != python:
            apart.add(case.id)
        if isinstance(python, tuple):
            # libyaml refuses no text pyyaml reads: pyyaml reads every text libyaml refuses.
            assert isinstance(fast, tuple), case.id
    assert apart == READ_APART
