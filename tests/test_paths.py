"""The journey's paths: the main path, the branches that leave and rejoin it, and the curves,
averages and lowest points that follow them (jmap.paths, jmap.view)."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import jmap
from jmap.paths import branches, successors
from jmap.view import JourneyView, TouchpointView, journey_view

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def view_of(tmp_path: Path, touchpoints: str) -> JourneyView:
    """A one-stage journey of the touchpoints given in YAML (indented as a stage's list)."""
    text = "jmap: 1\nid: j\ntitle: J\nstages:\n  - id: s\n    name: S\n    touchpoints:\n"
    text += textwrap.indent(textwrap.dedent(touchpoints), "      ")
    path = tmp_path / "j.yaml"
    path.write_text(text, encoding="utf-8")
    return journey_view(jmap.load(path))


def ids(touchpoints: Sequence[TouchpointView]) -> list[str]:
    return [tp.id for tp in touchpoints]


def test_a_dropped_call_is_a_branch_not_a_step_after_the_agreement() -> None:
    view = journey_view(jmap.load(EXAMPLES / "omnichannel-support.yaml"))
    main, branch = view.paths
    assert main.is_main
    assert main.name == "main path"
    assert "agrees-replacement" in ids(main.touchpoints)
    assert "call-drops" not in ids(main.touchpoints)
    assert ids(branch.touchpoints) == ["call-drops", "gets-callback"]
    assert branch.fork is not None
    assert branch.fork.id == "explains-to-agent"
    assert branch.rejoin is not None
    assert branch.rejoin.id == "gets-confirmation-email"
    assert branch.name == "The transfer drops the call"
    # The way through the branch goes around the agreement, not through it.
    way = ids(branch.way)
    assert "agrees-replacement" not in way
    assert way.index("explains-to-agent") + 1 == way.index("call-drops")
    assert way[-1] == main.way[-1].id
    (curve,) = view.curves
    assert curve.branched
    main_line, branch_line = curve.segments
    assert "call-drops" not in ids([p.touchpoint for p in main_line.points])
    assert branch_line.start is not None
    assert branch_line.start.touchpoint.id == "explains-to-agent"
    assert branch_line.end is not None
    assert branch_line.end.touchpoint.id == "gets-confirmation-email"


def test_averages_are_per_path(tmp_path: Path) -> None:
    view = view_of(
        tmp_path,
        """\
        - {id: a, name: A, emotion: 4, next: [b, {to: x, when: It fails}]}
        - {id: b, name: B, emotion: 4, next: [c]}
        - {id: x, name: X, emotion: 1}
        - {id: c, name: C, emotion: 4}
        """,
    )
    (curve,) = view.curves
    assert [(a.path.name, a.average) for a in curve.averages] == [
        ("main path", 4.0),
        ("It fails", 3.0),  # a, x, c: the branch's way, not every point of the file
    ]
    assert curve.average == 4.0
    assert [p.touchpoint.id for p in curve.lowest] == ["x"]
    assert curve.lowest[0].touchpoint.path is view.paths[1]


def test_a_journey_without_next_is_one_path_in_file_order(tmp_path: Path) -> None:
    view = view_of(
        tmp_path,
        """\
        - {id: a, name: A, emotion: 2}
        - {id: b, name: B, emotion: 4}
        """,
    )
    assert len(view.paths) == 1
    assert not view.has_branches
    assert ids(view.paths[0].way) == ["a", "b"]
    assert view.curves[0].average == 3.0
    assert not view.curves[0].branched


def test_a_branch_without_when_is_named_by_its_first_touchpoint(tmp_path: Path) -> None:
    view = view_of(
        tmp_path,
        """\
        - {id: a, name: A, next: [b, x]}
        - {id: b, name: B, next: []}
        - {id: x, name: Calls again}
        """,
    )
    assert [p.name for p in view.paths] == ["main path", "via Calls again"]
    assert view.paths[1].rejoin is None  # the last touchpoint: it ends


def test_a_touchpoint_no_route_reaches_is_a_path_of_its_own(tmp_path: Path) -> None:
    view = view_of(
        tmp_path,
        """\
        - {id: a, name: A, next: [c]}
        - {id: b, name: B}
        - {id: c, name: C}
        """,
    )
    assert [ids(p.touchpoints) for p in view.paths] == [["a", "c"], ["b"]]
    orphan = view.paths[1]
    assert orphan.fork is None
    assert orphan.rejoin is not None
    assert orphan.rejoin.id == "c"


def test_skips_and_loops_start_no_branch(tmp_path: Path) -> None:
    view = view_of(
        tmp_path,
        """\
        - {id: a, name: A}
        - {id: b, name: B, next: [c, a]}
        - {id: c, name: C, next: [d, a]}
        - {id: d, name: D}
        """,
    )
    assert len(view.paths) == 1
    assert ids(view.paths[0].way) == ["a", "b", "c", "d"]


# Any graph: each node leads to 0-3 nodes (or to the next one, where `next` is unwritten).
graphs = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.lists(
        st.one_of(st.none(), st.lists(st.integers(0, n - 1), max_size=3, unique=True)),
        min_size=n,
        max_size=n,
    )
)


@settings(max_examples=300, deadline=None)
@given(graphs)
def test_every_touchpoint_is_on_one_path_and_every_way_follows_routes(
    written: list[list[int] | None],
) -> None:
    edges = successors(written)
    found = branches(edges)
    members = [m for b in found for m in b.members]
    assert sorted(members) == list(range(len(edges)))  # each exactly once
    assert found[0].members[0] == 0
    assert found[0].fork is None
    for b in found:
        for here, there in zip(b.members, b.members[1:], strict=False):
            assert edges[here][0] == there  # a path takes first routes
        if b.fork is not None:
            assert b.route is not None
            assert b.route > 0
            assert edges[b.fork][b.route] == b.members[0]
        if b.rejoin is not None:
            assert edges[b.members[-1]][0] == b.rejoin
            assert b.rejoin not in b.members
        way = b.way
        assert len(set(way)) == len(way)  # a way never loops
        start = way.index(b.members[0])
        assert tuple(way[start : start + len(b.members)]) == b.members
        for here, there in itertools.pairwise(way):
            assert there in edges[here]  # a way only takes routes the journey has
