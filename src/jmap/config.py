"""Project configuration: `[tool.jmap]` in pyproject.toml, or a jmap.toml.

Found by walking up from the working directory, like ruff and black find theirs, so `jmap build`
with no arguments does the same thing anywhere in a repository. Paths in it are relative to the
file that holds them. Unknown keys are errors with file and line, like journey errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jmap.errors import JmapError, did_you_mean, printable
from jmap.loading.comments import SETTINGS as COMMENT_SETTINGS
from jmap.loading.limits import DEEPEST, DEFAULT_LIMITS, LIMIT_NAMES, Limits

CONFIG_FILES = ("jmap.toml", "pyproject.toml")
KEYS = (
    "paths",
    "output",
    "formats",
    "engine",
    "templates",
    "jobs",
    "lint",
    "limits",
    "title",
    "comments_after_text",
    "lang",
    "theme",
)
_GLOB_CHARACTERS = re.compile(r"[*?\[]")

if TYPE_CHECKING:
    from jmap.theme import Brand


class ConfigError(JmapError):
    """The project configuration cannot be used; the message names file, line and column."""

    exit_code = 2

    def lines(self) -> list[str]:
        return [printable(str(self))]  # already `path:line:column: error: message`


@dataclass(frozen=True)
class ProjectConfig:
    file: Path
    paths: tuple[Path, ...] = ()
    output: Path | None = None
    formats: tuple[str, ...] | None = None
    engine: str | None = None
    templates: Path | None = None
    jobs: int | None = None
    # The [tool.jmap.lint] table as written; jmap.lint checks and reads it.
    lint: dict[str, Any] | None = None
    lint_line: int = 1
    limits: Limits = DEFAULT_LIMITS  # the defaults, with what [tool.jmap.limits] raises
    title: str | None = None  # the portfolio pages' title
    theme: Brand | None = None  # [tool.jmap.theme], checked (jmap.theme)
    lang: str | None = None  # the maps' language, where a journey says none (jmap.i18n)


def find_config(start: Path) -> ProjectConfig | None:
    """The configuration that applies in `start`: the nearest jmap.toml or [tool.jmap]."""
    for folder in (start.resolve(), *start.resolve().parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                config = read_config(candidate)
                if config is not None:
                    return config
    return None


def read_config(file: Path) -> ProjectConfig | None:
    """Read one config file; None for a pyproject.toml without a [tool.jmap] table."""
    text, document = read_toml(file)
    if file.name == "pyproject.toml":
        table = document.get("tool", {}).get("jmap")
        if table is None:
            return None
    else:
        table = document
    return _parse(file, text, table)


def read_toml(file: Path) -> tuple[str, dict[str, Any]]:
    """A TOML file's text and what it holds; invalid TOML is a ConfigError at its place."""
    import tomllib  # only where there is a file to read

    text = file.read_text(encoding="utf-8")
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_toml_problem(file, text, str(error))) from None


def _toml_problem(file: Path, text: str, message: str) -> str:
    """tomllib puts the place in the message: move it to the front, where editors look."""
    place = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if place:
        line, column = place.groups()
        message = message[: place.start()]
    else:
        line, column = str(max(1, len(text.splitlines()))), "1"
        message = message.replace(" (at end of document)", " at the end of the file")
    return f"{file}:{line}:{column}: error: invalid TOML: {message}"


def _parse(file: Path, text: str, table: dict[str, Any]) -> ProjectConfig:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{file}:{key_line(file, key, text=text)}:1: error: {message}")

    for key in table:
        if key not in KEYS:
            hint = did_you_mean(key, KEYS) or f"; known keys: {', '.join(KEYS)}"
            raise fail(key, f"unknown key '{key}'{hint}")
    root = file.parent
    values: dict[str, Any] = {}
    if "paths" in table:
        paths = table["paths"]
        if not _strings(paths):
            raise fail("paths", "paths must be a list of files, folders or globs")
        values["paths"] = tuple(_expand(root, pattern) for pattern in paths)
        values["paths"] = tuple(path for group in values["paths"] for path in group)
    for key in ("output", "templates"):
        if key in table:
            if not isinstance(table[key], str):
                raise fail(key, f"{key} must be a folder name")
            values[key] = root / table[key]
    if "formats" in table:
        if not _strings(table["formats"]):
            raise fail("formats", 'formats must be a list such as ["svg", "html", "md"]')
        values["formats"] = tuple(table["formats"])
    if "engine" in table:
        if table["engine"] not in ("pure", "system"):
            raise fail("engine", 'engine must be "pure" or "system"')
        values["engine"] = table["engine"]
    if "jobs" in table:
        jobs = table["jobs"]
        if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
            raise fail("jobs", "jobs must be a whole number of at least 1")
        values["jobs"] = jobs
    if "lint" in table:
        if not isinstance(table["lint"], dict):
            raise fail("lint", "lint must be a table: [tool.jmap.lint] or [lint]")
        values["lint"] = table["lint"]
        values["lint_line"] = key_line(file, "lint", text=text)
    if "limits" in table:
        values["limits"] = _limits(file, text, table["limits"])
    if "comments_after_text" in table:
        setting = table["comments_after_text"]
        if setting not in COMMENT_SETTINGS:
            raise fail("comments_after_text", 'comments_after_text must be "error" or "allow"')
        # A reading rule, so it goes where every reader of a journey finds it: the limits.
        limits = values.get("limits", DEFAULT_LIMITS)
        values["limits"] = replace(limits, comments_after_text=setting)
    if "title" in table:
        title = table["title"]
        if not isinstance(title, str) or not title.strip():
            raise fail("title", 'title must be text, such as "Acme customer journeys"')
        values["title"] = title.strip()
    if "theme" in table:
        from jmap.theme import parse_theme

        values["theme"] = parse_theme(file, text, table["theme"], ("theme",))
    if "lang" in table:
        from jmap.i18n import unknown_language

        lang = table["lang"]
        if not isinstance(lang, str):
            raise fail("lang", 'lang must be text, such as "de"')
        why = unknown_language(lang)
        if why is not None:
            raise fail("lang", why)
        values["lang"] = lang
    return ProjectConfig(file=file, **values)


