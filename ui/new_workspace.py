"""The "New workspace" tab: a workspace from an uploaded unit layer (issue 10).

Upload a polygon layer (GeoJSON, GeoPackage, KML/KMZ, or a zip holding one), choose its id and
name fields, see what the repairs changed, name the workspace, create it — then the page shows
it, ready for actors and records. UI only: reading the file safely is ``layers.import_file``'s,
the coverage and its repair report ``layers.workspace.units.records_from_units``'s.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

import layers
from layers.draw.popups import md
from layers.io.errors import plain_words
from layers.workspace import WorkspaceError, create_workspace
from ui.workspace import READ_ONLY, can_write, failure, open_scenario, said, say

UNIT_TYPES = ["geojson", "json", "gpkg", "kml", "kmz", "zip"]
UNIT_SUFFIXES = (".geojson", ".json", ".gpkg", ".kml", ".kmz")


def tab(packs: Sequence[str], cap_mb: int) -> None:
    """Upload a unit layer, choose its id and name fields, see the repairs, name it, create."""
    said("new")
    if not can_write():
        st.info(f"{READ_ONLY}: creating workspaces needs an editor.")
        return
    st.caption("Start a workspace from your own units: a polygon layer (GeoJSON, GeoPackage, "
               f"KML, or a zip holding one; at most {cap_mb} MB). The polygons are made into "
               "a clean coverage — invalid shapes repaired, overlaps given to one unit, slivers "
               "closed — and every repair is listed. To work on a shipped pack instead, pick "
               "it and use “Fork to edit” in the sidebar.")
    up = st.file_uploader("Unit layer", type=UNIT_TYPES, key="units_file",
                          max_upload_size=cap_mb)
    if up is None:
        st.session_state.pop("_units", None)
        return
    info = st.session_state.get("_units")
    if info is None or info["file_id"] != up.file_id:
        st.session_state.pop("_units_checked", None)
        info = _read_units(up, cap_mb)
        if info is None:
            return
        st.session_state["_units"] = info
    st.caption(md(f"{info['file']}: {info['count']} features ({', '.join(info['kinds'])})."))
    fields = info["fields"]
    id_f = st.selectbox("Id field (unique per unit)", fields, key="units_id_field", index=None)
    name_f = st.selectbox("Name field", fields, key="units_name_field", index=None)
    st.text_input("Workspace name", key="units_ws_name",
                  help="A letter, then letters, digits, - or _ (at most 63).")
    st.text_input("Title (optional)", key="units_ws_title")
    if st.button("Check the units", key="units_check", disabled=not (id_f and name_f)):
        _check_units(info, id_f, name_f)
    checked = st.session_state.get("_units_checked")
    ready = checked is not None and checked["key"] == (info["file_id"], id_f, name_f)
    if ready:
        st.success(md(f"{checked['units']} units ready."))
        if checked["report"]:
            st.info(md("Repairs: " + "; ".join(checked["report"][:12])
                       + (f" (and {len(checked['report']) - 12} more)"
                          if len(checked["report"]) > 12 else "")))
        else:
            st.caption("No repairs were needed.")
    st.button("Create workspace", key="units_create", type="primary", disabled=not ready,
              on_click=_create_from_units, args=(tuple(packs),))


def _unit_file(data: bytes, name: str, cap_mb: int) -> tuple[str, bytes]:
    """``(file name, bytes)`` of the layer in an upload: the file itself, or the one
    GeoJSON/GeoPackage/KML inside a zip (whose sizes are checked before anything is read)."""
    if not name.lower().endswith(".zip"):
        return name, data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [i for i in zf.infolist() if not i.is_dir()
                       and i.filename.lower().endswith(UNIT_SUFFIXES)
                       and not Path(i.filename).name.startswith(".")]
            if len(members) != 1:
                raise ValueError(f"{name}: a zip must hold exactly one GeoJSON, GeoPackage or "
                                 f"KML file (it holds {len(members)})")
            member = members[0]
            if member.flag_bits & 0x1:
                raise ValueError(f"{name}: the zip is encrypted")
            if member.file_size > cap_mb * 1024 * 1024:
                raise ValueError(f"{name}: {Path(member.filename).name} unpacks to "
                                 f"{member.file_size / 1e6:.0f} MB, over the {cap_mb} MB limit")
            return Path(member.filename).name, zf.read(member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as err:
        raise ValueError(f"{name}: not a readable zip archive ({err})") from None


def _safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(name).stem).strip("_") or "units"
    return f"{stem[:60]}{Path(name).suffix.lower()}"


def _with_file(info: dict, use: Callable[[Path], Any]) -> Any:
    """Call ``use`` with the uploaded layer written to a private temporary file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / info["file"]
        path.write_bytes(info["data"])
        try:
            return use(path)
        except ValueError as err:  # InputError, WorkspaceError: name the user's file
            raise ValueError(plain_words(str(err).replace(str(path), info["file"]))) from None


