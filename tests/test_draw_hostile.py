"""Template syntax in data: text on the map, never Jinja source.

branca's ``MacroElement.render`` compiles each element's rendered script again as a Jinja
template, so a name holding ``{{ … }}`` would be evaluated on the server (``{#`` would stop the
map). Every string folium renders from data must come out as literal text.
"""

from __future__ import annotations

import html
import json
import uuid
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

from layers.draw import (
    DrawContext,
    add_basemap,
    build_groups,
    layer_features,
    legend_entries,
    legend_html,
    offline_map,
    tile_group,
)
from layers.draw.groups import geojson_layer, mention_features
from layers.draw.popups import escape, inert, link, md, sources_html
from layers.draw.userlayers import LayerProblem, draw_layer, read_layer

#: Each payload is wrapped as ``q…q`` so its evaluation ("q49q", "qXq") is unmistakable.
TEMPLATES = ["{{ 7*7 }}", "{% if true %}X{% endif %}", "{# ", "{{", "}}{%", "{#x#}"]
EVALUATED = {"{{ 7*7 }}": "q49q", "{% if true %}X{% endif %}": "qXq", "{#x#}": "qq"}


def rce(path: Path) -> str:
    """A payload that creates ``path`` if it is ever rendered as a template."""
    return "{{ lipsum.__globals__.os.popen('touch " + str(path) + "').read() }}"


def rce_unquoted(path: Path) -> str:
    """The same without quotes (which HTML escaping would have broken): it builds
    ``touch /tmp/<name>`` from Jinja's own objects; ``path`` must be ``/tmp/<identifier>``."""
    assert path.parent == Path("/tmp") and path.name.isidentifier()
    os_ = "lipsum.__globals__.os"
    return ("{{ " + os_ + ".popen((dict(touch=1)|first) ~ (lipsum|string)[9] ~ " + os_
            + ".sep ~ (dict(tmp=1)|first) ~ " + os_ + ".sep ~ (dict(" + path.name
            + "=1)|first)).read() }}")


def shown(text: str) -> str:
    """What the browser shows: JSON's ``\\u00xx`` escapes, then HTML entities, decoded."""
    for code, char in (("\\u0026", "&"), ("\\u003c", "<"), ("\\u003e", ">"), ("\\u0027", "'")):
        text = text.replace(code, char)
    return html.unescape(text)


def strings(obj) -> list[str]:
    """Every string in a JSON-like object, dict keys included."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in (*strings(k), *strings(v))]
    if isinstance(obj, (list, tuple)):
        return [s for v in obj for s in strings(v)]
    return []


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def hostile_map(payload: str) -> tuple:
    """A map whose every data-borne string carries ``q<payload>q``: state layers (names,
    notes, descriptions, sources' publisher/title/url, actor names), a user layer (its name,
    a column named with the payload, values), report mentions and a group's key."""
    t = f"q{payload}q"
    src = {"publisher": t, "title": t, "date": t, "url": f"https://example.org/{t}"}
    ctx = DrawContext(actors={"gov": {"name": t, "colour": "#0072B2"}},
                      sources={"s1": src, t: {"publisher": t}})
    state = SimpleNamespace(
        control=frame([
            {"place": t, "name": t, "actor": "gov", "status": "controlled", "note": t,
             "confidence": t, "sources": f"s1;{t}", "geometry": box(37.10, 36.18, 37.12, 36.2)},
            {"place": "c", "name": t, "actor": None, "status": "contested", "note": t,
             "sources": [src], "geometry": box(37.12, 36.18, 37.14, 36.2)}]),
        sieges=frame([{"id": t, "name": t, "besiegers": ["gov"], "besieged": [t],
                       "severity": t, "description": t, "sources": "s1",
                       "population_sources": t, "geometry": box(37.12, 36.18, 37.14, 36.2)}]),
        corridors=frame([{"id": t, "name": t, "kind": t, "status": t, "status_note": t,
                          "sources": "s1", "geometry": LineString([(37.1, 36.2), (37.2, 36.3)])}]),
        crossings=frame([{"id": t, "name": t, "kind": t, "status": "open", "note": t,
                          "geometry": Point(37.13, 36.21)}]),
        events=frame([{"id": t, "date": t, "type": t, "title": t, "description": t,
                       "sources": "s1", "geometry": Point(37.11, 36.19)}]),
        cuts=None,
    )
    user = frame([{"name": t, t: t, f"col {t}": 1, "geometry": Point(37.15, 36.2)},
                  {"name": "plain", "note": t, "geometry": box(37.0, 36.0, 37.01, 36.01)}])
    collections = layer_features(
        state, ctx, mentions=[{"text": t, "name": t, "kind": t, "lat": 36.2, "lon": 37.1,
                               "confidence": 0.9}],
        user_layers={t: user})
    collections[t] = mention_features([{"text": t, "name": t, "lat": 36.1, "lon": 37.1}])
    m = add_basemap(offline_map((36.2, 37.15), 12))
    return m, build_groups(collections), ctx


