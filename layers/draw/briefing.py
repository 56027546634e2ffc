"""Print maps: the current view as a PNG or PDF briefing page, built offline with matplotlib.

A page holds the map (the selection the data exports write, over the offline outlines of
governorates and neighbourhoods — no tiles, no network), a title and the date, a legend drawn
with the map's real fills, hatches, dash patterns and markers (:mod:`layers.draw.style`, so
page, legend and print agree), a scale bar, a north arrow, the attribution and the list of
sources behind what is shown (publisher, title, date, URL). A PDF whose sources do not fit on
the map page continues the list on further pages; a PNG names how many are left out.

Text from data is drawn as plain text: mathtext is off (a ``$`` in a name stays a dollar).
matplotlib is used through its object API (no pyplot state), so pages can be made from
several threads of a server.
"""

from __future__ import annotations

import html
import io
import json
import math
import os
import tempfile
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from layers.selection import filter_bbox

from . import style as st

FORMATS = ("png", "pdf")
MEDIA_TYPES = {"png": "image/png", "pdf": "application/pdf"}
PAGE = (1754, 1240)  # pixels: A4 landscape at DPI
DPI = 150
PX = 0.55  # points per Leaflet pixel on paper: the page's styles, a little finer in print
LABEL_CHARS = 40
SOURCE_PT = 6.5  # font size of the list of sources
SOURCE_CHARS = 56  # characters per line of that list in the right-hand column
#: Layers drawn bottom to top (as the page does); anything else is a user layer, on top.
ORDER = ("zones", "control", "changed_hands", "sieges", "cuts", "corridors", "crossings",
         "events", "report_places")
RC = {"text.parse_math": False, "pdf.fonttype": 42, "font.family": "DejaVu Sans",
      "hatch.linewidth": 0.6, "hatch.color": "#444444"}


class BriefingError(ValueError):
    """A briefing that cannot be made (unknown format, unwritable target); one line."""


# --------------------------------------------------------------------------- styles
def _dash(dash: str | None, width: float) -> Any:
    """A Leaflet ``dashArray`` ("10 6", in pixels) as a matplotlib line style."""
    if not dash:
        return "solid"
    parts = [float(p) for p in str(dash).replace(",", " ").split() if p]
    if not parts:
        return "solid"
    # matplotlib scales dash lengths by the line width; the page's are absolute pixels
    return (0, tuple(max(p * PX / max(width, 0.1), 0.1) for p in parts))


def _path_style(style: Mapping[str, Any]) -> dict[str, Any]:
    """Leaflet path style → facecolor/edgecolor/linewidth/linestyle for a patch."""
    width = float(style.get("weight", 1)) * PX
    fill = style.get("fill", True) is not False
    face = (to_rgba(style.get("fillColor", style.get("color", "#3388ff")),
                    float(style.get("fillOpacity", 0.2))) if fill else "none")
    edge = to_rgba(style.get("color", "#3388ff"), float(style.get("opacity", 1.0)))
    return {"facecolor": face, "edgecolor": edge, "linewidth": width,
            "linestyle": _dash(style.get("dashArray"), width)}


def _line_style(style: Mapping[str, Any]) -> dict[str, Any]:
    width = float(style.get("weight", 3)) * PX
    return {"color": to_rgba(style.get("color", "#3388ff"), float(style.get("opacity", 1.0))),
            "linewidth": width, "linestyle": _dash(style.get("dashArray"), width),
            "capstyle": "butt" if style.get("lineCap") == "butt" else "round"}


def _marker_style(style: Mapping[str, Any]) -> dict[str, Any]:
    radius = float(style.get("radius", 5))
    return {"s": (2 * radius * PX) ** 2, "marker": "o",
            "c": [to_rgba(style.get("fillColor", "#3388ff"), float(style.get("fillOpacity", 1)))],
            "edgecolors": [style.get("color", "#000000")],
            "linewidths": float(style.get("weight", 1)) * PX}


def _legend_patch(style: Mapping[str, Any], hatch: str | None = None) -> Patch:
    s = _path_style(style)
    return Patch(facecolor=s["facecolor"], edgecolor=s["edgecolor"],
                 linewidth=max(s["linewidth"], 0.8), linestyle=s["linestyle"], hatch=hatch)


def _legend_line(style: Mapping[str, Any]) -> Line2D:
    s = _line_style(style)
    return Line2D([], [], color=s["color"], linewidth=s["linewidth"], linestyle=s["linestyle"],
                  solid_capstyle=s["capstyle"])


def _legend_marker(style: Mapping[str, Any]) -> Line2D:
    m = _marker_style(style)
    return Line2D([], [], linestyle="none", marker="o", markersize=math.sqrt(m["s"]),
                  markerfacecolor=m["c"][0], markeredgecolor=m["edgecolors"][0],
                  markeredgewidth=m["linewidths"])


