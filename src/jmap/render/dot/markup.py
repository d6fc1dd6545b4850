"""The pieces of Graphviz HTML-like labels: tables, cells, fonts and wrapped lines.

Graphviz reads every label again for each edge that ends at a port of it, so the bytes of a
card are paid for many times over: the markup here leaves out what Graphviz would assume
anyway (an attribute at its default, the alignment of a line that has nothing to align with)
and draws the same map from less text.

Attribute values are the map's own constants (colours, sizes, port names), never user text,
so they are written as they are; user text reaches a label only through `lines` or
`text.label_text`, which escape it.
"""

from __future__ import annotations

from collections.abc import Iterable

from jmap.palette import SVG
from jmap.render.dot.style import WRAP
from jmap.render.dot.syntax import Html
from jmap.render.dot.text import label_text, wrap

# Ends a line and aligns it to the left: a <BR> aligns the line before it, not the one after.
LEFT_BREAK = '<BR ALIGN="LEFT"/>'

_TABLE_DEFAULTS = {"BORDER": 1, "CELLBORDER": 0, "CELLSPACING": 0, "CELLPADDING": 5}
# What Graphviz assumes for a table that does not say: written out, it would only cost bytes.
_GRAPHVIZ_TABLE_DEFAULTS = {"BORDER": 1, "CELLSPACING": 2, "CELLPADDING": 2}
_INLINE_ENDS = frozenset(("</B>", "</I>", "</FONT>", "</U>", "</O>", "</S>", "</SUB>", "</SUP>"))


def html_label(table: str) -> Html:
    """A table as a label value: Graphviz reads it as HTML-like."""
    return Html(table)


def table(rows: Iterable[str], **attributes: object) -> str:
    merged = {**_TABLE_DEFAULTS, **attributes}
    written = {
        name: value
        for name, value in merged.items()
        if _GRAPHVIZ_TABLE_DEFAULTS.get(name, "") != value
    }
    return f"<TABLE{_attributes(written)}>{''.join(rows)}</TABLE>"


def bare_table(rows: Iterable[str], **attributes: object) -> str:
    return table(rows, BORDER=0, CELLPADDING=2, **attributes)


def cell(content: str, **attributes: object) -> str:
    """A one-cell row. A card's first cell carries its WIDTH: a table's own WIDTH would widen
    the table but not the coloured cells in it."""
    return f"<TR>{_data_cell(content, attributes)}</TR>"


def side_by_side(parts: Iterable[str], spacing: int) -> str:
    cells = "".join([_data_cell(part, {"VALIGN": "TOP"}) for part in parts])
    return bare_table([f"<TR>{cells}</TR>"], CELLSPACING=spacing)


def font(content: str, size: int | None = None, colour: str | None = None) -> str:
    point_size = "" if size is None else f' POINT-SIZE="{size}"'
    color = "" if colour is None else f' COLOR="{colour}"'
    return f"<FONT{point_size}{color}>{content}</FONT>"


def heading(words: str, size: int = 10, colour: str = SVG.muted) -> str:
    return font(f"<B>{words}</B>", size, colour)


def lines(text: str, width: int = WRAP) -> str:
    """User text wrapped and escaped, each line left-aligned."""
    return "".join([f"{label_text(line)}{LEFT_BREAK}" for line in wrap(text, width)])


def _data_cell(content: str, attributes: dict[str, object]) -> str:
    """A <TD> with its content left-aligned, written as briefly as Graphviz allows.

    An empty cell needs no alignment. Of left-aligned lines, the last needs no break of its
    own once it is the only line (the cell aligns it) or the cell sets BALIGN="LEFT", which
    also lets every other break be a bare <BR/>.
    """
    if not content:
        return f"<TD{_attributes(attributes)}></TD>"
    breaks = content.count(LEFT_BREAK)
    if breaks > 1:
        content = _without_last_break(content.replace(LEFT_BREAK, "<BR/>"), "<BR/>")
        return f'<TD ALIGN="LEFT" BALIGN="LEFT"{_attributes(attributes)}>{content}</TD>'
    if breaks == 1:
        content = _without_last_break(content, LEFT_BREAK)
    return f'<TD ALIGN="LEFT"{_attributes(attributes)}>{content}</TD>'


def _without_last_break(content: str, line_break: str) -> str:
    """The content without the break that ends its last line, if that line has text of its
    own (an empty last line needs its break to take up its height)."""
    stop = len(content)
    while stop and content[stop - 1] == ">":
        end = content.rfind("</", 0, stop)
        if content[end:stop] not in _INLINE_ENDS:
            break
        stop = end
    start = stop - len(line_break)
    if start > 0 and content.startswith(line_break, start) and content[start - 1] != ">":
        return content[:start] + content[stop:]
    return content


def _attributes(attributes: dict[str, object]) -> str:
    return "".join([f' {name}="{value}"' for name, value in attributes.items()])
