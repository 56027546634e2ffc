"""The working store: one GeoPackage per installation for user layers, with history.

Each write is one SQLite transaction on the store file itself. GDAL (pyogrio) first writes the
new features of the layer into a temporary GeoPackage beside the store — a separate file, so a
crash there touches nothing. Then one ``BEGIN IMMEDIATE`` … ``COMMIT`` on the store attaches
that file and swaps the layer in: the feature table, its R*Tree spatial index and triggers, its
rows in the ``gpkg_*`` metadata tables (contents with extents, geometry columns, extensions,
feature count, spatial reference) and the ``_history`` row. Deletes are one transaction too.

The store keeps SQLite's default rollback journal (not WAL): after each commit the store is one
self-contained file a user can copy or open in QGIS, with no ``-wal``/``-shm`` companions
holding committed changes. A writer killed mid-transaction leaves a hot journal that the next
connection opening the store read-write rolls back (:meth:`Store._recover` does it before
reads, since GDAL opens read-only). A lock file serialises this module's writers, so an
append's id numbering sees the latest state; SQLite's own locks keep other tools out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from layers.io.values import as_wgs84, flatten

ENV = "CORDON_STORE"
HISTORY = "_history"
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,62}$")
RESERVED = {"control", "zones", "sieges", "corridors", "crossings", "events", "cuts"}


class StoreError(ValueError):
    """A store operation that cannot be done; the message says what and where."""


def default_path() -> Path:
    """``$CORDON_STORE``, else ``$XDG_DATA_HOME/cordon/store.gpkg`` (~/.local/share/...)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "cordon" / "store.gpkg"


