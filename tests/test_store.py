"""The working store: round trips, history, and crash safety (layers/store.py)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point, Polygon

from layers.store import Store, StoreError, default_path

ROOT = Path(__file__).resolve().parents[1]
SRC = [{"publisher": "Sample Monitor", "title": "Note 4", "date": "2016-08-01",
        "url": "https://example.org/4"}]


def points(n: int, start: int = 0) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [f"site {i}" for i in range(start, start + n)],
         "sources": [SRC] * n, "confidence": ["medium"] * n},
        geometry=[Point(37 + i * 1e-4, 36.2) for i in range(start, start + n)], crs=4326,
    )


def test_round_trip_keeps_features_properties_and_ids(tmp_path):
    store = Store(tmp_path / "s.gpkg")
    assert store.add_layer("sites", points(3), source="sites.csv") == 3
    back = store.read("sites")
    assert list(back["id"]) == ["sites-1", "sites-2", "sites-3"]
    assert list(back["name"]) == ["site 0", "site 1", "site 2"]
    assert [json.loads(s) for s in back["sources"]] == [SRC] * 3
    assert back.crs.equals("EPSG:4326")
    assert back.geometry.geom_equals(points(3).geometry).all()
    assert store.layers() == ["sites"]  # the history table is not a user layer


def test_append_replace_delete_and_history(tmp_path):
    store = Store(tmp_path / "s.gpkg")
    store.add_layer("sites", points(2), source="a.csv")
    store.add_layer("sites", points(2, start=2), source="b.geojson")
    assert list(store.read("sites")["id"]) == ["sites-1", "sites-2", "sites-3", "sites-4"]
    store.delete_features("sites", ["sites-2"], source="page")
    assert list(store.read("sites")["name"]) == ["site 0", "site 2", "site 3"]
    area = gpd.GeoDataFrame({"id": ["east"]}, geometry=[Polygon([(37, 36), (38, 36), (38, 37)])],
                            crs=4326)
    store.replace("areas", area, source="drawn")
    store.replace("areas", area, source="drawn again")
    assert store.layers() == ["sites", "areas"]
    hist = store.history()
    assert list(hist["operation"]) == ["add", "append", "delete", "replace", "replace"]
    assert list(hist["features"]) == [2, 2, 1, 1, 1]
    assert list(hist["source"]) == ["a.csv", "b.geojson", "page", "drawn", "drawn again"]
    assert hist["at"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()
    assert list(store.history("areas")["source"]) == ["drawn", "drawn again"]
    store.delete_layer("areas", source="page")
    assert store.layers() == ["sites"]
    assert pyogrio.read_dataframe(store.path, layer="sites").shape[0] == 3


def test_refused_writes_change_nothing(tmp_path):
    store = Store(tmp_path / "s.gpkg")
    store.add_layer("sites", points(2), source="a")
    before = store.path.read_bytes()
    with pytest.raises(StoreError, match="no feature with id 'nope'"):
        store.delete_features("sites", ["sites-1", "nope"], source="x")
    with pytest.raises(StoreError, match="already has a feature with id 'sites-1'"):
        store.add_layer("sites", store.read("sites"), source="x")
    for bad in ("events", "1st", "has space", "_hidden", "gpkg_x"):
        with pytest.raises(StoreError, match="layer name"):
            store.add_layer(bad, points(1), source="x")
    with pytest.raises(StoreError, match="no layer 'ghost'"):
        store.read("ghost")
    with pytest.raises(StoreError, match="'Sites' clashes with layer 'sites'"):
        store.replace("Sites", points(1), source="x")  # would be the same SQLite table
    for gone in ("ghost", "_history"):
        with pytest.raises(StoreError, match=f"no layer '{gone}'"):
            store.delete_layer(gone, source="x")
    assert store.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == ["s.gpkg"]


def test_store_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CORDON_STORE", str(tmp_path / "env.gpkg"))
    assert default_path() == tmp_path / "env.gpkg"
    Store().add_layer("sites", points(1), source="env")
    assert (tmp_path / "env.gpkg").exists()
    monkeypatch.delenv("CORDON_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "cordon" / "store.gpkg"


WRITER = textwrap.dedent("""
    import sys
    import geopandas as gpd, numpy as np, shapely
    from layers.store import Store
    n = int(sys.argv[2])
    pts = shapely.points(37 + np.arange(n) * 1e-6, np.full(n, 36.2))
    big = gpd.GeoDataFrame({"name": ["new"] * n, "note": ["x" * 200] * n},
                           geometry=pts, crs=4326)
    print("ready", flush=True)
    Store(sys.argv[1]).replace("sites", big, source="big")
