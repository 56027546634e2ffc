"""A state at a date → folium FeatureGroups, one per map layer.

Each layer is a single ``folium.GeoJson`` (one Leaflet layer, drawn on the map's canvas) whose
features carry only what the browser needs: a ``style``, a pre-escaped ``_tip`` and the popup's
pre-escaped parts ``_pop`` (joined in the browser when the popup opens, see ``popups.POPUP_JS``).
Display geometry is simplified with shared borders kept (:func:`shapely.coverage_simplify`) and
rounded to about a metre; analysis and exports use the full geometry elsewhere.

:func:`layer_features` is the pure part (records → GeoJSON dicts, unit-tested);
:func:`build_groups` wraps its output in FeatureGroups for ``st_folium(feature_group_to_add=…)``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium.utilities import JsCode
from jinja2 import Template

from . import style as st
from .mapscript import point_to_layer
from .popups import POPUP_JS, escape, inert, popup_data, sources_html, tooltip_html

#: Layer keys in drawing order (bottom to top); also the ids used in toggles and the URL.
LAYERS = ("control", "changes", "sieges", "corridors", "crossings", "events", "mentions", "user")
#: Property naming a feature's legend entry (``control:<actor>``, ``corridor:<status>``, …):
#: the legend lists what is drawn, read from these (see ``legend.legend_entries``).
LEGEND_KEY = "_leg"
LAYER_LABELS = {
    "control": "Control",
    "changes": "Changed hands",
    "sieges": "Sieges",
    "corridors": "Corridors",
    "crossings": "Crossings",
    "events": "Events",
    "mentions": "Report places",
    "user": "My layers",
    "labels": "Labels",
    # Workspaces only (not toggles): clickable units, the selection, what is being drawn.
    "units": "Units without a record",
    "selection": "Selected",
    "drawing": "Being drawn",
}
#: Pseudo-actor keys for ground that no single actor controls.
CONTESTED, UNKNOWN = "contested", "unknown"

#: Binds the pre-escaped tooltip and popup of each feature (Leaflet sets them as innerHTML).
#: Popups are built from their escaped parts when opened (lazily: 10,000 points stay cheap).
BIND_JS = JsCode(
    "function(f, l) { var p = f.properties || {}; var build = " + POPUP_JS + ";"
    " if (p._tip) { l.bindTooltip(p._tip, {sticky: true}); }"
    " if (p._pop) { l.bindPopup(function() { return build(p._pop); },"
    " {maxWidth: 340, maxHeight: 320}); } }"
)
SIMPLIFY_DEG = 0.00025  # ≈ 25 m at Aleppo's latitude: invisible at city zoom
ROUND_DIGITS = 5  # ≈ 1 m
HATCH_SPACING_DEG = 0.0025
#: Width on screen (px) a group of besieged towns needs before its towns are drawn one by one.
TOWNS_NEED_PX = 60


@dataclass
class DrawContext:
    """What drawing needs besides the state: actor names/colours and the source records."""

    actors: dict[str, Any] = field(default_factory=dict)  # id -> record (name, short, colour)
    sources: dict[str, Any] = field(default_factory=dict)  # id -> {publisher,title,date,url}
    colours: dict[str, str] = field(default_factory=dict)
    #: unit id -> display GeoJSON geometry, simplified once for the whole coverage.
    display: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def for_scenario(cls, sc: Any) -> DrawContext:
        """Context for a loaded ``layers.Scenario``: its actors, sources and the display
        geometry of all its control units (one coverage simplification, shared borders kept)."""
        ctx = cls(actors=dict(sc.actors), sources=dict(sc.sources))
        units = list(getattr(sc, "units", ()) or ())
        geoms = getattr(sc, "unit_geoms", None)
        if units and geoms is not None and len(geoms) == len(units):
            simple = display_geometry(list(geoms))
            ctx.display = {u: geojson_geometry(g) for u, g in zip(units, simple, strict=True)}
        return ctx

    def __post_init__(self) -> None:
        if not self.colours:
            self.colours = st.actor_colours(
                {"id": k, "colour": _get(v, "colour", "color")} for k, v in self.actors.items()
            )

    def actor_name(self, actor_id: Any) -> str | None:
        """The actor's display name, or its id when the pack does not know it."""
        if _blank(actor_id):
            return None
        rec = self.actors.get(str(actor_id))
        name = _get(rec, "name") if rec is not None else None
        return str(name) if name else str(actor_id)

    def resolve(self, value: Any) -> list[Any]:
        """Source ids (list or ``;``-separated) → source records; unknown ids kept as text."""
        out: list[Any] = []
        for item in _as_list(value):
            if isinstance(item, Mapping):
                out.append(item)
            else:
                out.append(self.sources.get(str(item), str(item)))
        return out


