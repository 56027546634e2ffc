"""Workspaces: living scenarios that analysts create and update, with a full audit trail.

    ws = create_workspace("aleppo-live", from_pack="aleppo-2016")
    ws.record_control(["alp-hanano"], actor="gov", status="controlled", start="2016-11-26",
                      sources=["reuters-2016-11-27"])
    state_at(ws.scenario(), "2016-11-30")
    ws.scenario(as_known_on="2016-11-27")      # the map as the team knew it then

The store is chosen by :func:`open_backend`: the GeoPackage at ``$CORDON_STORE`` (default), or
a PostgreSQL URL for a team store.
"""

from __future__ import annotations

import os
from pathlib import Path

from layers.workspace.backend import (
    Backend,
    ConflictError,
    PermissionDenied,
    WorkspaceError,
)
from layers.workspace.core import Workspace, check_name, default_user, fork_records, known_on
from layers.workspace.packfiles import read_pack_records


def open_backend(store: str | os.PathLike | None = None) -> Backend:
    """The workspace backend for ``store`` (a GeoPackage path or a ``postgresql://`` URL;
    default ``$CORDON_STORE``, else the default GeoPackage)."""
    text = str(store) if store is not None else os.environ.get("CORDON_STORE", "")
    if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        try:
            from layers.workspace.postgis import PostGISBackend
        except ImportError as exc:
            raise WorkspaceError(f"a PostgreSQL store needs the team-store packages "
                                 f"({exc.name} is missing)") from None
        return PostGISBackend(text)
    from layers.store import default_path
    from layers.workspace.gpkg import GeoPackageBackend

    return GeoPackageBackend(Path(text).expanduser() if text else default_path())


def list_workspaces(store: str | os.PathLike | None = None) -> list[dict]:
    """``[{name, title, created_at, created_by, version}]`` in the store."""
    return open_backend(store).workspaces()


def open_workspace(name: str, store: str | os.PathLike | None = None) -> Workspace:
    """An existing workspace (raises :class:`WorkspaceError` naming the store otherwise)."""
    ws = Workspace(name, open_backend(store))
    ws._require()
    return ws


def create_workspace(name: str, *, from_pack: str | os.PathLike | None = None,
                     records: list[tuple[str, str, dict]] | None = None,
                     title: str | None = None, store: str | os.PathLike | None = None,
                     by: str | None = None) -> Workspace:
    """A new workspace: a fork of a pack (records and sources copied, ids kept), or the
    given records (see :mod:`layers.workspace.units` for unit layers and admin units).

    Nothing is left behind when the records do not validate.
    """
    from layers.catalog import find_scenario

    check_name(name)
    backend = open_backend(store)
    if (from_pack is None) == (records is None):
        raise WorkspaceError("give one of: a pack to fork, or records")
    if from_pack is not None:
        try:
            root = find_scenario(from_pack)
        except FileNotFoundError as exc:
            raise WorkspaceError(str(exc)) from None
        records = fork_records(root, name, title)
        op, reason = "fork", f"forked from pack {root.name}"
    else:
        op, reason = "create", "new workspace"
    man = next((b for k, _, b in records if k == "manifest"), None)
    if man is None:
        raise WorkspaceError("records hold no manifest")
    by = by or default_user()
    ws = Workspace(name, backend)
    ws.validate_records(records)  # before the name is taken
    backend.create(name, title or man.get("title") or name, by)
    ws.load_records(records, op=op, reason=reason, by=by)
    return ws


__all__ = ["Backend", "ConflictError", "PermissionDenied", "Workspace", "WorkspaceError",
           "create_workspace", "default_user", "known_on", "list_workspaces", "open_backend",
           "open_workspace", "read_pack_records"]
