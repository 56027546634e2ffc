"""Read a user's GeoJSON, GeoPackage, KML or CSV into one checked GeoDataFrame.

The result is all or nothing: any problem raises :class:`InputError` naming the file, the
feature (or CSV line) and the field. Invalid geometries are repaired with
``shapely.make_valid`` and listed in ``gdf.attrs["repairs"]``; other notes (reprojection,
an assumed CRS, skipped tables) go to ``gdf.attrs["notes"]``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from layers.io.errors import InputError
from layers.io.values import to_json

VECTOR_SUFFIXES = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG",
                   ".kml": "LIBKML", ".kmz": "LIBKML"}
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


def _read_vector(path: Path, file: str, driver: str, name: str | None,
                 notes: list[str]) -> gpd.GeoDataFrame:
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
        layers = match
    frames = []
    for layer, gtype in layers:
        try:
            # Dates stay as the file writes them (GeoJSON would otherwise guess types).
            opts = {"DATE_AS_STRING": "YES"} if driver == "GeoJSON" else {}
            with warnings.catch_warnings():  # GDAL's asides (renumbered duplicate feature
                warnings.simplefilter("ignore")  # ids, JSON-looking text) are not errors
                gdf = pyogrio.read_dataframe(path, layer=layer, **opts)
        except Exception as exc:
            raise InputError(file, f"layer '{layer}'", None, f"cannot be read: {exc}") from None
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


def _number(text: str, file: str, where: str, field: str) -> float:
    text = text.strip()
    if not text:
        raise InputError(file, where, field, "missing value")
    try:
        value = float(text)
    except ValueError:
        raise InputError(file, where, field, f"'{text}' is not a number") from None
    if not np.isfinite(value):
        raise InputError(file, where, field, f"'{text}' is not a finite number")
    return value


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


def _numeric(col: pd.Series) -> pd.Series:
    """Numbers stay numbers; codes with leading zeros and any text stay text."""
    vals = col[col != ""]
    if vals.empty or vals.str.match(r"^[+-]?0\d").any():
        return col
    num = pd.to_numeric(vals, errors="coerce")
    if num.isna().any():
        return col
    out = pd.to_numeric(col.replace("", None), errors="coerce")
    if (num == num.round()).all() and vals.str.fullmatch(r"[+-]?\d+").all():
        return out.astype("Int64")
    return out


def _read_csv(path: Path, file: str, notes: list[str]) -> gpd.GeoDataFrame:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(file, None, None,
                         f"not UTF-8 text (byte {exc.start}); save the CSV as UTF-8") from None
    except OSError as exc:
        raise InputError(file, None, None, f"cannot be read: {exc.strerror}") from None
    if not text.strip():
        raise InputError(file, None, None, "the file is empty")
    try:
        dialect = csv.Sniffer().sniff(text[:20000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    header = [h.strip() for h in rows[0]]
    first_line = 2
    body = rows[1:]
    if body and all(c.strip().startswith("#") for c in body[0] if c.strip()) and any(
        c.strip() for c in body[0]
    ):
        body, first_line = body[1:], 3  # an HXL hashtag row
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise InputError(file, "line 1", dup, "column name appears twice")
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
    data: list[list[str]] = []
    for n, row in enumerate(body):
        if not any(c.strip() for c in row):
            continue
        line = f"line {first_line + n}"
        if len(row) != len(header):
            raise InputError(file, line, None,
                             f"{len(row)} values for {len(header)} columns")
        data.append(row + [line])
    if not data:
        raise InputError(file, None, None, "no rows")
    table = pd.DataFrame(data, columns=header + ["__line"])
    labels = list(table.pop("__line"))
    geoms = []
    for i, rec in enumerate(table.to_dict("records")):
        wkt = rec[wkt_c].strip() if wkt_c else ""
        if wkt:
            try:
                geoms.append(shapely.from_wkt(wkt))
            except shapely.errors.GEOSException:
                raise InputError(file, labels[i], wkt_c, "not valid WKT") from None
            continue
        if lat_c is None:
            raise InputError(file, labels[i], wkt_c, "missing geometry")
        lat = _number(rec[lat_c], file, labels[i], lat_c)
        lon = _number(rec[lon_c], file, labels[i], lon_c)
        if not -90 <= lat <= 90:
            hint = " (latitude and longitude swapped?)" if -90 <= lon <= 90 else ""
            raise InputError(file, labels[i], lat_c, f"{lat:g} is outside -90..90{hint}")
        if not -180 <= lon <= 180:
            raise InputError(file, labels[i], lon_c, f"{lon:g} is outside -180..180")
        geoms.append(shapely.Point(lon, lat))
    props = table.drop(columns=[c for c in (lat_c, lon_c, wkt_c) if c])
    if ACLED_KEYS <= {c.lower() for c in header}:
        props = _acled(props, file, labels)
    for col in props.columns:
        keep_text = ("id", "date", "sources", "actors")
        if not pd.api.types.is_numeric_dtype(props[col]) and col not in keep_text:
            props[col] = _numeric(props[col])
    gdf = gpd.GeoDataFrame(props, geometry=geoms, crs=4326)
    return check_geometry(gdf, file, labels=labels, assume_wgs84=True, notes=notes)


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


def import_file(path: str | Path, *, name: str | None = None) -> gpd.GeoDataFrame:
    """Read a GeoJSON, GeoPackage, KML/KMZ or CSV file as one checked layer.

    Parameters
    ----------
    path : str or Path
        The file. CSV needs latitude/longitude columns (ACLED's export works as is) or a
        WKT column; an HXL hashtag row under the header is skipped.
    name : str, optional
        The layer (GeoPackage table, KML folder) to read; default all layers, each
        feature then carrying ``source_layer``.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, 2D, valid geometries; ``attrs["repairs"]`` and ``attrs["notes"]`` say
        what was changed.

    Raises
    ------
    InputError
        Naming file, feature and field: unreadable or non-geographic file, missing or
        out-of-range coordinates, bad values, unknown layer.
    """
    p = Path(path)
    file = str(path)
    if not file.strip():  # Path("") is the working folder
        raise InputError("''", None, None, "no file given")
    if not p.exists():
        raise InputError(file, None, None, "no such file")
    if p.is_dir():
        raise InputError(file, None, None, "is a folder, not a file")
    suffix = p.suffix.lower()
    notes: list[str] = []
    if suffix == ".csv":
        gdf = _read_csv(p, file, notes)
    elif suffix in VECTOR_SUFFIXES:
        gdf = _read_vector(p, file, VECTOR_SUFFIXES[suffix], name, notes)
    else:
        raise InputError(file, None, None,
                         f"unsupported file type '{suffix or 'none'}' "
                         "(use .geojson, .json, .gpkg, .kml, .kmz or .csv)")
    repairs = gdf.attrs.get("repairs", [])
    gdf = _distinct_columns(gdf.reset_index(drop=True), notes)
    gdf.attrs = {"repairs": repairs, "notes": notes}
    return gdf


def _distinct_columns(gdf: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    """Rename fields whose names differ only in case (``Name``/``name``, common in KML and
    spreadsheets): GeoPackage columns ignore case, so the store could not keep both.  A field
    called ``fid`` is renamed too: that name is the GeoPackage's own row key."""
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    taken = {str(c).lower() for c in cols} | {"fid"}
    seen: set[str] = {"fid"}
    renames: dict[str, str] = {}
    for col in cols:
        key = str(col).lower()
        if key not in seen:
            seen.add(key)
            continue
        n = 2
        while f"{key}_{n}" in taken:
            n += 1
        renames[col] = f"{col}_{n}"
        taken.add(f"{key}_{n}")
        why = ("'fid' is the GeoPackage's row key" if key == "fid"
               else "a field of the same name in another case exists")
        notes.append(f"field '{col}' renamed '{renames[col]}' ({why})")
    return gdf.rename(columns=renames) if renames else gdf


__all__ = ["InputError", "check_geometry", "import_file"]
