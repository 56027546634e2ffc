"""Encirclement on hand-made geometries whose answers are known (metres, projected)."""

from pathlib import Path

import numpy as np
from shapely.geometry import box

from layers.analysis.encirclement import encirclement
from layers.pack import load_pack
from layers.timeline import state_at

RING = Path(__file__).parent / "fixtures" / "packs" / "ring"
ALLIES = {frozenset({"red", "orange"})}


def allied(a, b):
    return a == b or any(a in g and b in g for g in ALLIES)


def grid(cells):
    """``cells``: {(i, j): (actor, status)} on a 1 km grid → arrays for :func:`encirclement`."""
    keys = sorted(cells)
    geoms = np.array([box(i * 1000, j * 1000, (i + 1) * 1000, (j + 1) * 1000) for i, j in keys],
                     dtype=object)
    actors = np.array([cells[k][0] for k in keys], dtype=object)
    status = np.array([cells[k][1] for k in keys], dtype=object)
    return keys, geoms, actors, status


def ring(core=("blue", "controlled"), gap=None, outer=False):
    """A core cell at (2, 2) inside a ring of red cells; ``gap`` replaces the east cell."""
    cells = {(2, 2): core}
    for i in (1, 2, 3):
        for j in (1, 2, 3):
            if (i, j) != (2, 2):
                cells[(i, j)] = ("red", "controlled")
    if gap is not None:
        if gap == "missing":
            del cells[(3, 2)]
        else:
            cells[(3, 2)] = gap
    if outer:
        for i in range(5):
            for j in range(5):
                cells.setdefault((i, j), ("red", "controlled"))
    return cells


def answer(cells, at=(2, 2)):
    """Encirclement of the (single-cell) zone at ``at``; ring cells are separate zones here,
    which does not change the answer for the core."""
    keys, geoms, actors, status = grid(cells)
    res = encirclement(geoms, actors, status, allied=allied, tol_m=10)
    return res[keys.index(at)]


def test_core_inside_a_hostile_ring_is_encircled():
    r = answer(ring())
    assert r.state is True
    assert r.by == ("red",)


def test_gap_of_own_ground_opens_the_ring():
    assert answer(ring(gap=("blue", "controlled"))).state is False


def test_gap_of_allied_ground_opens_the_ring():
    cells = ring(core=("orange", "controlled"), gap=("red", "controlled"))
    assert answer(cells).state is False  # orange and red are allied: red all round is friendly


def test_gap_of_hostile_ally_is_named_among_besiegers():
    r = answer(ring(gap=("orange", "controlled")))
    assert r.state is True
    assert r.by == ("orange", "red")


def test_contested_gap_still_encircles():
    r = answer(ring(gap=("", "contested")))
    assert r.state is True
    assert r.by == ("red",)


def test_gap_of_unknown_status_is_unknown_not_encircled():
    assert answer(ring(gap=("", "unknown"))).state == "unknown"


def test_gap_of_unmapped_ground_is_unknown():
    assert answer(ring(gap="missing")).state == "unknown"


def test_core_at_the_map_edge_is_unknown():
    cells = {(0, 0): ("blue", "controlled"), (1, 0): ("red", "controlled"),
             (0, 1): ("red", "controlled"), (1, 1): ("red", "controlled")}
    r = answer(cells, at=(0, 0))
    assert r.state == "unknown"


def test_corner_touch_of_own_ground_does_not_open_the_ring():
    # a blue cell touching the core only at a corner (diagonal) is no border
    cells = ring()
    cells[(3, 3)] = ("blue", "controlled")
    assert answer(cells).state is True


def test_sliver_between_hand_drawn_neighbours_is_tolerated():
    keys, geoms, actors, status = grid(ring(outer=True))
    core = keys.index((2, 2))
    geoms[core] = geoms[core].buffer(-5)  # a 5 m sliver all round, under the 10 m tolerance
    assert encirclement(geoms, actors, status, allied=allied, tol_m=10)[core].state is True
    assert encirclement(geoms, actors, status, allied=allied, tol_m=2)[core].state == "unknown"


def test_ground_not_held_has_no_answer():
    keys, geoms, actors, status = grid(ring(gap=("", "contested")))
    res = encirclement(geoms, actors, status, allied=allied, tol_m=10)
    assert res[keys.index((3, 2))].state is None


def test_pack_answers_over_time():
    sc = load_pack(RING, places=({}, {}))

    def core_zone(day):
        z = state_at(sc, day).zones
        return z[z["units"].str.split(";").apply(lambda u: "core" in u)].iloc[0]

    assert core_zone("2016-02-01")["encircled"] == "no"  # joined to the open east hills
    march = core_zone("2016-03-05")
    assert march["encircled"] == "yes"
    assert march["encircled_by"] == "orange;red"
    assert core_zone("2016-05-05")["encircled"] == "unknown"  # the west cell is unknown


def test_zone_at_map_edge_without_open_edge_is_unknown(tmp_path):
    import json
    import shutil

    pack = tmp_path / "ring"
    shutil.copytree(RING, pack)
    fc = json.loads((pack / "areas.geojson").read_text())
    for f in fc["features"]:
        f["properties"].pop("edge", None)
    (pack / "areas.geojson").write_text(json.dumps(fc))
    z = state_at(load_pack(pack, places=({}, {})), "2016-02-01").zones
    blue = z[z["actor"] == "blue"].iloc[0]
    assert blue["encircled"] == "unknown"


KINDS = [("blue", "controlled"), ("red", "controlled"), ("orange", "controlled"),
         ("", "contested"), ("", "unknown"), None]


def expected(cells, at, size):
    """Brute-force answer for one cell from its four edge neighbours."""
    actor = cells[at][0]
    i, j = at
    answers = set()
    for n in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
        inside = 0 <= n[0] < size and 0 <= n[1] < size
        other = cells.get(n) if inside else None
        if other is None or other[1] == "unknown":
            answers.add("unknown")
        elif other[1] == "controlled" and allied(actor, other[0]):
            answers.add(False)
        else:
            answers.add(True)
    if False in answers:
        return False
    return "unknown" if "unknown" in answers else True


def test_random_grids_match_the_rule():
    from hypothesis import given, settings
    from hypothesis import strategies as hs

    size = 4

    @settings(max_examples=60, deadline=None)
    @given(hs.lists(hs.sampled_from(KINDS), min_size=size * size, max_size=size * size))
    def check(kinds):
        cells = {(i, j): k for (i, j), k in zip(
            [(i, j) for i in range(size) for j in range(size)], kinds, strict=True) if k}
        if not cells:
            return
        keys, geoms, actors, status = grid(cells)
        res = encirclement(geoms, actors, status, allied=allied, tol_m=10)
        for k, r in zip(keys, res, strict=True):
            if cells[k][1] != "controlled":
                assert r.state is None
            else:
                assert r.state == expected(cells, k, size), (k, cells)

    check()
