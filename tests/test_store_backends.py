"""User layers behave the same on every store backend (GeoPackage and PostGIS)."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from layers.store import Store, StoreError


def points(ids, names):
    return gpd.GeoDataFrame({"id": ids, "name": names},
                            geometry=[shapely.Point(37 + i / 100, 36.2) for i in range(len(ids))],
                            crs=4326)


def test_layers_round_trip_with_history(store):
    st = Store(store)
    assert st.layers() == []
    assert st.add_layer("sites", points(["a", "b"], ["Clinic", "Bakery"]), source="t1") == 2
    assert st.add_layer("sites", points([None], ["{{ 7*7 }} School"]), source="t2") == 1
    st.add_layer("roads", points(["r1"], ["Castello"]), source="t3")
    assert st.layers() == ["sites", "roads"]
    got = st.read("sites")
    assert list(got["id"]) == ["a", "b", "sites-3"]
    assert list(got["name"]) == ["Clinic", "Bakery", "{{ 7*7 }} School"]
    assert got.crs.to_epsg() == 4326
    assert got.geometry.iloc[1].equals_exact(shapely.Point(37.01, 36.2), 1e-9)
    with pytest.raises(StoreError, match="already has a feature with id 'a'"):
        st.add_layer("sites", points(["a"], ["again"]), source="t4")
    assert st.delete_features("sites", ["b"], source="t5") == 1
    with pytest.raises(StoreError, match="no feature with id 'zz'"):
        st.delete_features("sites", ["zz"], source="t6")
    assert st.replace("sites", points(["x"], ["only"]), source="t7") == 1
    assert list(st.read("sites")["id"]) == ["x"]
    with pytest.raises(StoreError, match="clashes"):
        st.add_layer("Sites", points(["y"], ["case"]), source="t8")
    st.delete_layer("roads", source="t9")
    assert st.layers() == ["sites"]
    hist = st.history()
    assert list(hist["operation"]) == ["add", "append", "add", "delete", "replace",
                                       "delete_layer"]
    assert list(hist["source"]) == ["t1", "t2", "t3", "t5", "t7", "t9"]
    with pytest.raises(StoreError, match="reserved"):
        st.add_layer("sqlite_x", points(["a"], ["n"]), source="t")


def test_viewer_reads_layers_but_cannot_change_them(pg_db):
    Store(pg_db("eddie_editor")).add_layer("sites", points(["a"], ["Clinic"]), source="t")
    viewer = Store(pg_db("vic_viewer"))
    assert list(viewer.read("sites")["name"]) == ["Clinic"]
    with pytest.raises(StoreError, match="may not|permission"):
        viewer.add_layer("sites", points(["b"], ["x"]), source="t")
    with pytest.raises(StoreError, match="may not|permission"):
        viewer.delete_layer("sites", source="t")
    assert list(Store(pg_db("eddie_editor")).history()["by"]) == ["eddie_editor"]


def dated(n: int = 3) -> gpd.GeoDataFrame:
    frame = points([f"p{i}" for i in range(n)], [f"Site {i}" for i in range(n)])
    frame["seen"] = [f"2016-0{i + 6}-05" for i in range(n)]
    frame["gone"] = [f"2016-0{i + 7}-05" for i in range(n)]
    return frame


def test_a_layers_date_columns_are_kept_with_it_for_every_session(store):
    Store(store).add_layer("sightings", dated(), source="upload: sightings.csv")
    Store(store).add_layer("plain", points(["a"], ["Clinic"]), source="t")
    assert Store(store).time("sightings") is None  # proposed at upload, not applied
    Store(store).set_time("sightings", "seen", source="page: dated by seen")
    later = Store(store)  # another session, another user of the same store
    assert later.time("sightings") == ("seen", None)
    later.set_time("sightings", "seen", "gone", source="page: until gone")
    assert Store(store).time("sightings") == ("seen", "gone")
    assert Store(store).time("plain") is None
    # edits of the features keep it; each change of it is in the history
    Store(store).add_layer("sightings", dated(1).assign(id=["q"]), source="t")
    assert Store(store).time("sightings") == ("seen", "gone")
    hist = Store(store).history("sightings")
    assert list(hist["operation"]) == ["add", "time", "time", "append"]
    assert list(hist["source"])[1:3] == ["page: dated by seen", "page: until gone"]
    Store(store).set_time("sightings", None, source="page: not dated")
    assert Store(store).time("sightings") is None


def test_date_columns_must_be_the_layers_own(store):
    Store(store).add_layer("sightings", dated(), source="t")
    with pytest.raises(StoreError, match="no column 'when'"):
        Store(store).set_time("sightings", "when", source="t")
    with pytest.raises(StoreError, match="no column"):
        Store(store).set_time("sightings", "seen", "<b>until</b>", source="t")
    with pytest.raises(StoreError, match="no layer"):
        Store(store).set_time("nowhere", "seen", source="t")
    assert Store(store).time("sightings") is None  # nothing changed
    assert list(Store(store).history("sightings")["operation"]) == ["add"]


def test_a_deleted_layer_takes_its_dates_with_it(store):
    Store(store).add_layer("sightings", dated(), source="t")
    Store(store).set_time("sightings", "seen", source="t")
    Store(store).delete_layer("sightings", source="t")
    Store(store).add_layer("sightings", points(["a"], ["new"]), source="t")
    assert Store(store).time("sightings") is None


def test_viewer_reads_a_layers_dates_but_cannot_set_them(pg_db):
    Store(pg_db("eddie_editor")).add_layer("sightings", dated(), source="t")
    Store(pg_db("eddie_editor")).set_time("sightings", "seen", "gone", source="t")
    viewer = Store(pg_db("vic_viewer"))
    assert viewer.time("sightings") == ("seen", "gone")
    with pytest.raises(StoreError, match="may not|permission"):
        viewer.set_time("sightings", None, source="t")
