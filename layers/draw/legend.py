"""The map legend as small, escaped HTML (shown beside the map, so the map itself stays stable).

Each swatch is an inline SVG drawn from the same style values as the map (``style.py``: colours,
line widths and dash patterns; ``icons.py``: point symbols), so a dashed line in the legend is
dashed the way it is on the map. Given the drawn layers, the legend lists only what they hold
on the date (the actors with ground, the corridor statuses present, the event types shown).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from typing import Any

from . import icons
from . import style as st
from .groups import CONTESTED, UNKNOWN, DrawContext, Finished, legend_keys
from .popups import escape

_W, _H = 30, 16


def _img(svg: str, width: int = _W, height: int = _H) -> str:
    """An SVG as an ``<img>`` with a data URI (the page's HTML sanitiser drops inline SVG)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f"<img alt='' width='{width}' height='{height}' src='data:image/svg+xml;base64,"
            f"{data}' style='vertical-align:middle;margin-right:6px;flex:none'/>")


def _svg(body: str) -> str:
    return _img(f"<svg xmlns='http://www.w3.org/2000/svg' width='{_W}' height='{_H}' "
                f"viewBox='0 0 {_W} {_H}'>{body}</svg>")


def _dash(style: Mapping[str, Any]) -> str:
    dash = style.get("dashArray")
    return f" stroke-dasharray='{dash}'" if dash else ""


def area_swatch(style: Mapping[str, Any], *, hatch: bool = False) -> str:
    """A rectangle filled and outlined as ``style`` (a Leaflet path style)."""
    fill = style.get("fillColor", "none") if style.get("fill", True) is not False else "none"
    body = (f"<rect x='1.5' y='1.5' width='{_W - 3}' height='{_H - 3}' fill='{fill}' "
            f"fill-opacity='{style.get('fillOpacity', 0.2)}' stroke='{style.get('color')}' "
            f"stroke-width='{min(float(style.get('weight', 1)), 4)}'"
            f" stroke-opacity='{style.get('opacity', 1)}'{_dash(style)}/>")
    if hatch:
        body += "".join(f"<line x1='{x}' y1='{_H}' x2='{x + _H}' y2='0' stroke='"
                        f"{st.HATCH_STYLE['color']}' stroke-width='1' stroke-opacity='0.7'/>"
                        for x in range(-12, _W, 6))
    return _svg(body)


def line_swatch(*styles: Mapping[str, Any]) -> str:
    """Horizontal lines drawn as ``styles``, bottom first (e.g. a band under a corridor)."""
    body = "".join(
        f"<line x1='1' y1='{_H / 2}' x2='{_W - 1}' y2='{_H / 2}' stroke='{s.get('color')}' "
        f"stroke-width='{min(float(s.get('weight', 3)), 12)}' "
        f"stroke-opacity='{s.get('opacity', 1)}'{_dash(s)}/>" for s in styles)
    return _svg(body)


def outline_swatch(*styles: Mapping[str, Any]) -> str:
    """Unfilled rectangles outlined as ``styles``, bottom first (casing, then edge)."""
    body = "".join(
        f"<rect x='4' y='3.5' width='{_W - 8}' height='{_H - 7}' fill='none' "
        f"stroke='{s.get('color')}' stroke-width='{min(float(s.get('weight', 2)), 7)}' "
        f"stroke-opacity='{s.get('opacity', 1)}'{_dash(s)}/>" for s in styles)
    return _svg(body)


def dot_swatch(style: Mapping[str, Any]) -> str:
    """A circle marker as ``style`` (radius, colours, edge)."""
    r = min(float(style.get("radius", 5)), 7)
    return _svg(f"<circle cx='{_W / 2}' cy='{_H / 2}' r='{r}' fill='{style.get('fillColor')}' "
                f"fill-opacity='{style.get('fillOpacity', 1)}' stroke='{style.get('color')}' "
                f"stroke-width='{style.get('weight', 1)}'{_dash(style)}/>")


def icon_swatch(svg: str) -> str:
    """One of the map's SVG symbols (20 × 20), centred in a swatch."""
    return _svg(f"<g transform='translate({(_W - 16) / 2} 0) scale(0.8)'>"
                + svg.split(">", 1)[1].rsplit("</svg>", 1)[0] + "</g>")


def drawn_keys(collections: Mapping[str, Mapping[str, Any] | Finished]) -> set[str]:
    """Legend keys of what the layers draw (FeatureCollection dicts or finished layers): see
    :func:`~layers.draw.groups.legend_keys`."""
    keys: set[str] = set()
    for layer, collection in collections.items():
        keys |= (collection.keys if isinstance(collection, Finished)
                 else legend_keys(layer, collection))
    return keys


