"""The pieces of Graphviz HTML-like labels: tables, cells, fonts and wrapped lines."""

from __future__ import annotations

import html
from collections.abc import Iterable

from jmap.render.dot.style import MUTED, WRAP
from jmap.render.dot.text import label_text, wrap

# Ends a line and aligns it to the left: a <BR> aligns the line before it, not the one after.
LEFT_BREAK = '<BR ALIGN="LEFT"/>'


def html_label(table: str) -> str:
    """A table as a label value: in angle brackets, Graphviz reads it as HTML-like."""
    return f"<{table}>"


def table(rows: Iterable[str], **attributes: object) -> str:
    defaults = {"BORDER": 1, "CELLBORDER": 0, "CELLSPACING": 0, "CELLPADDING": 5}
    return f"<TABLE{_attributes({**defaults, **attributes})}>{''.join(rows)}</TABLE>"


def bare_table(rows: Iterable[str], **attributes: object) -> str:
    return table(rows, BORDER=0, CELLPADDING=2, **attributes)


def cell(content: str, **attributes: object) -> str:
    """A one-cell row. A card's first cell carries its WIDTH: a table's own WIDTH would widen
    the table but not the coloured cells in it."""
    return f"<TR><TD{_attributes({'ALIGN': 'LEFT', **attributes})}>{content}</TD></TR>"


def side_by_side(parts: Iterable[str], spacing: int) -> str:
    cells = "".join(f'<TD ALIGN="LEFT" VALIGN="TOP">{part}</TD>' for part in parts)
    return bare_table([f"<TR>{cells}</TR>"], CELLSPACING=spacing)


def font(content: str, size: int | None = None, colour: str | None = None) -> str:
    attributes: dict[str, object] = {}
    if size is not None:
        attributes["POINT-SIZE"] = size
    if colour is not None:
        attributes["COLOR"] = colour
    return f"<FONT{_attributes(attributes)}>{content}</FONT>"


def heading(words: str, size: int = 10, colour: str = MUTED) -> str:
    return font(f"<B>{words}</B>", size, colour)


def lines(text: str, width: int = WRAP) -> str:
    """User text wrapped and escaped, each line left-aligned."""
    return "".join(f"{label_text(line)}{LEFT_BREAK}" for line in wrap(text, width))


def _attributes(attributes: dict[str, object]) -> str:
    return "".join(
        f' {name}="{html.escape(str(value), quote=True)}"' for name, value in attributes.items()
    )
