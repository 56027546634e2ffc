"""Load and validate a scenario pack directory (format: ``data/scenarios/README.md``).

Every problem is collected, not just the first, and each names the file, the record and the
field, so an author can fix a pack in one pass.  Place ids resolve through ``geo.places``
(the shared place table) and through the pack's own ``areas.geojson``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from .geom import Projector, voronoi_cells
from .model import (
    CONFIDENCE,
    CONTROL_STATUS,
    CORRIDOR_KIND,
    CORRIDOR_STATUS,
    CROSSING_KIND,
    CROSSING_STATUS,
    EVENT_TYPES,
    PRECISION,
    Actor,
    Area,
    ControlRecord,
    Corridor,
    Crossing,
    Event,
    Interval,
    Manifest,
    PopulationEstimate,
    PublishedCount,
    Scenario,
    Siege,
    Source,
    StatusInterval,
)

CONTROL_COLUMNS = ("place", "actor", "status", "from", "to", "from_precision", "to_precision",
                   "confidence", "sources", "note")
_SOURCE_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a pack: where (file, record, field) and what."""

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join(parts) + f": {self.message}"


class PackError(Exception):
    """A pack could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, path: str | Path, problems: list[Problem]):
        self.path = str(path)
        self.problems = problems
        first = str(problems[0]) if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{self.path}: {first}{more}")


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    """What the loader needs to know about a place from the shared table."""

    name: str
    lat: float | None = None
    lon: float | None = None
    units: tuple[str, ...] = ()
    population: int | None = None


PlaceBook = tuple[Mapping[str, Any], Mapping[str, dict]]  # (places, GeoJSON geometries)


def default_places() -> PlaceBook:
    """The shared place table from ``geo.places``; empty when it is not available yet."""
    try:
        from geo.places import load_geometries, load_places
    except ImportError:
        return {}, {}
    try:
        return load_places(), load_geometries()
    except FileNotFoundError:
        return {}, {}
    except ValueError as exc:  # geo.places.PlaceDataError: the shared table itself is broken
        raise PackError("data/places", [Problem("data/places", "", "", str(exc))]) from None


class _Ctx:
    """Problems collected while reading one pack, plus the ids known so far."""

    def __init__(self, root: Path, files: Mapping[str, str] | None = None):
        self.root = root
        self.files = files  # file name -> text, for packs held in memory (workspaces)
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.source_ids: set[str] = set()
        self.actor_ids: set[str] = set()
        # Memos of values that passed (a pack repeats its dates and source lists many times);
        # values with a problem are checked again each time, so each record reports it.
        self._days: dict[str, date] = {}
        self._srcs: dict[str, tuple[str, ...]] = {}
        self._srcs_for: set[str] | None = None

    def has(self, name: str) -> bool:
        """Whether the pack has file ``name``."""
        return name in self.files if self.files is not None else (self.root / name).exists()

    def read(self, name: str) -> str:
        """The text of file ``name`` (a UTF-8 BOM dropped); raises UnicodeDecodeError."""
        if self.files is not None:
            return self.files[name].removeprefix("\ufeff")
        return (self.root / name).read_text(encoding="utf-8-sig")

    def add(self, file: str, record: str, field: str, message: str) -> None:
        self.problems.append(Problem(file, record, field, message))

    # -- field readers: return a parsed value or None after recording a problem ----------
    def text(self, file, rec, obj, key, *, required=True) -> str:
        val = obj.get(key)
        if val is None or (isinstance(val, str) and not val.strip()):
            if required:
                self.add(file, rec, key, "is missing")
            return ""
        if not isinstance(val, str):
            self.add(file, rec, key, f"must be text, got {type(val).__name__}")
            return ""
        return val.strip()

    def day(self, file, rec, obj, key, *, required=True) -> date | None:
        val = obj.get(key)
        if isinstance(val, str):
            got = self._days.get(val)
            if got is not None:
                return got
        if val is None or (isinstance(val, str) and not val.strip()):
            if required:
                self.add(file, rec, key, "is missing (a date YYYY-MM-DD)")
            return None
        try:
            if not isinstance(val, str) or not _DAY.fullmatch(val.strip()):
                raise ValueError
            got = self._days[val] = date.fromisoformat(val.strip())
            return got
        except ValueError:
            self.add(file, rec, key, f"{val!r} is not a date YYYY-MM-DD")
            return None

    def choice(self, file, rec, obj, key, allowed, *, default=None) -> str:
        val = obj.get(key)
        if (val is None or val == "") and default is not None:
            return default
        if val not in allowed:
            shown = "missing" if val in (None, "") else repr(val)
            self.add(file, rec, key, f"{shown}; expected one of {', '.join(allowed)}")
            return default or ""
        return val

    def sources(self, file, rec, obj, key="sources", *, required=True) -> tuple[str, ...]:
        val = obj.get(key)
        if isinstance(val, str):
            if self._srcs_for is not self.source_ids:  # the known ids changed: forget
                self._srcs, self._srcs_for = {}, self.source_ids
            got = self._srcs.get(val)
            if got is not None:
                return got
            ids = [s.strip() for s in val.split(";") if s.strip()]
            if ids and all(sid in self.source_ids for sid in ids):
                got = self._srcs[val] = tuple(ids)
                return got
        elif isinstance(val, list) and all(isinstance(s, str) for s in val):
            ids = [s.strip() for s in val if s.strip()]
        elif val is None:
            ids = []
        else:
            self.add(file, rec, key, "must be a list of source ids")
            return ()
        if not ids and required:
            self.add(file, rec, key, "no source given; every record needs at least one")
        for sid in ids:
            if sid not in self.source_ids:
                self.add(file, rec, key, f"unknown source id {sid!r} (not in sources.json)")
        return tuple(ids)

    def interval(self, file, rec, obj, start="from", end="to") -> Interval | None:
        a = self.day(file, rec, obj, start)
        b = self.day(file, rec, obj, end, required=False)
        pa = self.choice(file, rec, obj, f"{start}_precision", PRECISION, default="day")
        pb = self.choice(file, rec, obj, f"{end}_precision", PRECISION, default="day")
        if a is None:
            return None
        if b is not None and b <= a:
            self.add(file, rec, end, f"{b} is not after '{start}' {a} (intervals are [from, to))")
            return None
        return Interval(a, b, pa, pb)

    def actor_list(self, file, rec, obj, key, *, required=False) -> tuple[str, ...]:
        val = obj.get(key) or []
        if not isinstance(val, list):
            self.add(file, rec, key, "must be a list of actor ids")
            return ()
        if required and not val:
            self.add(file, rec, key, "is empty; name at least one actor")
        for a in val:
            if a not in self.actor_ids:
                self.add(file, rec, key, f"unknown actor id {a!r} (not in actors.json)")
        return tuple(str(a) for a in val)


# -- file readers ----------------------------------------------------------------------------

def _read_json(ctx: _Ctx, name: str, *, required: bool) -> Any:
    if not ctx.has(name):
        if required:
            ctx.add(name, "", "", "file is missing")
        return None
    try:
        return json.loads(ctx.read(name))
    except UnicodeDecodeError:
        ctx.add(name, "", "", "is not UTF-8 text")
    except json.JSONDecodeError as exc:
        ctx.add(name, f"line {exc.lineno} column {exc.colno}", "", f"invalid JSON: {exc.msg}")
    return None


def read_manifest(path: str | Path) -> Manifest:
    """Read only ``manifest.json`` (cheap: for the date slider before a full load)."""
    root = Path(path)
    ctx = _Ctx(root)
    man = _manifest(ctx)
    if man is None or ctx.problems:
        raise PackError(root, ctx.problems)
    return man


def _manifest(ctx: _Ctx) -> Manifest | None:
    f = "manifest.json"
    data = _read_json(ctx, f, required=True)
    if data is None:
        return None
    if not isinstance(data, dict):
        ctx.add(f, "", "", "must be a JSON object")
        return None
    window = data.get("window") if isinstance(data.get("window"), dict) else {}
    if not window:
        ctx.add(f, "", "window", "is missing ({start, end})")
    start = ctx.day(f, "", window, "start") if window else None
    end = ctx.day(f, "", window, "end") if window else None
    default = ctx.day(f, "", data, "default_date")
    if start and end and end <= start:
        ctx.add(f, "", "window.end", f"{end} is not after window.start {start}")
    if start and end and default and not (start <= default <= end):
        ctx.add(f, "", "default_date", f"{default} is outside the window {start}..{end}")
    view = data.get("view") if isinstance(data.get("view"), dict) else {}
    center = view.get("center")
    if not (isinstance(center, list) and len(center) == 2
            and all(isinstance(v, int | float) for v in center)
            and -90 <= center[0] <= 90 and -180 <= center[1] <= 180):
        ctx.add(f, "", "view.center", "must be [lat, lon] in degrees")
        center = [0.0, 0.0]
    zoom = view.get("zoom", 10)
    if not isinstance(zoom, int) or not 0 <= zoom <= 20:
        ctx.add(f, "", "view.zoom", "must be a whole number 0-20")
        zoom = 10
    boundary = data.get("boundary") or []
    if isinstance(boundary, str):
        boundary = [boundary]
    snap = data.get("snap_m", 25.0)
    if not isinstance(snap, int | float) or not 0 <= snap <= 1000:
        ctx.add(f, "", "snap_m", "must be a number of metres 0-1000")
        snap = 25.0
    reports = data.get("reports") or []
    if not isinstance(reports, list):
        ctx.add(f, "", "reports", "must be a list of source ids")
        reports = []
    ident = ctx.text(f, "", data, "id")
    if ident and not _ID.match(ident):
        ctx.add(f, "", "id", f"{ident!r} is not a plain id (letters, digits, - _ . :)")
    man = Manifest(
        id=ident, title=ctx.text(f, "", data, "title"),
        description=ctx.text(f, "", data, "description", required=False),
        start=start or date.min, end=end or date.max, default_date=default or date.min,
        center=(float(center[0]), float(center[1])), zoom=zoom,
        country=ctx.text(f, "", data, "country", required=False),
        licence=ctx.text(f, "", data, "licence"),
        attribution=ctx.text(f, "", data, "attribution"),
        boundary=tuple(str(b) for b in boundary), snap_m=float(snap),
        reports=tuple(str(r) for r in reports),
    )
    return man


def _actors(ctx: _Ctx) -> tuple[dict[str, Actor], tuple[frozenset[str], ...]]:
    f = "actors.json"
    data = _read_json(ctx, f, required=True)
    actors: dict[str, Actor] = {}
    if data is None:
        return actors, ()
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        ctx.add(f, "", "actors", "must be an object with an 'actors' list")
        return actors, ()
    for i, a in enumerate(data["actors"]):
        if not isinstance(a, dict):
            ctx.add(f, f"actor #{i + 1}", "", "must be an object")
            continue
        aid = ctx.text(f, f"actor #{i + 1}", a, "id")
        rec = f"actor {aid!r}" if aid else f"actor #{i + 1}"
        if aid in actors:
            ctx.add(f, rec, "id", "duplicate id")
        colour = ctx.text(f, rec, a, "colour")
        if colour and not _COLOUR.match(colour):
            ctx.add(f, rec, "colour", f"{colour!r} is not #rrggbb")
        name = ctx.text(f, rec, a, "name")
        aliases = a.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(x, str) and x.strip()
                                                    for x in aliases):
            ctx.add(f, rec, "aliases", "must be a list of non-empty names")
            aliases = []
        actors[aid] = Actor(aid, name, ctx.text(f, rec, a, "short", required=False) or name,
                            colour, ctx.text(f, rec, a, "description", required=False),
                            tuple(x.strip() for x in aliases))
    ctx.actor_ids = set(actors)
    groups = []
    alliances = data.get("alliances", [])
    if not isinstance(alliances, list):
        ctx.add(f, "", "alliances", "must be a list of lists of actor ids")
        alliances = []
    for i, g in enumerate(alliances):
        if not isinstance(g, list):
            ctx.add(f, f"alliance #{i + 1}", "", "must be a list of actor ids")
            continue
        for a in g:
            if a not in actors:
                ctx.add(f, f"alliance #{i + 1}", "", f"unknown actor id {a!r}")
        groups.append(frozenset(str(a) for a in g))
    return actors, tuple(groups)


def _sources(ctx: _Ctx, shared: Iterable[str]) -> dict[str, Source]:
    f = "sources.json"
    data = _read_json(ctx, f, required=True)
    out: dict[str, Source] = {}
    if data is None:
        return out
    if not isinstance(data, dict):
        ctx.add(f, "", "", "must be an object {source_id: {publisher, title, date, url}}")
        return out
    for sid, s in data.items():
        rec = f"source {sid!r}"
        if not isinstance(s, dict):
            ctx.add(f, rec, "", "must be an object")
            continue
        d = ctx.text(f, rec, s, "date")
        if d and not _SOURCE_DATE.match(d):
            ctx.add(f, rec, "date", f"{d!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        # A file the analyst uploaded (e.g. a unit layer) is cited by name and SHA-256
        # instead of a URL.
        url = ctx.text(f, rec, s, "url", required=not s.get("file"))
        if url and not url.startswith(("http://", "https://")):
            ctx.add(f, rec, "url", f"{url!r} is not an http(s) address")
        out[sid] = Source(sid, ctx.text(f, rec, s, "publisher"), ctx.text(f, rec, s, "title"),
                          d, url, ctx.text(f, rec, s, "note", required=False),
                          _figures(ctx, f, rec, s.get("figures")))
    ctx.source_ids = set(out) | set(shared)
    return out


def _figures(ctx: _Ctx, f: str, rec: str, fig: Any) -> PublishedCount | None:
    """A source's published headline count (``figures``), if it has one."""
    if fig is None:
        return None
    if not isinstance(fig, dict):
        ctx.add(f, rec, "figures", "must be an object {date, locations, population, rounding}")
        return None
    try:
        day = date.fromisoformat(str(fig.get("date")))
    except ValueError:
        ctx.add(f, rec, "figures.date", f"{fig.get('date')!r} is not YYYY-MM-DD")
        return None
    nums = {}
    for key in ("locations", "population", "rounding"):
        v = fig.get(key)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
            ctx.add(f, rec, f"figures.{key}", f"{v!r} is not a whole number >= 0")
            v = None
        nums[key] = v
    return PublishedCount(day, nums["locations"], nums["population"], nums["rounding"] or 0,
                          str(fig.get("note") or ""))


