"""The page's workspace parts (issue 10, "Keep track: living scenarios").

- the scenario picker's workspaces, "Fork to edit" on a pack and "As known on" in the sidebar;
- beside the map, the workspace panel: the selection (units clicked on the map or chosen by
  name, a corridor or crossing), **Record** (control, a corridor's or crossing's status, a
  siege, an event, a new corridor or crossing drawn with map clicks — each with its source and
  confidence), **History** of the selection with Correct and Retract, **Actors**, **Latest
  edits**;
- the "New workspace" tab (``ui/new_workspace.py``): a workspace from an uploaded unit layer.

UI only: widgets, session state and messages. Recording, validation, conflicts and history
are :mod:`layers.workspace`'s; how a history reads and how a form becomes a record in the pack
format is :mod:`layers.draw.workspace`'s. Writes run in button callbacks (before the next run
of the script) and pass ``base=`` the version the page showed, so a page that went stale while
someone else recorded gets the conflict message instead of overwriting their change.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from layers.draw import groups as draw_groups
from layers.draw import style as draw_style
from layers.draw import workspace as wsd
from layers.draw.popups import escape, md
from layers.draw.view import known_value
from layers.model import (
    CONFIDENCE,
    CORRIDOR_KIND,
    CORRIDOR_STATUS,
    CROSSING_KIND,
    CROSSING_STATUS,
    EVENT_TYPES,
    PRECISION,
)
from layers.workspace import (
    ConflictError,
    Workspace,
    WorkspaceError,
    create_workspace,
    known_on,
    open_backend,
)
from layers.workspace.units import PALETTE

#: What the Record tab can record.
CONTROL, ACCESS, SIEGE, EVENT = "Control", "Corridor or crossing status", "Siege", "Event"
NEW_CORRIDOR, NEW_CROSSING = "New corridor (draw it)", "New crossing or checkpoint"
KINDS = (CONTROL, ACCESS, SIEGE, EVENT, NEW_CORRIDOR, NEW_CROSSING)
#: "Held by" choices besides the actors (a colon: never part of an actor id).
CONTESTED, UNKNOWN = ":contested", ":unknown"
#: What st_folium sends back on a click in a workspace (pans and zooms send nothing).
RETURNED = ["last_clicked", "last_object_clicked", "last_object_clicked_count",
            "last_active_drawing"]
PALETTE_NAMES = dict(zip(PALETTE, ("blue", "vermillion", "bluish green", "reddish purple",
                                   "orange", "sky blue", "yellow"), strict=True))
FAR_PAST, FAR_FUTURE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
READ_ONLY = "read-only (viewer)"


# ------------------------------------------------------------------ the store
@st.cache_resource(show_spinner=False, max_entries=8)
def _backend(locator: str):
    return open_backend(locator or None)


def backend():
    """The workspace store of ``$CORDON_STORE`` (one backend object per store)."""
    return _backend(os.environ.get("CORDON_STORE", ""))


def can_write(b=None) -> bool:
    """Whether the store lets this user record (a team store's viewers may not)."""
    try:
        return bool((b or backend()).can_write())
    except Exception:  # noqa: BLE001 - a store that cannot say is not written to
        return False


def role_of(b) -> str | None:
    """The team store's role for this user (admin, editor, viewer), or None."""
    role = getattr(b, "role", None)
    if role is None:
        return None
    try:
        return str(role())
    except Exception:  # noqa: BLE001 - the role is only shown
        return None


def workspace_names(packs: Sequence[str]) -> tuple[list[str], str | None]:
    """The store's workspaces (those not named like a pack), and a problem to show or None."""
    try:
        names = [w["name"] for w in backend().workspaces()]
    except Exception as err:  # noqa: BLE001 - the packs still work without the store
        return [], f"The workspace store cannot be read: {err}"
    return sorted(n for n in names if n not in set(packs)), None


def load(name: str, known: str | None = None):
    """The workspace ``name`` as a scenario, now or as known on ``known``."""
    return Workspace(name, backend()).scenario(as_known_on=known)


# ------------------------------------------------------------------ messages
def say(area: str, kind: str, text: str) -> None:
    """Keep a message for ``area`` to show on the next run (callbacks cannot draw)."""
    st.session_state.setdefault("_ws_said", {})[area] = (kind, text)


def said(area: str) -> None:
    """Show (once) the message kept for ``area``; everything from data is escaped."""
    kind, text = st.session_state.get("_ws_said", {}).pop(area, (None, None))
    if kind is not None:
        {"ok": st.success, "error": st.error, "info": st.info}[kind](md(text))


def failure(what: str, err: Exception, version: int | None = None) -> str:
    if isinstance(err, ConflictError):
        return (f"{what}: {err}. The page now shows the newest version"
                + (f" (you saw version {version})" if version is not None else "") + ".")
    if isinstance(err, (WorkspaceError, ValueError, OSError)):
        return f"{what}: {err}"
    return f"{what}: an unexpected {type(err).__name__}"


def open_scenario(name: str, day: dt.date | None = None) -> None:
    """Show ``name`` next (from a callback: before the picker is drawn)."""
    s = st.session_state
    s.update({"scenario": name, "compare_on": False, "_hidden": set(), "known_on": False})
    if day is not None:
        s[f"day:{name}"] = day
    for key in ("ws_units", "ws_access", "hist_target", "_draw_points", "fix_record"):
        s.pop(key, None)


# ------------------------------------------------------------------ sidebar
def picker_label(workspaces: Sequence[str]) -> Callable[[str], str]:
    marked = set(workspaces)
    return lambda name: f"{name} — workspace" if name in marked else name


def fork_box(pack: str, packs: Sequence[str]) -> None:
    """"Fork to edit" under the picker when a pack is shown (not for viewers)."""
    if not can_write():
        return
    box = st.sidebar.expander("Fork to edit", key="fork_open", on_change="rerun")
    if not box.open:  # its widgets are sent only while it is open
        return
    with box:
        st.caption("Copy this pack into a workspace kept in the store, then record changes "
                   "with their sources; the pack itself never changes.")
        st.text_input("Workspace name", key="fork_name", placeholder=f"{pack}-live",
                      help="A letter, then letters, digits, - or _ (at most 63).")
        st.button("Fork", key="fork_go", on_click=_fork, args=(pack, tuple(packs)))


def _fork(pack: str, packs: tuple[str, ...]) -> None:
    day = st.session_state.get(f"day:{pack}")  # the fork opens on the pack's date
    name = str(st.session_state.get("fork_name") or "").strip()
    if not name:
        say("page", "error", "Not forked: give the workspace a name.")
        return
    if name in packs:
        say("page", "error", f"Not forked: “{name}” is the name of a pack; choose another.")
        return
    try:
        create_workspace(name, from_pack=pack, store=os.environ.get("CORDON_STORE") or None)
    except Exception as err:  # noqa: BLE001 - one plain line, never a traceback
        say("page", "error", failure("Not forked", err))
        return
    open_scenario(name, day if isinstance(day, dt.date) else None)
    st.session_state.pop("fork_name", None)
    say("page", "ok", f"Forked {pack} into the workspace “{name}”. Select units on the map "
                       "(or by name) to record changes.")


def shown_moment(known: str) -> str:
    """An "as known on" value as people read it: ``2016-11-27 14:30 UTC``."""
    return known.replace("T", " ") + " UTC"


def seed_known(known: str | None) -> None:
    """Set the "As known on" widgets from the URL's value."""
    if not known:
        return
    day, _, time = known.partition("T")
    st.session_state.update({"known_on": True, "known_day": dt.date.fromisoformat(day),
                             "known_time": time})


def known_box() -> str | None:
    """"As known on" (a day, optionally a time, UTC) for a workspace; None when off."""
    sb = st.sidebar
    on = sb.checkbox("As known on an earlier moment", key="known_on",
                     help="The map, summary and exports as the workspace stood then: records "
                          "entered and corrections made later are left out. Recording is off "
                          "meanwhile.")
    if not on:
        return None
    if not isinstance(st.session_state.get("known_day"), dt.date):
        st.session_state["known_day"] = dt.datetime.now(dt.UTC).date()
    day = sb.date_input("Known on (UTC)", key="known_day", format="YYYY-MM-DD",
                        min_value=FAR_PAST, max_value=FAR_FUTURE)
    time = sb.text_input("Time of day (UTC, optional)", key="known_time",
                         placeholder="HH:MM or HH:MM:SS",
                         help="Without a time, the end of that day.").strip()
    if not time:
        return day.isoformat()
    value = known_value(f"{day.isoformat()}T{time}")
    if value is None:
        sb.error(f"Time: “{md(time[:20])}” is not HH:MM or HH:MM:SS; showing the end of "
                 "the day.")
        return day.isoformat()
    return value


# ------------------------------------------------------------------ the panel beside the map
class Panel:
    """The workspace panel for one run: selection, Record, History, Actors, Latest edits.

    Parameters
    ----------
    sc
        The scenario on screen (a workspace, as known on ``known`` when given).
    known
        The "as known on" moment, or None for the workspace as it is now.
    day
        The map's date (the default "from" of new records).
    """

    def __init__(self, sc: Any, known: str | None, day: dt.date):
        self.sc, self.known, self.day = sc, known, day
        self.ws: Workspace = sc.workspace
        self.name = self.ws.name
        self.version = sc.version
        self.writable = can_write(self.ws.backend)
        self.role = role_of(self.ws.backend)
        self.live = self.writable and known is None
        self.units = wsd.pickable_units(sc)
        self.access = wsd.access_targets(sc)

    # -- map clicks --------------------------------------------------------------------
    def click_mode(self) -> str:
        """``select`` (units, corridors, crossings), ``line`` or ``point`` (drawing)."""
        kind = st.session_state.get("rec_kind")
        if self.live and kind == NEW_CORRIDOR:
            return "line"
        if self.live and kind == NEW_CROSSING:
            return "point"
        return "select"

    def take_clicks(self) -> None:
        """Act on a new click on the map (st_folium's value, kept under the map's key):
        toggle the unit under it, pick the corridor or crossing clicked, or add a point to
        what is being drawn. Runs before the widgets it changes are drawn."""
        s = st.session_state
        value = s.get("map")
        token, before = wsd.clicked(value), s.get("_click_done")
        if s.get("_click_ws") != self.name:  # a click made before this workspace was shown
            s["_click_ws"], s["_click_done"] = self.name, token
            return
        if token is None or before == token:
            return
        s["_click_done"] = token
        # A feature's popup stops its click reaching the map: a new count is a feature click.
        on_feature = bool(token[-1]) and (before is None or before[-1] != token[-1])
        point = wsd.clicked_point(value, on_feature)
        mode = self.click_mode()
        if mode != "select":
            if point is not None:
                s["_draw_points"] = ([*s.get("_draw_points", []), list(point)] if mode == "line"
                                     else [list(point)])
            return
        feature = wsd.clicked_feature(value) if on_feature else None
        if feature and feature[0] in ("corridors", "crossings"):
            fid = next((k for k in self.access if escape(k) == feature[1]), None)
            if fid is not None:
                s["ws_access"] = s["hist_target"] = fid
                return
        uid = wsd.unit_at(self.sc, *point) if point is not None else None
        if uid is None:
            return
        chosen = [u for u in s.get("ws_units", []) if u in self.units]
        if uid in chosen:
            chosen.remove(uid)
        else:
            chosen.append(uid)
            s["hist_target"] = uid
        s["ws_units"] = chosen

    def overlays(self, ctx: Any, recorded: set[str]) -> dict[str, dict]:
        """Extra map layers: the units without a record on the date (``recorded``: those
        with one), so one sees what there is to click; the selection; what is being drawn.
        (A click finds its unit by position, whatever is drawn there.)"""
        shapes = wsd.unit_display(self.sc, ctx)
        out = {"units": draw_groups.unit_features(shapes, skip=recorded)}
        chosen = {u: shapes[u] for u in st.session_state.get("ws_units", []) if u in shapes}
        if chosen:
            out["selection"] = draw_groups.selection_features(chosen)
        points = st.session_state.get("_draw_points") or []
        mode = self.click_mode()
        if mode != "select" and points:
            out["drawing"] = draw_groups.drawing_features(points, line=mode == "line")
        return out

    # -- layout ------------------------------------------------------------------------
    def render(self) -> None:
        st.markdown(f"**Workspace {md(self.name)}** · version {self.version}")
        if not self.writable:
            st.info(f"{READ_ONLY}: you can look, select and read the history; recording "
                    "needs an editor.")
        elif self.known:
            st.info(f"Shown as known on {md(shown_moment(self.known))}. Recording is off in "
                    "this mode: untick “As known on” in the sidebar to record.")
        else:
            from layers.workspace import default_user

            who = self.ws.backend.user() or default_user()
            st.caption(md(f"Recording as {who}" + (f" ({self.role})" if self.role else "")))
        self.selection_box()
        names = (["Record"] if self.live else []) + ["History", "Latest edits", "Actors"]
        tabs = dict(zip(names, st.tabs(names, key=f"ws_tab_{len(names)}"), strict=True))
        if "Record" in tabs:
            with tabs["Record"]:
                self.record_tab()
        with tabs["History"]:
            self.history_tab()
        with tabs["Latest edits"]:
            self.feed_tab()
        with tabs["Actors"]:
            self.actors_tab()

    def selection_box(self) -> None:
        s = st.session_state
        s["ws_units"] = [u for u in s.get("ws_units", []) if u in self.units]
        st.multiselect("Selected units", list(self.units), key="ws_units",
                       format_func=self.units.get,
                       placeholder="Click units on the map, or type names",
                       help="Click a unit on the map to select it, click it again to drop it.")
        if self.access:
            if s.get("ws_access") not in self.access:
                s["ws_access"] = None
            st.selectbox("Corridor or crossing", list(self.access), key="ws_access", index=None,
                         format_func=self.access.get, placeholder="Click one on the map, or choose")

    # -- Record ------------------------------------------------------------------------
    def record_tab(self) -> None:
        s = st.session_state
        # "From" follows the map's date until the user sets it.
        if not isinstance(s.get("rec_from"), dt.date) or s["rec_from"] == s.get("_rec_auto"):
            s["rec_from"] = s["_rec_auto"] = self.day
        kind = st.selectbox("What to record", KINDS, key="rec_kind",
                            on_change=lambda: st.session_state.pop("_draw_points", None))
        {CONTROL: self._control_fields, ACCESS: self._access_fields, SIEGE: self._siege_fields,
         EVENT: self._event_fields, NEW_CORRIDOR: self._corridor_fields,
         NEW_CROSSING: self._crossing_fields}[kind]()
        self._source_fields()
        st.selectbox("Confidence", CONFIDENCE, index=1, key="rec_conf")
        st.button("Record", key="rec_go", type="primary", on_click=self._record, args=(kind,))
        said("record")

    def _dates(self, start: str = "From", until: bool = True) -> None:
        st.date_input(start, key="rec_from", format="YYYY-MM-DD", min_value=FAR_PAST,
                      max_value=FAR_FUTURE)
        if until:
            st.date_input("Until (optional)", value=None, key="rec_to", format="YYYY-MM-DD",
                          min_value=FAR_PAST, max_value=FAR_FUTURE,
                          help="Leave empty: until the next recorded change.")
        st.selectbox("Precision of the date", PRECISION, key="rec_precision")

    def _selected_caption(self, what: str) -> None:
        chosen = st.session_state.get("ws_units", [])
        if chosen:
            st.caption(md(f"{what}: " + ", ".join(self.units[u] for u in chosen)))
        else:
            st.caption(f"{what}: none yet. Click units on the map, or choose them by name "
                       "above.")

    def holder_label(self, key: str) -> str:
        if key == CONTESTED:
            return "contested"
        if key == UNKNOWN:
            return "unknown"
        return self.sc.actors[key].name if key in self.sc.actors else key

    def _control_fields(self) -> None:
        self._selected_caption("Units")
        st.selectbox("Held by", [*self.sc.actors, CONTESTED, UNKNOWN], key="rec_actor",
                     format_func=self.holder_label,
                     help="An actor, or contested / unknown ground.")
        self._dates()
        st.text_input("Note (optional)", key="rec_note")

    def _access_fields(self) -> None:
        target = st.session_state.get("ws_access")
        if not target:
            st.caption("Choose a corridor or crossing above, or click one on the map.")
            return
        kind = "corridor" if any(c.id == target for c in self.sc.corridors) else "crossing"
        st.selectbox("Status", CORRIDOR_STATUS if kind == "corridor" else CROSSING_STATUS,
                     key=f"acc_status_{kind}", format_func=lambda v: v.replace("_", " "))
        self._dates()
        st.text_input("Note (optional)", key="rec_note")

    def _siege_fields(self) -> None:
        st.text_input("Siege name", key="siege_name")
        self._selected_caption("Places besieged")
        actors = list(self.sc.actors)
        st.multiselect("Besiegers", actors, key="siege_by", format_func=self.holder_label)
        st.multiselect("Besieged", actors, key="siege_of", format_func=self.holder_label)
        self._dates()
        st.number_input("Population besieged (optional)", min_value=0, value=None, step=1000,
                        key="siege_pop")
        st.date_input("Population figure dated", value=None, key="siege_pop_date",
                      format="YYYY-MM-DD", min_value=FAR_PAST, max_value=FAR_FUTURE,
                      help="Empty: the siege's start.")
        st.text_area("Description (your own words)", key="siege_desc", height=80)

    def _event_places(self) -> dict[str, str]:
        return self._targets()

    def _event_fields(self) -> None:
        places = self._event_places()
        if not places:
            st.caption("Select the unit, corridor or crossing where it happened first.")
        elif st.session_state.get("ev_place") not in places:
            st.session_state["ev_place"] = next(iter(places))
        if places:
            st.selectbox("Where", list(places), key="ev_place", format_func=places.get)
        st.selectbox("Type", EVENT_TYPES, key="ev_type")
        st.text_input("Title", key="ev_title")
        self._dates("Date", until=False)
        st.text_area("Description (your own words)", key="ev_desc", height=80)

    def _points_box(self, line: bool) -> None:
        points = st.session_state.get("_draw_points") or []
        if line:
            st.caption(f"Click the map to add points along the route: {len(points)} so far "
                       "(at least 2).")
        else:
            st.caption("Click the map where it is." + (" Placed." if points else ""))
        if points:
            st.button("Undo last point" if line else "Clear the point", key="draw_undo",
                      on_click=lambda: st.session_state.update(
                          _draw_points=(st.session_state.get("_draw_points") or [])[:-1]))

    def _corridor_fields(self) -> None:
        self._points_box(line=True)
        st.text_input("Name", key="new_name")
        st.selectbox("Kind", CORRIDOR_KIND, key="new_kind_cor")
        st.selectbox("Status", CORRIDOR_STATUS, key="new_status_cor",
                     format_func=lambda v: v.replace("_", " "))
        self._dates("Status from", until=False)
        st.text_area("Description (your own words)", key="new_desc", height=80)

    def _crossing_fields(self) -> None:
        self._points_box(line=False)
        st.text_input("Name", key="new_name")
        st.selectbox("Kind", CROSSING_KIND, key="new_kind_cro")
        st.selectbox("Status", CROSSING_STATUS, key="new_status_cro")
        self._dates("Status from", until=False)
        st.text_area("Description (your own words)", key="new_desc", height=80)

    def _source_fields(self) -> None:
        st.markdown("**Source**")
        known = sorted(self.sc.sources.values(), key=lambda x: (str(x.date), x.id),
                       reverse=True)
        labels = {x.id: wsd.source_label(x, x.id) for x in known}
        mode = st.radio("Source", ["existing", "new"], key="src_mode", horizontal=True,
                        label_visibility="collapsed",
                        format_func={"existing": "A source of this workspace",
                                     "new": "A new source"}.get)
        if mode == "existing" and labels:
            st.selectbox("Existing source", list(labels), key="src_pick", index=None,
                         format_func=labels.get, placeholder="Choose a source")
        else:
            st.text_input("Publisher", key="src_publisher")
            st.text_input("Title", key="src_title")
            st.text_input("Published (YYYY-MM-DD)", key="src_date")
            st.text_input("URL", key="src_url", placeholder="https://…")

    def _sources(self) -> list[str]:
        s = st.session_state
        if s.get("src_mode", "existing") == "existing" and self.sc.sources:
            pick = s.get("src_pick")
            if not pick:
                raise WorkspaceError("choose the source this comes from (or give a new one)")
            return [pick]
        url = str(s.get("src_url") or "").strip()
        publisher = str(s.get("src_publisher") or "").strip()
        title = str(s.get("src_title") or "").strip()
        published = str(s.get("src_date") or "").strip()
        if not (url and publisher and title and published):
            raise WorkspaceError("a new source needs its publisher, title, date and URL")
        return [self.ws.add_source(url, publisher, title, published)]

    def _record(self, kind: str) -> None:
        """The Record button (a callback: the next run shows the new version)."""
        s = st.session_state
        try:
            text = self._write(kind, s)
        except Exception as err:  # noqa: BLE001 - one plain line, never a traceback
            say("record", "error", failure("Not recorded", err, self.version))
            return
        say("record", "ok", text)

    def _write(self, kind: str, s: Any) -> str:
        start, end = s.get("rec_from"), s.get("rec_to")
        precision = s.get("rec_precision") or "day"
        conf = s.get("rec_conf") or "medium"
        note = str(s.get("rec_note") or "").strip()
        units = [u for u in s.get("ws_units", []) if u in self.units]
        if kind == CONTROL:
            if not units:
                raise WorkspaceError("select at least one unit (click it on the map, or "
                                     "choose it by name)")
            holder = s.get("rec_actor") or UNKNOWN
            actor = holder if holder in self.sc.actors else None
            status = "controlled" if actor else holder.lstrip(":")
            ids, notes = self.ws.record_control(
                units, actor=actor, status=status, start=start, end=end, precision=precision,
                sources=self._sources(), confidence=conf, note=note, base=self.version)
            done = (f"Recorded: {', '.join(self.units[u] for u in units)} "
                    f"{'held by ' if actor else ''}{self.holder_label(holder)} from {start}"
                    f" ({', '.join(ids)})")
        elif kind == ACCESS:
            target = s.get("ws_access")
            if not target:
                raise WorkspaceError("choose a corridor or crossing first")
            is_corridor = any(c.id == target for c in self.sc.corridors)
            status = s.get(f"acc_status_{'corridor' if is_corridor else 'crossing'}")
            _, notes = self.ws.record_access(
                target, status=status, start=start, end=end, precision=precision,
                sources=self._sources(), confidence=conf, note=note, base=self.version)
            done = f"Recorded: {self.access[target]} {status} from {start}"
        elif kind == SIEGE:
            if not units:
                raise WorkspaceError("select the besieged units first")
            name = str(s.get("siege_name") or "").strip()
            if not name:
                raise WorkspaceError("give the siege a name")
            srcs = self._sources()
            body = wsd.siege_body(name, units, s.get("siege_by") or [], s.get("siege_of") or [],
                                  start, end, precision=precision,
                                  population=s.get("siege_pop"),
                                  population_date=s.get("siege_pop_date"), confidence=conf,
                                  sources=srcs, description=str(s.get("siege_desc") or ""))
            rid, notes = self.ws.record_object("siege", body, base=self.version)
            done = f"Recorded the siege {name} ({rid})"
        elif kind == EVENT:
            place = s.get("ev_place")
            if place not in self._event_places():
                raise WorkspaceError("select the unit, corridor or crossing where it happened")
            title = str(s.get("ev_title") or "").strip()
            if not title:
                raise WorkspaceError("give the event a title")
            body = wsd.event_body(start, precision, s.get("ev_type") or "other", title,
                                  place=place, confidence=conf, sources=self._sources(),
                                  description=str(s.get("ev_desc") or ""))
            rid, notes = self.ws.record_object("event", body, base=self.version)
            done = f"Recorded the event {title} ({rid})"
        else:
            line = kind == NEW_CORRIDOR
            points = s.get("_draw_points") or []
            if len(points) < (2 if line else 1):
                raise WorkspaceError("click the map to draw it first" + (
                    " (at least two points)" if line else ""))
            name = str(s.get("new_name") or "").strip()
            if not name:
                raise WorkspaceError("give it a name")
            srcs = self._sources()
            suffix = "cor" if line else "cro"
            status = wsd.status_entry(s.get(f"new_status_{suffix}"), start, precision, conf,
                                      srcs)
            make = wsd.corridor_body if line else wsd.crossing_body
            body = make(name, s.get(f"new_kind_{suffix}"), points if line else points[-1],
                        status, confidence=conf, sources=srcs,
                        description=str(s.get("new_desc") or ""))
            rid, notes = self.ws.record_object("corridor" if line else "crossing", body,
                                               base=self.version)
            s.pop("_draw_points", None)
            s["ws_access"] = s["hist_target"] = rid
            done = f"Recorded the {'corridor' if line else 'crossing'} {name} ({rid})"
        return done + "." + "".join(f" Note: {n}." for n in notes)

    # -- History, Correct, Retract -----------------------------------------------------
    def _targets(self) -> dict[str, str]:
        """The selected units, corridor or crossing: id -> name."""
        s = st.session_state
        out = {u: self.units[u] for u in s.get("ws_units", []) if u in self.units}
        if s.get("ws_access") in self.access:
            out[s["ws_access"]] = self.access[s["ws_access"]]
        return out

    def history_tab(self) -> None:
        targets = self._targets()
        if not targets:
            st.caption("Select a unit, corridor or crossing to see who recorded what about "
                       "it, when and from which source.")
            return
        if st.session_state.get("hist_target") not in targets:
            st.session_state["hist_target"] = list(targets)[-1]
        target = st.selectbox("History of", list(targets), key="hist_target",
                              format_func=targets.get)
        rows = self._known_rows(lambda: self.ws.history(place=target))
        if rows is None:
            return
        entries = wsd.history_entries(self.sc, rows)
        st.caption(md(f"{len(entries)} versions, newest first"
                      + (f", as known on {shown_moment(self.known)}" if self.known else "")
                      + "."))
        st.markdown("\n".join(f"- {wsd.history_line(e)}" for e in reversed(entries)))
        if self.live:
            self._fix_box(rows)

    def _fix_box(self, rows: list[dict]) -> None:
        live = wsd.live_records(self.sc, rows)
        if not live:
            return
        newest = {r["id"]: r for r in rows}
        with st.expander("Correct or retract a record", expanded=bool(
                st.session_state.get("fix_record"))):
            if st.session_state.get("fix_record") not in live:
                st.session_state["fix_record"] = None
            rid = st.selectbox("Record", list(live), key="fix_record", format_func=live.get,
                               index=None, placeholder="Choose a record")
            if rid:
                row = newest[rid]
                fields = wsd.record_fields(row["body"], row["kind"])
                field = st.selectbox("Field to correct", fields, key="fix_field")
                target = row["body"].get("properties", {}) if row["kind"] == "area" else row[
                    "body"]
                st.caption(md(f"Now: {target.get(field)!s}"[:300]))
                st.text_input("Corrected value", key="fix_value",
                              help="Text as it is; lists, numbers and objects as JSON, e.g. "
                                   "[\"gov\"] (a control record's fields are all text).")
            st.text_input("Reason (required)", key="fix_reason")
            st.button("Correct", key="fix_go", disabled=not rid, on_click=self._correct)
            st.button("Retract", key="retract_go", disabled=not rid, on_click=self._retract)
            said("history")

    def _reason(self) -> str:
        reason = str(st.session_state.get("fix_reason") or "").strip()
        if not reason:
            raise WorkspaceError("give a reason: it stays in the history")
        return reason

    def _correct(self) -> None:
        s = st.session_state
        rid, field = s.get("fix_record"), s.get("fix_field")
        value = str(s.get("fix_value") or "")
        try:
            if not rid or not field:
                raise WorkspaceError("choose a record and a field")
            self.ws.correct(rid, {field: value}, reason=self._reason(), base=self.version)
        except Exception as err:  # noqa: BLE001 - one plain line
            say("history", "error", failure("Not corrected", err, self.version))
            return
        s["fix_reason"], s["fix_value"] = "", ""
        say("history", "ok", f"Corrected {rid}: {field} is now “{value}”.")

    def _retract(self) -> None:
        s = st.session_state
        try:
            rid = s.get("fix_record")
            if not rid:
                raise WorkspaceError("choose a record")
            self.ws.retract(rid, reason=self._reason(), base=self.version)
        except Exception as err:  # noqa: BLE001 - one plain line
            say("history", "error", failure("Not retracted", err, self.version))
            return
        s["fix_reason"], s["fix_record"] = "", None
        say("history", "ok", f"Retracted {rid}; it stays in the history.")

    def _known_rows(self, fetch) -> list[dict] | None:
        """History rows from ``fetch()``, only those recorded by the "as known on" moment;
        None (after showing the error) when the workspace cannot answer."""
        try:
            rows = fetch()
        except WorkspaceError as err:
            st.error(md(err))
            return None
        if self.known:
            bound = known_on(self.known)
            rows = [r for r in rows if r["recorded_at"] <= bound]
        return rows

    def feed_tab(self) -> None:
        rows = self._known_rows(lambda: self.ws.feed(limit=30))
        if rows is None:
            return
        if not rows:
            st.caption("No edits since the workspace was made.")
            return
        st.markdown("\n".join(f"- {wsd.history_line(e)}"
                              for e in wsd.history_entries(self.sc, rows)))

    # -- Actors ------------------------------------------------------------------------
    def actors_tab(self) -> None:
        actors = list(self.sc.actors.values())
        if actors:
            colours = draw_style.actor_colours(actors)  # only #rrggbb reaches the style
            st.html("".join(
                f"<div><span style='display:inline-block;width:14px;height:12px;"
                f"background:{colours[a.id]};border:1px solid #555;margin-right:6px'>"
                f"</span>{escape(a.name)} <small>({escape(a.short)})</small></div>"
                for a in actors))
        else:
            st.caption("No actors yet: add who holds ground before recording control.")
        if not self.live:
            return
        with st.expander("Add an actor", expanded=not actors):
            used = {a.colour.lower() for a in actors}
            if st.session_state.get("actor_colour") not in PALETTE:
                st.session_state["actor_colour"] = next(
                    (c for c in PALETTE if c not in used), PALETTE[0])
            st.text_input("Name", key="actor_name", placeholder="e.g. Government forces")
            st.text_input("Short name", key="actor_short", placeholder="e.g. Government")
            st.selectbox("Colour (Okabe–Ito, safe for colour blindness)", PALETTE,
                         key="actor_colour",
                         format_func=lambda c: f"{PALETTE_NAMES[c]} ({c})"
                         + (" — in use" if c in used else ""))
            st.html("".join(f"<span title='{PALETTE_NAMES[c]}' style='display:inline-block;"
                            f"width:18px;height:12px;background:{c};margin-right:3px;"
                            "border:1px solid #555'></span>" for c in PALETTE))
            if actors:
                st.selectbox("Allied with (optional)", [a.id for a in actors], index=None,
                             key="actor_ally", format_func=self.holder_label,
                             placeholder="Not allied")
            st.button("Add actor", key="actor_go", on_click=self._add_actor)
            said("actors")

    def _add_actor(self) -> None:
        s = st.session_state
        try:
            name = str(s.get("actor_name") or "").strip()
            if not name:
                raise WorkspaceError("give the actor a name")
            doc = next((b for k, _, b in self.ws.records() if k == "actors"),
                       {"actors": [], "alliances": []})
            aid = wsd.actor_id(name, [a.get("id") for a in doc.get("actors", [])])
            actor = {"id": aid, "name": name,
                     "short": str(s.get("actor_short") or "").strip() or name,
                     "colour": s.get("actor_colour") or PALETTE[0], "description": ""}
            self.ws.set_actors(wsd.with_actor(doc, actor, s.get("actor_ally")),
                               reason=f"actor {aid} added", base=self.version)
        except Exception as err:  # noqa: BLE001 - one plain line
            say("actors", "error", failure("Not added", err, self.version))
            return
        for key in ("actor_name", "actor_short", "actor_colour", "actor_ally"):
            s.pop(key, None)
        s["rec_actor"] = aid  # most likely who is recorded next
        say("actors", "ok", f"Added {name} ({aid}).")