# --------------------------------------------------------------------------- geometry
def _polygon_path(geom: Any) -> MplPath | None:
    """A shapely (multi)polygon as one matplotlib path, holes included."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            c = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    if not verts:
        return None
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _polygons(geoms: Iterable[Any]) -> list[Any]:
    return [g for g in geoms if g is not None and not g.is_empty
            and g.geom_type in ("Polygon", "MultiPolygon")]


def _lines(geoms: Iterable[Any]) -> list[np.ndarray]:
    out = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        if g.geom_type in ("Polygon", "MultiPolygon"):
            g = g.boundary
        for part in getattr(g, "geoms", [g]):
            if part.geom_type in ("LineString", "LinearRing"):
                out.append(np.asarray(part.coords)[:, :2])
    return out


def _points(geoms: Iterable[Any]) -> np.ndarray:
    xy = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        p = g if g.geom_type == "Point" else g.representative_point()
        xy.append((p.x, p.y))
    return np.asarray(xy, dtype=float).reshape(-1, 2)


def _draw_polygons(ax: Any, geoms: Iterable[Any], style: Mapping[str, Any], *,
                   hatch: str | None = None, z: float = 1) -> None:
    paths = [p for p in (_polygon_path(g) for g in _polygons(geoms)) if p is not None]
    if not paths:
        return
    coll = PatchCollection([PathPatch(p) for p in paths], zorder=z, **_path_style(style))
    if hatch:
        coll.set_hatch(hatch)
    ax.add_collection(coll, autolim=False)


def _draw_lines(ax: Any, geoms: Iterable[Any], style: Mapping[str, Any], z: float) -> None:
    segments = _lines(geoms)
    if segments:
        ax.add_collection(LineCollection(segments, zorder=z, **_line_style(style)),
                          autolim=False)


def _draw_points(ax: Any, geoms: Iterable[Any], style: Mapping[str, Any], z: float) -> None:
    xy = _points(geoms)
    if len(xy):
        ax.scatter(xy[:, 0], xy[:, 1], zorder=z, **_marker_style(style))


# --------------------------------------------------------------------------- what is shown
def _column(gdf: gpd.GeoDataFrame, name: str) -> list[Any]:
    return list(gdf[name]) if name in gdf.columns else [None] * len(gdf)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _text(value: Any) -> str:
    text = "" if _blank(value) else " ".join(str(value).split())
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


class _Actors:
    """Actor names and colours of the scenario (or bare ids without one)."""

    def __init__(self, scenario: Any, ids: Iterable[str]) -> None:
        records = dict(getattr(scenario, "actors", {}) or {})
        for aid in ids:
            records.setdefault(aid, {"id": aid})
        self.order = list(records)
        self.names = {k: str(getattr(v, "name", None) or (v.get("name") if isinstance(v, Mapping)
                                                              else None) or k)
                      for k, v in records.items()}
        self.colours = st.actor_colours(
            {"id": k, "colour": getattr(v, "colour", None)
             or (v.get("colour") if isinstance(v, Mapping) else None)}
            for k, v in records.items())


def _ground(ax: Any, gdf: gpd.GeoDataFrame, actors: _Actors, legend: dict, z: float) -> None:
    """Control units or zones: actor fills, contested hatched grey, unknown pale dotted."""
    keys = []
    for actor, status in zip(_column(gdf, "actor"), _column(gdf, "status"), strict=True):
        if status == "controlled" and not _blank(actor):
            keys.append(("actor", str(actor)))
        else:
            keys.append(("status", "contested" if status == "contested" else "unknown"))
    geoms = list(gdf.geometry)
    for key in dict.fromkeys(keys):
        mine = [g for g, k in zip(geoms, keys, strict=True) if k == key]
        if key[0] == "actor":
            colour = actors.colours.get(key[1], st.GREY)
            style = st.zone_style("controlled", colour)
            _draw_polygons(ax, mine, style, z=z)
            legend.setdefault(f"actor:{key[1]}", (_legend_patch(style),
                                                  actors.names.get(key[1], key[1])))
        elif key[1] == "contested":
            style = st.zone_style("contested", None)
            _draw_polygons(ax, mine, style, hatch="////", z=z)
            legend.setdefault("contested", (_legend_patch(style, "////"), "Contested"))
        else:
            style = st.zone_style(None, None)
            _draw_polygons(ax, mine, style, z=z)
            legend.setdefault("unknown", (_legend_patch(style), "Unknown"))


def _statuses(ax: Any, gdf: gpd.GeoDataFrame, legend: dict, kind: str, z: float) -> None:
    """Corridors (lines) or crossings (markers) by status, each status its own entry."""
    statuses = [s if s in st.ROUTE_STATUS else "unknown" for s in _column(gdf, "status")]
    geoms = list(gdf.geometry)
    for status in [s for s in st.ROUTE_STATUS if s in statuses]:
        mine = [g for g, s in zip(geoms, statuses, strict=True) if s == status]
        words = status.replace("_", " ")
        if kind == "corridor":
            style = st.route_style(status)
            _draw_lines(ax, mine, style, z)
            legend.setdefault(f"corridor:{status}", (_legend_line(style), f"Corridor {words}"))
        else:
            style = st.point_style("crossing", status)
            _draw_points(ax, mine, style, z)
            legend.setdefault(f"crossing:{status}", (_legend_marker(style), f"Crossing {words}"))


def _draw_layer(ax: Any, name: str, gdf: gpd.GeoDataFrame, actors: _Actors,
                legend: dict, z: float) -> None:
    geoms = list(gdf.geometry)
    if name in ("control", "zones"):
        _ground(ax, gdf, actors, legend, z)
    elif name == "changed_hands":
        casing = getattr(st, "CHANGED_CASING_STYLE", None)  # a light edge under the dashes
        if casing:
            _draw_polygons(ax, geoms, casing, z=z)
        _draw_polygons(ax, geoms, st.CHANGED_STYLE, z=z)
        legend.setdefault(name, (_legend_patch(st.CHANGED_STYLE),
                                 "Changed hands since the comparison date"))
    elif name == "sieges":
        _draw_polygons(ax, geoms, st.SIEGE_STYLE, z=z)
        # A town under siege on a country map is a speck: ring it so it can be seen.
        w0, w1 = ax.get_xlim()
        small = [g for g in geoms if g is not None and not g.is_empty
                 and max(g.bounds[2] - g.bounds[0], g.bounds[3] - g.bounds[1]) < (w1 - w0) / 80]
        xy = _points(small)
        ring = dict(marker="o", facecolors="none", edgecolors=st.SIEGE_STYLE["color"],
                    linewidths=1.2, linestyle=_dash(st.SIEGE_STYLE.get("dashArray"), 1.2))
        if len(xy):
            ax.scatter(xy[:, 0], xy[:, 1], s=120, zorder=z, **ring)
            legend.setdefault("siege_places", (
                Line2D([], [], linestyle="none", marker="o", markersize=math.sqrt(120),
                       markerfacecolor="none", markeredgecolor=ring["edgecolors"],
                       markeredgewidth=1.2), "Besieged place"))
        if len(small) < len(geoms):  # the legend lists only what the page shows
            legend.setdefault(name, (_legend_patch(st.SIEGE_STYLE), "Besieged area"))
    elif name == "cuts":
        _draw_lines(ax, geoms, st.CUT_STYLE, z)
        legend.setdefault(name, (_legend_line(st.CUT_STYLE),
                                 "Corridor over hostile or contested ground"))
    elif name == "corridors":
        _statuses(ax, gdf, legend, "corridor", z)
    elif name == "crossings":
        _statuses(ax, gdf, legend, "crossing", z)
    elif name == "events":
        _draw_points(ax, geoms, st.point_style("event"), z)
        legend.setdefault(name, (_legend_marker(st.point_style("event")), "Event"))
    elif name == "report_places":
        _draw_points(ax, geoms, st.point_style("mention"), z)
        legend.setdefault(name, (_legend_marker(st.point_style("mention")),
                                 "Place named in a report"))
    else:  # a user layer
        points = [g for g in geoms if g is not None and g.geom_type in ("Point", "MultiPoint")]
        rest = [g for g in geoms if g is not None and g.geom_type not in ("Point", "MultiPoint")]
        _draw_polygons(ax, rest, st.USER_STYLE, z=z)
        _draw_lines(ax, [g for g in rest if "Line" in g.geom_type], st.USER_STYLE, z)
        _draw_points(ax, points, st.point_style("user"), z)
        handle = (_legend_marker(st.point_style("user")) if points and not rest
                  else _legend_patch(st.USER_STYLE))
        legend.setdefault(f"user:{name}", (handle, f"My layer: {_text(name)}"))


# --------------------------------------------------------------------------- sources
def _source_items(value: Any) -> list[Any]:
    """A ``sources`` cell (``;``-joined ids, a JSON list, a list of records) as items."""
    if _blank(value):
        return []
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return _source_items(json.loads(text))
            except ValueError:
                pass
        return [p.strip() for p in text.split(";") if p.strip()]
    if isinstance(value, Iterable):
        return [v for item in value for v in _source_items(item)]
    return [str(value)]


def _record(item: Any, known: Mapping[str, Any]) -> dict[str, str]:
    if isinstance(item, Mapping):
        return {k: "" if _blank(item.get(k)) else str(item.get(k))
                for k in ("publisher", "title", "date", "url")}
    src = known.get(str(item))
    if src is None:  # a free-text citation (e.g. a user's layer): kept as its title
        return {"publisher": "", "title": str(item), "date": "", "url": ""}
    return {"publisher": str(getattr(src, "publisher", "") or ""),
            "title": str(getattr(src, "title", "") or ""),
            "date": str(getattr(src, "date", "") or ""), "url": str(getattr(src, "url", "") or "")}


def sources_shown(selection: Mapping[str, gpd.GeoDataFrame],
                  scenario: Any = None) -> list[dict[str, str]]:
    """The sources behind the features of ``selection``: one record (``publisher``,
    ``title``, ``date``, ``url``) per distinct source, ordered by publisher then date.

    Source ids are resolved through the scenario's ``sources``; report places carry their
    report in ``publisher``/``report_title``/``published``/``url`` (:mod:`layers.report`).
    """
    known = dict(getattr(scenario, "sources", {}) or {})
    found: dict[tuple[str, ...], dict[str, str]] = {}
    for gdf in selection.values():
        if gdf is None or gdf.empty:
            continue
        report = "report_title" in gdf.columns or "published" in gdf.columns
        if not report:  # a report place's ``sources`` text repeats the columns read below
            for value in _column(gdf, "sources"):
                for item in _source_items(value):
                    rec = _record(item, known)
                    found.setdefault(tuple(rec.values()), rec)
        if report:
            for row in zip(*(_column(gdf, c) for c in
                             ("publisher", "report_title", "published", "url")), strict=True):
                rec = _record(dict(zip(("publisher", "title", "date", "url"), row,
                                       strict=True)), known)
                if any(rec.values()):
                    found.setdefault(tuple(rec.values()), rec)
    return sorted(found.values(), key=lambda r: (r["publisher"].lower(), r["date"], r["title"]))


def citation(rec: Mapping[str, str]) -> str:
    """``Publisher, "Title" (date) URL`` with the empty parts left out."""
    parts = [rec.get("publisher") or "", f"“{rec['title']}”" if rec.get("title") else ""]
    text = ", ".join(p for p in parts if p)
    if rec.get("date"):
        text += f" ({rec['date']})"
    if rec.get("url"):
        text += f" {rec['url']}"
    return " ".join(text.split()) or "unnamed source"


# --------------------------------------------------------------------------- the page
#: Web-map pixels across the page's map: a zoom level shows about this much ground in print.
VIEW_PIXELS = (1000, 620)


def _view_extent(lat: float, lon: float, zoom: float) -> tuple[float, float, float, float]:
    """The ground a web map centred on (lat, lon) at ``zoom`` shows in :data:`VIEW_PIXELS`."""
    deg_per_px = 360.0 / (256 * 2 ** float(zoom))  # along the equator; Mercator keeps
    half_w = VIEW_PIXELS[0] / 2 * deg_per_px        # longitude degrees the same everywhere
    half_h = VIEW_PIXELS[1] / 2 * deg_per_px * math.cos(math.radians(lat))
    return lon - half_w, lat - half_h, lon + half_w, lat + half_h


def _extent(selection: Mapping[str, gpd.GeoDataFrame], bbox: Sequence[float] | None,
            view: Sequence[float] | None, scenario: Any) -> tuple[float, float, float, float]:
    """W, S, E, N to show: the box asked for, else the view (centre and zoom, as on the
    page), else the scenario's own view, else what is selected (padded)."""
    if bbox is not None:
        w, s, e, n = (float(v) for v in bbox)
        return w, s, e, n
    manifest = getattr(scenario, "manifest", None)
    if view is None and manifest is not None and getattr(manifest, "zoom", None):
        view = (*manifest.center, manifest.zoom)
    if view is not None:
        return _view_extent(*(float(v) for v in view))
    bounds = [g.total_bounds for g in selection.values()
              if g is not None and not g.empty and np.isfinite(g.total_bounds).all()]
    if bounds:
        arr = np.asarray(bounds)
        w, s = arr[:, 0].min(), arr[:, 1].min()
        e, n = arr[:, 2].max(), arr[:, 3].max()
    else:
        w, s, e, n = -0.1, -0.1, 0.1, 0.1
    pad = max(e - w, n - s, 0.01) * 0.06
    return w - pad, s - pad, e + pad, n + pad


