"""Cordon — the Streamlit page: widgets, state and layout only.

Everything a command-line user would also want (loading packs and workspaces, the state at a
date, analysis, geocoding, export, drawing, recording) lives in ``layers``, ``layers.draw`` and
``geo``; this file reads the URL and the widgets, asks those modules, and lays out the answers.
The workspace parts of the page (Fork to edit, As known on, the Record/History panel) are in
``ui/workspace.py``, the "New workspace" tab (from a unit layer) in ``ui/new_workspace.py``.
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
from layers import draw
from layers import report as reports
from layers.draw import charts, onscreen, timesteps, userlayers
from layers.draw import summary as summaries
from layers.draw.popups import md, safe_url
from layers.draw.view import View, from_params
from layers.io.errors import plain_words
from layers.workspace import WorkspaceError
from ui import gazetteers, layertime, maplayers, new_workspace, proposals, reportkeep, viewurl
from ui import workspace as wsui

HERE = Path(__file__).resolve().parent
DEFAULT_SCENARIO = "aleppo-2016"
UPLOAD_CAP_MB = 20
REPORT_CAP_MB = 5  # a .txt report; pasted text is what the browser can hold
LONG_TEXT = 150_000  # characters: above this the geocoder works in pieces and shows a bar
EXPORT_FORMATS = {"GeoJSON": "geojson", "GeoPackage": "gpkg", "KML": "kml", "CSV": "csv",
                  "Briefing page (PNG)": "briefing-png", "Briefing page (PDF)": "briefing-pdf"}
EXPORT_SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml", "csv": ".csv",
                 "briefing-png": ".png", "briefing-pdf": ".pdf"}
TABS = ("Summary", "Report", "Over time", "Export", "My layers", "New workspace", "About the data")
BASEMAPS = {"offline": "Offline outlines", "osm": "OpenStreetMap (online)",
            "satellite": "Satellite (online)"}
#: Seconds between two steps while "Play" runs through the change dates.
PLAY_SECONDS = 1.6
MAP_HEIGHT = 560  # px; the stylesheet below stretches the map to the window when it can
#: Page layout: a short header, a compact sidebar, and a map that takes the rest of the first
#: screen. While a run is under way Streamlit marks the elements not yet redrawn as stale; the
#: map then shows "updating…" so it never looks current while it lags the controls.
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem !important;
  padding-bottom: 1rem !important; }
section[data-testid="stSidebar"][data-collapsed="false"] { min-width: 250px !important;
  max-width: 250px !important; width: 250px !important; }
section[data-testid="stSidebar"] .block-container,
section[data-testid="stSidebar"] [data-testid="stSidebarUserContent"] { padding-top: 1rem; }
iframe[title="streamlit_folium.st_folium"] {
  height: max(380px, calc(100vh - 205px)) !important; }
.st-key-timebar [data-testid="stWidgetLabel"] { min-height: 0; }
div[data-testid="stElementContainer"]:has(iframe[title="streamlit_folium.st_folium"]) {
  position: relative; }
div[data-testid="stElementContainer"][data-stale="true"]:has(
  iframe[title="streamlit_folium.st_folium"])::after {
  content: "updating…"; position: absolute; top: 10px; left: 56px; z-index: 1000;
  background: #fff3cd; color: #5c4400; border: 1px solid #e0c36a; border-radius: 3px;
  padding: 2px 10px; font-size: 0.85rem; }
.cordon-legend svg { flex: none; }
table.cordon-table { border-collapse: collapse; margin-bottom: 1rem; font-size: 0.9rem; }
table.cordon-table caption { caption-side: top; text-align: left; font-weight: 600;
  padding-bottom: 0.25rem; }
table.cordon-table th, table.cordon-table td { border-bottom: 1px solid rgba(49, 51, 63, 0.1);
  padding: 0.25rem 0.75rem 0.25rem 0; text-align: left; vertical-align: top; }
table.cordon-table thead th { color: rgba(49, 51, 63, 0.6); font-weight: 400; }
table.cordon-table tbody th { font-weight: 400; }
.cordon-figure-label { font-size: 0.875rem; }
.cordon-figure-value { font-size: 2.25rem; line-height: 1.3; }
</style>"""

st.set_page_config(page_title="Cordon", layout="wide")


# ------------------------------------------------------------------ cached data (plain keys)
@st.cache_resource(show_spinner=False)
def _vendor() -> str:
    """Local copies of the map's scripts, and the basemap file; returns the basemap's URL."""
    draw.ensure_vendor(HERE / "static")
    return draw.basemap.write_basemap(HERE / "static")


@st.cache_resource(show_spinner="Loading scenario…")
def pack(name: str):
    return layers.load_scenario(name)


def scenario(name: str, known: str | None = None):
    """A shipped pack, or a workspace of the store as it is now (or as known on ``known``)."""
    if name in layers.list_scenarios():
        return pack(name)
    return wsui.load(name, known)


@dataclass(frozen=True)
class Shown:
    """What the page shows: the view, its scenario and the key the caches know it by (the
    pack's name; for a workspace its name, store and version, so an edit is a new key)."""

    view: View
    sc: Any

    @property
    def key(self) -> str:
        ws = self.sc.workspace
        if ws is None:
            return self.view.scenario
        return f"{ws.name}@{ws.backend.location}#{self.sc.version}"


# Cached on ``key``; ``_sc`` (not hashed) is the scenario the key names.
@st.cache_resource(show_spinner=False, max_entries=64)
def state(key: str, day: str, _sc):
    return layers.state_at(_sc, date.fromisoformat(day))


@st.cache_resource(show_spinner=False, max_entries=32)
def changed(key: str, day_a: str, day_b: str, _sc):
    """Units that changed hands between two dates, told in time order (earlier → later)
    whichever of the two dates the user set later."""
    first, last = sorted((date.fromisoformat(day_a), date.fromisoformat(day_b)))
    return summaries.changed_units(layers.changes(_sc, first, last))


