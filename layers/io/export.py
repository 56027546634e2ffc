"""Write a selection (layer name -> GeoDataFrame) as GeoJSON, GeoPackage, KML or CSV.

Every property is kept; nested values (``sources``, lists of actors) become JSON strings
where the format has no nested types (GeoJSON gets them back as JSON arrays). Dates are
ISO 8601. The attribution travels in each format's own place: a foreign member of the
FeatureCollection, GeoPackage metadata and table descriptions, KML folder descriptions, a
CSV column. Output is written to a temporary file next to the target and moved into place,
so a failed export never leaves half a file.

Text GDAL would cut short (a NUL character) is refused, naming the layer, feature and field.
Other control characters are written exactly, except in KML: XML 1.0 cannot hold most of
them at all (not even escaped), so there they become U+FFFD (the replacement character).
CSV cells and header names that a spreadsheet would run as a formula get a leading
apostrophe. The CSV has one header row by default, so GDAL and spreadsheets read every other
row as data; the HXL hashtag row (for humanitarian tools) is an option.

GeoPackages are written as version 1.2 (:data:`GPKG_DATASET_OPTIONS`): GDAL 3.12 would
otherwise write 1.4, which GDAL 3.6 and the QGIS long-term releases built on it open with a
warning that the file "may be only partly supported".
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from layers.io.hxl import hashtag
from layers.io.values import as_wgs84, flatten, printable, size_estimate, unstorable_text

FORMATS = ("geojson", "gpkg", "kml", "csv")
SUFFIXES = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml", "csv": ".csv"}
MEDIA_TYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "kml": "application/vnd.google-earth.kml+xml",
    "csv": "text/csv",
}
try:  # pyarrow (installed with streamlit) lets pyogrio hand columns to GDAL in bulk: faster
    import pyarrow  # noqa: F401

    ARROW = True
except ImportError:  # pragma: no cover - pyogrio falls back to its row-wise path
    ARROW = False
DATE_COLUMNS = {"date", "valid_from", "valid_to", "status_from", "status_to"}
#: GDAL dataset creation options for every GeoPackage Cordon creates (exports and the store).
GPKG_DATASET_OPTIONS = {"VERSION": "1.2"}
PRECISION = 7  # decimal places of degrees kept (about 1 cm), as RFC 7946 writers do
ATTRIBUTION = (
    "Made with Cordon. Each feature names its sources (publisher, title, date, URL); reuse "
    "must credit them. Full notice: data/ATTRIBUTION.md in Cordon."
)
ATTRIBUTION_FILE = Path(__file__).resolve().parents[2] / "data" / "ATTRIBUTION.md"


@functools.cache
def default_attribution() -> str:
    """The short notice in ``data/ATTRIBUTION.md`` (first quoted block) + :data:`ATTRIBUTION`."""
    try:
        lines = ATTRIBUTION_FILE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return ATTRIBUTION
    quote: list[str] = []
    for line in lines:
        if line.startswith(">"):
            quote.append(line.lstrip(">").strip())
        elif quote:
            break
    short = " ".join(q for q in quote if q)
    return f"{short} {ATTRIBUTION}" if short else ATTRIBUTION


class ExportError(ValueError):
    """An export that cannot be written (unknown format, unwritable target)."""


def _prepare(name: str, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    wgs84 = as_wgs84(gdf)
    if wgs84 is None:
        raise ExportError(f"layer '{name}' is not a GeoDataFrame")
    out = flatten(wgs84)
    problem = unstorable_text(out)
    if problem is not None:
        row, column, what = problem
        where = f"layer '{name}'"
        if row is not None:
            fid = f" (id '{printable(out['id'].iloc[row])}')" if "id" in out.columns else ""
            where += f", feature {row + 1}{fid}"
        raise ExportError(f"{where}: field {'name ' if row is None else ''}"
                          f"'{printable(column)}' contains {what}; remove it and export again")
    for col in out.columns:  # JSON has no infinity: GDAL would drop the property silently
        if col != "geometry" and pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].where(np.isfinite(out[col]), np.nan)
    for col in DATE_COLUMNS.intersection(out.columns):
        if not pd.api.types.is_numeric_dtype(out[col]):  # "" (ongoing) is no date: null
            out[col] = out[col].astype(object).where(out[col].notna() & (out[col] != ""), None)
    return out


def _geojson(selection: Mapping[str, gpd.GeoDataFrame], path: Path, attribution: str) -> None:
    """Each layer is written by GDAL (RFC 7946) on its own, so every feature carries only
    its layer's properties; the feature arrays are then joined into one collection."""
    chunks = []
    for name, gdf in selection.items():
        g = _prepare(name, gdf)
        if g.empty:
            continue
        if "layer" in g.columns:  # keep a user's own 'layer' column under another name
            g = g.rename(columns={"layer": "source_layer"})
        g.insert(0, "layer", name)
        buf = io.BytesIO()  # in memory: the layer's text is spliced, never re-read from disk
        pyogrio.write_dataframe(
            g, buf, layer=name, driver="GeoJSON",
            layer_options={
                "RFC7946": "YES",  # lon/lat WGS84, right-hand winding, no crs, 7 decimals
                "WRITE_NAME": "NO",
            },
            use_arrow=ARROW,
        )
        text = buf.getvalue()
        start = text.index(b"[", text.index(b'"features"')) + 1
        body = text[start:text.rindex(b"]")].strip()
        if body:
            chunks.append(body)
    head = json.dumps({"type": "FeatureCollection", "attribution": attribution},
                      ensure_ascii=False)[:-1]
    with path.open("wb") as fh:
        fh.write(head.encode("utf-8") + b',\n"features": [\n')
        fh.write(b",\n".join(chunks))
        fh.write(b"\n]\n}\n")