def _fit(extent: tuple[float, float, float, float], box_ratio: float,
         ) -> tuple[float, float, float, float]:
    """Widen the extent so that, drawn at true local scale, it fills a box of width/height
    ``box_ratio`` (the map keeps its shape; more ground is shown, never stretched)."""
    w, s, e, n = extent
    k = math.cos(math.radians((s + n) / 2))
    width_km, height_km = (e - w) * k, n - s
    if width_km / height_km < box_ratio:
        grow = (height_km * box_ratio / k - (e - w)) / 2
        w, e = w - grow, e + grow
    else:
        grow = ((e - w) * k / box_ratio - (n - s)) / 2
        s, n = s - grow, n + grow
    return w, s, e, n


def _background(ax: Any, extent: tuple[float, float, float, float]) -> None:
    """The offline outlines (governorates, Aleppo's neighbourhoods) under the data."""
    try:
        from .basemap import base_collections

        governorates, units = base_collections()
    except (ImportError, OSError, ValueError):  # pragma: no cover - no place table
        return
    from .basemap import neighbour_collections

    countries, names = neighbour_collections()  # Syria's neighbours, as on the page
    view = shapely.box(*extent)
    for collection, style, z in ((countries, st.BASE_COUNTRY_STYLE, 0.05),
                                 (units, st.BASE_UNIT_STYLE, 0.1),
                                 (governorates, st.BASE_GOVERNORATE_STYLE, 0.2)):
        geoms = [shapely.geometry.shape(f["geometry"]) for f in collection["features"]]
        geoms = [g for g in geoms if g.intersects(view)]
        _draw_polygons(ax, geoms, {**style, "opacity": 1}, z=z)
    w, s, e, n = extent
    for f in names["features"]:
        lon, lat = f["geometry"]["coordinates"]
        if w < lon < e and s < lat < n:  # the name was escaped for the page: plain text here
            ax.text(lon, lat, html.unescape(str(f["properties"]["_label"])).upper(),
                    fontsize=8, color="#666666", ha="center", va="center", zorder=0.3)