@st.cache_data(show_spinner=False, max_entries=64)
def _summary(key: str, day: str, _on: str, _sc) -> dict:
    """The summary of the epoch starting ``day``, worked out on ``_on`` (a day of it)."""
    return layers.summarize(_sc, date.fromisoformat(_on))


def summary(key: str, day: str, sc) -> dict:
    """``layers.summarize`` on ``day``: worked out once per summary epoch (nothing in it but
    its date changes within one, see ``maplayers.layer_day``) on the state the page keeps for
    ``day`` anyway, with the date it is asked for."""
    on = date.fromisoformat(day)
    return {**_summary(key, maplayers.layer_day(sc, "summary", on), epoch_day(sc, on), sc),
            "date": day}


@st.cache_data(show_spinner="Summarising the scenario over time…", max_entries=8)
def history(key: str, _sc) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(population per siege, ground per actor) at sampled dates (``charts.history_frames``)."""
    start, end = _sc.window
    days = charts.history_dates(start, end, _sc.sieges)
    return charts.history_frames(lambda d: summary(key, d.isoformat(), _sc), days)


def context(sc) -> draw.DrawContext:
    key = "draw-context"
    if key not in sc.cache:  # the scenario's own cache: built once per loaded scenario
        sc.cache[key] = draw.DrawContext.for_scenario(sc)
    return sc.cache[key]


# ------------------------------------------------------------------ URL ⇄ widgets
def window_of(name: str) -> tuple[date, date]:
    return scenario(name).window


def default_date_of(name: str) -> date:
    return scenario(name).default_date


def load_view_from_url(names: list[str]) -> None:
    """Once per session: seed the widgets from the query parameters."""
    if st.session_state.get("_view_loaded"):
        return
    default = DEFAULT_SCENARIO if DEFAULT_SCENARIO in names else names[0]
    problems: list[str] = []
    v = from_params(dict(st.query_params), names, default, window_of, default_date_of,
                    BASEMAPS, problems)
    st.session_state.update({
        "_url_problems": problems, "_url_zoom": v.zoom, "_url_center": v.center,
        "_saved_chosen": list(v.mine),
        "scenario": v.scenario, f"day:{v.scenario}": v.date, "basemap": v.basemap,
        "compare_on": v.compare is not None,
        f"compare_day:{v.scenario}": v.compare or scenario(v.scenario).window[0],
        **{f"layer_{k}": k in v.layers for k in draw.LAYERS if k != "changes"},
        "_hidden": set(v.hidden_actors),
        "_view_loaded": True,
    })
    if v.scenario not in layers.list_scenarios():  # "as known on" is for workspaces
        wsui.seed_known(v.known)


def on_scenario_change() -> None:
    """A new scenario starts without a comparison, with all its actors shown, at its own
    view and not playing."""
    st.session_state["compare_on"] = False
    st.session_state["_hidden"] = set()
    st.session_state["_playing"] = False
    for key in ("_url_zoom", "_url_center", "_centre"):
        st.session_state.pop(key, None)
    # What the old map last reported is not where the new one looks.
    st.session_state["_old_view"] = dict(st.session_state.get("map") or {})


def url_problems() -> None:
    """Say which parameters of the link were ignored (until dismissed)."""
    said = st.session_state.get("_url_problems")
    if not said:
        return
    text, close = st.columns([12, 1], vertical_alignment="center")
    text.warning("This link asked for something that cannot be shown, so defaults are used: "
                 + " ".join(md(p) for p in said))
    close.button("✕", key="url_problems_ok", help="Dismiss",
                 on_click=lambda: st.session_state.update(_url_problems=[]))


def sidebar(packs: list[str], workspaces: list[str], bar) -> Shown:
    """The sidebar's widgets and the time bar (drawn into ``bar``, above the map)."""
    sb = st.sidebar
    names = [*packs, *workspaces]
    if st.session_state.get("scenario") not in names:  # e.g. a workspace deleted meanwhile
        st.session_state["scenario"] = DEFAULT_SCENARIO if DEFAULT_SCENARIO in names else names[0]
    name = sb.selectbox("Scenario", names, key="scenario", on_change=on_scenario_change,
                        format_func=wsui.picker_label(workspaces),
                        help="Packs are shipped reference data; workspaces are living "
                             "scenarios kept in the store, where changes are recorded.")
    known = wsui.known_box() if name in workspaces else None
    if name in packs:
        wsui.fork_box(name, packs)
    try:
        sc = scenario(name, known)
    except WorkspaceError as err:  # e.g. as known on a day before the workspace was made
        if known is None:
            raise
        sb.warning(f"{md(err)}; showing the workspace as it is now.")
        known, sc = None, scenario(name)
    start, end = sc.window
    # Date widgets are keyed per scenario: each pack has its own window.
    for key, fallback in ((f"day:{name}", sc.default_date), (f"compare_day:{name}", start)):
        value = st.session_state.get(key)
        if not isinstance(value, date) or not start <= value <= end:
            st.session_state[key] = fallback
    day = time_bar(bar, name, sc)
    compare_on = sb.checkbox("Compare with another date", key="compare_on",
                             help="Outlines the places that changed hands between the two "
                                  "dates, told from the earlier date to the later.")
    compare = None
    if compare_on:
        compare = sb.slider("Comparison date", min_value=start, max_value=end,
                            step=timedelta(days=1), format="YYYY-MM-DD",
                            key=f"compare_day:{name}")
    sb.markdown("**Layers**")
    shown = [k for k in draw.LAYERS if k != "changes"
             and sb.checkbox(draw.LAYER_LABELS[k], key=f"layer_{k}")]
    if compare is not None:
        shown.append("changes")
    hidden = set(st.session_state.get("_hidden", set()))
    ctx = context(sc)
    # Its checkboxes are sent only while it is open (a closed expander's content would be
    # drawn by the browser all the same); closed, the choice stays in "_hidden".
    by_actor = sb.expander("Control by actor", key="actors_open", on_change="rerun")
    if by_actor.open:
        with by_actor:
            for aid in [*ctx.actors, draw.groups.CONTESTED, draw.groups.UNKNOWN]:
                label = md(ctx.actor_name(aid) if aid in ctx.actors else aid.capitalize())
                on = st.checkbox(label, value=aid not in hidden, key=f"actor_{name}_{aid}")
                (hidden.discard if on else hidden.add)(aid)
    hidden &= {*ctx.actors, draw.groups.CONTESTED, draw.groups.UNKNOWN}  # junk from a URL
    st.session_state["_hidden"] = hidden
    # A select box, not radio buttons: its code is in the browser already for the scenario
    basemap = sb.selectbox("Basemap", list(BASEMAPS), format_func=BASEMAPS.get, key="basemap")
    zoom, center = map_view()
    view = View(scenario=name, date=day, layers=tuple(k for k in draw.LAYERS if k in shown),
                hidden_actors=tuple(sorted(hidden)), compare=compare, basemap=basemap,
                known=known, zoom=zoom, center=center,
                mine=tuple(st.session_state.get("_saved_chosen", [])))
    return Shown(view, sc)


