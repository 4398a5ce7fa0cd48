"""Walking a tree given as a parent map ({id: parent id or None}), the one way every tree of
the project (categories, mostly) is walked. Safe on a broken map: a cycle ends the walk."""

from collections.abc import Mapping


def path_to(node_id, parent_of: Mapping) -> tuple:
    """The ids from the root down to `node_id` itself; `()` for None."""
    path, seen = [], set()
    while node_id is not None and node_id not in seen:
        seen.add(node_id)
        path.append(node_id)
        node_id = parent_of.get(node_id)
    return tuple(reversed(path))


def descendants(node_id, parent_of: Mapping) -> list:
    """`node_id` and every id below it, parents before their children."""
    children: dict = {}
    for child, parent in parent_of.items():
        children.setdefault(parent, []).append(child)
    found, stack, seen = [], [node_id], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        found.append(current)
        stack.extend(children.get(current, []))
    return found