# --------------------------------------------------------------------------- small helpers
def _blank(value: Any) -> bool:
    """True for None, NaN/NaT/NA and empty strings (unknown stays unknown, not "nan")."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, np.ndarray)):
        return len(value) == 0
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _get(rec: Any, *names: str) -> Any:
    """First non-blank field of ``rec`` (mapping, pandas row or object) among ``names``."""
    if rec is None:
        return None
    for name in names:
        if isinstance(rec, (Mapping, pd.Series)):
            value = rec.get(name)
        else:
            value = getattr(rec, name, None)
        if not _blank(value):
            return value
    return None


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    if isinstance(value, (list, tuple, np.ndarray)):
        return list(value)
    return [] if _blank(value) else [value]


def _names(ctx: DrawContext, ids: Any) -> str | None:
    names = [ctx.actor_name(a) for a in _as_list(ids)]
    return ", ".join(n for n in names if n) or None


def _span(rec: Any) -> str | None:
    start = _get(rec, "valid_from", "since", "from", "start")
    end = _get(rec, "valid_to", "until", "to", "end")
    if _blank(start) and _blank(end):
        return None
    return f"{_date(start) or '?'} – {_date(end) or 'ongoing'}"


def _date(value: Any) -> str | None:
    if _blank(value):
        return None
    return str(value.date() if hasattr(value, "date") and callable(value.date) else value)[:10]


def population_text(populations: Any) -> str | None:
    """Siege populations as text: ``"low–high (date)"`` per estimate; ``None`` when unknown."""
    parts = []
    for p in _as_list(populations):
        if not isinstance(p, Mapping):
            continue
        low, high, value = p.get("low"), p.get("high"), p.get("value")
        if not _blank(low) and not _blank(high) and low != high:
            figure = f"{int(low):,}–{int(high):,}"
        elif not _blank(value):
            figure = f"{int(value):,}"
        else:
            continue
        parts.append(figure + (f" ({p['date']})" if p.get("date") else ""))
    return "; ".join(parts) or None


def _siege_population(row: Any) -> str | None:
    low, high = _get(row, "population_low"), _get(row, "population_high")
    if low is not None and high is not None:
        return f"{int(low):,}" if low == high else f"{int(low):,}–{int(high):,}"
    return population_text(_get(row, "populations"))


def _crossing_text(row: Any) -> str | None:
    name, km = _get(row, "nearest_open_crossing"), _get(row, "nearest_open_crossing_km")
    if name is None:
        return None
    return f"{name} ({float(km):.1f} km)" if km is not None else str(name)


def _round(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: np.round(xy, ROUND_DIGITS))


def display_geometry(geoms: Sequence[Any], tolerance: float = SIMPLIFY_DEG) -> np.ndarray:
    """Simplified, rounded copies of polygons for display; shared borders stay shared.

    Polygonal inputs go through :func:`shapely.coverage_simplify` (all at once, so neighbours
    keep one common edge); anything else, or a set that is not a valid coverage, falls back to
    per-geometry topology-preserving simplification. Lines and points are only rounded.
    """
    arr = np.asarray(geoms, dtype=object)
    if arr.size == 0:
        return arr
    types = shapely.get_type_id(arr)
    poly = np.isin(types, (3, 6))  # Polygon, MultiPolygon
    out = arr.copy()
    if poly.any():
        sub = arr[poly]
        try:
            simple = shapely.coverage_simplify(sub, tolerance)
            if shapely.is_empty(simple).any():
                raise ValueError("collapsed")
        except Exception:  # noqa: BLE001 - not a coverage: simplify one by one
            simple = shapely.simplify(sub, tolerance, preserve_topology=True)
        out[poly] = simple
    return _round(out)


def hatch(geom: Any, spacing: float = HATCH_SPACING_DEG) -> Any:
    """Diagonal hatch lines clipped to ``geom`` (drawn over contested ground)."""
    if geom is None or geom.is_empty:
        return None
    minx, miny, maxx, maxy = geom.bounds
    span = (maxx - minx) + (maxy - miny)
    count = int(span / spacing) + 2
    lines = [
        shapely.LineString([(minx + i * spacing - (maxy - miny), miny), (minx + i * spacing, maxy)])
        for i in range(count + 1)
    ]
    clipped = shapely.intersection(shapely.MultiLineString(lines), geom)
    return None if clipped.is_empty else _round(np.array([clipped], dtype=object))[0]


def geojson_geometry(geom: Any) -> dict:
    """GeoJSON geometry dict (via GEOS's writer: much faster than ``mapping`` for polygons)."""
    return json.loads(shapely.to_geojson(geom))


def _feature(geom: Any, style: dict, tip: str = "", pop: dict | None = None,
             **extra: Any) -> dict:
    props: dict[str, Any] = {"style": style}
    if tip:
        props["_tip"] = tip
    if pop:
        props["_pop"] = pop
    # Extra properties are data, but escaped too: nothing raw from records reaches the page.
    props.update({k: escape(v) for k, v in extra.items()})
    geometry = geom if isinstance(geom, dict) else geojson_geometry(geom)
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _rows(frame: Any) -> list[tuple[Any, Any]]:
    """(row, geometry) pairs of a GeoDataFrame with non-empty geometry.

    Rows are plain dicts of Python values, read column by column (``DataFrame.to_dict``
    after ``drop`` costs several times more, and this runs for every layer of every date).
    """
    if frame is None or len(frame) == 0:
        return []
    geoms = frame.geometry.values
    arr = np.asarray(geoms)
    keep = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    name = frame.geometry.name
    cols = [c for c in frame.columns if c != name]
    values = [frame[c].tolist() for c in cols]
    return [(dict(zip(cols, vals, strict=True)), g)
            for vals, g, k in zip(zip(*values, strict=True) if cols else [()] * len(arr),
                                  arr, keep, strict=True) if k]


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- per layer
def control_features(control: Any, ctx: DrawContext, actors: Iterable[str] | None = None) -> dict:
    """Control units coloured by actor; contested units also get hatch lines.

    ``actors`` limits what is drawn: actor ids plus the pseudo-keys ``contested``/``unknown``;
    ``None`` draws everything.
    """
    pairs = _rows(control)
    wanted = None if actors is None else set(actors)
    kept = []
    for row, g in pairs:
        status = _get(row, "status") or UNKNOWN
        actor = _get(row, "actor")
        key = str(actor) if status == "controlled" and not _blank(actor) else (
            CONTESTED if status == CONTESTED else UNKNOWN)
        if wanted is None or key in wanted:
            kept.append((row, g, status, actor))
    ids = [str(_get(row, "id", "place") or "") for row, _, _, _ in kept]
    if ids and all(i in ctx.display for i in ids):
        geoms = [ctx.display[i] for i in ids]
    else:
        geoms = display_geometry([g for _, g, _, _ in kept])
    features = []
    contested = []
    for (row, full, status, actor), g in zip(kept, geoms, strict=True):
        name = _get(row, "name", "place_name", "place")
        actor_name = ctx.actor_name(actor) if status == "controlled" else None
        status_text = {"controlled": f"held by {actor_name}", CONTESTED: "contested"}.get(
            status, "unknown")
        pop = popup_data(
            name,
            [("Status", status_text), ("Since", _date(_get(row, "valid_from", "from"))),
             ("Until", _date(_get(row, "valid_to", "to"))),
             ("Confidence", _get(row, "confidence")), ("Place id", _get(row, "place", "id"))],
            ctx.resolve(_get(row, "sources")),
            note=_get(row, "note"),
        )
        colour = ctx.colours.get(str(actor)) if status == "controlled" else None
        features.append(_feature(g, st.zone_style(status, colour), tooltip_html(name, status_text),
                                 pop, id=str(_get(row, "place", "id") or "")))
        features[-1]["properties"][LEGEND_KEY] = "control:" + (
            str(actor) if colour else (CONTESTED if status == CONTESTED else UNKNOWN))
        if status == CONTESTED:
            contested.append(full)
    if contested:
        lines = hatch(shapely.union_all(contested))
        if lines is not None:
            features.append(_feature(lines, dict(st.HATCH_STYLE), id="_hatch"))
    return _collection(features)


def changes_features(changed: Any, ctx: DrawContext) -> dict:
    """Units that changed hands between the two dates: thick outline, popup from → to."""
    pairs = _rows(changed)
    geoms = display_geometry([g for _, g in pairs])
    features = []
    for (row, _), g in zip(pairs, geoms, strict=True):
        name = _get(row, "name", "place")
        before = (ctx.actor_name(_get(row, "actor_before", "actor_a"))
                  or _get(row, "status_before") or "unknown")
        after = (ctx.actor_name(_get(row, "actor_after", "actor_b"))
                 or _get(row, "status_after") or "unknown")
        text = f"{before} → {after}"
        uid = str(_get(row, "place", "id") or "")
        # A white casing under a purple dashed edge: visible on every actor's fill, and
        # unlike the black of siege lines and closed corridors.
        features.append(_feature(g, dict(st.CHANGED_CASING_STYLE), id=f"_casing:{uid}"))
        features.append(_feature(g, dict(st.CHANGED_STYLE), tooltip_html(name, text),
                                 popup_data(name, [("Changed hands", text)]), id=uid))
        features[-1]["properties"][LEGEND_KEY] = "changed"
    return _collection(features)


def siege_features(sieges: Any, ctx: DrawContext) -> dict:
    """Besieged areas: dashed black outline, popup with sides, dates and population range."""
    pairs = _rows(sieges)
    geoms = _round(np.asarray([shapely.simplify(g, SIMPLIFY_DEG, preserve_topology=True)
                               for _, g in pairs], dtype=object))
    features = []
    for (row, _), g in zip(pairs, geoms, strict=True):
        name = _get(row, "name", "id")
        pop = popup_data(
            name,
            [("Besieged", _names(ctx, _get(row, "besieged"))),
             ("Besiegers", _names(ctx, _get(row, "besiegers"))),
             ("Dates", _span(row)), ("Severity", _get(row, "severity")),
             ("Population", _siege_population(row) or "unknown"),
             ("Nearest open crossing", _crossing_text(row)),
             ("Confidence", _get(row, "confidence"))],
            ctx.resolve(_get(row, "sources")),
            note=_get(row, "description"),
        )
        pop_sources = ctx.resolve(_get(row, "population_sources"))
        if pop_sources:
            pop["s"] = (pop.get("s", "") + "<div><i>Population figures</i>"
                        + sources_html(pop_sources) + "</div>")
        sid = str(_get(row, "id") or "")
        if g.geom_type in ("Point", "MultiPoint"):  # towns on a list, not an area
            features += _siege_symbols(g, name, tooltip_html(name, "siege"), pop, sid)
            continue
        features.append(_feature(g, dict(st.SIEGE_STYLE), tooltip_html(name, "siege"), pop,
                                 id=sid))
        features[-1]["properties"][LEGEND_KEY] = "siege"
    return _collection(features)


def _siege_symbols(g: Any, name: Any, tip: str, pop: dict, sid: str) -> list[dict]:
    """A siege known as a town (or a group of towns): one named symbol (``_icon``
    ``siege-point``, ``_sn`` its name), which the map's script spreads apart from its
    neighbours with a leader line when they would overlap; for a group, also its towns
    (``siege-town``), shown from the zoom at which the group is wide enough to tell them
    apart (``_lz``)."""
    from .labels import _short, min_zoom

    anchor = g if g.geom_type == "Point" else g.centroid
    out = [_feature(_round(np.array([anchor]))[0], dict(st.SIEGE_STYLE), tip, pop, id=sid)]
    out[-1]["properties"].update({LEGEND_KEY: "siege", "_icon": "siege-point",
                                  "_sn": escape(_short(name))})
    if g.geom_type == "MultiPoint":
        minx, miny, maxx, maxy = g.bounds
        out.append(_feature(g, dict(st.SIEGE_STYLE), tip, pop, id=f"_towns:{sid}"))
        out[-1]["properties"].update({"_icon": "siege-town", "_lz": min_zoom(
            max(maxx - minx, maxy - miny), TOWNS_NEED_PX, (miny + maxy) / 2)})
    return out


def _status_popup(row: Any, ctx: DrawContext, kind_default: str) -> tuple[str, str, dict]:
    name = _get(row, "name", "id")
    reported = _get(row, "status")
    derived = _get(row, "derived_status")
    status = reported or derived or "unknown"
    pop = popup_data(
        name,
        [("Kind", _get(row, "kind") or kind_default),
         ("Reported status", str(reported or "unknown").replace("_", " ")),
         ("From control on this date", None if derived is None
          else str(derived).replace("_", " ")),
         ("Reports and control disagree", "yes" if _get(row, "disagreement") in
          ("yes", True) else None),
         ("Status since", _date(_get(row, "status_from", "valid_from", "from"))),
         ("Confidence", _get(row, "status_confidence", "confidence"))],
        ctx.resolve(_get(row, "status_sources", "sources")),
        note=_get(row, "status_note", "note", "description"),
    )
    return name, str(status), pop


def corridor_features(corridors: Any, ctx: DrawContext, cuts: Any = None) -> dict:
    """Corridors styled by their status on the date (dash pattern + colour), drawn over a
    wide translucent band where the route crosses hostile-held or contested ground."""
    features = []
    for row, g in _rows(cuts):
        g = _round(np.array([shapely.simplify(g, SIMPLIFY_DEG / 2)], dtype=object))[0]
        where = _get(row, "name", "place")
        how = "crosses contested ground" if _get(row, "status") == CONTESTED else (
            f"crosses ground held by {ctx.actor_name(_get(row, 'actor')) or 'unknown'}")
        features.append(_feature(g, dict(st.CUT_STYLE),
                                 tooltip_html(_get(row, "corridor_name"), how, where),
                                 popup_data(_get(row, "corridor_name"),
                                            [("Cut", how), ("Where", where),
                                             ("Length", _km(_get(row, "length_km")))]),
                                 id=str(_get(row, "id") or "")))
        features[-1]["properties"][LEGEND_KEY] = "cut"
    pairs = _rows(corridors)
    geoms = _round(np.asarray([shapely.simplify(g, SIMPLIFY_DEG / 2) for _, g in pairs],
                              dtype=object))
    for (row, _), g in zip(pairs, geoms, strict=True):
        name, status, pop = _status_popup(row, ctx, "corridor")
        features.append(_feature(g, st.route_style(status),
                                 tooltip_html(name, status.replace("_", " ")), pop,
                                 id=str(_get(row, "id") or "")))
        features[-1]["properties"][LEGEND_KEY] = "corridor:" + (
            status if status in st.ROUTE_STATUS else "unknown")
    return _collection(features)


def _km(value: Any) -> str | None:
    return None if _blank(value) else f"{float(value):.2f} km"


def _as_point(g: Any) -> Any:
    return g if g.geom_type == "Point" else g.representative_point()


def crossing_features(crossings: Any, ctx: DrawContext) -> dict:
    """Crossings and checkpoints as circle markers coloured by status."""
    features = []
    for row, g in _rows(crossings):
        name, status, pop = _status_popup(row, ctx, "crossing")
        features.append(_feature(_round(np.array([_as_point(g)]))[0],
                                 st.point_style("crossing", status),
                                 tooltip_html(name, status.replace("_", " ")), pop,
                                 id=str(_get(row, "id") or "")))
        features[-1]["properties"][LEGEND_KEY] = "crossing:" + (
            status if status in st.ROUTE_STATUS else "unknown")
    return _collection(features)


def event_features(events: Any, ctx: DrawContext) -> dict:
    """Events as SVG symbols by type (``_icon``: ``event:<type>``, see :mod:`.icons`); a page
    without the map script draws them as small circle markers."""
    from .icons import EVENT_LABELS

    features = []
    style = st.point_style("event")
    for row, g in _rows(events):
        kind = str(_get(row, "type") or "other")
        kind = kind if kind in EVENT_LABELS else "other"
        title = _get(row, "title", "name")
        date = _date(_get(row, "date"))
        pop = popup_data(
            title,
            [("Date", date), ("Type", _get(row, "type")), ("Confidence", _get(row, "confidence"))],
            ctx.resolve(_get(row, "sources")),
            note=_get(row, "description"),
        )
        features.append(_feature(_round(np.array([_as_point(g)]))[0], style,
                                 tooltip_html(date, title), pop, id=str(_get(row, "id") or "")))
        features[-1]["properties"]["_icon"] = f"event:{kind}"
    return _collection(features)


def mention_features(mentions: Iterable[Any], low: float = 0.5, *,
                     icon: str = "place") -> dict:
    """Geocoded mentions of a report (objects or mappings with text, name, lat, lon, …).

    Mentions whose confidence is below ``low`` are drawn hollow and flagged in the tooltip;
    mentions without coordinates are left off the map (they stay in the table). ``icon`` is
    the symbol (``place``: a yellow diamond, ``-weak`` added when hollow; ``search`` for the
    place found with the search box).
    """
    features = []
    for m in mentions:
        lat, lon = _get(m, "lat"), _get(m, "lon")
        if _blank(lat) or _blank(lon):
            continue
        conf = _get(m, "confidence")
        weak = conf is not None and float(conf) < low
        text, name = _get(m, "text"), _get(m, "name")
        conf_text = f"{float(conf):.2f}" + (" (low)" if weak else "") if conf is not None else None
        pop = popup_data(
            text,
            [("Place", name), ("Kind", _get(m, "kind")), ("Confidence", conf_text),
             ("Coordinates", f"{float(lat):.5f}, {float(lon):.5f}")],
        )
        tip = tooltip_html(text, name, "low confidence" if weak else None)
        features.append(_feature(shapely.Point(round(float(lon), 5), round(float(lat), 5)),
                                 st.point_style("mention", low_confidence=weak), tip, pop))
        features[-1]["properties"]["_icon"] = (f"{icon}-weak" if weak and icon == "place"
                                               else icon)
    return _collection(features)


def user_features(layers: Mapping[str, Any], max_fields: int = 6,
                  tooltip_limit: int = 2000) -> dict:
    """Uploaded layers: any geometry, a compact popup of the first few attributes.

    Layers with more than ``tooltip_limit`` features get popups only (no hover tooltips), to
    keep the page light with tens of thousands of points.
    """
    features = []
    for layer_name, frame in layers.items():
        pairs = _rows(frame)
        geoms = display_geometry([g for _, g in pairs])
        cols = [c for c in (frame.columns if frame is not None else [])
                if c != frame.geometry.name][:max_fields]
        tips = len(pairs) <= tooltip_limit
        for (row, _), g in zip(pairs, geoms, strict=True):
            title = _get(row, "name", "title") or layer_name
            # Lists, arrays and mappings (e.g. from GeoParquet) are left out of the popup.
            rows = [(str(c), str(row[c])[:120]) for c in cols if not _blank(row[c])
                    and not isinstance(row[c], (list, tuple, dict, np.ndarray))
                    and row[c] != title]
            style = (st.point_style("user") if g.geom_type in ("Point", "MultiPoint")
                     else dict(st.USER_STYLE))
            if g.geom_type == "MultiPoint":
                g = g.centroid
            features.append(_feature(g, style,
                                     tooltip_html(layer_name, title) if tips else "",
                                     popup_data(title, rows)))
            if _kept_report_place(row) and g.geom_type == "Point":
                features[-1]["properties"]["_icon"] = "place"
    return _collection(features)


def _kept_report_place(row: Mapping[str, Any]) -> bool:
    """A row of a layer kept from a report (``layers.report.kept_events``): drawn with the
    report-place symbol rather than as a plain point."""
    return str(row.get("id") or "").startswith("report-") and str(
        row.get("title") or "").endswith("(named in a report)")


def unit_features(units: Mapping[str, tuple[Any, dict]], skip: Iterable[str] = ()) -> dict:
    """Units (``id -> (name, display geometry)``) drawn faintly, so a workspace shows what
    there is to click; those in ``skip`` (with a record on the date: the control layer draws
    them) are left out."""
    off = set(skip)
    return _collection([
        _feature(geom, dict(st.PICK_STYLE), tooltip_html(name, "no record on this date"),
                 popup_data(name, [("Status", "no record on this date"), ("Place id", uid)]),
                 id=uid)
        for uid, (name, geom) in units.items() if uid not in off])


def selection_features(units: Mapping[str, tuple[Any, dict]]) -> dict:
    """The selected units (``id -> (name, display geometry)``), outlined on top."""
    return _collection([
        _feature(geom, dict(st.SELECTED_STYLE), tooltip_html(name, "selected"), None, id=uid)
        for uid, (name, geom) in units.items()])


def drawing_features(points: Sequence[Sequence[float]], *, line: bool) -> dict:
    """Points clicked so far (``[lon, lat]``) for a new corridor (``line``: joined by a dashed
    line) or crossing (one point)."""
    features = []
    if line and len(points) >= 2:
        features.append(_feature(shapely.LineString([tuple(p) for p in points]),
                                 dict(st.DRAW_LINE_STYLE), "being drawn", id="_line"))
    for i, (lon, lat) in enumerate(points):
        features.append(_feature(shapely.Point(float(lon), float(lat)),
                                 dict(st.DRAW_POINT_STYLE),
                                 f"point {i + 1}" if line else "new crossing", id=f"_p{i + 1}"))
    return _collection(features)


def layer_features(
    state: Any,
    ctx: DrawContext,
    layers: Iterable[str] = LAYERS,
    *,
    actors: Iterable[str] | None = None,
    changed: Any = None,
    mentions: Iterable[Any] = (),
    user_layers: Mapping[str, Any] | None = None,
) -> dict[str, dict]:
    """Layer key → GeoJSON FeatureCollection, for the visible layers only (drawing order)."""
    wanted = set(layers)
    builders = {
        "control": lambda: control_features(getattr(state, "control", None), ctx, actors),
        "changes": lambda: changes_features(changed, ctx),
        "sieges": lambda: siege_features(getattr(state, "sieges", None), ctx),
        "corridors": lambda: corridor_features(getattr(state, "corridors", None), ctx,
                                               getattr(state, "cuts", None)),
        "crossings": lambda: crossing_features(getattr(state, "crossings", None), ctx),
        "events": lambda: event_features(getattr(state, "events", None), ctx),
        "mentions": lambda: mention_features(mentions),
        "user": lambda: user_features(user_layers or {}),
    }
    out = {key: builders[key]() for key in LAYERS if key in wanted}
    for key, collection in out.items():
        for f in collection["features"]:
            f["properties"]["layer"] = key  # lets the page (and its tests) tell layers apart
    return out


def script_json(obj: Any) -> str:
    """``obj`` as compact JSON that is safe inside a ``<script>`` element (``<``, ``>``, ``&``
    and ``'`` written as ``\\u`` escapes, as Jinja's ``tojson`` does)."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("'", "\\u0027").replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029"))


class _Raw(Element):
    """Finished script text, added to the figure as it is (branca would compile an
    ``Element``'s text as a template: slow for layer data, and data is not template source)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class GeoJsonLayer(MacroElement):
    """One Leaflet GeoJSON layer from finished JSON text: each feature drawn with its own
    ``style`` (or the layer's, when all share one), points by the map's script.

    Like ``folium.GeoJson`` in a map's script, but the data is serialised once (and may be
    reused across runs) and never passes through a template engine.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script() }}{% endmacro %}")

    def __init__(self, data_json: str, name: str, options_json: str):
        super().__init__()
        self._name = "GeoJson"
        self.layer_name = name
        self._data = data_json
        self._options = options_json

    def script(self) -> str:
        """The layer's JavaScript (uses the names the map's tooling gives it when rendered)."""
        var = self.get_name()
        parent = self._parent.get_name() if self._parent is not None else None
        add = f".addTo({parent})" if parent else ""
        return (f"var {var} = L.geoJson(null, {self._options}){add};\n"
                f"{var}.addData({self._data});\n")

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if isinstance(figure, Figure):
            figure.script.add_child(_Raw(self.script()), name=self.get_name())


@dataclass(frozen=True)
class Finished:
    """A layer ready for the page: its GeoJSON as script-safe JSON text, its Leaflet options
    (interactive, and ``quiet``: no tooltips, popups or clicks) and the legend keys of what it
    draws (see :func:`legend_keys`).

    Plain strings, so a finished layer can be cached (``st.cache_data``) and reused by every run,
    date and session that shows the same content; the folium objects are built anew each run.
    """

    data: str
    options: str
    quiet_options: str
    keys: frozenset[str]
    features: int


def legend_keys(layer: str, collection: Mapping[str, Any]) -> set[str]:
    """Legend keys of what ``collection`` draws: ``layer`` when it has features, each feature's
    legend key (``control:<actor>``, ``corridor:<status>``, …) and symbol, ``siege:area`` for
    a siege drawn as an area, and ``user:point``/``user:area``/``place`` for user layers."""
    feats = collection.get("features") or []
    keys: set[str] = {layer} if feats else set()
    for f in feats:
        props = f.get("properties") or {}
        for name in (LEGEND_KEY, "_icon"):
            if props.get(name):
                keys.add(str(props[name]))
        if layer == "sieges" and not props.get("_icon"):
            keys.add("siege:area")
        if layer == "user":
            kind = (f.get("geometry") or {}).get("type", "")
            keys.add("user:point" if kind == "Point" and not props.get("_icon")
                     else "user:area" if kind != "Point" else "place")
    return keys


def finish_layer(layer: str, collection: Mapping[str, Any]) -> Finished:
    """``collection`` (a FeatureCollection dict) as a :class:`Finished` layer.

    When every feature has the same style it is sent once, as the layer's style (and the
    circle-marker options for points), instead of once per feature. Every string goes through
    :func:`~layers.draw.popups.inert` first (braces as entities), as everything handed to
    folium does. Features without a ``layer`` property get ``layer`` (the page and its tests
    tell layers apart by it).
    """
    if not isinstance(collection, Mapping):
        raise TypeError(f"a FeatureCollection dict is needed, not {type(collection).__name__}")
    feats = [f if "layer" in (f.get("properties") or {}) else
             {**f, "properties": {**(f.get("properties") or {}), "layer": layer}}
             for f in collection.get("features") or []]
    data = inert({**collection, "features": feats})
    feats = data["features"]
    first = feats[0]["properties"].get("style") if feats else None
    marker: dict[str, Any] = {"radius": 4, "fill": True}
    options = ["onEachFeature: " + BIND_JS.js_code]
    if first is not None and all(f["properties"].get("style") == first for f in feats):
        data = {"type": "FeatureCollection", "features": [
            {**f, "properties": {k: v for k, v in f["properties"].items() if k != "style"}}
            for f in feats]}
        marker = {**marker, **first}
        options.append("style: " + script_json(first))
    else:
        options.append("style: function(f) { return (f.properties || {}).style; }")
    quiet = [*options, "interactive: false",
             "pointToLayer: " + point_to_layer({**marker, "interactive": False})]
    options.append("pointToLayer: " + point_to_layer(marker))
    return Finished(script_json(data), "{" + ", ".join(options) + "}",
                    "{" + ", ".join(quiet) + "}", frozenset(legend_keys(layer, collection)),
                    len(feats))


def geojson_layer(collection: Mapping[str, Any] | Finished, name: str, *,
                  interactive: bool = True) -> GeoJsonLayer:
    """One GeoJSON layer drawing each feature with its own ``style``, tooltip and popup.

    Parameters
    ----------
    collection
        A GeoJSON FeatureCollection (a dict: a string would be read by folium as a file name
        or URL), or a layer already finished (:func:`finish_layer`).
    name
        The layer's name.
    interactive
        False: no tooltips, popups or clicks.

    Returns
    -------
    GeoJsonLayer
        The layer, not yet added to a map or group.
    """
    done = collection if isinstance(collection, Finished) else finish_layer(name, collection)
    return GeoJsonLayer(done.data, inert(name),
                        done.options if interactive else done.quiet_options)


def build_groups(collections: Mapping[str, Mapping[str, Any] | Finished], *,
                 quiet: bool = False) -> list[folium.FeatureGroup]:
    """Wrap each non-empty layer in a named FeatureGroup (for ``feature_group_to_add``).

    ``collections`` maps layer keys to FeatureCollection dicts or :class:`Finished` layers.
    ``quiet``: no tooltips, popups or clicks on any feature (while the user draws on the map,
    a click is a point, not a question about what lies under it).
    """
    groups = []
    for key, collection in collections.items():
        done = collection if isinstance(collection, Finished) else finish_layer(key, collection)
        if not done.features:
            continue
        label = LAYER_LABELS.get(key, key)
        group = folium.FeatureGroup(name=escape(label))
        geojson_layer(done, label, interactive=not quiet).add_to(group)
        groups.append(group)
    return groups
