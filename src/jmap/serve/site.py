"""The journeys `jmap serve` shows, rendered in memory and kept current.

One thread (the watcher) calls `refresh`; request threads only read. A page is stored with its
version, a hash of its text, so a request can ask "is the page I showed still the current one?"
without rendering anything, and saving a file without changing what the map shows reloads
nothing. Rendering is serialised by a lock: the render context of jmap.build.rendering is shared.

A page only ever changes to what a complete file says (the watcher says which files are still
being written; see jmap.serve.watch): a journey whose file, or a file it includes, is being
written is not read, and a render whose files changed while it ran is dropped. The portfolio is
made from the journeys as they were rendered, not read again, so it cannot catch a file
mid-save either.
"""

from __future__ import annotations

import hashlib
import re
import stat
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from jmap import stale
from jmap.build.rendering import Rendered, Settings, render_context, render_file
from jmap.errors import JmapError, Problem, printable
from jmap.loading.discover import find_journeys
from jmap.render.portfolio import PortfolioRow
from jmap.serve.pages import (
    BrokenJourney,
    broken_page,
    error_page,
    notice_page,
    with_broken_journeys,
    with_live_reload,
)
from jmap.slug import is_id, slugify
from jmap.wording import INDEX_ID_CLASH, journey_id_clash, plural

