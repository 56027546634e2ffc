"""Turn property values into what flat GIS formats can hold.

Lists and dicts (``sources``, populations, actor lists) become JSON strings; dates become
ISO 8601 strings; integer columns stay integers even when other layers leave them empty.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd


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