def _read_units(up, cap_mb: int) -> dict | None:
    if up.size > cap_mb * 1024 * 1024:
        st.error(f"{md(up.name)}: {up.size / 1e6:.1f} MB is over the {cap_mb} MB limit.")
        return None
    try:
        name, data = _unit_file(up.getvalue(), up.name, cap_mb)
        info = {"file_id": up.file_id, "file": _safe_name(name), "data": data}
        gdf = _with_file(info, layers.import_file)
    except ValueError as err:
        st.error(md(err))
        return None
    except Exception as err:  # noqa: BLE001 - never a traceback on the page
        st.error(f"{md(up.name)}: could not be read ({type(err).__name__}).")
        return None
    fields = [c for c in gdf.columns if c != gdf.geometry.name]
    if not fields:
        st.error(f"{md(up.name)}: the layer has no fields to take ids and names from.")
        return None
    return {**info, "fields": fields, "count": len(gdf),
            "kinds": sorted({str(k) for k in gdf.geom_type.dropna()}) or ["no geometry"]}


def _units_records(info: dict, name: str, id_f: str, name_f: str, title: str | None = None):
    from layers.workspace.units import records_from_units

    return _with_file(info, lambda path: records_from_units(name, str(path), id_f, name_f,
                                                            title=title))


def _check_units(info: dict, id_f: str, name_f: str) -> None:
    name = str(st.session_state.get("units_ws_name") or "").strip() or "units"
    try:
        records, report = _units_records(info, name, id_f, name_f)
    except Exception as err:  # noqa: BLE001 - one plain line
        st.session_state.pop("_units_checked", None)
        st.error(md(failure("The units cannot be used", err)))
        return
    st.session_state["_units_checked"] = {
        "key": (info["file_id"], id_f, name_f), "report": report,
        "units": sum(1 for k, _, _ in records if k == "area")}


def _create_from_units(packs: tuple[str, ...]) -> None:
    s = st.session_state
    info = s.get("_units")
    name = str(s.get("units_ws_name") or "").strip()
    title = str(s.get("units_ws_title") or "").strip() or None
    try:
        if info is None:
            raise WorkspaceError("upload the unit layer again")
        if not name:
            raise WorkspaceError("give the workspace a name")
        if name in packs:
            raise WorkspaceError(f"“{name}” is the name of a pack; choose another")
        records, report = _units_records(info, name, s.get("units_id_field"),
                                         s.get("units_name_field"), title)
        create_workspace(name, records=records, title=title,
                         store=os.environ.get("CORDON_STORE") or None)
    except Exception as err:  # noqa: BLE001 - one plain line
        say("new", "error", failure("Not created", err))
        return
    units = sum(1 for k, _, _ in records if k == "area")
    open_scenario(name)
    for key in ("_units", "_units_checked", "units_ws_name", "units_ws_title"):
        s.pop(key, None)
    say("page", "ok", f"Created the workspace “{name}” with {units} units"
                       + (f" ({len(report)} repairs)" if report else "")
                       + ". Add its actors (the Actors tab beside the map), then select units "
                         "and record who holds them.")
