"""Fixtures the test modules share.

`make test` runs the suite in one pytest-xdist worker per core. A session fixture is then made
once per worker; one that is slow to make (a build of hundreds of journeys, a repository for
pre-commit) is made once for the whole run with `made_once`, which the workers share.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from filelock import FileLock

from tests.browser import launch
from tests.corpora import Built, build_naughty, built_naughty
from tests.mermaid_check import MermaidPage, require_mermaid

if TYPE_CHECKING:
    from playwright.sync_api import Browser


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


def made_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """The folder `name`, filled by `make` once for all the workers of this run.

    The first worker to ask makes it while the others wait for it (xdist's own advice for
    session fixtures); a test must only read it.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # each worker's folder is inside the run's
    folder = root / name
    with FileLock(root / f"{name}.lock"):
        if not (root / f"{name}.made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (root / f"{name}.made").touch()
    return folder


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
