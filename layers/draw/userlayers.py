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


# --------------------------------------------------------------------------- dated layers
#: Column names read as "valid from" and "valid to" (lower case); a lone date column is the
#: day an event happened.
FROM_NAMES = ("valid_from", "from", "start", "start_date", "date_from", "begin", "since")
TO_NAMES = ("valid_to", "to", "end", "end_date", "date_to", "until")
DATE_NAMES = ("date", "day", "event_date", "when", "time", "datetime", "timestamp")
#: Share of a column's filled cells that must read as dates for it to count as a date column.
DATE_SHARE = 0.8
_ISO_DAY = r"^\s*\d{4}-\d{2}(-\d{2})?([T ].*)?\s*$"


def _as_days(values: Any) -> Any:
    """A column as ``datetime64[D]`` (NaT where a cell is not a date). Text must be ISO
    (``YYYY-MM`` or ``YYYY-MM-DD``, with or without a time): numbers are never dates."""
    import numpy as np
    import pandas as pd

    col = pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(col):
        stamps = pd.to_datetime(col, errors="coerce", utc=True).dt.tz_localize(None)
    else:
        text = col.astype("string")
        iso = text.str.match(_ISO_DAY).fillna(False)
        stamps = pd.to_datetime(text.where(iso).str.strip().str.slice(0, 10), errors="coerce",
                                format="mixed")
    return np.asarray(stamps.dt.floor("D").to_numpy(), dtype="datetime64[D]")


def date_columns(frame: Any) -> list[str]:
    """Columns of ``frame`` whose filled cells are mostly dates (at least :data:`DATE_SHARE`)."""
    import numpy as np

    out = []
    geometry = frame.geometry.name if hasattr(frame, "geometry") else None
    for name in frame.columns:
        if name == geometry:
            continue
        col = frame[name]
        filled = col.notna() & (col.astype("string").str.strip() != "")
        n = int(filled.sum())
        if n == 0:
            continue
        days = _as_days(col[filled])
        if np.count_nonzero(~np.isnat(days)) >= DATE_SHARE * n:
            out.append(str(name))
    return out


def guess_span(frame: Any) -> tuple[str | None, str | None]:
    """The (from, to) date columns to propose for ``frame``: a from/to pair by name, else a
    lone date column as "from" (an event on that day); ``(None, None)`` when there is none."""
    cols = date_columns(frame)
    by_lower = {c.lower(): c for c in cols}
    start = next((by_lower[n] for n in FROM_NAMES if n in by_lower), None)
    end = next((by_lower[n] for n in TO_NAMES if n in by_lower), None)
    if start is None:
        start = next((by_lower[n] for n in DATE_NAMES if n in by_lower), None)
    if start is None:
        start = next((c for c in cols if c != end), None)
    return start, end


class DatedLayer:
    """A user layer drawn once, shown on each date with only the features valid then.

    A feature with a "from" column only is shown from that day on (an event stays on the map
    after it happened, as the scenario's events do); with "to" as well, it is shown on days
    ``from <= day < to``. A missing or unreadable date does not hide a feature: it is shown on
    every day and counted in :attr:`undated`.
    """

    def __init__(self, name: str, frame: Any, start: str | None, end: str | None = None):
        import numpy as np
        import shapely

        geoms = np.asarray(frame.geometry.values)
        keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        drawn = frame[keep]
        self.name, self.start, self.end = name, start, end
        self.features = draw_layer(name, drawn)["features"]
        far_past, far_future = np.datetime64("0001-01-01"), np.datetime64("9999-12-31")
        t0 = _as_days(drawn[start]) if start else np.full(len(drawn), np.datetime64("NaT"),
                                                          dtype="datetime64[D]")
        t1 = _as_days(drawn[end]) if end else np.full(len(drawn), np.datetime64("NaT"),
                                                      dtype="datetime64[D]")
        self.undated = int(np.count_nonzero(np.isnat(t0) & np.isnat(t1))) if (start or end) \
            else len(drawn)
        self._t0 = np.where(np.isnat(t0), far_past, t0)
        self._t1 = np.where(np.isnat(t1), far_future, t1)

    def on(self, day: Any) -> list[dict]:
        """The features shown on ``day`` (a ``datetime.date``)."""
        import numpy as np

        d = np.datetime64(day, "D")
        mask = (self._t0 <= d) & (d < self._t1)
        return [f for f, k in zip(self.features, mask, strict=True) if k]
