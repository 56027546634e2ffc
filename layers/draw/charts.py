"""The "Over time" charts: besieged population per siege and ground held per actor.

:func:`history_frames` samples ``layers.summarize`` output over the window (evenly, plus the
first and last day of every siege so a short siege is never missed); :func:`population_chart`
and :func:`ground_chart` draw it with Altair. Every siege gets its own line; every actor that
holds ground on some sampled day gets its own panel with its own scale, so a small enclave is
as readable as the largest holder. Clicking a point selects its date (``DATE_PARAM``), which
the page turns into the map's date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd

from .summary import sample_dates

#: Name of the click selection in both charts (the page reads it back).
DATE_PARAM = "pick"
SAMPLES = 30


def history_dates(start: date, end: date, sieges: Iterable[Any] = (),
                  count: int = SAMPLES) -> list[date]:
    """Evenly spaced days plus each siege's first day and the day before it ends (inside the
    window), sorted."""
    days = set(sample_dates(start, end, count))
    for s in sieges:
        interval = getattr(s, "interval", None)
        first = getattr(interval, "start", None)
        last = getattr(interval, "end", None)
        for d in (first, last - timedelta(days=1) if last else None, last):
            if d is not None and start <= d <= end:
                days.add(d)
    return sorted(days)


def history_frames(summarize: Callable[[date], Mapping[str, Any]], days: Iterable[date]
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long tables over ``days``: ``(population, ground)``.

    ``population``: ``date, siege, low, high, mid`` — one row per siege in force (figures may
    be missing: ``NaN``). ``ground``: ``date, actor, name, km2`` — one row per actor and day,
    only for actors that hold ground on at least one of the days.
    """
    pop_rows, ground_rows = [], []
    for day in days:
        s = summarize(day)
        stamp = pd.Timestamp(day)
        for siege in s.get("sieges", []):
            p = siege.get("population") or {}
            low, high = p.get("low"), p.get("high")
            pop_rows.append({"date": stamp, "siege": siege.get("name") or siege.get("id"),
                             "low": low, "high": high,
                             "mid": (low + high) / 2 if low is not None and high is not None
                             else None})
        for a in s.get("actors", []):
            ground_rows.append({"date": stamp, "actor": a.get("id"),
                                "name": a.get("name") or a.get("id"),
                                "km2": float(a.get("area_km2") or 0)})
    pop = pd.DataFrame(pop_rows, columns=["date", "siege", "low", "high", "mid"])
    ground = pd.DataFrame(ground_rows, columns=["date", "actor", "name", "km2"])
    if not ground.empty:
        holders = ground.groupby("actor")["km2"].max()
        ground = ground[ground["actor"].isin(holders[holders > 0].index)].reset_index(drop=True)
    for frame in (pop, ground):
        for col in ("low", "high", "mid", "km2"):
            if col in frame:
                frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return pop, ground


def population_chart(pop: pd.DataFrame, height: int = 230) -> Any:
    """One line per siege (midpoint of its range; the range in the tooltip), legend below
    with full names; a click selects a date."""
    import altair as alt

    pick = alt.selection_point(name=DATE_PARAM, fields=["date"], on="click", nearest=True,
                               clear="dblclick")
    base = alt.Chart(pop.dropna(subset=["mid"])).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("mid:Q", title="people besieged", axis=alt.Axis(format="~s")),
        color=alt.Color("siege:N", title=None, legend=alt.Legend(
            orient="bottom", columns=2, labelLimit=0, symbolType="stroke")),
        tooltip=[alt.Tooltip("date:T", title="date"), alt.Tooltip("siege:N"),
                 alt.Tooltip("low:Q", format=",", title="low"),
                 alt.Tooltip("high:Q", format=",", title="high")],
    )
    lines = base.mark_line(interpolate="step-after", strokeWidth=2.2)
    points = base.mark_point(filled=True, size=40).add_params(pick)
    return (lines + points).properties(height=height)


def ground_chart(ground: pd.DataFrame, colours: Mapping[str, str], height: int = 90,
                 width: int = 820) -> Any:
    """One small panel per actor with ground (its own scale), in the actor's map colour; a
    click selects a date."""
    import altair as alt

    names = list(dict.fromkeys(ground["name"]))
    palette = [colours.get(a, "#777777") for a in dict.fromkeys(ground["actor"])]
    pick = alt.selection_point(name=DATE_PARAM, fields=["date"], on="click", nearest=True,
                               clear="dblclick")
    base = alt.Chart(ground).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("km2:Q", title="km²", scale=alt.Scale(zero=False)),
        color=alt.Color("name:N", legend=None, scale=alt.Scale(domain=names, range=palette)),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("name:N", title="held by"),
                 alt.Tooltip("km2:Q", format=",.1f", title="km²")],
    )
    layered = base.mark_line(interpolate="step-after") + base.mark_point(
        filled=True, size=30).add_params(pick)
    return layered.properties(height=height, width=width).facet(
        row=alt.Row("name:N", title=None, sort=names,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelLimit=0,
                                      labelOrient="top", labelFontWeight="bold")),
    ).resolve_scale(y="independent")


def picked_date(event: Any) -> date | None:
    """The date clicked in a chart's selection event (``st.altair_chart(on_select=…)``)."""
    try:
        rows = event["selection"][DATE_PARAM]
    except (KeyError, TypeError):
        return None
    if not rows:
        return None
    value = rows[0].get("date") if isinstance(rows[0], Mapping) else None
    if isinstance(value, (int, float)):  # Vega-Lite sends times as epoch milliseconds
        return datetime.fromtimestamp(value / 1000, tz=UTC).date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
