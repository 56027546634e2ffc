"""Corridor status derived from control, on hand-made lines and grids (metres)."""

from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, box

from layers.analysis.corridors import derive, disagrees
from layers.pack import load_pack
from layers.summary import summarize
from layers.timeline import state_at

RING = Path(__file__).parent / "fixtures" / "packs" / "ring"


def allied(a, b):
    return a == b or {a, b} == {"red", "orange"}


def row(*cells):
    """A row of 1 km cells along x: each cell (actor, status) or None (no record)."""
    geoms = np.array([box(i * 1000, 0, (i + 1) * 1000, 1000) for i in range(len(cells))],
                     dtype=object)
    actor = np.array([c[0] if c else "" for c in cells], dtype=object)
    status = np.array([c[1] if c else "" for c in cells], dtype=object)
    return dict(tree=shapely.STRtree(geoms), unit_geoms=geoms, unit_actor=actor,
                unit_status=status, allied=allied, tol_m=10)


ROAD = LineString([(500, 500), (3500, 500)])  # crosses cells 0..3
B = ("blue", "controlled")
R = ("red", "controlled")
ORG = ("orange", "controlled")


def test_route_over_own_ground_is_open():
    assert derive(ROAD, ("blue",), **row(B, B, B, B)).status == "open"


def test_route_over_hostile_ground_is_cut_there():
    d = derive(ROAD, ("blue",), **row(B, R, B, B))
    assert d.status == "cut"
    assert [c.unit for c in d.cuts] == [1]
    assert d.cuts[0].actor == "red"
    assert abs(d.cuts[0].length_m - 1000) < 1
    assert d.cuts[0].geometry.bounds == (1000.0, 500.0, 2000.0, 500.0)


def test_allied_ground_does_not_cut():
    assert derive(ROAD, ("red",), **row(R, ORG, R, R)).status == "open"
    assert derive(ROAD, ("blue",), **row(B, ORG, B, B)).status == "cut"


def test_contested_ground_is_reported_but_not_cut():
    d = derive(ROAD, ("blue",), **row(B, ("", "contested"), B, B))
    assert d.status == "contested"
    assert [c.unit for c in d.contested] == [1]


def test_hostile_beats_contested():
    assert derive(ROAD, ("blue",), **row(B, ("", "contested"), R, B)).status == "cut"


def test_unmapped_or_unknown_ground_is_unknown_never_open():
    assert derive(ROAD, ("blue",), **row(B, None, B, B)).status == "unknown"
    assert derive(ROAD, ("blue",), **row(B, ("", "unknown"), B, B)).status == "unknown"
    off_map = LineString([(500, 500), (6000, 500)])  # runs past the last cell
    assert derive(off_map, ("blue",), **row(B, B, B, B)).status == "unknown"


def test_touching_a_hostile_cell_edge_is_no_cut():
    along_edge = LineString([(500, 1000), (1500, 1000)])  # on the border of cells, not inside
    d = derive(along_edge, ("blue",), **row(B, B, R, B))
    assert d.status != "cut"


def test_no_users_gives_unknown():
    assert derive(ROAD, (), **row(B, B, B, B)).status == "unknown"


def test_disagreement_rules():
    assert disagrees("open", "cut") is True
    assert disagrees("restricted", "cut") is True
    assert disagrees("closed", "cut") is False
    assert disagrees("closed", "open") is True
    assert disagrees("under_fire", "cut") is False
    assert disagrees("open", "unknown") is None


def test_pack_corridor_over_time():
    sc = load_pack(RING, places=({}, {}))
    c = state_at(sc, "2016-02-01").corridors.iloc[0]
    assert (c["status"], c["derived_status"], c["disagreement"]) == ("open", "open", "no")
    c = state_at(sc, "2016-03-05").corridors.iloc[0]
    assert (c["derived_status"], c["contested_at"]) == ("contested", "Ring 32")
    st = state_at(sc, "2016-04-05")
    c = st.corridors.iloc[0]
    assert (c["status"], c["derived_status"], c["disagreement"]) == ("open", "cut", "yes")
    assert c["cut_at"] == "Ring 32"
    assert list(st.cuts["place"]) == ["r-32"]
    # the cut stretch lies inside the cell it names
    cell = sc.geometries["r-32"]
    assert st.cuts.geometry.iloc[0].within(cell.buffer(1e-9))
    assert st.cuts.geometry.iloc[0].bounds == (37.03, 36.025, 37.04, 36.025)
    c = state_at(sc, "2016-05-05").corridors.iloc[0]
    assert (c["status"], c["derived_status"], c["disagreement"]) == ("closed", "cut", "no")


def test_summary_names_the_cut_with_a_point_on_it():
    s = summarize(load_pack(RING, places=({}, {})), "2016-04-05")
    (c,) = s["corridors"]
    assert c["derived_status"] == "cut" and c["disagreement"] is True
    (cut,) = c["cut_at"]
    assert cut["place"] == "r-32" and cut["actor"] == "red"
    lon, lat = cut["point"]
    assert 37.03 <= lon <= 37.04 and abs(lat - 36.025) < 1e-6
    assert 0.8 < cut["length_km"] < 1.0  # 0.01° of longitude at 36° N is about 0.9 km