def _areas(ctx: _Ctx) -> tuple[dict[str, Area], dict[str, Any]]:
    f = "areas.geojson"
    data = _read_json(ctx, f, required=False)
    areas: dict[str, Area] = {}
    geoms: dict[str, Any] = {}
    if data is None:
        return areas, geoms
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list):
        ctx.add(f, "", "features", "must be a GeoJSON FeatureCollection")
        return areas, geoms
    for i, feat in enumerate(feats):
        props = (feat.get("properties") if isinstance(feat, dict) else None) or {}
        aid = props.get("id") or (feat.get("id") if isinstance(feat, dict) else None)
        rec = f"feature #{i + 1}" + (f" ({aid})" if aid else "")
        if not aid:
            ctx.add(f, rec, "id", "is missing")
            continue
        if aid in areas:
            ctx.add(f, rec, "id", "duplicate id")
        geom = _geometry(ctx, f, rec, feat.get("geometry"), ("Polygon", "MultiPolygon"))
        if geom is not None:
            geoms[aid] = geom
        edge = props.get("edge") or ""
        if edge not in ("", "open", "closed"):
            ctx.add(f, rec, "edge", f"{edge!r}; expected 'open', 'closed' or empty")
        areas[aid] = Area(aid, ctx.text(f, rec, props, "name"),
                          ctx.text(f, rec, props, "kind", required=False) or "region",
                          ctx.choice(f, rec, props, "confidence", CONFIDENCE),
                          ctx.sources(f, rec, props),
                          ctx.text(f, rec, props, "description", required=False),
                          edge_open=edge == "open")
    return areas, geoms


