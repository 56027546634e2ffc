"""Geometry helpers shared by the loader and the analysis: projection and tessellation.

Analysis runs in a local Lambert azimuthal equal-area projection centred on the scenario
(areas in km² are then exact up to the ellipsoid, distances near the centre are good to well
under 1 % over a city or a governorate), never in degrees.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer


def laea_crs(lat: float, lon: float) -> str:
    """PROJ string of a Lambert azimuthal equal-area projection centred on ``(lat, lon)``."""
    return f"+proj=laea +lat_0={lat:.4f} +lon_0={lon:.4f} +datum=WGS84 +units=m +no_defs"


@lru_cache(maxsize=16)
def _transformers(lat: float, lon: float) -> tuple[Transformer, Transformer]:
    crs = laea_crs(lat, lon)
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return fwd, inv


class Projector:
    """Vectorised to/from a local equal-area CRS for arrays of shapely geometries."""

    def __init__(self, lat: float, lon: float) -> None:
        self.lat, self.lon = round(lat, 4), round(lon, 4)
        self.crs = laea_crs(self.lat, self.lon)
        self._fwd, self._inv = _transformers(self.lat, self.lon)

    def forward(self, geoms):
        """EPSG:4326 lon/lat → metres (array or single geometry)."""
        return shapely.transform(geoms, self._apply(self._fwd))

    def inverse(self, geoms):
        """Metres → EPSG:4326 lon/lat."""
        return shapely.transform(geoms, self._apply(self._inv))

    @staticmethod
    def _apply(tr: Transformer):
        def fn(xy: np.ndarray) -> np.ndarray:
            x, y = tr.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        return fn


def voronoi_cells(points, extent):
    """Voronoi cells of ``points`` (projected), aligned with ``points``, covering ``extent``.

    The caller clips them (in lon/lat, so the boundary stays exact).  Duplicate points share
    one cell; each gets a copy.  Used for places known only as points (sub-districts).
    """
    pts = np.asarray(points, dtype=object)
    if len(pts) == 0:
        return np.empty(0, dtype=object)
    if len(pts) == 1:
        return np.array([extent.envelope], dtype=object)
    env = shapely.union_all([extent, shapely.multipoints(pts).envelope]).envelope
    regions = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=env, ordered=True)
    cells = np.asarray(shapely.get_parts(regions), dtype=object)
    if len(cells) != len(pts):  # duplicate points collapse into one cell
        tree = shapely.STRtree(cells)
        idx = tree.query(pts, predicate="intersects")
        matched = np.full(len(pts), -1)
        matched[idx[0]] = idx[1]
        cells = np.array([cells[i] if i >= 0 else shapely.Polygon() for i in matched],
                         dtype=object)
    return cells