# ------------------------------------------------------------------ time bar
def change_days(sc) -> list[date]:
    """The scenario's change dates (cached on the loaded scenario)."""
    if "change-days" not in sc.cache:
        sc.cache["change-days"] = layers.change_dates(sc)
    return sc.cache["change-days"]


def set_day(name: str, day: date | None) -> None:
    """Move the date (a callback: slider and date box are redrawn with it)."""
    if day is not None:
        st.session_state[f"day:{name}"] = day


def from_box(name: str) -> None:
    set_day(name, st.session_state.get(f"daybox:{name}"))


def toggle_play(name: str, sc) -> None:
    playing = not st.session_state.get("_playing")
    st.session_state["_playing"] = playing
    if playing and timesteps.step(st.session_state[f"day:{name}"], change_days(sc), 1) is None:
        set_day(name, change_days(sc)[0] if change_days(sc) else sc.window[0])  # from the top


def time_bar(bar, name: str, sc) -> date:
    """Date slider across the map's width, a box to type a date, buttons to the previous and
    next change, and Play (steps through the change dates). Returns the date shown."""
    start, end = sc.window
    days = change_days(sc)
    key = f"day:{name}"
    pending = st.session_state.pop("_play_next", None)  # the player's step, before the slider
    if isinstance(pending, date) and start <= pending <= end:
        st.session_state[key] = pending
    now = st.session_state[key]
    st.session_state[f"daybox:{name}"] = now  # the box follows the slider and the buttons
    back, forward = timesteps.step(now, days, -1), timesteps.step(now, days, 1)
    with bar.container(key="timebar"):
        c_prev, c_box, c_next, c_play, c_slider = st.columns(
            [0.5, 1.55, 0.5, 1.0, 6], vertical_alignment="bottom", gap="small")
        c_prev.button("◀", key="day_prev", disabled=back is None, on_click=set_day,
                      args=(name, back), width="stretch",
                      help=f"Previous change ({back})" if back else "No earlier change")
        c_box.date_input("Date", min_value=start, max_value=end, key=f"daybox:{name}",
                         format="YYYY-MM-DD", on_change=from_box, args=(name,))
        c_next.button("▶", key="day_next", disabled=forward is None, on_click=set_day,
                      args=(name, forward), width="stretch",
                      help=f"Next change ({forward})" if forward else "No later change")
        playing = bool(st.session_state.get("_playing"))
        c_play.button("Pause" if playing else "Play", key="day_play",
                      icon=":material/pause:" if playing else ":material/play_arrow:",
                      on_click=toggle_play, args=(name, sc), width="stretch",
                      help="Step through the dates on which anything changes")
        day = c_slider.slider("Date on the map", min_value=start, max_value=end,
                              step=timedelta(days=1), format="YYYY-MM-DD", key=key,
                              label_visibility="collapsed")
    if playing:
        st.session_state["_full_run"] = True  # the player's body runs now too: no step
        player(name, days)
    return day


@st.fragment(run_every=PLAY_SECONDS)
def player(name: str, days: list[date]) -> None:
    """While playing: every few seconds, the next change date (then the whole page redraws);
    stops at the last one."""
    # The body also runs within each full run (which draws the step just taken): it steps
    # only when the timer runs it alone.
    if st.session_state.pop("_full_run", False) or not st.session_state.get("_playing"):
        return
    nxt = timesteps.step(st.session_state.get(f"day:{name}"), days, 1)
    if nxt is None:
        st.session_state["_playing"] = False
    else:
        st.session_state["_play_next"] = nxt  # the slider is set from it before it is drawn
    st.rerun(scope="app")


def map_view() -> tuple[int | None, tuple[float, float] | None]:
    """Zoom and centre of the map as last reported by the browser (else from the URL)."""
    got = st.session_state.get("map") or {}
    if got == st.session_state.get("_old_view"):
        got = {}
    zoom, centre = got.get("zoom"), got.get("center")
    if isinstance(zoom, int) and isinstance(centre, dict) and {"lat", "lng"} <= set(centre):
        try:
            return zoom, (round(float(centre["lat"]), 5), round(float(centre["lng"]), 5))
        except (TypeError, ValueError):
            pass
    return st.session_state.get("_url_zoom"), st.session_state.get("_url_center")


def place_search(sc) -> None:
    """A one-name lookup (Arabic too), the scenario's region first, that flies the map to the
    chosen place at a zoom for its kind; a search that finds nothing clears the old marker."""
    query = st.sidebar.text_input("Find a place", key="place_query",
                                  placeholder="e.g. Bustan al-Qasr, حلب")
    if not query.strip():
        for k in ("_found", "_centre", "_centre_zoom"):
            st.session_state.pop(k, None)
        return
    from geo.search import search

    found = search(query, country=sc.manifest.country, near=tuple(sc.manifest.center))
    if found.nothing:
        for k in ("_found", "_centre", "_centre_zoom"):
            st.session_state.pop(k, None)
        st.sidebar.info(f"No place called “{md(found.query)}” in the gazetteer.")
        return
    hits = found.hits
    labels = [md(f"{h.label}, {h.lat:.4f}, {h.lon:.4f}") for h in hits]
    pick = st.sidebar.radio("Matches", range(len(hits)), format_func=labels.__getitem__,
                            key="place_pick")
    hit = hits[min(pick or 0, len(hits) - 1)]
    st.session_state["_centre"] = (hit.lat, hit.lon)
    st.session_state["_centre_zoom"] = hit.zoom
    st.session_state["_found"] = [{"text": found.query, "name": hit.name, "kind": hit.kind,
                                   "lat": hit.lat, "lon": hit.lon, "confidence": None}]


