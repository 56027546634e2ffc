"""What the page shows, as plain values that round-trip through the URL.

``?scenario=aleppo-2016&date=2016-09-15&layers=control,sieges&compare=2016-08-01`` opens the
same view for anyone with the link; ``&known=2016-11-27T14:30`` shows a workspace as its team
knew it then (UTC); ``&zoom=14&center=36.2,37.15`` keeps where the map looks and
``&mine=roads,wells`` the layers chosen from the working store. Bad or out-of-window values fall
back to the scenario's defaults rather than failing, and each is named in ``problems`` so the
page can say what it ignored.
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
    zoom: int | None = None
    center: tuple[float, float] | None = None
    mine: tuple[str, ...] = ()

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
        if self.zoom is not None:
            out["zoom"] = str(self.zoom)
        if self.center is not None:
            out["center"] = f"{self.center[0]:.5f},{self.center[1]:.5f}"
        if self.mine:
            out["mine"] = ",".join(self.mine)
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


#: Zoom levels a link may ask for (Leaflet's range for the basemaps we offer).
ZOOMS = range(1, 20)
#: A layer name in the working store (see ``onscreen.layer_name``).
_LAYER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,59}")
#: Longest bad value quoted back in a message.
_QUOTE = 40


def _day(text: str | None, window: tuple[date, date]) -> date | None:
    try:
        day = date.fromisoformat(str(text))
    except (TypeError, ValueError):
        return None
    return day if window[0] <= day <= window[1] else None


def _quote(value: object) -> str:
    text = str(value)
    return text if len(text) <= _QUOTE else text[:_QUOTE - 1] + "…"


def _zoom(text: object) -> int | None:
    try:
        zoom = int(str(text).strip())
    except ValueError:
        return None
    return zoom if zoom in ZOOMS else None


def _center(text: object) -> tuple[float, float] | None:
    parts = str(text).split(",")
    if len(parts) != 2:
        return None
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also refuses nan and inf
        return None
    return round(lat, 5), round(lon, 5)


def from_params(
    params: Mapping[str, str],
    scenarios: Iterable[str],
    default_scenario: str,
    window_of,
    default_date_of,
    basemaps: Iterable[str] = ("offline", "osm", "satellite"),
    problems: list[str] | None = None,
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
    problems
        When given, one plain line is appended per parameter that was ignored (its name, the
        value as given, and what is shown instead); the values quoted are the user's, so the
        page escapes them.

    ``known`` is kept when it is a well-formed moment; whether the scenario is a workspace
    (packs never change, so they ignore it) is the page's to decide.
    """
    said = problems if problems is not None else []
    names = list(scenarios)
    scenario = params.get("scenario")
    if scenario not in names:
        if scenario is not None:
            said.append(f"scenario “{_quote(scenario)}” is not one of the scenarios here; "
                        f"showing {default_scenario}.")
        scenario = default_scenario
    window = window_of(scenario)
    day = _day(params.get("date"), window)
    if day is None:
        day = default_date_of(scenario)
        if params.get("date") is not None:
            said.append(f"date “{_quote(params['date'])}” is not a day between {window[0]} and "
                        f"{window[1]}; showing {day}.")
    if "layers" in params:
        asked = [k for k in str(params.get("layers", "")).split(",") if k]
        layers = tuple(k for k in LAYERS if k in asked)
        unknown = [k for k in asked if k not in LAYERS]
        if unknown:
            said.append("layers: " + ", ".join(f"“{_quote(k)}”" for k in unknown[:5])
                        + " unknown, left out.")
    else:
        layers = DEFAULT_LAYERS
    compare = _day(params.get("compare"), window)
    if compare is None and params.get("compare") is not None:
        said.append(f"compare “{_quote(params['compare'])}” is not a day between {window[0]} "
                    f"and {window[1]}; no comparison.")
    if compare is not None and "changes" not in layers:
        layers = tuple(k for k in LAYERS if k in (*layers, "changes"))
    hidden = tuple(a for a in str(params.get("hide", "")).split(",") if a)
    basemap = params.get("basemap", "offline")
    if basemap not in set(basemaps):
        said.append(f"basemap “{_quote(basemap)}” is not offered; showing the offline "
                    "outlines.")
        basemap = "offline"
    known = known_value(params.get("known"))
    if known is None and params.get("known") is not None:
        said.append(f"known “{_quote(params['known'])}” is not a moment (YYYY-MM-DD or "
                    "YYYY-MM-DDTHH:MM); showing the latest version.")
    zoom = _zoom(params["zoom"]) if "zoom" in params else None
    if zoom is None and "zoom" in params:
        said.append(f"zoom “{_quote(params['zoom'])}” is not a whole number from "
                    f"{ZOOMS.start} to {ZOOMS.stop - 1}; showing the scenario's view.")
    center = _center(params["center"]) if "center" in params else None
    if center is None and "center" in params:
        said.append(f"center “{_quote(params['center'])}” is not “latitude,longitude”; "
                    "showing the scenario's view.")
    mine_asked = [k for k in str(params.get("mine", "")).split(",") if k]
    mine = tuple(dict.fromkeys(k for k in mine_asked if _LAYER_NAME.fullmatch(k)))
    if len(mine) < len(set(mine_asked)):
        said.append("mine: " + ", ".join(f"“{_quote(k)}”" for k in mine_asked
                                         if not _LAYER_NAME.fullmatch(k))[:200]
                    + " not a layer name, left out.")
    return View(
        scenario=scenario,
        date=day,
        layers=layers,
        hidden_actors=hidden,
        compare=compare,
        basemap=basemap,
        known=known,
        zoom=zoom,
        center=center,
        mine=mine,
    )
