"""`jmap serve`: the live preview, used the way an author uses it.

Each server is the real command in its own process (`python -m jmap serve DIR --port 0`): the
tests read its address from what it prints, ask it for pages over HTTP or open them in headless
Chromium (tests/browser.py), edit the journey files, and stop it with the signals Ctrl-C and a
service manager send. Every wait is bounded, and every server is killed when its test ends.
"""

from __future__ import annotations

import functools
import html
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from jmap.errors import printable
from jmap.serve.pages import SCRIPT_HASH, allow_live_reload, with_live_reload
from jmap.serve.watch import QUIET
from tests.browser import AXE_JS, Visit
from tests.build.test_portfolio_build import _stale_project
from tests.helpers import ROOT, run_cli

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

JOURNEY = """\
jmap: 1
title: {title}
id: {id}
personas:
  - id: sam
    name: Sam
stages:
  - id: look
    name: Look around
    touchpoints:
      - id: see-ad
        name: Sees an ad
        emotion: {emotion}
"""
EMOTION_LINE = 13  # where {emotion} is, and the column its value starts at
EMOTION_COLUMN = 18
STARTUP = 30.0  # seconds: a cold start imports pydantic and renders the journeys
CHANGE = 10.0  # seconds from saving a file to the page showing it


def write_journey(path: Path, title: str, *, emotion: str = "4") -> None:
    path.write_text(JOURNEY.format(title=title, id=path.stem, emotion=emotion), encoding="utf-8")


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.1)


@dataclass
class Server:
    """A running `jmap serve` and every line it printed so far."""

    process: subprocess.Popen[str]
    url: str = ""
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def printed(self, pattern: str, timeout: float = CHANGE) -> re.Match[str]:
        """The first line printed that matches `pattern`, waiting up to `timeout` for it."""
        found: list[re.Match[str]] = []

        def seen() -> bool:
            found[:] = [m for line in list(self.lines) if (m := re.search(pattern, line))]
            return bool(found) or self.process.poll() is not None

        wait_until(seen, timeout, f"a line matching {pattern!r}; got {self.lines}")
        assert found, f"the server ended: {self.lines} {self.errors}"
        return found[0]

    def stop(self, number: signal.Signals) -> int:
        self.process.send_signal(number)
        return self.process.wait(timeout=10)


def _collect(stream: Iterator[str], into: list[str]) -> None:
    for line in stream:
        into.append(line.rstrip("\n"))