def render_root(m, groups, tmp_path: Path) -> str:
    for g in groups:
        g.add_to(m)
    return m.get_root().render()


def render_saved(m, groups, tmp_path: Path) -> str:
    for g in groups:
        g.add_to(m)
    out = tmp_path / "map.html"
    m.save(str(out))
    return out.read_text(encoding="utf-8")


def render_streamlit_folium(m, groups, tmp_path: Path) -> str:
    """What ``st_folium`` sends: the map's script, then each group rendered and stringified."""
    from streamlit_folium import _get_feature_group_string, _get_map_string

    m.get_root().render()
    return _get_map_string(m) + "".join(
        _get_feature_group_string(g, m, i) for i, g in enumerate(groups))


RENDERERS = [render_root, render_saved, render_streamlit_folium]


@pytest.mark.parametrize("render", RENDERERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("payload", TEMPLATES)
def test_template_syntax_in_data_is_literal_text_on_the_map(payload, render, tmp_path):
    m, groups, _ = hostile_map(payload)
    out = render(m, groups, tmp_path)  # no TemplateSyntaxError
    text = shown(out)
    assert f"q{payload}q" in text  # the braces survive, as text
    if payload in EVALUATED:
        assert EVALUATED[payload] not in text and EVALUATED[payload] not in out
    # In the page source every brace from data is an entity, so Jinja never saw one.
    assert "q{" not in out and "}q" not in out


@pytest.mark.parametrize("render", RENDERERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("payload", [rce, rce_unquoted])
def test_a_template_that_runs_a_command_runs_nothing(payload, render, tmp_path):
    pwned = Path("/tmp") / f"PWNED_cordon_{uuid.uuid4().hex}"
    text = payload(pwned)
    m, groups, _ = hostile_map(text)
    try:
        out = render(m, groups, tmp_path)
        assert not pwned.exists(), "a template in the data ran a shell command"
        assert f"q{text}q" in shown(out)
    finally:
        pwned.unlink(missing_ok=True)


def test_escape_writes_braces_as_entities_that_show_as_braces():
    for payload in [*TEMPLATES, rce(Path("/tmp/x"))]:
        out = escape(payload)
        assert "{" not in out and "}" not in out
        assert html.unescape(out) == payload
    assert escape("{{ 7*7 }}") == "&#123;&#123; 7*7 &#125;&#125;"
    assert "{" not in link("https://example.org/{{x}}", "{% x %}")
    assert "{" not in sources_html([{"publisher": "{#", "url": "https://e.org/{{a}}"}])
    assert md("{{ 7*7 }}") == "\\{\\{ 7\\*7 \\}\\}"  # Streamlit's Markdown: escaped too


def test_inert_neutralises_keys_and_values_at_any_depth_and_copies_only_when_needed():
    from folium.utilities import JsCode

    clean = {"a": [1, 2.5, None, ("x", {"b": True})], "c": JsCode("function(){}")}
    assert inert(clean) is clean
    dirty = {"{{k}}": ["{% x %}", ("{#",), {"n": {"{{": "}}"}}], "ok": 1}
    before = json.dumps(dirty)
    out = inert(dirty)
    assert json.dumps(dirty) == before  # the caller's object is not changed
    assert not [t for t in strings(out) if "{" in t or "}" in t]
    assert out["&#123;&#123;k&#125;&#125;"][0] == "&#123;% x %&#125;"
    assert isinstance(out["&#123;&#123;k&#125;&#125;"][1], tuple)


def test_the_layer_builder_guards_a_caller_that_forgot_to_escape():
    pwned = Path("/tmp") / f"PWNED_guard_{uuid.uuid4().hex}"
    raw = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [37.1, 36.2]},
        "properties": {"_tip": "q{{ 7*7 }}q", "q{% if true %}X{% endif %}q": "{# ",
                       "_pop": {"t": rce_unquoted(pwned), "r": [["{{ 7*7 }}", "{#"]]}}}]}
    before = json.dumps(raw)
    m = offline_map((36.2, 37.15), 12)
    try:
        geojson_layer(raw, "{{ 7*7 }} layer {#").add_to(m)
        out = m.get_root().render()
        assert not pwned.exists()
    finally:
        pwned.unlink(missing_ok=True)
    assert "q49q" not in out and "qXq" not in shown(out)
    assert "q{{ 7*7 }}q" in shown(out) and "q{% if true %}X{% endif %}q" in shown(out)
    assert json.dumps(raw) == before  # cached collections stay as they were
    with pytest.raises(TypeError):
        geojson_layer("some/file.geojson", "x")  # folium would open a path or a URL


