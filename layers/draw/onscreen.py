"""Exactly what is on screen, as an export selection for ``layers.export``.

The page draws the visible state layers at the date (control filtered by the actor toggles),
the places that changed hands (when comparing), the report's kept mentions and the user's
layers; this gathers the same records with their full geometry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd

from layers.report import kept_events

from .groups import CONTESTED, UNKNOWN, DrawContext, _blank


def control_key(actor: Any, status: Any) -> str:
    """The toggle a control row belongs to: its actor, or ``contested``/``unknown``."""
    if status == "controlled" and not _blank(actor):
        return str(actor)
    return CONTESTED if status == CONTESTED else UNKNOWN


def visible_actors(ctx: DrawContext, hidden: Iterable[str]) -> list[str]:
    """Toggle keys that are on: the scenario's actors plus ``contested``/``unknown``."""
    off = set(hidden)
    return [k for k in (*ctx.actors, CONTESTED, UNKNOWN) if k not in off]


def filter_control(control: gpd.GeoDataFrame, shown: Iterable[str]) -> gpd.GeoDataFrame:
    """Control rows whose toggle is on (same rule as the map)."""
    if control is None or control.empty:
        return control
    wanted = set(shown)
    actors = control["actor"] if "actor" in control else [None] * len(control)
    statuses = control["status"] if "status" in control else [None] * len(control)
    keep = [control_key(a, s) in wanted for a, s in zip(actors, statuses, strict=True)]
    return control[keep]


def selection(
    select,
    state: Any,
    layers: Iterable[str],
    shown_actors: Iterable[str],
    *,
    changed: gpd.GeoDataFrame | None = None,
    mention_rows: Iterable[Mapping[str, Any]] = (),
    report: Mapping[str, Any] | None = None,
    user_layers: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """The on-screen selection.

    Parameters
    ----------
    select
        ``layers.select`` (passed in so this module does not import the layers package root).
    state
        The state at the date.
    layers
        Visible layer keys (``control``, ``sieges``, …, ``changes``, ``mentions``, ``user``).
    shown_actors
        Control toggles that are on (see :func:`visible_actors`).
    changed, mention_rows, report, user_layers
        The comparison's changed units, the report's ticked mentions and its source, the user's
        layers; each exported only when its layer is visible.
    """
    visible = list(layers)
    extra: dict[str, gpd.GeoDataFrame] = {}
    if "changes" in visible and changed is not None and not changed.empty:
        extra["changed_hands"] = changed
    if "mentions" in visible:
        events = kept_events(mention_rows, report or {})
        if not events.empty:
            extra["report_places"] = events
    if "user" in visible:
        extra.update({k: v for k, v in (user_layers or {}).items() if v is not None})
    state_layers = [k for k in visible if k in ("control", "sieges", "corridors", "crossings",
                                                  "events")]
    chosen = select(state, state_layers, user_layers=extra or None)
    if "control" in chosen:
        chosen["control"] = filter_control(chosen["control"], shown_actors)
    return chosen


def layer_name(text: str, taken: Iterable[str] = ()) -> str:
    """A store-safe layer name from a file name: a letter, then letters, digits, ``_``, ``-``."""
    import re

    base = re.sub(r"[^A-Za-z0-9_-]+", "_", str(text)).strip("_-")[:40]
    if not base or not base[0].isalpha():
        base = f"layer_{base}".rstrip("_")
    name, n, used = base, 1, set(taken)
    while name in used or name in ("control", "zones", "sieges", "corridors", "crossings",
                                   "events"):
        n += 1
        name = f"{base}_{n}"
    return name
