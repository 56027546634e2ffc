"""Readers for the import formats, run inside the import sandbox (:mod:`layers.io.sandbox`).

Each returns one checked GeoDataFrame or raises :class:`InputError` naming the file, the
feature (or CSV line) and the field. Invalid geometries are repaired with
``shapely.make_valid`` and listed in ``gdf.attrs["repairs"]``; other notes (reprojection,
an assumed CRS, skipped tables) go to ``gdf.attrs["notes"]``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from layers.io.errors import InputError
from layers.io.values import to_json

LAT_NAMES = ("latitude", "lat", "y", "decimallatitude", "lat_dd")
LON_NAMES = ("longitude", "lon", "lng", "long", "x", "decimallongitude", "lon_dd")
WKT_NAMES = ("wkt", "wkt_geom", "geometry", "geom", "the_geom")
# Fields LIBKML adds to every placemark; dropped when the file leaves them empty.
KML_FIELDS = ("timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude",
              "visibility", "drawOrder", "icon", "snippet")
ACLED_KEYS = {"event_date", "event_type", "latitude", "longitude"}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%Y/%m/%d")


def _label(i: int, ids: list | None, layer: str | None = None) -> str:
    text = f"feature {i + 1}"
    if ids is not None and ids[i] is not None and ids[i] == ids[i]:
        text += f" (id '{ids[i]}')"
    if layer:
        text += f" of layer '{layer}'"
    return text


def _ids(gdf: pd.DataFrame) -> list | None:
    for col in ("id", "ID", "Id", "event_id_cnty", "fid"):
        if col in gdf.columns:
            return list(gdf[col])
    return None


def check_geometry(gdf: gpd.GeoDataFrame, file: str, *, layer: str | None = None,
                   labels: list[str] | None = None, assume_wgs84: bool = False,
                   notes: list[str] | None = None) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326, check presence and ranges, repair invalid shapes.

    Parameters
    ----------
    gdf : GeoDataFrame
        As read; its CRS may be anything or None.
    file : str
        For messages.
    layer : str, optional
        The layer inside the file, for messages.
    labels : list of str, optional
        How to name each row in messages (e.g. CSV lines); default "feature N (id ...)".
    assume_wgs84 : bool
        Take a missing CRS as EPSG:4326 (GeoJSON, CSV); otherwise a missing CRS is accepted
        only when every coordinate is a valid lon/lat, and noted.
    notes : list of str, optional
        Receives what was done (reprojection, assumptions).

    Returns
    -------
    GeoDataFrame
        In EPSG:4326 with ``attrs["repairs"]`` listing repaired features.
    """
    notes = notes if notes is not None else []
    ids = _ids(gdf)
    name = (lambda i: labels[i]) if labels else (lambda i: _label(i, ids, layer))  # noqa: E731
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise InputError(file, name(i), "geometry", "missing or empty geometry")
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
        gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
    if gdf.crs is None:
        if not assume_wgs84:
            notes.append(f"{layer or 'data'}: no coordinate reference system; "
                         "taken as WGS84 lon/lat")
        gdf = gdf.set_crs(4326)
    elif not gdf.crs.equals("EPSG:4326"):
        src = gdf.crs.to_string()
        bad = _out_of_range(geoms) if gdf.crs.is_geographic else np.zeros(len(geoms), bool)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(file, name(i), "geometry",
                             f"coordinates outside lon -180..180 / lat -90..90 ({src})")
        try:
            gdf = gdf.to_crs(4326)
        except Exception as exc:  # pyproj raises several types
            raise InputError(file, layer and f"layer '{layer}'", "geometry",
                             f"cannot reproject from {src}: {exc}") from None
        notes.append(f"{layer or 'data'}: reprojected from {src} to EPSG:4326")
        geoms = np.asarray(gdf.geometry.values, dtype=object)
    bad = _out_of_range(geoms)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        x0, y0, x1, y1 = shapely.bounds(geoms[i])
        raise InputError(file, name(i), "geometry",
                         f"coordinates outside lon -180..180 / lat -90..90 "
                         f"(bounds {x0:g},{y0:g},{x1:g},{y1:g}); is the CRS right?")
    invalid = ~shapely.is_valid(geoms)
    repairs: list[str] = []
    if invalid.any():
        idx = np.flatnonzero(invalid)
        reasons = shapely.is_valid_reason(geoms[idx])
        fixed = shapely.make_valid(geoms[idx], method="structure", keep_collapsed=False)
        for i, reason, geom in zip(idx, reasons, fixed, strict=True):
            if geom is None or shapely.is_empty(geom):
                raise InputError(file, name(int(i)), "geometry",
                                 f"invalid geometry ({reason}) that collapses when repaired")
            repairs.append(f"{name(int(i))}: invalid geometry ({reason}) repaired")
        geoms = geoms.copy()
        geoms[idx] = fixed
        gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=4326))
    gdf.attrs["repairs"] = repairs
    return gdf


