"""The pages only the preview server shows, and the live-reload script it adds to every page.

The maps on disk run no script, and their Content-Security-Policy says so. The copy the server
sends carries one small script that waits for the server to say "this page changed" and then
reloads it. Its policy is widened for exactly that: the script's own hash may run and it may
connect back to the server; everything else stays as strict as the template wrote it.

Like the renderers, these are functions of their input; they do no I/O besides reading their
own template from the package. File names are shown as the terminal shows them
(jmap.errors.printable): a name that is not UTF-8, or holds a control character, is escaped.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import jinja2

from jmap import __version__
from jmap.errors import Problem, printable

EVENTS_PATH = "/_jmap/events"

# The page's own <script> element says which page it is and which version it shows (attributes
# are not part of the script's hash), so the script text, and the hash, never change.
LIVE_RELOAD_SCRIPT = (
    "(() => {"
    " const me = document.currentScript;"
    " const query = new URLSearchParams({page: me.dataset.page, version: me.dataset.version});"
    f" const events = new EventSource(`{EVENTS_PATH}?${{query}}`);"
    ' events.addEventListener("reload", () => { events.close(); location.reload(); });'
    " })();"
)
SCRIPT_HASH = "sha256-" + base64.b64encode(
    hashlib.sha256(LIVE_RELOAD_SCRIPT.encode("utf-8")).digest()
).decode("ascii")

_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)
_MAIN_START = re.compile(r"<main\b[^>]*>", re.IGNORECASE)
_BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
# What the live-reload script needs, per directive; a directive the policy does not restrict
# (neither it nor default-src is set) is left alone.
_NEEDS = {"script-src": f"'{SCRIPT_HASH}'", "connect-src": "'self'"}
_EXCERPT_WIDTH = 240


def with_live_reload(page: str, name: str, version: str) -> str:
    """The page as the server sends it: its policy allows the reload script, which is added."""
    page = _META.sub(_widen_policy, page)
    script = (
        f'<script data-page="{html.escape(name)}" data-version="{html.escape(version)}">'
        f"{LIVE_RELOAD_SCRIPT}</script>\n"
    )
    ends = list(_BODY_END.finditer(page))
    if not ends:
        return page + script
    at = ends[-1].start()
    return page[:at] + script + page[at:]


def allow_live_reload(policy: str) -> str:
    """A Content-Security-Policy that also lets the live-reload script run and connect home."""
    directives: dict[str, list[str]] = {}
    for directive in policy.split(";"):
        words = directive.split()
        if words:
            # A browser ignores a repeated directive; so does this.
            directives.setdefault(words[0].lower(), words[1:])
    fallback = directives.get("default-src")
    for name, needed in _NEEDS.items():
        sources = directives.get(name, fallback)
        if sources is None:
            continue  # not restricted at all
        directives[name] = _with_source([s for s in sources if s.lower() != "'none'"], needed)
    if "script-src-elem" in directives:
        directives["script-src-elem"] = _with_source(
            [s for s in directives["script-src-elem"] if s.lower() != "'none'"],
            _NEEDS["script-src"],
        )
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def _with_source(sources: list[str], needed: str) -> list[str]:
    lowered = [s.lower() for s in sources]
    # A hash or nonce would switch 'unsafe-inline' off for the template's own inline scripts;
    # where it is on, the reload script runs anyway.
    inline_allowed = "'unsafe-inline'" in lowered and not any(
        s.startswith(("'sha256-", "'sha384-", "'sha512-", "'nonce-")) for s in lowered
    )
    if needed in sources or (needed.startswith("'sha") and inline_allowed):
        return sources
    return [*sources, needed]


def _widen_policy(match: re.Match[str]) -> str:
    tag = match.group(0)
    attributes = {
        name.lower(): html.unescape(double or single or bare)
        for name, double, single, bare in _ATTRIBUTE.findall(tag)
    }
    if attributes.get("http-equiv", "").lower() != "content-security-policy":
        return tag
    policy = allow_live_reload(attributes.get("content", ""))
    content = html.escape(policy, quote=False).replace('"', "&quot;")
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


@dataclass(frozen=True)
class Excerpt:
    """The line a problem points at, with a caret under its column."""

    number: int
    text: str
    caret: str


@dataclass(frozen=True)
class ShownProblem:
    problem: Problem
    path: str  # the file it is in, printable
    excerpt: Excerpt | None


@dataclass(frozen=True)
class BrokenJourney:
    """A journey that does not render, as the portfolio lists it."""

    source: str
    href: str
    problems: int


def error_page(
    source: str, problems: Sequence[Problem], texts: Mapping[str, str], *, portfolio: bool
) -> str:
    """The page shown at a journey's address while the journey has errors; `texts` holds the
    text of each file a problem is in (the journey's, or a file it includes), by path."""
    lines = {path: text.splitlines() for path, text in texts.items()}
    shown = [
        ShownProblem(problem, printable(problem.path), _excerpt(problem, lines.get(problem.path)))
        for problem in problems
    ]
    count = len(problems)
    return _template().render(
        kind="error",
        title=f"{count} {'error' if count == 1 else 'errors'} in {printable(source)}",
        problems=shown,
        portfolio=portfolio,
        version=__version__,
    )


def notice_page(title: str, message: str, *, portfolio: bool = False) -> str:
    """A page that says why there is no map here (yet): not found, nothing to serve, building."""
    return _template().render(
        kind="notice", title=title, message=message, portfolio=portfolio, version=__version__
    )


def broken_page(broken: Sequence[BrokenJourney]) -> str:
    """The portfolio when no journey renders: only the list of journeys with errors."""
    return _template().render(
        kind="broken",
        title="No journey renders",
        broken=[_printable_source(journey) for journey in broken],
        portfolio=False,
        version=__version__,
    )


def with_broken_journeys(index: str, broken: Sequence[BrokenJourney]) -> str:
    """The portfolio page with the journeys that have errors listed first, linked to them."""
    if not broken:
        return index
    section = _template().render(
        kind="section", broken=[_printable_source(journey) for journey in broken]
    )
    start = _MAIN_START.search(index) or _BODY_START.search(index)
    at = start.end() if start else 0
    return f"{index[:at]}\n{section}{index[at:]}"


def _printable_source(journey: BrokenJourney) -> BrokenJourney:
    return BrokenJourney(printable(journey.source), journey.href, journey.problems)


def _excerpt(problem: Problem, lines: list[str] | None) -> Excerpt | None:
    # A problem at the very start is about the whole file ("empty", "not a mapping", a template
    # error): a caret under `jmap: 1` would only mislead.
    if lines is None or (problem.line, problem.column) == (1, 1):
        return None
    if not 0 < problem.line <= len(lines):
        return None
    text = lines[problem.line - 1].expandtabs(1)
    if not text.strip():
        return None
    if len(text) > _EXCERPT_WIDTH:
        text = text[:_EXCERPT_WIDTH] + "…"
    caret = " " * (problem.column - 1) + "^" if problem.column <= _EXCERPT_WIDTH else ""
    return Excerpt(problem.line, text, caret)


@functools.cache
def _template() -> jinja2.Template:
    text = resources.files("jmap.serve").joinpath("page.html.j2").read_text(encoding="utf-8")
    environment = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.from_string(text)
