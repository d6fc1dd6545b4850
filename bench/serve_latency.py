"""How long `jmap serve` takes from saving a journey to the open page showing the change.

    .venv/bin/python bench/serve_latency.py --touchpoints 20 --repeat 5
    .venv/bin/python bench/serve_latency.py --touchpoints 100 --repeat 5 --save rename

Writes one realistic journey (build_scale.journey_text) into a temporary folder, starts
`python -m jmap serve` on it as a real process on a free port, opens the map in headless
Chromium, then repeatedly renames one touchpoint to a new word, saves the file as an editor
does (in place: open, write, close; or atomically: a hidden temporary file renamed over it)
and times from the save to that word being in the page's DOM.

One clock: the page records the moment it sees the word (a MutationObserver installed before
the page's own scripts) as `performance.timeOrigin + performance.now()`; before each save the
offset between that clock and Python's `time.time()` is measured with a round trip, whose
half is the uncertainty (well under a millisecond). The page also records when the reload
event arrives from the server, which splits the time into the server's part (file event,
wait for the file to be complete, render, push) and the page's (load and parse the map).
`measure()` is what bench/compare.py imports; nothing here is a test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from build_scale import journey_text
from chromium import CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = os.environ.get("JMAP_CHROMIUM", "/usr/bin/chromium")
STARTUP = 60.0  # seconds for the server to render the journey the first time
TIMEOUT = 10.0  # seconds for one save to show
SETTLE = 0.4  # seconds between saves, so one save never lands in the previous one's wait
Save = Literal["inplace", "rename"]

# Runs in every document the page loads, before its scripts. The word to look for is in
# sessionStorage, so it survives the page reloading itself.
_WATCH_PAGE = """(() => {
  const now = () => performance.timeOrigin + performance.now();
  const expected = () => sessionStorage.getItem('jmapBenchExpect');
  const found = (node) => {
    const word = expected();
    if (word && window.__jmapShown === undefined && (node.textContent || '').includes(word)) {
      window.__jmapShown = now();
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      found(record.target);
      for (const node of record.addedNodes) found(node);
    }
  }).observe(document, {childList: true, subtree: true, characterData: true});
  document.addEventListener('DOMContentLoaded', () => found(document.documentElement));
  const Original = window.EventSource;
  window.EventSource = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('reload', () => sessionStorage.setItem('jmapBenchReload', now()));
    }
  };
})();"""


@dataclass
class Sample:
    """One save: seconds from the save to the page showing it, and to the reload event."""

    shown: float
    pushed: float | None  # None when the page changed without a reload event


@dataclass
class _Server:
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def printed(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if match := re.search(pattern, line):
                    return match
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise RuntimeError(f"jmap serve did not print {pattern!r}: {self.lines}")


@contextlib.contextmanager
def _serving(folder: Path) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "jmap", "serve", str(folder), "--port", "0", "--no-open"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = _Server(process)
    assert process.stdout is not None
    stream = process.stdout
    threading.Thread(
        target=lambda: server.lines.extend(line.rstrip("\n") for line in stream), daemon=True
    ).start()
    try:
        url = server.printed(r"at (http://127\.0\.0\.1:\d+/)", STARTUP).group(1)
        server.printed(r"rendered 1 journey", STARTUP)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        stream.close()


def save(path: Path, text: str, how: Save) -> None:
    """Save as an editor does: in place (truncate, write, close), or a new file renamed over."""
    if how == "inplace":
        with path.open("w", encoding="utf-8") as handle:
            handle.write(text)
        return
    temporary = path.with_name(f".{path.name}.tmp")  # hidden: serve never takes it for a journey
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _page_clock(page: Page) -> float:
    """Seconds to add to time.time() to get the page's clock (in seconds)."""
    before = time.time()
    page_now = float(page.evaluate("performance.timeOrigin + performance.now()")) / 1000
    after = time.time()
    return page_now - (before + after) / 2


