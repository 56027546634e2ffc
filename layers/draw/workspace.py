"""What the page shows and composes for a workspace (a living scenario).

Pure helpers, no Streamlit: the units a control record can name and the one under a click,
their display geometry, the lines of a history, and new records in the pack format from the
fields of the page's forms. Recording itself (validation, conflicts, history) is
:mod:`layers.workspace`'s; this only shapes what goes in and what comes out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import shapely

from .groups import DrawContext, display_geometry, geojson_geometry
from .popups import md

#: How each kind of write reads in a history.
OPS = {"fork": "from the pack", "import": "imported", "create": "created",
       "record": "recorded", "correct": "corrected", "retract": "retracted"}


# --------------------------------------------------------------------------- units and clicks
def _unit_shapes(sc: Any) -> dict[str, Any]:
    """``id -> polygon`` of the pickable units: the control units' polygons (a point place's
    is its Voronoi cell), then the areas of kind ``unit`` (a workspace made from a unit
    layer) that no record names yet."""
    key = "page-unit-shapes"
    if key not in sc.cache:
        units = list(getattr(sc, "units", ()) or ())
        geoms = getattr(sc, "unit_geoms", None)
        out = dict(zip(units, geoms, strict=True)) if geoms is not None and len(
            geoms) == len(units) else {}
        for aid, rec in sc.areas.items():
            if getattr(rec, "kind", "") == "unit" and aid not in out:
                out[aid] = sc.geometries.get(aid)
        sc.cache[key] = {u: g for u, g in out.items()
                         if g is not None and g.geom_type in ("Polygon", "MultiPolygon")}
    return sc.cache[key]


def pickable_units(sc: Any) -> dict[str, str]:
    """``id -> name`` of the places control can be recorded for, sorted by name: the
    scenario's control units and the areas of kind ``unit``."""
    names = {u: place_name(sc, u) for u in _unit_shapes(sc)}
    return dict(sorted(names.items(), key=lambda kv: (kv[1].casefold(), kv[0])))


def place_name(sc: Any, pid: str) -> str:
    """A place's display name in the scenario (its id when it has none)."""
    area = sc.areas.get(pid)
    if area is not None and getattr(area, "name", None):
        return str(area.name)
    return str(sc.place_names.get(pid) or pid)


def _unit_arrays(sc: Any) -> tuple[list[str], np.ndarray]:
    key = "page-pickable-units"
    if key not in sc.cache:
        shapes = _unit_shapes(sc)
        ids = list(pickable_units(sc))
        sc.cache[key] = (ids, np.array([shapes[u] for u in ids], dtype=object))
    return sc.cache[key]


def unit_at(sc: Any, lon: float, lat: float) -> str | None:
    """The pickable unit containing the point (the smallest, where units nest), or None."""
    ids, geoms = _unit_arrays(sc)
    if not ids:
        return None
    hit = np.flatnonzero(shapely.covers(geoms, shapely.Point(float(lon), float(lat))))
    if not len(hit):
        return None
    return ids[min(hit, key=lambda i: shapely.area(geoms[i]))]


def unit_display(sc: Any, ctx: DrawContext) -> dict[str, tuple[str, dict]]:
    """``id -> (name, display GeoJSON geometry)`` of every pickable unit (built once per
    loaded scenario; the control layer's simplified shapes where it has them)."""
    key = "page-unit-display"
    if key not in sc.cache:
        ids, geoms = _unit_arrays(sc)
        names = pickable_units(sc)
        missing = [i for i, u in enumerate(ids) if u not in ctx.display]
        simple = display_geometry(list(geoms[missing])) if missing else []
        extra = {ids[i]: geojson_geometry(g) for i, g in zip(missing, simple, strict=True)}
        sc.cache[key] = {u: (names[u], ctx.display.get(u) or extra[u]) for u in ids}
    return sc.cache[key]


