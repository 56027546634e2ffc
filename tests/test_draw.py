"""Unit tests for layers/draw: which features land in which layer, styles, and escaping."""

from __future__ import annotations

import json
import re
from datetime import date
from types import SimpleNamespace

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from layers.draw import (
    DrawContext,
    build_groups,
    display_geometry,
    external_urls,
    layer_features,
    legend_entries,
    offline_map,
)
from layers.draw.assets import ensure_vendor
from layers.draw.popups import escape, link, popup_data, popup_html, render_popup, safe_url
from layers.draw.style import ROUTE_STATUS, SIEGE_STYLE

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "`);alert(1);(`",
    "</script><script>alert(1)</script>",
    "\\u{zz} C:\\users",
]


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


@pytest.fixture
def ctx() -> DrawContext:
    return DrawContext(
        actors={"gov": {"name": "Government", "colour": "#0072B2"},
                "opp": {"name": "Opposition", "colour": "not-a-colour"}},
        sources={"s1": {"publisher": "Agency", "title": "Report", "date": "2016-09-10",
                        "url": "https://example.org/r"},
                 "bad": {"publisher": "Evil", "title": "x", "url": "javascript:alert(1)"}},
    )


@pytest.fixture
def state() -> SimpleNamespace:
    control = frame([
        {"place": "alp-a", "name": "West", "actor": "gov", "status": "controlled",
         "confidence": "high", "sources": "s1", "geometry": box(37.10, 36.18, 37.12, 36.20)},
        {"place": "alp-b", "name": "East", "actor": "opp", "status": "controlled",
         "confidence": "medium", "sources": ["s1"], "geometry": box(37.12, 36.18, 37.14, 36.20)},
        {"place": "alp-c", "name": "Middle", "actor": None, "status": "contested",
         "confidence": "low", "sources": "", "geometry": box(37.12, 36.20, 37.14, 36.22)},
        {"place": "alp-d", "name": "North", "actor": None, "status": "unknown",
         "confidence": None, "sources": None, "geometry": box(37.10, 36.20, 37.12, 36.22)},
    ])
    sieges = frame([{"id": "east", "name": "East Aleppo", "besiegers": ["gov"],
                     "besieged": ["opp"], "from": "2016-09-04", "to": None,
                     "populations": [{"low": 250000, "high": 275000, "date": "2016-09"}],
                     "confidence": "medium", "sources": "s1",
                     "geometry": box(37.12, 36.18, 37.14, 36.20)}])
    corridors = frame([
        {"id": "c1", "name": "Road A", "kind": "route", "status": "closed", "sources": "s1",
         "geometry": LineString([(37.1, 36.2), (37.2, 36.3)])},
        {"id": "c2", "name": "Road B", "kind": "corridor", "status": "open", "sources": "",
         "geometry": LineString([(37.0, 36.2), (37.1, 36.1)])},
    ])
    crossings = frame([{"id": "x1", "name": "Gate", "kind": "crossing", "status": "restricted",
                        "geometry": Point(37.13, 36.21)}])
    events = frame([{"id": "e1", "date": "2016-09-12", "type": "ceasefire", "title": "Truce",
                     "sources": "s1", "geometry": Point(37.11, 36.19)},
                    {"id": "e2", "date": "2016-09-19", "type": "strike", "title": "Convoy hit",
                     "sources": "bad", "geometry": box(37.0, 36.0, 37.01, 36.01)}])
    return SimpleNamespace(control=control, zones=None, sieges=sieges, corridors=corridors,
                           crossings=crossings, events=events)


def test_each_layer_gets_its_own_records(state, ctx):
    got = layer_features(state, ctx)
    ids = {k: [f["properties"].get("id") for f in v["features"]] for k, v in got.items()}
    assert ids["control"] == ["alp-a", "alp-b", "alp-c", "alp-d", "_hatch"]
    assert ids["sieges"] == ["east"]
    assert ids["corridors"] == ["c1", "c2"]
    assert ids["crossings"] == ["x1"]
    assert ids["events"] == ["e1", "e2"]
    # An event placed on an area is drawn as a point inside it.
    assert got["events"]["features"][1]["geometry"]["type"] == "Point"


def test_only_requested_layers_and_actors_are_drawn(state, ctx):
    got = layer_features(state, ctx, ["control", "events"], actors=["gov", "contested"])
    assert list(got) == ["control", "events"]
    ids = [f["properties"].get("id") for f in got["control"]["features"]]
    assert ids == ["alp-a", "alp-c", "_hatch"]