# ------------------------------------------------------------------ report box
def report_box(day: date, sc) -> None:
    st.caption("Paste a report (or upload a .txt) to see the places it names. The text stays in "
               "this browser session only; nothing is saved unless you keep the places.")
    reportkeep.restore()  # what a closed tab made Streamlit forget
    upload = st.file_uploader("Report as .txt", type=["txt"], key="report_file",
                              max_upload_size=REPORT_CAP_MB)
    if upload is not None and st.session_state.get("_report_file_id") != upload.file_id:
        st.session_state["_report_file_id"] = upload.file_id
        try:
            st.session_state["report_text"] = upload.getvalue().decode("utf-8-sig")
        except UnicodeDecodeError:
            st.error(f"{md(upload.name)}: not UTF-8 text. Save it as UTF-8 and upload again.")
    text = st.text_area("Report text", key="report_text", height=160)
    c1, c2, c3 = st.columns(3)
    c1.text_input("Publisher", key="report_publisher")
    c2.text_input("Published (YYYY-MM-DD)", key="report_date")
    c3.text_input("URL", key="report_url")
    reportkeep.remember()
    if st.button("Find places", key="report_go", disabled=not text.strip()):
        import geo

        with st.spinner(f"Finding places in {len(text):,} characters…"):
            bar = st.progress(0.0, text="Finding places…") if len(text) > LONG_TEXT else None
            mentions = geo.geoparse(text, progress=bar and (
                lambda done: bar.progress(min(done, 1.0), text=f"Finding places… {done:.0%}")))
            if bar is not None:
                bar.empty()
            st.session_state["mention_rows"] = reports.mention_rows(mentions)
        st.session_state["_editor_version"] = st.session_state.get("_editor_version", 0) + 1
    rows = st.session_state.get("mention_rows")
    if rows is None:
        return
    if not rows:
        st.info("No places found in this text.")
        return
    version = st.session_state.get("_editor_version", 0)
    st.data_editor(
        pd.DataFrame(rows, columns=reports.COLUMNS), key=f"mention_editor_{version}",
        hide_index=True, on_change=apply_mention_edits, args=(f"mention_editor_{version}",),
        disabled=["text", "kind", "confidence", "low", "place", "start", "end"],
        column_config={
            "keep": st.column_config.CheckboxColumn("Keep", help="Untick to drop"),
            "low": st.column_config.CheckboxColumn("Low confidence"),
            "lat": st.column_config.NumberColumn("Lat", format="%.5f", min_value=-90,
                                                 max_value=90),
            "lon": st.column_config.NumberColumn("Lon", format="%.5f", min_value=-180,
                                                 max_value=180),
            "start": None, "end": None,
        })
    low = sum(1 for r in rows if r.get("low"))
    st.caption(f"{len(rows)} places, {low} with low confidence (drawn hollow on the map). "
               "Correct a place by typing another name or its coordinates; untick Keep to "
               "drop it.")
    if st.button("Keep as an events layer", key="report_keep"):
        problem = source_problem(report_source())
        if problem:  # the report becomes the events' source: it must be a real citation
            st.error(problem)
            return
        added = reportkeep.keep(rows, report_source(), text, day, sc)
        for name, gdf in (added or {}).items():  # on the map, and chosen in the link
            st.session_state.setdefault("user_layers", {})[name] = gdf
            chosen = st.session_state.get("_saved_chosen", [])
            st.session_state["_saved_chosen"] = [*chosen, name] if name not in chosen else chosen


def apply_mention_edits(key: str) -> None:
    """Write the table's edits back into the mention rows (a renamed place is looked up)."""
    import geo

    reports.apply_edits(st.session_state.get("mention_rows") or [],
                        st.session_state[key].get("edited_rows", {}), geo.lookup)
    st.session_state["_editor_version"] = st.session_state.get("_editor_version", 0) + 1


def user_collection(day: date) -> tuple[draw.groups.Finished, list[str]]:
    """The user's layers on ``day`` as one finished layer, and a line for each layer that
    cannot be drawn; each layer is drawn once, then reused (a dated layer keeps only the
    features valid on the day, see ``userlayers.DatedLayer``), and so is the finished JSON
    while neither the layers nor (for dated ones) the day change."""
    cache = st.session_state.setdefault("_user_cols", {})
    timing = st.session_state.setdefault("_user_time", {})
    features: list[dict] = []
    problems: list[str] = []
    parts: list[Any] = []
    for name, gdf in st.session_state.get("user_layers", {}).items():
        span = timing.get(name)
        if name not in cache or cache[name][0] is not gdf or cache[name][1] != span:
            try:
                drawn: Any = (userlayers.DatedLayer(name, gdf, *span) if span
                              else userlayers.draw_layer(name, gdf))
            except (userlayers.LayerProblem, KeyError) as err:
                drawn = str(err) if isinstance(err, userlayers.LayerProblem) else (
                    f"Layer “{name}” cannot follow the date: no column {err}.")
            cache[name] = (gdf, span, drawn)
        drawn = cache[name][2]
        if isinstance(drawn, str):
            problems.append(drawn)
        else:
            parts.append(drawn)
    # 10,000 points take a quarter of a second to finish: done again only when needed.
    dated = any(isinstance(d, userlayers.DatedLayer) for d in parts)
    sig = (tuple(parts), day if dated else None)
    memo = st.session_state.get("_user_finished")
    if memo is None or len(memo[0][0]) != len(parts) or memo[0][1] != sig[1] or any(
            a is not b for a, b in zip(memo[0][0], parts, strict=True)):
        for d in parts:
            features += d.on(day) if isinstance(d, userlayers.DatedLayer) else d["features"]
        memo = (sig, draw.groups.finish_layer("user", {"type": "FeatureCollection",
                                                         "features": features}))
        st.session_state["_user_finished"] = memo
    return memo[1], problems


