"""The page's widgets and state, through Streamlit's AppTest (no browser)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 180  # the first run loads the pack and may build the geocoder index


def run(params: dict | None = None, tab: str | None = None, actors: bool = False) -> AppTest:
    """The page; ``tab`` open, and with ``actors`` the sidebar's "Control by actor" too."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if tab:
        at.session_state["tab"] = tab
    if actors:
        at.session_state["actors_open"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch) -> Path:
    """Each test gets its own working store (never the user's)."""
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("CORDON_STORE", str(path))
    return path


@pytest.fixture
def opened() -> AppTest:
    return run()


def test_opens_on_aleppo_at_default_date(opened):
    at = opened
    assert at.sidebar.selectbox(key="scenario").value == "aleppo-2016"
    assert at.slider(key="day:aleppo-2016").value == date(2016, 9, 15)
    assert at.query_params["scenario"] == "aleppo-2016"
    assert at.query_params["date"] == "2016-09-15"
    assert "15 September 2016" in at.caption[0].value
    figure = besieged(at)
    assert any(ch.isdigit() for ch in figure), figure  # a besieged-population range
    assert not at.error


def test_moving_the_date_updates_url_and_summary():
    at = run()
    before = besieged(at)
    at.slider(key="day:aleppo-2016").set_value(date(2016, 12, 30)).run()
    assert at.query_params["date"] == "2016-12-30"
    assert "30 December 2016" in at.caption[0].value
    assert besieged(at) != before  # the eastern siege had ended by then


def besieged(at: AppTest) -> str:
    """The besieged-population figure beside the map."""
    (block,) = [str(h.body) for h in at.get("html") if "class='cordon-figure'" in str(h.body)]
    assert "Besieged population" in block
    return re.search(r"cordon-figure-value'>([^<]*)<", block).group(1)


def test_layer_toggle_updates_url_and_legend():
    at = run()
    assert "Event" in legend_text(at)
    at.sidebar.checkbox(key="layer_events").uncheck().run()
    assert "events" not in at.query_params["layers"].split(",")
    assert "Event" not in legend_text(at)


def legend_text(at: AppTest) -> str:
    """The legend beside the map (not the summary tables, also HTML)."""
    return " ".join(str(getattr(h, "body", h.proto)) for h in at.get("html")
                    if "cordon-legend" in str(getattr(h, "body", h.proto)))


def test_query_params_round_trip():
    params = {"scenario": "aleppo-2016", "date": "2016-11-20", "layers": "control,sieges",
              "compare": "2016-10-01"}
    at = run(params)
    assert at.slider(key="day:aleppo-2016").value == date(2016, 11, 20)
    assert at.sidebar.checkbox(key="layer_events").value is False
    assert at.sidebar.checkbox(key="layer_sieges").value is True
    assert at.sidebar.checkbox(key="compare_on").value is True
    assert at.sidebar.slider(key="compare_day:aleppo-2016").value == date(2016, 10, 1)
    got = dict(at.query_params)
    assert got == {**params, "layers": "control,changes,sieges"}
    assert "Changed hands" in legend_text(at)


def test_changed_hands_read_in_time_order_whichever_date_is_later():
    # The east of Aleppo went from the opposition to the government between July and
    # December; a comparison date after the map's date must not tell it backwards.
    gov, opp = "Syrian government forces", "Opposition factions in eastern Aleppo"
    for day, compare in (("2016-12-30", "2016-07-01"), ("2016-07-01", "2016-12-30")):
        at = run({"date": day, "compare": compare, "layers": "control,changes"})
        script = component_args(at)["feature_group"]  # JSON in a script: text as it is

        def told(a, b):
            return f"{a} → {b}"

        assert told(opp, gov) in script, (day, compare)
        assert told(gov, opp) not in script, (day, compare)


