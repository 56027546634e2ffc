"""The link in the address bar: always the whole view the page last showed.

A full run writes the view (:func:`show`). The map's fragment then reports where the map looks
(:func:`follow_map`). A fragment run sees the query parameters the browser had when it asked
for the run, and a run asked for while another was under way may see an address older than
that run's; so the fragment writes the whole view again (the last one shown, with the map's
zoom and centre), never just the two keys over what it was given.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from layers.draw.view import View

#: Session key of the view last shown.
KEY = "_shown_view"


def show(view: View) -> None:
    """Remember ``view`` as what the page shows and put it in the address bar."""
    st.session_state[KEY] = view
    params = view.to_params()
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def follow_map(zoom: int | None, centre: tuple[float, float] | None, **changes: Any) -> None:
    """The view last shown, with the map's ``zoom`` and ``centre`` (each kept as it was when
    ``None``) and any other ``changes`` (fields of :class:`View`), into the address bar."""
    view = st.session_state.get(KEY)
    if view is None:
        return
    if zoom is not None:
        changes["zoom"] = zoom
    if centre is not None:
        changes["center"] = centre
    show(replace(view, **changes))