def kept_mentions() -> list[dict]:
    """The report's mentions the user keeps ticked."""
    return [r for r in st.session_state.get("mention_rows") or [] if r.get("keep")]


# ------------------------------------------------------------------ user layers and export
def save_layer(name: str, gdf, source: str) -> str:
    """Show ``gdf`` as a user layer and keep it in the working store; returns its name."""
    shown = st.session_state.setdefault("user_layers", {})
    try:
        store = layers.Store()
        name = onscreen.layer_name(name, [*shown, *store.layers()])
        store.add_layer(name, gdf, source=source)
        st.session_state["_saved_chosen"] = [*st.session_state.get("_saved_chosen", []), name]
    except (ValueError, OSError) as err:  # StoreError: one plain line; the layer still shows
        name = onscreen.layer_name(name, shown)
        st.warning(f"Shown but not saved in the working store: {md(err)}")
    shown[name] = gdf
    return name


@st.cache_resource(show_spinner=False, max_entries=32)
def stored_layer(path: str, name: str, changes: int):
    """A layer read from the working store (``changes`` keys the cache to its history);
    raises ``userlayers.LayerProblem`` (not cached: it is tried again on the next run).
    ``path`` (the store as shown: a team store's password is masked) only keys the cache."""
    return userlayers.read_layer(layers.Store(), name)


def load_chosen_layers() -> list[str]:
    """Put the store layers chosen (in the picker, or in the link's ``mine``) on the map and
    take off those no longer chosen. Returns a line for each chosen layer that cannot be
    read."""
    chosen = st.session_state.get("_saved_chosen") or []
    shown = st.session_state.setdefault("user_layers", {})
    stored = st.session_state.setdefault("_from_store", set())
    said: list[str] = []
    if not chosen and not stored:
        return said
    try:
        store = layers.Store()
        names = set(store.layers())
    except (ValueError, OSError) as err:
        st.sidebar.warning(f"The working store cannot be read: {md(err)}")
        return said
    missing = [n for n in chosen if n not in names]
    if missing:
        st.session_state["_saved_chosen"] = [n for n in chosen if n in names]
        st.session_state.setdefault("_url_problems", []).append(
            "mine: " + ", ".join(f"“{n}”" for n in missing) + " not in the working store.")
    for name in [n for n in chosen if n in names]:
        try:
            changes = len(store.history(name))
            if name not in shown:
                shown[name] = stored_layer(str(store.path), name, changes)
                stored.add(name)
            layertime.sync(store, name, changes)  # its date columns, kept with it
        except userlayers.LayerProblem as err:  # this layer only: the others still show
            said.append(str(err))  # on every run while it stays chosen
        except (ValueError, OSError) as err:  # StoreError: one plain line
            said.append(f"Layer “{name}”: {err}")
    for name in list(stored):
        if name not in chosen and name in shown:
            del shown[name]
            stored.discard(name)
    return said


def saved_layers_picker() -> None:
    """Choose which layers from the working store are on the map."""
    try:
        store = layers.Store()
        names = store.layers()
    except (ValueError, OSError) as err:
        st.warning(f"The working store cannot be read: {md(err)}")
        return
    if not names:
        return
    # No widget key: the choice lives in "_saved_chosen", which survives this tab being closed.
    before = [n for n in st.session_state.get("_saved_chosen", []) if n in names]
    chosen = st.multiselect("Layers in the working store", names, default=before,
                            help=f"Kept in {md(store.path)}")
    if chosen != before:  # on the map in this run already: the map is drawn after this tab
        st.session_state["_saved_chosen"] = chosen
        for line in load_chosen_layers():
            st.error(md(line))
    delete_box(names)


def delete_box(names: list[str]) -> None:
    """Delete a layer from the working store, after a confirmation (recorded in its history)."""
    said = st.session_state.pop("_delete_said", None)
    if said:
        (st.success if said[0] == "ok" else st.error)(said[1])
    with st.expander("Delete a layer from the working store"):
        pick = st.selectbox("Layer", names, index=None, key="delete_pick",
                            placeholder="Choose a layer")
        st.button("Delete…", key="delete_go", disabled=pick is None,
                  on_click=lambda: st.session_state.update(_delete_pending=pick))
        pending = st.session_state.get("_delete_pending")
        if pending not in names:  # deleted meanwhile, or nothing asked
            st.session_state.pop("_delete_pending", None)
            return
        st.warning(f"Delete “{md(pending)}” and all its features from the working store? "
                   "The page cannot undo this; the store's history keeps a record of it.")
        yes, no = st.columns(2)
        yes.button(f"Yes, delete {md(pending)}", key="delete_yes", type="primary",
                   on_click=confirm_delete, args=(pending,))
        no.button("Cancel", key="delete_no",
                  on_click=lambda: st.session_state.pop("_delete_pending", None))


def confirm_delete(name: str) -> None:
    """Delete ``name`` from the store (a callback: the picker then redraws without it)."""
    st.session_state.pop("_delete_pending", None)
    try:
        layers.Store().delete_layer(name, source="page: deleted by the user")
    except (ValueError, OSError) as err:  # StoreError: one plain line
        st.session_state["_delete_said"] = ("error", f"Not deleted: {md(err)}")
        return
    # Off the map and out of this session's choices too.
    st.session_state.pop("delete_pick", None)
    st.session_state.get("user_layers", {}).pop(name, None)
    st.session_state.get("_user_cols", {}).pop(name, None)
    st.session_state["_saved_chosen"] = [
        n for n in st.session_state.get("_saved_chosen", []) if n != name]
    st.session_state["_delete_said"] = ("ok", f"Deleted “{md(name)}” from the working store.")


