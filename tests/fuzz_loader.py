"""A fuzzing harness for the loader: whatever comes in, `jmap.loads` returns a journey or raises
`JourneyError` with located problems, in bounded time. Never another exception, never a hang.

Inputs come from three sources: arbitrary bytes; text made of YAML's punctuation and jmap's keys
(anchors, aliases, tags, block scalars, quotes, tabs, odd unicode); and the example journeys with
random edits. Included files come from a small in-memory tree, so `include:` is fuzzed as well.
Each input is read with one of the YAML parsers jmap can use (libyaml, when pyyaml has it, and
pyyaml's Python parser), drawn at random.

`make test` runs it briefly through tests/loading/test_fuzz_loader.py. To fuzz for longer, name this
file; each source then runs for a third of the time, with no cap on the number of inputs:

    JMAP_FUZZ_SECONDS=600 .venv/bin/pytest tests/fuzz_loader.py

Hypothesis saves a failing input in .hypothesis/ and tries it first on the next run.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jmap
from jmap.errors import Problem
from jmap.loading import yaml_reader as jmap_source
from jmap.loading.includes import Tree
from jmap.loading.limits import DEFAULT_LIMITS, Limits
from tests.helpers import ROOT

# Seconds of fuzzing in all; the loader takes milliseconds per input, so seconds, not the
# number of inputs, bound a long run.
SECONDS = float(os.environ.get("JMAP_FUZZ_SECONDS", "30"))
# A hostile input of a few KB must not take the loader more than this of the processor's time.
# Processor time, not the clock's: on a busy machine (the other test workers, other runs) the
# clock also counts the time the loader waited for a core.
PER_INPUT = 2.0
# Past this, an input is reported as a hang rather than waited for.
HANG = 20

TOKENS = [
    *(":", ": ", "-", "- ", "? ", ",", "[", "]", "{", "}", "[]", "{}"),
    *("&a ", "*a", "&b ", "*b", "*undefined", "<<: ", "!!str ", "!!map ", "!!seq ", "!!binary "),
    *("!!int ", "!local ", "!<tag:x> ", "%YAML 1.1\n", "---\n", "...\n", "#", " # comment"),
    *("|", "|-", "|+2", ">", ">-", '"', "'", "\\", '\\"', "\\u", "\\x", "\t", "\n", "\r\n", "  "),
    *("jmap", "jmap: 1\n", "title", "id", "name", "stages", "touchpoints", "personas"),
    *("channels", "emotion", "next", "pain_points", "opportunities", "answers", "include"),
    *("shared.yaml", "loop.yaml", "../up.yaml", "/abs.yaml", "con", "index"),
    *("null", "~", "true", "no", "1", "-3", "0x1F", "0o7", "1e400", ".nan", ".inf", "9" * 30),
    *("é", "店舗", "🙂", "\u200b", "\u2028", "\u0085", "\ufeff", "\x00", "\x07", "\ud800"),
    *("\\ud83d\\ude00", "\\ud83d", "\\U0010FFFF", "\\U00110000", "\r", "\x1b[2J"),
]

# Files an `include:` may name; the journey itself is "j.yaml" at the top of the tree.
FILES = {
    "shared.yaml": b"personas:\n  - {id: maya, name: Maya}\nchannels: [{name: Web}]\n",
    "loop.yaml": b"include: loop.yaml\npersonas: []\n",
    "chain.yaml": b"include: shared.yaml\nchannels: [{name: Store}]\n",
    "broken.yaml": b"personas: [\n",
    "not-utf8.yaml": b"personas: [{name: \xff}]\n",
}

SEEDS = [
    path.read_text(encoding="utf-8")
    for folder in (ROOT / "examples", ROOT / "src" / "jmap" / "templates" / "init")
    for path in sorted(folder.glob("*.yaml"))
]

# Small limits reach every limit's error with small inputs.
SMALL = Limits(
    max_file_bytes=2_000,
    max_depth=8,
    max_nodes=300,
    max_include_depth=1,
    max_touchpoints=3,
    max_text_length=40,
)

tokens = st.sampled_from(TOKENS) | st.text(max_size=4)
soups = st.lists(tokens, max_size=120).map("".join)


@st.composite
def journey_soups(draw: st.DrawFn) -> str:
    """Token soup after a valid start, so that it gets past the first checks more often."""
    start = draw(st.sampled_from(["", "jmap: 1\n", "jmap: 1\ntitle: t\n", "jmap: 1\nstages:\n"]))
    return start + draw(soups)


@st.composite
def mutated_examples(draw: st.DrawFn) -> str | bytes:
    """An example journey with a few random edits; sometimes as bytes with one byte changed."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        end = min(len(text), at + draw(st.integers(0, 80)))
        edit = draw(st.sampled_from(["insert", "delete", "repeat", "replace", "indent"]))
        if edit == "insert":
            text = text[:at] + draw(tokens) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[end:]
        elif edit == "repeat":
            text = text[:end] + text[at:end] * draw(st.integers(1, 20)) + text[end:]
        elif edit == "replace":
            text = text[:at] + draw(soups) + text[end:]
        else:
            line = text.rfind("\n", 0, at) + 1
            text = text[:line] + draw(st.sampled_from([" ", "  ", "\t", "- "])) + text[line:]
    if not draw(st.booleans()):
        return text
    raw = bytearray(text.encode("utf-8", "surrogatepass"))
    if raw:
        raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    return bytes(raw)


