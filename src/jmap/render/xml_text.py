"""Text that XML can carry: what every SVG output (the grid map, the flow graph) passes user
text through before escaping it.

A journey may hold control characters (YAML writes them as escapes, "\\x1b"), which XML cannot
carry even as character references, so an SVG holding one would not parse.
"""

from __future__ import annotations

import re

# What XML 1.0 forbids anywhere in a document, shown as the Unicode picture of that control
# character ("\x1b" as "␛"); U+FFFE and U+FFFF as the replacement character. Surrogates never
# get this far: the loader refuses text that holds one.
_NOT_XML = {code: 0x2400 + code for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}
_NOT_XML |= {0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}
_ANY_NOT_XML = re.compile("[" + "".join(map(chr, _NOT_XML)) + "]")


def xml_text(text: str) -> str:
    """Text with every character XML cannot hold replaced by a visible stand-in."""
    return text.translate(_NOT_XML) if _ANY_NOT_XML.search(text) else text
