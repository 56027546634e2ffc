"""A report's geocoded mentions → an editable table → (when kept) an events layer.

Thresholds turning a geocoder score (0–1) into a record's confidence level:
``score ≥ 0.8`` → high, ``score ≥ 0.5`` → medium, else low; below 0.5 a mention is also flagged
as low-confidence in the table and drawn hollow on the map.

Kept events carry the report as their source (publisher, title, date, URL) and each mention's
surrounding sentence as description; the pasted text itself is not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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


def kept_events(
    rows: Iterable[Mapping[str, Any]],
    report: Mapping[str, Any],
    text: str = "",
    *,
    day: date | None = None,
) -> gpd.GeoDataFrame:
    """The kept rows (``keep`` true, with coordinates) as an events layer (EPSG:4326).

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
    """
    when = str(report.get("date") or (day.isoformat() if day else ""))
    cite = " — ".join(str(p) for p in (report.get("publisher"), report.get("title")) if p)
    src = f"{cite} ({when}) {report.get('url') or ''}".strip()
    records = []
    for i, r in enumerate(rows):
        if not r.get("keep") or r.get("lat") is None or r.get("lon") is None:
            continue
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
        except (TypeError, ValueError):
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        records.append({
            "id": f"report-{i + 1}",
            "date": when or None,
            "date_precision": "day" if len(when) == 10 else "approximate",
            "type": "other",
            "title": f"{r.get('name') or r.get('text')} (named in a report)",
            "place": r.get("place"),
            "description": sentence_around(text, r.get("start"), r.get("end")),
            "confidence": level(r.get("confidence")),
            "sources": src,
            "publisher": report.get("publisher") or None,
            "url": report.get("url") or None,
            "geometry": Point(lon, lat),
        })
    if not records:
        return gpd.GeoDataFrame({"id": [], "geometry": []}, geometry="geometry", crs="EPSG:4326")
    return gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")