def _gpkg(selection: Mapping[str, gpd.GeoDataFrame], path: Path, attribution: str) -> None:
    first = True
    for name, gdf in selection.items():
        g = _prepare(name, gdf)
        kwargs = {}
        if g.empty:
            kwargs["geometry_type"] = "Unknown"
        pyogrio.write_dataframe(
            g, path, layer=name, driver="GPKG", append=not first,
            layer_options={"DESCRIPTION": attribution},
            dataset_metadata={"ATTRIBUTION": attribution} if first else None,
            dataset_options=GPKG_DATASET_OPTIONS if first else None,
            **kwargs,
        )
        first = False
    if first:
        raise ExportError("nothing to export: the selection has no layers")


# Characters XML 1.0 forbids even as references (all C0 controls but tab, newline, CR): LIBKML
# writes them raw, and the file then fails to parse in Google Earth and in GDAL itself.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(g: gpd.GeoDataFrame) -> None:
    """Replace the characters XML cannot hold with U+FFFD, in every text column of ``g``."""
    for j in range(g.shape[1]):
        s = g.iloc[:, j]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            g.iloc[:, j] = [_NOT_XML.sub("\ufffd", v) if isinstance(v, str) else v for v in s]


def _kml(selection: Mapping[str, gpd.GeoDataFrame], path: Path, attribution: str) -> None:
    first = True
    for name, gdf in selection.items():
        g = _prepare(name, gdf)
        _xml_text(g)
        # A KML description is rendered as HTML by Google Earth: escape ours to plain text.
        if "description" in g.columns:
            g["description"] = [None if v is None else html.escape(str(v), quote=False)
                                for v in g["description"]]
        if "name" not in g.columns and "title" in g.columns:
            g.insert(0, "name", g["title"])
        _kml_time(g)
        pyogrio.write_dataframe(
            g, path, layer=name, driver="LIBKML", append=not first,
            layer_options={"FOLDER": "YES", "DESCRIPTION": html.escape(attribution, quote=False)},
            geometry_type="Unknown" if g.empty else None,
        )
        first = False
    if first:
        raise ExportError("nothing to export: the selection has no layers")


def _kml_time(g: gpd.GeoDataFrame) -> None:
    """Give LIBKML its time fields so Google Earth's time slider works: validity intervals
    become a TimeSpan (``begin``/``end``), dated events a TimeStamp (``timestamp``)."""
    if "valid_from" in g.columns and "begin" not in g.columns:
        g["begin"] = g["valid_from"]
        if "valid_to" in g.columns and "end" not in g.columns:
            g["end"] = g["valid_to"]
    elif "date" in g.columns and "timestamp" not in g.columns:
        g["timestamp"] = g["date"]


def _point_columns(geoms: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray, list[str | None]]:
    arr = np.asarray(geoms.values, dtype=object)
    missing = shapely.is_missing(arr) | shapely.is_empty(arr)
    is_point = shapely.get_type_id(arr) == 0
    rep = arr.copy()
    other = ~is_point & ~missing
    rep[other] = shapely.point_on_surface(arr[other])
    lon = np.full(len(arr), np.nan)
    lat = np.full(len(arr), np.nan)
    ok = ~missing
    lon[ok] = np.round(shapely.get_x(rep[ok]), PRECISION)
    lat[ok] = np.round(shapely.get_y(rep[ok]), PRECISION)
    wkt: list[str | None] = [None] * len(arr)
    if other.any():
        shapes = arr[other].copy()
        # rounding a polygon's coordinates one by one can make it self-intersect (a dissolved
        # zone's narrow necks); snap polygons to the grid with valid output first
        poly = np.isin(shapely.get_type_id(shapes), (3, 6))
        shapes[poly] = shapely.set_precision(shapes[poly], 10.0 ** -PRECISION)
        texts = shapely.to_wkt(shapes, rounding_precision=PRECISION, trim=True)
        for i, t in zip(np.flatnonzero(other), texts, strict=True):
            wkt[i] = t
    return lat, lon, wkt