def _geometry(ctx: _Ctx, f: str, rec: str, gj: Any, kinds: tuple[str, ...]):
    """A shapely geometry from GeoJSON, checked for kind, lon/lat range and validity."""
    if not isinstance(gj, dict) or "type" not in gj:
        ctx.add(f, rec, "geometry", "is missing or not a GeoJSON geometry")
        return None
    if gj["type"] not in kinds:
        ctx.add(f, rec, "geometry", f"is a {gj['type']}; expected {' or '.join(kinds)}")
        return None
    try:
        geom = _shape(gj)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.GEOSException):
        ctx.add(f, rec, "geometry", "coordinates cannot be read")
        return None
    if geom.is_empty:
        ctx.add(f, rec, "geometry", "is empty")
        return None
    x0, y0, x1, y1 = geom.bounds
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        ctx.add(f, rec, "geometry", "coordinates out of range (expects lon, lat in WGS84)")
        return None
    if not geom.is_valid:
        # repair (and say so) rather than refuse: a self-touching ring should not sink a pack
        reason = shapely.is_valid_reason(geom)
        fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
        fixed = shapely.union_all([g for g in shapely.get_parts(fixed)
                                   if g.geom_type == geom.geom_type.replace("Multi", "")])
        if fixed.is_empty or fixed.geom_type not in kinds + ("Polygon", "MultiPolygon",
                                                              "LineString", "MultiLineString"):
            ctx.add(f, rec, "geometry", f"invalid geometry ({reason}) that cannot be repaired")
            return None
        ctx.warnings.append(f"{f}: {rec}: field 'geometry': invalid geometry ({reason}); "
                            "repaired")
        return fixed
    return geom


