"""Export: what a GIS user reads back is what Cordon had (layers/io/export.py, select.py)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from layers.cli_exchange import add_export_parser
from layers.io.export import ExportError, default_attribution, export, export_bytes
from layers.selection import SelectionError, parse_bbox, select
from layers.store import Store

SRC_A = [{"publisher": "Sample Monitor", "title": "Weekly access note 12", "date": "2016-09-10",
          "url": "https://example.org/notes/12"}]
SRC_B = [{"publisher": "Sample Agency", "title": "Flash update", "date": "2016-09-14",
          "url": "https://example.org/flash"},
         {"publisher": "Sample Monitor", "title": "Weekly access note 13", "date": "2016-09-17",
          "url": "https://example.org/notes/13"}]
# Exterior ring clockwise and hole counter-clockwise: the opposite of RFC 7946's rule.
CW_WITH_HOLE = Polygon(
    [(37.10, 36.20), (37.10, 36.25), (37.16, 36.25), (37.16, 36.20)],
    [[(37.12, 36.21), (37.14, 36.21), (37.14, 36.23), (37.12, 36.23)]],
)


def sample_state() -> dict[str, gpd.GeoDataFrame]:
    control = gpd.GeoDataFrame(
        {
            "id": ["alp-a", "alp-b"],
            "actor": ["gov", "opp"],
            "status": ["controlled", "controlled"],
            "confidence": ["high", "medium"],
            "sources": [SRC_A, SRC_B],
            "valid_from": [dt.date(2016, 7, 17), dt.date(2016, 8, 6)],
            "valid_to": [None, dt.date(2016, 12, 1)],
            "population": [12000, 4500],
        },
        geometry=[CW_WITH_HOLE, Polygon([(37.16, 36.20), (37.22, 36.20), (37.22, 36.25),
                                         (37.16, 36.25)])],
        crs=4326,
    )
    sieges = gpd.GeoDataFrame(
        {"id": ["east"], "besiegers": [["gov", "ally"]], "besieged": [["opp"]],
         "severity": ["tier 1"], "confidence": ["medium"], "sources": [SRC_B],
         "valid_from": ["2016-09-04"], "valid_to": [None]},
        geometry=[Polygon([(37.16, 36.20), (37.22, 36.20), (37.22, 36.25), (37.16, 36.25)])],
        crs=4326,
    )
    corridors = gpd.GeoDataFrame(
        {"id": ["castello"], "name": ["Castello Road"], "status": ["closed"],
         "confidence": ["high"], "sources": [SRC_A]},
        geometry=[LineString([(37.15, 36.26), (37.18, 36.28), (37.20, 36.30)])], crs=4326,
    )
    events = gpd.GeoDataFrame(
        {"id": ["ev1", "ev2"], "date": ["2016-09-15", "2016-09-19"],
         "type": ["strike", "convoy"],
         "description": ["Strike near a <b>market</b> & bakery", "Convoy held at a checkpoint"],
         "confidence": ["low", "high"], "sources": [SRC_A, SRC_B]},
        geometry=[Point(37.123456789, 36.2222222222), Point(37.3, 36.4)], crs=4326,
    )
    return {"control": control, "sieges": sieges, "corridors": corridors, "events": events}


def test_geojson_is_one_rfc7946_collection_with_every_property(tmp_path):
    state = sample_state()
    out = tmp_path / "out.geojson"
    export(select(state, ["control", "sieges", "corridors", "events"]), "geojson", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert doc["attribution"] == default_attribution()
    feats = doc["features"]
    assert [f["properties"]["layer"] for f in feats] == (
        ["control"] * 2 + ["sieges", "corridors"] + ["events"] * 2)
    by_id = {f["properties"]["id"]: f["properties"] for f in feats}
    # Nested sources survive as JSON arrays; dates are ISO 8601; ongoing stays null.
    assert by_id["alp-b"]["sources"] == SRC_B
    assert by_id["alp-a"]["valid_from"] == "2016-07-17"
    assert by_id["alp-a"]["valid_to"] is None
    assert by_id["alp-b"]["valid_to"] == "2016-12-01"
    assert by_id["alp-a"]["population"] == 12000
    assert by_id["east"]["besiegers"] == ["gov", "ally"]
    assert by_id["ev1"]["description"] == "Strike near a <b>market</b> & bakery"
    for f in feats:
        coords = np.array(shapely.get_coordinates(shapely.from_geojson(json.dumps(f["geometry"]))))
        assert (np.abs(coords[:, 0]) <= 180).all() and (np.abs(coords[:, 1]) <= 90).all()
    # Seven decimals kept, lon before lat.
    assert by_id and feats[4]["geometry"]["coordinates"] == [37.1234568, 36.2222222]


def test_geojson_polygons_follow_the_right_hand_rule(tmp_path):
    out = tmp_path / "w.geojson"
    export(select(sample_state(), ["control"]), "geojson", out)
    ring_sets = [f["geometry"]["coordinates"] for f in json.loads(out.read_text())["features"]]
    for rings in ring_sets:
        assert shapely.is_ccw(shapely.linearrings(rings[0]))  # exterior counter-clockwise
        for hole in rings[1:]:
            assert not shapely.is_ccw(shapely.linearrings(hole))  # holes clockwise
    assert len(ring_sets[0]) == 2  # the hole is kept


def _nested(value):
    return json.loads(value) if isinstance(value, str) else value


def test_geojson_reads_back_with_pyogrio_as_the_same_features(tmp_path):
    state = sample_state()
    out = tmp_path / "rt.geojson"
    export(select(state, ["control", "events"]), "geojson", out)
    back = pyogrio.read_dataframe(out)
    assert back.crs.equals("EPSG:4326")
    for name in ("control", "events"):
        part = back[back["layer"] == name].reset_index(drop=True)
        orig = state[name]
        assert list(part["id"]) == list(orig["id"])
        assert list(part["confidence"]) == list(orig["confidence"])
        # pyogrio gives JSON members back as lists (GeoJSON) or text (flat formats).
        assert [_nested(s) for s in part["sources"]] == list(orig["sources"])
        assert all(shapely.equals_exact(a, b, tolerance=1e-7)
                   or shapely.equals_exact(a, shapely.reverse(b), tolerance=1e-7)
                   or shapely.equals(a, b)
                   for a, b in zip(part.geometry, orig.geometry, strict=True))


def test_other_crs_is_exported_as_lon_lat(tmp_path):
    events = sample_state()["events"]
    out = tmp_path / "p.geojson"
    export({"events": events.to_crs(32637)}, "geojson", out)
    coords = [f["geometry"]["coordinates"] for f in json.loads(out.read_text())["features"]]
    assert coords[1] == pytest.approx([37.3, 36.4], abs=1e-6)


def test_gpkg_has_one_table_per_layer_with_properties_and_attribution(tmp_path):
    state = sample_state()
    out = tmp_path / "out.gpkg"
    export(select(state, ["control", "corridors", "events"]), "gpkg", out, attribution="Credit X")
    assert [str(n) for n, _ in pyogrio.list_layers(out)] == ["control", "corridors", "events"]
    control = pyogrio.read_dataframe(out, layer="control")
    assert list(control["actor"]) == ["gov", "opp"]
    assert [_nested(s) for s in control["sources"]] == [SRC_A, SRC_B]
    assert list(control["population"]) == [12000, 4500]
    info = pyogrio.read_info(out, layer="events")
    assert info["layer_metadata"]["DESCRIPTION"] == "Credit X"
    assert info["features"] == 2


def test_kml_has_a_folder_per_layer_and_escapes_descriptions(tmp_path):
    out = tmp_path / "out.kml"
    export(select(sample_state(), ["control", "events"]), "kml", out)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.parse(out).getroot()
    folders = root.findall(".//k:Folder", ns)
    assert [f.findtext("k:name", namespaces=ns) for f in folders] == ["control", "events"]
    assert [len(f.findall("k:Placemark", ns)) for f in folders] == [2, 2]
    assert default_attribution() in folders[0].findtext("k:description", namespaces=ns)
    descs = [p.findtext("k:description", namespaces=ns) for p in folders[1].findall(
        "k:Placemark", ns)]
    # Google Earth renders a description as HTML: our text must arrive as text.
    assert descs[0] == "Strike near a &lt;b&gt;market&lt;/b&gt; &amp; bakery"
    back = pyogrio.read_dataframe(out, layer="control")
    assert [_nested(s) for s in back["sources"]] == [SRC_A, SRC_B]


def test_csv_has_hxl_row_lat_lon_and_wkt(tmp_path):
    out = tmp_path / "out.csv"
    export(select(sample_state(), ["control", "events"]), "csv", out, hxl=True)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    header, tags, data = rows[0], rows[1], rows[2:]
    assert len(header) == len(tags) and all(t.startswith("#") for t in tags)
    tag = dict(zip(header, tags, strict=True))
    assert tag["lat"] == "#geo+lat" and tag["lon"] == "#geo+lon"
    assert tag["sources"] == "#meta+source" and tag["valid_from"] == "#date+start"
    recs = [dict(zip(header, r, strict=True)) for r in data]
    assert len(recs) == 4
    ev = recs[2]
    assert ev["layer"] == "events" and ev["wkt"] == ""
    assert (float(ev["lat"]), float(ev["lon"])) == (36.2222222, 37.1234568)
    poly = recs[0]
    shape = shapely.from_wkt(poly["wkt"])
    assert shape.normalize().equals(CW_WITH_HOLE.normalize())
    assert shape.contains(Point(float(poly["lon"]), float(poly["lat"])))
    assert json.loads(poly["sources"]) == SRC_A
    assert poly["valid_to"] == "" and recs[1]["valid_to"] == "2016-12-01"
    assert all(r["attribution"] == default_attribution() for r in recs)


def test_kml_carries_time_for_google_earths_slider(tmp_path):
    out = tmp_path / "out.kml"
    export(select(sample_state(), ["control", "events"]), "kml", out)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    control, events = ET.parse(out).getroot().findall(".//k:Folder", ns)
    spans = [p.find("k:TimeSpan", ns) for p in control.findall("k:Placemark", ns)]
    assert [s.findtext("k:begin", namespaces=ns) for s in spans] == ["2016-07-17", "2016-08-06"]
    assert [s.findtext("k:end", namespaces=ns) for s in spans] == [None, "2016-12-01"]
    stamps = [p.findtext("k:TimeStamp/k:when", namespaces=ns)
              for p in events.findall("k:Placemark", ns)]
    assert stamps == ["2016-09-15", "2016-09-19"]


def test_csv_cells_never_run_as_spreadsheet_formulas(tmp_path):
    state = sample_state()
    state["events"]["description"] = ['=HYPERLINK("http://x.example","click")', "-12.5"]
    out = tmp_path / "out.csv"
    export(select(state, ["events"]), "csv", out)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    recs = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert recs[0]["description"] == "'" + '=HYPERLINK("http://x.example","click")'
    assert recs[1]["description"] == "-12.5"  # numbers stay numbers
    assert float(recs[0]["lon"]) > 0


def test_csv_wkt_of_a_polygon_with_a_narrow_neck_stays_valid(tmp_path):
    # Two blocks joined by a neck 8e-8 degrees wide (under 1 cm): rounding each coordinate to
    # 7 decimals alone would fold the neck onto itself. Dissolved zones have such necks.
    lo, hi = 36.49999996, 36.50000004
    neck = Polygon([(37.0, 36.0), (37.4, 36.0), (37.4, lo), (37.6, lo), (37.6, 36.0),
                    (38.0, 36.0), (38.0, 37.0), (37.6, 37.0), (37.6, hi), (37.4, hi),
                    (37.4, 37.0), (37.0, 37.0)])
    assert neck.is_valid
    assert not shapely.from_wkt(shapely.to_wkt(neck, rounding_precision=7)).is_valid
    zones = gpd.GeoDataFrame({"id": ["z1"], "confidence": ["low"]}, geometry=[neck], crs=4326)
    out = tmp_path / "neck.csv"
    export({"zones": zones}, "csv", out)
    (row,) = list(csv.DictReader(out.open(encoding="utf-8")))
    shape = shapely.from_wkt(row["wkt"])
    assert shape.is_valid
    assert shape.area == pytest.approx(neck.area, rel=1e-6)


def test_select_filters_by_actor_and_bbox_keeping_whole_features():
    state = sample_state()
    sel = select(state, ["control", "sieges", "corridors"], actors=["opp"])
    assert list(sel["control"]["id"]) == ["alp-b"]
    assert list(sel["sieges"]["id"]) == ["east"]  # besieged actor matches
    assert len(sel["corridors"]) == 1  # no actor column: unaffected
    sel = select(state, ["control", "events"], bbox="37.11,36.19,37.13,36.205")
    assert list(sel["control"]["id"]) == ["alp-a"]
    assert sel["control"].geometry.iloc[0].equals(CW_WITH_HOLE)  # not clipped
    assert sel["events"].empty


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "10,5,0,6", "0,0,200,1", "0,-95,1,1"])
def test_bad_bbox_is_refused(text):
    with pytest.raises(SelectionError, match="bbox"):
        parse_bbox(text)


def test_unknown_layer_and_format_are_refused(tmp_path):
    with pytest.raises(SelectionError, match="unknown layer 'roads'"):
        select(sample_state(), ["roads"])
    with pytest.raises(ExportError, match="unknown format 'shp'"):
        export(select(sample_state(), ["events"]), "shp", tmp_path / "x.shp")


def test_failed_export_leaves_existing_file_untouched(tmp_path):
    out = tmp_path / "keep.gpkg"
    out.write_bytes(b"previous export")
    with pytest.raises(ExportError):
        export({"events": "not a layer"}, "gpkg", out)
    assert out.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.gpkg"]


def test_export_to_a_file_object_gives_the_same_bytes(tmp_path):
    sel = select(sample_state(), ["events"])
    export(sel, "geojson", tmp_path / "a.geojson")
    buf = io.BytesIO()
    export(sel, "geojson", buf)
    assert buf.getvalue() == (tmp_path / "a.geojson").read_bytes() == export_bytes(sel, "geojson")


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="layers")
    add_export_parser(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_exports_user_layers_from_the_store(tmp_path, capsys):
    store = tmp_path / "store.gpkg"
    Store(store).add_layer("visits", sample_state()["events"], source="test")
    out = tmp_path / "u.geojson"
    assert _cli(["export", "--user-layers", "visits", "--store", str(store), "--format",
                 "geojson", "-o", str(out)]) == 0
    feats = json.loads(out.read_text())["features"]
    assert [f["properties"]["layer"] for f in feats] == ["visits", "visits"]
    assert feats[0]["properties"]["sources"] == SRC_A


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--user-layers", "nope"], "no layer 'nope'"),
        (["--user-layers", "visits", "--bbox", "1,2"], "--bbox '1,2'"),
        ([], "nothing to export"),
    ],
)
def test_cli_errors_are_one_line_with_nonzero_status(tmp_path, capsys, argv, message):
    store = tmp_path / "store.gpkg"
    Store(store).add_layer("visits", sample_state()["events"], source="test")
    out = tmp_path / "x.csv"
    code = _cli(["export", *argv, "--store", str(store), "--format", "csv", "-o", str(out)])
    err = capsys.readouterr().err
    assert code != 0 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_empty_selection_is_a_valid_empty_collection(tmp_path):
    out = tmp_path / "empty.geojson"
    events = sample_state()["events"]
    export({"events": events.iloc[:0]}, "geojson", out)
    doc = json.loads(out.read_text())
    assert doc["features"] == [] and doc["attribution"] == default_attribution()


def test_ongoing_interval_written_as_empty_text_is_exported_as_null(tmp_path):
    control = sample_state()["control"]
    control["valid_to"] = ["", "2016-12-01"]  # the state's way to say "ongoing"
    out = tmp_path / "o.geojson"
    export({"control": control}, "geojson", out)
    props = [f["properties"] for f in json.loads(out.read_text())["features"]]
    assert [p["valid_to"] for p in props] == [None, "2016-12-01"]


def test_public_select_stays_the_function_after_submodules_load():
    # A submodule named like a re-exported function would replace it on import.
    import importlib

    import layers

    for name in ("layers.selection", "layers.io", "layers.store", "layers.summary"):
        importlib.import_module(name)
    assert callable(layers.select) and layers.select.__name__ == "select"
    assert callable(layers.export) and callable(layers.summarize)


def test_cli_bbox_west_of_greenwich_is_a_value_not_an_option(tmp_path, capsys):
    # `--bbox -75.2,18.0,-71.6,20.1` (Haiti): argparse alone reads the box as an option
    from layers.__main__ import main

    store = tmp_path / "store.gpkg"
    west = sample_state()["events"].copy()
    west["geometry"] = [Point(-72.34, 18.54), Point(37.16, 36.2)]
    Store(store).add_layer("visits", west, source="test")
    out = tmp_path / "w.geojson"
    code = main(["export", "--user-layers", "visits", "--store", str(store), "--bbox",
                 "-75.2,18.0,-71.6,20.1", "--format", "geojson", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    feats = json.loads(out.read_text())["features"]
    assert [f["geometry"]["coordinates"] for f in feats] == [[-72.34, 18.54]]


def test_infinite_and_missing_numbers_are_exported_as_null_not_dropped(tmp_path):
    layer = gpd.GeoDataFrame({"id": ["a", "b"], "km": [np.inf, 2.5], "n": [np.nan, 3.0]},
                             geometry=[Point(37.1, 36.2), Point(37.2, 36.2)], crs=4326)
    doc = json.loads(export_bytes({"visits": layer}, "geojson"))
    props = [f["properties"] for f in doc["features"]]
    # every feature keeps every property; JSON has no Infinity, so it becomes null
    assert [(p["km"], p["n"]) for p in props] == [(None, None), (2.5, 3.0)]


FORMULAS = ['=HYPERLINK("http://x.example","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
            "\t=1+2", "\r=1+2"]


@pytest.mark.parametrize("name", FORMULAS)
def test_csv_header_cells_never_run_as_spreadsheet_formulas(tmp_path, name):
    # Column names reach row 1 as they are: a property named like a formula would run there.
    layer = gpd.GeoDataFrame({"id": ["a"], name: ["plain"]}, geometry=[Point(37.1, 36.2)],
                             crs=4326)
    out = tmp_path / "h.csv"
    export({"visits": layer}, "csv", out, hxl=True)
    header, tags, row = list(csv.reader(out.open(encoding="utf-8", newline="")))
    assert header[-2] == "'" + name  # before the attribution column
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for cell in header + tags + row)
    assert row[header.index("'" + name)] == "plain"


@pytest.mark.parametrize("text", ["-inf", "+nan", "-1_000", "-Infinity", "-1 ", "\t1"])
def test_csv_text_that_only_python_reads_as_a_number_is_neutralised(tmp_path, text):
    # float() accepts these; a spreadsheet parses them as formulas (or names), not numbers.
    layer = gpd.GeoDataFrame({"id": ["a"], "note": [text]}, geometry=[Point(37.1, 36.2)],
                             crs=4326)
    rows = list(csv.DictReader(io.StringIO(export_bytes({"v": layer}, "csv").decode())))
    assert rows[0]["note"] == "'" + text
    for number in ("-12.5", "+3", "-1e5", "-.5"):
        layer["note"] = [number]
        rows = list(csv.DictReader(io.StringIO(export_bytes({"v": layer}, "csv").decode())))
        assert rows[0]["note"] == number  # real numbers stay numbers


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv"])
def test_nul_in_text_is_refused_not_cut(tmp_path, fmt):
    # GDAL would write "x\x00y" as "x" without a word.
    events = sample_state()["events"]
    events["description"] = ["fine", "x\x00y"]
    out = tmp_path / f"n.{fmt}"
    with pytest.raises(ExportError) as err:
        export({"events": events}, fmt, out)
    message = str(err.value)
    assert "layer 'events', feature 2 (id 'ev2'): field 'description'" in message
    assert "NUL character (\\x00)" in message and "\x00" not in message
    assert not out.exists()


def test_control_characters_survive_export_and_kml_stays_valid_xml(tmp_path):
    texts = [f"a{chr(c)}b" for c in [1, 8, 11, 12, 27, 31, 127]]
    layer = gpd.GeoDataFrame({"id": [f"f{i}" for i in range(len(texts))], "note": texts},
                             geometry=[Point(37.1, 36.2)] * len(texts), crs=4326)
    for fmt in ("geojson", "gpkg"):
        export({"v": layer}, fmt, tmp_path / f"c.{fmt}")
        assert list(pyogrio.read_dataframe(tmp_path / f"c.{fmt}")["note"]) == texts
    export({"v": layer}, "csv", tmp_path / "c.csv")
    rows = list(csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8", newline="")))
    assert [r["note"] for r in rows] == texts
    # XML 1.0 cannot hold most C0 controls at all: KML gets U+FFFD, and stays readable.
    export({"v": layer}, "kml", tmp_path / "c.kml")
    ET.parse(tmp_path / "c.kml")
    back = list(pyogrio.read_dataframe(tmp_path / "c.kml")["note"])
    assert back == ["a\ufffdb"] * 6 + ["a\x7fb"]


# ------------------------------------------------------------- issue 15: GIS tools read it as data
def test_csv_without_hxl_reads_back_in_gdal_with_no_tag_row(tmp_path):
    out = tmp_path / "out.csv"
    sel = select(sample_state(), ["control", "events"])
    export(sel, "csv", out)
    back = pyogrio.read_dataframe(out)  # GDAL's CSV driver, as QGIS opens it
    assert len(back) == sum(len(g) for g in sel.values())
    assert not any(str(v).startswith("#") for v in back.to_numpy().ravel() if v is not None)
    tagged = tmp_path / "tagged.csv"
    export(sel, "csv", tagged, hxl=True)  # the option still gives HXL tools their row
    with pytest.warns(RuntimeWarning, match="WKT"):  # GDAL takes the tag row for a feature
        assert len(pyogrio.read_dataframe(tagged)) == len(back) + 1


def _gpkg_header(path) -> tuple[int, int]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return (con.execute("PRAGMA application_id").fetchone()[0],
                con.execute("PRAGMA user_version").fetchone()[0])
    finally:
        con.close()


def test_geopackages_are_version_1_2_for_gdal_3_6_and_qgis_ltr(tmp_path):
    out = tmp_path / "out.gpkg"
    export(select(sample_state(), ["control", "events"]), "gpkg", out)
    assert _gpkg_header(out) == (0x47504B47, 10200)  # "GPKG", 1.2.0 (GDAL 3.12 says 1.4)
    store = Store(tmp_path / "store.gpkg")
    store.add_layer("visits", sample_state()["events"], source="test")
    assert _gpkg_header(store.path) == (0x47504B47, 10200)


def _main(argv: list[str], capsys) -> tuple[int, str, str]:
    from layers.__main__ import main

    code = main(argv)
    got = capsys.readouterr()
    return code, got.out, got.err


@pytest.mark.parametrize("command", ["export", "summary"])
def test_cli_refuses_a_date_outside_the_scenario_window(tmp_path, capsys, command):
    argv = [command, "--scenario", "aleppo-2016", "--date", "2017-03-01"]
    if command == "export":
        argv += ["--format", "csv", "-o", str(tmp_path / "x.csv")]
    code, out, err = _main(argv, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "2016-06-01 .. 2016-12-31" in err and "2017-03-01" in err
    assert not (tmp_path / "x.csv").exists()


def test_cli_csv_hxl_is_an_option(tmp_path, capsys):
    plain, tagged = tmp_path / "plain.csv", tmp_path / "tagged.csv"
    base = ["export", "--scenario", "aleppo-2016", "--layers", "crossings", "--format", "csv"]
    assert _main([*base, "-o", str(plain)], capsys)[0] == 0
    assert _main([*base, "--hxl", "-o", str(tagged)], capsys)[0] == 0
    assert not plain.read_text(encoding="utf-8").splitlines()[1].startswith("#")
    assert tagged.read_text(encoding="utf-8").splitlines()[1].startswith("#meta+layer")


def test_besieged_population_reads_none_when_no_siege_is_in_force(capsys):
    import layers
    from layers.draw.summary import population_short

    sc = layers.load_scenario("aleppo-2016")
    quiet = layers.summarize(sc, dt.date(2016, 8, 10))  # between the July and September sieges
    assert quiet["sieges"] == [] and population_short(quiet) == "none"
    besieged = layers.summarize(sc, dt.date(2016, 9, 15))
    assert population_short(besieged) not in (None, "none")
    code, out, _ = _main(["summary", "--scenario", "aleppo-2016", "--date", "2016-08-10"], capsys)
    assert code == 0 and "Besieged population: none" in out
