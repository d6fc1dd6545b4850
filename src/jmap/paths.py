"""The ways through a journey: its main path and the branches that leave it and rejoin it.

The routes a touchpoint's `next` lists are alternatives: a customer takes one of them. So an
emotion curve, an average or a lowest point must follow a path, not the order of the file
(where a dropped call may be written after the agreement it is an alternative to).

The rule, in docs/format.md ("Paths") in words:

- The **main path** starts at the first touchpoint and takes each touchpoint's first route
  (the touchpoint after it in the file where `next` is not written) until a route ends the
  journey (`next: []`, or the last touchpoint) or comes back to a touchpoint already on it.
- Every other route that leads to a touchpoint on no path yet starts a **branch**, which
  follows the same rule until it reaches a touchpoint on a path (it *rejoins* there) or ends.
  Branches are found in the order of the paths they leave, then of their fork touchpoints.
- A touchpoint no route reaches starts a branch of its own, with no fork.
- A route between two touchpoints already on paths (a skip ahead, a loop back) starts no
  branch: maps draw it as a route, not as a piece of a curve.

Every touchpoint is on exactly one path. This module works on touchpoint positions only, so
that the view (jmap.view) and lint can share it without knowing each other's types.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Branch:
    """One path of a journey, as touchpoint positions (0-based, in file order)."""

    number: int  # 0 for the main path, then 1, 2, ... in the order found
    members: tuple[int, ...]  # its own touchpoints, in the order a customer meets them
    fork: int | None  # the touchpoint it leaves from; None for the main path or an orphan
    rejoin: int | None  # the touchpoint it comes back to; None where it ends
    route: int | None  # which of the fork's routes takes it (an index into its `next`)
    way: tuple[int, ...]  # the whole way through it, from a start to an end


def successors(routes: Sequence[Sequence[int] | None]) -> list[list[int]]:
    """Where each touchpoint leads: its routes, or the next touchpoint where `next` is unwritten.

    `routes[n]` is None where touchpoint n has no `next`, else the positions its routes lead to.
    """
    found = []
    for position, written in enumerate(routes):
        if written is not None:
            found.append(list(written))
        else:
            found.append([position + 1] if position + 1 < len(routes) else [])
    return found


def branches(edges: Sequence[Sequence[int]]) -> list[Branch]:
    """The main path and every branch of the journey whose touchpoint `n` leads to `edges[n]`."""
    if not edges:
        return []
    owner: dict[int, int] = {}  # touchpoint -> number of the path it is on
    found: list[Branch] = []

    def follow(start: int, fork: int | None, route: int | None) -> None:
        members = _walk(start, edges, stop=owner.keys())
        rejoin = None
        last_targets = edges[members[-1]]
        if last_targets and last_targets[0] in owner:
            rejoin = last_targets[0]
        number = len(found)
        for member in members:
            owner[member] = number
        found.append(Branch(number, tuple(members), fork, rejoin, route, ()))

    follow(0, None, None)
    done = 0
    while True:
        # Forks from the paths found so far, each path's touchpoints in order.
        while done < len(found):
            for member in found[done].members:
                for route, target in enumerate(edges[member]):
                    if route > 0 and target not in owner:
                        follow(target, member, route)
            done += 1
        orphan = next((n for n in range(len(edges)) if n not in owner), None)
        if orphan is None:
            break
        follow(orphan, None, None)
    # A branch leaves a path found before it, so its parent's way is always known by then.
    ways: list[Branch] = []
    for branch in found:
        ways.append(_with_way(branch, ways, edges))
    return ways


def _walk(start: int, edges: Sequence[Sequence[int]], stop: Container[int]) -> list[int]:
    """From `start`, each touchpoint's first route, until an end, a loop, or a node in `stop`."""
    members = [start]
    seen = {start}
    while True:
        targets = edges[members[-1]]
        if not targets or targets[0] in seen or targets[0] in stop:
            return members
        members.append(targets[0])
        seen.add(targets[0])


def _with_way(branch: Branch, earlier: list[Branch], edges: Sequence[Sequence[int]]) -> Branch:
    """The branch with the whole way through it: the way to its fork, then its own
    touchpoints, then from where it rejoins on by first routes to an end."""
    before: list[int] = []
    if branch.fork is not None:
        parent = next(b for b in earlier if branch.fork in b.members)
        before = list(parent.way[: parent.way.index(branch.fork) + 1])
    way = before + list(branch.members)
    if branch.rejoin is not None and branch.rejoin not in way:  # not a loop back
        way += _walk(branch.rejoin, edges, stop=set(way))
    return Branch(
        branch.number, branch.members, branch.fork, branch.rejoin, branch.route, tuple(way)
    )