""")


def test_writer_killed_mid_save_leaves_old_or_new_state(tmp_path):
    path = tmp_path / "s.gpkg"
    store = Store(path)
    store.add_layer("sites", points(5), source="first")
    old_ids = list(store.read("sites")["id"])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    outcomes = set()
    for delay in (0.0, 0.3, 0.8):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), "300000"],
                                stdout=subprocess.PIPE, env=env)
        assert proc.stdout.readline().strip() == b"ready"
        deadline = time.monotonic() + 60
        # Wait until the writer has started its temporary copy, then kill it mid-write.
        while not list(tmp_path.glob(".s.gpkg.*.tmp.gpkg")) and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        after = Store(path)
        sites = after.read("sites")  # readable, whatever the moment of the kill
        if list(sites["id"]) == old_ids:
            outcomes.add("old")
            assert list(after.history()["source"]) == ["first"]
        else:
            outcomes.add("new")
            assert len(sites) == 300000 and set(sites["name"]) == {"new"}
            assert list(after.history()["source"])[-1] == "big"
            break
    assert "old" in outcomes  # at least one kill landed mid-write
    # The next write works and cleans up what the killed writer left.
    store.add_layer("more", points(1), source="after")
    assert "more" in Store(path).layers()
    assert not list(tmp_path.glob(".s.gpkg.*.tmp.gpkg*"))


def test_duplicate_ids_in_new_features_are_refused(tmp_path):
    store = Store(tmp_path / "s.gpkg")
    dup = points(2)
    dup["id"] = ["same", "same"]
    with pytest.raises(StoreError, match="feature 2: id 'same' appears twice"):
        store.add_layer("sites", dup, source="x")
    assert not store.path.exists()


def gdal_view(path) -> dict:
    """What GDAL itself sees: per layer, the feature count it reports, the rows it reads and
    the rows its spatial index returns for the whole-world box."""
    out = {}
    for name, kind in pyogrio.list_layers(path):
        info = pyogrio.read_info(path, layer=name)
        rows = pyogrio.read_dataframe(path, layer=name, read_geometry=kind is not None)
        boxed = (pyogrio.read_dataframe(path, layer=name, bbox=(-180, -90, 180, 90))
                 if kind is not None else rows)
        out[str(name)] = (info["features"], len(rows), len(boxed))
    return out


def contents(path) -> dict:
    with contextlib.closing(sqlite3.connect(path)) as con:
        return {r[0]: r[1:] for r in con.execute(
            "SELECT table_name, min_x, min_y, max_x, max_y FROM gpkg_contents")}


def test_gdal_reads_every_layer_with_index_count_and_extent_after_each_write(tmp_path):
    store = Store(tmp_path / "s.gpkg")
    store.add_layer("sites", points(4), source="a")
    store.add_layer("sites", points(2, start=4), source="b")
    area = gpd.GeoDataFrame({"id": ["east"]}, geometry=[Polygon([(37, 36), (38, 36), (38, 37)])],
                            crs=4326)
    store.replace("areas", area, source="drawn")
    assert gdal_view(store.path) == {"sites": (6, 6, 6), "areas": (1, 1, 1), "_history": (3, 3, 3)}
    assert contents(store.path)["areas"] == (37.0, 36.0, 38.0, 37.0)
    # Deleting the two western-most sites shrinks the recorded extent with them.
    store.delete_features("sites", ["sites-1", "sites-2"], source="page")
    assert gdal_view(store.path)["sites"] == (4, 4, 4)
    min_x = contents(store.path)["sites"][0]
    assert min_x == pytest.approx(37 + 2e-4, abs=1e-5)
    # The spatial index answers a small box with exactly the features inside it.
    near = pyogrio.read_dataframe(store.path, layer="sites", bbox=(37.00025, 36.1, 37.1, 36.3))
    assert list(near["id"]) == ["sites-4", "sites-5", "sites-6"]
    store.delete_layer("areas", source="page")
    assert set(gdal_view(store.path)) == {"sites", "_history"}
    store.replace("areas", area, source="again")
    store.replace("sites", points(2), source="redo")  # keeps its place in the listing
    assert store.layers() == ["sites", "areas"]
    assert gdal_view(store.path)["areas"] == (1, 1, 1)
    assert gdal_view(store.path)["sites"] == (2, 2, 2)
    with contextlib.closing(sqlite3.connect(store.path)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        for rtree in ("rtree_sites_geom", "rtree_areas_geom"):  # the copied indexes are sound
            assert con.execute("SELECT rtreecheck(?)", (rtree,)).fetchone() == ("ok",)
        leftovers = con.execute("SELECT name FROM sqlite_master WHERE name LIKE '%sites%' "
                                "OR name LIKE '%areas%' ORDER BY name").fetchall()
    # One table, one index (+3 shadow tables) and GDAL's triggers per layer, nothing stale.
    assert sum(n == "rtree_areas_geom" for (n,) in leftovers) == 1
    assert sum(n.startswith("rtree_areas_geom_") and "update" not in n for (n,) in leftovers) \
        == 5  # _node, _parent, _rowid, _insert, _delete


def test_a_write_changes_the_store_in_place_not_by_rewriting_it(tmp_path):
    store = Store(tmp_path / "s.gpkg")
    store.add_layer("big", points(20000), source="bulk")
    store.add_layer("sites", points(2), source="a")

    def big_root() -> tuple:
        with contextlib.closing(sqlite3.connect(store.path)) as con:
            return con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'big'").fetchone()

    root = big_root()
    # Holding the file open pins its inode: a copy moved over the path would show as a new
    # inode, and this one would be left with no name.
    with open(store.path, "rb") as held:
        store.add_layer("sites", points(1, start=2), source="b")
        store.replace("drawn", points(1), source="c")
        store.delete_features("sites", ["sites-1"], source="d")
        store.delete_layer("drawn", source="e")
        assert os.fstat(held.fileno()).st_nlink == 1
        assert os.fstat(held.fileno()).st_ino == os.stat(store.path).st_ino
    assert big_root() == root  # the big layer's table was left where it was, not rebuilt
    assert len(store.read("big")) == 20000
    assert list(store.read("sites")["id"]) == ["sites-2", "sites-3"]


WRITER_REPORTS = textwrap.dedent("""
    import sys
    import geopandas as gpd, numpy as np, shapely
    from layers import store as st
    n = int(sys.argv[2])
    pts = shapely.points(37 + np.arange(n) * 1e-6, np.full(n, 36.2))
    big = gpd.GeoDataFrame({"name": ["new"] * n, "note": ["x" * 200] * n},
                           geometry=pts, crs=4326)
    copy = st._copy_layer
    def announced(con, name):  # say when the store transaction has begun, then go on
        print("in transaction", flush=True)
        copy(con, name)
    st._copy_layer = announced
    st.Store(sys.argv[1]).replace("sites", big, source="big")
