"""Map labels: siege, corridor, crossing and unit names as point features for the map script.

Each label is a GeoJSON point with ``_label`` (escaped text), ``_lk`` (kind: ``siege``,
``corridor``, ``crossing``, ``unit``), ``_lz`` (the zoom from which it shows) and ``_lp``
(priority: sieges first, units last). The map's script (:mod:`layers.draw.mapscript`) hides a
label below its zoom and any label that would overlap one of higher priority, after every zoom,
pan or redraw.

A label shows from the zoom at which what it names is wide enough on screen to carry it
(:func:`min_zoom`): big countryside sectors are named early, small city blocks only close in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import shapely

from .groups import CONTESTED, DrawContext, _blank, _get, _round, _rows
from .popups import escape

#: Priority by kind (lower is placed first and wins an overlap).
PRIORITY = {"country": 0, "siege": 1, "corridor": 2, "crossing": 3, "unit": 4}
#: Width on screen (px) a polygon or line needs before its name shows.
NEED_PX = {"siege": 40, "corridor": 90, "unit": 70}
#: Points (crossings, point sieges) show from these zooms.
POINT_ZOOM = {"crossing": 11, "siege": 6}
MIN_ZOOM, MAX_ZOOM = 5, 17
#: Longest label (characters); longer names are cut with an ellipsis.
MAX_CHARS = 34


def min_zoom(width_deg: float, need_px: float, lat: float = 0.0) -> int:
    """The lowest zoom at which ``width_deg`` degrees of longitude at ``lat`` span ``need_px``
    screen pixels (Web Mercator tiles of 256 px), clamped to ``MIN_ZOOM``–``MAX_ZOOM``."""
    width = max(width_deg * math.cos(math.radians(lat)), 1e-6)
    zoom = math.log2(need_px * 360 / (256 * width))
    return int(min(MAX_ZOOM, max(MIN_ZOOM, math.ceil(zoom))))


def _short(text: Any) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 1].rstrip() + "…"


def _label(point: Any, text: Any, kind: str, zoom: int) -> dict:
    pt = _round(shapely.points([point.coords[0]]))[0] if point.geom_type == "Point" else point
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(pt.coords[0])},
            "properties": {"_label": escape(_short(text)), "_lk": kind, "_lz": zoom,
                           "_lp": PRIORITY[kind], "layer": "labels"}}


def _area_label(geom: Any, text: Any, kind: str) -> dict | None:
    if _blank(text) or geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Point":
        return _label(geom, text, kind, POINT_ZOOM.get(kind, 10))
    minx, miny, maxx, maxy = geom.bounds
    if geom.geom_type in ("LineString", "MultiLineString"):
        merged = shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
        if merged.geom_type == "MultiLineString":  # pieces: name the longest
            merged = max(merged.geoms, key=lambda g: g.length)
        point = merged.interpolate(0.5, normalized=True)
        span = max(maxx - minx, maxy - miny)
    else:
        point = geom.representative_point()  # inside the polygon, unlike a centroid
        span = maxx - minx
    return _label(point, text, kind, min_zoom(span, NEED_PX[kind], (miny + maxy) / 2))


def label_features(state: Any, ctx: DrawContext, layers: Iterable[str],
                   actors: Iterable[str] | None = None) -> dict:
    """Labels for the visible layers of ``state`` as a FeatureCollection.

    Parameters
    ----------
    state
        The state at the date (``layers.state_at``).
    ctx
        The drawing context (actor names).
    layers
        Visible layer keys: ``control`` adds unit names, ``sieges``, ``corridors`` and
        ``crossings`` their names.
    actors
        Control toggles that are on (units of hidden actors get no label); ``None``: all.
    """
    wanted = set(layers)
    shown = None if actors is None else set(actors)
    out: list[dict | None] = []
    if "sieges" in wanted:  # a siege at a town names itself (its symbol, see siege_features)
        out += [_area_label(g, _get(row, "name", "id"), "siege")
                for row, g in _rows(getattr(state, "sieges", None))
                if g.geom_type not in ("Point", "MultiPoint")]
    if "corridors" in wanted:
        out += [_area_label(g, _get(row, "name", "id"), "corridor")
                for row, g in _rows(getattr(state, "corridors", None))]
    if "crossings" in wanted:
        out += [_area_label(g if g.geom_type == "Point" else g.representative_point(),
                            _get(row, "name", "id"), "crossing")
                for row, g in _rows(getattr(state, "crossings", None))]
    if "control" in wanted:
        for row, g in _rows(getattr(state, "control", None)):
            status = _get(row, "status")
            key = (str(_get(row, "actor")) if status == "controlled"
                   else CONTESTED if status == CONTESTED else "unknown")
            if shown is None or key in shown:
                out.append(_area_label(g, _get(row, "name", "id"), "unit"))
    return {"type": "FeatureCollection", "features": [f for f in out if f is not None]}
