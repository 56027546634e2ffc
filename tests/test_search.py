"""The search box (geo/search.py): the scenario's region first, one entry per place, a zoom
for each kind of place, and "nothing matched" as an answer of its own."""

from __future__ import annotations

import pytest

from geo.resolve import km
from geo.search import ZOOM, search

ALEPPO = {"country": "SY", "near": (36.205, 37.16)}  # the aleppo-2016 manifest's view
SYRIA = {"country": "SY", "near": (34.8, 38.3)}      # syria-2016


@pytest.mark.parametrize("region", [ALEPPO, SYRIA])
def test_madaya_finds_the_syrian_town_first_and_once(region):
    hits = search("Madaya", **region).hits
    first = hits[0]
    assert first.country == "SY" and first.kind == "city"
    assert km(first.lat, first.lon, 33.69, 36.10) < 3  # the town in the Qalamoun
    assert [h.country for h in hits].count("SY") == 1  # town, its sub-district, GeoNames: one
    assert "MM" in [h.country for h in hits[1:]]       # Myanmar's Madaya is still offered


def test_arabic_salah_ad_din_finds_the_aleppo_neighbourhood_first():
    hits = search("صلاح الدين", **ALEPPO).hits
    assert hits[0].kind == "neighbourhood" and hits[0].source.startswith("alp-")
    assert any(h.country == "IQ" for h in hits[1:])  # Iraq's governorate comes after


def test_each_kind_of_place_has_its_zoom():
    by = {q: search(q, **ALEPPO).hits[0] for q in ("Syria", "Aleppo", "Bustan al-Qasr")}
    assert (by["Syria"].kind, by["Syria"].zoom) == ("country", 6)
    assert (by["Aleppo"].kind, by["Aleppo"].zoom) == ("city", 12)
    assert by["Bustan al-Qasr"].zoom == 15
    governorate = [h for h in search("Aleppo", **ALEPPO).hits if h.kind == "admin1"]
    assert governorate and governorate[0].zoom == ZOOM["admin1"] == 8


def test_nothing_matched_is_its_own_answer():
    none = search("Qwzzxv Hollow", **ALEPPO)
    assert none.nothing and none.hits == () and not none.empty
    blank = search("   ", **ALEPPO)
    assert blank.empty and not blank.nothing


def test_without_a_region_the_gazetteer_ranking_stands():
    hits = search("Madaya", limit=3).hits
    assert hits and len({(round(h.lat, 1), round(h.lon, 1)) for h in hits}) == len(hits)
