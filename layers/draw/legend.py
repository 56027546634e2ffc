"""The map legend as small, escaped HTML (shown beside the map, so the map itself stays stable)."""

from __future__ import annotations

from collections.abc import Iterable

from . import style as st
from .groups import CONTESTED, UNKNOWN, DrawContext
from .popups import escape


def _swatch(fill: str, border: str = "#555", *, dash: bool = False, hatch: bool = False,
            line: bool = False, dot: bool = False) -> str:
    if line:
        css = f"border-top:4px {'dashed' if dash else 'solid'} {fill};height:0;margin-top:7px"
    elif dot:
        css = f"background:{fill};border:1.5px solid {border};border-radius:50%"
    else:
        css = f"background:{fill};border:1px {'dashed' if dash else 'solid'} {border}"
        if hatch:
            css += (";background-image:repeating-linear-gradient(45deg,#444 0 1px,"
                    "transparent 1px 5px)")
    return (f"<span style='display:inline-block;width:16px;height:12px;{css};"
            "vertical-align:middle;margin-right:6px'></span>")


def legend_entries(
    ctx: DrawContext, layers: Iterable[str], actors: Iterable[str] | None = None,
    present: Iterable[str] | None = None,
) -> list[tuple[str, str]]:
    """(swatch HTML, escaped label) pairs for what is on the map.

    ``actors`` are the control toggles that are on; ``present`` (when given) the actors that
    hold ground on the date, so actors with nothing on the map stay out of the legend.
    """
    layers = set(layers)
    shown = None if actors is None else set(actors)
    holding = None if present is None else set(present)
    out: list[tuple[str, str]] = []
    if "control" in layers:
        for aid in ctx.actors:
            if (shown is None or aid in shown) and (holding is None or aid in holding):
                out.append((_swatch(ctx.colours.get(aid, st.GREY)),
                            escape(ctx.actor_name(aid))))
        if shown is None or CONTESTED in shown:
            out.append((_swatch(st.GREY, dash=True, hatch=True), "Contested"))
        if shown is None or UNKNOWN in shown:
            out.append((_swatch("#ffffff", "#777", dash=True), "Unknown"))
    if "changes" in layers:
        out.append((_swatch("transparent", "#000"), "Changed hands since the comparison date"))
    if "sieges" in layers:
        out.append((_swatch("#f2f2f2", "#000", dash=True), "Besieged area"))
    if "corridors" in layers:
        for status, (colour, dash) in st.ROUTE_STATUS.items():
            out.append((_swatch(colour, line=True, dash=bool(dash)),
                        f"Corridor {escape(status.replace('_', ' '))}"))
    if "crossings" in layers:
        out.append((_swatch(st.ROUTE_STATUS["open"][0], "#000", dot=True),
                    "Crossing (colour = status)"))
    if "events" in layers:
        out.append((_swatch("#0072B2", "#fff", dot=True), "Event"))
    if "mentions" in layers:
        out.append((_swatch("#F0E442", "#000", dot=True), "Place named in the report"))
    if "user" in layers:
        out.append((_swatch("#56B4E9", "#0b3d5c"), "My layers"))
    return out


def legend_html(entries: Iterable[tuple[str, str]]) -> str:
    """The entries as one block of HTML (labels are already escaped)."""
    rows = "".join(f"<div style='font-size:0.85rem;line-height:1.4'>{sw}{label}</div>"
                   for sw, label in entries)
    return f"<div class='cordon-legend'>{rows}</div>"