def test_bad_query_params_fall_back_to_defaults():
    at = run({"scenario": "atlantis", "date": "yesterday", "layers": "control,nonsense",
              "hide": "nobody,<b>x</b>,contested"})
    assert at.sidebar.selectbox(key="scenario").value == "aleppo-2016"
    assert at.slider(key="day:aleppo-2016").value == date(2016, 9, 15)
    assert at.query_params["layers"] == "control"
    assert at.query_params["hide"] == "contested"  # unknown actors are dropped, known kept


BAD_UPLOADS = [("broken.geojson", b"{not json"), ("empty.geojson", b""),
               ("junk.gpkg", b"\x00\x01 not a database" * 50),
               ("broken.kml", b"<kml><Placemark><name>x</na")]


def test_upload_errors_are_plain_words(tmp_path):
    at = run(tab="My layers")
    for name, data in BAD_UPLOADS:
        at.file_uploader(key="layer_file").upload(name, data, "application/octet-stream")
        at.run()
        assert not at.exception
        assert at.error, f"no error shown for {name}"
        msg = at.error[0].value.replace("\\", "")  # Markdown escapes aside
        assert msg.startswith(f"{name}: ") and "\n" not in msg.strip(), msg
        # No library jargon, no path of the server's temporary copy.
        for jargon in ("Traceback", "DRIVER", "It might help", "LIBKML", "/tmp", "upload."):
            assert jargon not in msg, msg


def test_upload_adds_a_layer_kept_in_the_store(store):
    at = run(tab="My layers")
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.15, 36.2]},
         "properties": {"name": "Clinic"}}]}
    at.file_uploader(key="layer_file").upload("clinics.geojson", json.dumps(doc).encode())
    at.run()
    assert not at.error and not at.exception
    assert list(at.session_state["user_layers"]) == ["clinics"]
    assert "clinics" in at.success[0].value
    assert "Clinic" in component_args(at)["feature_group"]
    import layers

    assert layers.Store(store).layers() == ["clinics"]
    # A later session finds it in the store and can show it again.
    later = run(tab="My layers")
    picker = later.multiselect[0]
    assert picker.options == ["clinics"] and picker.value == []
    picker.select("clinics").run()
    assert "Clinic" in component_args(later)["feature_group"]


def test_upload_says_what_the_import_changed():
    at = run(tab="My layers")
    bowtie = [[37.1, 36.1], [37.2, 36.2], [37.2, 36.1], [37.1, 36.2], [37.1, 36.1]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [bowtie]},
         "properties": {"name": "Field"}}]}
    at.file_uploader(key="layer_file").upload("fields.geojson", json.dumps(doc).encode())
    at.run()
    assert not at.error and at.success
    said = " ".join(i.value for i in at.info).replace("\\", "")
    assert "feature 1" in said and "repaired" in said, said


def test_upload_over_the_size_cap_is_refused(monkeypatch):
    at = run(tab="My layers")
    at.file_uploader(key="layer_file").upload("big.csv", b"x" * (21 * 1024 * 1024))
    at.run()
    assert "over the 20 MB limit" in at.error[0].value


REPORT = ("Shelling was reported overnight in Bustan al-Qasr, a district of Aleppo, while "
          "lorries waited on the road towards Damascus.")


def test_report_box_lists_mentions_and_keeps_them():
    at = run(tab="Report")
    at.text_area(key="report_text").set_value(REPORT)
    at.text_input(key="report_publisher").set_value("Test Wire")
    at.text_input(key="report_date").set_value("2016-09-14").run()
    at.button(key="report_go").click().run()
    assert not at.exception
    rows = at.session_state["mention_rows"]
    names = {r["text"] for r in rows}
    assert {"Bustan al-Qasr", "Aleppo"} <= names, names
    assert all(isinstance(r["low"], bool) for r in rows)
    assert any("places" in c.value for c in at.caption)  # the table's summary line
    (table,) = [e for e in at.main if type(e).__name__ == "Dataframe"]
    columns = json.loads(table.proto.columns)  # corrections stay on the globe
    assert (columns["lat"]["type_config"]["min_value"], columns["lon"]["type_config"][
        "max_value"]) == (-90, 180)
    at.button(key="report_keep").click().run()
    kept = at.session_state["user_layers"]
    (name, events), = kept.items()
    assert len(events) == sum(1 for r in rows if r["lat"] is not None)
    assert set(events["sources"]) == {"Test Wire — Pasted report (2016-09-14)"}
    assert "report_text" not in json.dumps(list(events.columns))  # the text itself is not kept


