"""Keeping a report's places (layers/report.py): each place once, in the report's one layer,
with the report as its source in every export, and a plain word for what was left out."""

from __future__ import annotations

import json

import pyogrio
import pytest

import layers
from layers.io.export import export
from layers.report import keep_places, kept_events, report_layer, scenario_area

REPORT = {"publisher": "Sample Wire", "title": "Pasted report", "date": "2016-09-14",
          "url": "https://example.org/r/1"}
TEXT = "Shelling hit Aleppo. Eastern Aleppo had no water. Aleppo again."


def row(name, lat, lon, *, place="geonames:170063", qualifier=None, keep=True, start=0):
    return {"keep": keep, "text": name, "name": name, "kind": "city", "confidence": 0.9,
            "low": False, "lat": lat, "lon": lon, "place": place, "qualifier": qualifier,
            "start": start, "end": start + len(name)}


ROWS = [
    row("Aleppo", 36.2012, 37.1612, start=13),
    row("Aleppo", 36.2012, 37.1612, qualifier="eastern", start=29),
    row("Aleppo", 36.2012, 37.1612, start=50),                         # the first again
    row("Nowhere", None, None, place=None),                            # correction failed
    row("Gulf", 0.5, 0.5, place=None),                                 # a slip of the sign
    row("Unticked", 36.1, 37.1, place="x", keep=False),
]


def test_keeping_merges_duplicates_and_names_what_it_left_out():
    sc = layers.load_scenario("aleppo-2016")
    kept = keep_places(ROWS, REPORT, TEXT, area=scenario_area(sc))
    ev = kept.events
    assert len(ev) == 3  # Aleppo, eastern Aleppo, the Gulf point; the rest left out
    assert list(ev["qualifier"].fillna("")) == ["", "eastern", ""]
    assert kept.merged == ["“Aleppo” (row 3) is the same place as row 1: kept once."]
    (dropped,) = kept.dropped
    assert dropped.startswith("“Nowhere” (row 4) left out: no coordinates")
    (outside,) = kept.outside
    assert outside.startswith("“Gulf” (row 5) at 0.5000, 0.5000 is outside the scenario")
    assert "Unticked" not in " ".join(kept.messages())  # the user's own choice, not a loss


def test_keeping_the_same_report_again_adds_to_its_one_layer():
    first = keep_places(ROWS, REPORT, TEXT)
    again = keep_places(ROWS[:2] + [row("Hanano", 36.22, 37.19, place="alp-hanano")], REPORT,
                        TEXT, existing=list(first.events["id"]))
    assert again.layer == first.layer == report_layer(dict(REPORT))
    assert list(again.events["title"]) == ["Hanano (named in a report)"]
    assert sum("already in layer" in m for m in again.merged) == 2
    other = report_layer({**REPORT, "url": "https://example.org/r/2"})
    assert other != first.layer and other.startswith("report_Sample_Wire_20160914_")


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_exported_report_places_carry_the_reports_source(tmp_path, fmt):
    events = kept_events(ROWS, REPORT, TEXT)
    out = tmp_path / f"places.{fmt}"
    export({"report_places": events}, fmt, out)
    back = pyogrio.read_dataframe(out, read_geometry=False) if fmt != "geojson" else None
    if fmt == "geojson":
        props = [f["properties"] for f in json.loads(out.read_text())["features"]]
    else:
        props = back.to_dict("records")
    assert len(props) == len(events)
    for p in props:
        assert (p["publisher"], p["report_title"], p["published"], p["url"]) == (
            "Sample Wire", "Pasted report", "2016-09-14", "https://example.org/r/1")
        assert "Sample Wire" in p["sources"] and "https://example.org/r/1" in p["source_refs"]


def test_a_report_without_a_date_takes_the_maps_date():
    import datetime as dt

    ev = kept_events(ROWS[:1], {**REPORT, "date": ""}, TEXT, day=dt.date(2016, 10, 1))
    assert list(ev["published"]) == ["2016-10-01"] and list(ev["date"]) == ["2016-10-01"]