def _nice_km(span_km: float) -> float:
    """A round length (1, 2 or 5 × 10ⁿ km) of about a fifth of ``span_km``."""
    target = max(span_km / 5, 1e-3)
    base = 10 ** math.floor(math.log10(target))
    return max(m * base for m in (1, 2, 5) if m * base <= target)


def _scale_bar(ax: Any, extent: tuple[float, float, float, float]) -> None:
    w, s, e, n = extent
    lat = (s + n) / 2
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    length = _nice_km((e - w) * km_per_deg)
    deg = length / km_per_deg
    x0, y0 = w + (e - w) * 0.04, s + (n - s) * 0.04
    h = (n - s) * 0.008
    half = deg / 2
    for i, colour in enumerate(("#000000", "#ffffff")):
        ax.add_patch(Rectangle((x0 + i * half, y0), half, h, facecolor=colour,
                               edgecolor="#000000", linewidth=0.6, zorder=20))
    label = f"{length:g} km"
    ax.text(x0 + deg / 2, y0 + 2.2 * h, label, ha="center", va="bottom", fontsize=7,
            zorder=20, bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none",
                             "pad": 1})


def _north_arrow(ax: Any) -> None:
    ax.annotate("N", xy=(0.96, 0.97), xytext=(0.96, 0.87), xycoords="axes fraction",
                ha="center", va="center", fontsize=9, fontweight="bold", zorder=20,
                arrowprops={"arrowstyle": "-|>", "color": "#000000", "linewidth": 1.2})