def test_a_report_is_kept_in_its_one_layer_and_its_source_outlives_a_closed_tab(store):
    import layers

    at = run(tab="Report")
    at.text_area(key="report_text").set_value(REPORT)
    at.text_input(key="report_publisher").set_value("Test Wire")
    at.text_input(key="report_date").set_value("2016-09-14").run()
    at.button(key="report_go").click().run()
    at.button(key="report_keep").click().run()
    said = " ".join(w.value for w in at.warning)
    assert "Damascus" in said and "outside the scenario's area" in said  # kept, but named
    (layer,) = layers.Store(store).layers()
    assert layer.startswith("report_Test_Wire_20160914_")
    first = len(layers.Store(store).read(layer))
    at.button(key="report_keep").click().run()  # the same report again: nothing new
    assert layers.Store(store).layers() == [layer]
    assert len(layers.Store(store).read(layer)) == first
    assert "already in layer" in " ".join(w.value for w in at.warning)
    # another tab, then back: the report and its source are still there
    at.session_state["tab"] = "Export"
    at.run()
    at.session_state["tab"] = "Report"
    at.run()
    assert at.text_input(key="report_publisher").value == "Test Wire"
    assert at.text_area(key="report_text").value == REPORT


def test_long_report_is_parsed_in_pieces_with_a_progress_bar(monkeypatch):
    import geo

    calls: list[float] = []
    real = geo.geoparse

    def spy(text, **kw):
        assert kw.get("progress") is not None, "no progress bar for a long text"
        return real(text, progress=lambda x: (calls.append(x), kw["progress"](x)), **{
            k: v for k, v in kw.items() if k != "progress"})

    monkeypatch.setattr(geo, "geoparse", spy)
    at = run(tab="Report")
    long_text = (REPORT + "\n") * (200_000 // len(REPORT))
    at.text_area(key="report_text").set_value(long_text).run()
    at.button(key="report_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert calls and calls[-1] == 1.0
    assert len(at.session_state["mention_rows"]) > 1000


def test_report_txt_upload_reads_utf8_and_refuses_other_bytes():
    at = run(tab="Report")
    at.file_uploader(key="report_file").upload("note.txt", b"\xef\xbb\xbf" + REPORT.encode())
    at.run()
    assert at.session_state["report_text"] == REPORT  # no byte-order mark in the text
    at.file_uploader(key="report_file").upload("scan.txt", "Alep, café".encode("utf-16"))
    at.run()
    assert not at.exception
    assert "scan.txt: not UTF-8" in at.error[0].value.replace("\\", "")
    assert at.session_state["report_text"] == REPORT  # the earlier text is kept


def test_report_source_must_be_a_date_and_a_web_address():
    at = run(tab="Report")
    at.text_area(key="report_text").set_value(REPORT).run()
    at.button(key="report_go").click().run()
    assert at.session_state["mention_rows"]
    for field, value, words in (("report_date", "last Tuesday", "YYYY-MM-DD"),
                                ("report_date", "2016-02-30", "YYYY-MM-DD"),
                                ("report_url", "javascript:alert(1)", "http")):
        at.text_input(key="report_date").set_value("2016-09-14")
        at.text_input(key="report_url").set_value("")
        at.text_input(key=field).set_value(value).run()
        at.button(key="report_keep").click().run()
        assert not at.exception
        assert at.error and words in at.error[0].value, (value, [e.value for e in at.error])
        assert "user_layers" not in at.session_state or not at.session_state["user_layers"]
    at.text_input(key="report_url").set_value("https://example.org/r").run()
    at.button(key="report_keep").click().run()
    assert not at.error
    (events,) = at.session_state["user_layers"].values()
    assert set(events["url"]) == {"https://example.org/r"}


def component_args(at: AppTest) -> dict:
    (comp,) = at.get("component_instance")
    return json.loads(comp.proto.json_args)


def test_place_search_in_arabic_centres_the_map():
    at = run()
    assert component_args(at)["center"] is None
    script = component_args(at)["script"]
    at.sidebar.text_input(key="place_query").set_value("حلب").run()
    pick = at.sidebar.radio(key="place_pick")
    assert pick.options[0].replace("\\", "").startswith("Aleppo (city")
    lat, lon = component_args(at)["center"]
    assert abs(lat - 36.2) < 0.05 and abs(lon - 37.16) < 0.05
    assert component_args(at)["script"] == script  # same map, only the view moved
    at.sidebar.text_input(key="place_query").set_value("no such place qqq").run()
    assert "No place called" in at.sidebar.info[0].value


def test_map_payload_has_no_cdn_and_layers_go_in_feature_groups():
    at = run()
    args = component_args(at)
    assert all(u.startswith("/app/static/vendor/") for u in args["js_links"] + args["css_links"])
    assert "Castello" not in args["script"]  # data layers travel as feature groups …
    assert "Castello" in args["feature_group"]  # … so a toggle never reloads the map


def test_actor_toggle_hides_that_actors_ground():
    import layers

    sc = layers.load_scenario("aleppo-2016")
    at = run()
    held = {z["actor"] for z in layers.summarize(sc, date(2016, 9, 15))["zones"]
            if z["status"] == "controlled"}
    actor = next(a for a in sc.actors.values() if a.id in held)
    fill = f'"fillColor":"{actor.colour}"'
    assert fill in component_args(at)["feature_group"]
    at.session_state["actors_open"] = True  # the user opens "Control by actor"
    at.run()
    (box,) = [c for c in at.sidebar.checkbox if c.label.replace("\\", "") == actor.name]
    box.uncheck().run()
    assert fill not in component_args(at)["feature_group"]
    assert actor.name not in legend_text(at)
    assert at.query_params["hide"] == actor.id


PAYLOAD = '<img src=x onerror="alert(1)">${alert(1)}`x`</script><script>alert(2)</script>'


def _payload_pack(root: Path) -> Path:
    """A copy of the Aleppo pack whose every name, title, note and citation carries PAYLOAD."""
    import shutil

    pack = root / "evil"
    shutil.copytree(Path(APP).parent / "data" / "scenarios" / "aleppo-2016", pack)

    def taint(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("name", "short", "title", "publisher", "description", "note") \
                        and isinstance(v, str):
                    node[k] = v + PAYLOAD
                elif k == "url" and isinstance(v, str):
                    node[k] = 'https://example.org/a"onmouseover="alert(3)"${alert(4)}`'
                else:
                    taint(v)
        elif isinstance(node, list):
            for v in node:
                taint(v)

    for f in pack.glob("*.json"):
        doc = json.loads(f.read_text(encoding="utf-8"))
        taint(doc)
        if f.name == "manifest.json":
            doc["id"], doc["attribution"] = "evil", "Pack " + PAYLOAD + " [x](javascript:alert(5))"
        f.write_text(json.dumps(doc), encoding="utf-8")
    return root


def test_payloads_in_a_pack_are_text_everywhere_on_the_page(tmp_path, monkeypatch):
    import layers.catalog

    monkeypatch.setattr(layers.catalog, "SCENARIOS_DIR", _payload_pack(tmp_path))
    at = run({"compare": "2016-07-01"}, tab="About the data", actors=True)
    raw = re.compile(r"(?<!\\)[<`$]")  # markup, a template literal or LaTeX, not escaped
    texts = [e.value for e in [*at.markdown, *at.caption, *at.sidebar.checkbox]
             if isinstance(getattr(e, "value", None), str)]
    texts += [c.label for c in at.sidebar.checkbox]
    tainted = [t for t in texts if "alert" in t]
    assert len(tainted) >= 8, "the payload pack did not reach the page"  # tables: below
    for t in tainted:
        assert not raw.search(t.split("Attribution — the data")[0]), t
    legend = legend_text(at)
    # the legend's own swatches are images; the payload's markup is text
    assert "onerror" in legend and "<img src=x" not in legend and "<script" not in legend
    assert "onerror=" not in legend.replace("onerror=&quot;", "")
    script = component_args(at)["feature_group"]
    assert "onerror" in script and "<img" not in script and "${alert" not in script
    assert "`x`" not in script and 'href="https://example.org/a"onmouseover' not in script
    at.session_state["tab"] = "Summary"  # the summary tables are HTML: the payload is text
    at.run()
    tables = " ".join(str(h.body) for h in at.get("html") if "cordon-table" in str(h.body))
    assert "Ground held" in tables and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in tables
    assert "<img" not in tables and "<script" not in tables and "${alert" not in tables


def test_over_time_chart_is_drawn():
    at = run(tab="Over time")
    assert len(at.get("arrow_line_chart")) == 2 or len(at.get("vega_lite_chart")) == 2


def test_switching_scenarios_keeps_dates_inside_each_window():
    import layers

    if "syria-2016" not in layers.list_scenarios():
        pytest.fail("the syria-2016 pack is part of the project and should be listed")
    at = run()
    at.sidebar.checkbox(key="compare_on").check().run()
    at.sidebar.selectbox(key="scenario").set_value("syria-2016").run()
    start, end = layers.load_scenario("syria-2016").window
    assert start <= date.fromisoformat(at.query_params["date"]) <= end
    assert "compare" not in at.query_params
    at.sidebar.checkbox(key="compare_on").check().run()
    at.sidebar.selectbox(key="scenario").set_value("aleppo-2016").run()
    at.sidebar.checkbox(key="compare_on").check().run()
    assert not at.exception
    assert at.query_params["date"] == "2016-09-15"
    assert at.query_params["compare"] == "2016-06-01"


def test_export_leaves_out_hidden_actors():
    at = run(tab="Export", actors=True)
    at.button(key="export_go").click().run()
    before = json.loads(at.session_state["_export"][2])["features"]
    held = {f["properties"].get("actor") for f in before
            if f["properties"].get("layer") == "control"} - {None}
    assert "gov" in held, held
    at.sidebar.checkbox(key="actor_aleppo-2016_gov").uncheck().run()
    at.button(key="export_go").click().run()
    after = json.loads(at.session_state["_export"][2])["features"]
    control = [f["properties"] for f in after if f["properties"].get("layer") == "control"]
    assert control and all(p.get("actor") != "gov" for p in control)
    assert len(after) < len(before)


def test_a_prepared_export_goes_stale_when_a_layer_is_added():
    at = run(tab="Export")
    at.button(key="export_go").click().run()
    assert at.get("download_button")
    at.session_state["tab"] = "My layers"
    at.run()
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.15, 36.2]},
         "properties": {"name": "Bakery"}}]}
    at.file_uploader(key="layer_file").upload("bakeries.geojson", json.dumps(doc).encode())
    at.run()
    at.session_state["tab"] = "Export"
    at.run()
    assert not at.get("download_button"), "offered a file without the new layer"
    at.button(key="export_go").click().run()
    names = {f["properties"].get("name") for f in json.loads(at.session_state["_export"][2])[
        "features"]}
    assert "Bakery" in names and at.get("download_button")