@contextmanager
def serving(folder: Path, *arguments: str, journeys: int) -> Iterator[Server]:
    """`jmap serve FOLDER` on a free port, once it has rendered `journeys` journeys."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jmap",
            "serve",
            str(folder),
            "--port",
            "0",
            "--no-open",
            *arguments,
        ],
        cwd=folder,  # no project configuration applies
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = Server(process)
    assert process.stdout is not None
    assert process.stderr is not None
    for stream, into in ((process.stdout, server.lines), (process.stderr, server.errors)):
        threading.Thread(target=_collect, args=(stream, into), daemon=True).start()
    try:
        server.url = server.printed(r"at (http://127\.0\.0\.1:\d+/)", STARTUP).group(1)
        ready = rf"rendered {journeys} journey" if journeys else "no journeys in .* yet"
        server.printed(ready, STARTUP)
        yield server
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def get(url: str, path: str, host: str | None = None) -> tuple[int, dict[str, str], str]:
    """A request sent exactly as written: no client tidies `..` out of the path first."""
    match = re.match(r"http://([\d.]+):(\d+)/", url)
    assert match
    connection = http.client.HTTPConnection(match.group(1), int(match.group(2)), timeout=10)
    try:
        headers = {"Host": host} if host else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read().decode("utf-8")
    finally:
        connection.close()


@pytest.fixture
def two_journeys(tmp_path: Path) -> Path:
    write_journey(tmp_path / "alpha.yaml", "Alpha onboarding")
    write_journey(tmp_path / "beta.yaml", "Beta renewal")
    return tmp_path


# Without a browser: what the server answers, and how it stops.


def test_answers_only_for_pages_it_serves(two_journeys: Path) -> None:
    with serving(two_journeys, journeys=2) as server:
        status, _, index = get(server.url, "/")
        assert status == 200
        assert "Alpha onboarding" in index
        assert "Beta renewal" in index
        assert 'href="alpha.html"' in index

        status, headers, page = get(server.url, "/alpha.html")
        assert status == 200
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert "<title>Alpha onboarding · customer journey map</title>" in page
        assert f"script-src '{SCRIPT_HASH}'" in page

        for path in (
            "/nope.html",
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "//etc/passwd",
            "/alpha.yaml",
            "/../alpha.yaml",
        ):
            status, _, body = get(server.url, path)
            assert status == 404, path
            assert "root:" not in body
            assert "jmap: 1" not in body

        # A page elsewhere that points a DNS name at 127.0.0.1 must not read the maps.
        status, _, body = get(server.url, "/alpha.html", host="evil.example:80")
        assert status == 421
        assert "Alpha" not in body

        assert server.stop(signal.SIGTERM) == 0
        assert server.lines[-1] == "stopped"
    assert list(two_journeys.iterdir()) == [two_journeys / "alpha.yaml", two_journeys / "beta.yaml"]


def test_stream_says_reload_when_the_page_changes_and_ends_on_ctrl_c(two_journeys: Path) -> None:
    with serving(two_journeys, journeys=2) as server:
        _, _, page = get(server.url, "/alpha.html")
        version = re.search(r'data-version="([0-9a-f]+)"', page)
        assert version
        events = f"{server.url}_jmap/events?page=alpha.html&version={version.group(1)}"
        with urllib.request.urlopen(events, timeout=CHANGE) as stream:
            assert stream.headers["Content-Type"] == "text/event-stream"
            assert stream.readline() == b"retry: 500\n"
            write_journey(two_journeys / "alpha.yaml", "Alpha onboarding, again")
            lines = [stream.readline() for _ in range(3)]
            assert b"event: reload\n" in lines
        server.printed(r"^rebuilt .*alpha\.yaml$")

        # A stream that is still open does not hold up Ctrl-C.
        with urllib.request.urlopen(events, timeout=CHANGE) as stream:
            stream.readline()
            started = time.monotonic()
            assert server.stop(signal.SIGINT) == 0
            assert time.monotonic() - started < 5
        assert server.lines[-1] == "stopped"
        assert not [line for line in server.errors if "Traceback" in line], server.errors


def test_a_deleted_journey_leaves_and_the_root_goes_to_the_last_one(two_journeys: Path) -> None:
    with serving(two_journeys, journeys=2) as server:
        (two_journeys / "beta.yaml").unlink()
        server.printed(r"^removed .*beta\.yaml$")
        assert get(server.url, "/beta.html")[0] == 404
        status, headers, _ = get(server.url, "/")
        assert status == 302
        assert headers["Location"] == "/alpha.html"


def test_a_journey_whose_id_changes_moves_its_page(two_journeys: Path) -> None:
    journey = two_journeys / "alpha.yaml"
    with serving(two_journeys, journeys=2) as server:
        journey.write_text(
            journey.read_text(encoding="utf-8").replace("id: alpha", "id: alpha-two"),
            encoding="utf-8",
        )
        server.printed(r"^rebuilt .*alpha\.yaml$")
        status, headers, _ = get(server.url, "/alpha.html")
        assert (status, headers["Location"]) == (302, "/alpha-two.html")
        assert get(server.url, "/alpha-two.html")[0] == 200


def test_a_journey_saved_into_an_empty_folder_is_served(tmp_path: Path) -> None:
    with serving(tmp_path, journeys=0) as server:
        status, _, body = get(server.url, "/")
        assert status == 200
        assert "No journeys yet" in body
        write_journey(tmp_path / "first.yaml", "First journey")
        server.printed(r"^added .*first\.yaml$")
        status, headers, _ = get(server.url, "/")
        assert (status, headers["Location"]) == (302, "/first.html")


def test_a_changed_template_or_other_file_rebuilds_every_journey(two_journeys: Path) -> None:
    templates = two_journeys / "templates"
    templates.mkdir()
    with serving(two_journeys, "--templates", str(templates), journeys=2) as server:
        built_in = resources.files("jmap") / "templates" / "map.html.j2"
        ours = built_in.read_text(encoding="utf-8").replace("<main ", "<p>Our brand</p><main ")
        (templates / "map.html.j2").write_text(ours, encoding="utf-8")
        server.printed(r"^templates changed: rebuilt 2 journeys$")
        assert "<p>Our brand</p>" in get(server.url, "/alpha.html")[2]
        assert "<p>Our brand</p>" in get(server.url, "/beta.html")[2]

        # Not a journey, but maybe a file the journeys include.
        (two_journeys / "shared.yaml").write_text("personas: []\n", encoding="utf-8")
        server.printed(r"shared\.yaml changed: rebuilt 2 journeys$")


def test_a_shared_file_outside_the_served_folder_is_watched(tmp_path: Path) -> None:
    (tmp_path / "jmap.toml").write_text("", encoding="utf-8")  # the project: includes may reach
    shared = tmp_path / "shared" / "people.yaml"
    shared.parent.mkdir()
    shared.write_text("personas:\n  - {id: sam, name: Sam Shared}\n", encoding="utf-8")
    folder = tmp_path / "journeys"
    folder.mkdir()
    text = JOURNEY.format(title="Alpha", id="alpha", emotion="4")
    text = text.replace(
        "personas:\n  - id: sam\n    name: Sam\n", "include: [../shared/people.yaml]\n"
    )
    (folder / "alpha.yaml").write_text(text, encoding="utf-8")
    with serving(folder, journeys=1) as server:
        assert "Sam Shared" in get(server.url, "/alpha.html")[2]
        shared.write_text("personas:\n  - {id: sam, name: Sam Renamed}\n", encoding="utf-8")
        server.printed(r"people\.yaml changed: rebuilt 1 journey$")
        assert "Sam Renamed" in get(server.url, "/alpha.html")[2]
        # Broken in the shared file, then fixed there: the map comes back.
        shared.write_text("personas:\n  - {id: sam, name: [}\n", encoding="utf-8")
        server.printed(r"people\.yaml:2:\d+: error: ")
        shared.write_text("personas:\n  - {id: sam, name: Sam Fixed}\n", encoding="utf-8")
        wait_until(
            lambda: "Sam Fixed" in get(server.url, "/alpha.html")[2], CHANGE, "the fixed map"
        )


def test_usage_errors_stop_before_serving(tmp_path: Path) -> None:
    result = run_cli(["serve", str(tmp_path / "missing.yaml"), "--port", "0"])
    assert result.exit_code == 2
    assert "missing.yaml: error: no such file or directory" in result.stderr

    write_journey(tmp_path / "alpha.yaml", "Alpha")
    result = run_cli(["serve", str(tmp_path), "--templates", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'nope'}: error: no such templates folder\n"

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(["serve", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot serve on port {port}" in result.stderr


def test_live_reload_policy_adds_only_what_the_script_needs() -> None:
    strict = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
    assert allow_live_reload(strict) == (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
        f" script-src '{SCRIPT_HASH}'; connect-src 'self'"
    )
    # What a team's template already allows stays allowed.
    assert allow_live_reload("default-src 'self'") == (
        f"default-src 'self'; script-src 'self' '{SCRIPT_HASH}'; connect-src 'self'"
    )
    assert allow_live_reload("script-src 'unsafe-inline'") == "script-src 'unsafe-inline'"
    assert allow_live_reload("img-src data:") == "img-src data:"

    page = with_live_reload(
        "<html><head><meta content=\"default-src 'none'\" http-equiv=content-security-policy>"
        "</head><body><p>map</p></BODY></html>",
        "x.html",
        "v1",
    )
    policy = f"default-src 'none'; script-src '{SCRIPT_HASH}'; connect-src 'self'"
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in page
    assert page.count("<script") == 1
    assert page.index('<script data-page="x.html" data-version="v1">') < page.index("</BODY>")


# In a browser: what an author sees.


def _title(page: Page) -> str:
    from playwright.sync_api import Error

    try:
        return page.title()
    except Error:  # the page is between two documents
        return ""


def _text(page: Page) -> str:
    from playwright.sync_api import Error

    try:
        return page.inner_text("body")
    except Error:
        return ""


def _shows(page: Page, text: str) -> bool:
    return text in _text(page)


def test_open_page_follows_edits_errors_and_fixes(browser: Browser, two_journeys: Path) -> None:
    journey = two_journeys / "alpha.yaml"
    with serving(two_journeys, journeys=2) as server:
        context = browser.new_context()
        try:
            context.add_init_script(path=AXE_JS)
            page = context.new_page()
            console: list[str] = []
            page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: console.append(str(error)))

            page.goto(server.url)
            assert page.title() == "Customer journey portfolio · 2 journeys"
            page.get_by_role("link", name="Alpha onboarding").first.click()
            page.wait_for_url("**/alpha.html")
            assert page.title() == "Alpha onboarding · customer journey map"

            write_journey(journey, "Alpha onboarding, revised")
            wait_until(
                lambda: _title(page) == "Alpha onboarding, revised · customer journey map",
                CHANGE,
                "the page to show the new title",
            )
            navigation = page.evaluate("performance.getEntriesByType('navigation')[0].type")
            assert navigation == "reload"  # the page reloaded itself: the test never did

            write_journey(journey, "Alpha onboarding, revised", emotion="7")
            where = f"{journey}:{EMOTION_LINE}:{EMOTION_COLUMN}: error: emotion must be"
            wait_until(lambda: where in _text(page), CHANGE, "the error on the page")
            assert _title(page) == f"1 error in {journey} · jmap serve"
            assert "got 7" in _text(page)
            assert "emotion: 7" in _text(page)  # the line it is on, quoted
            assert Visit(page).axe_violations() == []

            write_journey(journey, "Alpha onboarding, fixed")
            wait_until(
                lambda: _title(page) == "Alpha onboarding, fixed · customer journey map",
                CHANGE,
                "the map to come back",
            )
            assert console == []  # the policy let the script run and connect, nothing else

            assert server.stop(signal.SIGINT) == 0  # with the page still open
            assert server.lines[-1] == "stopped"
            assert not [line for line in server.errors if "Traceback" in line], server.errors
        finally:
            context.close()


def test_portfolio_lists_journeys_with_errors(browser: Browser, two_journeys: Path) -> None:
    write_journey(two_journeys / "beta.yaml", "Beta renewal", emotion="happy")
    with serving(two_journeys, journeys=2) as server:
        context = browser.new_context()
        try:
            context.add_init_script(path=AXE_JS)
            page = context.new_page()
            page.goto(server.url)
            text = page.inner_text("body")
            assert "1 journey has errors" in text
            assert Visit(page).axe_violations() == []
            assert "Alpha onboarding" in text
            page.get_by_role("link", name=re.compile(r"beta\.yaml$")).click()
            page.wait_for_url("**/beta.html")
            assert "got 'happy'" in page.inner_text("body")
        finally:
            context.close()


def test_the_example_maps_are_served_as_built(tmp_path: Path) -> None:
    """The served map is the built map plus the reload script, and nothing else changes."""
    example = ROOT / "examples" / "shoe-purchase.yaml"
    result = run_cli(["build", str(example), "-f", "html", "-o", str(tmp_path / "maps")])
    assert result.exit_code == 0
    built = (tmp_path / "maps" / "shoe-purchase.html").read_text(encoding="utf-8")
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / example.name).write_bytes(example.read_bytes())
    shutil.copytree(example.parent / "data", tmp_path / "journeys" / "data")  # its KPIs' data
    with serving(tmp_path / "journeys", journeys=1) as server:
        served = get(server.url, "/shoe-purchase.html")[2]
    served = re.sub(r"<script data-page=[^>]*>[^<]*</script>\n", "", served)
    served = served.replace(f"; script-src '{SCRIPT_HASH}'; connect-src 'self'", "")
    assert served == built


BRAND = 'accent = "#6d28d9"\nstages = ["#0e7490", "#9d174d"]\nfont = "Source Sans 3, sans-serif"\n'


def test_theme_serves_the_maps_a_themed_build_writes(tmp_path: Path) -> None:
    """`jmap serve --theme FILE` shows each map as `jmap build --theme FILE` writes it."""
    theme = tmp_path / "brand.toml"
    theme.write_text(BRAND, encoding="utf-8")
    (tmp_path / "journeys").mkdir()
    journey = tmp_path / "journeys" / "alpha.yaml"
    write_journey(journey, "Alpha onboarding")
    maps = tmp_path / "maps"
    result = run_cli(["build", str(journey), "-f", "html", "-o", str(maps), "--theme", str(theme)])
    assert result.exit_code == 0, result.stdout + result.stderr
    built = (maps / "alpha.html").read_text(encoding="utf-8")
    assert "#6d28d9" in built
    assert "Source Sans 3" in built
    with serving(tmp_path / "journeys", "--theme", str(theme), journeys=1) as server:
        served = get(server.url, "/alpha.html")[2]
    served = re.sub(r"<script data-page=[^>]*>[^<]*</script>\n", "", served)
    served = served.replace(f"; script-src '{SCRIPT_HASH}'; connect-src 'self'", "")
    assert served == built


# Saving in place, as an editor or a formatter does: truncate, then write in pieces.

MOMENT = re.compile(r"Moment (\d\d)\b")
MOMENTS = 10


def busy_journey(title: str) -> str:
    """A journey of ten touchpoints; the first half of its text is a valid journey too."""
    touchpoints = "".join(
        f"      - id: moment-{n:02}\n        name: Moment {n:02}\n        emotion: 3\n"
        for n in range(1, MOMENTS + 1)
    )
    return JOURNEY.split("    touchpoints:\n")[0].format(title=title, id="busy", emotion="3") + (
        "    touchpoints:\n" + touchpoints
    )


def save_in_place(path: Path, text: str) -> None:
    """Truncate, write the first half, let a reader in, write the rest."""
    half = text.index("      - id: moment-05")
    with path.open("w", encoding="utf-8") as handle:
        handle.write(text[:half])
        handle.flush()
        time.sleep(0.002)
        handle.write(text[half:])


@pytest.mark.slow
def test_a_page_never_shows_a_half_saved_journey(tmp_path: Path) -> None:
    journey = tmp_path / "busy.yaml"
    journey.write_text(busy_journey("Busy version start"), encoding="utf-8")
    write_journey(tmp_path / "quiet.yaml", "Quiet one")
    with serving(tmp_path, journeys=2) as server:
        seen: list[tuple[int, int]] = []  # status, touchpoints shown
        writing = threading.Event()
        writing.set()

        def fetch() -> None:
            while writing.is_set():
                status, _, page = get(server.url, "/busy.html")
                seen.append((status, len(set(MOMENT.findall(page)))))

        client = threading.Thread(target=fetch)
        client.start()
        try:
            started = time.monotonic()
            number = 0
            while time.monotonic() - started < 3.0:  # about 100 saves a second
                save_in_place(journey, busy_journey(f"Busy version {number}"))
                number += 1
                time.sleep(0.008)
            save_in_place(journey, busy_journey("Busy version final"))
            saved = time.monotonic()
        finally:
            writing.clear()
            client.join(timeout=CHANGE)
        while "Busy version final" not in get(server.url, "/busy.html")[2]:
            assert time.monotonic() - saved < 1.0, "the last save was not shown within 1 s"
            time.sleep(0.02)

        assert number > 150
        assert len(seen) > 20, seen
        assert [shown for shown in seen if shown != (200, MOMENTS)] == []
        assert not [line for line in server.errors if "Traceback" in line], server.errors


def save_by_rename(path: Path, text: str) -> None:
    """Save as many editors do: a new file beside it, renamed over it (a new inode)."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def save_in_one_go(path: Path, text: str) -> None:
    """Save in place as most editors do: truncate, write it all, close."""
    path.write_text(text, encoding="utf-8")


