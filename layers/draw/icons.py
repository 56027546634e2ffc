"""Point symbols as small inline SVG: one per event type, report places and the searched place.

The same SVG strings draw the markers on the map (through :mod:`layers.draw.mapscript`, which
hands them to Leaflet as ``divIcon`` HTML) and the legend swatches, so the two always agree.
Nothing here comes from data: the icon of a feature is chosen by a key (the event's type), and
an unknown key falls back to ``other``.
"""

from __future__ import annotations

#: Event types of the pack format (docs/ARCHITECTURE.md) and how each reads in the legend.
EVENT_LABELS = {
    "strike": "Strike",
    "offensive": "Offensive",
    "ceasefire": "Ceasefire",
    "agreement": "Agreement",
    "convoy": "Convoy",
    "evacuation": "Evacuation",
    "siege": "Siege begins or ends",
    "breach": "Siege broken",
    "other": "Other event",
}

_INK = "#1a1a1a"
_DISC = ("<circle cx='10' cy='10' r='8.5' fill='#ffffff' stroke='#1a1a1a' "
         "stroke-width='1.5'/>")

#: Glyph drawn inside the white disc, per event type (20 × 20 view box).
_GLYPHS = {
    "strike": f"<polygon points='10,3 11.8,7.6 16.6,6.4 13.2,10 16.6,13.6 11.8,12.4 10,17 "
              f"8.2,12.4 3.4,13.6 6.8,10 3.4,6.4 8.2,7.6' fill='#D55E00' stroke='{_INK}' "
              "stroke-width='0.6'/>",
    "offensive": f"<path d='M4 10h9M10 6l4 4-4 4' fill='none' stroke='{_INK}' "
                 "stroke-width='2.2' stroke-linecap='round' stroke-linejoin='round'/>",
    "ceasefire": f"<rect x='6.5' y='5.5' width='2.4' height='9' fill='{_INK}'/>"
                 f"<rect x='11.1' y='5.5' width='2.4' height='9' fill='{_INK}'/>",
    "agreement": "<path d='M5.5 10.5l3 3 6-7' fill='none' stroke='#009E73' "
                 "stroke-width='2.4' stroke-linecap='round' stroke-linejoin='round'/>",
    "convoy": f"<rect x='4' y='7' width='7.5' height='5.5' fill='{_INK}'/>"
              f"<path d='M11.5 9h3l1.5 2v1.5h-4.5z' fill='{_INK}'/>"
              f"<circle cx='7' cy='14' r='1.5' fill='{_INK}'/>"
              f"<circle cx='13.5' cy='14' r='1.5' fill='{_INK}'/>",
    "evacuation": f"<path d='M6 5.5v9h5M9 10h7M13.5 7.5l2.5 2.5-2.5 2.5' fill='none' "
                  f"stroke='{_INK}' stroke-width='1.8' stroke-linecap='round' "
                  "stroke-linejoin='round'/>",
    "siege": f"<circle cx='10' cy='10' r='4.5' fill='none' stroke='{_INK}' "
             "stroke-width='2' stroke-dasharray='3 1.6'/>",
    "breach": f"<path d='M12.8 6.2A4.5 4.5 0 1 0 14.5 10' fill='none' stroke='{_INK}' "
              "stroke-width='2'/><path d='M13 5l3 -1.5' stroke='#D55E00' stroke-width='1.8' "
              "stroke-linecap='round'/>",
    "other": f"<circle cx='10' cy='10' r='3' fill='{_INK}'/>",
}


def _svg(body: str, size: int = 20) -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{size}' height='{size}' "
            f"viewBox='0 0 20 20' aria-hidden='true'>{body}</svg>")


def event_icon(kind: str | None, size: int = 20) -> str:
    """SVG markup of the icon for an event of type ``kind`` (``other`` when unknown)."""
    glyph = _GLYPHS.get(str(kind or "other"), _GLYPHS["other"])
    return _svg(_DISC + glyph, size)


#: A place named in a report (kept or ticked): a yellow diamond; hollow when weak.
PLACE_ICON = _svg("<path d='M10 2.5l7 7.5-7 7.5-7-7.5z' fill='#F0E442' stroke='#000000' "
                  "stroke-width='1.6'/><circle cx='10' cy='10' r='1.8' fill='#000000'/>")
PLACE_WEAK_ICON = _svg("<path d='M10 2.5l7 7.5-7 7.5-7-7.5z' fill='#ffffff' "
                       "fill-opacity='0.6' stroke='#000000' stroke-width='1.6' "
                       "stroke-dasharray='2 2'/>")
#: The place found with "Find a place": a crosshair ring, unlike every data symbol.
SEARCH_ICON = _svg("<circle cx='10' cy='10' r='6.5' fill='none' stroke='#ffffff' "
                   "stroke-width='4'/><circle cx='10' cy='10' r='6.5' fill='none' "
                   "stroke='#CC79A7' stroke-width='2.2'/><path d='M10 0.5v5M10 14.5v5M0.5 "
                   "10h5M14.5 10h5' stroke='#000000' stroke-width='1.6'/>")


#: A siege known only as a point (a town on the UN list): a dashed black ring on a white halo,
#: the siege line's style in small.
SIEGE_POINT_ICON = _svg("<circle cx='10' cy='10' r='7' fill='#000000' fill-opacity='0.12' "
                        "stroke='#ffffff' stroke-width='4.5'/><circle cx='10' cy='10' r='7' "
                        "fill='none' stroke='#000000' stroke-width='2.4' "
                        "stroke-dasharray='4 2.2'/>")


#: One town of a siege that spans several (Eastern Ghouta's nine): the ring in smaller, shown
#: once the towns stand apart on screen; the siege's own symbol names the group.
SIEGE_TOWN_ICON = _svg("<circle cx='10' cy='10' r='4.2' fill='#ffffff' fill-opacity='0.7' "
                       "stroke='#000000' stroke-width='1.8' stroke-dasharray='2.6 1.6'/>")


def icon_table() -> dict[str, str]:
    """Icon key → SVG, for the map's script: ``event:<type>`` per type, ``place``,
    ``place-weak``, ``search``, ``siege-point`` and ``siege-town``."""
    out = {f"event:{k}": event_icon(k) for k in EVENT_LABELS}
    out.update({"place": PLACE_ICON, "place-weak": PLACE_WEAK_ICON, "search": SEARCH_ICON,
                "siege-point": SIEGE_POINT_ICON, "siege-town": SIEGE_TOWN_ICON})
    return out
