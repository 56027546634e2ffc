"""Turn property values into what flat GIS formats can hold.

Lists and dicts (``sources``, populations, actor lists) become JSON strings; dates become
ISO 8601 strings; integer columns stay integers even when other layers leave them empty.
Text GDAL cannot keep exactly (NUL, lone surrogates) is found here so that writers can refuse
it by name instead of storing a cut copy.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return iso_date(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, set | frozenset | np.ndarray):
        return list(value)
    if hasattr(value, "_asdict"):
        return value._asdict()
    if hasattr(value, "__dataclass_fields__"):
        return {k: getattr(value, k) for k in value.__dataclass_fields__}
    return str(value)


def to_json(value: Any) -> str:
    """Serialise one nested value compactly (UTF-8 kept, keys in their order)."""
    return json.dumps(value, ensure_ascii=False, default=_json_default, separators=(",", ":"))


def iso_date(value: Any) -> str | None:
    """ISO 8601 text for a date or datetime: a bare date when the time is midnight."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, str):
        return value or None
    ts = pd.Timestamp(value)
    if ts.tzinfo is None and ts == ts.normalize():
        return ts.strftime("%Y-%m-%d")
    return ts.isoformat()


def _is_nested(value: Any) -> bool:
    return isinstance(value, list | tuple | dict | set | frozenset | np.ndarray) or hasattr(
        value, "__dataclass_fields__"
    )


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date | pd.Timestamp)


def flatten(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy whose every property is a scalar GIS formats can store.

    Parameters
    ----------
    gdf : GeoDataFrame
        Any layer; its geometry column is left alone.

    Returns
    -------
    GeoDataFrame
        Nested values as JSON strings, dates as ISO strings, ints as nullable ``Int64``,
        booleans as nullable ``boolean``.
    """
    out = gdf.copy()
    geom = out.geometry.name
    for col in out.columns:
        if col == geom:
            continue
        s = out[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(s):
            out[col] = pd.Series([iso_date(v) for v in s], index=s.index, dtype=object)
        elif pd.api.types.is_bool_dtype(s):
            out[col] = s.astype("boolean")
        elif pd.api.types.is_integer_dtype(s):
            out[col] = s.astype("Int64")
        elif s.dtype == object:  # pandas' own string dtype holds only text: nothing to do
            values = list(s)
            if any(_is_nested(v) for v in values):
                values = [None if v is None else (to_json(v) if _is_nested(v) else v)
                          for v in values]
            if any(_is_date(v) for v in values):
                values = [iso_date(v) if _is_date(v) else v for v in values]
            values = [None if (isinstance(v, float) and np.isnan(v)) else v for v in values]
            if any(isinstance(v, bool) for v in values) and all(
                v is None or isinstance(v, bool) for v in values
            ):
                out[col] = pd.Series(values, index=s.index, dtype="boolean")
            else:
                out[col] = pd.Series(values, index=s.index, dtype=object)
    return out


def as_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """``gdf`` in EPSG:4326 (no CRS means WGS84 already) with its geometry column named
    ``geometry`` and a fresh 0..n-1 index, as every writer wants it; None if it is not a
    GeoDataFrame (the caller names the error)."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        return None
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    elif not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs(4326)
    if gdf.geometry.name != "geometry":
        gdf = gdf.rename_geometry("geometry")
    return gdf.reset_index(drop=True)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# GDAL ends a text value at NUL ("x\x00y" is stored as "x"), and a lone surrogate has no UTF-8
# form at all: neither can be kept exactly, so they are refused rather than changed. Every
# other control character survives GeoPackage, GeoJSON and CSV exactly and is kept.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def printable(text: object) -> str:
    """``text`` for a one-line message: control characters shown as escapes (``\\n``,
    ``\\x00``), so a name ending in a newline is visible and the message stays one line."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def _unstorable_what(text: str) -> str:
    found = _UNSTORABLE.search(text)
    if found is None or found.group() == "\x00":
        return ("a NUL character (\\x00), which GeoPackage and GeoJSON text cannot hold "
                "(GDAL would cut the text there)")
    escaped = found.group().encode("unicode_escape").decode("ascii")
    return f"a lone surrogate ({escaped}), which is not valid Unicode text"


def unstorable_text(gdf: pd.DataFrame) -> tuple[int | None, str, str] | None:
    """The first text in ``gdf`` that GIS formats written by GDAL cannot keep exactly.

    A NUL character (GDAL would silently cut ``x\\x00y`` to ``x``) or a lone surrogate (no
    UTF-8 form), in a column name or a text value. Other control characters (``\\x01``,
    ``\\x1b``, tabs, newlines) are kept exactly by GeoPackage, GeoJSON and CSV, so they are
    not reported. Text inside lists and dicts is not checked: it is written as JSON, which
    escapes NUL as ``\\u0000``.

    Parameters
    ----------
    gdf : DataFrame
        Properties (a geometry column is skipped: it holds no text).

    Returns
    -------
    tuple or None
        ``(row, column, what)``: the row's position (None when the column name itself is the
        problem), the column name and what is wrong in words; None when all text is kept.
    """
    for col in gdf.columns:
        if isinstance(col, str) and _UNSTORABLE.search(col):
            return None, col, _unstorable_what(col)
    first: tuple[int, int] | None = None  # (row, column position)
    for j in range(gdf.shape[1]):
        s = gdf.iloc[:, j]
        if s.dtype == object:
            hits = [i for i, v in enumerate(s) if isinstance(v, str) and _UNSTORABLE.search(v)]
        elif pd.api.types.is_string_dtype(s):  # pandas' own strings hold no lone surrogate
            hits = np.flatnonzero(s.str.contains("\x00", regex=False, na=False).to_numpy())
        else:
            continue
        if len(hits) and (first is None or hits[0] < first[0]):
            first = (int(hits[0]), j)  # the earliest feature, as a reader goes
    if first is None:
        return None
    row, j = first
    return row, str(gdf.columns[j]), _unstorable_what(str(gdf.iloc[row, j]))


def size_estimate(gdf: gpd.GeoDataFrame) -> int:
    """Rough bytes ``gdf`` takes in a GeoPackage: its properties as held in memory plus 16
    bytes a coordinate and 100 a feature (row header, spatial index entry). Used only to judge
    whether a folder had room for a write that failed."""
    geom = gdf.geometry.name if isinstance(gdf, gpd.GeoDataFrame) else None
    props = gdf.drop(columns=[geom]) if geom else gdf
    coords = 0
    if geom:
        coords = int(shapely.get_num_coordinates(np.asarray(gdf.geometry.values)).sum())
    return int(props.memory_usage(deep=True, index=False).sum()) + 16 * coords + 100 * len(gdf)
