"""The offline vector basemap: governorate borders and Aleppo neighbourhood units.

Built once per process from the place table (``geo.places.load_geometries``) and added to the
map itself (not to a feature group), so it is part of the stable map script and never redrawn.
Optional online tile layers come wrapped in a FeatureGroup so switching them does not reload
the map either.
"""

from __future__ import annotations

import re
from functools import lru_cache

import folium
import shapely
from shapely.geometry import mapping, shape

from . import style as st
from .groups import display_geometry
from .popups import inert

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


def add_basemap(m: folium.Map) -> folium.Map:
    """Draw the offline basemap on ``m`` (non-interactive, under every data layer)."""
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