SAVES = {"in place": save_in_one_go, "by rename": save_by_rename}


def seconds_to_reload(server: Server, address: str, save: Callable[[], None]) -> float:
    """From `save()` returning to the server telling the open page at `address` to reload."""
    _, _, page = get(server.url, f"/{address}")
    version = re.search(r'data-version="([0-9a-f]+)"', page)
    assert version
    events = f"{server.url}_jmap/events?page={address}&version={version.group(1)}"
    with urllib.request.urlopen(events, timeout=CHANGE) as stream:
        assert stream.readline() == b"retry: 500\n"
        save()
        saved = time.monotonic()
        while (line := stream.readline()) != b"event: reload\n":
            assert line, "the stream ended without a reload"
        return time.monotonic() - saved


@pytest.mark.parametrize("how", SAVES)
def test_a_complete_save_is_shown_without_waiting_for_quiet(tmp_path: Path, how: str) -> None:
    """A save that renders and stays as it is for a moment is shown before QUIET has passed,
    which the old rule (always QUIET after the last change) could never do."""
    journey = tmp_path / "alpha.yaml"
    write_journey(journey, "Alpha 0")
    with serving(tmp_path, journeys=1) as server:
        times = []
        for number in range(1, 6):
            text = JOURNEY.format(title=f"Alpha {number}", id="alpha", emotion="4")
            save = functools.partial(SAVES[how], journey, text)
            times.append(seconds_to_reload(server, "alpha.html", save))
            assert f"<h1>Alpha {number}</h1>" in get(server.url, "/alpha.html")[2]
            time.sleep(QUIET)  # the next save starts from a quiet file
        assert min(times) < QUIET * 0.9, times
        assert not [line for line in server.errors if "Traceback" in line], server.errors


