"""No id, manifest, include or config value makes jmap write or delete outside the output folder,
and no text from a journey or a file name becomes a link, markup or a terminal escape."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import pty
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import cmarkgfm
import pytest
import yaml
from cmarkgfm.cmark import Options as cmarkgfm_options
from hypothesis import given
from hypothesis import strategies as st

import jmap
from jmap.build.run import BuildOptions, build
from jmap.build.write import inside, is_device_name
from jmap.errors import JmapError
from jmap.render.html import safe_href
from tests.browser import visit
from tests.corpora import MARKDOWN_ELEMENTS, STRING_IDS, STRINGS, dump, naughty_journey
from tests.helpers import run_cli

if TYPE_CHECKING:
    from playwright.sync_api import Browser

JOURNEY = "jmap: 1\ntitle: Visit\nstages:\n  - name: Visit\n    touchpoints: [{name: Looks}]\n"


def _messages(text: str, path: str = "j.yaml") -> list[str]:
    try:
        jmap.loads(text, path=path)
    except jmap.JourneyError as error:
        return [str(problem) for problem in error.problems]
    return []


# Names


@pytest.mark.parametrize(
    "name",
    ["../victim.txt", "/tmp/x.svg", "a/b.svg", "a\\b.svg", "..", ".", "", "c:x.svg", "x\0.svg"],
)
def test_only_plain_file_names_are_written_or_deleted(name: str, tmp_path: Path) -> None:
    with pytest.raises(JmapError) as raised:
        inside(tmp_path, name)
    assert str(raised.value) == (
        f"refusing to write or delete '{name}': it is not a file in {tmp_path}"
    )
    assert inside(tmp_path, "shoe-purchase.svg") == tmp_path / "shoe-purchase.svg"


@pytest.mark.parametrize("name", ["con", "PRN", "aux.svg", "Nul.html", "com1", "lpt9.md"])
def test_windows_device_names_are_recognised(name: str) -> None:
    assert is_device_name(name)


@pytest.mark.parametrize("name", ["console", "con-tour", "com10", "lpt0", "auxiliary", "index"])
def test_names_that_only_start_like_a_device_are_fine(name: str) -> None:
    assert not is_device_name(name)


def test_a_journey_id_that_windows_reserves_is_refused_at_the_id() -> None:
    text = "jmap: 1\ntitle: Visit\nid: aux\nstages: [{name: A}]\n"
    assert _messages(text) == [
        "j.yaml:3:5: error: the id 'aux' is a name Windows reserves for a device: no file there"
        " can be called aux.svg; choose another id"
    ]
    assert _messages(text.replace("aux", "aux-desk")) == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows cannot create such a file")
def test_a_journey_named_like_a_device_is_refused_at_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "COM1.yaml"
    path.write_text(JOURNEY)
    result = run_cli(["build", str(path), "-o", str(tmp_path / "maps")])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{path}:1:1: error: the file name 'COM1' gives the id 'com1', a name Windows reserves"
        " for a device: no file there can be called com1.svg; add an `id:`"
    )
    assert not (tmp_path / "maps").exists()


def test_ids_cannot_hold_a_path_or_capitals() -> None:
    for written in ("../escape", "/tmp/x", "a/b", "A", "x\\y"):
        (message,) = _messages(f"jmap: 1\ntitle: t\nid: '{written}'\nstages: [{{name: A}}]\n")
        assert f"id '{written}' is not a valid id" in message


# The manifest


def test_a_tampered_manifest_cannot_make_a_build_delete_elsewhere(tmp_path: Path) -> None:
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    (journeys / "visit.yaml").write_text(JOURNEY)
    out = tmp_path / "project" / "maps"
    options = BuildOptions(output=out, formats=("json",))
    build([journeys], options)
    victims = [
        tmp_path / "project" / "victim.txt",
        tmp_path / "absolute-victim.txt",
        tmp_path / "victim-through-a-folder.txt",
    ]
    for victim in victims:
        victim.write_text("keep me\n")
    (out / "sub").mkdir()
    mine = out / "notes.txt"  # a user's file in the output folder: never jmap's to delete
    mine.write_text("mine\n")
    names = [
        "../victim.txt",
        str(victims[1]),
        "sub/../../../victim-through-a-folder.txt",
        "..\\victim.txt",
        ".jmap-manifest.json",
    ]
    manifest = out / ".jmap-manifest.json"
    document = json.loads(manifest.read_text())
    document["remove"] = names
    # A journey that is gone: a build removes the outputs the manifest says it made.
    document["journeys"]["../../journeys/gone.yaml"] = {
        "key": "0",
        "id": "gone",
        "outputs": dict.fromkeys(names, "0"),
    }
    manifest.write_text(json.dumps(document))

    report = build([journeys], options)

    assert not report.failed
    assert report.removed == []
    assert all(victim.read_text() == "keep me\n" for victim in victims)
    assert mine.read_text() == "mine\n"
    written = json.loads(manifest.read_text())
    assert list(written["journeys"]) == ["../../journeys/visit.yaml"]
    assert "remove" not in written
    assert sorted(path.name for path in out.iterdir()) == [
        ".jmap-manifest.json",
        "notes.txt",
        "sub",
        "visit.json",
    ]


# Includes and the project config


def test_a_config_cannot_make_an_include_leave_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret.yaml").write_text("personas: [{name: Outsider}]\n")
    project = tmp_path / "project"
    (project / "journeys").mkdir(parents=True)
    # The config names places outside the project; includes still stop at its root.
    (project / "jmap.toml").write_text(
        'paths = ["journeys"]\noutput = "../maps"\n\n[limits]\nmax_include_depth = 100\n'
    )
    journey = project / "journeys" / "visit.yaml"
    journey.write_text(JOURNEY.replace("stages:", "include: ../../secret.yaml\nstages:"))
    monkeypatch.chdir(project)
    result = run_cli(["build"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{Path('journeys') / 'visit.yaml'}:3:10: error: include '../../secret.yaml' is outside"
        f" the project root '.' (the folder with jmap.toml); an included file must be inside it"
    )
    assert not (tmp_path / "maps").exists()


def test_an_output_folder_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "visit.yaml").write_text(JOURNEY)
    (tmp_path / "maps").write_text("not a folder\n")
    result = run_cli(["build", str(tmp_path / "visit.yaml"), "-o", str(tmp_path / "maps")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"{tmp_path / 'maps'}: error: is a file, not a folder for the maps\n",
    )
    assert (tmp_path / "maps").read_text() == "not a folder\n"


def test_an_output_folder_inside_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "visit.yaml").write_text(JOURNEY)
    (tmp_path / "notes.txt").write_text("a file\n")
    out = tmp_path / "notes.txt" / "maps"
    result = run_cli(["build", str(tmp_path / "visit.yaml"), "-o", str(out)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"{out}: error: cannot write the maps there: Not a directory\n",
    )


# Links


def whatwg(url: str) -> tuple[str, str | None]:
    """The URL as the WHATWG URL standard's basic URL parser reads it, step by step: the input
    it parses, and its scheme (lowercase), or None for a URL without one (a relative URL)."""
    while url and url[0] <= " ":  # leading and trailing C0 control or space
        url = url[1:]
    while url and url[-1] <= " ":
        url = url[:-1]
    url = "".join(char for char in url if char not in "\t\n\r")
    if not url or url[0] not in string.ascii_letters:  # scheme start state
        return url, None
    for position, char in enumerate(url):  # scheme state
        if char == ":":
            return url, url[:position].lower()
        if char not in string.ascii_letters + string.digits + "+-.":
            break
    return url, None


NAVIGATING = {"http", "https", "mailto"}
# Pieces that have fooled URL filters: schemes, what browsers drop around and inside them, and
# what they do not (Unicode spaces, a Kelvin sign that lowercases to "k").
URL_PIECES = [
    *("javascript", "JavaScript", "java", "script", "data", "vbscript", "http", "https"),
    *("mailto", "file", "ftp", ":", "//", "/", "#", "?", "a", "K", "\u212a", "\u017f", "1"),
    *("\t", "\n", "\r", " ", "\x00", "\x01", "\x1f", "\x7f", "\x85", "\x9b", "\u00a0"),
    *("\u2003", "\u200b", "\u2028", "\u3000", "\ufeff", "+", "-", ".", "&colon;", "%3a"),
]
urls = st.lists(st.one_of(st.sampled_from(URL_PIECES), st.characters()), max_size=12).map("".join)


@given(urls)
def test_a_link_is_written_only_where_a_browser_would_navigate(url: str) -> None:
    parsed, scheme = whatwg(url)
    href = safe_href(url)
    if not parsed or (scheme is not None and scheme not in NAVIGATING):
        assert href is None
    else:
        # The href written is the URL as the browser parses it, so what was checked is what
        # a click follows.
        assert href == parsed
        assert whatwg(href) == (href, scheme)


@pytest.mark.parametrize(
    "url",
    ["\u00a0javascript:alert(1)", "\u3000javascript:alert(1)", "\ufeffjavascript:alert(1)"],
)
def test_a_unicode_space_before_a_scheme_is_not_stripped_into_a_link(url: str) -> None:
    # A browser strips only U+0000 to U+0020: for it this is a relative link, and the href says so.
    assert safe_href(url) == url


TRICKY_URLS = [
    "".join(parts)
    for parts in itertools.product(
        ["", " ", "\x00", "\x01\x1f", "\t", "\n ", "\u00a0", "\u2003", "\ufeff", "\x7f"],
        ["javascript", "JAVASCRIPT", "java\tscript", "jav\nascript", "java\rscript", "data"],
        [":", "\t:", "\x00:", " :"],
        ["alert(1)", "text/html,<script>alert(1)</script>"],
    )
] + [
    "vbscript:msgbox(1)",
    "VBScript\n:msgbox(1)",
    "javascript&colon;alert(1)",
    " https://example.com/a b",
    "\thttp://exa\nmple.com/\r",
    "mailto:cx@example.com",
    "reports/q3.pdf",
    "#top",
    "//example.com/x",
    "\\\\example.com\\x",
    "\u212avascript:x",
]

_PROTOCOLS = """(urls) => urls.map((url) => {
  const base = 'https://maps.example/journeys/x.html';
  try { return [new URL(url, base).protocol, new URL(url, base).href]; }
  catch { return ['invalid', '']; }
})"""


def test_chromium_reads_every_written_link_as_jmap_checked_it(browser: Browser) -> None:
    page = browser.new_page()
    try:
        hrefs = [safe_href(url) for url in TRICKY_URLS]
        read = page.evaluate(_PROTOCOLS, TRICKY_URLS)
        written = page.evaluate(_PROTOCOLS, [href or "" for href in hrefs])
    finally:
        page.close()
    for url, href, (protocol, target), (written_protocol, written_target) in zip(
        TRICKY_URLS, hrefs, read, written, strict=True
    ):
        if href is None:
            assert protocol not in {"http:", "https:", "mailto:"} or not url.strip(), url
        else:
            assert (written_protocol, written_target) == (protocol, target), url
            assert protocol in {"http:", "https:", "mailto:"} or whatwg(url)[1] is None, url


def test_no_script_link_survives_into_the_html_map(browser: Browser, tmp_path: Path) -> None:
    evidence = [{"text": f"source {n}", "link": url} for n, url in enumerate(TRICKY_URLS)]
    touchpoint = {"name": "Looks", "evidence": evidence}
    touchpoint["opportunities"] = [{"text": "Fix", "link": "\u00a0javascript:alert(1)"}]
    journey = {"jmap": 1, "title": "Links", "stages": [{"name": "A", "touchpoints": [touchpoint]}]}
    (tmp_path / "links.yaml").write_text(yaml.safe_dump(journey), "utf-8")
    out = tmp_path / "maps"
    result = run_cli(["build", str(tmp_path / "links.yaml"), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.stdout
    with visit(browser, out / "links.html") as seen:
        links = seen.page.evaluate(
            "() => [...document.querySelectorAll('a[href]')].map((a) => a.protocol)"
        )
    assert set(links) == {"http:", "https:", "mailto:", "file:"}


# Terminals

# A file name and texts that try every way into a terminal: CSI (ESC [ and the C1 control
# U+009B), OSC (ESC ] ... BEL: the window title, a hyperlink), a bidi override, rich markup,
# and a byte that is not UTF-8.
HOSTILE_NAME = os.fsdecode(b"trip\x1b]0;pwned\x07\x9b2J\xe2\x80\xae[link=https:x.example]\xff")
HOSTILE_TEXT = "Trip \x1b[2J\x1b]8;;https://x.example\x1b\\click\x1b]8;;\x1b\\ \x9b31m \u202e"
# What a terminal would act on; the bytes of U+009B, U+202E and the others in UTF-8 included.
TERMINAL_CONTROLS = [b"\x1b", b"\x07", b"\x9b", *(chr(c).encode() for c in range(0x80, 0xA0))]
TERMINAL_CONTROLS += ["\u202e".encode()]


def hostile_journey(title: str, name: str = HOSTILE_TEXT) -> str:
    return yaml.safe_dump(
        {
            "jmap": 1,
            "title": title,
            "stages": [{"name": name, "touchpoints": [{"name": name}]}],
        },
        allow_unicode=True,
    )


def jmap_process(*args: str | Path, cwd: Path) -> bytes:
    """stdout and stderr of a real `jmap` process, as the bytes a terminal would get."""
    done = subprocess.run(
        [sys.executable, "-m", "jmap", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    return done.stdout + done.stderr


def test_no_journey_text_or_file_name_reaches_a_terminal_as_a_control(tmp_path: Path) -> None:
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    hostile = journeys / f"{HOSTILE_NAME}.yaml"
    hostile.write_text(hostile_journey(HOSTILE_TEXT), "utf-8")
    (journeys / f"{HOSTILE_NAME}-bad.yaml").write_text(f"jmap: 1\ntitle: x\nid: '{HOSTILE_TEXT}'\n")
    old = tmp_path / f"old-{HOSTILE_NAME}.yaml"
    old.write_text(hostile_journey("Trip"), "utf-8")
    out = tmp_path / f"maps{HOSTILE_NAME}"
    outputs = {
        "build": jmap_process("build", "journeys", "-o", out, cwd=tmp_path),
        "check": jmap_process("build", "journeys", "-o", out, "--check", cwd=tmp_path),
        "validate": jmap_process("validate", "journeys", cwd=tmp_path),
        "lint": jmap_process("lint", "journeys", cwd=tmp_path),
        "diff": jmap_process("diff", old, hostile, cwd=tmp_path),
        "missing": jmap_process("validate", f"gone-{HOSTILE_NAME}", cwd=tmp_path),
    }
    shown = "trip\\x1b]0;pwned\\x07\\x9b2J\\u202e[link=https:x.example]\\xff"
    for command, output in outputs.items():
        assert shown.encode() in output, command
        found = [control for control in TERMINAL_CONTROLS if control in output]
        assert found == [], (command, output)
    assert b"Trip \\x1b[2J\\x1b]8;;https://x.example" in outputs["diff"]


def test_the_progress_bar_shows_a_file_name_escaped(tmp_path: Path) -> None:
    (tmp_path / f"{HOSTILE_NAME}.yaml").write_text(hostile_journey("Trip"), "utf-8")
    leader, follower = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    done = subprocess.run(
        [sys.executable, "-m", "jmap", "build", str(tmp_path), "-o", str(tmp_path / "maps")],
        stderr=follower,
        stdout=subprocess.DEVNULL,
        env={**env, "TERM": "xterm-256color", "COLUMNS": "200"},
        check=False,
        timeout=120,
    )
    os.close(follower)
    shown = b""
    with contextlib.suppress(OSError):  # Linux: EIO once the terminal has nothing more
        while chunk := os.read(leader, 65536):
            shown += chunk
    os.close(leader)
    assert done.returncode == 0, shown
    assert b"building maps" in shown  # the bar was drawn
    assert b"trip\\x1b]0;pwned\\x07" in shown
    for raw in (b"\x1b]", b"\x07", "\u009b".encode(), "\u202e".encode(), b"\xff"):
        assert raw not in shown


# Pull-request comments and Markdown maps

# A file name that ends the code span it is shown in with a blank line, then calls a server.
BREAKOUT = ["journeys", "x\n\n<img src=https:", "evil.example", "a.png>.yaml"]
DIFF_ELEMENTS = {
    "h3",
    "h4",
    "p",
    "strong",
    "code",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def gfm(markdown: str) -> str:
    """The HTML GitHub makes of a comment or a file: its own parser, cmark-gfm, with tables,
    strikethrough and autolinks, and raw HTML allowed (without GitHub's tag filter)."""
    extensions = ["table", "strikethrough", "autolink"]
    html: str = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=cmarkgfm_options.CMARK_OPT_UNSAFE, extensions=extensions
    )
    return html


