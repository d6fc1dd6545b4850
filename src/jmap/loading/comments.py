"""Comments that cut a text short: in YAML, ` #` starts a comment, also inside plain text.

`name: Calls line #2 after the chat fails` is the name "Calls line", and every map would show
it so without a sign. The reader records each comment that follows a plain text value on its
line (jmap.loading.values); one is reported when it most likely holds words the user meant to
keep: it follows the text after a single space or tab, and the field takes free text (the JSON
Schema's string with no pattern, format or list of words: a name, a thought, a description).
A comment set off by two or more spaces is clearly one, by the common convention (yamllint's
default `min-spaces-from-content: 2`), and so is any comment after a score, an id, a label, a
date, a duration, a number or a value in quotes. docs/format.md (Reading rules) states the rule.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from jmap.loading.document import Comment, Path
from jmap.loading.limits import Limits

# What `comments_after_text` may be set to (`[tool.jmap]`, jmap.config): report these
# comments as errors, or allow them.
SETTINGS = ("error", "allow")
SHOWN = 40  # characters of a comment a message quotes


def cut_texts(comments: dict[Path, Comment], limits: Limits) -> list[tuple[Path, Comment, str]]:
    """The comments that cut a text field short, each with its path, and the message to show."""
    if limits.comments_after_text == "allow" or not comments:
        return []
    return [
        (path, comment, _message(comment))
        for path, comment in comments.items()
        if comment.gap == 1 and takes_text(path)
    ]


def _message(comment: Comment) -> str:
    kept = comment.text if len(comment.text) <= SHOWN else comment.text[:SHOWN] + "..."
    return (
        "the text ends here: ' #' starts a YAML comment, even in unquoted text;"
        f" quote the text to keep '{kept}' (for a comment, put two spaces before the '#')"
    )


def takes_text(path: Path) -> bool:
    """Whether the value at `path` of a journey is free text, by the journey's JSON Schema."""
    schema = _schema()
    nodes = [schema]
    for part in path:
        nodes = [child for node in _alternatives(schema, nodes) for child in _step(node, part)]
    return any(_is_free_text(node) for node in _alternatives(schema, nodes))


@functools.cache
def _schema() -> dict[str, Any]:
    # Built only when a file has a comment after a text (it takes some tens of milliseconds).
    from jmap.schema import journey_schema

    return journey_schema()


def _alternatives(schema: dict[str, Any], nodes: list[Any]) -> Iterator[dict[str, Any]]:
    """Each schema a value may match, with references followed and unions opened."""
    pending = list(nodes)
    while pending:
        node = pending.pop()
        if not isinstance(node, dict):
            continue
        if "$ref" in node:
            pending.append(schema["$defs"][node["$ref"].rsplit("/", 1)[-1]])
        for union in ("anyOf", "oneOf", "allOf"):
            pending.extend(node.get(union, []))
        yield node


def _step(node: dict[str, Any], part: str | int) -> list[Any]:
    """The schemas of the value one step into `node`: a list's item, or a mapping's key."""
    if isinstance(part, int):
        return [node["items"]] if "items" in node else []
    properties = node.get("properties", {})
    if part in properties:
        return [properties[part]]
    found = list(node.get("patternProperties", {}).values())
    extra = node.get("additionalProperties")
    return [*found, extra] if isinstance(extra, dict) else found


def _is_free_text(node: dict[str, Any]) -> bool:
    return node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(node)
