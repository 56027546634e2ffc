"""The page's "Your gazetteers" box (issue 13): add a gazetteer file, see and remove them.

UI only: indexing, validation and the registry are :mod:`geo.gazetteer`'s (the same functions
as ``python -m geo gazetteer add|list|remove``). Added places take part in every lookup at
once — the report box, the search box and ``python -m geo`` — in every process.
"""

from __future__ import annotations

import streamlit as st

from layers.draw.popups import md

#: Largest gazetteer file the page accepts, in MB (a GeoNames country extract is 1–50 MB).
GAZETTEER_CAP_MB = 200


def box() -> None:
    """Upload, list and remove user gazetteers."""
    from geo.gazetteer import (
        GazetteerError,
        add_gazetteer_bytes,
        list_gazetteers,
        remove_gazetteer,
    )

    st.markdown("**Your gazetteers**")
    st.caption("Add the place lists of your operation — a GeoNames dump (.txt or .zip), an "
               "OCHA p-coded CSV or a CSV of name, lat, lon — and the geocoder finds their "
               "places from now on, before the world's places of the same name in their "
               "region. Each place keeps the file as its source.")
    up = st.file_uploader("Gazetteer file", type=["txt", "zip", "csv"], key="gazetteer_file",
                          max_upload_size=GAZETTEER_CAP_MB)
    if up is not None and st.session_state.get("_gazetteer_file_id") != up.file_id:
        st.session_state["_gazetteer_file_id"] = up.file_id
        with st.spinner(f"Indexing {up.name}…"):
            try:
                info = add_gazetteer_bytes(up.getvalue(), up.name)
            except GazetteerError as err:  # one line naming the file, line and field
                st.error(md(str(err)))
            else:
                st.success(f"Added “{md(info.name)}”: {info.places:,} places"
                           + (f" ({info.skipped:,} lines skipped)" if info.skipped else "")
                           + f", {md(info.format)} format.")
    try:
        items = list_gazetteers()
    except GazetteerError as err:
        st.warning(md(str(err)))
        return
    for info in items:
        c1, c2 = st.columns([4, 1])
        c1.write(f"“{md(info.name)}” — {info.places:,} places from {md(info.file)} "
                 f"({md(info.format)}, added {md(info.added)})")
        if c2.button("Remove", key=f"gazetteer_rm:{info.name}"):
            try:
                remove_gazetteer(info.name)
            except GazetteerError as err:
                st.error(md(str(err)))
            else:
                st.rerun()