def test_a_save_that_does_not_render_shows_its_errors_once_quiet(tmp_path: Path) -> None:
    """It may be a save cut off mid-way: its errors wait until the file has been quiet."""
    journey = tmp_path / "alpha.yaml"
    write_journey(journey, "Alpha")
    with serving(tmp_path, journeys=1) as server:
        waited = seconds_to_reload(
            server, "alpha.html", lambda: write_journey(journey, "Alpha", emotion="7")
        )
        assert waited >= QUIET
        assert "got 7" in get(server.url, "/alpha.html")[2]


def test_saves_in_place_and_by_rename_show_in_the_open_page(
    browser: Browser, tmp_path: Path
) -> None:
    journey = tmp_path / "alpha.yaml"
    write_journey(journey, "Alpha start")
    with serving(tmp_path, journeys=1) as server:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"{server.url}alpha.html")
            for number, (how, save) in enumerate(SAVES.items()):
                title = f"Alpha {how} {number}"
                save(journey, JOURNEY.format(title=title, id="alpha", emotion="4"))
                saved = time.monotonic()
                # Generous, not to be a flaky timing test: bench/serve_latency.py has the targets.
                shown = functools.partial(_shows, page, title)
                wait_until(shown, 1.0, f"the page to show a save {how}")
                assert time.monotonic() - saved < 1.0
        finally:
            context.close()