def check_name(name: str) -> str:
    """A user layer name: a letter then letters, digits, ``_`` or ``-``; not a state layer."""
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise StoreError(f"layer name '{name}' must start with a letter and use only letters, "
                         "digits, '_' and '-' (at most 63)")
    if name.lower() in RESERVED or name.lower().startswith(("gpkg", "rtree")):
        raise StoreError(f"layer name '{name}' is reserved; choose another")
    return name


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Store:
    """User layers in one GeoPackage, each write atomic and recorded in ``_history``.

    Parameters
    ----------
    path : str or Path, optional
        The GeoPackage; default :func:`default_path`. Created on first write.
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path).expanduser() if path else default_path()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- reading -------------------------------------------------------------------------
    def layers(self) -> list[str]:
        """Names of the user layers, in the order they were first added."""
        if not self.path.exists():
            return []
        self._recover()
        try:
            listed = pyogrio.list_layers(self.path)
        except Exception as exc:
            raise StoreError(f"store '{self.path}' cannot be read: {exc}") from None
        return [str(n) for n, _ in listed if not str(n).startswith("_")]

    def read(self, name: str) -> gpd.GeoDataFrame:
        """One user layer as a GeoDataFrame (EPSG:4326)."""
        if name not in self.layers():
            raise StoreError(f"no layer '{name}' in store '{self.path}' "
                             f"(layers: {', '.join(self.layers()) or 'none'})")
        gdf = pyogrio.read_dataframe(self.path, layer=name)
        return gdf.set_crs(4326) if gdf.crs is None else gdf

    def history(self, name: str | None = None) -> pd.DataFrame:
        """Changes, oldest first: ``at`` (UTC), ``layer``, ``operation``, ``features``,
        ``source``."""
        cols = ["at", "layer", "operation", "features", "source"]
        if not self.path.exists():
            return pd.DataFrame(columns=cols)
        self._recover()
        with contextlib.closing(sqlite3.connect(
                self.path.resolve().as_uri() + "?mode=ro", uri=True)) as con:
            has = con.execute("SELECT 1 FROM sqlite_master WHERE name=?", (HISTORY,)).fetchone()
            if not has:
                return pd.DataFrame(columns=cols)
            sql = f"SELECT {', '.join(cols)} FROM {HISTORY}"
            args: tuple = ()
            if name is not None:
                sql += " WHERE layer = ?"
                args = (name,)
            return pd.read_sql_query(sql + " ORDER BY id", con, params=args)

    # -- writing -------------------------------------------------------------------------
    def add_layer(self, name: str, gdf: gpd.GeoDataFrame, *, source: str) -> int:
        """Add features to layer ``name`` (created if new). Returns the count added.

        Features without an ``id`` get ``<name>-<n>``; ids must stay unique in the layer.
        """
        check_name(name)
        with self._locked():
            self._check_case(name)
            old = self._read_current(name)
            new = _with_ids(name, _ensure(gdf), old)
            both = new if old is None else _concat(old, new)
            # The whole layer is rewritten (columns may be new), never the rest of the store.
            self._swap_in(name, both, "add" if old is None else "append", len(new), source)
        return len(new)

    def replace(self, name: str, gdf: gpd.GeoDataFrame, *, source: str) -> int:
        """Replace every feature of layer ``name`` (created if new). Returns the count."""
        check_name(name)
        with self._locked():
            self._check_case(name)
            new = _with_ids(name, _ensure(gdf), None)
            self._swap_in(name, new, "replace", len(new), source)
        return len(new)

    def delete_features(self, name: str, ids: Iterable[str], *, source: str) -> int:
        """Delete the features of layer ``name`` whose ``id`` is in ``ids``.

        Raises
        ------
        StoreError
            Unknown layer or an id not in the layer (nothing is deleted then).
        """
        wanted = sorted({str(i) for i in ids})
        with self._locked(), self._transaction_on(name) as (con, table):
            con.execute("CREATE TEMP TABLE IF NOT EXISTS _gone (id TEXT PRIMARY KEY)")
            con.execute("DELETE FROM temp._gone")
            con.executemany("INSERT OR IGNORE INTO temp._gone VALUES (?)",
                            [(i,) for i in wanted])
            unknown = [r[0] for r in con.execute(
                f'SELECT id FROM temp._gone EXCEPT SELECT CAST(id AS TEXT) FROM main."{table}" '
                "ORDER BY 1 LIMIT 5")]
            if unknown:
                raise StoreError(f"layer '{name}' has no feature with id "
                                 f"{', '.join(repr(u) for u in unknown)}")
            # GDAL's delete triggers (plain SQL) keep the R*Tree and feature count in step.
            con.execute(f'DELETE FROM main."{table}" WHERE CAST(id AS TEXT) IN '
                        "(SELECT id FROM temp._gone)")
            _update_extent(con, table)
            _log(con, name, "delete", len(wanted), source)
        return len(wanted)

    def delete_layer(self, name: str, *, source: str) -> None:
        """Remove a whole user layer."""
        with self._locked(), self._transaction_on(name) as (con, table):
            count = con.execute(f'SELECT count(*) FROM main."{table}"').fetchone()[0]
            _drop(con, table)
            _log(con, name, "delete_layer", count, source)

    # -- internals -----------------------------------------------------------------------
    def _recover(self) -> None:
        """Roll back what a killed writer left (a hot journal) before GDAL reads read-only."""
        if not Path(f"{self.path}-journal").exists() or not os.access(self.path, os.W_OK):
            return
        with contextlib.suppress(sqlite3.Error), \
                contextlib.closing(sqlite3.connect(self.path, timeout=30)) as con:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the writers' lock; remove temp files a killed writer left."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = open(folder / f".{self.path.name}.lock", "w")  # noqa: SIM115
        except OSError as exc:
            raise StoreError(f"cannot write store '{self.path}': {exc.strerror}") from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            _clean_stale(folder, self.path.name)
            yield

    @contextlib.contextmanager
    def _transaction_on(self, name: str) -> Iterator[tuple[sqlite3.Connection, str]]:
        """A write transaction on an existing layer: yields the connection and its table."""
        if not self.path.exists():
            raise StoreError(f"no layer '{name}' in store '{self.path}'")
        with self._transaction() as con:
            table = _table(con, name)
            if table is None:
                raise StoreError(f"no layer '{name}' in store '{self.path}'")
            yield con, table

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on the store: committed on success, rolled back on error."""
        if not self.path.exists():
            raise StoreError(f"no store at '{self.path}' yet")
        con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            con.execute("PRAGMA synchronous = FULL")
            con.execute("PRAGMA cache_size = -65536")  # 64 MB: big layers copy faster
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write store '{self.path}': {exc}") from None
        finally:
            con.close()

    def _check_case(self, name: str) -> None:
        """Refuse ``Sites`` beside ``sites``: SQLite table names ignore case, so the two would
        be one table and the write would silently replace the other layer."""
        for other in self.layers():
            if other != name and other.lower() == name.lower():
                raise StoreError(f"layer name '{name}' clashes with layer '{other}' in store "
                                 f"'{self.path}' (names ignore case); use '{other}' or another")

    def _read_current(self, name: str) -> gpd.GeoDataFrame | None:
        if name not in self.layers():
            return None
        gdf = pyogrio.read_dataframe(self.path, layer=name)
        return gdf.set_crs(4326) if gdf.crs is None else gdf

    def _swap_in(self, name: str, gdf: gpd.GeoDataFrame, operation: str, count: int,
                 source: str) -> None:
        """Write ``gdf`` as layer ``name`` in one transaction (or, for a new store, one rename)."""
        folder = self.path.parent
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp.gpkg",
                                        dir=folder)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()  # GDAL creates the GeoPackage itself
        try:
            kwargs = {"geometry_type": "Unknown"} if gdf.empty else {}
            pyogrio.write_dataframe(flatten(gdf), tmp, layer=name, driver="GPKG",
                                    promote_to_multi=False, **kwargs)
            if not self.path.exists():
                self._create_from(tmp, name, operation, count, source)
                return
            with self._transaction() as con:
                con.execute("ATTACH DATABASE ? AS src", (str(tmp),))
                old = _table(con, name)
                slot = None
                if old is not None:
                    slot = con.execute("SELECT rowid FROM main.gpkg_contents WHERE "
                                       "table_name = ?", (old,)).fetchone()[0]
                    _drop(con, old)
                _copy_layer(con, name)
                if slot is not None:  # keep the layer's place in the listing order
                    con.execute("UPDATE main.gpkg_contents SET rowid = ? WHERE table_name = ?",
                                (slot, name))
                _log(con, name, operation, count, source)
            # DETACH is implicit on close; the temp file is removed below.
        finally:
            for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()

    def _create_from(self, tmp: Path, name: str, operation: str, count: int,
                     source: str) -> None:
        """The first write: the staged GeoPackage plus its history row becomes the store."""
        with contextlib.closing(sqlite3.connect(tmp)) as con, con:
            _log(con, name, operation, count, source)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the store from others
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        dfd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)  # make the rename itself durable
        finally:
            os.close(dfd)