def _ring(coords: Any) -> np.ndarray | None:
    """A ring's coordinates as a numeric array (n, 2 or 3), or None when they are not that."""
    if not isinstance(coords, list) or not coords:
        return None
    try:
        arr = np.asarray(coords)
    except (ValueError, TypeError):  # ragged
        return None
    if arr.ndim != 2 or arr.shape[1] not in (2, 3) or not np.issubdtype(arr.dtype, np.number):
        return None
    return arr


def _shape(gj: Mapping) -> Any:
    """``shapely.geometry.shape(gj)``, the same geometry, faster for (multi)polygons: their
    rings go to shapely as arrays, not point by point. Anything unusual goes to ``shape``."""
    kind, coords = gj.get("type"), gj.get("coordinates")
    if kind == "Polygon" and isinstance(coords, list) and coords:
        rings = [_ring(c) for c in coords]
        if all(r is not None for r in rings):
            return shapely.Polygon(rings[0], rings[1:])
    elif kind == "MultiPolygon" and isinstance(coords, list) and coords:
        polys = [[_ring(c) for c in p] if isinstance(p, list) and p else [None]
                 for p in coords]
        if all(r is not None for p in polys for r in p):
            return shapely.MultiPolygon([(p[0], p[1:]) for p in polys])
    return shape(gj)


def _read_csv(ctx: _Ctx, name: str) -> list[dict[str, str]] | None:
    if not ctx.has(name):
        return None
    try:
        with io.StringIO(ctx.read(name), newline="") as fh:
            # csv.DictReader's rules, without its per-row overhead: blank lines skipped, a
            # short row padded with empty cells, a long row refused.
            reader = csv.reader(fh)
            cols = next(reader, None) or []
            missing = [c for c in CONTROL_COLUMNS if c not in cols]
            if missing:
                ctx.add(name, "header", ", ".join(missing), "column missing")
                return None
            width = len(cols)
            pad = [""] * width
            rows = []
            for row in reader:
                if not row:
                    continue
                line = reader.line_num
                if len(row) != width:
                    if len(row) > width:
                        ctx.add(name, f"row {line}", "", "more cells than columns")
                        continue
                    row += pad[len(row):]
                d = dict(zip(cols, map(str.strip, row), strict=True))
                d["_line"] = str(line)
                rows.append(d)
            return rows
    except UnicodeDecodeError:
        ctx.add(name, "", "", "is not UTF-8 text")
    except csv.Error as exc:
        ctx.add(name, "", "", f"unreadable CSV: {exc}")
    return None


def _json_list(ctx: _Ctx, name: str) -> list[dict]:
    data = _read_json(ctx, name, required=False)
    if data is None:
        return []
    if not isinstance(data, list):
        ctx.add(name, "", "", "must be a JSON list of records")
        return []
    out = []
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            ctx.add(name, f"record #{i + 1}", "", "must be an object")
        else:
            out.append(rec)
    counts = Counter(str(r["id"]) for r in out if r.get("id"))
    for dup in sorted(x for x, n in counts.items() if n > 1):
        ctx.add(name, f"id {dup!r}", "id", "duplicate id")
    return out


def _rec(name: str, i: int, obj: dict) -> str:
    return f"id {obj['id']!r}" if obj.get("id") else f"record #{i + 1}"


# -- place resolution ------------------------------------------------------------------------