def test_styles_follow_actor_and_status(state, ctx):
    feats = {f["properties"].get("id"): f["properties"]["style"]
             for f in layer_features(state, ctx, ["control"])["control"]["features"]}
    assert feats["alp-a"]["fillColor"] == "#0072B2"  # the pack's colour
    assert feats["alp-b"]["fillColor"] not in ("not-a-colour", "#0072B2")  # fallback, distinct
    assert feats["alp-c"]["fillColor"] != feats["alp-d"]["fillColor"]
    assert "dashArray" in feats["alp-c"] and "dashArray" in feats["alp-d"]
    routes = {f["properties"]["id"]: f["properties"]["style"]
              for f in layer_features(state, ctx, ["corridors"])["corridors"]["features"]}
    assert routes["c1"] != routes["c2"] and "dashArray" in routes["c1"]


def test_popups_carry_status_population_and_sources(state, ctx):
    got = layer_features(state, ctx)
    def pop(layer, i):
        return render_popup(got[layer]["features"][i]["properties"]["_pop"])

    west = pop("control", 0)
    assert "held by Government" in west and 'href="https://example.org/r"' in west
    siege = pop("sieges", 0)
    assert "250,000–275,000" in siege and "Opposition" in siege and "Government" in siege
    unknown = pop("control", 3)
    assert "unknown" in unknown and "nan" not in unknown.lower()
    # A javascript: source URL is shown as text, never as a link.
    bad = pop("events", 1)
    assert "Evil" in bad and "javascript:" not in bad


def test_changes_and_mentions(ctx):
    changed = frame([{"place": "alp-b", "name": "East", "actor_a": "opp", "actor_b": "gov",
                      "geometry": box(0, 0, 1, 1)}])
    mentions = [SimpleNamespace(text="Aleppo", name="Aleppo", lat=36.2, lon=37.16, kind="city",
                                confidence=0.9),
                {"text": "Somewhere", "name": "X", "lat": 1.0, "lon": 2.0, "confidence": 0.2},
                {"text": "Nowhere", "name": None, "lat": None, "lon": None, "confidence": 0.1}]
    got = layer_features(SimpleNamespace(), ctx, ["changes", "mentions"], changed=changed,
                         mentions=mentions)
    casing, edge = got["changes"]["features"]  # a white casing under the purple edge
    assert "_tip" not in casing["properties"] and casing["properties"]["style"]["weight"] > \
        edge["properties"]["style"]["weight"]
    assert "Opposition → Government" in edge["properties"]["_tip"]
    # "changed hands" is not black: unlike siege lines and closed corridors
    assert edge["properties"]["style"]["color"] not in (
        SIEGE_STYLE["color"], ROUTE_STATUS["closed"][0])
    feats = got["mentions"]["features"]
    assert len(feats) == 2  # the one without coordinates stays in the table only
    assert "low confidence" in feats[1]["properties"]["_tip"]
    assert "low confidence" not in feats[0]["properties"]["_tip"]
    # report places have their own symbol, hollow when weak (not a crossing's dot)
    assert [f["properties"]["_icon"] for f in feats] == ["place", "place-weak"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_neutralises_html_and_template_literals(payload):
    out = escape(payload)
    assert "<" not in out and ">" not in out
    assert "`" not in out and "${" not in out and "\\" not in out


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)",
                                 "java\nscript:alert(1)", "data:text/html,<b>", "//evil.org/x",
                                 "/relative", "https://", "ftp://example.org/f"])
def test_only_http_links(url):
    assert safe_url(url) is None
    assert "<a" not in link(url, "label")


