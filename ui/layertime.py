"""Which columns date a user layer: kept with the layer in the working store, so a dated layer
follows the map's date in every session and for every user of a team store; the session holds
the copy the map draws from (``_user_time``: layer name -> (start column, end column or None)).

The store is read again only when the layer's history has grown since it was last read (a new
session, or someone's edit), so a choice the store refused (a viewer on a team store) still
holds for this session.
"""

from __future__ import annotations

import streamlit as st

import layers

#: Session keys: the spans the map uses; per layer, the history length when last read; per
#: layer, the span last written to (or refused by) the store.
SESSION, SEEN, KEPT = "_user_time", "_user_time_seen", "_user_time_kept"

Span = tuple[str, str | None]


def sync(store, name: str, changes: int) -> None:
    """Take stored layer ``name``'s date columns from ``store`` when its history (``changes``
    entries long) has changed since they were last read.

    Raises
    ------
    StoreError
        The store cannot be read.
    """
    seen = st.session_state.setdefault(SEEN, {})
    if seen.get(name) == changes:
        return
    span = store.time(name)
    seen[name] = changes
    st.session_state.setdefault(KEPT, {})[name] = span
    timing = st.session_state.setdefault(SESSION, {})
    if span:
        timing[name] = span
    else:
        timing.pop(name, None)


def choose(name: str, span: Span | None) -> str | None:
    """The user's choice for layer ``name`` (``None``: it does not follow the date): drawn at
    once, and kept in the working store when the layer is there. Returns a line to show when
    the store could not keep it (the choice then holds for this session only)."""
    timing = st.session_state.setdefault(SESSION, {})
    if span:
        timing[name] = span
    else:
        timing.pop(name, None)
    kept = st.session_state.setdefault(KEPT, {})
    if name in kept and kept[name] == span:
        return None
    kept[name] = span  # written or refused: not tried again on every run
    try:
        store = layers.Store()
        if name not in store.layers() or store.time(name) == span:
            return None
        store.set_time(name, *(span or (None, None)), source=source_text(span))
    except (ValueError, OSError) as err:  # StoreError, PermissionDenied: one plain line
        return f"The dates of “{name}” hold for this session only: {err}"
    return None


def source_text(span: Span | None) -> str:
    """The history's line for a change of a layer's date columns."""
    if not span:
        return "page: no longer follows the map's date"
    return f"page: dated by column '{span[0]}'" + (f" until '{span[1]}'" if span[1] else "")
