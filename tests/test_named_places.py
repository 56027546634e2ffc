"""Named places: the 2016 sieges and current operations (data/places/named-places.geojson).

These are the places scenario packs and the geocoder point at: a record a user sees on the map
must say where its coordinates come from and how sure they are.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

PLACES_DIR = Path(__file__).resolve().parent.parent / "data" / "places"
NAMED = PLACES_DIR / "named-places.geojson"
KINDS = {"country", "admin1", "admin2", "admin3", "city", "neighbourhood", "road", "crossing",
         "site", "region"}
# Rough country extents (WGS84: lat range, lon range) with a margin for border crossings.
EXTENTS = {  # (lat, lon) boxes; a country of two parts has two
    "SY": ((32.25, 37.40), (35.60, 42.45)),
    "SD": ((8.5, 22.5), (21.5, 39.0)),
    "TD": ((7.0, 23.5), (13.0, 24.5)),
    "PS": [((31.20, 31.62), (34.20, 34.58)),  # the Gaza Strip and its crossings
           ((31.34, 32.56), (34.88, 35.58))],  # the West Bank
    "LB": ((33.05, 34.70), (35.10, 36.65)),
    "JO": ((29.1, 33.4), (34.9, 39.4)),
    "UA": ((44.3, 52.4), (22.1, 40.3)),
    "BD": ((20.6, 26.7), (88.0, 92.7)),
    "HT": ((18.0, 20.1), (-74.5, -71.6)),
    "YE": ((12.0, 19.0), (42.5, 54.0)),
    "BF": ((9.4, 15.1), (-5.6, 2.5)),
    "MR": ((14.7, 27.3), (-17.1, -4.8)),
    "SS": ((3.4, 12.3), (23.4, 36.0)),
    "MM": ((9.5, 28.6), (92.1, 101.2)),
    "ET": ((3.4, 14.9), (33.0, 48.0)),
    "IL": ((29.4, 33.4), (34.2, 35.9)),
    "IQ": ((29.0, 37.4), (38.7, 48.7)),
    "SO": ((-1.7, 12.0), (40.9, 51.5)),
    "KE": ((-4.8, 5.1), (33.9, 42.0)),
    "TH": ((5.6, 20.5), (97.3, 105.7)),
    "ML": ((10.1, 25.1), (-12.3, 4.3)),
    "CM": ((1.6, 13.1), (8.4, 16.2)),
    "NG": ((4.2, 13.9), (2.6, 14.7)),
    "NE": ((11.6, 23.6), (0.1, 16.0)),
    # Ukraine's neighbours, for the far side of its border crossings and refugee hubs
    "PL": ((49.0, 54.9), (14.1, 24.2)),
    "SK": ((47.7, 49.7), (16.8, 22.6)),
    "HU": ((45.7, 48.6), (16.1, 22.9)),
    "RO": ((43.6, 48.3), (20.2, 29.8)),
    "MD": ((45.4, 48.5), (26.6, 30.2)),
    "IN": ((21.9, 29.5), (88.0, 97.5)),  # its north-east only: Manipur and Mizoram
    # the DR Congo, its eastern neighbours, the Central African Republic, Mozambique (and Malawi)
    "CD": ((-13.6, 5.5), (12.0, 31.5)),
    "BI": ((-4.6, -2.2), (28.9, 30.95)),
    "RW": ((-2.95, -1.0), (28.8, 31.0)),
    "UG": ((-1.6, 4.3), (29.5, 35.1)),
    "CF": ((2.1, 11.1), (14.3, 27.6)),
    "MZ": ((-27.0, -10.3), (30.1, 41.0)),
    # border crossings of Afghanistan and Pakistan, the Americas, the Caucasus and North Africa
    "AF": ((29.3, 38.6), (60.4, 75.0)),
    "PK": ((23.6, 37.1), (60.8, 77.9)),
    "CO": ((-4.3, 13.5), (-79.1, -66.8)),
    "BR": ((-33.8, 5.3), (-74.0, -34.7)),
    "AZ": ((38.3, 41.95), (44.7, 50.4)),
    "AM": ((38.8, 41.35), (43.4, 46.7)),
    "GE": ((41.0, 43.6), (40.0, 46.8)),
    "LY": ((19.5, 33.3), (9.3, 25.2)),
    "EG": ((22.0, 31.7), (24.7, 36.9)),
    # Nepal (districts)
    "NP": ((26.3, 30.5), (80.0, 88.3)),
    # Malawi (districts)
    "MW": ((-17.2, -9.3), (32.6, 36.0)),
    # the Darién migration route (Panama, Costa Rica), Vanuatu and the Solomon Islands (islands,
    # atolls), Australian and Canadian rivers, lakes and regions of flood and fire news
    "PA": ((7.0, 9.8), (-83.1, -77.1)),
    "CR": ((8.0, 11.3), (-86.0, -82.5)),
    "VU": ((-20.5, -13.0), (166.0, 170.5)),
    "SB": ((-12.5, -4.5), (155.3, 170.5)),
    "AU": ((-44.0, -10.0), (112.0, 154.0)),
    "CA": ((41.6, 83.2), (-141.1, -52.5)),
}
# countries where an Arabic name is expected
ARABIC_NAMED = {"SY", "SD", "PS", "JO", "YE", "LB", "IQ", "LY", "EG"}


def _features() -> list[dict]:
    return json.loads(NAMED.read_text(encoding="utf-8"))["features"]


def _sources() -> dict:
    return json.loads((PLACES_DIR / "sources.json").read_text(encoding="utf-8"))


def _coords(geom: dict) -> list[tuple[float, float]]:
    if geom["type"] == "Point":
        return [tuple(geom["coordinates"])]
    return [tuple(c) for c in geom["coordinates"]]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Equirectangular distance between two (lon, lat) points, km."""
    lat = math.radians((a[1] + b[1]) / 2)
    return 111.2 * math.hypot((a[0] - b[0]) * math.cos(lat), a[1] - b[1])