def test_http_link_is_escaped():
    out = link('https://example.org/?q="><script>', "t")
    assert out.startswith('<a href="https://example.org/?q=&quot;&gt;&lt;script&gt;"')


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_records_never_reach_the_map_script_raw(payload, ctx):
    st = SimpleNamespace(
        control=frame([{"place": payload, "name": payload, "actor": "gov",
                        "status": "controlled", "note": payload, "sources": [
                            {"publisher": payload, "title": payload, "url": payload}],
                        "geometry": box(0, 0, 1, 1)}]),
        events=frame([{"id": payload, "title": payload, "date": payload, "type": payload,
                       "description": payload, "geometry": Point(0.5, 0.5)}]),
    )
    ctx.actors["gov"]["name"] = payload
    m = offline_map((0.5, 0.5), 8)
    groups = build_groups(layer_features(st, ctx, ["control", "events"]))
    for g in groups:
        g.add_to(m)
    html = m.get_root().render()
    script = html[html.index("<body>"):]
    assert payload not in script
    decoded = script.replace("\\u003c", "<").replace("\\u003e", ">")
    assert "<img" not in decoded and "<script>alert" not in decoded
    assert "${alert" not in decoded and "`);alert" not in decoded
    for text in popup_html(payload, [(payload, payload)], [payload]).split("<"):
        assert "`" not in text and "$" not in text
    parts = popup_data(payload, [(payload, payload)], [payload], note=payload)
    assert "<" not in json.dumps(parts).replace("<b>", "").replace("<ul class='cordon-src'>", "")\
        .replace("<li>", "").replace("</li>", "").replace("</ul>", "")
    assert render_popup(parts).count("<") == render_popup(
        popup_data("x", [("x", "x")], ["x"], note="x")).count("<")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_uploaded_column_names_and_values_and_mentions_are_escaped(payload):
    from layers.draw.groups import mention_features, user_features

    user = frame([{payload: f"v{payload}", "name": payload, f"x{payload}": 1,
                   "geometry": Point(0.5, 0.5)}])
    got = user_features({payload: user})["features"][0]["properties"]
    mentions = mention_features([{"text": payload, "name": payload, "kind": payload,
                                  "lat": 1.0, "lon": 2.0, "confidence": 0.3}])
    props = [got, mentions["features"][0]["properties"]]
    for p in props:
        shown = json.dumps([p["_tip"], render_popup(p["_pop"])], ensure_ascii=False)
        for live in ("<img", "<script", "`", "${", "\\u{"):
            assert live not in shown, (live, shown)
        assert escape(payload) in p["_tip"]  # shown, as text
    # The column named with the payload is a popup row label, escaped like its value.
    assert [escape(payload), escape(f"v{payload}")] in got["_pop"]["r"]


def test_legend_escapes_actor_names(ctx):
    ctx.actors["gov"]["name"] = "<b>Gov</b>"
    labels = [label for _, label in legend_entries(ctx, ["control", "corridors"])]
    assert "&lt;b&gt;Gov&lt;/b&gt;" in labels
    assert any(label.startswith("Corridor") for label in labels)
    assert not [lb for lb, _ in legend_entries(ctx, ["events"]) if "Government" in lb]
    only_opp = [label for _, label in legend_entries(ctx, ["control"], present=["opp"])]
    assert "Opposition" in only_opp and "&lt;b&gt;Gov&lt;/b&gt;" not in only_opp


def test_display_geometry_keeps_shared_borders_and_rounds():
    import shapely

    a = shapely.Polygon([(0, 0), (0.5, 0.0001), (1, 0), (1, 1), (0, 1)])
    b = shapely.Polygon([(0, 0), (0.5, 0.0001), (1, 0), (1, -1), (0, -1)])
    wiggly = shapely.segmentize(shapely.GeometryCollection([a, b]), 0.01)
    parts = list(wiggly.geoms)
    out = display_geometry(parts, 0.001)
    assert shapely.get_num_coordinates(out).sum() < shapely.get_num_coordinates(parts).sum()
    # Shared border kept: no gap or overlap between the two simplified parts.
    assert shapely.intersection(out[0], out[1]).area == pytest.approx(0, abs=1e-12)
    assert shapely.union_all(out).area == pytest.approx(2, rel=1e-3)
    coords = shapely.get_coordinates(out)
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()


def test_map_script_needs_no_jquery(state, ctx):
    from streamlit_folium import _get_feature_group_string, _get_map_string

    from layers.draw import add_basemap

    m = add_basemap(offline_map((36.2, 37.15), 12))
    js = _get_map_string(m) + "".join(
        _get_feature_group_string(g, m, i)
        for i, g in enumerate(build_groups(layer_features(state, ctx))))
    assert "$(" not in js and "$." not in js and "jQuery" not in js


def test_map_loads_no_cdn_asset(state, ctx):
    m = offline_map((36.2, 37.15), 12)
    for g in build_groups(layer_features(state, ctx)):
        g.add_to(m)
    assert external_urls(m) == []
    html = m.get_root().render()
    assert not re.findall(r"""(?:src|href)=["']https?://""", html)


