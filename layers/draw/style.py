"""Colours and line styles: one place so the map, the legend and the tests agree.

Actor colours come from the scenario pack; an actor without a usable colour gets the next colour
of the Okabe–Ito palette (safe for the common forms of colour blindness). Statuses never rely on
colour alone: contested ground is grey *and* hatched, unknown ground is pale with a dotted edge,
corridor statuses differ in dash pattern as well as colour.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

#: Okabe & Ito (2008), "Color Universal Design"; black left out (used for outlines).
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
)
GREY = "#8c8c8c"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _field(obj: Any, name: str, default: Any = None) -> Any:
    """Read ``name`` from a mapping or an object (records may be dicts or dataclasses)."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def actor_colours(actors: Iterable[Any]) -> dict[str, str]:
    """Actor id -> ``#rrggbb``; the pack's colour when valid, else the next Okabe–Ito colour."""
    records = list(actors)
    given = {}
    for actor in records:
        colour = _field(actor, "colour") or _field(actor, "color")
        if isinstance(colour, str) and _HEX.match(colour):
            given[str(_field(actor, "id"))] = colour
    taken = {c.lower() for c in given.values()}
    # Fallbacks skip colours the pack already uses, so two actors never share one.
    spare = iter([c for c in OKABE_ITO if c.lower() not in taken] + list(OKABE_ITO) * 4)
    return {str(_field(a, "id")): given.get(str(_field(a, "id"))) or next(spare)
            for a in records}


def zone_style(status: str | None, colour: str | None) -> dict[str, Any]:
    """Leaflet path style for a control unit or zone.

    ``controlled`` ground takes the actor's colour; ``contested`` is grey (hatch lines are added
    as a separate overlay); anything else is treated as unknown.
    """
    if status == "controlled" and colour:
        return {"color": colour, "weight": 0.8, "opacity": 0.9, "fillColor": colour,
                "fillOpacity": 0.45}
    if status == "contested":
        return {"color": "#555555", "weight": 1, "opacity": 0.9, "fillColor": GREY,
                "fillOpacity": 0.35, "dashArray": "4 3"}
    return {"color": "#777777", "weight": 1, "opacity": 0.8, "fillColor": "#ffffff",
            "fillOpacity": 0.2, "dashArray": "1 4"}


HATCH_STYLE = {"color": "#444444", "weight": 1, "opacity": 0.7}
#: Changed hands: a reddish-purple dashed edge over a white casing (two features per unit), so
#: it shows on every fill and is never mistaken for the black of sieges and closed corridors.
CHANGED_STYLE = {"color": "#A0307A", "weight": 3.5, "opacity": 1, "fill": False,
                 "dashArray": "7 4"}
CHANGED_CASING_STYLE = {"color": "#ffffff", "weight": 7, "opacity": 0.9, "fill": False,
                        "interactive": False}
CUT_STYLE = {"color": "#D55E00", "weight": 12, "opacity": 0.45, "lineCap": "butt"}
SIEGE_STYLE = {"color": "#000000", "weight": 3, "opacity": 0.9, "fillColor": "#000000",
               "fillOpacity": 0.06, "dashArray": "10 6"}
BASE_COUNTRY_STYLE = {"color": "#9a9a9a", "weight": 1, "fillColor": "#c9c7c0",
                      "fillOpacity": 0.8}
BASE_GOVERNORATE_STYLE = {"color": "#9a9a9a", "weight": 1.2, "fill": False, "interactive": False}
BASE_UNIT_STYLE = {"color": "#c4c4c4", "weight": 0.6, "fillColor": "#f4f1ea", "fillOpacity": 0.5}

#: Corridor / crossing status -> (colour, dash pattern); dash differs so colour is not needed.
ROUTE_STATUS = {
    "open": ("#009E73", None),
    "restricted": ("#E69F00", "8 6"),
    "under_fire": ("#D55E00", "2 6"),
    "closed": ("#000000", "1 8"),
    "unknown": (GREY, "4 4"),
}


def route_style(status: str | None) -> dict[str, Any]:
    """Line style for a corridor in the given status (``unknown`` when missing)."""
    colour, dash = ROUTE_STATUS.get(status or "unknown", ROUTE_STATUS["unknown"])
    style: dict[str, Any] = {"color": colour, "weight": 5, "opacity": 0.95}
    if dash:
        style["dashArray"] = dash
    return style


def point_style(kind: str, status: str | None = None, *, low_confidence: bool = False) -> dict:
    """Circle-marker style for crossings, events, geocoded mentions and user points."""
    if kind == "crossing":
        colour = ROUTE_STATUS.get(status or "unknown", ROUTE_STATUS["unknown"])[0]
        return {"radius": 7, "color": "#000000", "weight": 1.5, "fillColor": colour,
                "fillOpacity": 0.95}
    if kind == "mention":
        style = {"radius": 7, "color": "#000000", "weight": 2, "fillColor": "#F0E442",
                 "fillOpacity": 0.95}
        if low_confidence:
            style.update(fillOpacity=0.25, dashArray="2 3")
        return style
    if kind == "user":
        return dict(USER_POINT_STYLE)
    return {"radius": 4, "color": "#ffffff", "weight": 1, "fillColor": "#0072B2",
            "fillOpacity": 0.9}


#: The user's own layers: white with a near-black edge. Actor fills span the palette from
#: black to yellow, and only this pair keeps a contrast ratio of 3:1 or more against every one
#: of them (see :func:`contrast` and tests/test_draw.py).
USER_STYLE = {"color": "#111111", "weight": 2.5, "fillColor": "#ffffff", "fillOpacity": 0.45}
USER_POINT_STYLE = {"radius": 5, "color": "#111111", "weight": 2, "fillColor": "#ffffff",
                    "fillOpacity": 1}


def _luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2.x definition)."""
    chans = []
    for i in (1, 3, 5):
        c = int(colour[i:i + 2], 16) / 255
        chans.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = chans
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio (1–21) between two ``#rrggbb`` colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)

#: Workspaces: units without a record on the date (clickable, faint), the units selected for
#: recording (a thick black edge, no fill: a wash would change the holder's colour), and what
#: is being drawn (points clicked so far, and the line through them) in reddish purple.
PICK_STYLE = {"color": "#999999", "weight": 0.6, "opacity": 0.8, "fillColor": "#ffffff",
              "fillOpacity": 0.05, "dashArray": "2 3"}
SELECTED_STYLE = {"color": "#000000", "weight": 4.5, "opacity": 1, "fill": False}
DRAW_LINE_STYLE = {"color": "#CC79A7", "weight": 5, "opacity": 1, "dashArray": "8 5"}
DRAW_POINT_STYLE = {"radius": 7, "color": "#000000", "weight": 2, "fillColor": "#CC79A7",
                    "fillOpacity": 1}
