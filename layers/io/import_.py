"""Read a user's GeoJSON, GeoPackage, KML or CSV into one checked GeoDataFrame, safely.

Upload -> :func:`layers.io.sniff.sniff` (what the file really is, from its content) ->
:func:`layers.io.sandbox.read_isolated` (a child process allowed that one GDAL driver, no
network, bounded time and memory, running :mod:`layers.io.readers`) -> tidy column names.

The result is all or nothing: any problem raises :class:`InputError` naming the file, the
feature (or CSV line) and the field. Invalid geometries are repaired with
``shapely.make_valid`` and listed in ``gdf.attrs["repairs"]``; other notes (reprojection,
an assumed CRS, skipped tables) go to ``gdf.attrs["notes"]``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from layers.io.errors import InputError
from layers.io.readers import check_geometry
from layers.io.sandbox import read_isolated
from layers.io.sniff import sniff


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
    if not p.is_file():
        raise InputError(file, None, None, "is not a regular file")
    sniffed = sniff(p, file)
    gdf = read_isolated(p, file, sniffed, name)
    notes = list(gdf.attrs.get("notes", []))
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