def _out_of_range(geoms: np.ndarray) -> np.ndarray:
    b = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        return (~np.isfinite(b).all(axis=1) | (b[:, 0] < -180) | (b[:, 2] > 180)
                | (b[:, 1] < -90) | (b[:, 3] > 90))


def _tidy_kml(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    # LIBKML fills tessellate/extrude/visibility with -1 when the file does not set them.
    drop = [c for c in KML_FIELDS if c in gdf.columns
            and (gdf[c].isna() | gdf[c].astype(str).isin(["-1", "<NA>"])).all()]
    if "id" in gdf.columns and gdf["id"].astype(str).str.fullmatch(r".+\.\d+").all():
        drop.append("id")  # LIBKML's own placemark ids ("layer.N"), not the user's
    gdf = gdf.drop(columns=drop)
    if "Name" in gdf.columns and "name" not in gdf.columns:
        gdf = gdf.rename(columns={"Name": "name"})
    return gdf


def max_features() -> int:
    """The most features one import may hold (``CORDON_IMPORT_MAX_FEATURES``, 5,000,000)."""
    try:
        return int(os.environ.get("CORDON_IMPORT_MAX_FEATURES", 5_000_000))
    except ValueError:
        return 5_000_000


def _geojson_ids(path: Path, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Keep integer GeoJSON feature ids: GDAL turns them into its feature ids (FIDs), which a
    plain read drops. Sequential FIDs 0..n-1 are GDAL's own numbering unless the file itself
    writes numeric ids."""
    fids = gdf.index.to_numpy()
    gdf = gdf.reset_index(drop=True)
    if "id" in gdf.columns or not len(fids):
        return gdf
    sequential = np.array_equal(fids, np.arange(len(fids)))
    if sequential:
        with open(path, "rb") as fh:
            if not re.search(rb'"id"\s*:\s*-?\d', fh.read(1 << 16)):
                return gdf
    gdf.insert(0, "id", pd.array(fids, dtype="Int64"))
    return gdf


def _check_nul(path: Path, file: str) -> None:
    """GDAL cuts text at a NUL character (``x\\u0000y`` would arrive as ``x``): refuse it
    rather than lose text silently."""
    pattern = re.compile(rb"\\u0000")
    with open(path, "rb") as fh:
        carry = b""
        while block := fh.read(1 << 22):
            data = carry + block
            m = pattern.search(data)
            if m:
                raise InputError(file, None, None,
                                 "text holds a NUL character (\\u0000), which GIS formats "
                                 "cannot keep; remove it and import again")
            carry = data[-8:]


def read_vector(path: Path, file: str, driver: str, name: str | None, notes: list[str],
                skip: dict[str, str] | None = None) -> gpd.GeoDataFrame:
    """Read a GeoJSON, GeoPackage or KML/KMZ file with ``driver`` (the only one GDAL has).

    Parameters
    ----------
    path : Path
        The file.
    file : str
        Its name for messages.
    driver : str
        ``GeoJSON``, ``GPKG`` or ``LIBKML``.
    name : str or None
        One layer to read; default all.
    notes : list of str
        Receives what was done or skipped.
    skip : dict, optional
        Layers never to read, with why (GeoPackage views).

    Returns
    -------
    GeoDataFrame
    """
    skip = skip or {}
    if driver == "GeoJSON":
        _check_nul(path, file)
    try:
        listed = pyogrio.list_layers(path)
    except Exception as exc:
        raise InputError(file, None, None, f"cannot be read as {driver}: {exc}") from None
    layers = [(str(n), g) for n, g in listed]
    if name is not None:
        match = [lg for lg in layers if lg[0] == name]
        if not match:
            have = ", ".join(n for n, _ in layers) or "none"
            raise InputError(file, f"layer '{name}'", None, f"no such layer (layers: {have})")
        if name in skip:
            raise InputError(file, f"layer '{name}'", None, f"is {skip[name]}; refused")
        layers = match
    for layer in [n for n, _ in layers if n in skip]:
        notes.append(f"layer '{layer}' is {skip[layer]}; skipped")
    layers = [lg for lg in layers if lg[0] not in skip]
    limit = max_features()
    frames = []
    for layer, gtype in layers:
        try:
            count = pyogrio.read_info(path, layer=layer).get("features", 0)
            if count is not None and count > limit:
                raise InputError(file, f"layer '{layer}'", None,
                                 f"has {count:,} features; the limit for one import is {limit:,}"
                                 " (CORDON_IMPORT_MAX_FEATURES)")
            # Dates stay as the file writes them (GeoJSON would otherwise guess types).
            opts = {"DATE_AS_STRING": "YES"} if driver == "GeoJSON" else {}
            with warnings.catch_warnings():  # GDAL's asides (renumbered duplicate feature
                warnings.simplefilter("ignore")  # ids, JSON-looking text) are not errors
                gdf = pyogrio.read_dataframe(path, layer=layer, fid_as_index=True, **opts)
        except InputError:
            raise
        except MemoryError:
            raise
        except Exception as exc:
            raise InputError(file, f"layer '{layer}'", None, f"cannot be read: {exc}") from None
        if driver == "GeoJSON":
            gdf = _geojson_ids(path, gdf)
        else:
            gdf = gdf.reset_index(drop=True)
        if gtype is None or "geometry" not in gdf.columns or not isinstance(
            gdf, gpd.GeoDataFrame
        ):
            if name is not None or len(layers) == 1:
                raise InputError(file, f"layer '{layer}'", "geometry",
                                 "has no geometry (not a geographic layer)")
            notes.append(f"layer '{layer}' has no geometry; skipped")
            continue
        if gdf.empty:
            notes.append(f"layer '{layer}' is empty")
            continue
        if driver == "LIBKML":
            gdf = _tidy_kml(gdf)
        label = layer if len(layers) > 1 else None
        gdf = check_geometry(gdf, file, layer=label, assume_wgs84=driver == "GeoJSON",
                             notes=notes)
        repairs = gdf.attrs.get("repairs", [])
        if len(layers) > 1:
            gdf.insert(0, "source_layer", layer)
        gdf.attrs = {"repairs": repairs}
        frames.append(gdf)
    if not frames:
        raise InputError(file, None, "geometry", "no features with geometry in the file")
    repairs = [r for f in frames for r in f.attrs.get("repairs", [])]
    out = frames[0] if len(frames) == 1 else gpd.GeoDataFrame(
        pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)
    out.attrs = {"repairs": repairs}
    return out


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {c.strip().lower(): c for c in columns}
    for n in names:
        if n in lowered:
            return lowered[n]
    return None


def _iso(text: str, file: str, where: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise InputError(file, where, field, "missing date")
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise InputError(file, where, field, f"'{text}' is not a date (YYYY-MM-DD)")


_INT = r"\s*[+-]?\d+\s*"
_FLOAT = r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*"


def _numeric(col: pd.Series) -> pd.Series:
    """Numbers stay numbers; codes with leading zeros and any text stay text.

    Decided with string patterns and converted by Arrow, so a column of a million cells is
    never turned into Python objects."""
    if not pd.api.types.is_string_dtype(col):
        return col
    filled = col.fillna("")
    vals = filled[filled != ""]
    if vals.empty or vals.str.match(r"^\s*[+-]?0\d").any():
        return col
    kind = ("Int64" if vals.str.fullmatch(_INT).all()
            else "Float64" if vals.str.fullmatch(_FLOAT).all() else None)
    if kind is None:
        return col
    try:
        out = filled.str.strip().replace("", None).astype(kind)
    except (ValueError, TypeError, OverflowError):
        return col  # e.g. an integer beyond 64 bits: keep the text
    return out if kind == "Int64" else out.astype("float64")


#: Rows gathered in plain lists before they are packed into compact string arrays.
CSV_CHUNK_ROWS = 100_000


class _Columns:
    """CSV cells gathered column by column, packed every :data:`CSV_CHUNK_ROWS` rows into
    Arrow-backed string arrays, so memory follows the data's size rather than a Python
    object per cell (a 200 MB file would otherwise need several GB)."""

    def __init__(self, width: int):
        self.width = width
        self.pending: list[list[str]] = [[] for _ in range(width)]
        self.packed: list[list[pd.api.extensions.ExtensionArray]] = [[] for _ in range(width)]
        self.lines: list[np.ndarray] = []
        self.pending_lines: list[int] = []

    def add(self, row: list[str], line: int) -> None:
        for col, value in zip(self.pending, row, strict=True):
            col.append(value)
        self.pending_lines.append(line)
        if len(self.pending_lines) >= CSV_CHUNK_ROWS:
            self.pack()

    def pack(self) -> None:
        if not self.pending_lines:
            return
        for i, col in enumerate(self.pending):
            self.packed[i].append(pd.array(col, dtype="string[pyarrow]"))
            self.pending[i] = []
        self.lines.append(np.asarray(self.pending_lines, dtype=np.int64))
        self.pending_lines = []

    def frame(self, header: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
        self.pack()
        cols = {name: pd.Series(pd.concat([pd.Series(a) for a in parts], ignore_index=True)
                                if parts else pd.array([], dtype="string[pyarrow]"))
                for name, parts in zip(header, self.packed, strict=True)}
        lines = np.concatenate(self.lines) if self.lines else np.zeros(0, np.int64)
        return pd.DataFrame(cols), lines


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if len(hits) else None


def _coordinates(table: pd.DataFrame, col: str, file: str, lines: np.ndarray) -> np.ndarray:
    """A coordinate column as floats; the first missing, non-numeric or infinite value is an
    error naming its line."""
    text = table[col].str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    i = _first(~np.isfinite(values))
    if i is not None:
        raw = text.iloc[i]
        why = ("missing value" if not raw else f"'{raw}' is not a finite number"
               if raw.lower().lstrip("+-") in ("inf", "infinity", "nan")
               else f"'{raw}' is not a number")
        raise InputError(file, f"line {lines[i]}", col, why)
    return values


def _open_text(path: Path, file: str) -> io.TextIOWrapper:
    try:
        return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        raise InputError(file, None, None, f"cannot be read: {exc.strerror}") from None


def read_csv(path: Path, file: str, notes: list[str]) -> gpd.GeoDataFrame:
    """Read a CSV of points (latitude/longitude columns) or shapes (a WKT column), streaming.

    Parameters
    ----------
    path : Path
        The file (UTF-8; ``,``, ``;`` or tab separated; an HXL hashtag row under the header
        is skipped).
    file : str
        Its name for messages.
    notes : list of str
        Receives what was done.

    Returns
    -------
    GeoDataFrame
        EPSG:4326; an ACLED export gains Cordon's fields (date, type, actors, sources).
    """
    with _open_text(path, file) as fh:
        try:
            sample = fh.read(20000)
        except UnicodeDecodeError:
            raise InputError(file, "line 1", None,
                             "not UTF-8 text; save the CSV as UTF-8") from None
        if not sample.strip():
            raise InputError(file, None, None, "the file is empty")
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        fh.seek(0)
        if fh.read(1) != "\ufeff":
            fh.seek(0)
        reader = csv.reader(fh, dialect)
        header, columns = None, None
        hxl_checked = False
        end = 0
        try:
            for row in reader:
                start, end = end + 1, reader.line_num
                if header is None:
                    header = [h.strip() for h in row]
                    if len(set(header)) != len(header):
                        dup = next(h for h in header if header.count(h) > 1)
                        raise InputError(file, "line 1", dup, "column name appears twice")
                    columns = _Columns(len(header))
                    continue
                if not any(c.strip() for c in row):
                    continue
                if not hxl_checked:
                    hxl_checked = True
                    if all(c.strip().startswith("#") for c in row if c.strip()):
                        continue  # an HXL hashtag row
                if len(row) != len(header):
                    raise InputError(file, f"line {start}", None,
                                     f"{len(row)} values for {len(header)} columns")
                columns.add(row, start)
        except UnicodeDecodeError:
            raise InputError(file, f"line {end + 1}", None,
                             "not UTF-8 text; save the CSV as UTF-8") from None
        except csv.Error as exc:
            raise InputError(file, f"line {reader.line_num}", None,
                             f"not readable as CSV ({exc})") from None
    if header is None:
        raise InputError(file, None, None, "the file is empty")
    lat_c, lon_c = _find(header, LAT_NAMES), _find(header, LON_NAMES)
    wkt_c = _find(header, WKT_NAMES)
    if (lat_c is None) != (lon_c is None):
        missing = "longitude" if lon_c is None else "latitude"
        raise InputError(file, "line 1", missing,
                         f"no {missing} column (looked for "
                         f"{', '.join(LON_NAMES if lon_c is None else LAT_NAMES)})")
    if lat_c is None and wkt_c is None:
        raise InputError(file, "line 1", None,
                         "no coordinates: need latitude and longitude columns or a WKT column"
                         " (not a geographic table)")
    table, lines = columns.frame(header)
    del columns
    if table.empty:
        raise InputError(file, None, None, "no rows")
    geoms = np.empty(len(table), dtype=object)
    has_wkt = np.zeros(len(table), dtype=bool)
    if wkt_c:
        wkt = table[wkt_c].str.strip()
        has_wkt = (wkt != "").to_numpy(dtype=bool, na_value=False)
        if has_wkt.any():
            parsed = shapely.from_wkt(wkt[has_wkt].to_numpy(dtype=object), on_invalid="ignore")
            bad = _first(shapely.is_missing(parsed))
            if bad is not None:
                i = int(np.flatnonzero(has_wkt)[bad])
                raise InputError(file, f"line {lines[i]}", wkt_c, "not valid WKT")
            geoms[has_wkt] = parsed
    need = ~has_wkt
    if need.any():
        if lat_c is None:
            raise InputError(file, f"line {lines[_first(need)]}", wkt_c, "missing geometry")
        sub = table[need]
        lat = _coordinates(sub, lat_c, file, lines[need])
        lon = _coordinates(sub, lon_c, file, lines[need])
        i = _first((lat < -90) | (lat > 90))
        if i is not None:
            hint = " (latitude and longitude swapped?)" if -90 <= lon[i] <= 90 else ""
            raise InputError(file, f"line {lines[need][i]}", lat_c,
                             f"{lat[i]:g} is outside -90..90{hint}")
        i = _first((lon < -180) | (lon > 180))
        if i is not None:
            raise InputError(file, f"line {lines[need][i]}", lon_c,
                             f"{lon[i]:g} is outside -180..180")
        geoms[need] = shapely.points(lon, lat)
    labels = LineLabels(lines)
    props = table.drop(columns=[c for c in (lat_c, lon_c, wkt_c) if c])
    del table
    if ACLED_KEYS <= {c.lower() for c in header}:
        props = _acled(props, file, labels)
    for col in props.columns:
        keep_text = ("id", "date", "sources", "actors")
        if not pd.api.types.is_numeric_dtype(props[col]) and col not in keep_text:
            props[col] = _numeric(props[col])
    gdf = gpd.GeoDataFrame(props, geometry=geoms, crs=4326)
    return check_geometry(gdf, file, labels=labels, assume_wgs84=True, notes=notes)


class LineLabels:
    """``labels[i]`` is "line N" of row i, made on demand (no string per row kept)."""

    def __init__(self, lines: np.ndarray):
        self.lines = lines

    def __getitem__(self, i: int) -> str:
        return f"line {int(self.lines[i])}"

    def __len__(self) -> int:
        return len(self.lines)

    def __bool__(self) -> bool:
        return True


def _acled(props: pd.DataFrame, file: str, labels: list[str]) -> pd.DataFrame:
    """Add Cordon's fields to an ACLED export, keeping ACLED's own columns."""
    col = {c.lower(): c for c in props.columns}
    get = lambda rec, key: (rec.get(col[key], "") if key in col else "").strip()  # noqa: E731
    dates, actors, sources, names, approx, ids = [], [], [], [], [], []
    for i, rec in enumerate(props.to_dict("records")):
        day = _iso(rec[col["event_date"]], file, labels[i], col["event_date"])
        dates.append(day)
        actors.append(";".join(a for a in (get(rec, "actor1"), get(rec, "actor2")) if a))
        ident = get(rec, "event_id_cnty") or None
        ids.append(ident)
        reported = get(rec, "source")
        sources.append(to_json([{
            "publisher": "ACLED",
            "title": f"ACLED event {ident or labels[i]}"
                     + (f" (reported by {reported})" if reported else ""),
            "date": day, "url": "https://acleddata.com/"}]))
        names.append(get(rec, "location") or None)
        approx.append(get(rec, "geo_precision") not in ("", "1"))
    out = props.copy()
    out["date"] = dates
    out["type"] = list(props[col["event_type"]])
    out["actors"] = actors
    if "id" not in out.columns:
        out["id"] = ids
    if "name" not in out.columns:
        out["name"] = names
    out["approximate"] = approx
    if "sources" not in out.columns:
        out["sources"] = sources
    return out