def test_export_is_what_is_on_screen_in_every_format():
    at = run(tab="Export")
    at.sidebar.checkbox(key="layer_events").uncheck().run()
    at.button(key="export_go").click().run()
    assert not at.error and not at.exception
    fmt, _, data = at.session_state["_export"]
    doc = json.loads(data)
    kinds = {f["properties"]["layer"] for f in doc["features"]}
    assert fmt == "geojson" and "events" not in kinds and {"control", "sieges"} <= kinds
    assert at.get("download_button")[0].label == "Download GeoJSON"
    for label in ("GeoPackage", "KML", "CSV"):
        at.selectbox(key="export_fmt").set_value(label).run()
        assert not at.get("download_button")  # built only when asked
        at.button(key="export_go").click().run()
        assert not at.error, at.error[0].value
        assert at.get("download_button")[0].label == f"Download {label}"
        assert len(at.session_state["_export"][2]) > 1000


# ------------------------------------------------------------------ hostile and broken layers
TEMPLATE_NAMES = ["q{{ 7*7 }}q", "q{% if true %}X{% endif %}q", "q{# x", "q{% x %}q"]


def _points(names: list[str], **columns) -> object:
    import geopandas as gpd
    from shapely.geometry import Point

    return gpd.GeoDataFrame({"name": names, **columns},
                            geometry=[Point(37.15 + i / 100, 36.2) for i in range(len(names))],
                            crs="EPSG:4326")