#: Shapes read from the shared place table, by id: ``(its GeoJSON object, shape)``. The table
#: is loaded once and read-only, so every pack and workspace version reuses the shapes (they
#: are immutable) instead of reading them again; a different object under an id is re-read.
_SHARED_SHAPES: dict[str, tuple[Any, Any]] = {}


class _Resolver:
    """Maps place ids to units and geometry: pack areas first, then the shared table."""

    def __init__(self, places: Mapping[str, Any], geometries: Mapping[str, dict],
                 area_geoms: dict[str, Any], areas: dict[str, Area]):
        self.places = places
        self.gj = geometries
        self.area_geoms = area_geoms
        self.areas = areas
        self.geoms: dict[str, Any] = dict(area_geoms)
        self.names: dict[str, str] = {a.id: a.name for a in areas.values()}
        self.population: dict[str, int] = {}
        self.points: set[str] = set()

    def known(self, pid: str) -> bool:
        return pid in self.area_geoms or pid in self.places or pid in self.gj

    def _remember(self, pid: str) -> None:
        p = self.places.get(pid)
        if p is not None:
            self.names.setdefault(pid, getattr(p, "name", pid))
            pop = getattr(p, "population", None)
            if isinstance(pop, int):
                self.population[pid] = pop
        else:
            self.names.setdefault(pid, pid)

    def geometry(self, pid: str):
        """Shapely geometry for one id (polygon, line or point), or None."""
        if pid in self.geoms:
            return self.geoms[pid]
        self._remember(pid)
        g = None
        if pid in self.gj:
            gj = self.gj[pid]
            hit = _SHARED_SHAPES.get(pid)
            if hit is not None and hit[0] is gj:  # the same (read-only) table entry
                g = hit[1]
            else:
                try:
                    g = _shape(gj)
                except (ValueError, TypeError, AttributeError):
                    g = None
                if g is not None and not g.is_valid:
                    g = shapely.make_valid(g)
                _SHARED_SHAPES[pid] = (gj, g)
        if g is None:
            p = self.places.get(pid)
            lat, lon = getattr(p, "lat", None), getattr(p, "lon", None)
            if lat is not None and lon is not None:
                g = shapely.Point(lon, lat)
        if g is not None:
            self.geoms[pid] = g
        return g

    def units(self, pid: str) -> tuple[str, ...] | None:
        """The control units an id stands for (a group expands), or None when unknown."""
        if pid in self.area_geoms:
            return (pid,)
        p = self.places.get(pid)
        members = tuple(getattr(p, "units", ()) or ()) if p is not None else ()
        if members:
            self._remember(pid)
            return members
        if self.known(pid):
            return (pid,)
        return None


def _control(ctx: _Ctx, res: _Resolver) -> list[ControlRecord]:
    f = "control.csv"
    rows = _read_csv(ctx, f)
    if rows is None:
        if not ctx.has(f):
            ctx.warnings.append(f"{f}: no control file; the pack maps no ground")
        return []
    records = []
    seen_ids: set[str] = set()
    good: dict[str, tuple[str, ...]] = {}  # places whose units all passed the checks below
    # Fast paths for values that pass (a large workspace has tens of thousands of rows): the
    # checks below call the field readers, which report problems, only for the others.
    status_ok, conf_ok = frozenset(CONTROL_STATUS), frozenset(CONFIDENCE)
    precision = {p: p for p in PRECISION} | {"": "day"}  # as ctx.choice(default="day")
    days = ctx._days
    for r in rows:
        line = int(r["_line"])
        rid = r.get("id", "")
        rec = (f"record {rid!r}" if rid else f"row {line}") + (
            f" ({r['place']})" if r["place"] else "")
        if rid:
            if rid in seen_ids:
                ctx.add(f, rec, "id", "duplicate id")
            seen_ids.add(rid)
        pid = r["place"]
        units: tuple[str, ...] | None = ()
        if not pid:
            ctx.add(f, rec, "place", "is missing")
        elif pid in good:
            units = good[pid]
        else:
            units = res.units(pid)
            if units is None:
                ctx.add(f, rec, "place", f"unknown place id {pid!r} (not in data/places or "
                        "areas.geojson)")
                units = ()
            else:
                ok = True
                for u in units:
                    g = res.geometry(u)
                    if g is None:
                        ctx.add(f, rec, "place", f"unit {u!r} has no geometry or point")
                        ok = False
                    elif g.geom_type not in ("Polygon", "MultiPolygon", "Point"):
                        ctx.add(f, rec, "place", f"{u!r} is a {g.geom_type}; control needs "
                                "an area or a point place")
                        ok = False
                if ok:
                    good[pid] = units
        status = r["status"]
        if status not in status_ok:
            status = ctx.choice(f, rec, r, "status", CONTROL_STATUS)
        actor = r["actor"] or None
        if actor and actor not in ctx.actor_ids:
            ctx.add(f, rec, "actor", f"unknown actor id {actor!r} (not in actors.json)")
        if status == "controlled" and not actor:
            ctx.add(f, rec, "actor", "is missing; 'controlled' needs an actor")
        a, b = days.get(r["from"]), days.get(r["to"])
        pa, pb = precision.get(r["from_precision"]), precision.get(r["to_precision"])
        if (a is not None and pa is not None and pb is not None
                and (b > a if b is not None else not r["to"])):
            interval = Interval(a, b, pa, pb)  # what ctx.interval gives for these values
        else:
            interval = ctx.interval(f, rec, r)
        conf = r["confidence"]
        if conf not in conf_ok:
            conf = ctx.choice(f, rec, r, "confidence", CONFIDENCE)
        srcs = ctx._srcs.get(r["sources"]) if ctx._srcs_for is ctx.source_ids else None
        if srcs is None:
            srcs = ctx.sources(f, rec, r)
        if interval is not None and units:
            records.append(ControlRecord(line, pid, units, actor, status, interval, conf, srcs,
                                         r["note"], id=rid))
    _check_overlaps(ctx, records)
    return records