def access_targets(sc: Any) -> dict[str, str]:
    """``id -> "name (corridor)"`` of the corridors and crossings a status can be recorded for."""
    out = {c.id: f"{c.name} ({c.kind})" for c in sc.corridors}
    out.update({c.id: f"{c.name} ({c.kind})" for c in sc.crossings})
    return out


def clicked(value: Mapping[str, Any] | None) -> tuple[Any, ...] | None:
    """A token for the last click in st_folium's returned value — ``(lat, lng, count)`` of
    the last click on the map and the number of clicks on features — or None before any
    click. A new token means a new click."""
    if not value:
        return None
    at = value.get("last_clicked") or {}
    count = value.get("last_object_clicked_count") or 0
    if not at and not count:
        return None
    return at.get("lat"), at.get("lng"), count


def clicked_feature(value: Mapping[str, Any] | None) -> tuple[str, str] | None:
    """``(layer, id)`` of the feature under the last click, when st_folium returned one."""
    feature = (value or {}).get("last_active_drawing") or {}
    props = feature.get("properties") or {}
    if not props.get("id"):
        return None
    return str(props.get("layer") or ""), str(props["id"])


def clicked_point(value: Mapping[str, Any] | None, on_feature: bool = False
                  ) -> tuple[float, float] | None:
    """``(lon, lat)`` of the last click (on a feature, or on the map), to about 10 cm."""
    key = "last_object_clicked" if on_feature else "last_clicked"
    at = (value or {}).get(key)
    if not at or at.get("lat") is None or at.get("lng") is None:
        return None
    lon = (float(at["lng"]) + 180.0) % 360.0 - 180.0  # a map panned round the world
    return round(lon, 6), round(float(at["lat"]), 6)


# --------------------------------------------------------------------------- history
def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    return []


def source_label(source: Any, sid: str = "") -> str:
    """``publisher — title (date)`` of a source record (or its id when unknown)."""
    if source is None:
        return sid
    get = source.get if isinstance(source, Mapping) else (lambda k: getattr(source, k, None))
    text = " — ".join(str(p) for p in (get("publisher"), get("title")) if p) or sid
    return f"{text} ({get('date')})" if get("date") else text


def _actor(sc: Any, aid: Any) -> str:
    rec = sc.actors.get(str(aid)) if aid else None
    return str(getattr(rec, "name", None) or aid or "")


def _span(body: Mapping[str, Any], start: str = "from", end: str = "to") -> str:
    a, b = body.get(start) or "?", body.get(end) or ""
    return f"from {a}" + (f" to {b}" if b else "")


def _new_status(body: Mapping[str, Any], prev: Mapping[str, Any] | None) -> dict:
    """The status a corridor's or crossing's version added (the newest starting one when it
    added none, e.g. the first version)."""
    statuses = sorted(body.get("statuses") or [], key=lambda s: str(s.get("from", "")))
    before = {str(s.get("from")) for s in (prev or {}).get("statuses") or []}
    added = [s for s in statuses if str(s.get("from")) not in before]
    return (added or statuses or [{}])[-1]


