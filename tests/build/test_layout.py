"""The layout engine: many maps laid out in one run give the bytes one run per map gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from jmap.build.layout import Layout, LayoutError, layout_engine
from jmap.build.run import BuildOptions, build
from tests.helpers import journey_folder

GOOD = 'digraph g {{ a [label=<<B>{name}</B>>] a -> b [label="{name}"] }}'


def _dots(count: int) -> list[str]:
    return [GOOD.format(name=f"node {number}") for number in range(count)]


def test_prepared_maps_are_what_one_run_per_map_writes() -> None:
    alone = [layout_engine("pure")(dot) for dot in _dots(3)]
    engine = layout_engine("pure")
    engine.prepare(_dots(3))
    assert [engine(dot) for dot in _dots(3)] == alone
    assert all(svg.startswith("<?xml") for svg in alone)


def test_a_map_that_fails_in_a_batch_fails_alone_and_the_others_lay_out() -> None:
    engine = layout_engine("pure")
    dots = _dots(2)
    broken = "digraph g { a -> }"
    engine.prepare([dots[0], broken, dots[1]])
    assert engine(dots[0]).startswith("<?xml")
    with pytest.raises(LayoutError, match=r"graphviz-pure failed to lay out the map: .*syntax"):
        engine(broken)
    assert engine(dots[1]).startswith("<?xml")


def test_maps_prepared_and_never_asked_for_are_forgotten() -> None:
    calls = []

    class Counting(Layout):
        def _one(self, dot_source: str) -> str:
            calls.append(dot_source)
            return super()._one(dot_source)

    engine = Counting(layout_engine("pure").command, "graphviz-pure")
    engine.prepare(_dots(2))
    engine(_dots(2)[0])
    assert calls == []  # ready: no second run
    engine.forget()
    engine(_dots(2)[1])
    assert calls == [_dots(2)[1]]


def test_a_build_in_batches_writes_what_one_journey_at_a_time_writes(tmp_path: Path) -> None:
    journeys = tmp_path / "journeys"
    sources = journey_folder(journeys, 5)
    # Two journeys with one id in the same batch: the second is refused, the first's maps stay
    # its own (each journey's outputs are kept apart within a batch).
    (journeys / "z.yaml").write_text(
        (journeys / "journey-001.yaml").read_text("utf-8").replace("Journey 1", "Twin")
        + "id: journey-001\n",
        encoding="utf-8",
    )
    outputs = {}
    for jobs in (1, 2):
        output = tmp_path / f"maps-{jobs}"
        report = build([journeys], BuildOptions(output=output, jobs=jobs))
        assert [built.source for built in report.failed] == [str(journeys / "z.yaml")]
        outputs[jobs] = {path.name: path.read_bytes() for path in sorted(output.iterdir())}
    alone = tmp_path / "alone"
    for source in sources:
        build([source], BuildOptions(output=alone, jobs=1))
    assert outputs[1] == outputs[2]
    for name, content in outputs[1].items():
        if name.startswith("journey-") and name.endswith((".svg", ".html")):
            assert (alone / name).read_bytes() == content, name
    assert b"Twin" not in outputs[1]["journey-001.svg"]