def _check_overlaps(ctx: _Ctx, records: list[ControlRecord]) -> None:
    """Two records of the same specificity for one unit may not overlap in time."""
    by_unit: dict[tuple[str, bool], list[ControlRecord]] = {}
    for r in records:
        direct = r.units == (r.place,)
        for u in r.units:
            by_unit.setdefault((u, direct), []).append(r)
    reported = set()
    for (unit, _), recs in by_unit.items():
        if len(recs) < 2:
            continue
        recs = sorted(recs, key=lambda r: r.interval.start)
        for a, b in zip(recs, recs[1:], strict=False):
            # Interval.overlaps, inlined (this runs once per record of a large workspace)
            ia, ib = a.interval, b.interval
            if (ia.start < (ib.end or date.max) and ib.start < (ia.end or date.max)
                    and (a.row, b.row) not in reported):
                reported.add((a.row, b.row))
                ctx.add("control.csv", f"{b.label} ({b.place})", "from",
                        f"overlaps {a.label} for unit {unit!r}; end one before the other "
                        "starts (a unit's own row beats a group row)")


def _statuses(ctx, f, rec, obj, allowed) -> tuple[StatusInterval, ...]:
    val = obj.get("statuses")
    if not isinstance(val, list) or not val:
        ctx.add(f, rec, "statuses", "must be a non-empty list of dated statuses")
        return ()
    out = []
    for j, s in enumerate(val):
        srec = f"{rec} status #{j + 1}"
        if not isinstance(s, dict):
            ctx.add(f, srec, "", "must be an object")
            continue
        st = ctx.choice(f, srec, s, "status", allowed)
        iv = ctx.interval(f, srec, s)
        conf = ctx.choice(f, srec, s, "confidence", CONFIDENCE)
        srcs = ctx.sources(f, srec, s)
        if iv is not None:
            out.append(StatusInterval(st, iv, conf, srcs,
                                      ctx.text(f, srec, s, "note", required=False)))
    out.sort(key=lambda s: s.interval.start)
    for a, b in zip(out, out[1:], strict=False):
        if a.interval.overlaps(b.interval):
            ctx.add(f, rec, "statuses", f"status from {b.interval.start} overlaps the one "
                    f"from {a.interval.start}")
    return tuple(out)


def _place_or_geometry(ctx, res: _Resolver, f, rec, obj, kinds, key_id) -> str | None:
    """Resolve ``place`` or an inline ``geometry``; inline ones are stored under ``key_id``."""
    pid = obj.get("place")
    if pid:
        if not res.known(str(pid)):
            ctx.add(f, rec, "place", f"unknown place id {pid!r}")
            return None
        g = res.geometry(str(pid))
        if g is None:
            ctx.add(f, rec, "place", f"{pid!r} has no geometry or point")
            return None
        if g.geom_type not in kinds:
            if "Point" in kinds and g.geom_type in ("Polygon", "MultiPolygon"):
                return str(pid)  # an area stands for its representative point
            ctx.add(f, rec, "place", f"{pid!r} is a {g.geom_type}; expected "
                    f"{' or '.join(kinds)}")
            return None
        return str(pid)
    if obj.get("geometry") is not None:
        g = _geometry(ctx, f, rec, obj["geometry"], kinds)
        if g is not None:
            res.geoms[key_id] = g
            res.names.setdefault(key_id, obj.get("name") or obj.get("title") or key_id)
            return key_id
        return None
    ctx.add(f, rec, "place", "give a place id or a geometry")
    return None