def _limits(file: Path, text: str, table: Any) -> Limits:
    """The [tool.jmap.limits] table (`[limits]` in jmap.toml): any limit, as a whole number."""

    def fail(key: str | None, message: str) -> ConfigError:
        line = key_line(file, "limits", *([key] if key else []), text=text)
        return ConfigError(f"{file}:{line}:1: error: {message}")

    if not isinstance(table, dict):
        raise fail(None, "limits must be a table: [tool.jmap.limits] or [limits]")
    for key, value in table.items():
        if key not in LIMIT_NAMES:
            hint = did_you_mean(key, LIMIT_NAMES) or f"; known limits: {', '.join(LIMIT_NAMES)}"
            raise fail(key, f"unknown limit '{key}'{hint}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise fail(key, f"limits.{key} must be a whole number of at least 1")
        if key == "max_depth" and value > DEEPEST:
            raise fail(
                key,
                f"limits.max_depth can be at most {DEEPEST}: deeper nesting would exhaust"
                " Python's stack",
            )
    return Limits(**table)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _expand(root: Path, pattern: str) -> list[Path]:
    found = sorted(root.glob(pattern)) if _GLOB_CHARACTERS.search(pattern) else [root / pattern]
    return [_relative_if_below(Path.cwd(), path) for path in found]


def _relative_if_below(folder: Path, path: Path) -> Path:
    """`journeys/x.yaml` rather than `/home/me/repo/journeys/x.yaml` in messages."""
    try:
        return path.resolve().relative_to(folder.resolve())
    except ValueError:
        return path


def key_line(file: Path, *keys: str, text: str | None = None) -> int:
    """The line that writes the configuration key `keys` in `file` (its text, if given).

    `keys` is a path of names inside [tool.jmap] in pyproject.toml, from the top in jmap.toml:
    `key_line(file, "lint", "levels", "JM007")`. Where that key is not written, the line of the
    nearest table it is in that is; 1 when none of them is.
    """
    if text is None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError:
            text = ""
    root = ("tool", "jmap") if file.name == "pyproject.toml" else ()
    for depth in range(len(keys), 0, -1):
        line = _first_line(text, (*root, *keys[:depth]))
        if line is not None:
            return line
    return 1


# The one TOML key-line scanner. tomllib gives the place of a syntax error but keeps none for
# valid TOML; neither does tomlkit (0.15, the TOML library that keeps a file's layout, 21 ms to
# import where tomllib takes 12): positions are its issue #55, open since 2019. So this reads the
# lines of a file that tomllib has already found valid.
_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_DOTTED = rf"{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*"
_HEADER = re.compile(rf"[ \t]*\[\[?[ \t]*({_DOTTED})[ \t]*\]")
_ASSIGNS = re.compile(rf"[ \t]*({_DOTTED})[ \t]*=")
_TOKEN = re.compile(r"""\"\"\"|'''|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#|[\[\]{}]""")


def _first_line(text: str, keys: tuple[str, ...]) -> int | None:
    """The first line that writes the key `keys` or a key inside it.

    That is a header `[keys]` (or `[[keys]]`, or of a table inside it), or `name = value` where
    the table it is in and its dotted name make `keys`, a key inside it, or one of the tables it
    is in: then `keys` is in the value, an inline table, which is written on one line.
    """
    table: tuple[str, ...] = ()
    for number, line in _statements(text):
        header = _HEADER.match(line)
        if header:
            table = _names(header.group(1))
            if table[: len(keys)] == keys:
                return number
            continue
        assigns = _ASSIGNS.match(line)
        if assigns:
            written = (*table, *_names(assigns.group(1)))
            shorter = min(len(written), len(keys))
            if written[:shorter] == keys[:shorter]:
                return number
    return None


def _names(dotted: str) -> tuple[str, ...]:
    """`tool."jmap".lint` -> ("tool", "jmap", "lint")."""
    import tomllib

    # Only a quoted name with an escape in it needs TOML's own reading.
    return tuple(
        tomllib.loads(f"name = {name}")["name"] if "\\" in name else name.strip("\"'")
        for name in re.findall(_KEY, dotted)
    )


def _statements(text: str) -> Iterator[tuple[int, str]]:
    """The numbered lines of `text` that start a header or a key, not inside a value: a string
    or an array can go on over several lines."""
    closing: str | None = None  # the quotes that end the multi-line string a line starts in
    depth = 0  # of the arrays and inline tables a line starts in
    for number, line in enumerate(text.splitlines(), start=1):
        position = 0
        if closing is not None:
            end = line.find(closing)
            if end < 0:
                continue
            position, closing = end + 3, None
        elif depth == 0:
            yield number, line
        while closing is None and (token := _TOKEN.search(line, position)) is not None:
            found, position = token.group(), token.end()
            if found == "#":
                break
            if found in ('"""', "'''"):
                end = line.find(found, position)
                if end < 0:
                    closing = found
                else:
                    position = end + 3
            elif found in ("[", "{"):
                depth += 1
            elif found in ("]", "}"):
                depth -= 1