def record_text(sc: Any, kind: str, body: Mapping[str, Any] | None,
                prev: Mapping[str, Any] | None = None) -> str:
    """One record in words (plain text, not escaped); ``prev``, the version it replaced,
    tells which status a corridor's or crossing's new version added."""
    if body is None:
        return "withdrawn"
    if kind == "control":
        status = body.get("status")
        who = (f"held by {_actor(sc, body.get('actor'))}" if status == "controlled"
               else str(status or "unknown"))
        return f"{place_name(sc, str(body.get('place')))} {who} {_span(body)}"
    if kind in ("corridor", "crossing"):
        last = _new_status(body, prev)
        status = str(last.get("status", "")).replace("_", " ")
        return f"{body.get('name')} ({kind}): {status} {_span(last)}".rstrip()
    if kind == "siege":
        pops = [p for p in body.get("populations") or [] if isinstance(p, Mapping)]
        people = "; ".join(f"{p.get('value') or p.get('low')}"
                           f"{'–' + str(p['high']) if p.get('high') else ''} people"
                           f"{' on ' + str(p['date']) if p.get('date') else ''}" for p in pops)
        return (f"siege {body.get('name')}: {len(body.get('places') or [])} places besieged by "
                f"{', '.join(_actor(sc, a) for a in body.get('besiegers') or [])} "
                f"{_span(body)}" + (f"; {people}" if people else ""))
    if kind == "event":
        return f"{body.get('date')} {body.get('type')}: {body.get('title')}"
    if kind == "source":
        return f"source: {source_label(body)}"
    if kind == "area":
        props = body.get("properties") or {}
        return f"area {props.get('name') or props.get('id')}"
    if kind == "actors":
        return "actors: " + ", ".join(str(a.get("name")) for a in body.get("actors") or [])
    if kind == "manifest":
        return f"settings: window {(body.get('window') or {}).get('start')} to " \
               f"{(body.get('window') or {}).get('end')}"
    return str(body.get("name") or body.get("title") or kind)


