"""A new workspace's ground: an uploaded polygon layer made into a clean coverage of units.

The layer is read through the hostile-input-safe importer, each feature becomes an area
(``areas.geojson``) with the chosen id and name fields, and the polygons are repaired into a
coverage the way ``data/places/`` was: invalid shapes repaired, overlaps given to one unit,
gaps between neighbours narrower than the tolerance closed; every change is reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import numpy as np
import shapely

from layers.geom import Projector
from layers.workspace.backend import WorkspaceError

#: Gaps narrower than this between neighbouring units are slivers, closed into them (m).
SLIVER_M = 25.0
#: Okabe–Ito, colour-blind-safe; the first actors of a new workspace take these in turn.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def coverage(geoms: np.ndarray, ids: list[str], *, sliver_m: float = SLIVER_M
             ) -> tuple[np.ndarray, list[str]]:
    """Repair polygons into a coverage: no overlaps, slivers closed. Returns (geoms, report).

    Overlaps go to the unit listed first (the report names both and the area moved); gaps
    narrower than ``sliver_m`` inside the layer's outline are split between the units around
    them (each piece to the unit it touches most).
    """
    report: list[str] = []
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    proj = Projector((miny + maxy) / 2, (minx + maxx) / 2)  # equal-area around the layer
    metric = proj.forward(geoms)
    out = np.empty(len(metric), dtype=object)
    taken = None
    for i, g in enumerate(metric):
        if not g.is_valid:
            report.append(f"{ids[i]}: invalid polygon repaired")
            g = shapely.make_valid(g)
        g = shapely.get_parts(g)
        g = shapely.union_all([p for p in g if p.geom_type in ("Polygon", "MultiPolygon")])
        if taken is not None and g.intersects(taken):
            lost = g.intersection(taken).area
            if lost > 1.0:
                report.append(f"{ids[i]}: {lost / 1e6:.3f} km² overlapping earlier units removed")
            g = g.difference(taken)
            # Projected chords of a shared edge differ slightly: drop the needle-thin crumbs
            # (< 1 m²) that leaves, or the unit turns into a MultiPolygon overlapping its
            # neighbour.
            g = shapely.union_all([p for p in shapely.get_parts(g) if p.area >= 1.0])
        out[i] = g
        taken = g if taken is None else shapely.union(taken, g)
    # Slivers: what an inward-then-outward buffer of the whole fills in, split by nearness.
    whole = shapely.union_all(out)
    closed = whole.buffer(sliver_m / 2).buffer(-sliver_m / 2)
    gaps = shapely.get_parts(closed.difference(whole))
    filled = 0
    for gap in gaps:
        if gap.area < 1.0:
            continue
        touching = [j for j in range(len(out)) if out[j].distance(gap) < sliver_m]
        if not touching:
            continue
        best = max(touching, key=lambda j: out[j].buffer(sliver_m).intersection(gap).area)
        out[best] = shapely.union(out[best], gap)
        filled += 1
    if filled:
        report.append(f"{filled} sliver gap(s) narrower than {sliver_m:g} m closed")
    return np.asarray(proj.inverse(out), dtype=object), report


def records_from_units(name: str, file: str, id_field: str | None, name_field: str | None,
                       *, title: str | None = None, by: str | None = None
                       ) -> tuple[list[tuple[str, str, dict]], list[str]]:
    """Records of a new workspace whose units are the polygons of ``file``.

    Returns
    -------
    (records, report)
        ``(kind, id, body)`` for the manifest, an empty actors list, the file as a source and
        one area per unit; the report says what was repaired.
    """
    from layers.io.import_ import import_file

    if not id_field or not name_field:
        raise WorkspaceError("--units needs --id-field and --name-field")
    gdf = import_file(file)
    for field in (id_field, name_field):
        if field not in gdf.columns:
            have = ", ".join(c for c in gdf.columns if c != "geometry")
            raise WorkspaceError(f"{file}: no field '{field}' (fields: {have})")
    kinds = set(gdf.geom_type)
    if not kinds <= {"Polygon", "MultiPolygon"}:
        raise WorkspaceError(f"{file}: units must be polygons; the layer has "
                             f"{', '.join(sorted(kinds - {'Polygon', 'MultiPolygon'}))}")
    ids, names = [], []
    for i, (raw_id, raw_name) in enumerate(zip(gdf[id_field], gdf[name_field], strict=True)):
        if raw_id is None or str(raw_id).strip() in ("", "nan", "<NA>"):
            raise WorkspaceError(f"{file}: feature {i + 1}: field '{id_field}' is empty")
        uid = f"{_slug(name)}-{_slug(str(raw_id))}"
        if uid in ids:
            raise WorkspaceError(f"{file}: feature {i + 1}: id '{raw_id}' appears twice")
        ids.append(uid)
        names.append(str(raw_name) if raw_name is not None else str(raw_id))
    geoms, report = coverage(np.asarray(gdf.geometry.values, dtype=object), ids)
    report = list(gdf.attrs.get("repairs", [])) + report
    digest = hashlib.sha256(Path(file).read_bytes()).hexdigest()
    today = dt.date.today()
    src_id = f"units-{_slug(Path(file).stem)}"
    sources = {"publisher": by or "uploaded", "title": f"unit layer {Path(file).name}",
               "date": today.isoformat(), "url": "", "file": Path(file).name,
               "sha256": digest, "note": f"units from fields {id_field} / {name_field}"}
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    span = max(maxx - minx, maxy - miny, 1e-3)
    zoom = int(max(3, min(15, round(np.log2(360 / span)))))
    manifest = {"id": name, "title": title or name,
                "description": f"Workspace over the units of {Path(file).name}.",
                "window": {"start": (today - dt.timedelta(days=365)).isoformat(),
                           "end": today.isoformat()},
                "default_date": today.isoformat(),
                "view": {"center": [(miny + maxy) / 2, (minx + maxx) / 2], "zoom": zoom},
                "country": "", "licence": "as the unit layer's owner allows",
                "attribution": f"Units: {Path(file).name}", "snap_m": 25}
    records: list[tuple[str, str, dict]] = [
        ("manifest", "manifest", manifest),
        ("actors", "actors", {"actors": [], "alliances": []}),
        ("source", src_id, sources)]
    for uid, nm, geom in zip(ids, names, geoms, strict=True):
        records.append(("area", uid, {
            "type": "Feature", "geometry": shapely.geometry.mapping(geom),
            "properties": {"id": uid, "name": nm, "kind": "unit", "confidence": "high",
                           "sources": [src_id], "description": ""}}))
    return records, report