def _labels(ax: Any, selection: Mapping[str, gpd.GeoDataFrame], renderer: Any) -> None:
    """Names of sieges, crossings, corridors and report places, most important first; a
    label that would overlap one already placed is left out."""
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    view = ax.get_window_extent(renderer)
    span = abs(ax.get_xlim()[1] - ax.get_xlim()[0])
    placed = _siege_callouts(ax, selection.get("sieges"), span, renderer, halo)
    for layer, field, size in (("sieges", "name", 7.5), ("crossings", "name", 6.5),
                               ("corridors", "name", 6.5), ("report_places", "title", 6)):
        gdf = selection.get(layer)
        if gdf is None or gdf.empty:
            continue
        for label, geom in zip(_column(gdf, field), gdf.geometry, strict=True):
            text = _text(label)
            if not text or geom is None or geom.is_empty:
                continue
            p = geom.representative_point() if "Line" not in geom.geom_type else (
                geom.interpolate(0.5, normalized=True))
            x0, y0, x1, y1 = geom.bounds
            speck = max(x1 - x0, y1 - y0) < span / 80  # a point or a speck: name beside it
            if layer == "sieges" and speck:
                continue  # named by _siege_callouts
            t = ax.annotate(text, (p.x, p.y), xytext=(8, 0) if speck else (0, 0),
                            textcoords="offset points", fontsize=size, zorder=30,
                            ha="left" if speck else "center", va="center",
                            path_effects=halo, annotation_clip=True)
            box = t.get_window_extent(renderer).expanded(1.05, 1.15)
            if (not (view.contains(box.x0, box.y0) and view.contains(box.x1, box.y1))
                    or any(box.overlaps(b) for b in placed)):
                t.remove()
                continue
            placed.append(box)


