"""What the page shows, as plain values that round-trip through the URL.

``?scenario=aleppo-2016&date=2016-09-15&layers=control,sieges&compare=2016-08-01`` opens the
same view for anyone with the link. Bad or out-of-window values fall back to the scenario's
defaults rather than failing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from .groups import LAYERS

#: Layers on when the URL does not say.
DEFAULT_LAYERS = ("control", "sieges", "corridors", "crossings", "events", "mentions", "user")


@dataclass(frozen=True)
class View:
    """The page's view state: scenario, date, visible layers, hidden actors, comparison date."""

    scenario: str
    date: date
    layers: tuple[str, ...] = DEFAULT_LAYERS
    hidden_actors: tuple[str, ...] = ()
    compare: date | None = None
    basemap: str = "offline"

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
        return out


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
    )

