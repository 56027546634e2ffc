"""The ``syria-2016`` pack: the UN's besieged locations of 2016.

A user reads this pack as "what the UN listed, when, with what evidence", so the checks are:
every record is sourced and rated; every place exists in the shared table; the dates parse; and
on the date of each UN count the pack recorded (manifest ``reports``) the pack lists as many
locations as the UN did, and, where the UN's breakdown is known, its figures add up to the UN's
total. The reference numbers are read from the pack's own source records, never typed here.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

import layers

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "data" / "scenarios" / "syria-2016"
CONFIDENCE = {"high", "medium", "low"}


def _load(name: str):
    return json.loads((PACK / name).read_text(encoding="utf-8"))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _active(siege: dict, day: date) -> bool:
    """Half-open [from, to): on the list from ``from`` until the day before ``to``."""
    start, end = _day(siege["from"]), _day(siege.get("to"))
    return start <= day and (end is None or day < end)


def _all_source_ids() -> set[str]:
    shared = json.loads((ROOT / "data" / "places" / "sources.json").read_text(encoding="utf-8"))
    return set(_load("sources.json")) | set(shared)


def _reports() -> list[tuple[str, dict]]:
    sources = _load("sources.json")
    return [(sid, sources[sid]["figures"]) for sid in _load("manifest.json")["reports"]]


def _place_ids() -> set[str]:
    """Ids of the shared place table: through geo.places, or the files when it is incomplete."""
    try:
        from geo.places import read_places

        return set(read_places())
    except FileNotFoundError:
        ids = set()
        for name in ("named-places.geojson", "aleppo-neighbourhoods.geojson"):
            doc = json.loads((ROOT / "data" / "places" / name).read_text(encoding="utf-8"))
            ids |= {f["properties"]["id"] for f in doc["features"]}
        with (ROOT / "data" / "places" / "aleppo-aliases.csv").open(encoding="utf-8") as fh:
            ids |= {row["id"] for row in csv.DictReader(fh)}
        return ids


def test_every_record_has_sources_and_confidence():
    known = _all_source_ids()
    records = _load("sieges.json") + _load("events.json")
    assert records
    for rec in records:
        assert rec["confidence"] in CONFIDENCE, rec["id"]
        assert rec["sources"], rec["id"]
        assert set(rec["sources"]) <= known, rec["id"]
        assert rec.get("description"), rec["id"]
    for siege in _load("sieges.json"):
        for pop in siege["populations"]:
            assert pop["sources"] and set(pop["sources"]) <= known, siege["id"]
            assert _day(pop["date"]) is not None


def test_source_records_are_complete():
    for sid, rec in _load("sources.json").items():
        for key in ("publisher", "title", "date", "url"):
            assert rec.get(key), f"{sid}: {key}"
        assert rec["url"].startswith(("http://", "https://")), sid


def test_every_place_exists():
    ids = _place_ids()
    used = {p for s in _load("sieges.json") for p in s["places"]}
    used |= {e["place"] for e in _load("events.json") if "place" in e}
    assert used and not (used - ids), sorted(used - ids)


def test_dates_parse_and_intervals_run_forward():
    man = _load("manifest.json")
    start, end = _day(man["window"]["start"]), _day(man["window"]["end"])
    assert start <= _day(man["default_date"]) <= end
    for s in _load("sieges.json"):
        a, b = _day(s["from"]), _day(s.get("to"))
        assert b is None or a < b, s["id"]
        assert s["from_precision"] in {"day", "month", "approximate"}
    for e in _load("events.json"):
        assert start <= _day(e["date"]) <= end, e["id"]


def test_besieging_parties_are_known_actors():
    actors = {a["id"] for a in _load("actors.json")["actors"]}
    for s in _load("sieges.json"):
        assert s["besiegers"] and set(s["besiegers"]) <= actors, s["id"]
        assert set(s["besieged"]) <= actors, s["id"]
    by_id = {s["id"]: s for s in _load("sieges.json")}
    # the three kinds of besieger the UN named in 2016
    assert by_id["sg-deir-ez-zor"]["besiegers"] == ["isil"]
    assert by_id["sg-foua-kafraya"]["besiegers"] == ["opposition"]
    assert "government" in by_id["sg-madaya"]["besiegers"]


@pytest.mark.parametrize("sid,fig", _reports(), ids=[r[0] for r in _reports()])
def test_pack_lists_as_many_locations_as_the_un(sid, fig):
    day = _day(fig["date"])
    places = {p for s in _load("sieges.json") if _active(s, day) for p in s["places"]}
    assert len(places) == fig["locations"], (sid, sorted(places))


@pytest.mark.parametrize("sid,fig", [r for r in _reports() if r[1]["breakdown"]],
                         ids=[r[0] for r in _reports() if r[1]["breakdown"]])
def test_un_breakdown_adds_up_to_its_total(sid, fig):
    day = _day(fig["date"])
    sieges = {s["id"]: s for s in _load("sieges.json")}
    groups = fig["breakdown"]
    covered = [g for grp in groups for g in grp["sieges"]]
    assert len(covered) == len(set(covered))
    assert set(covered) == {i for i, s in sieges.items() if _active(s, day)}
    assert abs(sum(g["value"] for g in groups) - fig["population"]) <= fig["rounding"]
    for grp in groups:
        # the pack's own estimates from this source, on this date, carry the breakdown figure
        pops = [p["value"] for i in grp["sieges"] for p in sieges[i]["populations"]
                if sid in p["sources"] and p["date"] == fig["date"]]
        assert sum(pops) == grp["value"], grp


def test_pack_validates():
    problems, _warnings = layers.validate_pack(PACK)
    assert problems == []


@pytest.mark.parametrize("sid,fig", _reports(), ids=[r[0] for r in _reports()])
def test_summary_on_report_date_matches_the_un(sid, fig):
    sc = layers.load_scenario(PACK)
    summ = layers.summarize(sc, fig["date"])
    places = {s.id: s.places for s in sc.sieges}
    listed = {p for s in summ["sieges"] for p in places[s["id"]]}
    assert len(listed) == fig["locations"] == summ["besieged_locations"]
    # the summary quotes the report's own count beside the pack's
    pub = summ["published_count"]
    assert (pub["date"], pub["locations"], pub["population"]) == (
        fig["date"], fig["locations"], fig["population"])
    assert f"Besieged locations: {fig['locations']} (published count of {fig['date']}" in (
        layers.format_summary(summ))
    pop = summ["besieged_population"]
    # never more people than the UN counted; where the UN's breakdown is known the
    # summary's range must contain the UN total
    assert pop["low"] <= fig["population"] + fig["rounding"]
    if fig["breakdown"]:
        assert pop["low"] - fig["rounding"] <= fig["population"] <= pop["high"] + fig["rounding"]


def test_eastern_aleppo_in_october_uses_a_figure_known_in_october():
    # Listed from about 30 September; the UN's 275,000 was given on 5 October, so a mid-October
    # summary must not fall back on a figure from late November.
    summ = layers.summarize(layers.load_scenario(PACK), "2016-10-15")
    east = next(s for s in summ["sieges"] if s["id"] == "sg-eastern-aleppo")
    pop = east["population"]
    assert pop["after_date"] is False
    assert date.fromisoformat(pop["as_of"]) <= date(2016, 10, 15)
    assert pop["sources"] and all(x["url"] for x in pop["sources"])