INDEX = "index.html"
# A broken journey's page keeps the address of its `id:` even when the YAML around it is broken.
_TOP_LEVEL_ID = re.compile(r"^id[ \t]*:[ \t]*['\"]?([a-z0-9][a-z0-9-]*)['\"]?[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Reply:
    """What the server answers for one address."""

    status: int
    body: str = ""  # HTML with the live-reload script
    location: str | None = None  # for a redirect


@dataclass
class _Journey:
    """One journey file as last rendered."""

    source: Path
    digest: str  # of the bytes it was rendered from
    journey_id: str  # its id, or the best guess while it is broken
    problems: list[Problem]
    # The text of each file a problem is in (the journey's or an included file's), for the
    # lines the error page quotes.
    texts: dict[str, str]
    map_page: str = ""  # the HTML map, when there are no problems
    # The files it includes, watched wherever they are (shared files often sit outside the
    # served folder).
    includes: frozenset[Path] = frozenset()
    inputs: dict[str, str] = field(default_factory=dict)  # included file -> digest rendered from
    row: PortfolioRow | None = None  # for the portfolio, when there are no problems


@dataclass(frozen=True)
class _Page:
    source: Path
    body: str  # without the live-reload script
    version: str
    problems: int = 0


@dataclass
class _Index:
    version: str = ""
    body: str = ""


class Site:
    """Every journey's page, the portfolio, and what each address shows now."""

    def __init__(
        self,
        paths: list[Path],
        settings: Settings,
        report: Callable[[str], None],
        title: str | None = None,  # of the portfolio, as a build's ([tool.jmap] title)
    ) -> None:
        self.paths = paths
        self.settings = settings
        self.title = title
        self.report = report
        self.ready = False  # every journey has been rendered once
        self.closed = False
        self._changed = threading.Condition()
        self._rendering = threading.Lock()
        self._sources: list[Path] = []
        self._journeys: dict[Path, _Journey] = {}
        self._pages: dict[str, _Page] = {}  # address -> page
        self._former: dict[str, Path] = {}  # an address a journey had before -> the journey
        # Journeys left as they were by a refresh that had to render them (their files were
        # being written): rendered at the next refresh even if their files read the same.
        self._stale: set[Path] = set()
        self._templates = 0  # bumped whenever a template changes
        self._index = _Index()

    def sources(self, unsettled: Collection[Path] = frozenset()) -> list[Path]:
        """The journey files under the watched paths, in build order.

        A journey already served keeps its place (and its page) while its file is `unsettled`,
        being written, even if it is missing or does not look like a journey for a moment, and
        while it is empty (its page says so). One not served yet waits until it is written.
        """
        found: list[Path] = []
        for path in self.paths:
            if path.is_dir():
                found.extend(find_journeys([path]))
            elif path.is_file():
                found.append(path)  # a named file that goes missing may come back
        found = [source for source in found if source in self._journeys or source not in unsettled]
        kept = [source for source in self._journeys if _stays(source, unsettled)]
        return sorted(dict.fromkeys([*found, *kept]), key=self._build_order)

    def _build_order(self, source: Path) -> tuple[object, ...]:
        """Where discovery puts `source`: by path named, then as os.walk goes down a folder
        (sorted, a folder's files before its subfolders')."""
        for number, path in enumerate(self.paths):
            if source == path:
                return (number,)
            if source.is_relative_to(path):
                *folders, name = source.relative_to(path).parts
                return (number, *((1, folder) for folder in folders), (0, name))
        return (len(self.paths), str(source))

    def rendered_from(self, path: Path) -> bool:
        """Whether `path` is a journey file shown now, or a file such a journey included."""
        return path in self._journeys or any(path in j.includes for j in self._journeys.values())

    def included(self) -> list[Path]:
        """Every file the journeys included when they were last rendered."""
        return sorted({path for journey in self._journeys.values() for path in journey.includes})

    def refresh(
        self,
        changed: Iterable[Path] = (),
        *,
        templates_changed: bool = False,
        unsettled: Collection[Path] = frozenset(),
        tentative: Collection[Path] = frozenset(),
        confirm: Callable[[], bool] = lambda: True,
    ) -> set[Path]:
        """Render every journey whose file changed, or every journey when a template or another
        watched file changed (it may be a file the journeys include).

        Files in `unsettled` are being written: a journey in one, or including one, keeps the
        page it has until its files are written and `refresh` is called for them. Files in
        `tentative` changed a moment ago and look written: a journey in or including one
        changes its page only if it renders without problems and then `confirm()` says the
        files are still as they were (jmap.serve.watch says why). Returns the tentative files
        that were held back for that; their journeys keep their pages.
        """
        held: set[Path] = set()
        first = not self.ready
        sources = self.sources({*unsettled, *tentative})  # a served page stays while saved
        known = set(sources) | set(self._journeys)
        others = sorted(path for path in changed if path not in known)
        everything = templates_changed or bool(others)
        if templates_changed:
            with self._rendering:
                render_context.cache_clear()  # a new file in --templates may now win
            self._templates += 1
        with self._changed:
            gone = [source for source in self._journeys if source not in sources]
            for source in gone:
                del self._journeys[source]
            self._sources = sources
            self._publish()
        for source in gone:
            self.report(f"removed {source}")
        rebuilt = 0
        limit = self.settings.limits.max_file_bytes
        for source in sources:
            if self.closed:
                return held  # stopping: the journey being rendered was the last
            old = self._journeys.get(source)
            if source in unsettled or (old is not None and old.includes & set(unsettled)):
                if everything:
                    self._stale.add(source)
                continue
            content = _read(source, limit)
            digest = _digest(content)
            fresh = not everything and source not in self._stale
            if old is not None and old.digest == digest and fresh:
                continue
            journey = self._render(source, content, digest, old)
            if not _unchanged(source, digest, journey.inputs, limit):
                # Written to while it rendered: the watcher sees that write, and calls again.
                self._stale.add(source)
                continue
            doubtful = ({source} | journey.includes) & set(tentative)
            if doubtful and (journey.problems or not confirm()):
                # Maybe cut off mid-save: shown only once quiet, when the watcher calls again.
                held |= doubtful
                self._stale.add(source)
                continue
            self._stale.discard(source)
            with self._changed:
                self._journeys[source] = journey
                self._publish()
            rebuilt += 1
            for problem in journey.problems:
                self.report(str(problem))
            if not first and not everything:
                state = plural(len(journey.problems), "error") if journey.problems else ""
                verb = "added" if old is None else "rebuilt"
                self.report(f"{verb} {source}" + (f": {state}, shown on its page" if state else ""))
        with self._changed:
            self.ready = True
            self._publish()
        failed = sum(1 for journey in self._journeys.values() if journey.problems)
        summary = plural(rebuilt, "journey") + (f", {failed} with errors" if failed else "")
        if first and not sources:
            where = ", ".join(str(path) for path in self.paths)
            self.report(f"no journeys in {where} yet; a journey file saved there will be served")
        elif first:
            self.report(f"rendered {summary}")
        elif everything:
            what = "templates" if templates_changed else ", ".join(map(str, others))
            self.report(f"{what} changed: rebuilt {summary}")
        return held

    def reply(self, address: str) -> Reply:
        """The answer for an address ('' is the root); every HTML answer can reload itself."""
        with self._changed:
            kind, version = self._route(address)
            page = self._pages.get(address)
            pending = self._portfolio_input() if kind == "index" else None
        if kind.startswith("redirect:"):
            return Reply(302, location="/" + kind.removeprefix("redirect:"))
        name = address or INDEX
        if kind == "page" and page is not None:
            return Reply(200, with_live_reload(page.body, name, version))
        if kind == "index" and pending is not None:
            return Reply(200, with_live_reload(self._portfolio(version, *pending), name, version))
        if kind == "building":
            body = notice_page(
                "Building the maps", "The maps are being rendered; this page shows them when ready."
            )
            return Reply(503, with_live_reload(body, name, version))
        if kind == "empty":
            where = printable(", ".join(str(path) for path in self.paths))
            body = notice_page(
                "No journeys yet",
                f"There is no journey in {where}. A journey file saved there appears here.",
            )
            return Reply(200, with_live_reload(body, name, version))
        stem = address.removesuffix(".html")
        hint = f" A journey with the id '{stem}' would be shown here." if is_id(stem) else ""
        body = notice_page(
            "No such map", f"There is no map at this address.{hint}", portfolio=len(self._pages) > 1
        )
        return Reply(404, with_live_reload(body, name, version))

    def wait(self, address: str, seen: str, timeout: float) -> bool:
        """Whether the page at `address` is no longer the version `seen`, waiting up to
        `timeout` seconds for that; False as soon as the site closes."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self._route(address)[1] != seen, timeout)
            return not self.closed and self._route(address)[1] != seen

    def close(self) -> None:
        """Wake every waiting request, so none holds up a shutdown."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def _render(self, source: Path, content: bytes, digest: str, old: _Journey | None) -> _Journey:
        with self._rendering:
            try:
                rendered = render_file(source, self.settings)
            except JmapError as error:  # the file went away, or the layout engine failed
                rendered = Rendered(source, problems=[Problem(str(source), 1, 1, str(error))])
            except Exception as error:  # a bug must not stop the preview of every other journey
                message = f"jmap failed on this journey ({type(error).__name__}: {error})"
                rendered = Rendered(source, problems=[Problem(str(source), 1, 1, message)])
        text = content.decode("utf-8", errors="replace")
        inputs = rendered.inputs
        if rendered.problems or rendered.journey_id is None:
            guess = _guess_id(source, text, old)
            # A broken journey keeps watching what it included, and the included file a
            # problem is in: fixing that file must bring the map back.
            named = {Path(p.path) for p in rendered.problems if p.path != str(source)}
            kept = old.includes if old is not None else frozenset()
            includes = kept | named | {Path(name) for name in inputs}
            texts = {str(source): text}
            limit = self.settings.limits.max_file_bytes
            for path in sorted(named):
                texts[str(path)] = _read(path, limit).decode("utf-8", errors="replace")
            return _Journey(
                source, digest, guess, rendered.problems, texts, includes=includes, inputs=inputs
            )
        page = next(iter(rendered.files.values()))
        assert isinstance(page, str)  # serve renders the HTML map alone
        includes = frozenset(Path(name) for name in inputs)
        return _Journey(
            source, digest, rendered.journey_id, [], {}, page, includes, inputs, rendered.row
        )

    def _publish(self) -> None:
        """Give every journey its address, then wake the requests waiting for a change.

        Addresses are handed out in file order, as `jmap build` names files, so of two
        journeys with one id the first keeps it and the second shows why it cannot.
        """
        portfolio = len(self._sources) > 1
        pages: dict[str, _Page] = {}
        for source in self._sources:
            journey = self._journeys.get(source)
            if journey is None:
                continue
            address = f"{journey.journey_id}.html"
            problems = journey.problems
            clash = _clash(journey.journey_id, address, pages)
            if clash and not problems:
                problems = [Problem(str(source), 1, 1, clash)]
            if address in pages or address == INDEX:
                address = _free_address(journey.journey_id, pages)
            body = journey.map_page
            if problems:
                body = error_page(str(source), problems, journey.texts, portfolio=portfolio)
            pages[address] = _Page(source, body, _hash(body), len(problems))
        for address, page in self._pages.items():
            if address not in pages:
                self._former[address] = page.source
        for address in pages:
            self._former.pop(address, None)
        self._pages = pages
        self._changed.notify_all()

    def _route(self, address: str) -> tuple[str, str]:
        """What an address shows, and that content's version (under the lock)."""
        if address in ("", INDEX):
            if len(self._sources) == 1 and len(self._pages) == 1:
                return f"redirect:{next(iter(self._pages))}", "redirect"
            if not self.ready:
                return "building", "building"
            if not self._sources:
                return "empty", "empty"
            # The day too: the portfolio lists the journeys gone stale by today (jmap.stale).
            parts = [str(self._templates), stale.today().isoformat()]
            parts += [f"{a}={p.version}" for a, p in self._pages.items()]
            return "index", _hash("\n".join(parts))
        if address in self._pages:
            return "page", self._pages[address].version
        moved_to = self._moved(address)
        if moved_to is not None:
            return f"redirect:{moved_to}", "moved"
        if not self.ready:
            return "building", "building"
        return "missing", "missing"

    def _moved(self, address: str) -> str | None:
        """The current address of the journey that used to be at `address`, if it has one."""
        source = self._former.get(address)
        for current, page in self._pages.items():
            if page.source == source:
                return current
        return None

    def _portfolio_input(self) -> tuple[list[tuple[PortfolioRow, str]], list[BrokenJourney]]:
        built = []
        broken = []
        for address, page in self._pages.items():
            row = self._journeys[page.source].row
            if page.problems or row is None:
                broken.append(BrokenJourney(str(page.source), address, page.problems))
            else:
                built.append((row, address.removesuffix(".html")))
        return built, broken

    def _portfolio(
        self, version: str, built: list[tuple[PortfolioRow, str]], broken: list[BrokenJourney]
    ) -> str:
        """The portfolio page, rendered when asked for, from the journeys as last rendered."""
        from jmap.build.portfolio import INDEX_FILES, portfolio_files

        with self._rendering:
            if self._index.version == version:
                return self._index.body
            try:
                if built:
                    pages = portfolio_files(built, self.settings, self.title)
                    index = pages[INDEX_FILES["html"]]
                    body = with_broken_journeys(index, broken)
                else:
                    body = broken_page(broken)
            except (JmapError, jinja2.TemplateError) as error:
                # A team's own index.html.j2 is broken.
                body = notice_page("The portfolio cannot be shown", str(error))
            self._index = _Index(version, body)
            return body


def _read(path: Path, limit: int) -> bytes:
    """At most `limit + 1` bytes of the file, as the loader reads it."""
    try:
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError:
        return b""  # render_file says why


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _unchanged(source: Path, digest: str, inputs: dict[str, str], limit: int) -> bool:
    """Whether the journey and the files it included still hold what was rendered."""
    if _digest(_read(source, limit)) != digest:
        return False
    return all(_digest(_read(Path(name), limit)) == read for name, read in inputs.items())


def _stays(source: Path, unsettled: Collection[Path]) -> bool:
    """Whether a served journey that discovery no longer finds keeps its page: while it is
    being written, or is an empty file (a save that has not begun, or an emptied journey)."""
    if source in unsettled:
        return True
    try:
        status = source.stat()
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and status.st_size == 0


def _guess_id(source: Path, text: str, old: _Journey | None) -> str:
    """The id of a journey that does not load: its written `id:`, the one it had, or the one
    its file name gives."""
    written = _TOP_LEVEL_ID.search(text)
    if written:
        return written.group(1)
    if old is not None:
        return old.journey_id
    derived = slugify(source.stem)
    return derived if is_id(derived) else "journey"


def _clash(journey_id: str, address: str, pages: dict[str, _Page]) -> str | None:
    if address == INDEX:
        return INDEX_ID_CLASH
    if address in pages:
        return journey_id_clash(journey_id, pages[address].source)
    return None


def _free_address(journey_id: str, pages: dict[str, _Page]) -> str:
    number = 2
    while f"{journey_id}-{number}.html" in pages:
        number += 1
    return f"{journey_id}-{number}.html"


def _hash(text: str) -> str:
    # A file name that is not UTF-8 holds surrogates; the version of its page is still a hash.
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]