def history_entries(sc: Any, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows of ``Workspace.history()`` / ``feed()`` as plain values for the page:
    ``seq, when, by, op, kind, id, what, sources, confidence, reason``."""
    out = []
    before: dict[tuple[str, str], Any] = {}
    for r in rows:
        body, prev = r.get("body"), before.get((r["kind"], r["id"]))
        before[(r["kind"], r["id"])] = body
        src_ids = _as_list((body or {}).get("sources")) if r["kind"] != "area" else []
        if r["kind"] in ("corridor", "crossing") and body and body.get("statuses"):
            src_ids = _as_list(_new_status(body, prev).get("sources")) or src_ids
        out.append({
            "seq": r["seq"], "when": str(r["recorded_at"])[:19].replace("T", " "),
            "by": r["recorded_by"], "op": OPS.get(r["op"], r["op"]), "kind": r["kind"],
            "id": r["id"], "what": record_text(sc, r["kind"], body, prev),
            "sources": [source_label(sc.sources.get(s), s) for s in src_ids],
            "confidence": (body or {}).get("confidence") or "",
            "reason": r.get("reason") or "", "retracted": bool(r.get("retracted"))})
    return out


def history_line(entry: Mapping[str, Any]) -> str:
    """One history entry as a line of Markdown, every value from data escaped."""
    text = (f"**#{entry['seq']}** {md(entry['when'])} UTC · {md(entry['by'])} · "
            f"*{md(entry['op'])}* {md(entry['kind'])} {md(entry['id'])}: {md(entry['what'])}")
    if entry.get("confidence"):
        text += f" · confidence {md(entry['confidence'])}"
    if entry.get("sources"):
        text += " · source: " + "; ".join(md(s) for s in entry["sources"])
    if entry.get("reason"):
        text += f" · reason: {md(entry['reason'])}"
    return text


def live_records(sc: Any, rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``id -> description`` of the records in a history still standing (their newest
    version is not a retraction): what Correct and Retract can act on."""
    newest: dict[str, Mapping[str, Any]] = {}
    for r in rows:
        newest[r["id"]] = r
    return {rid: f"{r['kind']} {rid}: {record_text(sc, r['kind'], r['body'])}"
            for rid, r in newest.items()
            if r.get("body") is not None and r["kind"] not in ("manifest", "actors")}


def record_fields(body: Mapping[str, Any] | None, kind: str) -> list[str]:
    """Fields of a record a correction can change (its id never)."""
    if not body:
        return []
    target = body.get("properties", {}) if kind == "area" else body
    return [k for k in target if k != "id"]


# --------------------------------------------------------------------------- new records
def _day(value: dt.date | str | None) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def status_entry(status: str, start: dt.date | str, precision: str, confidence: str,
                 sources: Sequence[str], note: str = "") -> dict[str, Any]:
    """The first status of a new corridor or crossing (ongoing)."""
    return {"status": status, "from": _day(start), "to": "", "from_precision": precision,
            "to_precision": "day", "confidence": confidence, "sources": list(sources),
            "note": note}


def corridor_body(name: str, kind: str, points: Sequence[Sequence[float]], status: dict,
                  *, confidence: str, sources: Sequence[str], description: str = ""
                  ) -> dict[str, Any]:
    """A new corridor drawn on the map (``points``: ``[lon, lat]`` in order)."""
    return {"name": name.strip(), "kind": kind,
            "geometry": {"type": "LineString", "coordinates": [list(p) for p in points]},
            "endpoints": [], "statuses": [status], "confidence": confidence,
            "sources": list(sources), "description": description.strip()}


def crossing_body(name: str, kind: str, point: Sequence[float], status: dict, *,
                  confidence: str, sources: Sequence[str], description: str = ""
                  ) -> dict[str, Any]:
    """A new crossing or checkpoint placed on the map (``point``: ``[lon, lat]``)."""
    return {"name": name.strip(), "kind": kind,
            "geometry": {"type": "Point", "coordinates": list(point)},
            "statuses": [status], "confidence": confidence, "sources": list(sources),
            "description": description.strip()}


def siege_body(name: str, places: Sequence[str], besiegers: Sequence[str],
               besieged: Sequence[str], start: dt.date | str, end: dt.date | str | None, *,
               precision: str, population: int | None, population_date: dt.date | str | None,
               confidence: str, sources: Sequence[str], description: str = ""
               ) -> dict[str, Any]:
    """A new siege; the population figure (when given) is dated and cites the same sources."""
    body: dict[str, Any] = {
        "name": name.strip(), "places": list(places), "besiegers": list(besiegers),
        "besieged": list(besieged), "from": _day(start), "to": _day(end),
        "from_precision": precision, "to_precision": precision if end else "day",
        "populations": [], "confidence": confidence, "sources": list(sources),
        "description": description.strip()}
    if population is not None:
        body["populations"].append({"value": int(population),
                                    "date": _day(population_date or start),
                                    "sources": list(sources), "note": ""})
    return body


def event_body(day: dt.date | str, precision: str, kind: str, title: str, *,
               place: str | None = None, point: Sequence[float] | None = None,
               confidence: str, sources: Sequence[str], description: str = "") -> dict[str, Any]:
    """A new event at a place (an id) or a point clicked on the map (``[lon, lat]``)."""
    body: dict[str, Any] = {"date": _day(day), "date_precision": precision, "type": kind,
                            "title": title.strip(), "description": description.strip(),
                            "confidence": confidence, "sources": list(sources)}
    if place:
        body["place"] = place
    elif point is not None:
        body["geometry"] = {"type": "Point", "coordinates": list(point)}
    return body


def actor_id(name: str, taken: Iterable[str]) -> str:
    """A new actor's id from its name (``a-z0-9-``), unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30] or "actor"
    out, n, used = base, 1, set(taken)
    while out in used:
        n += 1
        out = f"{base}-{n}"
    return out


def with_actor(doc: Mapping[str, Any] | None, actor: Mapping[str, Any],
               allied_with: str | None = None) -> dict[str, Any]:
    """``actors.json`` with ``actor`` added (or replaced, by id), in ``allied_with``'s alliance
    when given."""
    doc = doc or {}
    actors = [dict(a) for a in doc.get("actors", []) if a.get("id") != actor["id"]]
    actors.append(dict(actor))
    alliances = [list(g) for g in doc.get("alliances", [])]
    if allied_with:
        group = next((g for g in alliances if allied_with in g), None)
        if group is None:
            alliances.append([allied_with, actor["id"]])
        elif actor["id"] not in group:
            group.append(actor["id"])
    return {"actors": actors, "alliances": alliances}