def _siege_callouts(ax: Any, sieges: gpd.GeoDataFrame | None, span: float, renderer: Any,
                    halo: list[Any], size: float = 7.5) -> list[Any]:
    """Names of sieges at towns (specks on the page), each beside its ring; rings whose names
    would overlap are gathered, and the group's names listed in a column beside it, each
    tied to its ring by a leader line (groups that then overlap are gathered again), as the
    map on the page does. Returns the boxes taken (display units)."""
    from matplotlib.transforms import Bbox

    if sieges is None or sieges.empty:
        return []
    pt = ax.figure.dpi / 72  # display units per point
    items = []
    for label, geom in zip(_column(sieges, "name"), sieges.geometry, strict=True):
        text = _text(label)
        if not text or geom is None or geom.is_empty:
            continue
        x0, y0, x1, y1 = geom.bounds
        if max(x1 - x0, y1 - y0) >= span / 80:
            continue
        p = geom.representative_point()
        probe = ax.text(0, 0, text, fontsize=size)
        ext = probe.get_window_extent(renderer)
        probe.remove()
        px, py = ax.transData.transform((p.x, p.y))
        items.append({"text": text, "xy": (p.x, p.y), "px": px, "py": py, "w": ext.width,
                      "h": ext.height})
    ring, gap = 6 * pt, 26 * pt
    row = max([11 * pt, *(it["h"] * 1.15 for it in items)])  # a line of names, halo included
    right_edge = ax.get_window_extent(renderer).x1

    def layout(group: list[dict]) -> tuple[list[tuple[float, float, bool]], Any]:
        if len(group) == 1:
            it = group[0]
            flip = it["px"] + ring + 2 * pt + it["w"] > right_edge
            x = it["px"] - ring - 2 * pt if flip else it["px"] + ring + 2 * pt
            box = (Bbox.from_extents(x - it["w"], it["py"] - row / 2, it["px"] + ring,
                                     it["py"] + row / 2) if flip else
                   Bbox.from_extents(it["px"] - ring, it["py"] - row / 2, x + it["w"],
                                     it["py"] + row / 2))
            return [(x, it["py"], flip)], box
        group.sort(key=lambda g: -g["py"])  # top of the page first
        widest = max(g["w"] for g in group)
        low, high = min(g["px"] for g in group), max(g["px"] for g in group)
        flip = high + gap + widest > right_edge
        x = low - gap if flip else high + gap
        middle = sum(g["py"] for g in group) / len(group)
        at = [(x, middle + ((len(group) - 1) / 2 - k) * row, flip)
              for k in range(len(group))]
        xs = [low - ring, high + ring, x - widest if flip else x + widest]
        ys = [g["py"] for g in group] + [a[1] for a in at]
        return at, Bbox.from_extents(min(xs), min(ys) - row / 2, max(xs), max(ys) + row / 2)

    groups = [[it] for it in items]
    shapes = [layout(g) for g in groups]
    merged = True
    while merged:
        merged = False
        pairs = [(a, b) for a in range(len(groups)) for b in range(a + 1, len(groups))]
        for i, j in pairs:
            if shapes[i][1].overlaps(shapes[j][1]):
                groups[i] += groups.pop(j)
                shapes.pop(j)
                shapes[i] = layout(groups[i])
                merged = True
                break
    to_data = ax.transData.inverted()
    for group, (at, _) in zip(groups, shapes, strict=True):
        for it, (x, y, flip) in zip(group, at, strict=True):
            leader = len(group) > 1
            ax.annotate(it["text"], it["xy"], xytext=tuple(to_data.transform((x, y))),
                        textcoords="data", fontsize=size, zorder=30, va="center",
                        ha="right" if flip else "left", path_effects=halo,
                        arrowprops=dict(arrowstyle="-", lw=0.6, color="#111111", shrinkA=1,
                                        shrinkB=ring / pt) if leader else None)
    return [box for _, box in shapes]


def _wrapped(lines: Iterable[str], width: int) -> list[str]:
    out = []
    for line in lines:
        out += textwrap.wrap(line, width, subsequent_indent="   ", break_long_words=True) or [""]
    return out


def _day_text(day: date | str | None) -> str:
    if isinstance(day, date):
        return f"{day.day} {day:%B %Y}"
    return str(day or "")