def test_vendor_files_are_copied(tmp_path):
    vendor = ensure_vendor(tmp_path)
    assert (vendor / "leaflet" / "leaflet.js").stat().st_size > 100_000
    assert (vendor / "jquery" / "jquery.min.js").is_file()
    assert ensure_vendor(tmp_path) == vendor  # second call is a no-op


def test_feature_collections_are_plain_json(state, ctx):
    got = layer_features(state, ctx)
    json.dumps(got)  # no numpy or pandas objects left in properties


# --------------------------------------------------------------------------- page helpers
def test_view_round_trips_through_query_params():
    from datetime import date

    from layers.draw.view import View, from_params

    window = (date(2016, 6, 1), date(2016, 12, 31))
    kw = dict(scenarios=["a", "b"], default_scenario="a", window_of=lambda _: window,
              default_date_of=lambda _: date(2016, 9, 15))
    v = View("b", date(2016, 10, 2), ("control", "changes", "events"), ("gov",),
             date(2016, 7, 1), "osm")
    assert from_params(v.to_params(), **kw) == v
    bad = from_params({"scenario": "zzz", "date": "2020-01-01", "compare": "x",
                       "basemap": "evil", "layers": "control,nope"}, **kw)
    assert (bad.scenario, bad.date, bad.compare, bad.basemap, bad.layers) == (
        "a", date(2016, 9, 15), None, "offline", ("control",))


def test_kept_mentions_become_sourced_events():
    from layers.report import kept_events, level, mention_rows

    text = "Nothing here. Shelling hit Aleppo at dawn. Later, calm."
    rows = mention_rows([
        {"text": "Aleppo", "name": "Aleppo", "lat": 36.2, "lon": 37.16, "confidence": 0.9,
         "start": 27, "end": 33, "source": "geonames:170063", "kind": "city"},
        {"text": "Calm", "name": "Calm", "lat": 1.0, "lon": 2.0, "confidence": 0.3,
         "start": 50, "end": 54},
    ])
    assert [r["low"] for r in rows] == [False, True]
    rows[1]["keep"] = False  # dropped by the user
    ev = kept_events(rows, {"publisher": "Wire", "date": "2016-09-14",
                            "url": "https://example.org/a"}, text)
    assert len(ev) == 1 and ev.crs.to_epsg() == 4326
    rec = ev.iloc[0]
    assert rec["description"] == "Shelling hit Aleppo at dawn."
    assert rec["confidence"] == "high" and "Wire" in rec["sources"]
    assert rec["place"] == "geonames:170063" and rec["date"] == "2016-09-14"
    assert [level(x) for x in (0.95, 0.6, 0.2, None)] == ["high", "medium", "low", "low"]


def test_layer_names_are_store_safe_and_unique():
    from layers.draw.onscreen import layer_name

    assert layer_name("my clinics (2016)") == "my_clinics_2016"
    assert layer_name("2016 data") == "layer_2016_data"
    assert layer_name("control") == "control_2"
    assert layer_name("x", ["x", "x_2"]) == "x_3"


def test_summary_tables_from_a_summary_dict():
    from layers.draw import summary as sm

    s = {"actors": [{"id": "g", "name": "Gov", "area_km2": 80.04},
                    {"id": "o", "name": "Opp", "area_km2": 40.0}],
         "contested_km2": 2.0, "unknown_km2": 0,
         "zones": [{"id": "z1", "actor": "o", "actor_name": "Opp", "status": "controlled",
                    "area_km2": 40.0, "encircled": True, "encircled_by": ["g"],
                    "unit_names": ["A", "B"]},
                   {"id": "z2", "actor": "g", "status": "controlled", "encircled": False}],
         "corridors": [{"name": "Road", "status": "under_fire", "derived_status": "closed"}],
         "sieges": [{"name": "East", "population": {"low": 250000, "high": 275000}}],
         "besieged_population": {"low": 250000, "high": 275000, "sources": [
             {"publisher": "P", "title": "T", "date": "2016-09-01"}]}}
    assert sm.area_table(s).to_dict("records")[0] == {"Held by": "Gov", "km²": "80.0"}
    assert sm.encircled_table(s).to_dict("records") == [
        {"Zone": "A, B", "Held by": "Opp", "km²": "40.0", "Encircled by": "Gov"}]
    assert sm.corridor_table(s).iloc[0].tolist() == ["Road", "under fire", "closed"]
    assert sm.population_text(s) == "250,000–275,000"
    assert sm.population_short(s) == "250k–275k"
    assert sm.sources_list(sm.population_sources(s)) == ["P — T (2016-09-01)"]
    assert sm.population_text({"besieged_population": {"low": None, "high": None}}) is None


