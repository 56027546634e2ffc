"""The state at a date and the changes between dates, on the ring test pack."""

import json
import math
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
import shapely

from layers.catalog import find_scenario, load_scenario, scenario_info
from layers.pack import PlaceInfo, load_pack
from layers.timeline import changes, state_at

RING = Path(__file__).parent / "fixtures" / "packs" / "ring"


@pytest.fixture(scope="module")
def ring():
    return load_pack(RING, places=({}, {}))


def holder(sc, day, place):
    c = state_at(sc, day).control.set_index("id")
    return c.at[place, "actor"], c.at[place, "status"]


def test_control_intervals_are_half_open(ring):
    assert holder(ring, "2016-02-29", "r-32") == ("blue", "controlled")
    assert holder(ring, "2016-03-01", "r-32") == ("", "contested")
    assert holder(ring, "2016-03-31", "r-32") == ("", "contested")
    assert holder(ring, "2016-04-01", "r-32") == ("red", "controlled")


def test_before_any_record_nothing_is_mapped(ring):
    st = state_at(ring, "2015-12-31")
    assert st.control.empty and st.zones.empty


def test_dates_as_text_date_or_datetime(ring):
    a = state_at(ring, "2016-03-05").control
    b = state_at(ring, date(2016, 3, 5)).control
    c = state_at(ring, datetime(2016, 3, 5, 12)).control
    assert list(a["actor"]) == list(b["actor"]) == list(c["actor"])
    with pytest.raises(ValueError, match="not a date"):
        state_at(ring, "5 March 2016")


def test_layers_are_wgs84_with_provenance(ring):
    st = state_at(ring, "2016-04-05")
    for name, gdf in st.layers().items():
        assert gdf.crs.to_epsg() == 4326, name
        assert {"id", "sources"} <= set(gdf.columns), name
    row = st.control.set_index("id").loc["r-32"]
    assert row["sources"] == "mon-b"
    assert "Example Relief" in row["source_refs"] and "https://example.org/ring/2" in \
        row["source_refs"]
    assert (row["valid_from"], row["valid_to"]) == ("2016-04-01", "")


def test_state_is_cached_but_callers_get_copies(ring):
    st = state_at(ring, "2016-03-10")
    st.control.loc[:, "actor"] = "nobody"
    assert "nobody" not in set(state_at(ring, "2016-03-10").control["actor"])


def test_zone_area_is_equal_area_km2(ring):
    z = state_at(ring, "2016-03-05").zones
    core = z[z["units"] == "core"].iloc[0]
    # a 0.01° x 0.01° cell at 36.02-36.03° N on a sphere of the authalic radius
    r = 6371.007
    lat1, lat2 = math.radians(36.02), math.radians(36.03)
    expected = r * r * math.radians(0.01) * (math.sin(lat2) - math.sin(lat1))
    assert core["area_km2"] == pytest.approx(expected, rel=2e-3)


def test_zones_dissolve_connected_ground_per_actor(ring):
    z = state_at(ring, "2016-03-05").zones
    blue = z[z["actor"] == "blue"]
    assert sorted(blue["units"]) == ["core", "out-e"]  # two separate blue zones
    red = z[z["actor"] == "red"]
    assert len(red) == 1 and red.iloc[0]["area_km2"] == pytest.approx(19.0, rel=0.01)
    assert z.geometry.is_valid.all()


def test_siege_population_range_by_date(ring):
    assert state_at(ring, "2016-02-15").sieges.empty
    s = state_at(ring, "2016-03-10").sieges.iloc[0]
    assert (s["population_low"], s["population_high"]) == (1000, 1000)
    assert s["population_sources"] == "mon-a"
    s = state_at(ring, "2016-04-05").sieges.iloc[0]
    assert (s["population_low"], s["population_high"]) == (800, 1500)
    assert s["population_sources"] == "mon-a;mon-b"


def test_distance_to_nearest_open_crossing(ring):
    s = state_at(ring, "2016-04-05").sieges.iloc[0]
    assert s["nearest_open_crossing"] == "East gate"
    # core's east edge at 37.03° E to the gate at 37.045° E, along 36.025° N
    km = 0.015 * math.radians(1) * 6378.137 * math.cos(math.radians(36.025))
    assert s["nearest_open_crossing_km"] == pytest.approx(km, rel=5e-3)


def test_events_up_to_the_date(ring):
    ev = state_at(ring, "2016-03-11").events
    assert list(ev["id"]) == ["ev-1"] and list(ev["days_before"]) == [10]
    assert list(state_at(ring, "2016-04-20").events["id"]) == ["ev-1", "ev-2"]


