"""The report box's lasting parts: its text and source outlive a switch of tab, and keeping
its places adds them to the report's one layer in the store, saying what was left out.

Streamlit forgets a widget's value when a run does not draw it (the Report tab closed while
the Export tab is open), so the report's source would be blank in an export made from
another tab; the fields are copied to a key of their own after each run of the box and put
back before its widgets are drawn again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

import layers
from layers import report as reports
from layers.draw.popups import md

#: The report box's widget keys whose values must outlive a closed tab.
FIELDS = ("report_text", "report_publisher", "report_date", "report_url")
KEY = "_report_fields"


def restore() -> None:
    """Before the box's widgets: give back the values a closed tab made Streamlit forget."""
    kept = st.session_state.get(KEY) or {}
    for name in FIELDS:
        if name not in st.session_state and name in kept:
            st.session_state[name] = kept[name]


def remember() -> None:
    """After the box's widgets: copy their values to a key Streamlit keeps."""
    st.session_state[KEY] = {name: st.session_state.get(name, "") for name in FIELDS}


def field(name: str) -> str:
    """A field of the report box, whether or not its tab is drawn in this run."""
    value = st.session_state.get(name)
    if value is None:
        value = (st.session_state.get(KEY) or {}).get(name, "")
    return str(value or "")


def keep(rows: list[dict], source: dict, text: str, day: date, sc: Any) -> dict | None:
    """Keep the ticked ``rows`` as events in the report's one layer (created, or added to:
    places already in it are not added twice), showing each row left out, merged or outside
    the scenario's area. Returns ``{layer name: whole layer}`` to show on the map, or
    ``None`` when nothing was added."""
    store = layers.Store()
    layer = reports.report_layer(source)
    existing: set[str] = set()
    try:
        if layer in store.layers():
            existing = set(store.read(layer)["id"].astype(str))
    except (ValueError, OSError) as err:  # StoreError: the places are still shown
        st.warning(f"The working store cannot be read: {md(err)}")
    kept = reports.keep_places(rows, source, text, day=day, existing=existing,
                               area=reports.scenario_area(sc))
    lines = kept.messages()
    if lines:
        st.warning("  \n".join(md(line) for line in lines))
    if kept.events.empty:
        st.warning("Nothing new to keep: tick Keep on at least one place with coordinates "
                   "that is not in this report's layer yet.")
        return None
    try:
        store.add_layer(layer, kept.events, source=f"report: {source.get('publisher') or ''} "
                                                   f"{source.get('date') or ''}".strip())
        whole = store.read(layer)
    except (ValueError, OSError) as err:  # StoreError: one plain line; the layer still shows
        st.warning(f"Shown but not saved in the working store: {md(err)}")
        whole = kept.events
    st.success(f"Kept {len(kept.events)} places in the layer “{md(layer)}”"
               + (f" ({len(whole)} in all)." if len(whole) != len(kept.events) else "."))
    return {layer: whole}