def _sieges(ctx: _Ctx, res: _Resolver) -> list[Siege]:
    f = "sieges.json"
    out = []
    for i, s in enumerate(_json_list(ctx, f)):
        rec = _rec(f, i, s)
        places = s.get("places")
        if not isinstance(places, list) or not places:
            ctx.add(f, rec, "places", "must be a non-empty list of place ids")
            places = []
        siege_units: list[str] = []
        for p in places:
            units = res.units(str(p))
            if units is None:
                ctx.add(f, rec, "places", f"unknown place id {p!r}")
            else:
                for u in units:
                    if res.geometry(u) is None:
                        ctx.add(f, rec, "places", f"unit {u!r} has no geometry or point")
                siege_units.extend(units)
        pops = []
        raw_pops = s.get("populations", [])
        if not isinstance(raw_pops, list):
            ctx.add(f, rec, "populations", "must be a list")
            raw_pops = []
        for j, p in enumerate(raw_pops):
            prec = f"{rec} population #{j + 1}"
            if not isinstance(p, dict):
                ctx.add(f, prec, "", "must be an object")
                continue
            nums = {}
            for k in ("value", "low", "high"):
                v = p.get(k)
                if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
                    ctx.add(f, prec, k, f"{v!r} is not a whole number ≥ 0")
                    v = None
                nums[k] = v
            if all(v is None for v in nums.values()):
                ctx.add(f, prec, "value", "give a value or a low/high range")
                continue
            if nums["low"] is not None and nums["high"] is not None and nums["low"] > nums["high"]:
                ctx.add(f, prec, "low", "is greater than 'high'")
            pops.append(PopulationEstimate(nums["value"], nums["low"], nums["high"],
                                           ctx.day(f, prec, p, "date"), ctx.sources(f, prec, p),
                                           ctx.text(f, prec, p, "note", required=False)))
        iv = ctx.interval(f, rec, s)
        siege = Siege(
            id=ctx.text(f, rec, s, "id"), name=ctx.text(f, rec, s, "name"),
            places=tuple(str(p) for p in places),
            besiegers=ctx.actor_list(f, rec, s, "besiegers", required=True),
            besieged=ctx.actor_list(f, rec, s, "besieged"),
            interval=iv or Interval(date.min), severity=ctx.text(f, rec, s, "severity",
                                                                 required=False),
            populations=tuple(pops), confidence=ctx.choice(f, rec, s, "confidence", CONFIDENCE),
            sources=ctx.sources(f, rec, s),
            description=ctx.text(f, rec, s, "description", required=False),
            units=tuple(dict.fromkeys(siege_units)))
        if iv is not None:
            out.append(siege)
    return out


def _corridors(ctx: _Ctx, res: _Resolver) -> list[Corridor]:
    f = "corridors.json"
    out = []
    for i, c in enumerate(_json_list(ctx, f)):
        rec = _rec(f, i, c)
        cid = ctx.text(f, rec, c, "id")
        place = _place_or_geometry(ctx, res, f, rec, c, ("LineString", "MultiLineString"),
                                   f"corridor:{cid}")
        endpoints = c.get("endpoints") or []
        if not isinstance(endpoints, list):
            ctx.add(f, rec, "endpoints", "must be a list [a, b]")
            endpoints = []
        out.append(Corridor(
            id=cid, name=ctx.text(f, rec, c, "name"),
            kind=ctx.choice(f, rec, c, "kind", CORRIDOR_KIND, default="route"),
            place=place, endpoints=tuple(str(e) for e in endpoints),
            statuses=_statuses(ctx, f, rec, c, CORRIDOR_STATUS),
            confidence=ctx.choice(f, rec, c, "confidence", CONFIDENCE),
            sources=ctx.sources(f, rec, c),
            description=ctx.text(f, rec, c, "description", required=False),
            users=ctx.actor_list(f, rec, c, "users")))
    return out


def _crossings(ctx: _Ctx, res: _Resolver) -> list[Crossing]:
    f = "crossings.json"
    out = []
    for i, c in enumerate(_json_list(ctx, f)):
        rec = _rec(f, i, c)
        cid = ctx.text(f, rec, c, "id")
        place = _place_or_geometry(ctx, res, f, rec, c, ("Point",), f"crossing:{cid}")
        out.append(Crossing(
            id=cid, name=ctx.text(f, rec, c, "name"),
            kind=ctx.choice(f, rec, c, "kind", CROSSING_KIND, default="crossing"),
            place=place, statuses=_statuses(ctx, f, rec, c, CROSSING_STATUS),
            confidence=ctx.choice(f, rec, c, "confidence", CONFIDENCE),
            sources=ctx.sources(f, rec, c),
            description=ctx.text(f, rec, c, "description", required=False)))
    return out


def _events(ctx: _Ctx, res: _Resolver) -> list[Event]:
    f = "events.json"
    out = []
    kinds = ("Point", "MultiPoint", "Polygon", "MultiPolygon", "LineString", "MultiLineString")
    for i, e in enumerate(_json_list(ctx, f)):
        rec = _rec(f, i, e)
        eid = ctx.text(f, rec, e, "id")
        place = _place_or_geometry(ctx, res, f, rec, e, kinds, f"event:{eid}")
        day = ctx.day(f, rec, e, "date")
        ev = Event(eid, day or date.min,
                   ctx.choice(f, rec, e, "date_precision", PRECISION, default="day"),
                   ctx.choice(f, rec, e, "type", EVENT_TYPES), ctx.text(f, rec, e, "title"),
                   place, ctx.text(f, rec, e, "description", required=False),
                   ctx.choice(f, rec, e, "confidence", CONFIDENCE), ctx.sources(f, rec, e))
        if day is not None:
            out.append(ev)
    return out


# -- assembling the scenario -----------------------------------------------------------------