def test_changes_between_dates(ring):
    ch = changes(ring, "2016-02-01", "2016-04-05")
    got = ch.control.set_index("id")[["actor_before", "actor_after", "status_after"]]
    assert sorted(got.index) == ["r-31", "r-32", "r-33"]
    assert tuple(got.loc["r-32"]) == ("blue", "red", "controlled")
    corr = ch.corridors.set_index("id").loc["east-road"]
    assert (corr["derived_status_before"], corr["derived_status_after"]) == ("open", "cut")
    assert list(ch.sieges["change"]) == ["began"]
    assert list(ch.events["id"]) == ["ev-1"]
    assert changes(ring, "2016-04-05", "2016-04-10").control.empty


def places_with_group_and_points():
    """A shared place table: a group of two ring cells and three point-only villages."""
    places = {
        "grp-east": PlaceInfo("East ring", units=("r-31", "r-33")),
        "v-a": PlaceInfo("Village A", lat=36.035, lon=37.045),
        "v-b": PlaceInfo("Village B", lat=36.015, lon=37.045),
        "v-c": PlaceInfo("Village C", lat=36.025, lon=37.048),
        "pop": PlaceInfo("Populated cell", population=1234),
    }
    return places, {}


def test_group_rows_expand_and_unit_rows_win(tmp_path):
    pack = tmp_path / "ring"
    shutil.copytree(RING, pack)
    with (pack / "control.csv").open("a") as fh:
        fh.write("grp-east,orange,controlled,2016-05-01,,day,day,low,mon-b,group row\n")
    sc = load_pack(pack, places=places_with_group_and_points())
    c = state_at(sc, "2016-05-10").control.set_index("id")
    # r-31 and r-33 have their own (red) rows in force: those win over the group row
    assert c.at["r-31", "actor"] == "red" and c.at["r-33", "actor"] == "red"


def test_group_row_applies_where_no_unit_row(tmp_path):
    pack = tmp_path / "ring"
    shutil.copytree(RING, pack)
    rows = [r for r in (pack / "control.csv").read_text().splitlines()
            if not r.startswith(("r-31", "r-33"))]
    rows.append("grp-east,orange,controlled,2016-01-01,,day,day,low,mon-b,group row")
    (pack / "control.csv").write_text("\n".join(rows) + "\n")
    sc = load_pack(pack, places=places_with_group_and_points())
    c = state_at(sc, "2016-02-01").control.set_index("id")
    assert c.at["r-31", "actor"] == "orange" and c.at["r-33", "actor"] == "orange"


def test_point_places_become_voronoi_cells_clipped_to_boundary(tmp_path):
    pack = tmp_path / "villages"
    shutil.copytree(RING, pack)
    man = json.loads((pack / "manifest.json").read_text())
    man["boundary"] = ["out-e"]  # clip to the east hills (a pack area)
    (pack / "manifest.json").write_text(json.dumps(man))
    with (pack / "control.csv").open("a") as fh:
        for v in ("v-a", "v-b", "v-c"):
            fh.write(f"{v},blue,controlled,2016-01-01,,day,day,low,mon-a,\n")
    sc = load_pack(pack, places=places_with_group_and_points())
    # the polygon unit out-e takes precedence, so the cells fill nothing of it...
    cells = {v: sc.geometries[v] for v in ("v-a", "v-b", "v-c")}
    assert all(g.area < 1e-12 for g in cells.values())
    # ...and without that polygon the three cells tile the boundary
    rows = [r for r in (pack / "control.csv").read_text().splitlines()
            if not r.startswith("out-e")]
    (pack / "control.csv").write_text("\n".join(rows) + "\n")
    sc = load_pack(pack, places=places_with_group_and_points())
    cells = [sc.geometries[v] for v in ("v-a", "v-b", "v-c")]
    east = sc.geometries["out-e"]
    assert shapely.union_all(cells).symmetric_difference(east).area < 1e-12
    assert sum(c.area for c in cells) == pytest.approx(east.area, rel=1e-9)  # no overlaps
    assert cells[0].contains(shapely.Point(37.045, 36.035))
    assert cells[1].contains(shapely.Point(37.045, 36.015))
    assert cells[2].contains(shapely.Point(37.048, 36.025))


