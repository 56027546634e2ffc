"""The place table (data/places/) and its reader (geo/places.py).

Checks what the geocoder and the layers rely on: stable unique ids, a clean gap-free coverage
of Aleppo's neighbourhoods that still covers every source polygon, sources on every record,
joins between admin levels, coordinates where their country says, and a fast, strict reader.
Reads only data/ (never ../shared).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from geo import places

DATA = places.DATA_DIR
ROOT = DATA.parent.parent


@pytest.fixture(scope="module")
def all_places() -> dict[str, places.Place]:
    return places.read_places()


@pytest.fixture(scope="module")
def sources() -> dict[str, dict]:
    return json.loads((DATA / "sources.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def units() -> dict[str, tuple[dict, shapely.Geometry]]:
    doc = json.loads((DATA / "aleppo-neighbourhoods.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["id"]: (f["properties"], shape(f["geometry"])) for f in doc["features"]}


@pytest.fixture(scope="module")
def source_polygons() -> list[tuple[int, dict, shapely.Geometry]]:
    doc = json.loads((DATA / "aleppo-neighbourhoods-source.geojson").read_text(encoding="utf-8"))
    return [(i, f["properties"], shape(f["geometry"])) for i, f in enumerate(doc["features"])]


@pytest.fixture(scope="module")
def syria() -> shapely.Geometry:
    doc = json.loads((DATA / "syria-governorates.geojson").read_text(encoding="utf-8"))
    return shapely.union_all([shape(f["geometry"]) for f in doc["features"]])


# ----------------------------------------------------------------------------- units


def test_unit_ids_are_unique_stable_slugs(units, source_polygons):
    ids = list(units)
    assert len(ids) == len(set(ids))
    for uid, (props, _) in units.items():
        assert re.fullmatch(r"alp-[a-z0-9]+(-[a-z0-9]+)*", uid), uid
        assert props["id"] == uid
        assert isinstance(props["source_id"], int)
    # every source feature belongs to exactly one unit, and keeps its original Id
    claimed = [i for props, _ in units.values() for i in props["source_features"]]
    assert sorted(claimed) == list(range(len(source_polygons)))
    for props, _ in units.values():
        for i in props["source_features"]:
            assert source_polygons[i][1]["Id"] == props["source_id"]
            assert source_polygons[i][1]["NAME"] == props["name"]


def test_source_ids_that_join_different_places_get_different_units(units):
    by_source: dict[int, set[str]] = {}
    for uid, (props, _) in units.items():
        by_source.setdefault(props["source_id"], set()).add(uid)
    shared = {k: v for k, v in by_source.items() if len(v) > 1}
    # e.g. Id 120 is both "The Public Park" and "ash-Sheikh Taha" in the source
    assert shared, "the source's Id is not a key; some Ids must map to several units"
    for uids in shared.values():
        assert len({units[u][0]["name"] for u in uids}) == len(uids)


def test_coverage_is_valid_no_overlaps_and_shared_edges(units):
    geoms = [g for _, g in units.values()]
    assert all(g.is_valid and not g.is_empty for g in geoms)
    assert shapely.coverage_is_valid(geoms)
    # simplifying the coverage as a whole keeps it a coverage (borders stay shared)
    simplified = shapely.coverage_simplify(geoms, 0.0002)
    assert shapely.coverage_is_valid(simplified)


def test_coverage_has_no_gaps_inside_the_city(units):
    union = shapely.coverage_union_all([g for _, g in units.values()])
    parts = list(shapely.get_parts(union))
    # every hole left is a true hole: far wider than the 5-25 m slivers of the source
    for part in parts:
        for ring in part.interiors:
            radius_deg = shapely.maximum_inscribed_circle(shapely.Polygon(ring)).length
            assert radius_deg * 111_000 > 100, "a sliver-sized hole is left in the coverage"
    # separate parts are far apart (slivers between neighbours are closed)
    for i, a in enumerate(parts):
        for b in parts[i + 1:]:
            assert a.distance(b) * 111_000 > 150
    assert len(parts) <= 3  # city, the southern industrial part, the airport


def test_every_source_polygon_is_covered(units, source_polygons):
    union = shapely.coverage_union_all([g for _, g in units.values()])
    own = {i: g for props, g in units.values() for i in props["source_features"]}
    for i, props, poly in source_polygons:
        missing = shapely.difference(poly, union).area
        assert missing <= poly.area * 1e-5, f"source feature {i} ({props['NAME']}) not covered"
        # and almost all of it by its own unit (overlaps in the source went to one unit only)
        assert shapely.intersection(poly, own[i]).area >= poly.area * 0.999


def test_units_grow_only_into_the_gaps(units, source_polygons):
    src_area = shapely.union_all([p for _, _, p in source_polygons]).area
    cov_area = shapely.coverage_union_all([g for _, g in units.values()]).area
    assert src_area <= cov_area <= src_area * 1.05


def test_unit_point_lies_inside_its_unit(units):
    for uid, (props, geom) in units.items():
        assert geom.contains(shapely.Point(props["lon"], props["lat"])), uid


def test_known_name_fixes(all_places):
    # the source gives Ayn at-Tal the Arabic name of Ayn al-Tineh
    assert all_places["alp-ayn-at-tal"].name_ar == "عين التل"
    # unknown stays unknown: the source's null Arabic name is not guessed
    assert all_places["alp-besel"].name_ar is None


def test_reporting_spellings_find_their_unit(all_places):
    wanted = {
        "Sheikh Maqsoud": "alp-sheikh-maqsoud", "Cheikh Maksoud": "alp-sheikh-maqsoud",
        "Shaykh Maqsud": "alp-sheikh-maqsoud", "Bustan al-Qasr": "alp-bustan-al-qaser",
        "Bustan al-Qaser": "alp-bustan-al-qaser", "Salaheddine": "alp-salah-ad-deen",
        "Salah al-Din": "alp-salah-ad-deen", "al-Sukkari": "alp-sukkari",
        "Sukkari": "alp-sukkari", "Ba'eedeen": "alp-baaiedeen", "Ba'aiedin": "alp-baaiedeen",
        "al-Sha'ar": "alp-shaar", "Shaar": "alp-shaar",
    }
    for spelling, uid in wanted.items():
        assert spelling in all_places[uid].names, (spelling, uid)


def test_no_english_name_points_at_two_units(all_places):
    seen: dict[str, str] = {}
    for p in all_places.values():
        if p.kind != "neighbourhood" or p.units:
            continue
        for n in p.names:
            key = n.casefold()
            assert seen.setdefault(key, p.id) == p.id, f"{n!r}: {seen[key]} and {p.id}"


# ----------------------------------------------------------------------------- aliases


def test_aliases_point_at_existing_units(all_places, units):
    aliases = [p for p in all_places.values() if p.units]
    assert aliases
    for a in aliases:
        assert re.fullmatch(r"alp-grp-[a-z0-9-]+", a.id)
        assert a.confidence in {"high", "medium", "low"}
        for u in a.units:
            assert u in units, f"{a.id}: unknown unit {u}"
        area = shapely.coverage_union_all([units[u][1] for u in a.units])
        assert area.buffer(1e-9).contains(shapely.Point(a.lon, a.lat)), a.id
        assert places.units_of(a.id) == a.units


def test_alias_rows_explain_uncertain_ties():
    with (DATA / "aleppo-aliases.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["confidence"] != "high":
                assert len(row["note"]) > 20, f"{row['id']}: an uncertain tie needs a note"


# ----------------------------------------------------------------------------- sources


def test_every_place_has_sources_that_exist(all_places, sources):
    for p in all_places.values():
        assert p.sources, f"{p.id} has no source"
        for s in p.sources:
            assert s in sources, f"{p.id}: source {s!r} missing from sources.json"


def test_sources_name_publisher_title_url_and_licence(sources):
    for sid, s in sources.items():
        for field in ("title", "url"):
            assert s.get(field), f"{sid}: {field} missing"
        assert "licence" in s and "publisher" in s, sid


def test_attribution_lists_every_source_used_by_the_place_files(sources):
    # regenerate with `python scripts/build_places.py attribution` after adding sources
    text = (ROOT / "data" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    missing = [sid for sid in sources if f"`{sid}`" not in text]
    assert not missing, f"sources not in data/ATTRIBUTION.md: {missing}"


# ----------------------------------------------------------------------------- Syria admin


def test_pcodes_join_across_levels(all_places):
    admin = {k: p for k, p in all_places.items()
             if p.kind in {"admin1", "admin2", "admin3"} and k.startswith("SY")}
    level = {"admin1": 2, "admin2": 4, "admin3": 6}
    parent_kind = {"admin2": "admin1", "admin3": "admin2"}
    assert sum(p.kind == "admin1" for p in admin.values()) == 14
    for pid, p in admin.items():
        assert re.fullmatch(rf"SY\d{{{level[p.kind]}}}", pid), pid
        if p.kind == "admin1":
            assert p.parent is None
            assert p.population_year == 2016
        else:
            assert p.parent in admin, f"{pid}: parent {p.parent} missing"
            assert admin[p.parent].kind == parent_kind[p.kind]
            assert pid.startswith(p.parent)
        if p.population is not None:
            assert p.population_year is not None


def test_population_2004_kept_next_to_the_estimate():
    with (DATA / "syria-admin.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    for r in rows.values():
        if r["kind"] == "admin1":
            assert r["population_2004"] and r["population_2004"] != "", r["id"]


def test_every_governorate_has_one_polygon(all_places):
    doc = json.loads((DATA / "syria-governorates.geojson").read_text(encoding="utf-8"))
    poly_ids = [f["properties"]["id"] for f in doc["features"]]
    govs = sorted(k for k, p in all_places.items() if p.kind == "admin1" and k.startswith("SY"))
    assert sorted(poly_ids) == govs
    geoms = places.load_geometries()
    for g in govs:
        assert geoms[g]["type"] in {"Polygon", "MultiPolygon"}


def test_syrian_points_lie_in_syria(all_places, syria):
    near = syria.buffer(0.03)  # the polygons are simplified; about 3 km of slack
    for p in all_places.values():
        if p.country == "SY":
            assert near.contains(shapely.Point(p.lon, p.lat)), f"{p.id} outside Syria"


def test_admin_centroid_lies_in_its_governorate(all_places):
    doc = json.loads((DATA / "syria-governorates.geojson").read_text(encoding="utf-8"))
    gov = {f["properties"]["id"]: shape(f["geometry"]).buffer(0.05) for f in doc["features"]}
    for p in all_places.values():
        if p.kind in {"admin2", "admin3"} and p.id.startswith("SY"):
            assert gov[p.id[:4]].contains(shapely.Point(p.lon, p.lat)), p.id


def test_units_lie_in_aleppo_governorate(units):
    doc = json.loads((DATA / "syria-governorates.geojson").read_text(encoding="utf-8"))
    aleppo = next(shape(f["geometry"]) for f in doc["features"] if f["properties"]["id"] == "SY02")
    for uid, (props, _) in units.items():
        assert aleppo.contains(shapely.Point(props["lon"], props["lat"])), uid


# ----------------------------------------------------------------------------- world


def test_world_points_are_plausible(all_places, syria):
    countries = {p.id: p for p in all_places.values() if p.kind == "country"}
    admin1 = [p for p in all_places.values() if p.kind == "admin1" and p.id.startswith("geonames:")]
    assert countries and admin1
    for p in (*countries.values(), *admin1):
        assert re.fullmatch(r"geonames:\d+", p.id)
        assert re.fullmatch(r"[A-Z]{2}", p.country), p.id
        assert -90 <= p.lat <= 90 and -180 <= p.lon <= 180
    for a in admin1:
        assert a.parent in countries, f"{a.id}: no country {a.parent}"
        assert countries[a.parent].country == a.country
    # the Syrian ones lie in Syria
    for p in (*countries.values(), *admin1):
        if p.country == "SY" and not p.approximate:
            assert syria.buffer(0.05).contains(shapely.Point(p.lon, p.lat)), p.id


def test_fallback_world_points_are_marked_approximate():
    with (DATA / "world-countries.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            fallback = row["coord_source"].startswith("fallback:")
            assert (row["approximate"] == "true") == fallback, row["id"]


# ----------------------------------------------------------------------------- reader


def test_reader_loads_everything_fast():
    start = time.perf_counter()
    out = places.read_places()
    places.read_geometries()
    elapsed = time.perf_counter() - start
    assert len(out) > 4000
    assert elapsed < 1.0, f"place table took {elapsed:.2f} s (guard; see benchmarks/)"


def test_reader_is_cached_and_geometries_cover_units(all_places):
    assert places.load_places() is places.load_places()
    geoms = places.load_geometries()
    for pid, p in all_places.items():
        if p.kind == "neighbourhood" and not p.units and pid.startswith("alp-"):
            assert geoms[pid]["type"] in {"Polygon", "MultiPolygon"}


def test_reader_stays_light():
    code = (
        "import sys, geo.places as p; p.load_places();"
        "heavy = [m for m in ('geopandas', 'shapely', 'folium', 'streamlit') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "places"
    shutil.copytree(DATA, dst)
    return dst


def test_bad_coordinate_is_a_one_line_error_naming_file_record_field(data_copy):
    path = data_copy / "world-admin1.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = next(csv.reader([lines[1]]))
    row[header.index("lat")] = "north"
    lines[1] = ",".join(f'"{v}"' if "," in v else v for v in row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(places.PlaceDataError) as err:
        places.read_places(data_copy)
    msg = str(err.value)
    assert "world-admin1.csv" in msg and row[0] in msg and "lat" in msg
    assert "\n" not in msg


def test_alias_without_units_is_rejected(data_copy):
    path = data_copy / "aleppo-aliases.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    rows[0]["units"] = ""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(places.PlaceDataError, match="units"):
        places.read_places(data_copy)


def test_duplicate_id_is_rejected(data_copy):
    path = data_copy / "syria-admin.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(places.PlaceDataError, match="twice"):
        places.read_places(data_copy)


def test_missing_file_is_a_one_line_error(data_copy):
    (data_copy / "syria-admin.csv").unlink()
    with pytest.raises(places.PlaceDataError, match="syria-admin.csv"):
        places.read_places(data_copy)


def test_named_places_file_is_optional(data_copy):
    (data_copy / "named-places.geojson").unlink(missing_ok=True)
    out = places.read_places(data_copy)
    assert not any(k.startswith("pl-") for k in out)
    assert "alp-sheikh-maqsoud" in out


def test_line_place_gets_a_point_on_the_line(data_copy):
    named = {
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": {"id": "pl-test-road", "kind": "road", "name": "Test road",
                           "country": "SY", "sources": ["csr-aleppo-neighbourhoods"]},
            "geometry": {"type": "LineString", "coordinates": [[37.10, 36.20], [37.20, 36.20]]},
        }],
    }
    (data_copy / "named-places.geojson").write_text(json.dumps(named), encoding="utf-8")
    road = places.read_places(data_copy)["pl-test-road"]
    assert road.lat == pytest.approx(36.20)
    assert road.lon == pytest.approx(37.15)
    assert places.read_geometries(data_copy)["pl-test-road"]["type"] == "LineString"