def test_mention_corrections():
    from types import SimpleNamespace as NS

    from layers.report import apply_edits, mention_rows

    rows = mention_rows([{"text": "Halab", "name": "Halab", "lat": 1.0, "lon": 1.0,
                          "confidence": 0.9},
                         {"text": "Foo", "name": "Foo", "lat": 2.0, "lon": 2.0,
                          "confidence": 0.9},
                         {"text": "Bar", "name": "Bar", "lat": 3.0, "lon": 3.0,
                          "confidence": 0.9}])

    def lookup(name, limit=1):
        return [NS(name="Aleppo", lat=36.2, lon=37.16, kind="city",
                   source="geonames:170063")] if name == "Aleppo" else []

    apply_edits(rows, {"0": {"name": "Aleppo"}, 1: {"lat": 5.0}, 2: {"name": "Nowhere"},
                       9: {"keep": False}}, lookup)
    assert (rows[0]["lat"], rows[0]["place"], rows[0]["low"]) == (36.2, "geonames:170063", True)
    assert rows[1]["lat"] == 5.0 and rows[1]["confidence"] is None
    assert rows[2]["lat"] is None  # unknown stays unknown: no stale coordinates


@pytest.mark.parametrize("payload", ["[x](javascript:alert(1))", "$x^2$", ":red[alarm]",
                                     "<b>bold</b>", "**strong** _em_ `code`",
                                     "Fish &amp; chips &#60;b&#62;"])
def test_md_escapes_markdown_from_data(payload):
    from layers.draw.popups import md

    out = md(payload)
    # Every special character is escaped, so Markdown renders the text as it was written.
    assert out.replace("\\", "") == payload
    for ch in "[]()$:<>*_`&":  # & too: an entity in data is shown as typed, not decoded
        assert f"{ch}" not in out.replace(f"\\{ch}", "")


def test_population_context_says_how_current_and_what_the_source_counted():
    import layers
    from layers.draw.summary import population_context

    s = layers.summarize(layers.load_scenario("syria-2016"), "2016-06-23")
    text = population_context(s)
    assert f"Figures dated {s['besieged_population']['as_of']} to " in text
    assert "Published count of 2016-06-23: 18 locations, about 590,000 people (UN OCHA)" in text
    assert text.endswith("this pack: 18 locations.")
    # a city pack with no published list says only how current its figure is
    aleppo = population_context(layers.summarize(layers.load_scenario("aleppo-2016"),
                                                 "2016-09-15"))
    assert aleppo == "Figures as of 2016-09-04."


def test_chart_lines_use_the_actors_map_colours():
    import layers
    from layers.draw.summary import history, series_colours

    sc = layers.load_scenario("aleppo-2016")
    df = history(lambda d: layers.summarize(sc, d), *sc.window, count=3)
    area = [c for c in df.columns if c.endswith("km²")]
    colours = dict(zip(area, series_colours(area, sc.actors.values()), strict=True))
    for a in sc.actors.values():
        assert colours[f"{a.name} km²"] == a.colour
    assert len(set(series_colours(["besieged (low)", "besieged (high)"], []))) == 2


# --------------------------------------------------------------------------- issue 15
def test_bad_link_parameters_are_each_named():
    from datetime import date

    from layers.draw.view import View, from_params

    window = (date(2016, 6, 1), date(2016, 12, 31))
    kw = dict(scenarios=["a"], default_scenario="a", window_of=lambda _: window,
              default_date_of=lambda _: date(2016, 9, 15))
    said: list[str] = []
    v = from_params({"scenario": "nope", "date": "2017-03-01", "zoom": "0",
                     "center": "91,0", "mine": "ok,<b>", "layers": "control,zap"},
                    problems=said, **kw)
    assert (v.scenario, v.date, v.zoom, v.center, v.mine) == ("a", date(2016, 9, 15), None,
                                                              None, ("ok",))
    text = " ".join(said)
    for name in ("scenario “nope”", "date “2017-03-01”", "zoom “0”", "center “91,0”", "“<b>”",
                 "“zap”"):
        assert name in text
    good = View("a", date(2016, 10, 2), zoom=14, center=(36.2, 37.15), mine=("wells",))
    said.clear()
    assert from_params(good.to_params(), problems=said, **kw) == good and said == []


