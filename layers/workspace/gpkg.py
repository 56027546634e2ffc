"""Workspaces in the embedded GeoPackage store (the default backend).

Two attribute tables beside the user layers, registered in ``gpkg_contents`` so QGIS lists them:
``_ws_workspaces`` (one row per workspace) and ``_ws_records`` (the append-only log). A write is
one ``BEGIN IMMEDIATE`` … ``COMMIT``: SQLite serialises writers and a killed writer leaves a hot
journal that the next connection rolls back, so the store holds the old state or the new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd
import pyogrio

from layers.io.export import GPKG_DATASET_OPTIONS
from layers.workspace.backend import (
    Backend,
    NewRow,
    Row,
    Transaction,
    WorkspaceError,
)

SCHEMA_VERSION = 1
_COLUMNS = "seq, kind, id, body, recorded_at, recorded_by, supersedes, reason, op"
_DDL = (
    "CREATE TABLE IF NOT EXISTS _ws_workspaces (name TEXT PRIMARY KEY, title TEXT NOT NULL, "
    "created_at TEXT NOT NULL, created_by TEXT NOT NULL, deleted_at TEXT, deleted_by TEXT, "
    "deleted_reason TEXT)",
    "CREATE TABLE IF NOT EXISTS _ws_records (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
    "workspace TEXT NOT NULL REFERENCES _ws_workspaces(name), kind TEXT NOT NULL, "
    "id TEXT NOT NULL, body TEXT, recorded_at TEXT NOT NULL, recorded_by TEXT NOT NULL, "
    "supersedes INTEGER, reason TEXT NOT NULL DEFAULT '', op TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS _ws_records_by_workspace ON _ws_records (workspace, seq)",
)


def now() -> str:
    """The current UTC time as ISO 8601 with microseconds (sorts as text)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class _SqliteTransaction(Transaction):
    def __init__(self, con: sqlite3.Connection, name: str):
        self.con = con
        self.name = name

    def rows(self) -> list[Row]:
        return _rows(self.con, self.name, None)

    def append(self, rows: Sequence[NewRow], by: str) -> int:
        stamp = now()
        last = 0
        for r in rows:
            cur = self.con.execute(
                "INSERT INTO _ws_records (workspace, kind, id, body, recorded_at, recorded_by, "
                "supersedes, reason, op) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.name, r.kind, r.id, r.body, stamp, by, r.supersedes, r.reason, r.op))
            last = int(cur.lastrowid)
        return last


def _rows(con: sqlite3.Connection, name: str, as_known_on: str | None) -> list[Row]:
    sql = f"SELECT {_COLUMNS} FROM _ws_records WHERE workspace = ?"
    args: tuple = (name,)
    if as_known_on is not None:
        sql += " AND recorded_at <= ?"
        args += (as_known_on,)
    return [Row(*r) for r in con.execute(sql + " ORDER BY seq", args)]


class GeoPackageBackend(Backend):
    """Workspaces inside the GeoPackage store at ``path``.

    Parameters
    ----------
    path : Path
        The store file; created (an empty GeoPackage) on the first write.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path).expanduser()
        self.location = str(self.path)

    # -- connections -------------------------------------------------------------------
    def _ensure(self) -> None:
        """Create the store (by GDAL, so it is a proper GeoPackage) and our tables."""
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp.gpkg",
                                       dir=self.path.parent)
            os.close(fd)
            os.unlink(tmp)
            try:
                meta = pd.DataFrame({"key": ["schema"], "value": [str(SCHEMA_VERSION)]})
                pyogrio.write_dataframe(meta, tmp, layer="_ws_meta", driver="GPKG",
                                        dataset_options=GPKG_DATASET_OPTIONS)
                os.chmod(tmp, 0o644)
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, self.path)  # never replaces a store another writer made
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
        with self._connect() as con:
            if con.execute("SELECT 1 FROM sqlite_master WHERE name = '_ws_records'").fetchone():
                self._check_schema(con)
                return
            con.execute("BEGIN IMMEDIATE")
            for ddl in _DDL:
                con.execute(ddl)
            for table, what in (("_ws_workspaces", "Cordon workspaces"),
                                ("_ws_records", "Cordon workspace records (append-only)")):
                con.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, "
                            "identifier, description) VALUES (?, 'attributes', ?, ?)",
                            (table, table, what))
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name = '_ws_meta'").fetchone():
                con.execute("CREATE TABLE _ws_meta (fid INTEGER PRIMARY KEY, key TEXT, "
                            "value TEXT)")
                con.execute("INSERT INTO _ws_meta (key, value) VALUES ('schema', ?)",
                            (str(SCHEMA_VERSION),))
            con.execute("COMMIT")

    def _check_schema(self, con: sqlite3.Connection) -> None:
        with contextlib.suppress(sqlite3.Error):
            row = con.execute("SELECT value FROM _ws_meta WHERE key = 'schema'").fetchone()
            if row and int(row[0]) > SCHEMA_VERSION:
                raise WorkspaceError(f"store '{self.path}' has workspace schema {row[0]}, newer "
                                     f"than this program's {SCHEMA_VERSION}; upgrade Cordon")

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        except sqlite3.Error as exc:
            raise WorkspaceError(f"cannot open store '{self.path}': {exc}") from None
        try:
            con.execute("PRAGMA synchronous = FULL")
            yield con
        except sqlite3.DatabaseError as exc:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise WorkspaceError(f"store '{self.path}': {exc}") from None
        finally:
            con.close()

    def _readable(self) -> bool:
        if not self.path.exists():
            return False
        with self._connect() as con:
            return bool(con.execute(
                "SELECT 1 FROM sqlite_master WHERE name = '_ws_records'").fetchone())

    # -- the interface -----------------------------------------------------------------
    def workspaces(self) -> list[dict]:
        if not self._readable():
            return []
        with self._connect() as con:
            rows = con.execute(
                "SELECT w.name, w.title, w.created_at, w.created_by, "
                "(SELECT coalesce(max(seq), 0) FROM _ws_records r WHERE r.workspace = w.name) "
                "FROM _ws_workspaces w WHERE w.deleted_at IS NULL ORDER BY w.name").fetchall()
        return [dict(zip(("name", "title", "created_at", "created_by", "version"), r,
                         strict=True)) for r in rows]

    def exists(self, name: str) -> bool:
        return any(w["name"] == name for w in self.workspaces())

    def create(self, name: str, title: str, by: str) -> None:
        self._ensure()
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            old = con.execute("SELECT deleted_at FROM _ws_workspaces WHERE name = ?",
                              (name,)).fetchone()
            if old is not None:
                con.execute("ROLLBACK")
                why = f"was deleted on {old[0]}; " if old[0] else "exists already; "
                raise WorkspaceError(f"workspace '{name}' {why}choose another name")
            con.execute("INSERT INTO _ws_workspaces (name, title, created_at, created_by) "
                        "VALUES (?, ?, ?, ?)", (name, title, now(), by))
            con.execute("COMMIT")

    def delete(self, name: str, by: str, reason: str) -> None:
        if not self.exists(name):
            raise WorkspaceError(f"no workspace '{name}' in store '{self.path}'")
        with self._connect() as con:
            con.execute("UPDATE _ws_workspaces SET deleted_at = ?, deleted_by = ?, "
                        "deleted_reason = ? WHERE name = ?", (now(), by, reason, name))

    def rows(self, name: str, as_known_on: str | None = None) -> list[Row]:
        if not self._readable():
            return []
        with self._connect() as con:
            return _rows(con, name, as_known_on)

    def version(self, name: str) -> int:
        if not self._readable():
            return 0
        with self._connect() as con:
            row = con.execute("SELECT coalesce(max(seq), 0) FROM _ws_records WHERE "
                              "workspace = ?", (name,)).fetchone()
        return int(row[0])

    @contextlib.contextmanager
    def transaction(self, name: str) -> Iterator[Transaction]:
        self._ensure()
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield _SqliteTransaction(con, name)
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
