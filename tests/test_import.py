"""Import: good files become one checked layer; bad ones say file, feature and field."""

from __future__ import annotations

import argparse
import json

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Point, Polygon

from layers.cli_exchange import add_import_parser
from layers.io.errors import InputError
from layers.io.export import export
from layers.io.import_ import import_file
from layers.store import Store

BOWTIE = Polygon([(37.0, 36.0), (37.1, 36.1), (37.1, 36.0), (37.0, 36.1)])


def write_geojson(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def feature(geometry, **props):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def test_geojson_imports_with_properties(tmp_path):
    path = write_geojson(tmp_path / "a.geojson", [
        feature(point(37.15, 36.2), id="x1", name="Bakery", date="2016-09-15"),
        feature(point(37.16, 36.21), id="x2", name="Clinic", date="2016-09-16"),
    ])
    gdf = import_file(path)
    assert gdf.crs.equals("EPSG:4326")
    assert list(gdf["name"]) == ["Bakery", "Clinic"]
    assert list(gdf["date"]) == ["2016-09-15", "2016-09-16"]  # dates stay as written
    assert gdf.attrs["repairs"] == []


def test_invalid_polygon_is_repaired_and_reported(tmp_path):
    path = write_geojson(tmp_path / "b.geojson", [
        feature(point(37.0, 36.0), id="ok"),
        feature(json.loads(shapely.to_geojson(BOWTIE)), id="bow"),
    ])
    gdf = import_file(path)
    assert gdf.geometry.is_valid.all()
    assert gdf.geometry.iloc[1].geom_type == "MultiPolygon"
    assert gdf.geometry.iloc[1].area == pytest.approx(BOWTIE.buffer(0).area + 0.0025, rel=0.01)
    [note] = gdf.attrs["repairs"]
    assert "feature 2 (id 'bow')" in note and "Self-intersection" in note


def test_projected_gpkg_is_reprojected(tmp_path):
    src = gpd.GeoDataFrame({"name": ["p"]}, geometry=[Point(37.2, 36.2)], crs=4326)
    path = tmp_path / "utm.gpkg"
    src.to_crs(32637).to_file(path, layer="pts", engine="pyogrio")
    gdf = import_file(path)
    assert gdf.crs.equals("EPSG:4326")
    assert (gdf.geometry.x[0], gdf.geometry.y[0]) == pytest.approx((37.2, 36.2), abs=1e-7)
    assert any("reprojected from EPSG:32637" in n for n in gdf.attrs["notes"])


def test_gpkg_all_layers_or_one(tmp_path):
    path = tmp_path / "two.gpkg"
    gpd.GeoDataFrame({"n": [1]}, geometry=[Point(37, 36)], crs=4326).to_file(path, layer="a")
    gpd.GeoDataFrame({"n": [2, 3]}, geometry=[Point(38, 35), Point(38, 36)], crs=4326).to_file(
        path, layer="b")
    both = import_file(path)
    assert list(both["source_layer"]) == ["a", "b", "b"]
    only = import_file(path, name="b")
    assert list(only["n"]) == [2, 3] and "source_layer" not in only.columns
    with pytest.raises(InputError, match=r"layer 'c': no such layer \(layers: a, b\)"):
        import_file(path, name="c")


def test_our_own_exports_import_again(tmp_path):
    layers = {
        "events": gpd.GeoDataFrame(
            {"id": ["e1"], "sources": [[{"publisher": "P", "title": "T", "date": "2016-09-01",
                                          "url": "https://example.org"}]]},
            geometry=[Point(37.1, 36.2)], crs=4326),
        "zones": gpd.GeoDataFrame({"id": ["z1"], "actor": ["gov"]},
                                  geometry=[Polygon([(37, 36), (37.2, 36), (37.2, 36.2)])],
                                  crs=4326),
    }
    for fmt in ("geojson", "gpkg", "kml", "csv"):
        out = tmp_path / f"x.{fmt}"
        export(layers, fmt, out)
        gdf = import_file(out)
        layer_col = "layer" if fmt in ("geojson", "csv") else "source_layer"
        assert list(gdf[layer_col]) == ["events", "zones"], fmt
        assert gdf.geometry.iloc[1].normalize().equals_exact(
            layers["zones"].geometry.iloc[0].normalize(), tolerance=1e-7), fmt
        assert (gdf.geometry.iloc[0].x, gdf.geometry.iloc[0].y) == pytest.approx((37.1, 36.2))


ACLED = (
    "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,admin1,location,"
    "latitude,longitude,geo_precision,source,notes,fatalities\n"
    "SYR1001,15 September 2016,2016,Explosions/Remote violence,Air/drone strike,Air Force,"
    "Rebels,Aleppo,Sample Quarter,36.2012,37.1603,1,Sample Wire,Invented test row.,3\n"
    "SYR1002,2016-09-16,2016,Battles,Armed clash,Rebels,,Aleppo,Other Quarter,36.21,37.17,2,"
    "Sample Wire; Local Net,Second invented row.,0\n"
)


def test_acled_export_columns(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text(ACLED, encoding="utf-8")
    gdf = import_file(path)
    assert list(gdf["date"]) == ["2016-09-15", "2016-09-16"]
    assert list(gdf["id"]) == ["SYR1001", "SYR1002"]
    assert list(gdf["actors"]) == ["Air Force;Rebels", "Rebels"]
    assert list(gdf["name"]) == ["Sample Quarter", "Other Quarter"]
    assert list(gdf["approximate"]) == [False, True]
    assert list(gdf["fatalities"]) == [3, 0]
    src = json.loads(gdf["sources"].iloc[1])[0]
    assert src["publisher"] == "ACLED" and "Local Net" in src["title"]
    assert (gdf.geometry.x[0], gdf.geometry.y[0]) == (37.1603, 36.2012)
    assert "event_type" in gdf.columns and "notes" in gdf.columns  # ACLED's columns kept


def test_csv_with_wkt_and_hxl_row(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("name,WKT\n#loc+name,#geo+wkt\nBlock,\"POLYGON ((37 36, 37.1 36, 37.1 36.1, "
                    "37 36))\"\n", encoding="utf-8")
    gdf = import_file(path)
    assert list(gdf["name"]) == ["Block"] and gdf.geometry.iloc[0].geom_type == "Polygon"


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "parts"),
    [
        ("lat.csv", "id,lat,lon\na,36.2,37.1\nb,96.2,37.1\n", ["line 3", "field 'lat'", "96.2"]),
        ("swap.csv", "id,latitude,longitude\na,37.1,136.2\nb,137.1,36.2\n",
         ["line 3", "field 'latitude'", "swapped"]),
        ("lon.csv", "id,lat,lon\na,36.2,190\n", ["line 2", "field 'lon'", "-180..180"]),
        ("nolon.csv", "id,latitude\na,36.2\n", ["line 1", "field 'longitude'", "no longitude"]),
        ("empty_val.csv", "id,lat,lon\na,36.2,37.1\nb,,37.1\n",
         ["line 3", "field 'lat'", "missing value"]),
        ("text_val.csv", "id,lat,lon\na,36.2,east\n", ["line 2", "field 'lon'", "not a number"]),
        ("nocoords.csv", "id,name\na,Bakery\n", ["not a geographic table"]),
        ("shortrow.csv", "id,lat,lon\na,36.2\n", ["line 2", "2 values for 3 columns"]),
        ("badwkt.csv", "id,wkt\na,POLYGON ((1 2\n", ["line 2", "field 'wkt'", "not valid WKT"]),
        ("baddate.csv", ACLED.replace("15 September 2016", "Sept the 15th"),
         ["line 2", "field 'event_date'", "not a date"]),
        ("empty.csv", "", ["the file is empty"]),
        ("junk.geojson", "{this is not json", ["cannot be read as GeoJSON"]),
        ("junk.kml", "<kml><oops", ["cannot be read"]),
        ("notes.txt", "hello", ["unsupported file type '.txt'"]),
    ],
)
def test_bad_files_name_file_feature_and_field(tmp_path, name, text, parts):
    path = _write(tmp_path, name, text)
    with pytest.raises(InputError) as err:
        import_file(path)
    message = str(err.value)
    assert message.startswith(str(path))
    assert "\n" not in message
    for part in parts:
        assert part in message


def test_geojson_out_of_range_and_missing_geometry(tmp_path):
    path = write_geojson(tmp_path / "r.geojson", [
        feature(point(37.1, 36.2), id="fine"),
        feature(point(237.1, 36.2), id="far"),
    ])
    with pytest.raises(InputError, match=r"feature 2 \(id 'far'\): field 'geometry': "
                                          r"coordinates outside"):
        import_file(path)
    path = write_geojson(tmp_path / "n.geojson", [feature(None, id="nowhere")])
    with pytest.raises(InputError, match=r"feature 1 \(id 'nowhere'\): field 'geometry': "
                                          "missing"):
        import_file(path)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_projected_coordinates_without_crs_are_refused(tmp_path):
    path = tmp_path / "nocrs.gpkg"
    gpd.GeoDataFrame({"n": [1]}, geometry=[Point(350000, 4000000)]).to_file(path)
    with pytest.raises(InputError, match="feature 1: field 'geometry': coordinates outside"):
        import_file(path)


def test_table_without_geometry_is_not_geographic(tmp_path):
    import pandas as pd
    import pyogrio

    path = tmp_path / "table.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"a": [1, 2]}), path, layer="plain")
    with pytest.raises(InputError, match="no geometry"):
        import_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        import_file(tmp_path / "absent.geojson")
    with pytest.raises(InputError, match="no file given"):  # not the working folder
        import_file("")


def _import_cli(argv):
    parser = argparse.ArgumentParser(prog="layers")
    add_import_parser(parser.add_subparsers())
    args = parser.parse_args(["import", *argv])
    return args.func(args)


def test_cli_import_bad_file_changes_nothing(tmp_path, capsys):
    store = tmp_path / "store.gpkg"
    good = write_geojson(tmp_path / "good.geojson", [feature(point(37.1, 36.2), id="a")])
    assert _import_cli([str(good), "--into", "visits", "--store", str(store)]) == 0
    before = store.read_bytes()
    capsys.readouterr()
    bad = _write(tmp_path, "bad.csv", "id,lat,lon\nb,36.2,37.1\nc,91,137\n")
    code = _import_cli([str(bad), "--into", "visits", "--store", str(store)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == f"error: {bad}: line 3: field 'lat': 91 is outside -90..90"
    assert store.read_bytes() == before
    assert list(Store(store).read("visits")["id"]) == ["a"]


def test_cli_import_reports_repairs(tmp_path, capsys):
    store = tmp_path / "store.gpkg"
    path = write_geojson(tmp_path / "bow.geojson",
                         [feature(json.loads(shapely.to_geojson(BOWTIE)), id="bow")])
    assert _import_cli([str(path), "--into", "areas", "--store", str(store)]) == 0
    err = capsys.readouterr().err
    assert "invalid geometry" in err and "imported 1 features" in err
    assert Store(store).read("areas").geometry.is_valid.all()


def test_python_m_layers_import_and_export_end_to_end(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "CORDON_STORE": str(tmp_path / "st.gpkg")}
    run = lambda *a: subprocess.run([sys.executable, "-m", "layers", *a], cwd=tmp_path,  # noqa: E731
                                    env=env, capture_output=True, text=True, timeout=120)
    bad = _write(tmp_path, "bad.csv", "id,lat,lon\na,36.2,37.1\nb,36.2,\n")
    res = run("import", str(bad), "--into", "visits")
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert res.stderr.strip() == f"error: {bad}: line 3: field 'lon': missing value"
    assert not (tmp_path / "st.gpkg").exists()
    good = _write(tmp_path, "good.csv", "id,lat,lon\na,36.2,37.1\n")
    assert run("import", str(good), "--into", "visits").returncode == 0
    res = run("export", "--user-layers", "visits", "--format", "geojson", "-o", "-")
    assert res.returncode == 0
    doc = json.loads(res.stdout)
    assert doc["features"][0]["geometry"]["coordinates"] == [37.1, 36.2]


@pytest.mark.parametrize("kind", ["junk", "folder"])
def test_cli_import_into_a_store_that_is_not_a_geopackage_is_one_line(tmp_path, capsys, kind):
    good = write_geojson(tmp_path / "good.geojson", [feature(point(37.1, 36.2), id="a")])
    store = tmp_path / "store.gpkg"
    if kind == "junk":
        store.write_bytes(b"not a database\x00\x01" * 64)
    else:
        store.mkdir()
    before = store.read_bytes() if kind == "junk" else None
    code = _import_cli([str(good), "--into", "visits", "--store", str(store)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("error: ") and "\n" not in err and str(store) in err
    assert "Traceback" not in err
    if kind == "junk":
        assert store.read_bytes() == before


def test_fields_differing_only_in_case_and_fid_are_renamed_so_the_store_keeps_them(
        tmp_path, capsys):
    # GeoPackage column names ignore case and 'fid' is its row key: without renaming, the
    # store could keep neither 'Name' and 'name' side by side nor a text 'fid'.
    path = write_geojson(tmp_path / "case.geojson", [
        feature(point(37.1, 36.2), Name="Souq", name="souq", NAME="SOUQ", fid="r-1"),
        feature(point(37.2, 36.2), Name="Bab", fid="r-2"),
    ])
    store = tmp_path / "store.gpkg"
    assert _import_cli([str(path), "--into", "places", "--store", str(store)]) == 0
    err = capsys.readouterr().err
    assert "field 'name' renamed 'name_2'" in err and "field 'fid' renamed 'fid_2'" in err
    assert "Warning" not in err
    back = Store(store).read("places")
    assert list(back["Name"]) == ["Souq", "Bab"]
    assert back["name_2"].iloc[0] == "souq" and back["NAME_3"].iloc[0] == "SOUQ"
    assert list(back["fid_2"]) == ["r-1", "r-2"]


def test_cli_import_duplicate_ids_name_the_file_and_feature(tmp_path, capsys):
    path = write_geojson(tmp_path / "dup.geojson", [feature(point(37.1, 36.2), id="x"),
                                                    feature(point(37.2, 36.2), id="x")])
    store = tmp_path / "store.gpkg"
    assert _import_cli([str(path), "--into", "visits", "--store", str(store)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {path}: ") and "feature 2" in err and "'x'" in err
    assert "\n" not in err


@pytest.mark.parametrize("name,data", [
    ("junk.geojson", b"\x00\x01\x02 not a map at all \xff\xfe"),
    ("empty.kml", b""),
])
def test_unreadable_files_are_explained_without_gdal_jargon(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        import_file(path)
    text = str(err.value)
    assert text.startswith(str(path))
    assert "not recognized as being in a supported file format" not in text
    assert "LIBKML" not in text and "\n" not in text
    assert not text.rstrip().endswith((",", ":"))
