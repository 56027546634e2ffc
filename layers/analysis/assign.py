"""Which control unit or zone each event point falls in, for a million points at once.

Vectorised with shapely 2, no Python loop over features: an STRtree over the polygons gives
each point its candidates by bounding box, then prepared point-in-polygon tests
(``intersects_xy``) settle them. Small polygons (the control units) keep the candidate lists
short; to assign to dissolved zones, assign to units and map through ``labels``.
Containment is topological, so degrees are fine here (no distances or areas).
"""

from __future__ import annotations

import numpy as np
import shapely


def assign_xy(x: np.ndarray, y: np.ndarray, polygons: np.ndarray,
              labels: np.ndarray | None = None, *,
              tree: shapely.STRtree | None = None) -> np.ndarray:
    """Index (or label) of the polygon containing each coordinate pair; -1 when none does.

    Parameters
    ----------
    x, y : array of float
        Coordinates in the CRS of ``polygons``; NaN gives -1.
    polygons : array of shapely Polygons/MultiPolygons
        E.g. the control units; a point on a shared border gets the lowest index.
    labels : array, optional
        One label per polygon (e.g. its zone number); returned instead of the index, with
        -1 for points outside every polygon.
    tree : STRtree, optional
        A tree already built over ``polygons`` (reuse it across calls).

    Returns
    -------
    numpy.ndarray
        One entry per point: int64 indices, or ``labels``' values.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    return _assign(None, x, y, polygons, labels, tree)


def _assign(points: np.ndarray | None, x: np.ndarray, y: np.ndarray, polygons: np.ndarray,
            labels: np.ndarray | None, tree: shapely.STRtree | None) -> np.ndarray:
    polygons = np.asarray(polygons, dtype=object)
    best = np.full(len(x), len(polygons), dtype=np.int64)
    if len(x) and len(polygons):
        tree = tree if tree is not None else shapely.STRtree(polygons)
        shapely.prepare(polygons)
        if points is None:
            points = shapely.points(x, y)
        point_idx, poly_idx = tree.query(points)
        inside = shapely.intersects_xy(polygons[poly_idx], x[point_idx], y[point_idx])
        np.minimum.at(best, point_idx[inside], poly_idx[inside])
    found = best < len(polygons)
    if labels is None:
        return np.where(found, best, -1)
    labels = np.asarray(labels)
    out = np.full(len(x), -1, dtype=labels.dtype if labels.dtype.kind in "iu" else object)
    out[found] = labels[best[found]]
    return out


def assign_points(points: np.ndarray, polygons: np.ndarray,
                  labels: np.ndarray | None = None, *,
                  tree: shapely.STRtree | None = None) -> np.ndarray:
    """As :func:`assign_xy` for an array of shapely Points (missing/empty points get -1)."""
    points = np.asarray(points, dtype=object)
    x = np.full(len(points), np.nan)
    y = np.full(len(points), np.nan)
    ok = ~(shapely.is_missing(points) | shapely.is_empty(points))
    if ok.all():
        x, y = shapely.get_x(points), shapely.get_y(points)
    else:  # GEOS refuses the coordinates of an empty point
        x[ok], y[ok] = shapely.get_x(points[ok]), shapely.get_y(points[ok])
    return _assign(points, x, y, polygons, labels, tree)
