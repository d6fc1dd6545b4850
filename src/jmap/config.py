"""Project configuration: `[tool.jmap]` in pyproject.toml, or a jmap.toml.

Found by walking up from the working directory, like ruff and black find theirs, so `jmap build`
with no arguments does the same thing anywhere in a repository. Paths in it are relative to the
file that holds them. Unknown keys are errors with file and line, like journey errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jmap.errors import JmapError, did_you_mean
from jmap.limits import DEEPEST, DEFAULT_LIMITS, LIMIT_NAMES, Limits

CONFIG_FILES = ("jmap.toml", "pyproject.toml")
KEYS = ("paths", "output", "formats", "engine", "templates", "jobs", "lint", "limits")
_GLOB_CHARACTERS = re.compile(r"[*?\[]")


class ConfigError(JmapError):
    """The project configuration cannot be used; the message names file, line and column."""

    exit_code = 2


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
    import tomllib  # only where there is a file to read

    text = file.read_text(encoding="utf-8")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_toml_problem(file, text, str(error))) from None
    if file.name == "pyproject.toml":
        table = document.get("tool", {}).get("jmap")
        header = "[tool.jmap]"
        if table is None:
            return None
    else:
        table, header = document, None
    return _parse(file, text, header, table)


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


def _parse(file: Path, text: str, header: str | None, table: dict[str, Any]) -> ProjectConfig:
    def fail(key: str, message: str) -> ConfigError:
        line = _line_of(text, header, key)
        return ConfigError(f"{file}:{line}:1: error: {message}")

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
        values["lint_line"] = _line_of(text, header, "lint")
    if "limits" in table:
        values["limits"] = _limits(file, text, header, table["limits"])
    return ProjectConfig(file=file, **values)


def _limits(file: Path, text: str, header: str | None, table: Any) -> Limits:
    """The [tool.jmap.limits] table (`[limits]` in jmap.toml): any limit, as a whole number."""
    inner = "[limits]" if header is None else f"{header[:-1]}.limits]"

    def fail(key: str | None, message: str) -> ConfigError:
        # A [tool.jmap.limits] section, a dotted `limits.max_x = ...`, or an inline table.
        places = [(inner, key), (header, f"limits.{key}")] if key else []
        found = (_find_line(text, section, name) for section, name in places)
        line = next((number for number in found if number), None)
        line = line or _line_of(text, header, "limits")
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


def _line_of(text: str, header: str | None, key: str) -> int:
    """The line where `key = ...` is set inside the table (tomllib keeps no positions)."""
    return _find_line(text, header, key) or 1


def _find_line(text: str, header: str | None, key: str) -> int | None:
    lines = text.splitlines()
    inside = header is None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = header is not None and stripped.replace(" ", "") == header
            continue
        if inside and re.match(rf"""^["']?{re.escape(key)}["']?\s*=""", stripped):
            return number
    return None


_UNSET = ProjectConfig(file=Path())


def configured_limits(config: ProjectConfig | None = _UNSET) -> Limits:
    """The limits journeys are loaded with: the defaults, with what the config raises."""
    if config is _UNSET:
        config = find_config(Path.cwd())
    return config.limits if config is not None else DEFAULT_LIMITS


def configured_paths(config: ProjectConfig | None = _UNSET) -> list[Path]:
    """The journeys a command without PATH works on: the config's `paths`, else `.`."""
    if config is _UNSET:
        config = find_config(Path.cwd())
    if config is not None and config.paths:
        return list(config.paths)
    return [Path()]
