"""The offline vector basemap: governorate borders and Aleppo neighbourhood units.

Built once per process from the place table (``geo.places.load_geometries``). The page writes
it as a static JSON file that the map fetches once (:func:`write_basemap`); it sits in a pane
under every data layer and is never redrawn. Without a URL it is put into the map's script.
Optional online tile layers come wrapped in a FeatureGroup so switching them does not reload
the map either.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import folium
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import mapping, shape

from . import style as st
from .assets import STATIC_URL
from .groups import display_geometry
from .popups import escape, inert

#: Streamlit serves ``./static`` beside app.py here (see ``assets.STATIC_URL``).
STATIC_ROOT = STATIC_URL.rsplit("/", 1)[0]

_GOVERNORATE = re.compile(r"^SY\d\d$")
_UNIT = re.compile(r"^alp-(?!grp-)")

#: Optional online tiles: key -> (label, URL template, attribution).
TILES = {
    "osm": ("OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "&copy; OpenStreetMap contributors (ODbL)"),
    "satellite": ("Satellite (Esri)",
                  "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/"
                  "MapServer/tile/{z}/{y}/{x}",
                  "Tiles &copy; Esri, Maxar, Earthstar Geographics, GIS User Community"),
}


@lru_cache(maxsize=1)
def base_collections() -> tuple[dict, dict]:
    """(governorates, neighbourhood units) as simplified GeoJSON FeatureCollections."""
    try:
        from geo.places import load_geometries
        geometries = load_geometries()
    except (ImportError, OSError, ValueError):  # place table not there yet: empty basemap
        geometries = {}
    out = []
    for pattern, tolerance in ((_GOVERNORATE, 0.01), (_UNIT, 0.0003)):
        ids = sorted(k for k in geometries if pattern.match(k))
        geoms = [shape(geometries[k]) for k in ids]
        geoms = [g for g in geoms if not g.is_empty and g.geom_type in ("Polygon",
                                                                        "MultiPolygon")]
        simple = display_geometry(shapely.make_valid(geoms) if geoms else geoms, tolerance)
        out.append({"type": "FeatureCollection",
                    "features": [{"type": "Feature", "geometry": mapping(g), "properties": {}}
                                 for g in simple]})
    return out[0], out[1]


#: Countries around Syria (Natural Earth 1:110m, see scripts/build_neighbours.py).
NEIGHBOURS = Path(__file__).resolve().parents[2] / "data" / "places" / "neighbours.geojson"


@lru_cache(maxsize=1)
def neighbour_collections() -> tuple[dict, dict]:
    """(country outlines, country name labels) as FeatureCollections; empty when the file is
    missing or unreadable (the basemap then shows Syria alone)."""
    from .labels import PRIORITY

    try:
        doc = json.loads(NEIGHBOURS.read_text(encoding="utf-8"))
        feats = [f for f in doc["features"] if f.get("geometry")]
    except (OSError, ValueError, KeyError, TypeError):
        return _EMPTY, _EMPTY
    outlines, labels = [], []
    for f in feats:
        props = f.get("properties") or {}
        geom = display_geometry([shape(f["geometry"])], 0.01)[0]
        outlines.append({"type": "Feature", "geometry": mapping(geom), "properties": {}})
        lon, lat = props.get("label_lon"), props.get("label_lat")
        if isinstance(lon, (int, float)) and isinstance(lat, (int, float)):
            labels.append({"type": "Feature",
                           "geometry": {"type": "Point", "coordinates": [lon, lat]},
                           "properties": {"_label": escape(props.get("name", "")),
                                          "_lk": "country", "_lz": 6,
                                          "_lp": PRIORITY["country"]}})
    return ({"type": "FeatureCollection", "features": outlines},
            {"type": "FeatureCollection", "features": labels})


_EMPTY = {"type": "FeatureCollection", "features": []}


def basemap_json() -> str:
    """The offline basemap as one JSON document: ``{"countries", "units", "governorates",
    "country_labels"}``, FeatureCollections with their style (escaped like every layer)."""
    from .groups import script_json

    governorates, units = base_collections()
    countries, country_labels = neighbour_collections()
    return script_json(inert({
        "countries": {**countries, "style": st.BASE_COUNTRY_STYLE},
        "units": {**units, "style": st.BASE_UNIT_STYLE},
        "governorates": {**governorates, "style": st.BASE_GOVERNORATE_STYLE},
        "country_labels": country_labels}))


def _inputs_digest() -> str:
    """A digest of what the basemap is made from: the place files and the neighbours file
    (path, size, modification time) and the source of the modules that draw it."""
    from geo import places

    here = Path(__file__).resolve().parent
    files = [places.DATA_DIR / places.UNITS_FILE, places.DATA_DIR / places.GOVERNORATES_FILE,
             places.DATA_DIR / places.NAMED_PLACES_FILE, NEIGHBOURS]
    h = hashlib.sha256()
    for f in files:
        try:
            stat = f.stat()
            h.update(f"{f}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{f}|missing\n".encode())
    for name in ("basemap.py", "style.py", "groups.py", "labels.py", "popups.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def write_basemap(static_dir: str | Path) -> str:
    """Write the basemap under ``static_dir/basemap/`` (named by its content, so a browser may
    keep it) unless it is there; returns its URL under Streamlit's static route.

    The page's map fetches it once, instead of carrying 100 kB of outlines in the map's own
    script, which every run would render again. A note named by a digest of the basemap's
    inputs (:func:`_inputs_digest`) gives the file's name, so a server starting again with the
    same data and code does not build the basemap (a few tenths of a second) to find it.
    """
    folder = Path(static_dir) / "basemap"
    note = folder / f"inputs-{_inputs_digest()}.txt"
    try:
        known = note.read_text(encoding="utf-8").strip()
        if re.fullmatch(r"base-[0-9a-f]{16}\.json", known) and (folder / known).is_file():
            return f"{STATIC_ROOT}/basemap/{known}"
    except OSError:
        pass
    text = basemap_json()
    name = f"base-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.json"
    target = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    for path, body in ((target, text), (note, name)):
        if path is note or not target.is_file():
            tmp = folder / f".{path.name}.{os.getpid()}.tmp"
            tmp.write_text(body, encoding="utf-8")
            os.replace(tmp, path)  # atomic: a reader sees the old state or the whole file
    return f"{STATIC_ROOT}/basemap/{name}"


_FETCH = """
{% macro script(this, kwargs) %}
(function() {
  var map = {{ this._parent.get_name() }};
  // Under every data layer: a pane of its own, drawn on its own canvas.
  var pane = map.createPane('cordonBase'); pane.style.zIndex = 250;
  pane.style.pointerEvents = 'none';
  var renderer = L.canvas({pane: 'cordonBase'});
  fetch({{ this.url|tojson }}).then(function(r) { return r.json(); }).then(function(d) {
    ['countries', 'units', 'governorates'].forEach(function(k) {
      if (!d[k] || !d[k].features.length) { return; }
      L.geoJson(d[k], {pane: 'cordonBase', renderer: renderer, interactive: false,
                       style: d[k].style}).addTo(map);
    });
    if (d.country_labels && window.CORDON) {  // names, placed like every label
      L.geoJson(d.country_labels, {pointToLayer: function(f, ll) {
        return window.CORDON.point(f, ll, {}); }}).addTo(map);
    }
    map.fire('cordonbasemap');
  }).catch(function() {});
})();
{% endmacro %}
"""


class FetchedBasemap(MacroElement):
    """The offline basemap, fetched by the map from a local URL (see :func:`write_basemap`)."""

    _template = Template(_FETCH)

    def __init__(self, url: str):
        super().__init__()
        self._name = "CordonBasemap"
        self.url = url


def add_basemap(m: folium.Map, url: str | None = None) -> folium.Map:
    """Draw the offline basemap on ``m`` (non-interactive, under every data layer).

    With ``url`` (from :func:`write_basemap`) the map fetches it; without, the outlines are
    put into the map's script (a map saved as a standalone HTML file).
    """
    if url is not None:
        FetchedBasemap(url).add_to(m)
        return m
    governorates, units = base_collections()
    for collection, name, style in ((units, "Neighbourhoods", st.BASE_UNIT_STYLE),
                                    (governorates, "Governorates", st.BASE_GOVERNORATE_STYLE)):
        if not collection["features"]:
            continue
        styled = {"type": "FeatureCollection",
                  "features": [{**f, "properties": {"style": style}}
                               for f in collection["features"]]}
        # No style_function: folium then styles each feature from its ``style`` property.
        # inert(): the place table is data too, and folium's output is compiled as Jinja.
        folium.GeoJson(inert(styled), name=name, interactive=False, control=False).add_to(m)
    return m


def tile_group(key: str) -> folium.FeatureGroup:
    """An online tile layer (with its attribution) wrapped for ``feature_group_to_add``."""
    label, url, attribution = TILES[key]
    # The URL keeps its single-brace {z}/{x}/{y} placeholders (not Jinja syntax); the texts
    # shown go through the same guard as every layer.
    group = folium.FeatureGroup(name=inert(label))
    folium.TileLayer(url, attr=inert(attribution), name=inert(label), max_zoom=19).add_to(group)
    return group