def _break_text(path: Path, layer: str) -> None:
    """Write bytes that are not UTF-8 into a text column of ``layer`` (as a foreign tool might),
    so that reading the layer fails."""
    import sqlite3

    with sqlite3.connect(path) as con:
        for fn in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
            con.create_function(fn, 1, lambda blob: 0)  # GeoPackage triggers call these
        con.execute(f'UPDATE "{layer}" SET name = CAST(x\'ff00fe\' AS TEXT)')


def _rce(path: Path) -> list[str]:
    """Two templates that create ``path`` (``/tmp/<identifier>``) if rendered: with quotes, and
    without (the quotes would be HTML-escaped; this one builds the command from Jinja's own
    objects)."""
    os_ = "lipsum.__globals__.os"
    return ["{{ " + os_ + ".popen('touch " + str(path) + "').read() }}",
            "{{ " + os_ + ".popen((dict(touch=1)|first) ~ (lipsum|string)[9] ~ " + os_
            + ".sep ~ (dict(tmp=1)|first) ~ " + os_ + ".sep ~ (dict(" + path.name
            + "=1)|first)).read() }}"]


def _hostile_store(store: Path, pwned: Path) -> None:
    import layers

    s = layers.Store(store)
    names = [*TEMPLATE_NAMES, *_rce(pwned)]
    s.add_layer("hostile", _points(names, **{"q{{ 7*7 }}q col": names,
                                             "{# note": ["q{% x %}q"] * len(names)}),
                source="test")
    s.add_layer("broken", _points(["fine"]), source="test")
    _break_text(store, "broken")
    s.add_layer("plain", _points(["Bakery"]), source="test")


