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
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import layers
from layers import draw
from layers import report as reports
from layers.draw import onscreen, userlayers
from layers.draw import summary as summaries
from layers.draw.popups import md, safe_url
from layers.draw.view import View, from_params
from layers.io.errors import plain_words
from layers.workspace import WorkspaceError
from ui import new_workspace
from ui import workspace as wsui

HERE = Path(__file__).resolve().parent
DEFAULT_SCENARIO = "aleppo-2016"
UPLOAD_CAP_MB = 20
REPORT_CAP_MB = 5  # a .txt report; pasted text is what the browser can hold
LONG_TEXT = 150_000  # characters: above this the geocoder works in pieces and shows a bar
EXPORT_FORMATS = {"GeoJSON": "geojson", "GeoPackage": "gpkg", "KML": "kml", "CSV": "csv"}
EXPORT_SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "kml": ".kml", "csv": ".csv"}
TABS = ("Report", "Over time", "Export", "My layers", "New workspace", "About the data")
BASEMAPS = {"offline": "Offline outlines", "osm": "OpenStreetMap (online)",
            "satellite": "Satellite (online)"}

st.set_page_config(page_title="Cordon", layout="wide")


# ------------------------------------------------------------------ cached data (plain keys)
@st.cache_resource(show_spinner=False)
def _vendor() -> None:
    draw.ensure_vendor(HERE / "static")


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
def summary(key: str, day: str, _sc) -> dict:
    return layers.summarize(_sc, date.fromisoformat(day))


@st.cache_data(show_spinner="Summarising the scenario over time…", max_entries=8)
def history(key: str, _sc) -> pd.DataFrame:
    start, end = _sc.window
    return summaries.history(lambda d: summary(key, d.isoformat(), _sc), start, end)


def context(sc) -> draw.DrawContext:
    key = "draw-context"
    if key not in sc.cache:  # the scenario's own cache: built once per loaded scenario
        sc.cache[key] = draw.DrawContext.for_scenario(sc)
    return sc.cache[key]