def test_legend_lists_what_is_drawn_with_real_dashes(state, ctx):
    import base64

    from layers.draw import legend as lg

    drawn = layer_features(state, ctx, ["control", "corridors", "events"])
    entries = lg.legend_entries(ctx, drawn)
    labels = [label for _, label in entries]
    statuses = {f["properties"]["_leg"] for f in drawn["corridors"]["features"]}
    assert sum(label.startswith("Corridor ") for label in labels) == len(
        {s for s in statuses if s.startswith("corridor:")})
    types = {f["properties"]["_icon"] for f in drawn["events"]["features"]}
    assert sum(label.startswith("Event: ") for label in labels) == len(types)
    assert "Crossing open" not in labels  # crossings are not drawn here
    # Dashed corridor statuses carry their dash pattern into the swatch
    dashed = [sw for sw, label in entries if label == "Corridor restricted"]
    for sw in dashed:
        svg = base64.b64decode(sw.split("base64,")[1].split("'")[0]).decode()
        assert "stroke-dasharray='8 6'" in svg


def test_labels_show_by_zoom_with_sieges_first():
    import layers
    from layers.draw.labels import label_features

    sc = layers.load_scenario("aleppo-2016")
    st = layers.state_at(sc, sc.default_date)
    labels = label_features(st, DrawContext.for_scenario(sc), ["control", "sieges",
                                                               "corridors", "crossings"])
    props = [f["properties"] for f in labels["features"]]
    kinds = {p["_lk"] for p in props}
    assert kinds == {"unit", "siege", "corridor", "crossing"}
    units = [p for p in props if p["_lk"] == "unit"]
    assert len(units) == len(st.control)
    # city blocks need a close zoom; the siege's name shows from further out
    assert min(p["_lz"] for p in units) < max(p["_lz"] for p in units)
    assert max(p["_lz"] for p in props if p["_lk"] == "siege") <= 12
    assert all(p["_lp"] < q["_lp"] for p in props if p["_lk"] == "siege" for q in units)


def test_state_is_the_same_within_an_epoch():
    import random

    import layers
    from layers.draw.timesteps import epoch, state_bounds

    for name in ("aleppo-2016", "syria-2016"):
        sc = layers.load_scenario(name)
        ctx = DrawContext.for_scenario(sc)
        bounds = state_bounds(layers.change_dates(sc), sc.sieges)
        start, end = sc.window
        rng = random.Random(15)
        for _ in range(6):
            day = date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
            first = epoch(day, bounds, start)
            a = layer_features(layers.state_at(sc, day), ctx)
            b = layer_features(layers.state_at(sc, first), ctx)
            assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True), (name, day)


def test_step_to_previous_and_next_change():
    from layers.draw.timesteps import step

    days = [date(2016, 7, 1), date(2016, 7, 17), date(2016, 8, 6)]
    assert step(date(2016, 7, 10), days, 1) == date(2016, 7, 17)
    assert step(date(2016, 7, 17), days, 1) == date(2016, 8, 6)
    assert step(date(2016, 7, 17), days, -1) == date(2016, 7, 1)
    assert step(date(2016, 8, 6), days, 1) is None and step(date(2016, 7, 1), days, -1) is None


def test_user_colours_stay_visible_on_every_actor():
    import layers
    from layers.draw.style import USER_POINT_STYLE, USER_STYLE, contrast

    for name in ("aleppo-2016", "syria-2016"):
        for colour in DrawContext.for_scenario(layers.load_scenario(name)).colours.values():
            for style in (USER_STYLE, USER_POINT_STYLE):
                best = max(contrast(style["color"], colour), contrast(style["fillColor"], colour))
                assert best >= 3, (name, colour, style)