def test_template_payloads_in_the_store_are_text_and_a_broken_layer_stays_alone(store):
    import uuid

    pwned = Path("/tmp") / f"PWNED_page_{uuid.uuid4().hex}"
    _hostile_store(store, pwned)
    at = run(tab="My layers")
    picker = at.multiselect[0]
    assert picker.options == ["hostile", "broken", "plain"]
    try:
        picker.set_value(["hostile", "broken", "plain"]).run()
        assert not pwned.exists(), "a template in a stored layer ran a shell command"
    finally:
        pwned.unlink(missing_ok=True)
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value.replace("\\", "") for e in at.error]  # Markdown escapes aside
    assert errors == ["Layer “broken” cannot be read: it holds text that is not valid UTF-8."]
    assert "hostile" not in errors[0] and "plain" not in errors[0]
    script = component_args(at)["feature_group"]
    assert "Bakery" in script  # the other layers are drawn
    decoded = script.replace("\\u0026", "&")
    assert "q&#123;&#123; 7*7 &#125;&#125;q" in decoded  # literal, as entities
    assert "&#123;# x" in decoded and "q&#123;% x %&#125;q" in decoded
    assert "q49q" not in script and "qXq" not in decoded
    # A later run (and a later session) of the same page still works.
    at.run()
    assert not at.exception and len(at.error) == 1


