"""The working store: round trips, history, and crash safety (layers/store.py)."""

from __future__ import annotations

import json
import os
import signal
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
