"""Stepping through time: the previous/next date on which something changes, and the date a
state is the same as (so work done for one day serves every day up to the next change).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any


def step(day: date | None, days: Sequence[date], direction: int) -> date | None:
    """The first of ``days`` (sorted) after ``day`` (``direction`` > 0) or before it
    (``direction`` < 0); ``None`` when there is none or ``day`` is missing."""
    if day is None or not days:
        return None
    if direction > 0:
        i = bisect_right(days, day)
        return days[i] if i < len(days) else None
    i = bisect_left(days, day)
    return days[i - 1] if i > 0 else None


def epoch(day: date, bounds: Sequence[date], start: date) -> date:
    """The latest of ``bounds`` (sorted) on or before ``day``, else ``start``.

    Between two consecutive bounds nothing the map draws changes, so a layer drawn for the
    epoch's first day is the layer of every day in it.
    """
    i = bisect_right(bounds, day)
    return bounds[i - 1] if i > 0 and bounds[i - 1] >= start else start


def state_bounds(change_days: Iterable[date], sieges: Iterable,
                 extra: Iterable[date] = ()) -> list[date]:
    """Days on which the drawn state may change: the scenario's change dates (records that
    start or end, events), the dates of siege population figures (a siege's popup shows
    the figures current on the day; see ``layers.analysis.sieges``) and any ``extra`` days
    (e.g. the dates of published counts a summary quotes)."""
    days = set(change_days) | {d for d in extra if d is not None}
    for s in sieges:
        days.update(p.date for p in getattr(s, "populations", ()) or () if p.date is not None)
    return sorted(days)


def _spans(records: Iterable[Any]) -> set[date]:
    """Start and end days of the records' intervals."""
    return {d for r in records for d in (r.interval.start, r.interval.end) if d}


def layer_bounds(sc: Any) -> dict[str, list[date]]:
    """For each layer of the drawn state, and for the summary, the days on which it may change
    (sorted): within one of its epochs (:func:`epoch`) a layer is the same, so a layer drawn on
    one day serves every day to its next bound, whatever else changes meanwhile.

    What each depends on (see ``layers.timeline``): control on control records; crossings on
    their statuses; events on their dates; sieges on their records, population figures, and —
    through the ground still held and the nearest open crossing — control and crossings;
    corridors on their statuses and — through the status derived from control and the sieges
    whose people use them — control and sieges. The summary on everything but events, and on
    the dates of the published counts it quotes. ``sc`` is a loaded ``layers.Scenario``.
    """
    control = _spans(sc.control)
    crossings = _spans(s for x in sc.crossings for s in x.statuses)
    corridors = _spans(s for c in sc.corridors for s in c.statuses)
    sieges = _spans(sc.sieges) | {p.date for s in sc.sieges
                                  for p in getattr(s, "populations", ()) or ()
                                  if p.date is not None}
    figures = {s.figures.date for s in sc.sources.values()
               if getattr(s, "figures", None) is not None and s.figures.date is not None}
    events = {e.date for e in sc.events}
    out = {"control": control, "crossings": crossings, "events": events,
           "sieges": sieges | control | crossings,
           "corridors": corridors | control | sieges,
           "summary": control | crossings | corridors | sieges | figures}
    return {k: sorted(v) for k, v in out.items()}