@st.cache_resource(show_spinner=False, max_entries=256)
def layer_collection(key: str, day: str, layer: str, actors: tuple[str, ...] | None,
                     compare: str | None, _sc) -> dict:
    """One layer at ``day`` as a GeoJSON dict (display geometry), cached per layer so a
    toggle only re-assembles cached pieces."""
    moved = changed(key, compare, day, _sc) if layer == "changes" and compare else None
    return draw.layer_features(state(key, day, _sc), context(_sc), [layer], actors=actors,
                               changed=moved)[layer]


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
    v = from_params(dict(st.query_params), names, default, window_of, default_date_of,
                    BASEMAPS)
    st.session_state.update({
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
    """A new scenario starts without a comparison and with all its actors shown."""
    st.session_state["compare_on"] = False
    st.session_state["_hidden"] = set()


def sidebar(packs: list[str], workspaces: list[str]) -> Shown:
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
    day = sb.slider("Date", min_value=start, max_value=end, step=timedelta(days=1),
                    format="YYYY-MM-DD", key=f"day:{name}")
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
    with sb.expander("Control by actor", expanded=False):
        ctx = context(sc)
        for aid in [*ctx.actors, draw.groups.CONTESTED, draw.groups.UNKNOWN]:
            label = md(ctx.actor_name(aid) if aid in ctx.actors else aid.capitalize())
            on = st.checkbox(label, value=aid not in hidden, key=f"actor_{name}_{aid}")
            (hidden.discard if on else hidden.add)(aid)
    hidden &= {*ctx.actors, draw.groups.CONTESTED, draw.groups.UNKNOWN}  # junk from a URL
    st.session_state["_hidden"] = hidden
    basemap = sb.radio("Basemap", list(BASEMAPS), format_func=BASEMAPS.get, key="basemap")
    view = View(scenario=name, date=day, layers=tuple(k for k in draw.LAYERS if k in shown),
                hidden_actors=tuple(sorted(hidden)), compare=compare, basemap=basemap,
                known=known)
    return Shown(view, sc)


def place_search() -> None:
    """A one-name lookup (Arabic too) that centres the map on the chosen place."""
    query = st.sidebar.text_input("Find a place", key="place_query",
                                  placeholder="e.g. Bustan al-Qasr, حلب")
    if not query.strip():
        st.session_state.pop("_found", None)
        return
    import geo

    found = list(geo.lookup(query.strip(), limit=5))
    if not found:
        st.sidebar.info(f"No place called “{md(query.strip())}” in the gazetteer.")
        return
    labels = [md(f"{c.name} ({c.kind}, {c.lat:.4f}, {c.lon:.4f})") for c in found]
    pick = st.sidebar.radio("Matches", range(len(found)), format_func=labels.__getitem__,
                            key="place_pick")
    hit = found[pick]
    st.session_state["_centre"] = (hit.lat, hit.lon)
    st.session_state["_found"] = [{"text": query.strip(), "name": hit.name, "kind": hit.kind,
                                   "lat": hit.lat, "lon": hit.lon, "confidence": None}]


# ------------------------------------------------------------------ report box
def report_box(day: date) -> None:
    st.caption("Paste a report (or upload a .txt) to see the places it names. The text stays in "
               "this browser session only; nothing is saved unless you keep the places.")
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
        events = reports.kept_events(rows, report_source(), text, day=day)
        if events.empty:
            st.warning("Nothing to keep: tick Keep on at least one place with coordinates.")
        else:
            src = report_source()
            name = save_layer("report", events,
                              f"report: {src['publisher'] or 'unnamed'} {src['date']}".strip())
            st.success(f"Kept {len(events)} places as the layer “{md(name)}”.")


def apply_mention_edits(key: str) -> None:
    """Write the table's edits back into the mention rows (a renamed place is looked up)."""
    import geo

    reports.apply_edits(st.session_state.get("mention_rows") or [],
                        st.session_state[key].get("edited_rows", {}), geo.lookup)
    st.session_state["_editor_version"] = st.session_state.get("_editor_version", 0) + 1


def user_collection() -> tuple[dict, list[str]]:
    """The user's layers as one GeoJSON dict, and a line for each layer that cannot be drawn;
    each layer is drawn once, then reused."""
    cache = st.session_state.setdefault("_user_cols", {})
    features: list[dict] = []
    problems: list[str] = []
    for name, gdf in st.session_state.get("user_layers", {}).items():
        if name not in cache or cache[name][0] is not gdf:
            try:
                drawn: dict | str = userlayers.draw_layer(name, gdf)
            except userlayers.LayerProblem as err:
                drawn = str(err)
            cache[name] = (gdf, drawn)
        drawn = cache[name][1]
        if isinstance(drawn, str):
            problems.append(drawn)
        else:
            features += drawn["features"]
    return {"type": "FeatureCollection", "features": features}, problems


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
    st.session_state["_saved_chosen"] = chosen
    shown = st.session_state.setdefault("user_layers", {})
    for name in names:
        if name in chosen and name not in shown:
            try:
                shown[name] = stored_layer(str(store.path), name, len(store.history(name)))
            except userlayers.LayerProblem as err:  # this layer only: the others still show
                st.error(md(err))
        elif name not in chosen and name in shown:
            del shown[name]
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


def upload_box() -> None:
    st.caption(f"Add a GeoJSON, GeoPackage, KML or CSV (at most {UPLOAD_CAP_MB} MB) as a layer. "
               "It is kept in the working store for later sessions.")
    up = st.file_uploader("Layer file", type=["geojson", "json", "gpkg", "kml", "csv"],
                          key="layer_file", max_upload_size=UPLOAD_CAP_MB)
    if up is not None and st.session_state.get("_layer_file_id") != up.file_id:
        st.session_state["_layer_file_id"] = up.file_id
        add_upload(up)
    saved_layers_picker()


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
    return {"publisher": st.session_state.get("report_publisher", "").strip(),
            "date": st.session_state.get("report_date", "").strip(),
            "url": st.session_state.get("report_url", "").strip(), "title": "Pasted report"}


def population_box(shown: Shown) -> None:
    s = summary(shown.key, shown.view.date.isoformat(), shown.sc)
    st.metric("Besieged population", summaries.population_short(s) or "unknown",
              help="Sum of the ranges reported for the sieges in force on this date.")
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
    for col, title, table in ((left, "Ground held (km²)", summaries.area_table(s)),
                              (left, "Sieges", summaries.siege_table(s)),
                              (right, "Encircled zones", summaries.encircled_table(s)),
                              (right, "Corridors", summaries.corridor_table(s))):
        if not table.empty:
            col.markdown(f"**{title}**")
            # st.table renders Markdown in cells: data is escaped first.
            col.table(table.astype(str).map(md).set_index(table.columns[0]))


def over_time(shown: Shown) -> None:
    df = history(shown.key, shown.sc)
    pop = [c for c in df.columns if c.startswith("besieged")]
    area = [c for c in df.columns if c.endswith("km²")]
    actors = shown.sc.actors.values()
    if pop:
        st.markdown("**Besieged population (range)**")
        st.line_chart(df[pop], height=220, color=summaries.series_colours(pop, actors))
    if area:
        st.markdown("**Ground held by actor (km²)**")
        st.line_chart(df[area], height=220, color=summaries.series_colours(area, actors))
    if not pop and not area:
        st.info("No figures over time for this scenario.")


# ------------------------------------------------------------------ the page
#: Drawing order of the map's layers (bottom to top); the workspace layers (units without a
#: record, the selection, what is being drawn) go between the state layers.
DRAW_ORDER = ("units", "control", "changes", "sieges", "selection", "corridors", "crossings",
              "events", "mentions", "user", "drawing")


def main() -> None:
    _vendor()
    packs = layers.list_scenarios()
    workspaces, store_problem = wsui.workspace_names(packs)
    if not packs and not workspaces:
        st.error("No scenario packs found in data/scenarios.")
        return
    try:
        load_view_from_url([*packs, *workspaces])
        shown = sidebar(packs, workspaces)
    except layers.PackError as err:  # a broken pack: say which file and field, no traceback
        st.error(f"This scenario pack cannot be loaded: {md(err)}")
        return
    except WorkspaceError as err:  # a workspace that cannot be read: one line
        st.error(f"This workspace cannot be shown: {md(err)}")
        return
    view, sc, key = shown.view, shown.sc, shown.key
    if store_problem:
        st.sidebar.warning(md(store_problem))
    place_search()
    params = view.to_params()
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)

    st.title("Cordon")
    st.caption(md(f"{sc.manifest.title} — {view.date:%d %B %Y}"
                  + (f" — as known on {wsui.shown_moment(view.known)}" if view.known else "")))
    wsui.said("page")
    panel = wsui.Panel(sc, view.known, view.date) if sc.workspace is not None else None
    if panel is not None:
        panel.take_clicks()  # before the widgets and layers the click changes are drawn
    col_map, col_side = st.columns([3, 1] if panel is None else [5, 3])
    summary_area = st.container()
    # Tabs run before the map is drawn (into the columns above), so a report's places or a new
    # layer appear on the map in the same run. Only the open tab's content runs.
    tabs = st.tabs(TABS, key="tab", on_change="rerun")
    panes = dict(zip(TABS, tabs, strict=True))
    with panes["Report"]:
        if panes["Report"].open is not False:
            report_box(view.date)
    with panes["Over time"]:
        if panes["Over time"].open:
            over_time(shown)
    with panes["Export"]:
        if panes["Export"].open:
            export_box(shown)
    with panes["My layers"]:
        if panes["My layers"].open:
            upload_box()
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
    day, compare = view.date.isoformat(), view.compare.isoformat() if view.compare else None
    data = {k: layer_collection(key, day, k, tuple(actors_shown) if k == "control" else None,
                                compare if k == "changes" else None, sc)
            for k in view.layers if k not in ("mentions", "user")}
    if "mentions" in view.layers:
        data["mentions"] = draw.groups.mention_features(kept_mentions())
    problems: list[str] = []
    if "user" in view.layers:
        data["user"], problems = user_collection()
    if panel is not None:  # units with no record on the date are drawn faintly
        data.update(panel.overlays(ctx, set(state(key, day, sc).control["id"])))
    groups = ([draw.tile_group(view.basemap)] if view.basemap in draw.TILES else [])
    drawing = panel is not None and panel.click_mode() != "select"
    groups += draw.build_groups({k: data[k] for k in DRAW_ORDER if k in data}, quiet=drawing)
    if st.session_state.get("_found"):  # the place searched for, on top of everything
        groups += draw.build_groups(
            {"search": draw.groups.mention_features(st.session_state["_found"])})

    lat, lon = sc.manifest.center
    m = draw.add_basemap(draw.offline_map((lat, lon), sc.manifest.zoom))
    centre = st.session_state.get("_centre")
    with col_map:
        for line in problems:  # a layer that cannot be drawn says so; the map still shows
            st.error(md(line))
        # In a workspace a click is sent back (to select units or draw); pans never are.
        st_folium(m, key="map", height=620, use_container_width=True,
                  feature_group_to_add=groups,
                  returned_objects=wsui.RETURNED if panel is not None else [],
                  center=centre, zoom=15 if centre else None)
        if drawing:  # below the map: an element above it would make the page redraw the map
            st.caption("Drawing: click the map to place points (see Record, beside the map); "
                       "tooltips and popups are off meanwhile.")
    with col_side:
        st.markdown("**Legend**")
        holding = [a["id"] for a in summary(key, day, sc)["actors"] if a.get("zones")]
        st.html(draw.legend_html(draw.legend_entries(ctx, view.layers, actors_shown,
                                                     holding)))
        population_box(shown)
    with summary_area:
        summary_panel(shown)

main()
