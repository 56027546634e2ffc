"""The scenario's map layers for a date, finished once (JSON text) and reused across dates.

Each layer changes on its own days only (``layers.draw.timesteps.layer_bounds``): the events
layer on event dates, control on control records, and so on. A finished layer is cached under
the first day of *its* epoch, so moving the date redraws only the layers that differ; the
others are the same strings as before. The state itself is asked for (``state_of``) only when
some layer must be drawn anew, and the events layer never needs it.

Cached values are plain strings (:class:`layers.draw.groups.Finished`), never folium objects:
the map is built anew on every run from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import streamlit as st

import layers
from layers import draw
from layers.draw import timesteps
from layers.draw.groups import Finished, event_features, finish_layer
from layers.draw.labels import label_features

#: The layers labels are drawn for (see ``layers.draw.labels``).
LABELLED = ("sieges", "corridors", "crossings", "control")


def bounds(sc: Any) -> dict[str, list[date]]:
    """The days on which each layer may change (cached on the loaded scenario)."""
    if "layer-bounds" not in sc.cache:
        sc.cache["layer-bounds"] = timesteps.layer_bounds(sc)
    return sc.cache["layer-bounds"]


def layer_day(sc: Any, layer: str, day: date) -> str:
    """The first day of ``layer``'s epoch holding ``day`` (ISO text): the layer drawn on that
    day is the layer on ``day``."""
    return timesteps.epoch(day, bounds(sc)[layer], sc.window[0]).isoformat()


@st.cache_data(show_spinner=False, max_entries=512)
def _finished(key: str, layer: str, day: str, variant: tuple,
              _make: Callable[[], dict]) -> Finished:
    """``layer`` of scenario ``key`` on the epoch starting ``day`` (``variant``: what else it
    depends on, e.g. the actors shown), finished from the collection ``_make`` draws."""
    return finish_layer(layer, _make())


def state_layers(key: str, sc: Any, ctx: draw.DrawContext, shown: Iterable[str], day: date,
                 epoch_day: str, *, actors: tuple[str, ...], compare: date | None,
                 compare_epoch: str | None, state_of: Callable[[], Any],
                 changed_of: Callable[[str, str], Any]) -> dict[str, Finished]:
    """The scenario's layers in ``shown`` on ``day``, finished.

    Parameters
    ----------
    key
        The key the caches know the scenario by (a workspace's includes its version).
    sc, ctx
        The scenario and its drawing context.
    shown
        Layer keys on the map (``mentions`` and ``user`` are not the scenario's: skipped).
    day
        The date on the map.
    epoch_day
        The first day of ``day``'s epoch for the whole state (what ``state_of`` returns the
        state of); used for events, which need no other part of the state.
    actors
        The control toggles that are on.
    compare, compare_epoch
        The comparison date, for the ``changes`` layer, and the first day of its epoch.
    state_of
        Returns the state at ``epoch_day``; called only when a layer is drawn anew.
    changed_of
        ``(compare_epoch, epoch_day)`` → units that changed hands, for ``changes`` (worked out
        on the days whose states the page keeps anyway; cached by the control epochs).
    """
    out: dict[str, Finished] = {}
    for k in shown:
        if k in ("mentions", "user"):
            continue
        if k == "changes":
            if compare is None:
                continue
            a, b = layer_day(sc, "control", compare), layer_day(sc, "control", day)
            out[k] = _finished(key, k, b, (a,), lambda: draw.layer_features(
                None, ctx, ["changes"], changed=changed_of(compare_epoch, epoch_day))["changes"])
        elif k == "events":
            out[k] = _finished(key, k, layer_day(sc, k, day), (), lambda: event_features(
                layers.events_at(sc, epoch_day), ctx))
        elif k == "control":
            out[k] = _finished(key, k, layer_day(sc, k, day), actors, lambda: draw.layer_features(
                state_of(), ctx, ["control"], actors=actors)["control"])
        else:
            out[k] = _finished(key, k, layer_day(sc, k, day), (), lambda k=k: draw.layer_features(
                state_of(), ctx, [k])[k])
    return out


def labels(key: str, sc: Any, ctx: draw.DrawContext, shown: Iterable[str], day: date,
           actors: tuple[str, ...], state_of: Callable[[], Any]) -> Finished:
    """Names by zoom for the labelled layers in ``shown`` on ``day``, finished (redrawn only
    when one of those layers changes)."""
    which = tuple(k for k in LABELLED if k in set(shown))
    days = "|".join(layer_day(sc, k, day) for k in which)
    return _finished(key, "labels", days, (which, actors),
                     lambda: label_features(state_of(), ctx, which, actors))
