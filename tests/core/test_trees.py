"""The one tree walk: paths from the root and everything below a node, safe on broken maps."""

from core.trees import descendants, path_to

PARENTS = {1: None, 2: 1, 3: 2, 4: 1, 5: None}


def test_the_path_runs_from_the_root_down_to_the_node():
    assert path_to(3, PARENTS) == (1, 2, 3)
    assert path_to(5, PARENTS) == (5,)
    assert path_to(None, PARENTS) == ()


def test_descendants_include_the_node_and_everything_below_it():
    assert sorted(descendants(1, PARENTS)) == [1, 2, 3, 4]
    assert descendants(3, PARENTS) == [3]


def test_a_cycle_ends_the_walk_instead_of_looping():
    cycle = {1: 2, 2: 1}
    assert set(path_to(1, cycle)) == {1, 2}
    assert sorted(descendants(1, cycle)) == [1, 2]
