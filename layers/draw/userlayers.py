"""The user's layers on the page, each read and drawn on its own.

A layer in the working store outlives the session that added it, so one that cannot be read
or drawn (text that is not UTF-8, a damaged table, a value nothing can write as JSON) would
otherwise break the map in every later session that picks it. Here each layer either becomes a
FeatureCollection or raises :class:`LayerProblem`, whose message is one line naming the layer;
the page shows that line and draws the rest.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .groups import user_features
from .popups import inert

#: How long a reason may be on the page (the rest of a library message is noise there).
REASON_CHARS = 160


class LayerProblem(ValueError):
    """A user layer that cannot be read or drawn; ``str()`` is one line naming it."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


def problem(name: str, err: BaseException, doing: str = "drawn") -> LayerProblem:
    """The one-line problem for layer ``name`` that failed with ``err``.

    Parameters
    ----------
    name
        The layer's name.
    err
        What was raised.
    doing
        What failed, as a past participle: ``"drawn"`` or ``"read"``.

    Returns
    -------
    LayerProblem
        ``Layer “name” cannot be <doing>: <reason>.``
    """
    if any(isinstance(e, UnicodeDecodeError) for e in _chain(err)):
        reason = "it holds text that is not valid UTF-8"
    else:
        first = next((line.strip() for line in str(err).splitlines() if line.strip()), "")
        # The store's own "layer 'x' of store '…' cannot be read: why" says the name twice.
        first = re.sub(rf"^layer '{re.escape(name)}'[^:]*: ", "", first)
        reason = first or type(err).__name__
        if len(reason) > REASON_CHARS:
            reason = reason[:REASON_CHARS - 1].rstrip() + "…"
    return LayerProblem(name, f"Layer “{name}” cannot be {doing}: {reason.rstrip('.')}.")


def _chain(err: BaseException) -> list[BaseException]:
    """``err`` and what it was raised from or during (a wrapper may hide the cause)."""
    out: list[BaseException] = []
    while err is not None and err not in out and len(out) < 10:
        out.append(err)
        err = err.__cause__ or err.__context__
    return out


def read_layer(store: Any, name: str) -> Any:
    """Layer ``name`` read from ``store`` (a ``layers.Store``).

    Raises
    ------
    LayerProblem
        Whatever went wrong reading it, as one line naming the layer.
    """
    try:
        return store.read(name)
    except Exception as err:  # noqa: BLE001 - GDAL, codecs, SQLite: one line for any of them
        raise problem(name, err, "read") from err


def draw_layer(name: str, frame: Any) -> dict:
    """Layer ``name`` as the map's GeoJSON (see :func:`~layers.draw.groups.user_features`).

    The collection is also written as JSON once here: a value that cannot be serialised would
    otherwise fail later, inside the map's rendering, and take every layer with it.

    Parameters
    ----------
    name
        The layer's name (shown in tooltips).
    frame
        Its GeoDataFrame.

    Returns
    -------
    dict
        A FeatureCollection whose strings hold no Jinja syntax.

    Raises
    ------
    LayerProblem
        When the layer cannot be drawn.
    """
    try:
        collection = inert(user_features({name: frame}))
        json.dumps(collection)
    except Exception as err:  # noqa: BLE001 - any failure stays with this one layer
        raise problem(name, err, "drawn") from err
    return collection
