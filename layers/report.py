"""A report's geocoded mentions → an editable table → (when kept) an events layer.

Thresholds turning a geocoder score (0–1) into a record's confidence level:
``score ≥ 0.8`` → high, ``score ≥ 0.5`` → medium, else low; below 0.5 a mention is also flagged
as low-confidence in the table and drawn hollow on the map.

Kept events carry the report as their source — ``sources`` and ``source_refs`` (readable
citations), and ``publisher``, ``report_title``, ``published`` and ``url`` each in a column of
its own, so every export keeps them — and each mention's surrounding sentence as description;
the pasted text itself is not kept.

Keeping (:func:`keep_places`) takes one place once: rows naming the same place (the same
gazetteer id, or the same point) with the same qualifier ("eastern Aleppo" is not "Aleppo") are
merged, and each kept place has an id made from the place and the qualifier, so keeping the
same report again adds only what is new to that report's one layer (:func:`report_layer`).
Rows left out are named with the reason; points outside the scenario's area are kept but
named, since a slip of a sign or a swapped lat/lon lands them far away.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

LOW = 0.5
HIGH = 0.8
COLUMNS = ("keep", "text", "name", "kind", "confidence", "low", "lat", "lon", "place", "start",
           "end")


def level(score: float | None) -> str:
    """Confidence level of a geocoder score (see the module docstring)."""
    if score is None:
        return "low"
    return "high" if score >= HIGH else "medium" if score >= LOW else "low"


def _field(m: Any, name: str) -> Any:
    return m.get(name) if isinstance(m, Mapping) else getattr(m, name, None)


def mention_rows(mentions: Iterable[Any]) -> list[dict]:
    """One table row per mention (``geo.Mention`` or mapping), all kept by default."""
    rows = []
    for m in mentions:
        conf = _field(m, "confidence")
        conf = None if conf is None else round(float(conf), 2)
        rows.append({
            "keep": True,
            "text": _field(m, "text"),
            "name": _field(m, "name"),
            "kind": _field(m, "kind"),
            "confidence": conf,
            "low": conf is None or conf < LOW,
            "lat": _field(m, "lat"),
            "lon": _field(m, "lon"),
            "place": _field(m, "source"),
            "qualifier": _field(m, "qualifier"),
            "start": _field(m, "start"),
            "end": _field(m, "end"),
        })
    return rows


def apply_edits(rows: list[dict], edited: Mapping[Any, Mapping[str, Any]],
                lookup: Any = None) -> list[dict]:
    """Apply a table's edits (``{row index: {column: value}}``) to the mention rows.

    A place renamed without new coordinates is looked up again (``lookup(name, limit=1)``,
    e.g. ``geo.lookup``); a correction made by hand has no geocoder score, so its confidence
    becomes unknown and it is flagged for review. Returns the rows (changed in place).
    """
    for idx, change in edited.items():
        i = int(idx)
        if not 0 <= i < len(rows):
            continue
        row = rows[i]
        row.update({k: v for k, v in change.items() if k in COLUMNS})
        moved = {"lat", "lon"} & set(change)
        if moved:
            row.update(confidence=None, low=True)
        elif "name" in change and lookup is not None:
            found = lookup(str(change["name"]), limit=1) if change["name"] else []
            if found:
                hit = found[0]
                row.update(name=_field(hit, "name"), lat=_field(hit, "lat"),
                           lon=_field(hit, "lon"), kind=_field(hit, "kind"),
                           place=_field(hit, "source"), confidence=None, low=True)
            else:
                row.update(lat=None, lon=None, place=None, confidence=None, low=True)
    return rows


def sentence_around(text: str, start: int | None, end: int | None, limit: int = 300) -> str:
    """The sentence of ``text`` containing ``[start, end)``, cut to ``limit`` characters."""
    if not text or start is None or end is None or start < 0:
        return ""
    left = max(text.rfind(ch, 0, start) for ch in ".!?\n") + 1
    stops = [i for i in (text.find(ch, end) for ch in ".!?\n") if i >= 0]
    right = min(stops) + 1 if stops else len(text)
    return re.sub(r"\s+", " ", text[left:right]).strip()[:limit]


def citation(report: Mapping[str, Any], day: date | None = None) -> dict[str, str]:
    """The report as a source record: ``publisher``, ``title``, ``date`` (ISO; the map's
    date when the report has none) and ``url``, each a string (empty when unknown)."""
    when = str(report.get("date") or (day.isoformat() if day else "")).strip()
    return {"publisher": str(report.get("publisher") or "").strip(),
            "title": str(report.get("title") or "").strip(),
            "date": when, "url": str(report.get("url") or "").strip()}


def report_layer(report: Mapping[str, Any]) -> str:
    """The one store layer a report's places go to: ``report_<publisher>_<date>_<hash>``
    (the hash of publisher, title, date and URL tells two reports of a day apart)."""
    src = citation(report)
    slug = re.sub(r"[^A-Za-z0-9]+", "_", src["publisher"]).strip("_")[:24] or "unnamed"
    digest = hashlib.sha1("\x1f".join(src.values()).encode("utf-8")).hexdigest()[:6]
    day = src["date"].replace("-", "") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", src["date"]) \
        else "undated"
    return f"report_{slug}_{day}_{digest}"


def _label(row: Mapping[str, Any], i: int) -> str:
    name = row.get("name") or row.get("text") or "unnamed place"
    return f"“{' '.join(str(name).split())[:60]}” (row {i + 1})"


def place_key(row: Mapping[str, Any], lat: float, lon: float) -> str:
    """What makes two rows the same kept place: the gazetteer id (or the point, to about
    10 m, for a place typed as coordinates) and the qualifier."""
    place = row.get("place") or f"{lat:.4f},{lon:.4f}"
    qualifier = " ".join(str(row.get("qualifier") or "").lower().split())
    return f"{place}|{qualifier}"


@dataclass
class Kept:
    """What keeping a report's places does: the new ``events`` for the report's ``layer``,
    and one plain line per row left out (``dropped``), merged into another (``merged``) or
    lying outside the scenario's area (``outside``, kept all the same)."""

    layer: str
    events: gpd.GeoDataFrame
    dropped: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Every line worth showing, dropped rows first."""
        return [*self.dropped, *self.merged, *self.outside]


def _coordinates(row: Mapping[str, Any]) -> tuple[float, float] | str:
    """(lat, lon), or why the row has none."""
    if row.get("lat") is None or row.get("lon") is None:
        return ("no coordinates: the place was not found when it was corrected; type "
                "another name or its coordinates")
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except (TypeError, ValueError):
        return "its coordinates are not numbers"
    if not (math.isfinite(lat) and math.isfinite(lon)
            and -90 <= lat <= 90 and -180 <= lon <= 180):
        return "its coordinates are off the globe (lat -90..90, lon -180..180)"
    return lat, lon


def keep_places(
    rows: Iterable[Mapping[str, Any]],
    report: Mapping[str, Any],
    text: str = "",
    *,
    day: date | None = None,
    existing: Iterable[str] = (),
    area: Any = None,
) -> Kept:
    """The ticked rows as events for the report's layer, each place once.

    Parameters
    ----------
    rows
        Table rows as made by :func:`mention_rows`, possibly edited by the user.
    report
        ``publisher``, ``title``, ``date`` (ISO) and ``url`` of the report.
    text
        The report, only to take each mention's sentence as its description.
    day
        The events' date when the report has none.
    existing
        Ids already in the report's layer: those places are not added twice.
    area
        The scenario's area (a shapely geometry in EPSG:4326, e.g. :func:`scenario_area`);
        points outside it are named in ``outside``.
    """
    src = citation(report, day)
    cite = " — ".join(p for p in (src["publisher"], src["title"]) if p)
    text_src = f"{cite} ({src['date']}) {src['url']}".strip()
    ref = f'{src["publisher"]}, "{src["title"]}" ({src["date"]}) {src["url"]}'.strip()
    have = set(existing)
    seen: dict[str, int] = {}
    out = Kept(layer=report_layer(report), events=_empty())
    records = []
    for i, r in enumerate(rows):
        if not r.get("keep"):
            continue
        point = _coordinates(r)
        if isinstance(point, str):
            out.dropped.append(f"{_label(r, i)} left out: {point}.")
            continue
        lat, lon = point
        key = place_key(r, lat, lon)
        pid = "report-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        if key in seen:
            out.merged.append(f"{_label(r, i)} is the same place as row {seen[key] + 1}: "
                              "kept once.")
            continue
        seen[key] = i
        if pid in have:
            out.merged.append(f"{_label(r, i)} is already in layer {out.layer}: not added "
                              "again.")
            continue
        if area is not None and not area.intersects(Point(lon, lat)):
            out.outside.append(f"{_label(r, i)} at {lat:.4f}, {lon:.4f} is outside the "
                               "scenario's area: check the coordinates (sign, lat/lon order).")
        records.append({
            "id": pid,
            "date": src["date"] or None,
            "date_precision": "day" if len(src["date"]) == 10 else "approximate",
            "type": "other",
            "title": f"{r.get('name') or r.get('text')} (named in a report)",
            "place": r.get("place"),
            "qualifier": r.get("qualifier") or None,
            "description": sentence_around(text, r.get("start"), r.get("end")),
            "confidence": level(r.get("confidence")),
            "sources": text_src,
            "source_refs": ref,
            "publisher": src["publisher"] or None,
            "report_title": src["title"] or None,
            "published": src["date"] or None,
            "url": src["url"] or None,
            "geometry": Point(lon, lat),
        })
    if records:
        out.events = gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")
    return out


def _empty() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": []}, geometry=gpd.GeoSeries([], crs="EPSG:4326"),
                            crs="EPSG:4326")


def kept_events(
    rows: Iterable[Mapping[str, Any]],
    report: Mapping[str, Any],
    text: str = "",
    *,
    day: date | None = None,
) -> gpd.GeoDataFrame:
    """The kept rows (``keep`` true, with coordinates) as an events layer (EPSG:4326), each
    place once (see :func:`keep_places`, whose ``events`` this is)."""
    return keep_places(rows, report, text, day=day).events


def scenario_area(scenario: Any, pad: float = 0.25) -> Any:
    """The ground a scenario covers, for checking kept points: the box around its places,
    areas and view, widened by ``pad`` of its size (at least 0.25°) on every side."""
    import shapely

    geoms = [g for g in (getattr(scenario, "geometries", {}) or {}).values()
             if g is not None and not g.is_empty]
    manifest = getattr(scenario, "manifest", None)
    if manifest is not None:
        lat, lon = manifest.center
        geoms.append(Point(lon, lat))
    if not geoms:
        return None
    w, s, e, n = shapely.GeometryCollection(geoms).bounds
    grow = max(pad * max(e - w, n - s), 0.25)
    return shapely.box(w - grow, s - grow, e + grow, n + grow)
