"""Encirclement: is a zone cut off from its own side, and by whom.

The rule (issue 4).  A controlled zone is *encircled* when its whole boundary runs along
ground held by hostile actors or contested ground.  Any stretch along ground held by the
same or an allied actor makes it *not encircled*.  Any stretch along ground the pack does not
map — the edge of the mapped area, holes, units with status ``unknown`` or no record at the
date — makes it ``"unknown"``, never encircled.  Contested ground blocks like hostile ground.

Zones touch when they lie within ``tol_m`` metres (digitised neighbours leave slivers); a
stretch counts when it is longer than ``4 * tol_m`` so a corner-to-corner touch is no border.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely

ENCIRCLED = True
NOT_ENCIRCLED = False
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Encirclement:
    """The answer for one zone: ``state`` is True, False, "unknown" or None (not held)."""

    state: bool | str | None
    by: tuple[str, ...] = ()  # hostile actors whose ground borders the zone
    open_m: float = 0.0  # longest stretch of boundary along own/allied ground (m)
    unmapped_m: float = 0.0  # longest stretch along ground the pack does not map (m)


def _longest(lines) -> float:
    """Length of the longest connected stretch of a (multi)line."""
    if lines is None or lines.is_empty:
        return 0.0
    parts = shapely.get_parts(lines)  # drop the points a mere touch leaves behind
    parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]  # LineString, LinearRing
    if len(parts) == 0:
        return 0.0
    merged = shapely.get_parts(shapely.line_merge(shapely.multilinestrings(parts)))
    return float(shapely.length(merged).max())


def zone_buffers(geoms: np.ndarray, tol_m: float) -> np.ndarray:
    """Zones grown by ``tol_m``: what counts as touching them."""
    tol = max(float(tol_m), 0.01)
    # buffering simplified outlines is several times cheaper and moves borders by < tol / 4
    return shapely.buffer(shapely.simplify(geoms, tol / 4, preserve_topology=False), tol,
                          quad_segs=2)


def encirclement(geoms: np.ndarray, actors: np.ndarray, statuses: np.ndarray, *,
                 allied: Callable[[str, str], bool], tol_m: float = 25.0,
                 open_edge: np.ndarray | None = None,
                 buffers: np.ndarray | None = None) -> list[Encirclement]:
    """Encirclement of every zone.

    Parameters
    ----------
    geoms
        Zone geometries in a projected CRS in metres (one connected part each).
    actors, statuses
        Aligned arrays: each zone's actor ("" if none) and status.
    allied
        ``allied(a, b)`` — True for the same actor or allies.
    tol_m
        How far apart two zones may lie and still touch.
    open_edge
        Zones the author marks as reaching their side's ground beyond the map (areas with
        ``edge: open``); they are never encircled.
    buffers
        ``zone_buffers(geoms, tol_m)`` if already at hand (they are cached across dates).
    """
    n = len(geoms)
    if n == 0:
        return []
    tol = max(float(tol_m), 0.01)
    min_len = 4 * tol
    buf = zone_buffers(geoms, tol) if buffers is None else buffers
    pairs = shapely.STRtree(geoms).query(buf, predicate="intersects")
    boundaries = shapely.boundary(geoms)
    controlled = statuses == "controlled"
    out: list[Encirclement] = []
    for i in range(n):
        if not controlled[i]:
            out.append(Encirclement(None))
            continue
        nb = pairs[1][(pairs[0] == i) & (pairs[1] != i)]
        is_allied = np.array([controlled[j] and allied(actors[i], actors[j]) for j in nb],
                             dtype=bool)
        is_block = np.array([(controlled[j] and not is_allied[k]) or statuses[j] == "contested"
                             for k, j in enumerate(nb)], dtype=bool)
        b = boundaries[i]
        lens = shapely.length(shapely.intersection(b, buf[nb])) if len(nb) else np.zeros(0)
        hostile = sorted({actors[j] for j, ln, blk in zip(nb, lens, is_block, strict=True)
                          if blk and controlled[j] and ln > tol})
        # judge by the longest stretch: corner touches and slivers must not add up
        open_m = (_longest(shapely.intersection(b, shapely.union_all(buf[nb[is_allied]])))
                  if is_allied.any() else 0.0)
        known = nb[is_allied | is_block]
        unmapped = (_longest(shapely.difference(b, shapely.union_all(buf[known])))
                    if len(known) else float(b.length))
        if open_m > min_len or (open_edge is not None and open_edge[i]):
            state: bool | str = NOT_ENCIRCLED
        elif unmapped > min_len:
            state = UNKNOWN
        else:
            state = ENCIRCLED
        out.append(Encirclement(state, tuple(hostile), open_m, unmapped))
    return out