def _evaluate(page: Page, script: str) -> object:
    from playwright.sync_api import Error

    try:
        return page.evaluate(script)
    except Error:  # between two documents
        return None


def measure(touchpoints: int, repeat: int, how: Save = "inplace") -> list[float]:
    """Seconds from each of `repeat` saves of a journey of `touchpoints` touchpoints to the open
    page showing the change."""
    return [sample.shown for sample in samples(touchpoints, repeat, how)]


def samples(touchpoints: int, repeat: int, how: Save = "inplace") -> list[Sample]:
    from playwright.sync_api import sync_playwright

    stages = 5 if touchpoints <= 50 else 10
    per_stage = max(1, round(touchpoints / stages))
    text = journey_text(0, stages=stages, per_stage=per_stage)
    name = "Step 0 of journey 0"
    assert name in text
    results: list[Sample] = []
    with tempfile.TemporaryDirectory() as folder:
        journey = Path(folder) / "journey.yaml"
        journey.write_text(text, encoding="utf-8")
        with _serving(Path(folder)) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.add_init_script(_WATCH_PAGE)
                page.goto(url + "journey.html")  # the id comes from the file name
                assert name in page.inner_text("body")
                for number in range(repeat):
                    word = f"Edited{number}x{time.monotonic_ns() % 100000}"
                    page.evaluate(
                        """w => { sessionStorage.setItem('jmapBenchExpect', w);
                        sessionStorage.removeItem('jmapBenchReload');
                        window.__jmapShown = undefined; }""",
                        word,
                    )
                    offset = _page_clock(page)
                    save(journey, text.replace(name, f"Step 0 {word}"), how)
                    saved = time.time() + offset
                    results.append(_wait_shown(page, saved))
                    time.sleep(SETTLE)
            finally:
                browser.close()
    return results


def _wait_shown(page: Page, saved: float) -> Sample:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        shown = _evaluate(page, "window.__jmapShown ?? null")
        if isinstance(shown, int | float):
            pushed = _evaluate(page, "sessionStorage.getItem('jmapBenchReload')")
            reload = float(pushed) / 1000 - saved if isinstance(pushed, str) else None
            return Sample(float(shown) / 1000 - saved, reload)
        time.sleep(0.002)
    raise RuntimeError(f"the page did not show the save within {TIMEOUT:.0f} s")


def render_time(touchpoints: int, repeat: int) -> list[float]:
    """Seconds jmap takes to render the journey's HTML map in-process (no server, no page)."""
    from jmap.build.rendering import Settings, render_file

    stages = 5 if touchpoints <= 50 else 10
    per_stage = max(1, round(touchpoints / stages))
    times = []
    with tempfile.TemporaryDirectory() as folder:
        journey = Path(folder) / "journey.yaml"
        journey.write_text(journey_text(0, stages=stages, per_stage=per_stage), encoding="utf-8")
        settings = Settings(("html",))
        render_file(journey, settings)  # imports and caches, as the server has them
        for _ in range(repeat):
            started = time.perf_counter()
            render_file(journey, settings)
            times.append(time.perf_counter() - started)
    return times


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--save", choices=["inplace", "rename", "both"], default="both")
    args = parser.parse_args()
    ways: list[Save] = ["inplace", "rename"] if args.save == "both" else [args.save]
    for touchpoints in args.touchpoints:
        for how in ways:
            found = samples(touchpoints, args.repeat, how)
            shown = [sample.shown for sample in found]
            pushed = [sample.pushed for sample in found if sample.pushed is not None]
            page = [s.shown - s.pushed for s in found if s.pushed is not None]
            parts = f"(server {_ms(pushed)}, page {_ms(page)})" if pushed else ""
            print(
                f"{touchpoints} touchpoints, {how} save: median {_ms(shown)} {parts}"
                f" of {len(shown)}: {' '.join(f'{s * 1000:.0f}' for s in shown)}",
                flush=True,
            )
        print(f"{touchpoints} touchpoints, render in-process: {_ms(render_time(touchpoints, 5))}")


if __name__ == "__main__":
    main()