def dates_box(day: date) -> None:
    """For each layer on the map with date columns: which columns give its dates, and whether
    it follows the map's date (proposed at upload; the user confirms)."""
    timing = st.session_state.setdefault("_user_time", {})
    for name, gdf in st.session_state.get("user_layers", {}).items():
        cols = userlayers.date_columns(gdf)
        if not cols:
            continue
        start, end = timing.get(name) or userlayers.guess_span(gdf)
        with st.container(border=True):
            follow = st.checkbox(f"“{md(name)}” follows the map's date", key=f"ut_on:{name}",
                                 value=name in timing,
                                 help="Each feature is shown only on the days its dates "
                                      "cover; features without a readable date always show.")
            a, b = st.columns(2)
            none = "— none —"
            start = a.selectbox("Shown from (date column)", cols, key=f"ut_from:{name}",
                                index=cols.index(start) if start in cols else 0)
            end_pick = b.selectbox("Shown until (optional)", [none, *cols],
                                   key=f"ut_to:{name}",
                                   index=[none, *cols].index(end) if end in cols else 0)
            end = None if end_pick == none else end_pick
            refused = layertime.choose(name, (start, None if end == start else end)
                                       if follow else None)  # kept in the store with it
            if refused:
                st.warning(md(refused))
            if follow:
                shown = userlayers.DatedLayer(name, gdf, *timing[name])
                st.caption(f"{len(shown.on(day))} of {len(shown.features)} features shown on "
                           f"{day}; {shown.undated} without a readable date (always shown).")
            else:
                st.caption(f"Date columns found: {md(', '.join(cols))}. Tick to follow the "
                           "map's date.")


def upload_box(day: date) -> None:
    st.caption(f"Add a GeoJSON, GeoPackage, KML or CSV (at most {UPLOAD_CAP_MB} MB) as a layer. "
               "It is kept in the working store for later sessions.")
    up = st.file_uploader("Layer file", type=["geojson", "json", "gpkg", "kml", "csv"],
                          key="layer_file", max_upload_size=UPLOAD_CAP_MB)
    if up is not None and st.session_state.get("_layer_file_id") != up.file_id:
        st.session_state["_layer_file_id"] = up.file_id
        add_upload(up)
    saved_layers_picker()
    dates_box(day)


def plain_upload_error(message: str, tmp_path: str, name: str) -> str:
    """An import error about the temporary copy, said about the user's file in plain words."""
    return plain_words(message.replace(tmp_path, name))