def legend_entries(
    ctx: DrawContext, layers: Iterable[str] | Mapping[str, Mapping[str, Any] | Finished],
    actors: Iterable[str] | None = None, present: Iterable[str] | None = None,
) -> list[tuple[str, str]]:
    """(swatch HTML, escaped label) pairs for what is on the map.

    Parameters
    ----------
    ctx
        Actor names and colours.
    layers
        Either the drawn layers (layer key → FeatureCollection or finished layer): the legend
        then lists exactly what they hold; or visible layer keys: every entry those layers
        can have.
    actors
        Control toggles that are on (``None``: all).
    present
        Actors that hold ground on the date (``None``: all); others stay out of the legend.
    """
    drawn = drawn_keys(layers) if isinstance(layers, Mapping) else None
    names = set(layers)
    shown = None if actors is None else set(actors)
    holding = None if present is None else set(present)

    def has(key: str) -> bool:
        return drawn is None or key in drawn

    out: list[tuple[str, str]] = []
    if "control" in names:
        for aid in ctx.actors:
            if ((shown is None or aid in shown) and (holding is None or aid in holding)
                    and has(f"control:{aid}")):
                colour = ctx.colours.get(aid, st.GREY)
                out.append((area_swatch(st.zone_style("controlled", colour)),
                            escape(ctx.actor_name(aid))))
        if (shown is None or CONTESTED in shown) and has(f"control:{CONTESTED}"):
            out.append((area_swatch(st.zone_style(CONTESTED, None), hatch=True), "Contested"))
        if (shown is None or UNKNOWN in shown) and has(f"control:{UNKNOWN}"):
            out.append((area_swatch(st.zone_style(None, None)), "Unknown"))
    if "changes" in names and has("changed"):
        out.append((outline_swatch(st.CHANGED_CASING_STYLE, st.CHANGED_STYLE),
                    "Changed hands since the comparison date"))
    if "sieges" in names:
        if has("siege") and (drawn is None or "siege:area" in drawn):
            out.append((area_swatch(st.SIEGE_STYLE), "Besieged area"))
        if drawn is not None and "siege-point" in drawn:
            out.append((icon_swatch(icons.SIEGE_POINT_ICON), "Besieged place"))
        if drawn is not None and "siege-town" in drawn:
            out.append((icon_swatch(icons.SIEGE_TOWN_ICON),
                        "Town of a besieged group (when zoomed in)"))
    if "corridors" in names:
        if has("cut"):
            out.append((line_swatch(st.CUT_STYLE, st.route_style("open")),
                        "Band: stretch of a corridor over hostile or contested ground"))
        for status in st.ROUTE_STATUS:
            if has(f"corridor:{status}"):
                out.append((line_swatch(st.route_style(status)),
                            f"Corridor {escape(status.replace('_', ' '))}"))
    if "crossings" in names:
        for status in st.ROUTE_STATUS:
            if has(f"crossing:{status}"):
                out.append((dot_swatch(st.point_style("crossing", status)),
                            f"Crossing {escape(status.replace('_', ' '))}"))
    if "events" in names:
        for kind, label in icons.EVENT_LABELS.items():
            if has(f"event:{kind}") or (drawn is None and kind == "other"):
                out.append((icon_swatch(icons.event_icon(kind)),
                             "Event" if drawn is None else f"Event: {label.lower()}"))
    if "mentions" in names or "user" in names:
        if drawn is None and "mentions" in names or drawn is not None and "place" in drawn:
            out.append((icon_swatch(icons.PLACE_ICON), "Place named in a report"))
        if drawn is not None and "place-weak" in drawn:
            out.append((icon_swatch(icons.PLACE_WEAK_ICON),
                        "Place named in a report (low confidence)"))
    if "user" in names:
        if drawn is None or "user:point" in drawn:
            out.append((dot_swatch(st.USER_POINT_STYLE), "My layers (points)"))
        if drawn is None or "user:area" in drawn:
            out.append((area_swatch(st.USER_STYLE), "My layers (lines, areas)"))
    if drawn is not None and "search" in drawn:
        out.append((icon_swatch(icons.SEARCH_ICON), "Place found by the search"))
    return out


def legend_html(entries: Iterable[tuple[str, str]]) -> str:
    """The entries as one block of HTML (labels are already escaped)."""
    rows = "".join(f"<div style='font-size:0.85rem;line-height:1.5;display:flex;"
                   f"align-items:center'>{sw}<span>{label}</span></div>"
                   for sw, label in entries)
    return f"<div class='cordon-legend'>{rows}</div>"