class Elements(HTMLParser):
    """Every element of an HTML text, with its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, tuple(attrs)))


def git(repository: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repository), *args], check=True, capture_output=True)


def file_name(text: str) -> bool:
    return "/" not in text and "\x00" not in text and len(text.encode()) < 200


def test_no_file_name_or_text_makes_an_element_in_a_diff_comment(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    names = [(f"n{n:03d}-{text}.yaml", text) for n, text in enumerate(STRINGS) if text.strip()]
    paths = [tmp_path / "journeys" / name for name, text in names if file_name(text)]
    paths.append(tmp_path.joinpath(*BREAKOUT))
    titles = [text for _, text in names]
    for path, title in zip(paths, itertools.cycle(titles), strict=False):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(hostile_journey(title, "Looks"), "utf-8")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "journeys")
    for path in paths:
        path.write_text(path.read_text("utf-8").replace("Looks", "Sees"), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "jmap", "diff", "--git", "HEAD", "--format", "md"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    comment = done.stdout.decode("utf-8")
    assert comment.count("\n### ") == len(paths)
    elements = Elements(gfm(comment)).found
    assert {tag for tag, _ in elements} <= DIFF_ELEMENTS
    assert {attributes for _, attributes in elements} == {()}
    assert "`HEAD:journeys/x\\n\\n<img src=https:/evil.example/a.png>.yaml`" in comment


ALLOWED_MAP_ATTRIBUTES = {(), (("class", "language-mermaid"),)}


@pytest.mark.slow
def test_no_text_makes_an_element_or_a_link_in_a_markdown_map(tmp_path: Path) -> None:
    for text, name in zip(STRINGS, STRING_IDS, strict=True):
        if text.strip():
            (tmp_path / f"{name}.yaml").write_text(dump(naughty_journey(text, name)), "utf-8")
    out = tmp_path / "maps"
    result = run_cli(["build", str(tmp_path), "-f", "md", "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.stdout
    for page in sorted(out.glob("*.md")):
        elements = Elements(gfm(page.read_text("utf-8"))).found
        if page.name == "index.md":
            # The portfolio links each journey to its map: the only links, jmap's own.
            links = [dict(attributes) for tag, attributes in elements if tag == "a"]
            built = [name for text, name in zip(STRINGS, STRING_IDS, strict=True) if text.strip()]
            assert [link["href"] for link in links] == [f"{name}.md" for name in built]
            elements = [(tag, attributes) for tag, attributes in elements if tag != "a"]
        assert {tag for tag, _ in elements} <= MARKDOWN_ELEMENTS, page.name
        assert {attributes for _, attributes in elements} <= ALLOWED_MAP_ATTRIBUTES, page.name


def test_a_markdown_map_shows_addresses_as_text(tmp_path: Path) -> None:
    text = "Mail sam@example.com, see www.example.com or HTTPS://example.com/a (xmpp:a@b.example)"
    journey = tmp_path / "links.yaml"
    journey.write_text(hostile_journey(text), "utf-8")
    result = run_cli(["build", str(journey), "-f", "md", "-o", str(tmp_path / "maps")])
    assert result.exit_code == 0, result.stdout
    markdown = (tmp_path / "maps" / "links.md").read_text("utf-8")
    html = gfm(markdown)
    assert "<a " not in html
    assert f"<h1>{text}</h1>" in html.replace("<!-- -->", "")  # a comment shows nothing


# File names that are not UTF-8


def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_report(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9 \xff.yaml")  # Latin-1, as an old tool may have named it
    (tmp_path / name).write_text(hostile_journey("Trip", "Looks"), "utf-8")
    old = tmp_path / "old.yaml"
    old.write_text(hostile_journey("Trip", "Sees"), "utf-8")
    shown = "caf\\xe9 \\xff.yaml"

    def report(*args: str) -> str:
        return jmap_process(*args, cwd=tmp_path).decode("utf-8")  # strict: valid UTF-8

    for args in (["validate", "."], ["lint", "."], ["build", "-o", "maps", name]):
        assert shown in report(*args), args
    assert {
        f["path"] for f in json.loads(report("lint", "--format", "json", name))["findings"]
    } == {shown}
    sarif = json.loads(report("lint", "--format", "sarif", name))
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for location in result["locations"]
    }
    assert uris == {"caf%E9%20%FF.yaml"}  # the file's bytes, as a URI is made of bytes
    diff = json.loads(report("diff", "old.yaml", name, "--format", "json"))
    assert diff["journeys"][0]["new"]["label"] == shown
    for output_format in ("text", "md", "html"):
        assert shown in report("diff", "old.yaml", name, "--format", output_format)