def _compose(selection: Mapping[str, gpd.GeoDataFrame], *, scenario: Any, day: Any,
             title: str | None, bbox: Sequence[float] | None, view: Sequence[float] | None,
             attribution: str | None, size: tuple[float, float], dpi: int, continued: bool,
             ) -> tuple[Figure, list[str]]:
    """The map page; returns the figure and the source lines that did not fit on it."""
    fig = Figure(figsize=size, dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    manifest = getattr(scenario, "manifest", None)
    heading = title or getattr(manifest, "title", None) or "Cordon briefing map"
    fig.text(0.03, 0.965, _text(heading) if len(heading) > 110 else heading, fontsize=14,
             fontweight="bold", va="top")
    when = _day_text(day)
    fig.text(0.03, 0.925, f"Situation on {when}" if when else "Situation map", fontsize=10,
             va="top", color="#333333")
    map_box = (0.03, 0.11, 0.62, 0.79)
    ax = fig.add_axes(map_box)
    fig_w, fig_h = size
    extent = _fit(_extent(selection, bbox, view, scenario),
                  (map_box[2] * fig_w) / (map_box[3] * fig_h))
    w, s, e, n = extent
    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    ax.set_aspect(1 / math.cos(math.radians((s + n) / 2)), adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#fbfaf7")
    _background(ax, extent)
    # Only what is in view: the legend and the sources then describe the page.
    selection = {k: filter_bbox(g if g.crs is None or g.crs.equals("EPSG:4326")
                                else g.to_crs(4326), extent)
                 for k, g in selection.items() if isinstance(g, gpd.GeoDataFrame)}
    ids = [str(a) for g in selection.values() if g is not None and "actor" in g.columns
           for a in g["actor"] if not _blank(a)]
    actors = _Actors(scenario, dict.fromkeys(ids))
    legend: dict[str, tuple[Any, str]] = {}
    names = [n for n in ORDER if n in selection] + [n for n in selection if n not in ORDER]
    for z, name in enumerate(names, start=2):
        gdf = selection[name]
        if gdf.empty:
            continue
        _draw_layer(ax, name, gdf, actors, legend, z)
    _scale_bar(ax, extent)
    _north_arrow(ax)
    renderer = canvas.get_renderer()
    _labels(ax, selection, renderer)

    # Legend at the top of the right-hand column, the sources below it.
    side = fig.add_axes((0.68, 0.11, 0.30, 0.79))
    side.set_axis_off()
    ordered = [legend[k] for k in _legend_order(legend, actors)]
    top = 1.0
    if ordered:
        leg = side.legend([h for h, _ in ordered], [lab for _, lab in ordered],
                          loc="upper left", bbox_to_anchor=(0, 1), frameon=False, fontsize=7.5,
                          title="Legend", title_fontsize=9, alignment="left",
                          handlelength=2.6, handleheight=1.1, borderaxespad=0)
        box = leg.get_window_extent(renderer).transformed(side.transAxes.inverted())
        top = box.y0 - 0.03
    sources = sources_shown(selection, scenario)
    blocks = [_wrapped([citation(r)], SOURCE_CHARS) for r in sources]
    side_pt = side.get_window_extent(renderer).height * 72 / dpi
    room = max(int((top - 0.035) * side_pt / (SOURCE_PT * 1.25)) - 1, 0)
    fits = 0  # whole sources only; one line kept free to say how many are left
    while fits < len(blocks) and sum(map(len, blocks[:fits + 1])) <= room - (
            fits + 1 < len(blocks)):
        fits += 1
    shown = [line for b in blocks[:fits] for line in b]
    rest = [line for b in blocks[fits:] for line in b]
    side.text(0, top, f"Sources ({len(sources)})", fontsize=9, fontweight="bold", va="top",
              transform=side.transAxes)
    body = list(shown)
    if rest:
        left = len(blocks) - fits
        where = "continued on the next page" if continued else "see the PDF or a data export"
        body.append(f"… and {left} more: {where}")
    if not sources:
        body = ["No sources are attached to the features shown."]
    side.text(0, top - 0.035, "\n".join(body), fontsize=SOURCE_PT, va="top", linespacing=1.25,
              transform=side.transAxes, color="#222222")
    credit = attribution or getattr(manifest, "attribution", "") or ""
    foot = _wrapped([f"Data: {credit}" if credit else "",
                     "Made offline with Cordon: outlines from its place table; no map tiles. "
                     "Each feature's sources are in the data exports."], 150)
    fig.text(0.03, 0.085, "\n".join(x for x in foot if x), fontsize=6, va="top",
             color="#444444", linespacing=1.3)
    return fig, rest


def _legend_order(legend: Mapping[str, Any], actors: _Actors) -> list[str]:
    first = [f"actor:{a}" for a in actors.order if f"actor:{a}" in legend]
    fixed = ["contested", "unknown", "changed_hands", "sieges", "siege_places", "cuts",
             *[f"corridor:{s}" for s in st.ROUTE_STATUS],
             *[f"crossing:{s}" for s in st.ROUTE_STATUS], "events", "report_places"]
    keys = first + [k for k in fixed if k in legend]
    return keys + [k for k in legend if k not in keys]


def _continuation(lines: list[str], size: tuple[float, float], dpi: int, page: int,
                  heading: str) -> tuple[Figure, list[str]]:
    fig = Figure(figsize=size, dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    fig.text(0.05, 0.95, f"{heading} — sources, continued ({page})", fontsize=11,
             fontweight="bold", va="top")
    per_column = int(0.85 * size[1] * 72 / (SOURCE_PT * 1.25))
    for col in range(2):
        chunk = lines[col * per_column:(col + 1) * per_column]
        if chunk:
            fig.text(0.05 + col * 0.47, 0.9, "\n".join(chunk), fontsize=SOURCE_PT, va="top",
                     linespacing=1.25, color="#222222")
    return fig, lines[2 * per_column:]


def render(
    selection: Mapping[str, gpd.GeoDataFrame],
    fmt: str = "png",
    *,
    scenario: Any = None,
    day: date | str | None = None,
    title: str | None = None,
    bbox: Sequence[float] | None = None,
    view: Sequence[float] | None = None,
    attribution: str | None = None,
    pixels: tuple[int, int] = PAGE,
    dpi: int = DPI,
) -> bytes:
    """The briefing page of ``selection`` as PNG or PDF bytes.

    Parameters
    ----------
    selection : mapping of str to GeoDataFrame
        What is on screen, as for the data exports (``layers.select`` /
        ``layers.draw.onscreen.selection``): ``control``, ``zones``, ``sieges``, ``cuts``,
        ``corridors``, ``crossings``, ``events``, ``changed_hands``, ``report_places`` and
        user layers under their own names.
    fmt : {"png", "pdf"}
        PNG: one page of ``size`` × ``dpi`` pixels. PDF: the map page, then as many pages as
        the list of sources needs.
    scenario : Scenario, optional
        Gives actor names and colours, the sources' full records, the default title and the
        attribution.
    day : date or str, optional
        The date shown (the state's date).
    title : str, optional
        Heading; defaults to the scenario's title.
    bbox : (W, S, E, N), optional
        Ground to show (degrees).
    view : (lat, lon, zoom), optional
        The page's map centre and zoom, when no ``bbox``: about the ground the page shows.
        Without either, the scenario's view; without a scenario, all that is selected.
    attribution : str, optional
        Credit line; defaults to the scenario's attribution.
    pixels, dpi
        Page size in pixels (default A4 landscape at 150 dpi) and resolution (pixels per
        inch: sets how large text and lines are on the page, and the PDF's paper size).

    Returns
    -------
    bytes

    Raises
    ------
    BriefingError
        Unknown format.
    """
    fmt = str(fmt).lower()
    if fmt not in FORMATS:
        raise BriefingError(f"unknown briefing format '{fmt}' (choose from png, pdf)")
    # matplotlib truncates width × dpi to whole pixels: a hair more keeps the size asked for
    size = ((int(pixels[0]) + 0.01) / dpi, (int(pixels[1]) + 0.01) / dpi)
    buf = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig, rest = _compose(selection, scenario=scenario, day=day, title=title, bbox=bbox,
                             view=view, attribution=attribution, size=size, dpi=dpi,
                             continued=fmt == "pdf")
        if fmt == "png":
            fig.savefig(buf, format="png", dpi=dpi)
        else:
            heading = title or getattr(getattr(scenario, "manifest", None), "title", None) \
                or "Cordon briefing map"
            meta = {"Title": str(heading), "Creator": "Cordon"}
            with PdfPages(buf, metadata=meta) as pdf:
                pdf.savefig(fig)
                page = 2
                while rest:
                    more, rest = _continuation(rest, size, dpi, page, str(heading))
                    pdf.savefig(more)
                    page += 1
    return buf.getvalue()


def write(data: bytes, out: str | os.PathLike | BinaryIO) -> None:
    """Write briefing bytes to ``out``: a path is replaced atomically, a file gets the bytes.

    Raises
    ------
    BriefingError
        The folder does not exist or cannot be written.
    """
    if not isinstance(out, str | os.PathLike):
        out.write(data)
        return
    target = Path(out)
    folder = target.resolve().parent
    if not folder.is_dir():
        raise BriefingError(f"cannot write '{out}': folder '{folder}' does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".cordon-briefing-", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        with_tmp = locals().get("tmp")
        if with_tmp:
            Path(with_tmp).unlink(missing_ok=True)
        raise BriefingError(f"cannot write '{out}': {exc.strerror or exc}") from None
