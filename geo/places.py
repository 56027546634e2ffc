"""The place table reader: one copy of every place, shared by the geocoder and the layers.

Reads the plain files in ``data/places/`` (see ``data/places/README.md`` and
``docs/ARCHITECTURE.md``) into :class:`Place` records keyed by id.  Standard library only, so
that importing the geocoder stays fast: no geopandas, shapely, folium or streamlit here.

Public API
----------
load_places() -> dict[str, Place]       every place (cached)
load_geometries() -> dict[str, dict]    id -> GeoJSON geometry of units, governorates, named places
load_sources() -> dict[str, dict]       source id -> {publisher, title, date, url, licence, note}

Bad files raise :class:`PlaceDataError` with a one-line message naming file, record and field.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from geo import paths

DATA_DIR = paths.DATA_DIR / "places"

UNITS_FILE = "aleppo-neighbourhoods.geojson"
ALIASES_FILE = "aleppo-aliases.csv"
SYRIA_ADMIN_FILE = "syria-admin.csv"
GOVERNORATES_FILE = "syria-governorates.geojson"
NAMED_PLACES_FILE = "named-places.geojson"  # maintained separately; optional
COUNTRIES_FILE = "world-countries.csv"
ADMIN1_FILE = "world-admin1.csv"
SOURCES_FILE = "sources.json"

KINDS = frozenset(
    {"country", "admin1", "admin2", "admin3", "city", "neighbourhood", "road", "crossing", "site",
     "region"}
)
CONFIDENCES = frozenset({"high", "medium", "low"})


class PlaceDataError(ValueError):
    """A place file is missing a field or holds a value the reader cannot use."""

    def __init__(self, file: str, record: str, field: str, message: str) -> None:
        self.file, self.record, self.field = file, record, field
        super().__init__(f"{file}: {record}: field '{field}': {message}")


@dataclass(frozen=True, slots=True)
class Place:
    """One place of the table.

    ``lat``/``lon`` is a representative point (inside the area for polygons; WGS84).
    ``units`` is set for alias/group places: the neighbourhood unit ids they stand for.
    ``confidence`` is set where the record's tie to its location is graded (alias places).
    """

    id: str
    kind: str
    name: str
    names: tuple[str, ...]
    name_ar: str | None
    lat: float
    lon: float
    country: str
    parent: str | None
    population: int | None
    population_year: int | None
    approximate: bool
    uncertainty_m: float | None
    sources: tuple[str, ...]
    units: tuple[str, ...] = ()
    confidence: str | None = None


# ---------------------------------------------------------------- small field parsers


def _split(value: str | None, sep: str = ";") -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(v.strip() for v in value.split(sep) if v.strip())


def _opt_str(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _opt_int(value: Any, file: str, rec: str, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(float(value))  # "12345" or "12345.0"
    except (TypeError, ValueError):
        raise PlaceDataError(file, rec, field, f"not an integer: {value!r}") from None


def _opt_float(value: Any, file: str, rec: str, field: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise PlaceDataError(file, rec, field, f"not a number: {value!r}") from None
    if not math.isfinite(out):
        raise PlaceDataError(file, rec, field, f"not a finite number: {value!r}")
    return out


def _coord(value: object, file: str, rec: str, field: str, limit: float) -> float:
    out = _opt_float(value, file, rec, field)
    if out is None:
        raise PlaceDataError(file, rec, field, "missing coordinate")
    if not -limit <= out <= limit:
        raise PlaceDataError(file, rec, field, f"outside [-{limit:g}, {limit:g}]: {out}")
    return out


def _bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes"}


def _str_list(value: object, file: str, rec: str, field: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return _split(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v for v in value if v)
    raise PlaceDataError(file, rec, field, "expected a list of strings")


def _kind(value: object, file: str, rec: str) -> str:
    kind = str(value or "").strip()
    if kind not in KINDS:
        raise PlaceDataError(file, rec, "kind", f"unknown kind {kind!r}")
    return kind


def _names(name: str, variants: Iterable[str]) -> tuple[str, ...]:
    """The display name first, then each variant once (case-sensitive de-duplication)."""
    seen: dict[str, None] = {name: None}
    for v in variants:
        seen.setdefault(v, None)
    return tuple(seen)


# ---------------------------------------------------------------- file readers


def _require(path: Path) -> None:
    if not path.is_file():
        raise PlaceDataError(path.name, "-", "-", f"file missing in {path.parent}")


def _read_json(path: Path) -> object:
    _require(path)
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except json.JSONDecodeError as exc:
        raise PlaceDataError(path.name, f"line {exc.lineno}", "-", f"invalid JSON: {exc.msg}") \
            from None


def _read_csv(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    _require(path)
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            yield f"line {lineno}", row


def _features(path: Path) -> Iterator[tuple[str, dict, dict | None]]:
    doc = _read_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise PlaceDataError(path.name, "-", "features", "not a GeoJSON FeatureCollection")
    for i, feat in enumerate(doc["features"]):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            raise PlaceDataError(path.name, f"feature {i}", "properties", "missing")
        fid = _opt_str(props.get("id")) or _opt_str(feat.get("id"))
        if not fid:
            raise PlaceDataError(path.name, f"feature {i}", "id", "missing")
        yield fid, props, feat.get("geometry")


def _representative_point(geom: dict | None) -> tuple[float, float] | None:
    """(lat, lon) of a geometry when the file gives no point: a Point, or the middle of a line.

    For polygons the files carry ``lat``/``lon`` properties; a vertex mean is the fallback.
    """
    if not geom:
        return None
    gtype, coords = geom.get("type"), cast(Any, geom.get("coordinates"))
    if gtype == "Point":
        return coords[1], coords[0]
    if gtype == "MultiPoint":
        return coords[0][1], coords[0][0]
    if gtype in ("LineString", "MultiLineString"):
        line = coords if gtype == "LineString" else max(coords, key=len)
        return _line_midpoint(line)
    rings: list = []
    if gtype == "Polygon":
        rings = coords[:1]
    elif gtype == "MultiPolygon":
        rings = [p[0] for p in coords]
    pts = [pt for ring in rings for pt in ring]
    if not pts:
        return None
    return sum(p[1] for p in pts) / len(pts), sum(p[0] for p in pts) / len(pts)


def _line_midpoint(line: list) -> tuple[float, float]:
    """Point half way along a line (equirectangular lengths are fine at this scale)."""
    if len(line) == 1:
        return line[0][1], line[0][0]
    lat0 = math.radians(line[0][1])
    pairs = list(zip(line, line[1:], strict=False))
    seglen = [math.hypot((b[0] - a[0]) * math.cos(lat0), b[1] - a[1]) for a, b in pairs]
    half, run = sum(seglen) / 2, 0.0
    for (a, b), s in zip(pairs, seglen, strict=True):
        if run + s >= half and s > 0:
            t = (half - run) / s
            return a[1] + t * (b[1] - a[1]), a[0] + t * (b[0] - a[0])
        run += s
    return line[-1][1], line[-1][0]


def _point_of(props: dict, geom: dict | None, file: str, rec: str) -> tuple[float, float]:
    if props.get("lat") not in (None, "") and props.get("lon") not in (None, ""):
        return (_coord(props["lat"], file, rec, "lat", 90),
                _coord(props["lon"], file, rec, "lon", 180))
    point = _representative_point(geom)
    if point is None:
        raise PlaceDataError(file, rec, "geometry", "no point: give lat/lon or a geometry")
    return point


def _geo_places(path: Path, default_kind: str | None, country: str | None) -> Iterator[Place]:
    name = path.name
    for fid, props, geom in _features(path):
        lat, lon = _point_of(props, geom, name, fid)
        label = _opt_str(props.get("name"))
        if not label:
            raise PlaceDataError(name, fid, "name", "missing")
        yield Place(
            id=fid,
            kind=_kind(props.get("kind") or default_kind, name, fid),
            name=label,
            names=_names(label, _str_list(props.get("names"), name, fid, "names")),
            name_ar=_opt_str(props.get("name_ar")),
            lat=lat,
            lon=lon,
            country=_opt_str(props.get("country")) or country or "",
            parent=_opt_str(props.get("parent")),
            population=_opt_int(props.get("population"), name, fid, "population"),
            population_year=_opt_int(props.get("population_year"), name, fid, "population_year"),
            approximate=_bool(props.get("approximate", False)),
            uncertainty_m=_opt_float(props.get("uncertainty_m"), name, fid, "uncertainty_m"),
            sources=_str_list(props.get("sources"), name, fid, "sources"),
            confidence=_opt_str(props.get("confidence")),
        )


def _alias_places(path: Path) -> Iterator[Place]:
    name = path.name
    for rec, row in _read_csv(path):
        pid = _opt_str(row.get("id"))
        if not pid:
            raise PlaceDataError(name, rec, "id", "missing")
        units = _split(row.get("units"))
        if not units:
            raise PlaceDataError(name, pid, "units", "an alias must name at least one unit")
        confidence = _opt_str(row.get("confidence"))
        if confidence is not None and confidence not in CONFIDENCES:
            raise PlaceDataError(name, pid, "confidence", f"not high|medium|low: {confidence!r}")
        label = _opt_str(row.get("name")) or pid
        yield Place(
            id=pid,
            kind=_kind(row.get("kind"), name, pid),
            name=label,
            names=_names(label, _split(row.get("variants"))),
            name_ar=_opt_str(row.get("name_ar")),
            lat=_coord(row.get("lat"), name, pid, "lat", 90),
            lon=_coord(row.get("lon"), name, pid, "lon", 180),
            country="SY",
            parent=_opt_str(row.get("parent")),
            population=None,
            population_year=None,
            approximate=_bool(row.get("approximate", "")),
            uncertainty_m=_opt_float(row.get("uncertainty_m"), name, pid, "uncertainty_m"),
            sources=_split(row.get("sources")),
            units=units,
            confidence=confidence,
        )


def _syria_admin(path: Path) -> Iterator[Place]:
    name = path.name
    for rec, row in _read_csv(path):
        pid = _opt_str(row.get("id"))
        if not pid:
            raise PlaceDataError(name, rec, "id", "missing")
        label = _opt_str(row.get("name")) or pid
        yield Place(
            id=pid,
            kind=_kind(row.get("kind"), name, pid),
            name=label,
            names=_names(label, _split(row.get("variants"))),
            name_ar=_opt_str(row.get("name_ar")),
            lat=_coord(row.get("lat"), name, pid, "lat", 90),
            lon=_coord(row.get("lon"), name, pid, "lon", 180),
            country="SY",
            parent=_opt_str(row.get("parent")),
            population=_opt_int(row.get("population"), name, pid, "population"),
            population_year=_opt_int(row.get("population_year"), name, pid, "population_year"),
            approximate=False,
            uncertainty_m=None,
            sources=_split(row.get("sources")),
        )


def _world(path: Path, kind: str) -> Iterator[Place]:
    """GeoNames rows: a lean loop over plain rows (thousands of rows; most of the load time)."""
    name = path.name
    _require(path)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        col = {h: i for i, h in enumerate(header)}
        missing = [c for c in ("id", "name", "lat", "lon") if c not in col]
        if missing:
            raise PlaceDataError(name, "header", missing[0], "column missing")
        width = len(header)

        def cell(row: list[str], key: str) -> str:
            i = col.get(key)
            return row[i] if i is not None and i < len(row) else ""

        for lineno, row in enumerate(reader, start=2):
            if len(row) < width:
                row = row + [""] * (width - len(row))
            pid = row[col["id"]]
            if not pid:
                raise PlaceDataError(name, f"line {lineno}", "id", "missing")
            try:
                lat, lon = float(row[col["lat"]]), float(row[col["lon"]])
            except ValueError:
                raise PlaceDataError(name, pid, "lat/lon", "missing or not a number") from None
            if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                raise PlaceDataError(name, pid, "lat/lon", f"out of range: {lat}, {lon}")
            label = row[col["name"]] or pid
            names = [label]
            variants = cell(row, "variants")
            for v in (cell(row, "asciiname"), *(variants.split(";") if variants else ())):
                if v and v not in names:
                    names.append(v)
            pop = cell(row, "population")
            uncertainty = cell(row, "uncertainty_m")
            srcs = cell(row, "sources")
            yield Place(
                id=pid,
                kind=kind,
                name=label,
                names=tuple(names),
                name_ar=None,
                lat=lat,
                lon=lon,
                country=cell(row, "country_code"),
                parent=cell(row, "parent") or None,
                population=_opt_int(pop, name, pid, "population") if pop else None,
                population_year=None,
                approximate=cell(row, "approximate") == "true",
                uncertainty_m=(_opt_float(uncertainty, name, pid, "uncertainty_m")
                               if uncertainty else None),
                sources=tuple(srcs.split(";")) if srcs else (),
            )


# ---------------------------------------------------------------- public API


def _all_places(data_dir: Path) -> Iterator[Place]:
    yield from _geo_places(data_dir / UNITS_FILE, "neighbourhood", "SY")
    yield from _alias_places(data_dir / ALIASES_FILE)
    yield from _syria_admin(data_dir / SYRIA_ADMIN_FILE)
    named = data_dir / NAMED_PLACES_FILE
    if named.exists():
        yield from _geo_places(named, None, None)
    yield from _world(data_dir / COUNTRIES_FILE, "country")
    yield from _world(data_dir / ADMIN1_FILE, "admin1")


def read_places(data_dir: Path = DATA_DIR) -> dict[str, Place]:
    """Read every place file in ``data_dir`` (uncached; :func:`load_places` caches).

    Raises
    ------
    PlaceDataError
        A record lacks a field, holds a bad value, or an id appears twice.
    """
    out: dict[str, Place] = {}
    for place in _all_places(data_dir):
        if place.id in out:
            raise PlaceDataError("data/places", place.id, "id", "the same id appears twice")
        out[place.id] = place
    return out


def read_geometries(data_dir: Path = DATA_DIR) -> dict[str, dict]:
    """Id -> GeoJSON geometry for units, governorates and named places (uncached)."""
    out: dict[str, dict] = {}
    for fname in (UNITS_FILE, GOVERNORATES_FILE, NAMED_PLACES_FILE):
        path = data_dir / fname
        if fname == NAMED_PLACES_FILE and not path.exists():
            continue
        for fid, _props, geom in _features(path):
            if geom:
                out[fid] = geom
    return out


@lru_cache(maxsize=1)
def load_places() -> dict[str, Place]:
    """Every place of ``data/places/`` keyed by id (cached; treat as read-only)."""
    return read_places()


@lru_cache(maxsize=1)
def load_geometries() -> dict[str, dict]:
    """Id -> GeoJSON geometry (WGS84, full detail; cached; treat as read-only)."""
    return read_geometries()


@lru_cache(maxsize=1)
def load_sources() -> dict[str, dict]:
    """Source id -> ``{publisher, title, date, url, licence, note}`` (cached)."""
    doc = _read_json(DATA_DIR / SOURCES_FILE)
    if not isinstance(doc, dict):
        raise PlaceDataError(SOURCES_FILE, "-", "-", "expected an object keyed by source id")
    return doc


def units_of(place_id: str) -> tuple[str, ...]:
    """The neighbourhood unit ids a place stands for: itself for a unit, its units for an alias."""
    place = load_places()[place_id]
    if place.units:
        return place.units
    return (place.id,) if place.kind == "neighbourhood" else ()