def test_the_error_page_quotes_the_line_of_the_included_file(tmp_path: Path) -> None:
    (tmp_path / "jmap.toml").write_text("", encoding="utf-8")
    shared = tmp_path / "people.yaml"
    shared.write_text("# Who we design for\npersonas:\n  - {id: sam, name: [}\n", encoding="utf-8")
    text = JOURNEY.format(title="Alpha", id="alpha", emotion="4")
    text = text.replace("personas:\n  - id: sam\n    name: Sam\n", "include: [people.yaml]\n")
    (tmp_path / "alpha.yaml").write_text(text, encoding="utf-8")
    with serving(tmp_path, journeys=1) as server:
        status, _, page = get(server.url, "/alpha.html")
    assert status == 200
    assert re.search(r"people\.yaml:3:\d+</code>", page), page
    assert f'<pre aria-label="line 3 of {shared}">' in page
    assert "  - {id: sam, name: [}" in page
    assert "id: alpha" not in page  # the journey's own line 3


def test_file_names_that_are_not_utf8_or_hold_controls_are_shown_escaped(tmp_path: Path) -> None:
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff.yaml"))
    # An error, so that its page names the file.
    odd.write_text(JOURNEY.format(title="Odd name", id="odd", emotion="9"), encoding="utf-8")
    title = tmp_path / "\x1b]0;owned\x07.yaml"  # sets the terminal's title, printed raw
    title.write_text(JOURNEY.format(title="Title", id="title", emotion="4"), encoding="utf-8")
    write_journey(tmp_path / "plain.yaml", "Plain")
    with serving(tmp_path, journeys=3) as server:
        assert "Plain" in get(server.url, "/")[2]
        status, _, page = get(server.url, "/odd.html")
        assert status == 200
        assert html.escape(printable(str(odd))) in page
        title.write_text(JOURNEY.format(title="Again", id="title", emotion="4"), encoding="utf-8")
        server.printed(r"^rebuilt .*\.yaml$")
        assert server.stop(signal.SIGTERM) == 0
    printed = "\n".join(server.lines + server.errors)
    assert printable(str(odd)) in printed
    assert "\x1b" not in printed
    assert "\x07" not in printed
    assert "Traceback" not in printed


def test_the_portfolio_is_the_page_a_build_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The project's title, and its lint settings for what counts as stale: JM014 (a KPI off
    # track) ignored leaves the review date as the only reason.
    folder = _stale_project(tmp_path)
    (folder / "jmap.toml").write_text(
        'title = "Returns team maps"\n[lint]\nignore = ["JM014"]\n', encoding="utf-8"
    )
    monkeypatch.setenv("JMAP_TODAY", "2026-12-02")
    monkeypatch.chdir(folder)
    assert run_cli(["build", ".", "-o", str(tmp_path / "maps"), "-f", "html"]).exit_code == 0
    built = (tmp_path / "maps" / "index.html").read_text("utf-8")
    with serving(folder, journeys=2) as server:
        status, _, served = get(server.url, "/")
    assert status == 200
    assert "Returns team maps" in built
    assert "past its review date" in built
    assert "is off track" not in built
    # The same page, with only the live reload added.
    version = re.search(r'data-page="index.html" data-version="(\w+)"', served)
    assert version is not None
    assert served == with_live_reload(built, "index.html", version.group(1))