class _Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("this value has no text")


def test_a_layer_that_cannot_be_drawn_is_reported_above_the_map():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["user_layers"] = {"odd": _points(["x"], v=[_Unprintable()]),
                                       "plain": _points(["Bakery"])}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (error,) = at.error
    assert "odd" in error.value and "cannot be drawn" in error.value
    assert "Bakery" in component_args(at)["feature_group"]


def test_deleting_a_layer_asks_first_and_is_recorded(store):
    import layers

    s = layers.Store(store)
    s.add_layer("keep", _points(["Clinic"]), source="test")
    s.add_layer("gone", _points(["Bakery"]), source="test")
    at = run(tab="My layers")
    at.multiselect[0].set_value(["keep", "gone"]).run()
    assert "Bakery" in component_args(at)["feature_group"]
    at.selectbox(key="delete_pick").set_value("gone").run()
    at.button(key="delete_go").click().run()
    assert at.warning and "gone" in at.warning[0].value  # asks first …
    assert s.layers() == ["keep", "gone"]  # … and deletes nothing yet
    at.button(key="delete_no").click().run()
    assert "delete_yes" not in [b.key for b in at.button]  # cancelled
    assert s.layers() == ["keep", "gone"]
    at.selectbox(key="delete_pick").set_value("gone").run()
    at.button(key="delete_go").click().run()
    at.button(key="delete_yes").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert s.layers() == ["keep"]
    last = s.history("gone").iloc[-1]
    assert last["operation"] == "delete_layer" and last["source"].startswith("page")
    assert "gone" in at.success[0].value
    assert at.multiselect[0].options == ["keep"]
    assert list(at.session_state["user_layers"]) == ["keep"]
    script = component_args(at)["feature_group"]
    assert "Clinic" in script and "Bakery" not in script


def test_a_broken_layer_can_be_deleted(store):
    import layers

    s = layers.Store(store)
    s.add_layer("broken", _points(["fine"]), source="test")
    _break_text(store, "broken")
    at = run(tab="My layers")
    at.multiselect[0].set_value(["broken"]).run()
    assert at.error and not at.exception
    at.selectbox(key="delete_pick").set_value("broken").run()
    at.button(key="delete_go").click().run()
    at.button(key="delete_yes").click().run()
    assert not at.exception and not at.error
    assert s.layers() == []


# --------------------------------------------------------------------------- issue 15
def test_date_box_and_change_buttons_move_the_map_date():
    import layers

    sc = layers.load_scenario("aleppo-2016")
    at = run()
    at.date_input(key="daybox:aleppo-2016").set_value(date(2016, 8, 20)).run()
    assert at.slider(key="day:aleppo-2016").value == date(2016, 8, 20)
    assert at.query_params["date"] == "2016-08-20"
    at.button(key="day_next").click().run()
    after = [d for d in layers.change_dates(sc) if d > date(2016, 8, 20)][0]
    assert at.slider(key="day:aleppo-2016").value == after
    assert at.date_input(key="daybox:aleppo-2016").value == after  # the box follows
    at.button(key="day_prev").click().run()
    before = [d for d in layers.change_dates(sc) if d < after][-1]
    assert at.slider(key="day:aleppo-2016").value == before