@pytest.mark.parametrize("payload", TEMPLATES)
def test_group_and_layer_names_and_the_legend_are_literal(payload):
    t = f"q{payload}q"
    groups = build_groups({t: mention_features([{"text": "a", "lat": 1.0, "lon": 2.0}])})
    m = offline_map((1.0, 2.0), 8)
    for g in groups:
        g.add_to(m)
    out = m.get_root().render()
    assert html.unescape(groups[0].layer_name) == t and "{" not in groups[0].layer_name
    assert "q49q" not in out and "qXq" not in out
    ctx = DrawContext(actors={"gov": {"name": t, "colour": "#0072B2"}})
    legend = legend_html(legend_entries(ctx, ["control", "corridors", "user"]))
    assert "{" not in legend and t in html.unescape(legend)


def test_online_tiles_keep_their_url_placeholders():
    m = offline_map((36.2, 37.15), 12)
    tile_group("osm").add_to(m)
    out = m.get_root().render()
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in out


def test_user_layer_draws_with_template_names_and_columns():
    pwned = Path("/tmp") / f"PWNED_user_{uuid.uuid4().hex}"
    layer = frame([{"name": "{{ 7*7 }}", "{% if true %}X{% endif %}": "{# x",
                    "note": rce_unquoted(pwned), "geometry": Point(37.15, 36.2)}])
    col = draw_layer("mine", layer)
    assert not [t for t in strings(col) if "{" in t or "}" in t]
    props = col["features"][0]["properties"]
    assert html.unescape(props["_pop"]["t"]) == "{{ 7*7 }}"
    assert ["&#123;% if true %&#125;X&#123;% endif %&#125;", "&#123;# x"] in props["_pop"]["r"]
    m = offline_map((36.2, 37.15), 12)
    try:
        for g in build_groups({"user": col}):
            g.add_to(m)
        m.get_root().render()
        assert not pwned.exists()
    finally:
        pwned.unlink(missing_ok=True)


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text for this value\nsecond line")


def test_a_layer_that_cannot_be_drawn_is_one_line_naming_it():
    bad = frame([{"name": "x", "v": Unprintable(), "geometry": Point(37.15, 36.2)}])
    with pytest.raises(LayerProblem) as info:
        draw_layer("odd_layer", bad)
    message = str(info.value)
    assert message.startswith("Layer “odd_layer” cannot be drawn: no text for this value")
    assert "\n" not in message and info.value.name == "odd_layer"
    # Array values (GeoParquet lists) used to break the popup; they are now left out of it.
    arrays = frame([{"name": "x", "v": np.array([1, 2]), "geometry": Point(37.15, 36.2)}])
    assert draw_layer("arrays", arrays)["features"]


def test_a_layer_that_cannot_be_read_is_one_line_naming_it():
    class Store:
        def read(self, name):
            return b"\xff".decode("utf-8")  # raises, as reading bad text from GDAL does

    class WrappingStore:
        def read(self, name):
            try:
                Store().read(name)
            except ValueError:
                raise ValueError(f"layer '{name}' of store '/x.gpkg' cannot be read: "
                                 "'utf-8' codec can't decode byte 0xff") from None

    for store in (Store(), WrappingStore()):
        with pytest.raises(LayerProblem) as info:
            read_layer(store, "broken")
        assert str(info.value) == ("Layer “broken” cannot be read: it holds text that is not "
                                   "valid UTF-8.")


@pytest.mark.parametrize("bad", ["<script>alert(1)</script>", "{{ 7*7 }}", "{% if 1 %}x{% endif %}",
                                 "{# open", "' onmouseover='alert(1)", "a\"b<b>c</b>"])
def test_the_summary_tables_and_headline_figure_are_literal(bad):
    """The summary tab's tables and the besieged-population figure are HTML written by us:
    a siege, actor or corridor name from data (or an upload) is text there, never markup,
    an attribute break or a template."""
    import pandas as pd

    from layers.draw import summary as summaries

    table = pd.DataFrame({"siege": [bad], "status": [bad], "people": [bad]})
    out = summaries.tables_html([(bad, table), ("empty", table.iloc[0:0])])
    out += summaries.figure_html(bad, bad, bad)
    for raw in ("<script", "<b>", "{{", "{%", "{#", "' onmouseover", '"b'):
        assert raw not in out
    assert "empty" not in out  # an empty table is left out
    assert out.count("<table") == 1 and out.count("<tr>") == 2
