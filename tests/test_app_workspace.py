"""The page's workspace parts (issue 10) through Streamlit's AppTest: fork, record by name or
by map clicks, history, correct/retract, as known on, conflicts, read-only, a new workspace
from an uploaded unit layer. Each test has its own store ($CORDON_STORE)."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers.workspace import create_workspace, open_workspace

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 180
PACK = "aleppo-2016"
HANANO = "alp-hanano"  # held by opp-city until 2016-11-26 in the pack
SOURCE = "seattletimes-2016-11-26-hanano"
GOV, OPP = "Syrian government forces", "Opposition factions in eastern Aleppo"
PAYLOAD = '<img src=x onerror="alert(1)">${alert(1)}`x`'


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch) -> Path:
    """Each test gets its own store (never the user's)."""
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("CORDON_STORE", str(path))
    monkeypatch.setenv("CORDON_USER", "page-user")
    return path


def fork(name: str = "alp"):
    return create_workspace(name, from_pack=PACK)


def run(params: dict | None = None, tab: str | None = None, at: AppTest | None = None
        ) -> AppTest:
    if at is None:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for k, v in (params or {}).items():
            at.query_params[k] = v
        if tab:
            at.session_state["tab"] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def script(at: AppTest) -> str:
    (comp,) = at.get("component_instance")
    return json.loads(comp.proto.json_args)["feature_group"]


def on_map(at: AppTest, text: str) -> bool:
    """Whether ``text`` is a whole string (a tooltip, say) in the map's layers (their JSON may
    escape non-ASCII)."""
    got = script(at)
    return f'"{text}"' in got or json.dumps(text) in got


def tip(name: str, holder: str) -> str:
    return f"{name} · held by {holder}"


def plain(elements) -> str:
    """The text of Markdown elements with their emphasis and escapes taken out."""
    return " ".join(re.sub(r"(?<!\\)\*", "", e.value) for e in elements).replace("\\", "")


def record_hanano(at: AppTest, actor: str = "gov", day: dt.date = dt.date(2016, 9, 15)):
    at.multiselect(key="ws_units").set_value([HANANO])
    at.selectbox(key="rec_kind").set_value("Control")
    at.selectbox(key="rec_actor").set_value(actor)
    at.date_input(key="rec_from").set_value(day)
    at.selectbox(key="src_pick").set_value(SOURCE)
    at.button(key="rec_go").click()
    return run(at=at)


# ------------------------------------------------------------------ fork
def test_fork_to_edit_opens_a_workspace_marked_in_the_picker():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["fork_open"] = True  # the user opens "Fork to edit"
    at = run(at=at)
    at.text_input(key="fork_name").input("aleppo-2016").run()
    at.button(key="fork_go").click().run()
    assert "name of a pack" in plain(at.error)
    at.text_input(key="fork_name").input("alp-live").run()
    at.button(key="fork_go").click().run()
    assert not at.exception and not at.error, plain(at.error)
    picker = at.sidebar.selectbox(key="scenario")
    assert picker.value == "alp-live"
    assert "alp-live — workspace" in picker.options and PACK in picker.options
    assert at.query_params["scenario"] == "alp-live"
    assert at.query_params["date"] == "2016-09-15"  # the pack's date is kept
    assert "Forked aleppo-2016" in plain(at.success)
    assert "Workspace alp-live" in plain(at.markdown)
    assert open_workspace("alp-live").version > 0
    assert at.button(key="rec_go")  # ready to record
    assert not [b for b in at.button if b.key == "fork_go"]  # forking is for packs


# ------------------------------------------------------------------ record, history, as known on
def test_record_by_name_changes_the_map_and_shows_in_the_history():
    ws = fork()
    at = run({"scenario": "alp", "date": "2016-09-15"})
    assert on_map(at, tip("Hanano", OPP))
    at = record_hanano(at)
    assert not at.error, plain(at.error)
    assert "Recorded: Hanano held by Syrian government forces from 2016-09-15" in plain(
        at.success)
    assert on_map(at, tip("Hanano", GOV)) and not on_map(at, tip("Hanano", OPP))
    assert f"version {ws.version}" in plain(at.markdown)
    (new,) = [h for h in ws.history(place=HANANO) if h["op"] == "record"
              and h["body"]["from"] == "2016-09-15"]
    assert new["recorded_by"] == "page-user" and new["body"]["sources"] == SOURCE
    history = plain(at.markdown)
    # who, when, what, from which source; and the pack's own record it ended
    assert f"page-user · recorded control {new['id']}: Hanano held by {GOV}" in history
    assert "source: The Seattle Times" in history
    assert f"ended by {new['id']}" in history
    assert at.selectbox(key="hist_target").value == HANANO
    # the selected unit is highlighted on the map
    assert on_map(at, "Hanano · selected")


def test_as_known_on_shows_the_earlier_map_and_turns_recording_off():
    ws = fork()
    forked_at = dt.datetime.fromisoformat(ws.history()[-1]["recorded_at"].rstrip("Z"))
    time.sleep(1.2)  # the record must fall in a later second than the fork
    at = record_hanano(run({"scenario": "alp"}))
    assert on_map(at, tip("Hanano", GOV))
    moment = (forked_at.replace(microsecond=0) + dt.timedelta(seconds=1))
    at.sidebar.checkbox(key="known_on").check().run()
    at.sidebar.date_input(key="known_day").set_value(moment.date())
    at.sidebar.text_input(key="known_time").input(moment.strftime("%H:%M:%S"))
    at = run(at=at)
    known = moment.strftime("%Y-%m-%dT%H:%M:%S")
    assert at.query_params["known"] == known
    assert on_map(at, tip("Hanano", OPP)) and not on_map(at, tip("Hanano", GOV))
    assert "as known on" in at.caption[0].value
    assert not [b for b in at.button if b.key in ("rec_go", "actor_go")]
    assert "Recording is off" in plain(at.info)
    # the summary is shown (as known then)
    assert "Ground held" in " ".join(str(h.body) for h in at.get("html"))
    at.session_state["tab"] = "Export"  # and exported as known then
    at = run(at=at)
    at.button(key="export_go").click()
    at = run(at=at)
    exported = json.loads(at.session_state["_export"][2])["features"]
    assert [f["properties"]["actor"] for f in exported
            if f["properties"].get("id") == HANANO] == ["opp-city"]
    # The same view from its URL, in a new session.
    again = run({"scenario": "alp", "known": known})
    assert again.sidebar.checkbox(key="known_on").value is True
    assert on_map(again, tip("Hanano", OPP))
    # Back to now: the recorded change is on the map again.
    again.sidebar.checkbox(key="known_on").uncheck()
    again = run(at=again)
    assert "known" not in again.query_params and on_map(again, tip("Hanano", GOV))
    # A moment before the workspace existed: said, and the workspace shown as it is now.
    late = run({"scenario": "alp", "known": "2001-01-01"})
    assert "no records by" in plain(late.sidebar.warning) and on_map(late, tip("Hanano", GOV))


def test_a_stale_page_gets_the_conflict_message():
    ws = fork()
    at = run({"scenario": "alp"})
    shown = ws.version
    # Someone else records Hanano meanwhile.
    ws.record_control([HANANO], actor="gov", status="controlled", start="2016-09-10",
                      sources=[SOURCE], by="bob", base=shown)
    at = record_hanano(at, day=dt.date(2016, 9, 20))
    (err,) = at.error
    text = err.value.replace("\\", "")
    assert text.startswith("Not recorded: conflict:") and "bob" in text
    assert f"you saw version {shown}" in text and "\n" not in text
    assert [h["recorded_by"] for h in ws.history(place=HANANO) if h["op"] == "record"
            and h["body"] and h["body"].get("from", "") >= "2016-09-10"] == ["bob"]
    # The page now shows bob's change; recording again (on the new version) works.
    assert on_map(at, tip("Hanano", GOV))
    at.button(key="rec_go").click()
    at = run(at=at)
    assert not at.error and at.success


def test_read_only_when_the_store_says_so(monkeypatch):
    from layers.workspace.gpkg import GeoPackageBackend

    fork()
    monkeypatch.setattr(GeoPackageBackend, "can_write", lambda self: False)
    at = run({"scenario": "alp"})
    assert "read-only (viewer)" in plain(at.info)
    keys = {b.key for b in at.button}
    assert not keys & {"rec_go", "actor_go", "fix_go", "retract_go"}
    at.multiselect(key="ws_units").set_value([HANANO])
    at = run(at=at)
    assert "from the pack control" in plain(at.markdown)  # the history, read only
    assert not [b for b in at.button if b.key in ("fix_go", "retract_go")]
    pack = run({"scenario": PACK}, tab="New workspace")
    assert not [b for b in pack.button if b.key in ("fork_go", "units_create")]
    assert "read-only (viewer)" in plain(pack.info)


# ------------------------------------------------------------------ map clicks
def click(at: AppTest, lon: float, lat: float, *, feature: dict | None = None) -> AppTest:
    """What st_folium sends back (under the map's key) after a click on the map."""
    before = at.session_state["map"] if "map" in at.session_state else {}
    count = before.get("last_object_clicked_count") or 0
    at.session_state["map"] = {
        "last_clicked": None if feature else {"lat": lat, "lng": lon},
        "last_object_clicked": {"lat": lat, "lng": lon} if feature else None,
        "last_object_clicked_count": count + 1 if feature else count,
        "last_active_drawing": feature}
    return run(at=at)


def test_clicks_select_units_and_draw_a_corridor_and_a_crossing():
    from geo.places import load_places

    ws = fork()
    hanano = load_places()[HANANO]
    at = run({"scenario": "alp"})
    siege = {"type": "Feature", "properties": {"layer": "sieges", "id": "siege-x"},
             "geometry": None}
    at = click(at, hanano.lon, hanano.lat, feature=siege)  # a siege's popup takes the click
    assert at.multiselect(key="ws_units").value == [HANANO]
    assert on_map(at, "Hanano · selected")
    at = click(at, hanano.lon, hanano.lat)  # again: dropped
    assert at.multiselect(key="ws_units").value == []
    castello = {"type": "Feature", "properties": {"layer": "corridors", "id": "castello-road"},
                "geometry": None}
    at = click(at, 37.15, 36.25, feature=castello)
    assert at.selectbox(key="ws_access").value == "castello-road"
    assert at.selectbox(key="hist_target").value == "castello-road"
    # Draw a corridor: clicks are points now, and layers are quiet.
    at.selectbox(key="rec_kind").set_value("New corridor (draw it)")
    at = run(at=at)
    for lon, lat in ((37.10, 36.20), (37.12, 36.21), (37.14, 36.21)):
        at = click(at, lon, lat)
    assert at.session_state["_draw_points"] == [[37.1, 36.2], [37.12, 36.21], [37.14, 36.21]]
    assert on_map(at, "point 3") and '"interactive": false' in script(at)
    at.button(key="draw_undo").click()
    at = run(at=at)
    assert len(at.session_state["_draw_points"]) == 2
    at.text_input(key="new_name").input("Ramouseh road")
    at.selectbox(key="src_pick").set_value(SOURCE)
    at.button(key="rec_go").click()
    at = run(at=at)
    assert not at.error, plain(at.error)
    (cor,) = [b for k, _, b in ws.records() if k == "corridor" and b["name"] == "Ramouseh road"]
    assert cor["geometry"]["coordinates"] == [[37.1, 36.2], [37.12, 36.21]]
    assert at.selectbox(key="ws_access").value == cor["id"]
    assert "Ramouseh road" in script(at)
    # A crossing: one click.
    at.selectbox(key="rec_kind").set_value("New crossing or checkpoint")
    at = run(at=at)
    at = click(at, 37.16, 36.19)
    at = click(at, 37.17, 36.18)  # a second click moves it
    at.text_input(key="new_name").input("Checkpoint 7")
    at.selectbox(key="new_kind_cro").set_value("checkpoint")
    at.selectbox(key="src_pick").set_value(SOURCE)
    at.button(key="rec_go").click()
    at = run(at=at)
    assert not at.error, plain(at.error)
    (cro,) = [b for k, _, b in ws.records() if k == "crossing" and b["name"] == "Checkpoint 7"]
    assert cro["geometry"]["coordinates"] == [37.17, 36.18] and cro["kind"] == "checkpoint"


def test_a_click_made_before_the_workspace_was_shown_selects_nothing():
    fork()
    at = run()
    at.session_state["map"] = {"last_clicked": {"lat": 36.2267, "lng": 37.2016},
                               "last_object_clicked_count": 0}
    at = run(at=at)
    at.sidebar.selectbox(key="scenario").set_value("alp")
    at = run(at=at)
    assert at.multiselect(key="ws_units").value == []


# ------------------------------------------------------------------ other records
def test_access_siege_and_event_with_a_new_source():
    ws = fork()
    at = run({"scenario": "alp", "date": "2016-09-15"})
    at.selectbox(key="ws_access").set_value("castello-road")
    at.selectbox(key="rec_kind").set_value("Corridor or crossing status")
    at = run(at=at)
    at.selectbox(key="acc_status_corridor").set_value("open")
    at.date_input(key="rec_from").set_value(dt.date(2016, 9, 14))
    at.radio(key="src_mode").set_value("new")
    at = run(at=at)
    at.button(key="rec_go").click()
    at = run(at=at)
    assert "a new source needs" in plain(at.error)
    for key, value in (("src_publisher", "Local council"), ("src_title", "Road reopened"),
                       ("src_date", "2016-09-14"), ("src_url", "https://example.org/road")):
        at.text_input(key=key).input(value)
    at.button(key="rec_go").click()
    at = run(at=at)
    assert not at.error, plain(at.error)
    sources = {i: b for k, i, b in ws.records() if k == "source"}
    (sid,) = [i for i, b in sources.items() if b.get("url") == "https://example.org/road"]
    (road,) = [b for k, i, b in ws.records() if k == "corridor" and i == "castello-road"]
    assert [(s["status"], s["sources"]) for s in road["statuses"]
            if s["from"] == "2016-09-14"] == [("open", [sid])]
    assert "Castello Road (corridor): open from 2016-09-14" in plain(at.markdown)  # history
    # A siege of two units, with a population figure.
    at.multiselect(key="ws_units").set_value([HANANO, "alp-haydariyeh"])
    at.selectbox(key="rec_kind").set_value("Siege")
    at = run(at=at)
    at.text_input(key="siege_name").input("Hanano pocket")
    at.multiselect(key="siege_by").set_value(["gov"])
    at.multiselect(key="siege_of").set_value(["opp-city"])
    at.number_input(key="siege_pop").set_value(12000)
    at.radio(key="src_mode").set_value("existing")
    at = run(at=at)
    at.selectbox(key="src_pick").set_value(sid)
    at.button(key="rec_go").click()
    at = run(at=at)
    assert not at.error, plain(at.error)
    (siege,) = [b for k, _, b in ws.records() if k == "siege" and b["name"] == "Hanano pocket"]
    assert siege["places"] == [HANANO, "alp-haydariyeh"] and siege["besiegers"] == ["gov"]
    assert siege["populations"] == [{"value": 12000, "date": "2016-09-14", "sources": [sid],
                                     "note": ""}]
    # An event at a selected unit.
    at.selectbox(key="rec_kind").set_value("Event")
    at = run(at=at)
    at.selectbox(key="ev_type").set_value("strike")
    at.text_input(key="ev_title").input("Market hit")
    at.button(key="rec_go").click()
    at = run(at=at)
    assert not at.error, plain(at.error)
    (ev,) = [b for k, _, b in ws.records() if k == "event" and b["title"] == "Market hit"]
    assert ev["place"] == HANANO and ev["type"] == "strike" and ev["sources"] == [sid]
    assert "Market hit" in plain(at.markdown)  # in the feed


def test_correct_and_retract_need_a_reason_and_stay_in_the_history():
    ws = fork()
    (rid,), _ = ws.record_control([HANANO], actor="gov", status="controlled",
                                  start="2016-09-15", sources=[SOURCE], by="bob")
    at = run({"scenario": "alp"})
    at.multiselect(key="ws_units").set_value([HANANO])
    at = run(at=at)
    at.selectbox(key="fix_record").set_value(rid)
    at = run(at=at)
    at.selectbox(key="fix_field").set_value("confidence")
    at.text_input(key="fix_value").input("low")
    at.button(key="fix_go").click()
    at = run(at=at)
    assert "give a reason" in plain(at.error)
    at.text_input(key="fix_reason").input("only one source")
    at.button(key="fix_go").click()
    at = run(at=at)
    assert not at.error, plain(at.error)
    assert [h["body"]["confidence"] for h in ws.history(record=rid)][-1] == "low"
    assert "corrected control" in plain(at.markdown) and "only one source" in plain(at.markdown)
    at.selectbox(key="fix_record").set_value(rid)
    at.text_input(key="fix_reason").input("wrong unit")
    at.button(key="retract_go").click()
    at = run(at=at)
    assert not at.error, plain(at.error)
    assert ws.history(record=rid)[-1]["retracted"]
    text = plain(at.markdown)
    assert f"retracted control {rid}: withdrawn · reason: wrong unit" in text
    assert on_map(at, tip("Hanano", OPP))  # the pack's record is in force again


# ------------------------------------------------------------------ a new workspace from units
def _squares(bowtie: bool = True) -> bytes:
    features = []
    for i in range(3):
        for j in range(2):
            x, y = 10 + i * 0.01, 50 + j * 0.01
            ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
            features.append({"type": "Feature", "properties": {"code": f"U{i}{j}",
                                                                "label": f"Block {i}-{j}"},
                             "geometry": {"type": "Polygon", "coordinates": [ring]}})
    if bowtie:  # an invalid polygon, repaired on import
        features[0]["geometry"]["coordinates"] = [[[10, 50], [10.01, 50.01], [10.01, 50],
                                                   [10, 50.01], [10, 50]]]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_new_workspace_from_an_uploaded_unit_layer_then_actors_then_record():
    import io
    import zipfile

    at = run(tab="New workspace")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("blocks/blocks.geojson", _squares())
    at.file_uploader(key="units_file").upload("blocks.zip", buf.getvalue(),
                                             "application/zip")
    at = run(at=at)
    assert "blocks.geojson: 6 features" in plain(at.caption)
    at.selectbox(key="units_id_field").set_value("code")
    at.selectbox(key="units_name_field").set_value("label")
    at.text_input(key="units_ws_name").input("town")
    at = run(at=at)
    assert at.button(key="units_create").disabled  # not before the units were checked
    at.button(key="units_check").click()
    at = run(at=at)
    assert "6 units ready" in plain(at.success)
    assert "repaired" in plain(at.info)  # the repair report
    at.button(key="units_create").click()
    at = run(at=at)
    assert not at.error, plain(at.error)
    assert at.sidebar.selectbox(key="scenario").value == "town"
    assert "Created the workspace “town” with 6 units" in plain(at.success)
    assert on_map(at, "Block 1-0 · no record on this date")  # units to click
    # Actors, in the Okabe–Ito palette.
    assert "No actors yet" in plain(at.caption)
    assert at.selectbox(key="actor_colour").value == "#0072b2"
    at.text_input(key="actor_name").input("Town militia")
    at.text_input(key="actor_short").input("Militia")
    at.button(key="actor_go").click()
    at = run(at=at)
    assert not at.error, plain(at.error)
    assert at.selectbox(key="actor_colour").value == "#d55e00"  # the next colour
    assert at.selectbox(key="rec_actor").value == "town-militia"  # ready to record them
    # Record: the unit is drawn in the actor's colour.
    at.multiselect(key="ws_units").set_value(["town-u10"])
    at.radio(key="src_mode").set_value("new")
    at = run(at=at)
    for key, value in (("src_publisher", "Town hall"), ("src_title", "Notice"),
                       ("src_date", "2026-01-02"), ("src_url", "https://example.org/n")):
        at.text_input(key=key).input(value)
    at.button(key="rec_go").click()
    at = run(at=at)
    assert not at.error, plain(at.error)
    assert on_map(at, tip("Block 1-0", "Town militia")) and '"#0072b2"' in script(at)


def test_unit_upload_problems_are_one_plain_line():
    at = run(tab="New workspace")
    at.file_uploader(key="units_file").upload("junk.geojson", b"{not json")
    at = run(at=at)
    assert at.error and at.error[0].value.replace("\\", "").startswith("junk.geojson: ")
    at.file_uploader(key="units_file").upload("two.zip", _zip(a=_squares(), b=_squares()))
    at = run(at=at)
    assert "exactly one" in plain(at.error)


def _zip(**members: bytes) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(f"{name}.geojson", data)
    return buf.getvalue()


# ------------------------------------------------------------------ data is text
def test_names_and_sources_from_data_are_escaped_in_the_panel():
    ws = fork()
    doc = next(b for k, _, b in ws.records() if k == "actors")
    doc["actors"][0]["name"] += PAYLOAD
    ws.set_actors(doc, reason="payload " + PAYLOAD, by="eve" + PAYLOAD)
    sid = ws.add_source("https://example.org/p", "Pub" + PAYLOAD, "Title" + PAYLOAD,
                        "2016-09-01")
    ws.record_control([HANANO], actor=doc["actors"][0]["id"], status="controlled",
                      start="2016-09-15", sources=[sid], note=PAYLOAD)
    at = run({"scenario": "alp"})
    at.multiselect(key="ws_units").set_value([HANANO])
    at = run(at=at)
    raw = re.compile(r"(?<!\\)[<`$]")
    texts = [e.value for e in [*at.markdown, *at.caption] if "alert" in e.value]
    assert len(texts) >= 2, "the payload did not reach the panel"
    for t in texts:
        assert not raw.search(t), t
    actors = " ".join(str(h.proto) for h in at.get("html"))
    assert "onerror" in actors and "<img src=x" not in actors


# ------------------------------------------------------------------ the page's helpers
def test_as_known_on_values_from_the_url_are_checked():
    from layers.draw.view import View, from_params, known_value

    assert known_value("2016-11-27") == "2016-11-27"
    assert known_value("2016-11-27 14:30Z") == "2016-11-27T14:30"
    assert known_value("2016-11-27T14:30:05.5") == "2016-11-27T14:30:05.5"
    for bad in ("2016-13-01", "yesterday", "2016-11-27T25:00", "2016-11-27T14:30;drop", None):
        assert known_value(bad) is None, bad
    window = (dt.date(2016, 6, 1), dt.date(2016, 12, 31))
    v = from_params({"scenario": "x", "known": "2016-11-27T14:30"}, ["x"], "x",
                    lambda n: window, lambda n: window[0])
    assert v.known == "2016-11-27T14:30" and v.to_params()["known"] == "2016-11-27T14:30"
    assert "known" not in View("x", window[0]).to_params()


def test_clicks_are_told_apart_and_points_found_in_units():
    from geo.places import load_places
    from layers.catalog import load_scenario
    from layers.draw import workspace as wsd

    assert wsd.clicked(None) is None and wsd.clicked({"last_clicked": None}) is None
    a = wsd.clicked({"last_clicked": {"lat": 1, "lng": 2}, "last_object_clicked_count": 0})
    b = wsd.clicked({"last_clicked": {"lat": 1, "lng": 2}, "last_object_clicked_count": 1})
    assert a != b  # the same spot clicked again on a feature is a new click
    assert wsd.clicked_point({"last_clicked": {"lat": 36.2, "lng": 397.1}}) == (37.1, 36.2)
    sc = load_scenario(PACK)
    p = load_places()[HANANO]
    assert wsd.unit_at(sc, p.lon, p.lat) == HANANO
    assert wsd.unit_at(sc, 0.0, 0.0) is None
    units = wsd.pickable_units(sc)
    assert units[HANANO] == "Hanano" and list(units) == sorted(
        units, key=lambda u: (units[u].casefold(), u))


def test_history_lines_escape_what_comes_from_data():
    from layers.draw import workspace as wsd

    line = wsd.history_line({"seq": 7, "when": "2026-01-01 10:00:00", "by": "eve*_[x](y)",
                             "op": "recorded", "kind": "control", "id": "ctl-1",
                             "what": PAYLOAD, "sources": [PAYLOAD], "confidence": "high",
                             "reason": "$x$ :red[y]"})
    assert not re.search(r"(?<!\\)[<`$\[\]_]", line.replace("**#7**", "").replace("*recorded*",
                                                                                   "")), line
