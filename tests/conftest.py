"""Fixtures the test modules share.

`make test` runs the suite in one pytest-xdist worker per core. A session fixture is then made
once per worker; one that is slow to make (a build of hundreds of journeys, a repository for
pre-commit) is made once for the whole run with `tests.helpers.made_once`.

`make check` leaves out the tests marked slow: those that take more than a few seconds, and
every test that looks at a page in Chromium (marked here, by the fixture it takes).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser import launch
from tests.corpora import Built, build_naughty, built_naughty
from tests.helpers import made_once
from tests.mermaid_check import MermaidPage, require_mermaid

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A page in Chromium takes a second or more, and Chromium itself a few to start.
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def _temporary_folder_of_the_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """TMPDIR for this worker alone, for jmap in this process and in the processes it starts.

    What they keep in a temporary folder (Jinja's compiled templates, the layout engine's
    files, Chromium's profiles) stays inside the run's folder, apart from other workers and
    other runs on the machine.
    """
    folder = tmp_path_factory.mktemp("tmp", numbered=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(folder))
        patch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
        yield


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium, started once per worker (tests/browser.py says what it needs)."""
    with launch() as launched:
        yield launched


@pytest.fixture(scope="module")
def mermaid(browser: Browser) -> Iterator[MermaidPage]:
    """Mermaid loaded in a page of the worker's Chromium.

    Playwright's sync API drives one browser per thread at a time: Mermaid shares the one
    above rather than start its own.
    """
    require_mermaid()
    page = browser.new_page()
    try:
        yield MermaidPage.on(page)
    finally:
        page.close()


@pytest.fixture(scope="session")
def naughty(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Every naughty string's journey built in every format (tests/corpora.py)."""
    return built_naughty(made_once(tmp_path_factory, "naughty", build_naughty))