def test_population_inside_zones_where_known(tmp_path):
    pack = tmp_path / "ring"
    shutil.copytree(RING, pack)
    with (pack / "control.csv").open("a") as fh:
        fh.write("pop,blue,controlled,2016-01-01,,day,day,low,mon-a,\n")
    cell = {"type": "Polygon", "coordinates": [[[37.05, 36.01], [37.06, 36.01], [37.06, 36.04],
                                                [37.05, 36.04], [37.05, 36.01]]]}
    places = {"pop": PlaceInfo("Populated strip", population=1234)}
    sc = load_pack(pack, places=(places, {"pop": cell}))
    z = state_at(sc, "2016-03-05").zones
    east = z[z["units"].str.contains("pop")].iloc[0]
    assert (east["population"], east["population_units"]) == (1234, "1/2")
    core = z[z["units"] == "core"].iloc[0]
    assert core["population"] is None or core["population"] != core["population"]  # unknown


def test_load_scenario_by_path_is_cached_until_a_file_changes(tmp_path):
    pack = tmp_path / "ring"
    shutil.copytree(RING, pack)
    a = load_scenario(pack)
    assert load_scenario(str(pack)) is a
    info = scenario_info(pack)
    assert info["window"] == (date(2016, 1, 1), date(2016, 6, 30))
    assert info["default_date"] == date(2016, 3, 15)
    man = json.loads((pack / "manifest.json").read_text())
    man["title"] = "Ring town, edited"
    (pack / "manifest.json").write_text(json.dumps(man))
    assert load_scenario(pack).manifest.title == "Ring town, edited"


def test_unknown_scenario_name_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match="no scenario pack 'no-such-pack'"):
        find_scenario("no-such-pack")


def test_change_dates_bracket_every_change(ring):
    from layers.timeline import change_dates

    days = change_dates(ring)
    assert days[0] == date(2016, 1, 1)
    assert {date(2016, 3, 1), date(2016, 4, 1), date(2016, 4, 15), date(2016, 5, 1)} <= set(days)
    # between two consecutive change dates nothing changes
    assert changes(ring, "2016-04-02", "2016-04-14").control.empty


def test_dissolve_splits_connected_parts_and_keeps_their_units():
    import numpy as np
    from shapely.geometry import MultiPolygon, box

    from layers.zones import dissolve

    geoms = np.array([box(0, 0, 1, 1), box(1, 0, 2, 1),
                      MultiPolygon([box(5, 0, 6, 1), box(8, 0, 9, 1)]), box(2, 0, 3, 1)],
                     dtype=object)
    actors = np.array(["a", "a", "a", "b"], dtype=object)
    status = np.array(["controlled"] * 4, dtype=object)
    for coverage in (True, False):
        z = dissolve(geoms, actors, status, coverage=coverage)
        got = sorted((z.actor[i], round(z.geometry[i].area, 6), tuple(sorted(z.members[i])))
                     for i in range(len(z)))
        assert got == [("a", 1.0, (2,)), ("a", 1.0, (2,)), ("a", 2.0, (0, 1)), ("b", 1.0, (3,))]


def test_a_source_cited_by_a_route_and_its_status_is_listed_once():
    # the Castello Road record and its July status both cite the same New Arab report
    sc = load_scenario("aleppo-2016")
    row = state_at(sc, "2016-09-15").corridors.set_index("id").loc["castello-road"]
    ids = row["sources"].split(";")
    assert "newarab-2016-07-17-castello-cut" in ids
    assert len(ids) == len(set(ids))
    assert row["source_refs"].count("besiege rebel-held parts of Aleppo") == 1


def test_a_shrinking_pocket_is_measured_as_held_on_the_date():
    # The east's siege record lists every unit it ever covered; in December the besieged held
    # a fraction of them, and the siege's area and shape must say so.
    sc = load_scenario("aleppo-2016")
    sept = state_at(sc, "2016-09-15").sieges.set_index("id").loc["siege-east-aleppo"]
    dec = state_at(sc, "2016-12-10")
    siege = dec.sieges.set_index("id").loc["siege-east-aleppo"]
    held = dec.control[(dec.control["actor"] == "opp-city")
                       & (dec.control["status"] == "controlled")]
    rec = next(s for s in sc.sieges if s.id == "siege-east-aleppo")
    held = held[held["id"].isin(rec.units)]
    assert 0 < siege["area_km2"] < sept["area_km2"] / 3
    union = shapely.union_all(held.geometry.values)
    assert shapely.symmetric_difference(siege.geometry, union).area < 1e-9
    zones = dec.zones[dec.zones["actor"] == "opp-city"]
    assert siege["area_km2"] == pytest.approx(zones["area_km2"].sum(), rel=1e-3)
