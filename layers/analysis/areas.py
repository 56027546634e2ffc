"""Areas (km²) and known population of zones, from geometry in an equal-area CRS (metres)."""

from __future__ import annotations

import numpy as np
import shapely


def area_km2(projected) -> np.ndarray:
    """Area in km² of each geometry, which must be in an equal-area CRS in metres."""
    return shapely.area(np.asarray(projected, dtype=object)) / 1e6


def population(members: tuple[np.ndarray, ...],
               unit_population: np.ndarray) -> list[tuple[int | None, int, int]]:
    """``(known total or None, units with a figure, units)`` for each zone.

    ``unit_population`` holds each unit's figure, ``-1`` where none is known; a zone's total is
    the sum over the units that have one, so it is a floor when ``known < units``.
    """
    out = []
    for idx in members:
        pops = unit_population[idx]
        known = pops >= 0
        total = int(pops[known].sum()) if known.any() else None
        out.append((total, int(known.sum()), len(idx)))
    return out
