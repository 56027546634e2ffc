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