def add_upload(up) -> None:
    if up.size > UPLOAD_CAP_MB * 1024 * 1024:
        st.error(f"{md(up.name)}: {up.size / 1e6:.1f} MB is over the {UPLOAD_CAP_MB} MB limit.")
        return
    suffix = Path(up.name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(up.getvalue())
        try:
            gdf = layers.import_file(path)
        except ValueError as err:  # InputError and friends: already one plain line
            st.error(md(plain_upload_error(str(err), str(path), up.name)))
            return
        except Exception as err:  # noqa: BLE001 - never a traceback on the page
            st.error(f"{md(up.name)}: could not be read ({type(err).__name__}).")
            return
    name = save_layer(Path(up.name).stem, gdf, f"upload: {up.name}")
    st.success(f"Added “{md(name)}”: {len(gdf)} features.")
    start, end = userlayers.guess_span(gdf)
    if start:  # proposed, not applied: the user confirms below
        st.info(f"“{md(name)}” has dates (column “{md(start)}”"
                + (f", until “{md(end)}”" if end else "") + "). Tick “follows the map's "
                "date” below to show each feature only on its dates.")
    # What the import changed (reprojected, repaired, renamed fields) is worth knowing.
    changes = [*gdf.attrs.get("notes", []), *gdf.attrs.get("repairs", [])]
    if changes:
        more = f" (and {len(changes) - 5} more)" if len(changes) > 5 else ""
        st.info("; ".join(md(plain_upload_error(str(c), str(path), up.name))
                          for c in changes[:5]) + more)


def export_box(shown: Shown) -> None:
    view = shown.view
    st.caption("Exports exactly what the map shows: visible layers at this date, the report's "
               "ticked places and your layers, with full geometry, sources and confidence.")
    label = st.selectbox("Format", list(EXPORT_FORMATS), key="export_fmt")
    fmt = EXPORT_FORMATS[label]
    if st.button("Prepare download", key="export_go"):
        problem = source_problem(report_source()) if (
            "mentions" in view.layers and kept_mentions()) else None
        if problem:  # the report's places are exported with the report as their source
            st.error(problem)
            return
        day, key, sc = view.date.isoformat(), shown.key, shown.sc
        moved = (changed(key, view.compare.isoformat(), day, sc)
                 if view.compare is not None else None)
        try:
            sel = onscreen.selection(
                layers.select, state(key, day, sc), view.layers,
                onscreen.visible_actors(context(sc), view.hidden_actors),
                changed=moved, mention_rows=kept_mentions(),
                report=report_source(), user_layers=st.session_state.get("user_layers", {}))
            if fmt.startswith("briefing-"):  # the same selection, printed (map, legend, sources)
                from layers.draw import briefing

                at = ((*view.center, view.zoom) if view.center and view.zoom is not None
                      else None)
                with st.spinner("Drawing the briefing page…"):
                    data = briefing.render(sel, fmt.removeprefix("briefing-"), scenario=sc,
                                           day=view.date, view=at)
            else:
                buffer = io.BytesIO()
                layers.export(sel, fmt, buffer)
                data = buffer.getvalue()
        except ValueError as err:  # ExportError, SelectionError: one plain line
            st.error(md(err))
            return
        st.session_state["_export"] = (fmt, onscreen_key(shown), data)
    ready = st.session_state.get("_export")
    # A prepared file is offered only while the map still shows what it holds.
    if ready and ready[0] == fmt and ready[1] == onscreen_key(shown):
        st.download_button(f"Download {label}", ready[2], key="export_dl",
                           file_name=f"cordon-{view.scenario}-{view.date}{EXPORT_SUFFIX[fmt]}")


def onscreen_key(shown: Shown) -> tuple:
    """What an export depends on: the view and the scenario's version, the kept report places
    and source, the user's layers (by identity: a re-uploaded layer is a new object)."""
    view = shown.view
    mentions = tuple((r.get("text"), r.get("name"), r.get("lat"), r.get("lon"))
                     for r in kept_mentions())
    user = tuple((k, id(v)) for k, v in st.session_state.get("user_layers", {}).items())
    return (tuple(sorted(view.to_params().items())), shown.key, mentions,
            tuple(sorted(report_source().items())), user)


def source_problem(src: dict) -> str | None:
    """A plain message when the report's date or URL cannot stand as a source, else None."""
    when = str(src.get("date") or "").strip()
    if when:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", when):
                raise ValueError(when)
            date.fromisoformat(when)
        except ValueError:
            return (f"Published: “{md(when[:40])}” is not a date; write it as YYYY-MM-DD "
                    "(e.g. 2016-09-14), or leave it empty to use the map's date.")
    url = str(src.get("url") or "").strip()
    if url and safe_url(url) is None:
        return (f"URL: “{md(url[:80])}” is not a web address; give an http:// or https:// "
                "link, or leave it empty.")
    return None


def report_source() -> dict:
    return {"publisher": reportkeep.field("report_publisher").strip(),
            "date": reportkeep.field("report_date").strip(),
            "url": reportkeep.field("report_url").strip(), "title": "Pasted report"}


def population_box(shown: Shown) -> None:
    s = summary(shown.key, shown.view.date.isoformat(), shown.sc)
    st.html(summaries.figure_html(  # escaped HTML
        "Besieged population", summaries.population_short(s) or "unknown",
        "Sum of the ranges reported for the sieges in force on this date."))
    cites = summaries.sources_list(summaries.population_sources(s))
    full = summaries.population_text(s)
    if full:
        st.caption(md(f"{full} people. Sources: " + ("; ".join(cites) or "none listed")))
    context = summaries.population_context(s)
    if context:
        st.caption(md(context))


def summary_panel(shown: Shown) -> None:
    s = summary(shown.key, shown.view.date.isoformat(), shown.sc)
    left, right = st.columns(2)
    for col, tables in ((left, (("Ground held (km²)", summaries.area_table(s)),
                                ("Sieges", summaries.siege_table(s)))),
                        (right, (("Encircled zones", summaries.encircled_table(s)),
                                 ("Corridors", summaries.corridor_table(s))))):
        block = summaries.tables_html(tables)  # escaped HTML
        if block:
            col.html(block)


def over_time(shown: Shown) -> None:
    pop, ground = history(shown.key, shown.sc)
    name = shown.view.scenario
    if not pop.dropna(subset=["mid"]).empty:
        st.markdown("**Besieged population by siege** (middle of each range; hover for it)")
        st.altair_chart(charts.population_chart(pop), width="stretch",
                        key="chart_pop", on_select=partial(chart_pick, "chart_pop", name),
                        selection_mode=charts.DATE_PARAM)
    if not ground.empty:
        st.markdown("**Ground held, by actor (km², each on its own scale)**")
        st.altair_chart(charts.ground_chart(ground, context(shown.sc).colours),
                        width="stretch", key="chart_ground",
                        on_select=partial(chart_pick, "chart_ground", name),
                        selection_mode=charts.DATE_PARAM)
    unnumbered = sorted(set(pop["siege"]) - set(pop.dropna(subset=["mid"])["siege"]))
    if unnumbered:  # in force at some time, but no published figure to draw
        st.caption("Sieges with no population figure: " + "; ".join(md(n) for n in unnumbered))
    if pop.empty and ground.empty:
        st.info("No figures over time for this scenario.")
    else:
        st.caption("Click a point to show that date on the map.")


def chart_pick(key: str, name: str) -> None:
    """A click on a chart's point moves the map to its date (a callback)."""
    day = charts.picked_date(st.session_state.get(key))
    start, end = scenario(name).window
    if day is not None and start <= day <= end:
        set_day(name, day)


# ------------------------------------------------------------------ the page
#: Drawing order of the map's layers (bottom to top); the workspace layers (units without a
#: record, the selection, what is being drawn) go between the state layers.
DRAW_ORDER = ("units", "control", "changes", "sieges", "selection", "corridors", "crossings",
              "events", "mentions", "user", "drawing")


def main() -> None:
    base_url = _vendor()
    st.html(PAGE_CSS)
    packs = layers.list_scenarios()
    workspaces, store_problem = wsui.workspace_names(packs)
    if not packs and not workspaces:
        st.error("No scenario packs found in data/scenarios.")
        return
    head, bar = st.container(), st.container()
    try:
        load_view_from_url([*packs, *workspaces])
        shown = sidebar(packs, workspaces, bar)
    except layers.PackError as err:  # a broken pack: say which file and field, no traceback
        st.error(f"This scenario pack cannot be loaded: {md(err)}")
        return
    except WorkspaceError as err:  # a workspace that cannot be read: one line
        st.error(f"This workspace cannot be shown: {md(err)}")
        return
    view, sc, key = shown.view, shown.sc, shown.key
    if store_problem:
        st.sidebar.warning(md(store_problem))
    place_search(sc)
    unread = load_chosen_layers()
    viewurl.show(view)

    with head:
        st.caption(md(f"Cordon · {sc.manifest.title} — {view.date:%d %B %Y}"
                      + (f" — as known on {wsui.shown_moment(view.known)}" if view.known
                         else "")))
        url_problems()
        wsui.said("page")
    panel = wsui.Panel(sc, view.known, view.date) if sc.workspace is not None else None
    if panel is not None:
        panel.take_clicks()  # before the widgets and layers the click changes are drawn
    col_map, col_side = st.columns([4, 1] if panel is None else [5, 3])
    # Tabs run before the map is drawn (into the columns above), so a report's places or a new
    # layer appear on the map in the same run. Only the open tab's content runs, and the one
    # open on arrival (Summary) is light: every other tab's widgets need code the browser
    # would otherwise fetch and run before it draws the map.
    tabs = st.tabs(TABS, key="tab", on_change="rerun")
    panes = dict(zip(TABS, tabs, strict=True))
    with panes["Summary"]:
        if panes["Summary"].open is not False:
            summary_panel(shown)
    with panes["Report"]:
        if panes["Report"].open:
            report_box(view.date, sc)
            proposals.review(sc, view.date, view.known)
    with panes["Over time"]:
        if panes["Over time"].open:
            over_time(shown)
    with panes["Export"]:
        if panes["Export"].open:
            export_box(shown)
    with panes["My layers"]:
        if panes["My layers"].open:
            upload_box(view.date)
            gazetteers.box()
    with panes["New workspace"]:
        if panes["New workspace"].open:
            new_workspace.tab(packs, UPLOAD_CAP_MB)
    with panes["About the data"]:
        if panes["About the data"].open:
            st.markdown(summaries.attribution(sc.manifest.attribution,
                                              HERE / "data" / "ATTRIBUTION.md"))
    if panel is not None:
        with col_side:
            panel.render()  # the Record panel's selection drives the map's overlays below

    ctx = context(sc)
    actors_shown = onscreen.visible_actors(ctx, view.hidden_actors)
    # Layers are drawn (and cached) for the first day of the date's epoch: between two
    # changes the drawn state is the same, so moving within an epoch costs nothing.
    day = epoch_day(sc, view.date)
    compare = epoch_day(sc, view.compare) if view.compare else None
    state_of = partial(state, key, day, sc)  # asked for only when a layer is drawn anew
    data: dict[str, Any] = maplayers.state_layers(
        key, sc, ctx, view.layers, view.date, day, actors=tuple(actors_shown),
        compare=view.compare, compare_epoch=compare, state_of=state_of,
        changed_of=partial(changed, key, _sc=sc))
    if "mentions" in view.layers:
        data["mentions"] = draw.groups.mention_features(kept_mentions())
    problems: list[str] = list(unread)
    if "user" in view.layers:
        data["user"], drawn_problems = user_collection(view.date)
        problems += drawn_problems
    if panel is not None:  # units with no record on the date are drawn faintly
        data.update(panel.overlays(ctx, set(state(key, day, sc).control["id"])))
    drawing = panel is not None and panel.click_mode() != "select"
    if st.session_state.get("_found"):  # the place searched for, on top of everything
        data["search"] = draw.groups.mention_features(st.session_state["_found"],
                                                      icon="search")
    if not drawing:  # names by zoom; off while drawing (the clicks are points then)
        data["labels"] = maplayers.labels(key, sc, ctx, view.layers, view.date,
                                          tuple(actors_shown), state_of)
    spec = MapSpec(
        collections={k: data[k] for k in (*DRAW_ORDER, "search", "labels") if k in data},
        quiet=drawing, basemap=view.basemap, base_url=base_url,
        location=tuple(st.session_state.get("_url_center") or sc.manifest.center),
        zoom=st.session_state.get("_url_zoom") or sc.manifest.zoom,
        centre=st.session_state.get("_centre"), centre_zoom=st.session_state.get("_centre_zoom"),
        # In a workspace a click is sent back (to select units or draw) and reruns the page;
        # elsewhere only zoom and centre come back, and they rerun the map alone.
        returned=[*wsui.RETURNED, *VIEW_RETURNED] if panel is not None else VIEW_RETURNED,
        problems=problems)
    with col_map:
        (map_box if panel is not None else map_fragment)(spec)
        if drawing:  # below the map: an element above it would make the page redraw the map
            st.caption("Drawing: click the map to place points (see Record, beside the map); "
                       "tooltips and popups are off meanwhile.")
    with col_side:
        st.markdown("**Legend**")
        holding = [a["id"] for a in summary(key, view.date.isoformat(), sc)["actors"]
                   if a.get("zones")]
        st.html(draw.legend_html(draw.legend_entries(
            ctx, {k: v for k, v in data.items() if k != "labels"}, actors_shown, holding)))
        population_box(shown)


#: What the map sends back outside workspaces: where it looks (kept in the URL).
VIEW_RETURNED = ["zoom", "center"]


@dataclass(frozen=True)
class MapSpec:
    """Everything the map is drawn from (plain values: the folium objects are built anew on
    every run, the map's fragment runs included)."""

    collections: dict
    quiet: bool
    basemap: str
    base_url: str
    location: tuple
    zoom: int
    centre: tuple | None
    centre_zoom: int | None
    returned: list
    problems: list


def map_box(spec: MapSpec) -> None:
    """The map, and its zoom and centre written into the URL."""
    for line in spec.problems:  # a layer that cannot be drawn says so; the map still shows
        st.error(md(line))
    groups = ([draw.tile_group(spec.basemap)] if spec.basemap in draw.TILES else [])
    groups += draw.build_groups(spec.collections, quiet=spec.quiet)
    m = draw.add_basemap(draw.offline_map(spec.location, spec.zoom), spec.base_url)
    st_folium(m, key="map", height=MAP_HEIGHT, use_container_width=True,
              feature_group_to_add=groups, returned_objects=spec.returned,
              center=spec.centre, zoom=spec.centre_zoom if spec.centre else None)
    # the whole view, not the two keys: this run may see an address older than the last run's
    viewurl.follow_map(*map_view(), mine=tuple(st.session_state.get("_saved_chosen", [])))


#: Outside workspaces the map is a fragment: a pan or zoom reruns it alone.
map_fragment = st.fragment(map_box)


def epoch_day(sc, day: date) -> str:
    """The first day of ``day``'s epoch (see ``timesteps.epoch``), as ISO text."""
    if "epoch-bounds" not in sc.cache:
        # the published counts the summary quotes change on their own dates too
        figures = [s.figures.date for s in sc.sources.values()
                   if getattr(s, "figures", None) is not None]
        sc.cache["epoch-bounds"] = timesteps.state_bounds(change_days(sc), sc.sieges, figures)
    return timesteps.epoch(day, sc.cache["epoch-bounds"], sc.window[0]).isoformat()


main()