def test_dated_user_layer_keeps_the_features_of_the_day():
    from layers.draw.userlayers import DatedLayer, guess_span

    g = frame([{"name": "a", "start": "2016-07-01", "end": "2016-08-01", "n": 5,
                "geometry": Point(0, 0)},
               {"name": "b", "start": "2016-09-10", "end": None, "n": 6, "geometry": Point(1, 1)},
               {"name": "c", "start": None, "end": None, "n": 7,
                "geometry": Point(2, 2)}])
    assert guess_span(g) == ("start", "end")  # "n" (numbers) is never read as a date
    layer = DatedLayer("x", g, "start", "end")
    names = [[f["properties"]["_pop"]["t"] for f in layer.on(d)]
             for d in (date(2016, 6, 1), date(2016, 7, 15), date(2016, 8, 1), date(2016, 9, 10))]
    assert names == [["c"], ["a", "c"], ["c"], ["b", "c"]] and layer.undated == 1


def test_chart_click_gives_a_date():
    from layers.draw.charts import DATE_PARAM, picked_date

    ms = 1468713600000  # 2016-07-17T00:00Z
    assert picked_date({"selection": {DATE_PARAM: [{"date": ms}]}}) == date(2016, 7, 17)
    assert picked_date({"selection": {DATE_PARAM: []}}) is None
    assert picked_date({"selection": {}}) is None


def test_basemap_has_syrias_neighbours_named_and_escaped():
    from layers.draw.basemap import basemap_json, neighbour_collections

    outlines, labels = neighbour_collections()
    names = {f["properties"]["_label"] for f in labels["features"]}
    assert {"Turkey", "Iraq", "Jordan", "Lebanon"} <= names
    assert len(outlines["features"]) == len(labels["features"])
    doc = basemap_json()
    assert "<" not in doc and json.loads(doc)["countries"]["features"]


def test_basemap_file_is_found_again_and_rebuilt_when_its_data_changes(tmp_path, monkeypatch):
    import shutil

    from layers.draw import basemap

    neighbours = tmp_path / "neighbours.geojson"
    shutil.copy(basemap.NEIGHBOURS, neighbours)
    monkeypatch.setattr(basemap, "NEIGHBOURS", neighbours)
    basemap.neighbour_collections.cache_clear()
    static = tmp_path / "static"
    first = basemap.write_basemap(static)
    built = []
    monkeypatch.setattr(basemap, "basemap_json",
                        lambda real=basemap.basemap_json: built.append(1) or real())
    assert basemap.write_basemap(static) == first and not built  # a restart: not built again
    doc = json.loads(neighbours.read_text(encoding="utf-8"))
    doc["features"] = doc["features"][:1]
    neighbours.write_text(json.dumps(doc), encoding="utf-8")
    basemap.neighbour_collections.cache_clear()
    second = basemap.write_basemap(static)
    assert built and second != first
    assert (static / "basemap" / second.rsplit("/", 1)[1]).is_file()
    basemap.neighbour_collections.cache_clear()


def test_a_siege_at_towns_is_one_named_symbol_and_its_towns_show_closer_in(ctx):
    from shapely.geometry import MultiPoint

    from layers.draw.groups import siege_features
    from layers.draw.labels import label_features

    sieges = frame([
        {"id": "g", "name": "Ghouta <b>towns</b>", "besiegers": ["gov"], "besieged": ["opp"],
         "sources": "s1", "populations": [{"value": 176500, "date": "2016-01-18"}],
         "geometry": MultiPoint([(36.35, 33.50), (36.40, 33.55), (36.45, 33.57)])},
        {"id": "d", "name": "Darayya", "besiegers": ["gov"], "besieged": ["opp"],
         "sources": "s1", "geometry": Point(36.23, 33.46)}])
    feats = siege_features(sieges, ctx)["features"]
    symbols = [f for f in feats if f["properties"].get("_icon") == "siege-point"]
    assert [f["properties"]["id"] for f in symbols] == ["g", "d"]
    assert all(f["geometry"]["type"] == "Point" for f in symbols)
    assert symbols[0]["properties"]["_sn"] == escape("Ghouta <b>towns</b>")  # named, escaped
    assert "176,500" in json.dumps(symbols[0]["properties"]["_pop"])  # the popup stays
    (towns,) = [f for f in feats if f["properties"].get("_icon") == "siege-town"]
    assert towns["geometry"]["type"] == "MultiPoint" and len(towns["geometry"]["coordinates"]) == 3
    assert 8 <= towns["properties"]["_lz"] <= 12  # ~10 km apart: told apart at region zoom
    # the symbols carry the names: no second label for the same siege
    state = SimpleNamespace(sieges=sieges)
    assert label_features(state, ctx, ["sieges"])["features"] == []