""")


def test_writer_killed_inside_the_store_transaction_loses_nothing(tmp_path):
    path = tmp_path / "s.gpkg"
    store = Store(path)
    store.add_layer("sites", points(5), source="first")
    store.add_layer("other", points(3), source="second")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", WRITER_REPORTS, str(path), "200000"],
                            stdout=subprocess.PIPE, env=env)
    assert proc.stdout.readline().strip() == b"in transaction"
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert Path(f"{path}-journal").exists()  # killed with the transaction open
    after = Store(path)  # its first read rolls the half-done transaction back
    assert after.layers() == ["sites", "other"]
    assert list(after.read("sites")["id"]) == [f"sites-{i}" for i in range(1, 6)]
    assert list(after.history()["source"]) == ["first", "second"]
    assert gdal_view(path) == {"sites": (5, 5, 5), "other": (3, 3, 3), "_history": (2, 2, 2)}
    after.add_layer("sites", points(1, start=5), source="after")
    assert list(after.read("sites")["id"])[-1] == "sites-6"
    assert not list(tmp_path.glob(".s.gpkg.*.tmp.gpkg*"))
    assert not Path(f"{path}-journal").exists()


APPENDER = textwrap.dedent("""
    import sys
    from layers.store import Store
    from tests.test_store import points
    for _ in range(5):
        Store(sys.argv[1]).add_layer("sites", points(1), source=sys.argv[2])
""")


def test_two_writers_at_once_lose_no_change(tmp_path):
    path = tmp_path / "s.gpkg"
    Store(path).add_layer("sites", points(1), source="first")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", APPENDER, str(path), who], env=env)
             for who in ("one", "two")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    ids = list(Store(path).read("sites")["id"])
    assert sorted(ids) == sorted(f"sites-{i}" for i in range(1, 12))
    assert sorted(Store(path).history()["source"]) == ["first"] + ["one"] * 5 + ["two"] * 5
