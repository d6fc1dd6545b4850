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

What the tests of both corpora share. The build of every naughty string takes half a
minute: the `naughty` fixture (tests/conftest.py) makes it once for all test workers, and
the tests that read it, and the browser passes, which take about as long, are marked slow.
"""

from __future__ import annotations

import json
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from jmap.build.run import BuildOptions, BuildReport, build
from jmap.errors import JourneyError, Problem
from jmap.loading.document import SourceError
from jmap.loading.limits import DEFAULT_LIMITS
from jmap.loading.loader import loads
from jmap.loading.yaml_reader import parse
from jmap.render import FORMATS
from tests.helpers import DATA

CORPORA = DATA / "corpora"


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


def build_naughty(folder: Path) -> None:
    """Each string's journey in `folder`, every format built into `folder`/maps, and the
    build's report beside them, for `built_naughty` to read in any test worker."""
    for text, name in zip(STRINGS, STRING_IDS, strict=True):
        (folder / f"{name}.yaml").write_text(dump(naughty_journey(text, name)), "utf-8")
    options = BuildOptions(output=folder / "maps", formats=NAUGHTY_FORMATS, jobs=2)
    (folder / "report.pickle").write_bytes(pickle.dumps(build([folder], options)))


# The slides rasterise and lay out pages, some 0.5 s a journey: every string would add minutes to
# each run. They draw the SVG map's own text, which every string reaches; test_corpora_naughty
# builds them for a sample.
SLIDES = ("png", "pdf")
NAUGHTY_FORMATS = tuple(name for name in FORMATS if name not in SLIDES)


def built_naughty(folder: Path) -> Built:
    report = pickle.loads((folder / "report.pickle").read_bytes())
    return Built(folder, folder / "maps", report)


def valid(number: int) -> bool:
    return STRINGS[number] not in REFUSED


NUMBERS = range(len(STRINGS))
VALID_NUMBERS = [n for n in NUMBERS if valid(n)]
VALID_IDS = [STRING_IDS[n] for n in VALID_NUMBERS]

# What markdown-it makes of the map: the map's own markup, and nothing from a text.
MARKDOWN_ELEMENTS = {
    "h1",
    "h2",
    "h3",
    "p",
    "strong",
    "em",
    "ul",
    "ol",
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


class Elements(HTMLParser):
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