# Each YAML parser jmap can use: libyaml when pyyaml has it, and pyyaml's Python parser.
PARSERS = sorted(jmap_source.PARSERS)

SOURCES: dict[str, st.SearchStrategy[str | bytes]] = {
    "bytes": st.binary(max_size=3_000),
    "yaml-tokens": journey_soups(),
    "mutated-examples": mutated_examples(),
}


def check(raw: str | bytes, limits: Limits = DEFAULT_LIMITS, parser: str | None = None) -> None:
    """Load one input: a journey, or a JourneyError whose every problem is located.

    `parser` names the only YAML parser to use (see `jmap.loading.yaml_reader.PARSERS`); by
    default, jmap's.
    """
    started = time.thread_time()
    problems: list[Problem] = []
    with _hang_guard(HANG), _reading_with(parser):
        try:
            jmap.loads(raw, path="j.yaml", limits=limits, files=Tree("j.yaml", FILES.get))
        except jmap.JourneyError as error:
            problems = list(error.problems) or [Problem("?", 0, 0, "a JourneyError without one")]
    elapsed = time.thread_time() - started
    assert elapsed < PER_INPUT, f"loading took {elapsed:.2f} s of processor time"
    for problem in problems:
        assert problem.path in ("j.yaml", *FILES), problem
        assert problem.line >= 1, problem
        assert problem.column >= 1, problem
        assert problem.message.strip(), problem
        assert str(problem).isprintable(), problem


@contextmanager
def _reading_with(parser: str | None) -> Iterator[None]:
    every = jmap_source.PARSERS
    if parser is not None:
        jmap_source.PARSERS = {parser: every[parser]}
    try:
        yield
    finally:
        jmap_source.PARSERS = every


def fuzz(source: st.SearchStrategy[str | bytes], *, examples: int, seconds: float) -> None:
    """Feed inputs from `source` to the loader until `examples` were tried or `seconds` passed.

    Hypothesis has no time budget, so it runs in batches until the time is up; within a batch,
    inputs drawn after the deadline are skipped unloaded.
    """
    jmap.loads("jmap: 1\ntitle: t\nstages: [{name: A}]\n")  # imports and model building first
    stop = time.monotonic() + seconds
    left = examples
    while left > 0 and time.monotonic() < stop:
        batch = min(left, _BATCH)
        _run(source, batch, stop)
        left -= batch


_BATCH = 500


def _run(source: st.SearchStrategy[str | bytes], examples: int, stop: float) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(source, st.sampled_from([DEFAULT_LIMITS, SMALL]), st.sampled_from(PARSERS))
    def run(raw: str | bytes, limits: Limits, parser: str) -> None:
        if time.monotonic() < stop:
            check(raw, limits, parser)

    run()


@contextmanager
def _hang_guard(seconds: int) -> Iterator[None]:
    """Raise in the loader when an input takes `seconds`, so that the input gets reported."""
    if sys.platform == "win32":
        yield
        return

    def hung(number: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"the loader hung for {seconds} s on this input")

    previous: Callable[[int, FrameType | None], object] | int | None = signal.signal(
        signal.SIGALRM, hung
    )
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_fuzz_the_loader(name: str) -> None:
    fuzz(SOURCES[name], examples=10**9, seconds=SECONDS / len(SOURCES))