def test_ids_are_unique_and_namespaced():
    ids = [f["properties"]["id"] for f in _features()]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("pl-") for i in ids)


@pytest.mark.parametrize("feat", _features(), ids=lambda f: f["properties"]["id"])
def test_every_place_is_sourced_and_typed(feat):
    p = feat["properties"]
    sources = _sources()
    assert p["kind"] in KINDS
    assert p["name"]
    assert p["country"] in EXTENTS
    if p["country"] in ARABIC_NAMED:
        assert p["name_ar"], "an Arabic-speaking country's place without its Arabic name"
    assert p["sources"], "a place without a source"
    missing = [s for s in p["sources"] if s not in sources]
    assert not missing, f"sources not in data/places/sources.json: {missing}"
    for sid in p["sources"]:
        rec = sources[sid]
        assert rec.get("publisher") and rec.get("title") and rec.get("url") and rec.get("date")


@pytest.mark.parametrize("feat", _features(), ids=lambda f: f["properties"]["id"])
def test_coordinates_lie_in_their_country(feat):
    boxes = EXTENTS[feat["properties"]["country"]]
    boxes = boxes if isinstance(boxes, list) else [boxes]
    for lon, lat in _coords(feat["geometry"]):
        assert any(lat0 <= lat <= lat1 and lon0 <= lon <= lon1
                   for (lat0, lat1), (lon0, lon1) in boxes), (lat, lon)


def test_places_lie_in_their_governorate():
    """Each point is inside (or within its uncertainty of) the governorate its parent names."""
    gov_file = PLACES_DIR / "syria-governorates.geojson"
    if not gov_file.exists():
        pytest.skip("syria-governorates.geojson not written yet (helper H1)")
    from shapely.geometry import Point, shape

    govs = {f["properties"]["id"]: shape(f["geometry"])
            for f in json.loads(gov_file.read_text(encoding="utf-8"))["features"]}
    checked = 0
    for feat in _features():
        p = feat["properties"]
        if p.get("parent") not in govs:
            continue
        slack_deg = (max(p.get("uncertainty_m") or 0, 2000)) / 111_000
        for lon, lat in _coords(feat["geometry"]):
            assert govs[p["parent"]].distance(Point(lon, lat)) <= slack_deg, p["id"]
        checked += 1
    assert checked == sum(f["properties"]["country"] == "SY" for f in _features())


def test_lines_have_distinct_points():
    roads = [f for f in _features() if f["geometry"]["type"] == "LineString"]
    assert {f["properties"]["id"] for f in roads} >= {"pl-castello-road", "pl-ramouseh-road"}
    for f in roads:
        pts = _coords(f["geometry"])
        assert len(pts) >= 2 and len(set(pts)) >= 2
        assert f["properties"]["kind"] == "road"


def test_approximate_places_say_how_they_were_placed():
    approx = [f["properties"] for f in _features() if f["properties"]["approximate"]]
    assert approx
    for p in approx:
        assert p["uncertainty_m"] and p["uncertainty_m"] > 0, p["id"]
        assert p["note"] and len(p["note"]) > 30, p["id"]


def test_geonames_places_carry_their_id_and_cite_geonames():
    gn = [f["properties"] for f in _features() if "geonames" in f["properties"]]
    assert len(gn) >= 5
    for p in gn:
        assert isinstance(p["geonames"], int) and p["geonames"] > 0
        assert "geonames-cities500" in p["sources"]
    assert _sources()["geonames-cities500"]["licence"] == "CC BY 4.0"


def test_castello_road_joins_its_two_roundabouts():
    feats = {f["properties"]["id"]: f for f in _features()}
    road = _coords(feats["pl-castello-road"]["geometry"])
    ends = {_coords(feats[i]["geometry"])[0]
            for i in ("pl-layramoun-roundabout", "pl-jandoul-roundabout")}
    assert {road[0], road[-1]} == ends
    # The road passes between the city and Handarat camp, north of it.
    camp = _coords(feats["pl-handarat-camp"]["geometry"])[0]
    assert all(lat < camp[1] for _lon, lat in road)


def test_convoy_town_and_crossings_are_where_reports_put_them():
    feats = {f["properties"]["id"]: f for f in _features()}
    aleppo = (37.16117, 36.20124)  # GeoNames 170063
    urum = _coords(feats["pl-urum-al-kubra"]["geometry"])[0]
    assert 10 <= _km(urum, aleppo) <= 25  # west of the city, on the Idlib road
    assert urum[0] < aleppo[0]
    for cid in ("pl-bab-al-hawa", "pl-bab-al-salam"):
        assert feats[cid]["properties"]["kind"] == "crossing"
        lon, lat = _coords(feats[cid]["geometry"])[0]
        assert lat > 36.2  # on the Turkish border, north of Aleppo's latitude


def test_reader_loads_named_places():
    """The shared reader (geo.places) yields the named places with their uncertainty."""
    from geo import places

    try:
        loaded = places.read_places()
    except FileNotFoundError as exc:
        pytest.skip(f"place table incomplete (helper H1): {exc.filename}")
    ours = {k: v for k, v in loaded.items() if k.startswith("pl-")}
    assert len(ours) == len(_features())
    road = ours["pl-castello-road"]
    assert road.kind == "road" and road.approximate and road.uncertainty_m
    assert "Castillo Road" in road.names
