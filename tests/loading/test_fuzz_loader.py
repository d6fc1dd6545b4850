"""The loader fuzzing harness (tests/fuzz_loader.py), run briefly with every test run.

At most 300 inputs from each source, and `JMAP_FUZZ_SECONDS` (30 by default) in all; the
harness's docstring says how to fuzz for longer.
"""

from __future__ import annotations

import pytest

from tests.fuzz_loader import PARSERS, SECONDS, SMALL, SOURCES, check, fuzz


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_the_loader_survives_fuzzing(name: str) -> None:
    fuzz(SOURCES[name], examples=300, seconds=SECONDS / len(SOURCES))


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe\x00",
        "jmap: 1\ntitle: &a [*a]\n",
        "jmap: 1\ntitle: t\nstages: [{name: A}]\n" + "x: " * 30,
        "jmap: 1\ntitle: t\ninclude: [loop.yaml, chain.yaml, ../up.yaml, /abs.yaml]\n",
        "jmap: 1\ntitle: t\nid: con\nstages: [{name: A, touchpoints: [{name: a}] }]\n",
        "jmap: 1\ntitle: t\nkpi: " + "9" * 5000 + "\nstages: [{name: A}]\n",
        'jmap: 1\ntitle: "\\ud83d\\ude00 \\ud83d \\U00110000"\nstages: [{name: A}]\n',
        'jmap: 1\ntitle: t\nid: "\\e[2J\\n"\nstages: [{name: A}]\n',
    ],
    ids=[
        *("bytes", "self-alias", "colons", "includes", "device-id", "huge-integer"),
        *("unicode-escapes", "escape-sequence"),
    ],
)
@pytest.mark.parametrize("parser", PARSERS)
def test_inputs_the_fuzzer_is_built_around_are_handled(raw: str | bytes, parser: str) -> None:
    check(raw, parser=parser)
    check(raw, SMALL, parser)