def _table(con: sqlite3.Connection, name: str) -> str | None:
    """The stored spelling of user layer ``name`` in ``main`` (SQLite names ignore case)."""
    row = con.execute("SELECT table_name FROM main.gpkg_contents WHERE lower(table_name) = "
                      "lower(?) AND data_type IN ('features', 'attributes') AND table_name != ?",
                      (name, HISTORY)).fetchone()
    return None if row is None else str(row[0])


def _meta_tables(con: sqlite3.Connection, schema: str) -> list[str]:
    """The ``gpkg_*`` tables of ``schema`` that have one row per layer (a table_name column),
    ``gpkg_contents`` first so rows referring to it come after it."""
    names = [r[0] for r in con.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name LIKE 'gpkg%'")]
    out = [n for n in names if "table_name" in _columns(con, schema, n)]
    return sorted(out, key=lambda n: n != "gpkg_contents")


def _columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _geometry_columns(con: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        f"SELECT column_name FROM {schema}.gpkg_geometry_columns WHERE lower(table_name) = "
        "lower(?)", (table,))]


def _drop(con: sqlite3.Connection, table: str) -> None:
    """Remove layer ``table`` from ``main``: spatial index, table (its triggers go with it)
    and its metadata rows."""
    for column in _geometry_columns(con, "main", table):
        con.execute(f'DROP TABLE IF EXISTS main."rtree_{table}_{column}"')
    con.execute(f'DROP TABLE IF EXISTS main."{table}"')
    for meta in reversed(_meta_tables(con, "main")):
        con.execute(f'DELETE FROM main."{meta}" WHERE lower(table_name) = lower(?)', (table,))


def _copy_layer(con: sqlite3.Connection, name: str) -> None:
    """Copy layer ``name`` from the attached ``src`` GeoPackage into ``main``, exactly as GDAL
    wrote it: table and rows, R*Tree index (its rows copied, not recomputed: plain sqlite3 has
    no ST_MinX), then indexes and triggers, then the metadata rows."""
    def ddl(kind: str, obj: str) -> str | None:
        row = con.execute("SELECT sql FROM src.sqlite_master WHERE type = ? AND name = ?",
                          (kind, obj)).fetchone()
        return None if row is None else row[0]

    con.execute(ddl("table", name))
    con.execute(f'INSERT INTO main."{name}" SELECT * FROM src."{name}"')
    for column in _geometry_columns(con, "src", name):
        rtree = f"rtree_{name}_{column}"
        sql = ddl("table", rtree)
        if sql is not None:
            con.execute(sql)
            _copy_rtree(con, rtree)
    # Triggers last, so the feature-count triggers do not count the copied rows twice.
    for (sql,) in con.execute(
            "SELECT sql FROM src.sqlite_master WHERE type IN ('index', 'trigger') AND "
            "tbl_name = ? AND sql IS NOT NULL ORDER BY type, rowid", (name,)).fetchall():
        con.execute(sql)
    have = set(_meta_tables(con, "main"))
    for meta in _meta_tables(con, "src"):
        if meta not in have:  # e.g. gpkg_extensions in a store that never needed it
            con.execute(ddl("table", meta))
        cols = ", ".join(f'"{c}"' for c in _columns(con, "src", meta)
                         if c in _columns(con, "main", meta))
        con.execute(f'INSERT OR REPLACE INTO main."{meta}" ({cols}) SELECT {cols} '
                    f'FROM src."{meta}" WHERE lower(table_name) = lower(?)', (name,))
    cols = ", ".join(f'"{c}"' for c in _columns(con, "src", "gpkg_spatial_ref_sys"))
    con.execute(f"INSERT OR IGNORE INTO main.gpkg_spatial_ref_sys ({cols}) SELECT {cols} FROM "
                "src.gpkg_spatial_ref_sys WHERE srs_id IN (SELECT srs_id FROM src.gpkg_contents "
                "WHERE table_name = ?)", (name,))


