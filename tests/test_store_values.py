"""The store keeps what it is given or refuses it by name: layer names, control characters in
text, integer ids (layers/store.py)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from layers.store import Store, StoreError, check_name
from tests.test_store import points


def two(**columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=[Point(37.1, 36.2), Point(37.2, 36.3)], crs=4326)


# -- layer names -------------------------------------------------------------------------------
def test_a_name_ending_in_a_newline_is_refused_and_shown(tmp_path):
    # "^...$" with re.match let "sites\n" through ($ matches before a final newline); such a
    # layer was then stored and could not be exported.
    for bad in ("sites\n", "sites\r", "si\ttes", "sites\x00", "a\x1b[31m"):
        with pytest.raises(StoreError, match="contains a control character") as err:
            Store(tmp_path / "s.gpkg").add_layer(bad, points(1), source="x")
        assert "\n" not in str(err.value) and "\x1b" not in str(err.value)
    with pytest.raises(StoreError, match=r"layer name 'sites\\n'"):
        check_name("sites\n")
    assert not (tmp_path / "s.gpkg").exists()


@pytest.mark.parametrize("name", ["sqlite_x", "SQLite_stat1", "gpkg_contents", "GPKG_x",
                                  "rtree_sites_geom", "_history", "_hidden"])
def test_names_sqlite_and_geopackage_keep_for_themselves_are_reserved(tmp_path, name):
    store = Store(tmp_path / "s.gpkg")
    store.add_layer("sites", points(1), source="first")
    with pytest.raises(StoreError) as err:
        store.add_layer(name, points(1), source="x")
    message = str(err.value)
    assert f"layer name '{name}' is reserved" in message
    assert "sqlite3" not in message and "CREATE TABLE" not in message  # no GDAL jargon
    assert store.layers() == ["sites"]


def test_good_names_still_pass():
    for good in ("sites", "Sites-2", "a", "x" * 63, "sqlitex", "events2"):
        assert check_name(good) == good
    for bad in ("x" * 64, "1st", "has space", "é"):
        with pytest.raises(StoreError, match="must start with a letter"):
            check_name(bad)
    with pytest.raises(StoreError, match="must be text"):
        check_name(7)  # type: ignore[arg-type]


# -- control characters in text ----------------------------------------------------------------
def test_nul_in_a_text_value_is_refused_naming_feature_and_field(tmp_path):
    # GDAL ends GeoPackage text at NUL: stored, "x\x00y" would read back as "x".
    store = Store(tmp_path / "s.gpkg")
    with pytest.raises(StoreError) as err:
        store.add_layer("sites", two(id=["a", "b"], note=["fine", "x\x00y"]), source="x")
    message = str(err.value)
    assert "feature 2 (id 'b')" in message and "field 'note'" in message
    assert "NUL character (\\x00)" in message and "\x00" not in message
    assert not store.path.exists()
    # Appending or replacing: refused as well, and the layer keeps its old features.
    store.add_layer("sites", two(note=["one", "two"]), source="first")
    before = store.path.read_bytes()
    with pytest.raises(StoreError, match=r"feature 1 \(id 'sites-3'\): field 'note'"):
        store.add_layer("sites", two(note=["\x00", "ok"]), source="x")
    with pytest.raises(StoreError, match="field 'name'"):
        store.replace("sites", two(name=pd.Series(["ok", "y\x00"], dtype=object)), source="x")
    assert store.path.read_bytes() == before
    assert list(store.read("sites")["note"]) == ["one", "two"]


def test_nul_in_a_field_name_is_refused(tmp_path):
    store = Store(tmp_path / "s.gpkg")
    layer = two(**{"no\x00te": ["a", "b"]})
    with pytest.raises(StoreError, match=r"field name 'no\\x00te' contains a NUL"):
        store.add_layer("sites", layer, source="x")
    assert not store.path.exists()


def test_other_control_characters_are_kept_exactly(tmp_path):
    controls = [chr(c) for c in [*range(1, 32), 127, *range(128, 160)]]
    texts = [f"a{c}b" for c in controls]
    layer = gpd.GeoDataFrame({"note": texts, "obj": pd.Series(texts, dtype=object)},
                             geometry=[Point(37, 36)] * len(texts), crs=4326)
    store = Store(tmp_path / "s.gpkg")
    store.add_layer("sites", layer, source="x")
    back = store.read("sites")
    assert list(back["note"]) == texts and list(back["obj"]) == texts
    # GDAL's own reader agrees (no other layer of translation in between)
    raw = pyogrio.read_dataframe(store.path, layer="sites")
    assert list(raw["note"]) == texts


def test_nul_inside_nested_values_is_kept_as_json(tmp_path):
    # Lists and dicts are written as JSON, which escapes NUL: nothing is lost, nothing refused.
    store = Store(tmp_path / "s.gpkg")
    store.add_layer("sites", two(tags=[["x\x00y"], []]), source="x")
    assert list(store.read("sites")["tags"]) == ['["x\\u0000y"]', "[]"]


# -- integer feature ids -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ids", "stored"),
    [
        ([7, 8], ["7", "8"]),
        (np.array([7, 8], dtype=np.int64), ["7", "8"]),
        (pd.array([7, None], dtype="Int64"), ["7", "sites-1"]),  # NA != NA has no truth value
        ([7.0, np.nan], ["7", "sites-1"]),  # a missing id elsewhere made the column float
        (pd.Series([7, "b"], dtype=object), ["7", "b"]),
    ],
)
def test_integer_ids_are_kept_as_their_text(tmp_path, ids, stored):
    store = Store(tmp_path / "s.gpkg")
    assert store.add_layer("sites", two(id=ids, name=["a", "b"]), source="x") == 2
    back = store.read("sites")
    assert list(back["id"]) == stored
    assert list(back["name"]) == ["a", "b"]


def test_an_integer_id_clashes_with_the_same_id_already_stored(tmp_path):
    store = Store(tmp_path / "s.gpkg")
    store.add_layer("sites", two(id=[7, 8]), source="first")
    with pytest.raises(StoreError, match="already has a feature with id '7'"):
        store.add_layer("sites", two(id=[9.0, 7.0]), source="x")
    store.add_layer("sites", two(id=[9, 10]), source="more")
    assert list(store.read("sites")["id"]) == ["7", "8", "9", "10"]
    store.delete_features("sites", [8, "9"], source="page")  # ids given as numbers work too
    assert list(store.read("sites")["id"]) == ["7", "10"]
