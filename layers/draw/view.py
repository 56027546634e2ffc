"""What the page shows, as plain values that round-trip through the URL.

``?scenario=aleppo-2016&date=2016-09-15&layers=control,sieges&compare=2016-08-01`` opens the
same view for anyone with the link; ``&known=2016-11-27T14:30`` shows a workspace as its team
knew it then (UTC). Bad or out-of-window values fall back to the scenario's defaults rather
than failing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from .groups import LAYERS

#: Layers on when the URL does not say.
DEFAULT_LAYERS = ("control", "sieges", "corridors", "crossings", "events", "mentions", "user")
#: "As known on": a day, or a day and a time of day (UTC), as the URL and the sidebar write it.
KNOWN_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?")


@dataclass(frozen=True)
class View:
    """The page's view state: scenario, date, visible layers, hidden actors, comparison date,
    basemap, and (workspaces only) the moment the map is shown as known on."""

    scenario: str
    date: date
    layers: tuple[str, ...] = DEFAULT_LAYERS
    hidden_actors: tuple[str, ...] = ()
    compare: date | None = None
    basemap: str = "offline"
    known: str | None = None

    def to_params(self) -> dict[str, str]:
        """Query parameters for this view (empty values left out)."""
        out = {"scenario": self.scenario, "date": self.date.isoformat(),
               "layers": ",".join(self.layers)}
        if self.hidden_actors:
            out["hide"] = ",".join(self.hidden_actors)
        if self.compare is not None:
            out["compare"] = self.compare.isoformat()
        if self.basemap != "offline":
            out["basemap"] = self.basemap
        if self.known:
            out["known"] = self.known
        return out


def known_value(text: object) -> str | None:
    """``text`` as an "as known on" value (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS[.f]]``,
    UTC) when it is one, else ``None``."""
    m = KNOWN_RE.fullmatch(str(text or "").strip().replace(" ", "T").rstrip("Z"))
    if m is None:
        return None
    try:
        datetime.fromisoformat(m.group(0))
    except ValueError:
        return None
    return m.group(0)


def _day(text: str | None, window: tuple[date, date]) -> date | None:
    try:
        day = date.fromisoformat(str(text)[:10])
    except (TypeError, ValueError):
        return None
    return day if window[0] <= day <= window[1] else None


def from_params(
    params: Mapping[str, str],
    scenarios: Iterable[str],
    default_scenario: str,
    window_of,
    default_date_of,
    basemaps: Iterable[str] = ("offline", "osm", "satellite"),
) -> View:
    """Read a :class:`View` from query parameters, falling back to defaults field by field.

    Parameters
    ----------
    params
        The query parameters (``st.query_params`` or a plain dict).
    scenarios
        The scenario names available.
    default_scenario
        Used when the URL names none or an unknown one.
    window_of, default_date_of
        Callables: scenario name -> ``(start, end)`` dates / its default date.
    basemaps
        Accepted basemap keys.

    ``known`` is kept when it is a well-formed moment; whether the scenario is a workspace
    (packs never change, so they ignore it) is the page's to decide.
    """
    names = list(scenarios)
    scenario = params.get("scenario")
    if scenario not in names:
        scenario = default_scenario
    window = window_of(scenario)
    day = _day(params.get("date"), window) or default_date_of(scenario)
    if "layers" in params:
        layers = tuple(k for k in LAYERS if k in str(params.get("layers", "")).split(","))
    else:
        layers = DEFAULT_LAYERS
    compare = _day(params.get("compare"), window)
    if compare is not None and "changes" not in layers:
        layers = tuple(k for k in LAYERS if k in (*layers, "changes"))
    hidden = tuple(a for a in str(params.get("hide", "")).split(",") if a)
    basemap = params.get("basemap", "offline")
    return View(
        scenario=scenario,
        date=day,
        layers=layers,
        hidden_actors=hidden,
        compare=compare,
        basemap=basemap if basemap in set(basemaps) else "offline",
        known=known_value(params.get("known")),
    )