def _copy_rtree(con: sqlite3.Connection, rtree: str) -> None:
    """Fill the new, empty R*Tree ``rtree`` in ``main`` from the one GDAL built in ``src``.

    Copying its three shadow tables (the tree's nodes as stored) is ~10x faster than
    re-inserting every box; the fids are the same in both, so the tree stays valid. Should
    SQLite refuse writes to shadow tables (its "defensive" mode), the boxes are inserted
    through the index instead, in the same transaction.
    """
    con.execute("SAVEPOINT rtree_copy")
    try:
        for part in ("node", "parent", "rowid"):
            con.execute(f'DELETE FROM main."{rtree}_{part}"')
            con.execute(f'INSERT INTO main."{rtree}_{part}" SELECT * FROM src."{rtree}_{part}"')
    except sqlite3.DatabaseError:
        con.execute("ROLLBACK TO rtree_copy")
        con.execute(f'INSERT INTO main."{rtree}" SELECT * FROM src."{rtree}"')
    finally:
        con.execute("RELEASE rtree_copy")


def _update_extent(con: sqlite3.Connection, table: str) -> None:
    """Set the layer's extent in gpkg_contents from its R*Tree (bounds rounded outward to
    float32, so at worst a hair wider than exact) and stamp the change time."""
    columns = _geometry_columns(con, "main", table)
    rtree = f"rtree_{table}_{columns[0]}" if columns else None
    if rtree and con.execute("SELECT 1 FROM main.sqlite_master WHERE name = ?",
                             (rtree,)).fetchone():
        con.execute(
            "UPDATE main.gpkg_contents SET (min_x, max_x, min_y, max_y) = "
            f'(SELECT min(minx), max(maxx), min(miny), max(maxy) FROM main."{rtree}") '
            "WHERE lower(table_name) = lower(?)", (table,))
    con.execute("UPDATE main.gpkg_contents SET last_change = "
                "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE lower(table_name) = lower(?)",
                (table,))


def _log(con: sqlite3.Connection, name: str, operation: str, count: int, source: str) -> None:
    """Append the change to ``_history`` (created on first use), inside the caller's
    transaction."""
    con.execute(
        f"CREATE TABLE IF NOT EXISTS main.{HISTORY} (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "at TEXT NOT NULL, layer TEXT NOT NULL, operation TEXT NOT NULL, "
        "features INTEGER NOT NULL, source TEXT)"
    )
    # Registered as an attribute table so GIS tools list it as part of the package.
    con.execute(
        "INSERT OR IGNORE INTO main.gpkg_contents (table_name, data_type, identifier, "
        "description) VALUES (?, 'attributes', ?, 'Cordon store change history')",
        (HISTORY, HISTORY),
    )
    con.execute(
        f"INSERT INTO main.{HISTORY} (at, layer, operation, features, source) "
        "VALUES (?, ?, ?, ?, ?)",
        (_now(), name, operation, int(count), str(source)),
    )


def _clean_stale(folder: Path, stem: str) -> None:
    """Remove temp copies left by a writer that died (we hold the lock, so none is live)."""
    for leftover in folder.glob(f".{stem}.*.tmp.gpkg*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _ensure(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = as_wgs84(gdf)
    if out is None:
        raise StoreError("a layer must be a GeoDataFrame")
    return out


def _with_ids(name: str, gdf: gpd.GeoDataFrame, old: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    gdf = gdf.copy()
    existing = set() if old is None else set(old["id"].astype(str))
    taken = set(existing)
    ids = list(gdf["id"]) if "id" in gdf.columns else [None] * len(gdf)
    n = len(taken)
    out = []
    for i, value in enumerate(ids):
        if value is None or value != value or str(value) == "":
            n += 1
            while f"{name}-{n}" in taken:
                n += 1
            value = f"{name}-{n}"
        value = str(value)
        if value in existing:
            raise StoreError(f"layer '{name}' already has a feature with id '{value}' "
                             f"(feature {i + 1} of the new ones)")
        if value in taken:
            raise StoreError(f"feature {i + 1}: id '{value}' appears twice in the new features")
        taken.add(value)
        out.append(value)
    if "id" in gdf.columns:
        gdf["id"] = out
    else:
        gdf.insert(0, "id", out)
    return gdf


def _concat(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = pd.concat([flatten(old), flatten(new)], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)
