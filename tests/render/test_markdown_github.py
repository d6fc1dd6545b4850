"""The Markdown map as GitHub shows it: the SVG map as an image above the tables, and the page
as cmark-gfm (the parser GitHub's own renderer is built on) reads it, beside markdown-it-py.

cmark-gfm is Debian's `cmark-gfm` package (.ci/run installs it); without it these tests skip,
or fail where CI requires its tools (JMAP_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jmap.loading.loader import load
from jmap.view import journey_view
from tests.browser import require
from tests.helpers import EXAMPLES, run_cli
from tests.render.test_markdown import PARSER, hazard_journey, read_page


def build(journey: Path, output: Path, formats: str) -> dict[str, str]:
    """The files of one journey's build, by extension."""
    result = run_cli(["build", str(journey), "-f", formats, "-o", str(output)])
    assert result.exit_code == 0, result.stdout + result.stderr
    stem = load(journey).id
    return {
        path.name.removeprefix(stem): path.read_text("utf-8")
        for path in output.iterdir()
        if path.name.startswith(f"{stem}.")
    }


def images(markdown: str) -> list[dict[str, str | None]]:
    """The images of the page as markdown-it-py makes them: src and alt, unescaped."""
    return shape(PARSER.render(markdown)).images


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_the_map_shows_the_svg_map_above_the_tables(example: Path, tmp_path: Path) -> None:
    files = build(example, tmp_path, "svg,md")
    markdown = files[".md"]
    journey = load(example)
    view = journey_view(journey)
    (image,) = images(markdown)
    # A relative link to the file the same build wrote beside the map.
    assert image["src"] == f"{journey.id}.svg"
    assert (tmp_path / f"{journey.id}.svg").is_file()
    # Above the first heading after the title, so above every table.
    line = next(n for n, text in enumerate(markdown.splitlines()) if text.startswith("!["))
    first_section = next(
        n for n, text in enumerate(markdown.splitlines()) if text.startswith("## ")
    )
    assert line < first_section
    # The alt text says what the picture shows: the journey, its stages, its lowest points.
    alt = image["alt"] or ""
    assert alt.startswith(
        f"Journey map of {journey.title}: {len(journey.stages)} stages"
        f" ({', '.join(stage.name for stage in journey.stages)})"
        f" and {len(view.touchpoints)} touchpoints."
    )
    for curve in view.curves:
        mood = curve.lowest[0].mood
        assert f"Lowest point for {curve.persona.name}: {mood.label}, at " in alt
        for point in curve.lowest:
            assert f"{point.touchpoint.touchpoint.name} ({point.touchpoint.stage.name})" in alt


def test_no_image_when_the_build_writes_no_svg(tmp_path: Path) -> None:
    markdown = build(EXAMPLES[0], tmp_path, "md")[".md"]
    assert images(markdown) == []
    assert "![" not in markdown


def test_the_alt_text_of_hostile_names_is_text(tmp_path: Path) -> None:
    journey = hazard_journey(tmp_path)
    markdown = build(journey, tmp_path / "maps", "svg,md")[".md"]
    (image,) = images(markdown)
    assert image["src"] == "hazards.svg"
    assert "<img src=x onerror=alert(1)>" in (image["alt"] or "")
    assert read_page(markdown).html.count("<img ") == 1


# --- cmark-gfm --------------------------------------------------------------------------------

CMARK = shutil.which("cmark-gfm")
# The extensions github.com enables.
EXTENSIONS = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]


def cmark(markdown: str) -> str:
    require(None if CMARK else "cmark-gfm is not installed (apt-get install cmark-gfm)")
    assert CMARK is not None
    command = [CMARK, *(arg for ext in EXTENSIONS for arg in ("-e", ext))]
    done = subprocess.run(
        command, input=markdown, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


class Shape(HTMLParser):
    """What a reader of the HTML gets: the elements, each table's cells, images, code blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.tables: list[list[int]] = []  # per table, the cells of each row
        self.images: list[dict[str, str | None]] = []
        self.code: list[tuple[str | None, str]] = []  # (class, text): a block has a class
        self._code: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("td", "th"):
            self.tables[-1][-1] += 1
        elif tag == "img":
            self.images.append(dict(attrs))
        elif tag == "code":
            self._code = []
            self._language = dict(attrs).get("class")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._code is not None:
            self.code.append((self._language, "".join(self._code)))
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._code is not None:
            self._code.append(data)


def shape(html: str) -> Shape:
    parsed = Shape()
    parsed.feed(html)
    parsed.close()
    return parsed


# What a map may make of itself; anything else came from journey text that was not escaped.
MAP_TAGS = {
    "h1", "h2", "h3", "p", "ul", "ol", "li", "strong", "em", "br", "img", "pre", "code",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def assert_same_reading(markdown: str, mermaid: str) -> None:
    """cmark-gfm reads the map as markdown-it-py does: the same tables, image and diagram."""
    by_github = shape(cmark(markdown))
    by_markdown_it = shape(read_page(markdown).html)
    assert by_github.tags <= MAP_TAGS, by_github.tags - MAP_TAGS
    assert by_github.tables == by_markdown_it.tables
    assert by_github.images == [
        {key: value for key, value in image.items() if key in ("src", "alt")}
        for image in by_markdown_it.images
    ]
    blocks = [(language, text) for language, text in by_github.code if language]
    assert blocks == [("language-mermaid", mermaid)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_cmark_gfm_reads_every_example_as_markdown_it_does(example: Path, tmp_path: Path) -> None:
    files = build(example, tmp_path, "svg,md,mermaid")
    assert_same_reading(files[".md"], files[".mmd"])


def test_cmark_gfm_reads_hostile_text_as_text(tmp_path: Path) -> None:
    files = build(hazard_journey(tmp_path), tmp_path / "maps", "svg,md,mermaid")
    assert_same_reading(files[".md"], files[".mmd"])
    html = cmark(files[".md"])
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<a " not in html
