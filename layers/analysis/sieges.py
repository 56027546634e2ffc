"""Besieged population on a date (range over sources) and distance to open crossings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely

from ..model import PopulationEstimate, Siege


@dataclass(frozen=True, slots=True)
class PopulationRange:
    """The lowest and highest figure any source gives, and which estimates were used."""

    low: int | None
    high: int | None
    estimates: tuple[PopulationEstimate, ...]


def population_range(siege: Siege, day: date) -> PopulationRange:
    """Range over the siege's estimates dated on or before ``day``.

    Estimates of the siege dated later (or undated) are used only when none is earlier, so a
    date early in a siege still reports what sources said about it.
    """
    ests = [p for p in siege.populations if p.date is not None and p.date <= day]
    if not ests:
        ests = list(siege.populations)
    if not ests:
        return PopulationRange(None, None, ())
    lows, highs = zip(*(p.range for p in ests), strict=True)
    return PopulationRange(min(lows), max(highs), tuple(ests))


def nearest(area, points: np.ndarray) -> tuple[int | None, float | None]:
    """Index of and distance (metres) to the point of ``points`` nearest ``area``."""
    if len(points) == 0 or area is None or area.is_empty:
        return None, None
    d = shapely.distance(area, points)
    i = int(np.argmin(d))
    return i, float(d[i])
