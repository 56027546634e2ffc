"""Choose what to export: layers of a state (and user layers) x actors x bounding box.

Features are kept whole (never clipped) when they intersect the box, so an exported zone
keeps its true area; the actor filter applies to layers that name actors and leaves the
others (corridors, crossings, events without actors) as they are.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import shapely

STATE_LAYERS = ("control", "zones", "sieges", "corridors", "crossings", "events", "cuts")
# Columns whose values name actors (a string, a list, or ';'-separated text).
ACTOR_COLUMNS = ("actor", "actors", "besiegers", "besieged")


class SelectionError(ValueError):
    """A selection that cannot be made (unknown layer, bad box); the message says which."""


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """Parse ``W,S,E,N`` in degrees, checking ranges and order.

    Raises
    ------
    SelectionError
        When the text is not four numbers in range with W < E and S < N.
    """
    parts = [p.strip() for p in str(text).split(",")]
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        raise SelectionError(f"--bbox '{text}' is not four numbers W,S,E,N") from None
    if not all(math.isfinite(v) for v in (w, s, e, n)):
        raise SelectionError(f"--bbox '{text}' has a value that is not finite")
    if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= 90 and -90 <= n <= 90):
        raise SelectionError(f"--bbox '{text}' is out of range (lon -180..180, lat -90..90)")
    if w >= e or s >= n:
        raise SelectionError(f"--bbox '{text}' needs W < E and S < N")
    return w, s, e, n


def _actor_values(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, float) and math.isnan(value):
        return set()
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return {str(v) for v in json.loads(text)}
            except ValueError:
                pass
        return {p.strip() for p in text.split(";") if p.strip()}
    if isinstance(value, Iterable):
        return {str(v) for v in value}
    return {str(value)}


def filter_actors(gdf: gpd.GeoDataFrame, actors: Iterable[str]) -> gpd.GeoDataFrame:
    """Keep features any of whose actor columns names one of ``actors``.

    A layer with no actor column is returned unchanged.
    """
    wanted = set(actors)
    cols = [c for c in ACTOR_COLUMNS if c in gdf.columns]
    if not cols:
        return gdf
    keep = [
        any(_actor_values(row[c]) & wanted for c in cols)
        for row in gdf[cols].to_dict("records")
    ]
    return gdf[keep]


def filter_bbox(gdf: gpd.GeoDataFrame, bbox: Sequence[float]) -> gpd.GeoDataFrame:
    """Keep features whose geometry intersects the W,S,E,N box (EPSG:4326), whole."""
    if gdf.empty:
        return gdf
    box = shapely.box(*bbox)
    idx = gdf.sindex.query(box, predicate="intersects")
    idx.sort()
    return gdf.iloc[idx]


def _layer(state: Any, name: str) -> gpd.GeoDataFrame:
    if isinstance(state, Mapping):
        return state[name]
    return getattr(state, name)


def select(
    state: Any,
    layers: Sequence[str] | None,
    actors: Iterable[str] | None = None,
    bbox: Sequence[float] | str | None = None,
    *,
    user_layers: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """The export selection: named layers, filtered by actors and bounding box.

    Parameters
    ----------
    state : State, mapping or None
        The state at a date (``.control``, ``.zones``, ... GeoDataFrames in EPSG:4326); None
        when only user layers are exported.
    layers : sequence of str or None
        State layers to keep, in order; None means all of :data:`STATE_LAYERS` the state has.
    actors : iterable of str, optional
        Actor ids; features of actor-bearing layers naming none of them are dropped.
    bbox : (W, S, E, N) or "W,S,E,N", optional
        Degrees; features intersecting it are kept whole.
    user_layers : mapping of name to GeoDataFrame, optional
        Layers from the working store, added after the state layers under their own names.

    Returns
    -------
    dict of str to GeoDataFrame
        In EPSG:4326, in the order asked for.

    Raises
    ------
    SelectionError
        Unknown layer name, a user layer clashing with a state layer, or a bad box.
    """
    if isinstance(bbox, str):
        bbox = parse_bbox(bbox)
    chosen: dict[str, gpd.GeoDataFrame] = {}
    if state is not None:
        names = list(layers) if layers is not None else [
            n for n in STATE_LAYERS
            if (n in state if isinstance(state, Mapping) else hasattr(state, n))
        ]
        for name in names:
            if name not in STATE_LAYERS:
                raise SelectionError(
                    f"unknown layer '{name}' (choose from {', '.join(STATE_LAYERS)})"
                )
            chosen[name] = _layer(state, name)
    elif layers:
        raise SelectionError("scenario layers asked for but no scenario given")
    for name, gdf in (user_layers or {}).items():
        if name in chosen:
            raise SelectionError(f"user layer '{name}' has the name of a scenario layer")
        chosen[name] = gdf
    out: dict[str, gpd.GeoDataFrame] = {}
    for name, gdf in chosen.items():
        if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
            gdf = gdf.to_crs(4326)
        if actors is not None:
            gdf = filter_actors(gdf, actors)
        if bbox is not None:
            gdf = filter_bbox(gdf, bbox)
        out[name] = gdf
    return out
