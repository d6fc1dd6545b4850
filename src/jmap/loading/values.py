"""YAML nodes -> plain Python values, each value's and key's position recorded by its path.

YAML 1.2 core scalars (`no` stays text, `010` is ten), numbers that keep their spelling for
text fields, duplicate keys and merge keys refused, and the length and nesting limits applied.
The nodes come from jmap.loading.yaml_reader.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from jmap.loading.document import Comment, Lines, Path, Position, SourceError, written_number
from jmap.loading.indicators import quote_hint
from jmap.loading.limits import Limits, raise_hint

TAG = "tag:yaml.org,2002:"


class Builder:
    def __init__(self, limits: Limits, lines: Lines, text: str) -> None:
        self.limits = limits
        self.lines = lines
        self.text = text
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.comments: dict[Path, Comment] = {}

    def build(self, node: Node, path: Path) -> Any:
        if len(path) > self.limits.max_depth:
            # Aliases can nest deeper than the text does.
            raise SourceError(
                f"nesting deeper than {self.limits.max_depth} levels through aliases"
                f" (to allow more, {raise_hint('max_depth')})",
                *self.lines.of(node),
            )
        self.values.setdefault(path, Position(*self.lines.of(node)))
        if isinstance(node, ScalarNode):
            value = self._scalar(node)
            if isinstance(value, str) and not node.style:
                self._comment_after(node, path)
            return value
        if isinstance(node, SequenceNode):
            self._expect_tag(node, "seq")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        self._expect_tag(node, "map")
        return self._mapping(node, path)

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise SourceError(
                    "a key must be plain text, not a list or mapping", *self.lines.of(key_node)
                )
            # Keys are names, so they stay the text that was typed: `1:` is the key "1".
            key = self._text(key_node)
            here = Position(*self.lines.of(key_node))
            # A plain scalar's style is None from pyyaml, '' from libyaml.
            if key == "<<" and not key_node.style:
                raise SourceError(
                    "YAML merge keys ('<<') are not supported; repeat the values or use an alias",
                    here.line,
                    here.column,
                )
            if key in result:
                first = self.keys[(*path, key)]
                raise SourceError(
                    f"duplicate key '{key}' (first at line {first.line}, column {first.column});"
                    " keep only one",
                    here.line,
                    here.column,
                )
            self.keys[(*path, key)] = here
            result[key] = self.build(value_node, (*path, key))
        return result

    def _text(self, node: ScalarNode) -> str:
        """The scalar's text, within the length limit, surrogate pairs joined."""
        text: str = node.value
        length, limit = len(text), self.limits.max_text_length
        if length > limit:
            raise SourceError(
                f"this text is {length:,} characters long, over the limit of {limit:,};"
                f" shorten it, or {raise_hint('max_text_length')}",
                *self.lines.of(node),
            )
        if _SURROGATE.search(text):
            text = _join_surrogate_pairs(text, *self.lines.of(node))
        return text

    def _scalar(self, node: ScalarNode) -> Any:
        kind = node.tag.removeprefix(TAG) if node.tag.startswith(TAG) else node.tag
        text = self._text(node)
        if kind not in ("str", "null", "bool", "int", "float"):
            raise self._unsupported_tag(node)
        try:
            return _core_value(kind, text)
        except (KeyError, ValueError):
            raise self._not_a(kind, text, node) from None

    def _comment_after(self, node: ScalarNode, path: Path) -> None:
        """Record a comment that follows a plain text on its line: it may have cut the text.

        pyyaml keeps no comments, but a plain scalar's end mark is where its text stops, and
        only blanks and a comment may follow it on that line.
        """
        found = _COMMENT_AFTER.match(self.text, node.end_mark.index)
        if found:
            at = found.end() - 1
            line, column = self.lines.of_index(at)
            comment = _REST_OF_LINE.match(self.text, at)
            assert comment is not None  # it matches the empty string too
            gap = at - node.end_mark.index
            self.comments.setdefault(path, Comment(line, column, comment.group().rstrip(), gap))

    def _not_a(self, kind: str, text: str, node: ScalarNode) -> SourceError:
        most = sys.get_int_max_str_digits()  # Python reads no longer numbers: quadratic time
        if kind == "int" and most and len(text) > most:
            message = f"a number of {len(text):,} digits is longer than the {most:,} allowed"
            return SourceError(f"{message}; quote it if it is text", *self.lines.of(node))
        shown = text if len(text) <= 40 else text[:40] + "..."
        return SourceError(f"'{shown}' is not a valid !!{kind}", *self.lines.of(node))

    def _expect_tag(self, node: Node, kind: str) -> None:
        if node.tag != TAG + kind:
            raise self._unsupported_tag(node)

    def _unsupported_tag(self, node: Node) -> SourceError:
        shown = "!!" + node.tag.removeprefix(TAG) if node.tag.startswith(TAG) else node.tag
        # `unit: !important` is a tag to YAML, but most likely text to the one who wrote it.
        text = quote_hint(self.text, node.start_mark.index) if shown[1:2] != "!" else None
        fix = f"; {text.words} (or remove the tag)" if text else "; remove the tag"
        return SourceError(f"YAML tag '{shown}' is not supported{fix}", *self.lines.of(node))


def _core_value(kind: str, text: str) -> Any:
    """A scalar of one of the core schema's tags -> its value; numbers keep their spelling."""
    if kind == "str":
        return text
    if kind == "null":
        return None
    if kind == "bool":
        return {"true": True, "false": False}[text.lower()]
    if kind == "int":
        if text[:2] in ("0o", "0x"):
            return written_number(int(text[2:], 8 if text[1] == "o" else 16), text)
        return written_number(int(text), text)
    lowered = text.lower().lstrip("+")
    if lowered in (".inf", "-.inf"):
        return written_number(-math.inf if lowered.startswith("-") else math.inf, text)
    if lowered == ".nan":
        return written_number(math.nan, text)
    return written_number(float(text), text)


# Blanks and a '#' after a plain scalar: nothing else can follow one on its line, but a ':'
# (it was a key) or a flow indicator.
_COMMENT_AFTER = re.compile(r"[ \t]+#")
_REST_OF_LINE = re.compile(r"[^\r\n]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_PAIR = re.compile("([\ud800-\udbff])([\udc00-\udfff])")


def _join_surrogate_pairs(text: str, line: int, column: int) -> str:
    """Each pair of `\\u` escapes of a UTF-16 surrogate pair -> the one character they encode.

    YAML reads the escapes one by one, so an emoji JSON wrote as "\\ud83d\\ude00" arrives as two
    halves. A half on its own is no character at all, and no file could hold it.
    """
    joined = _SURROGATE_PAIR.sub(
        lambda pair: chr(0x10000 + (ord(pair[1]) - 0xD800) * 0x400 + ord(pair[2]) - 0xDC00), text
    )
    lone = _SURROGATE.search(joined)
    if lone:
        raise SourceError(
            f"the escape \\u{ord(lone.group()):04x} is half of a UTF-16 surrogate pair, not a"
            " character; write the character itself, or both halves of its pair",
            line,
            column,
        )
    return joined
