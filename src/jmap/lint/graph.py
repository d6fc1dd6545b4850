"""The `next` graph of a journey: loops a customer cannot leave, and where each curve goes next."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def traps(edges: Sequence[Sequence[int]]) -> list[list[int]]:
    """Loops with no way out: strongly connected sets of nodes that no edge leaves.

    `edges[n]` lists the nodes that node `n` leads to. A single node is a loop only when it
    leads to itself. Each trap is sorted, and traps come in the order of their first node.
    """
    found = []
    for component in strongly_connected(edges):
        members = set(component)
        looped = len(component) > 1 or component[0] in edges[component[0]]
        leaves = any(target not in members for node in component for target in edges[node])
        if looped and not leaves:
            found.append(sorted(component))
    return sorted(found)


def strongly_connected(edges: Sequence[Sequence[int]]) -> list[list[int]]:
    """Tarjan's algorithm, iterative: a long `next` chain must not hit the recursion limit."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(len(edges)):
        if root in index:
            continue
        work: list[tuple[int, int]] = [(root, 0)]  # (node, next edge to look at)
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            descended = False
            targets = edges[node]
            while position < len(targets):
                target = targets[position]
                position += 1
                if target not in index:
                    work.append((node, position))
                    work.append((target, 0))
                    descended = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if descended:
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def nearest(start: int, edges: Sequence[Sequence[int]], scored: Callable[[int], bool]) -> list[int]:
    """The nodes after `start` that are `scored`, passing through those that are not.

    An emotion curve skips touchpoints without an emotion, so the next point of a curve after
    a touchpoint is the first touchpoint with a score on each path that leaves it.
    """
    found: list[int] = []
    seen = {start}
    queue = list(edges[start])
    while queue:
        node = queue.pop(0)
        if node in seen:
            continue
        seen.add(node)
        if scored(node):
            found.append(node)
        else:
            queue.extend(edges[node])
    return sorted(found)