def test_bad_link_names_each_parameter_it_ignored():
    at = run({"date": "2017-03-01", "scenario": "nope", "zoom": "99", "center": "x,1"})
    said = " ".join(w.value for w in at.warning).replace("\\", "")
    for part in ("scenario “nope”", "date “2017-03-01”", "zoom “99”", "center “x,1”"):
        assert part in said, said
    assert at.slider(key="day:aleppo-2016").value == date(2016, 9, 15)  # then the default
    at.button(key="url_problems_ok").click().run()
    assert not at.warning


def test_link_keeps_zoom_centre_and_store_layers(store):
    import geopandas as gpd
    from shapely.geometry import Point

    import layers

    layers.Store(store).add_layer("wells", gpd.GeoDataFrame(
        {"name": ["Well 7"]}, geometry=[Point(37.15, 36.2)], crs=4326), source="test")
    at = run({"zoom": "14", "center": "36.21,37.15", "mine": "wells"})
    assert not at.warning
    assert (at.query_params["zoom"], at.query_params["center"]) == ("14", "36.21000,37.15000")
    assert at.query_params["mine"] == "wells"
    assert "Well 7" in component_args(at)["feature_group"]
    assert '"zoom": 14' in component_args(at)["script"]  # the map opens where the link said


def test_besieged_population_reads_none_between_sieges():
    at = run({"date": "2016-08-20"})  # after the July encirclement, before September's
    assert besieged(at) == "none"


def test_over_time_has_every_siege_and_only_actors_with_ground():
    import layers
    from layers.draw import charts

    at = run(tab="Over time")
    assert len(at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")) == 2
    sc = layers.load_scenario("aleppo-2016")
    pop, ground = charts.history_frames(lambda d: layers.summarize(sc, d),
                                        charts.history_dates(*sc.window, sc.sieges))
    july = pop[pop["siege"] == "Eastern Aleppo (first encirclement)"]
    assert july["high"].max() == 300_000  # 300,000 besieged from 17 July
    assert july["date"].min() == pd.Timestamp("2016-07-17")
    assert set(pop["siege"]) == {s.name for s in sc.sieges}
    held = set(ground["actor"])
    assert held and all(ground.groupby("actor")["km2"].max() > 0)
    assert {"iran-militias", "russia"}.isdisjoint(held)  # in the pack, but hold no ground


def test_dated_user_layer_follows_the_date():
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.15, 36.2]},
         "properties": {"name": f"Clinic {m}", "date": f"2016-{m:02d}-10"}}
        for m in (7, 10)]}
    at = run(tab="My layers")
    at.file_uploader(key="layer_file").upload("clinics.geojson", json.dumps(doc).encode())
    at.run()
    assert "Clinic 10" in component_args(at)["feature_group"]  # not dated until confirmed
    at.checkbox(key="ut_on:clinics").check().run()  # the proposed "date" column, confirmed
    at.slider(key="day:aleppo-2016").set_value(date(2016, 8, 1)).run()
    script = component_args(at)["feature_group"]
    assert "Clinic 7" in script and "Clinic 10" not in script
    at.slider(key="day:aleppo-2016").set_value(date(2016, 11, 1)).run()
    script = component_args(at)["feature_group"]
    assert "Clinic 7" in script and "Clinic 10" in script


def test_briefing_page_downloads_as_png_and_pdf():
    at = run({"zoom": "13", "center": "36.2,37.15"}, tab="Export")
    for label, magic in (("Briefing page (PNG)", b"\x89PNG"), ("Briefing page (PDF)", b"%PDF")):
        at.selectbox(key="export_fmt").set_value(label).run()
        at.button(key="export_go").click().run()
        assert not at.error and not at.exception, [e.value for e in at.error]
        fmt, _, data = at.session_state["_export"]
        assert data.startswith(magic) and len(data) > 20_000, (fmt, len(data))
        assert at.get("download_button")[0].label == f"Download {label}"
