"""A journey as YAML written the way a person writes it, from plain data in key order.

The callers (the Mermaid and spreadsheet importers) build the data in the key order of
docs/format.md; this module only lays it out:

- the schema modeline first, where the project keeps a copy of the schema, so that editors
  complete and check the file;
- block style, with flow style for short things: a mapping of a few plain values (`{persona:
  maya, text: ...}`, an emotion per persona) and a list of single words (`personas: [maya,
  sam]`), when it fits on its line;
- personas, channels, stages and touchpoints always in block style: people add fields to them;
- quotes only where YAML would misread the text (pyyaml's own analysis decides, so a value
  like `yes`, `2025-01-31`, `12`, `a: b`, `#x` or `- x` is quoted; jmap reads YAML 1.2, other
  tools 1.1, and both read every value back as the text it is).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from jmap.loading.yaml_reader import CORE_RESOLVERS

# A person keeps a line shorter than this; longer flow collections go to block style.
_WIDTH = 100
# The items of these lists are things a person adds fields to: always written as blocks.
_BLOCK_ITEMS = frozenset({"personas", "channels", "stages", "touchpoints"})
_FLOW_KEYS = 3  # at most this many keys in a flow mapping
# What a plain scalar may not hold inside `{...}` or `[...]`.
_FLOW_INDICATORS = frozenset(",[]{}")
# What jmap's reader (YAML 1.2 core schema) reads as other than text, when plain: `1e3` is a
# number there though pyyaml (YAML 1.1) would write it plain.
_NOT_TEXT = [re.compile(pattern) for _, pattern, _ in CORE_RESOLVERS]


# Where a project keeps its copy of the schema (`jmap schema -o schema/jmap.schema.json`), and
# what ends a search for it: a modeline never points outside the project.
SCHEMA_COPY = Path("schema") / "jmap.schema.json"
_PROJECT_MARKERS = ("pyproject.toml", ".git", "jmap.toml")


def schema_modeline(target: Path) -> str | None:
    """The editor's modeline for a journey written at `target`: the relative path to the
    project's copy of the schema, found from the target's folder up to the project's root.

    Not the schema's `$id`: that is a name, not an address, and an editor would try to fetch
    it. None where the project keeps no copy: then editor settings map the files instead
    (docs/format.md)."""
    folder = target.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / SCHEMA_COPY).is_file():
            relative = os.path.relpath(candidate / SCHEMA_COPY, folder)
            return f"# yaml-language-server: $schema={Path(relative).as_posix()}"
        if any((candidate / marker).exists() for marker in _PROJECT_MARKERS):
            return None
    return None


def journey_yaml(data: dict[str, Any], modeline: str | None = None) -> str:
    """The journey file's text: the modeline, then `data` as YAML, ending with a newline."""
    return "\n".join([*([modeline] if modeline else []), *_mapping(data, 0)]) + "\n"


def _mapping(data: dict[str, Any], indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for key, value in data.items():
        head = f"{pad}{_scalar(key)}:"
        lines.extend(_value(head, key, value, indent))
    return lines


def _value(head: str, key: str, value: Any, indent: int) -> list[str]:
    """`head` (a `key:` or a `- `) followed by `value`, inline or on the lines below."""
    if isinstance(value, dict):
        flow = _flow_mapping(value)
        if flow is not None and len(head) + 1 + len(flow) <= _WIDTH:
            return [f"{head} {flow}"]
        return [head, *_mapping(value, indent + 2)]
    if isinstance(value, list):
        if not value:
            return [f"{head} []"]
        flow = _flow_list(value)
        if flow is not None and len(head) + 1 + len(flow) <= _WIDTH:
            return [f"{head} {flow}"]
        return [head, *_items(key, value, indent + 2)]
    return [f"{head} {_scalar(value)}"]


def _items(key: str, values: list[Any], indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for value in values:
        if isinstance(value, dict) and (key in _BLOCK_ITEMS or _flow_mapping(value) is None):
            # `- first: ...` then the other keys under it, two spaces in.
            inner = _mapping(value, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines.extend(inner[1:])
        else:
            lines.extend(_value(f"{pad}-", key, value, indent))
    return lines


def _flow_mapping(value: dict[str, Any]) -> str | None:
    if not value or len(value) > _FLOW_KEYS or not all(_is_scalar(v) for v in value.values()):
        return None
    return (
        "{"
        + ", ".join(f"{_scalar(k, flow=True)}: {_scalar(v, flow=True)}" for k, v in value.items())
        + "}"
    )


def _flow_list(values: list[Any]) -> str | None:
    # Single words read well in a row (`[maya, sam]`); sentences read better one per line.
    if not all(_is_scalar(v) and not (isinstance(v, str) and " " in v) for v in values):
        return None
    return "[" + ", ".join(_scalar(v, flow=True) for v in values) + "]"


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _scalar(value: Any, *, flow: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if "\n" in text or (flow and any(char in text for char in _FLOW_INDICATORS)):
        return _double_quoted(text)
    # pyyaml quotes what a YAML 1.1 reader would misread (yes, no, on, 12, 2025-01-31, `a: b`,
    # `#x`, `- x`, leading or trailing spaces); YAML 1.2 reads fewer values as other types.
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1_000_000, default_flow_style=None)
    dumped = dumped.removesuffix("\n...\n").removesuffix("\n")
    if "\n" in dumped:
        return _double_quoted(text)
    if any(pattern.match(dumped) for pattern in _NOT_TEXT):
        return f"'{text}'"
    if flow and not _reads_back_in_flow(dumped, text):
        return _double_quoted(text)
    return dumped


def _reads_back_in_flow(written: str, text: str) -> bool:
    """Whether `written`, plain in a flow collection, reads back as `text`: pyyaml judges a
    plain scalar for block context, where `:0` is text, but in `[...]` it is not."""
    try:
        return bool(yaml.safe_load(f"[{written}]") == [text])
    except yaml.YAMLError:
        return False


def _double_quoted(text: str) -> str:
    dumped = yaml.safe_dump(text, allow_unicode=True, width=1_000_000, default_style='"')
    return dumped.removesuffix("\n...\n").removesuffix("\n")