def _csv(selection: Mapping[str, gpd.GeoDataFrame], path: Path, attribution: str, *,
         hxl: bool = False) -> None:
    frames = []
    for name, gdf in selection.items():
        g = _prepare(name, gdf)
        lat, lon, wkt = _point_columns(g.geometry)
        props = pd.DataFrame(g.drop(columns="geometry"))
        if "layer" in props.columns:
            props = props.rename(columns={"layer": "source_layer"})
        for col in ("lat", "lon", "wkt", "attribution"):
            if col in props.columns:
                props = props.rename(columns={col: f"{col}_property"})
        head = pd.DataFrame({"layer": name, "lat": lat, "lon": lon, "wkt": wkt},
                            index=props.index)
        frames.append(pd.concat([head, props], axis=1))
    if not frames:
        raise ExportError("nothing to export: the selection has no layers")
    table = pd.concat(frames, ignore_index=True)
    table["attribution"] = attribution
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        # Header cells are cells too: a column named "=HYPERLINK(...)" would run in row 1.
        writer.writerow([_cell(c) for c in table.columns])
        if hxl:  # a second header row: GDAL and spreadsheets would read it as a feature
            writer.writerow([_cell(hashtag(c)) for c in table.columns])
        for row in table.itertuples(index=False, name=None):
            writer.writerow(["" if _blank(v) else _cell(v) for v in row])


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain decimal number: what a spreadsheet reads as a number, not a formula. Python's
# float() accepts more ("-inf", "-nan", "+1_000", surrounding spaces), which Excel parses
# as a formula.
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START) and not _is_number(text):
        # A spreadsheet would run "=HYPERLINK(...)" from a feature name as a formula (CSV
        # injection): a leading apostrophe makes it plain text, as OWASP advises.
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


WRITERS = {"geojson": _geojson, "gpkg": _gpkg, "kml": _kml, "csv": _csv}


def export(
    selection: Mapping[str, gpd.GeoDataFrame],
    fmt: str,
    out: str | os.PathLike | BinaryIO,
    *,
    attribution: str | None = None,
    hxl: bool = False,
) -> None:
    """Write ``selection`` to ``out`` in ``fmt``.

    Parameters
    ----------
    selection : mapping of str to GeoDataFrame
        Layer name -> features (see :func:`layers.selection.select`); order is kept.
    fmt : {"geojson", "gpkg", "kml", "csv"}
        GeoJSON: one RFC 7946 FeatureCollection, each feature with a ``layer`` property.
        GeoPackage: a table per layer. KML: a folder per layer. CSV: one row per feature,
        ``lat``/``lon`` (the point, or a point on the shape) and ``wkt`` for other shapes.
        GeoPackages are version 1.2 (see the module docstring).
    out : path or binary file
        A path is replaced atomically; a file object receives the bytes.
    attribution : str, optional
        Who to credit; defaults to :func:`default_attribution`.
    hxl : bool
        CSV only: add HXL hashtags (https://hxlstandard.org) as a second header row. Off by
        default, since GDAL and spreadsheets take that row for a feature.

    Raises
    ------
    ExportError
        Unknown format, empty selection (GPKG, KML, CSV) or a target that cannot be written.
    """
    fmt = str(fmt).lower()
    if fmt not in WRITERS:
        raise ExportError(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    text = attribution or default_attribution()
    is_path = isinstance(out, str | os.PathLike)
    target_dir = Path(out).resolve().parent if is_path else None
    if target_dir is not None and not target_dir.is_dir():
        raise ExportError(f"cannot write '{out}': folder '{target_dir}' does not exist")
    try:
        tmpdir = tempfile.mkdtemp(prefix=".cordon-export-", dir=target_dir)
    except OSError as exc:
        raise ExportError(f"cannot write '{out}': {exc.strerror or exc}") from None
    try:
        tmp = Path(tmpdir) / ("export" + SUFFIXES[fmt])
        if fmt == "csv":
            _csv(selection, tmp, text, hxl=hxl)
        else:
            WRITERS[fmt](selection, tmp, text)
        if is_path:
            os.replace(tmp, out)
        else:
            with tmp.open("rb") as fh:
                shutil.copyfileobj(fh, out)  # type: ignore[arg-type]
    except (OSError, pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise _cannot_write(out, Path(tmpdir).parent, exc, selection) from None
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _cannot_write(out: object, folder: Path, exc: BaseException,
                  selection: Mapping[str, gpd.GeoDataFrame]) -> ExportError:
    """The error for a write that failed: "full" in plain words when lack of room is why
    (GDAL reports a full disk as "Failed to commit transaction" or a missing table)."""
    # Imported here: layers.store imports layers.io, whose package imports this module.
    from layers.store import MIB, no_room, plain_reason

    # The output is about as large as the data; twice that covers GDAL's journal and pages.
    need = 2 * sum(size_estimate(g) for g in selection.values()
                   if isinstance(g, gpd.GeoDataFrame)) + MIB
    reason = no_room(folder, need, need, exc)
    if reason is not None:
        return ExportError(f"cannot write '{out}': the disk or folder is full ({reason}); "
                           "nothing was written")
    return ExportError(f"cannot write '{out}': {plain_reason(exc)}")


def export_bytes(selection: Mapping[str, gpd.GeoDataFrame], fmt: str, **kwargs) -> bytes:
    """The export as bytes (for a download button)."""
    buf = io.BytesIO()
    export(selection, fmt, buf, **kwargs)
    return buf.getvalue()
