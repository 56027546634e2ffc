"""The ``aleppo-2016`` pack: the siege of eastern Aleppo, June–December 2016.

A user opens this pack to ask who held which neighbourhood on a date, whether the east was cut
off and how people could get in or out.  The checks: every record is sourced and rated; every
place id exists; one place's control intervals never overlap and every unit and sector is
mapped on every day of the window (so encirclement is decidable); the countryside sectors tile
with the city units; and, through the same analysis the page uses, the answers the sources give
for the turning points: encircled on 15 September, open again on 10 August after the Ramouseh
breach, no opposition ground in the city after the evacuation of 22 December.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "data" / "scenarios" / "aleppo-2016"
PLACES = ROOT / "data" / "places"
CONFIDENCE = {"high", "medium", "low"}
PRECISION = {"day", "month", "approximate"}
SOURCE_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _load(name: str):
    return json.loads((PACK / name).read_text(encoding="utf-8"))


def _rows() -> list[dict[str, str]]:
    with (PACK / "control.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _unit_ids() -> set[str]:
    return {f["properties"]["id"] for f in _features(PLACES / "aleppo-neighbourhoods.geojson")}


def _area_ids() -> set[str]:
    return {f["properties"]["id"] for f in _features(PACK / "areas.geojson")}


def _place_ids() -> set[str]:
    ids = _unit_ids() | _area_ids()
    ids |= {f["properties"]["id"] for f in _features(PLACES / "named-places.geojson")}
    aliases = PLACES / "aleppo-aliases.csv"
    if aliases.exists():
        with aliases.open(encoding="utf-8", newline="") as fh:
            ids |= {row["id"] for row in csv.DictReader(fh)}
    return ids


def _window() -> tuple[date, date]:
    w = _load("manifest.json")["window"]
    return date.fromisoformat(w["start"]), date.fromisoformat(w["end"])


@cache
def _scenario():
    from layers import load_scenario

    return load_scenario(PACK)


@cache
def _summary(day: str) -> dict:
    from layers import summarize

    return summarize(_scenario(), day)


def _opposition() -> set[str]:
    """Actors allied with the opposition-held east (read from the pack's alliances)."""
    alliances = _load("actors.json")["alliances"]
    besieged = {a for s in _load("sieges.json") if s["id"].startswith("siege-east")
                for a in s["besieged"]}
    return {a for group in alliances if besieged & set(group) for a in group}


def _zone_of(summary: dict, unit: str) -> dict:
    hits = [z for z in summary["zones"] if unit in z["units"]]
    assert len(hits) == 1, f"{unit} in {len(hits)} zones"
    return hits[0]


# ---------------------------------------------------------------------------- the records


def test_every_record_has_sources_and_confidence():
    known = set(_load("sources.json"))
    rated: list[tuple[str, dict]] = [(f"control row {i + 2}", {
        "sources": r["sources"].split(";") if r["sources"] else [],
        "confidence": r["confidence"]}) for i, r in enumerate(_rows())]
    rated += [(f["properties"]["id"], f["properties"]) for f in _features(PACK / "areas.geojson")]
    for name in ("sieges.json", "corridors.json", "crossings.json", "events.json"):
        for rec in _load(name):
            rated.append((rec["id"], rec))
            for st in rec.get("statuses", []):
                rated.append((f"{rec['id']} status from {st['from']}", st))
    for rec in _load("sieges.json"):
        for pop in rec["populations"]:
            assert pop["sources"] and set(pop["sources"]) <= known, rec["id"]
            assert _day(pop["date"]), rec["id"]
    assert len(rated) > 300
    for what, rec in rated:
        assert rec["confidence"] in CONFIDENCE, what
        assert rec["sources"], what
        assert set(rec["sources"]) <= known, f"{what}: {set(rec['sources']) - known}"


def test_sources_name_publisher_title_date_and_url():
    sources = _load("sources.json")
    assert sources
    for sid, s in sources.items():
        assert s["publisher"].strip() and s["title"].strip(), sid
        assert SOURCE_DATE.match(s["date"]), sid
        assert s["url"].startswith(("http://", "https://")), sid


def test_every_place_id_exists():
    known = _place_ids()
    used = {r["place"] for r in _rows()}
    for s in _load("sieges.json"):
        used |= set(s["places"])
    for c in _load("corridors.json"):
        used |= set(c.get("endpoints", [])) | ({c["place"]} if c.get("place") else set())
    for rec in _load("crossings.json") + _load("events.json"):
        if rec.get("place"):
            used.add(rec["place"])
    assert used - known == set()


def test_actor_ids_and_colours():
    doc = _load("actors.json")
    ids = {a["id"] for a in doc["actors"]}
    colours = [a["colour"].lower() for a in doc["actors"]]
    assert len(set(colours)) == len(colours), "two actors share a colour"
    assert {a for g in doc["alliances"] for a in g} <= ids
    assert {r["actor"] for r in _rows() if r["actor"]} <= ids
    for s in _load("sieges.json"):
        assert set(s["besiegers"]) | set(s["besieged"]) <= ids, s["id"]


def test_dates_parse_and_intervals_are_ordered():
    for r in _rows():
        start, end = _day(r["from"]), _day(r["to"])
        assert start is not None, r
        assert end is None or start < end, r
        assert r["from_precision"] in PRECISION and r["to_precision"] in PRECISION, r
        assert r["status"] in {"controlled", "contested", "unknown"}, r
        assert (r["status"] != "controlled") or r["actor"], r
    for name in ("sieges.json", "corridors.json", "crossings.json"):
        for rec in _load(name):
            for st in rec.get("statuses", [rec]):
                start, end = _day(st["from"]), _day(st.get("to"))
                assert start is not None and (end is None or start < end), rec["id"]
    for e in _load("events.json"):
        assert _day(e["date"]), e["id"]


def test_one_places_control_intervals_never_overlap():
    by_place: dict[str, list[tuple[date, date]]] = {}
    for r in _rows():
        by_place.setdefault(r["place"], []).append((_day(r["from"]), _day(r["to"]) or date.max))
    for place, ivs in by_place.items():
        ivs.sort()
        for (_, a_end), (b_start, _) in zip(ivs, ivs[1:], strict=False):
            assert a_end <= b_start, f"{place}: intervals overlap at {b_start}"


def test_every_unit_and_area_is_mapped_on_every_day_of_the_window():
    start, end = _window()
    by_place: dict[str, list[tuple[date, date]]] = {}
    for r in _rows():
        by_place.setdefault(r["place"], []).append((_day(r["from"]), _day(r["to"]) or date.max))
    assert set(by_place) >= _unit_ids() | _area_ids()
    for place, ivs in by_place.items():
        ivs.sort()
        day = start
        for a, b in ivs:
            if b <= day:
                continue
            assert a <= day, f"{place} has no record on {day}"
            day = b
        assert day > end, f"{place} has no record on {day}"


def test_turning_points_are_dated_events():
    start, end = _window()
    events = _load("events.json")
    kinds = {e["type"] for e in events}
    assert {"siege", "breach", "agreement", "ceasefire", "strike", "offensive",
            "evacuation"} <= kinds
    for e in events:
        assert start <= _day(e["date"]) <= end, e["id"]
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------------------- the geometry


def test_sectors_and_units_tile_without_overlaps_or_holes():
    units = [shape(f["geometry"]) for f in _features(PLACES / "aleppo-neighbourhoods.geojson")]
    areas = [shape(f["geometry"]) for f in _features(PACK / "areas.geojson")]
    assert all(g.is_valid for g in areas)
    to_m = 111_000.0  # metres per degree near Aleppo (enough for a sliver check)
    total = shapely.union_all(units + areas)
    assert len(shapely.get_parts(total)) == 1
    holes = [shapely.Polygon(r).area * to_m**2 for p in shapely.get_parts(total)
             for r in p.interiors]
    assert sum(holes) < 100.0, "unmapped ground between sectors and units"
    overlap = sum(a.intersection(u).area for a in areas for u in units
                  if a.intersects(u)) * to_m**2
    assert overlap < 100.0, "sectors overlap the city units"


# ---------------------------------------------------------------------------- the answers


@pytest.fixture(scope="module")
def sept15() -> dict:
    return _summary(_load("manifest.json")["default_date"])


def test_east_encircled_and_castello_cut_on_15_september(sept15):
    east = _zone_of(sept15, "alp-hanano")
    assert east["actor"] in _opposition()
    assert east["encircled"] is True
    besiegers = {a for s in _load("sieges.json") for a in s["besiegers"]}
    assert besiegers & set(east["encircled_by"])
    castello = next(c for c in sept15["corridors"] if c["id"] == "castello-road")
    assert castello["derived_status"] == "cut"
    assert castello["cut_at"], "the summary says where the road is cut"


def test_besieged_population_is_the_current_estimates_of_the_pack(sept15):
    day = date(2016, 9, 15)
    figures = set()
    for s in _load("sieges.json"):
        if _day(s["from"]) <= day < (_day(s["to"]) or date.max):
            for p in s["populations"]:
                if _day(p["date"]) <= day:
                    figures |= {p.get("low", p.get("value")), p.get("high", p.get("value"))}
    bp = sept15["besieged_population"]
    # The range is made of the pack's own figures dated on or before the day …
    assert figures and bp["low"] in figures and bp["high"] in figures
    assert date.fromisoformat(bp["as_of"]) <= day
    assert bp["sources"] and all(s["url"] for s in bp["sources"])


def test_besieged_population_falls_as_the_east_is_retaken(sept15):
    # … and follows the newest figures, so December shows the shrinking pocket.
    dec = _summary("2016-12-10")["besieged_population"]
    assert dec["high"] < sept15["besieged_population"]["low"]
    assert date.fromisoformat(dec["as_of"]) > date(2016, 11, 1)


def test_east_not_encircled_after_the_ramouseh_breach():
    s = _summary("2016-08-10")
    east = _zone_of(s, "alp-hanano")
    assert east["actor"] in _opposition()
    assert east["encircled"] is False


def test_east_encircled_when_the_road_is_cut_before_the_breach():
    east = _zone_of(_summary("2016-07-20"), "alp-sheikh-saeed")
    assert east["encircled"] is True


def test_no_opposition_ground_in_the_city_after_the_evacuation():
    s = _summary("2016-12-23")
    units = _unit_ids()
    opp = _opposition()
    held = [z for z in s["zones"] if z["actor"] in opp and set(z["units"]) & units]
    assert held == []
    before = _summary("2016-12-21")
    assert any(z["actor"] in opp and set(z["units"]) & units for z in before["zones"])


def test_summary_cli_tells_the_story_of_15_september():
    out = subprocess.run(
        [sys.executable, "-m", "layers", "summary", "--scenario", "aleppo-2016",
         "--date", "2016-09-15"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    # the besieged east itself, not merely some pocket (the Citadel and Sheikh Maqsoud are
    # encircled on every day), is encircled by the government
    east = [ln for ln in text.splitlines() if "(Opposition factions in eastern Aleppo," in ln]
    assert east and all("ENCIRCLED by" in ln and "Syrian government forces" in ln
                        for ln in east)
    assert re.search(r"Castello Road: closed / cut — cut at \S", text)
    assert re.search(r"Besieged population: [1-9][\d,]* people", text)


def test_window_days_all_load():
    """Every change date of the pack gives a state (no gaps or errors mid-window)."""
    from layers import change_dates, state_at

    sc = _scenario()
    start, end = _window()
    days = [d for d in change_dates(sc) if start <= d <= end]
    assert days
    for d in days[:: max(1, len(days) // 12)] + [end, start + timedelta(days=1)]:
        st = state_at(sc, d)
        assert len(st.zones) > 0


def test_fire_control_of_the_castello_road_is_not_yet_the_encirclement():
    # From 7 July the road was under fire, but the ring closed only when it was cut on 17 July:
    # the summary must not call the east encircled before the siege it lists begins.
    before, cut = _summary("2016-07-10"), _summary("2016-07-17")
    road = {c["id"]: c for c in before["corridors"]}["castello-road"]
    assert road["status"] == "under_fire"
    assert _zone_of(before, "alp-hanano")["encircled"] is False
    assert _zone_of(cut, "alp-hanano")["encircled"] is True
    assert "siege-east-aleppo-july" in {s["id"] for s in cut["sieges"]}
    assert "siege-east-aleppo-july" not in {s["id"] for s in before["sieges"]}
