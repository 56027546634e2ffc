"""Besieged population on a date (range over current sources) and distance to open crossings.

Which estimates are *current* on a date
---------------------------------------
A siege's population changes — slowly while the ring holds, fast when it breaks or shrinks (east
Aleppo went from about 275,000 in October 2016 to some 50,000 by mid-December). A range over
every figure ever published would mix those phases, so :func:`population_range` keeps only the
estimates that describe the same moment as the newest one:

1. Only estimates dated on or before the day count.
2. Newest per source: an estimate is dropped when a newer one (still on or before the day) cites
   one of its sources — a source that revised its own figure no longer stands by the old one.
3. Recency window: with ``D`` the date of the newest remaining estimate, estimates dated before
   ``D - WINDOW_DAYS`` are dropped. Estimates on the same date (ties) are all kept. ``D`` is the
   *as of* date that the summary prints next to the range.

``WINDOW_DAYS`` is 15 days (about half a month): in 2016 the UN and the news agencies refreshed
their figures for besieged areas every one to two weeks (OCHA situation reports, weekly briefings,
agency reports that quote them), so figures within about two weeks of the newest are sources
disagreeing about one situation, while older ones describe an earlier phase of the siege. A
shorter window would track a collapse more closely but drop legitimate disagreement between
sources that publish a week or two apart; a longer one mixes phases. The window is counted back
from the newest estimate, not from the day asked, so a siege whose figures are old still reports
its last known figures — with their (old) as-of date, never silently.

When no estimate is dated on or before the day (a date early in a siege), the first estimates
(those on the earliest date) are used and flagged ``after``: the figures postdate the day. Undated
estimates are used only when a siege has no dated estimate at all (``as_of`` is then None).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import shapely

from ..model import PopulationEstimate, Siege

WINDOW_DAYS = 15


@dataclass(frozen=True, slots=True)
class PopulationRange:
    """The lowest and highest current figure, the estimates used, and their date.

    ``as_of`` is the date of the newest estimate used (None when only undated estimates exist);
    ``after`` is True when every estimate used is dated after the day asked.
    """

    low: int | None
    high: int | None
    estimates: tuple[PopulationEstimate, ...]
    as_of: date | None = None
    after: bool = False


def current_estimates(ests: list[PopulationEstimate], day: date,
                      window_days: int = WINDOW_DAYS) -> list[PopulationEstimate]:
    """The dated estimates of ``ests`` that are current on ``day`` (rules in the module doc)."""
    dated = [p for p in ests if p.date is not None and p.date <= day]
    if not dated:
        return []
    # newest per source: drop an estimate when a strictly newer one cites one of its sources
    kept = [p for p in dated
            if not any(q.date > p.date and set(q.sources) & set(p.sources) for q in dated)]
    newest = max(p.date for p in kept)
    cutoff = newest - timedelta(days=window_days)
    return [p for p in kept if p.date >= cutoff]


def population_range(siege: Siege, day: date,
                     window_days: int = WINDOW_DAYS) -> PopulationRange:
    """Range over the estimates of ``siege`` that are current on ``day``.

    See the module docstring for the rule; the estimates keep the pack's order.
    """
    after = False
    ests = current_estimates(list(siege.populations), day, window_days)
    if not ests:
        dates = [p.date for p in siege.populations if p.date is not None]
        if dates:  # nothing yet on the day: the first figures, flagged as later
            first = min(dates)
            ests = [p for p in siege.populations if p.date == first]
            after = True
        else:
            ests = list(siege.populations)
    if not ests:
        return PopulationRange(None, None, ())
    lows, highs = zip(*(p.range for p in ests), strict=True)
    dates = [p.date for p in ests if p.date is not None]
    return PopulationRange(min(lows), max(highs), tuple(ests),
                           max(dates) if dates else None, after)


def nearest(area, points: np.ndarray) -> tuple[int | None, float | None]:
    """Index of and distance (metres) to the point of ``points`` nearest ``area``."""
    if len(points) == 0 or area is None or area.is_empty:
        return None, None
    d = shapely.distance(area, points)
    i = int(np.argmin(d))
    return i, float(d[i])