def _unit_geometries(ctx: _Ctx, res: _Resolver, man: Manifest, unit_ids: list[str]):
    """Unit polygons aligned to ``unit_ids``; point-only places become Voronoi cells.

    Cells are built in the local equal-area CRS and clipped in lon/lat to the manifest's
    ``boundary`` minus the polygon units, so they meet both exactly.
    """
    geoms = [res.geometry(u) for u in unit_ids]
    is_point = np.array([g is not None and g.geom_type == "Point" for g in geoms], dtype=bool)
    arr = np.array(geoms, dtype=object)
    if is_point.any():
        proj = Projector(*man.center)
        polys = arr[~is_point]
        parts = []
        for b in man.boundary:
            g = res.geometry(b) if res.known(b) else None
            if g is None or g.geom_type not in ("Polygon", "MultiPolygon"):
                ctx.add("manifest.json", "", "boundary", f"{b!r} is not a known area")
            else:
                parts.append(g)
        pts = proj.forward(arr[is_point])
        if parts:
            boundary = shapely.union_all(parts)
        else:  # no boundary given: the hull of everything, 5 km wider
            ctx.warnings.append("manifest.json: no 'boundary' given; cells of point places are "
                                "clipped to the hull of all places plus 5 km")
            hull = shapely.union_all(np.append(pts, proj.forward(polys))).convex_hull
            boundary = proj.inverse(hull.buffer(5000))
        extent = proj.forward(boundary)
        cells = proj.inverse(voronoi_cells(pts, extent))
        clip = shapely.difference(boundary, shapely.union_all(polys)) if len(polys) else boundary
        arr[is_point] = shapely.intersection(cells, clip)
    return arr, frozenset(np.asarray(unit_ids, dtype=object)[is_point])


def load_pack(path: str | Path, *, places: PlaceBook | None = None,
              files: Mapping[str, str] | None = None) -> Scenario:
    """Read and validate the pack at ``path``.

    Parameters
    ----------
    path
        The pack directory (holding ``manifest.json``); with ``files``, only a name for it.
    places
        ``(places, geometries)`` as returned by ``geo.places.load_places()`` /
        ``load_geometries()``; the shared place table when omitted.
    files
        The pack's files as text, by file name (``manifest.json``, ``control.csv``, ...),
        instead of a directory: how a workspace in the store is read.

    Raises
    ------
    PackError
        With every problem found, each naming file, record and field.
    """
    root = Path(path)
    if files is None and not root.is_dir():
        raise PackError(root, [Problem(str(root), "", "", "is not a directory")])
    ctx = _Ctx(root, files)
    place_table, place_geoms = places if places is not None else default_places()
    shared_sources: set[str] = set()
    if places is None:
        try:
            from geo.places import load_sources
            shared_sources = set(load_sources())
        except (ImportError, FileNotFoundError):
            pass
    man = _manifest(ctx)
    actors, alliances = _actors(ctx)
    sources = _sources(ctx, shared_sources)
    if man is not None:
        for r in man.reports:
            if r not in sources:
                ctx.add("manifest.json", "", "reports", f"unknown source id {r!r}")
            elif sources[r].figures is None:
                ctx.add("manifest.json", "", "reports", f"source {r!r} has no 'figures'")
    areas, area_geoms = _areas(ctx)
    for aid in area_geoms:
        if aid in place_table:
            ctx.add("areas.geojson", f"id {aid!r}", "id", "collides with a place id in "
                    "data/places; pick another id")
    res = _Resolver(place_table, place_geoms, area_geoms, areas)
    control = _control(ctx, res)
    sieges = _sieges(ctx, res)
    corridors = _corridors(ctx, res)
    crossings = _crossings(ctx, res)
    events = _events(ctx, res)
    if man is not None and not ctx.problems:
        for r in control:
            if r.interval.start > man.end:
                ctx.warnings.append(f"control.csv: row {r.row}: starts after the window ends")
        _warn_open_edges_changing_sides(ctx, areas, control, alliances)
    if man is None or ctx.problems:
        raise PackError(root, ctx.problems)
    unit_ids = sorted({u for r in control for u in r.units})
    unit_geoms, point_units = _unit_geometries(ctx, res, man, unit_ids)
    if ctx.problems:
        raise PackError(root, ctx.problems)
    for u, g in zip(unit_ids, unit_geoms, strict=True):
        res.geoms[u] = g
    return Scenario(
        path=root if files is not None else root.resolve(), manifest=man, actors=actors,
        alliances=alliances, sources=sources,
        areas=areas, control=tuple(control), sieges=tuple(sieges), corridors=tuple(corridors),
        crossings=tuple(crossings), events=tuple(sorted(events, key=lambda e: e.date)),
        geometries=res.geoms, place_names=res.names, place_population=res.population,
        units=tuple(unit_ids), unit_geoms=unit_geoms, point_units=point_units,
        warnings=tuple(ctx.warnings))


def _warn_open_edges_changing_sides(ctx, areas, control, alliances) -> None:
    """``edge: open`` says the ground beyond the map is the holder's; it holds for one side only,
    so an open-edge area passing between hostile actors needs the author's eye."""
    for aid, area in areas.items():
        if not area.edge_open:
            continue
        rows = sorted((r for r in control if aid in r.units), key=lambda r: r.interval.start)
        holders = list(dict.fromkeys(r.actor for r in rows
                                     if r.status == "controlled" and r.actor))
        for a, b in zip(holders, holders[1:], strict=False):
            if not any(a in g and b in g for g in alliances):
                ctx.warnings.append(
                    f"areas.geojson: {aid!r}: edge: open, but its holder changes from {a!r} to "
                    f"{b!r}; the ground beyond the map is then assumed to be {b!r}'s too")
                break


def validate_pack(path: str | Path, *,
                  places: PlaceBook | None = None) -> tuple[list[Problem], list[str]]:
    """``(problems, warnings)`` for the pack at ``path``; no problems means it loads."""
    try:
        sc = load_pack(path, places=places)
    except PackError as exc:
        return exc.problems, []
    return [], list(sc.warnings)

