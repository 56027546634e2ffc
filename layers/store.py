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

Failures are one plain line naming the store. GDAL reports a full disk as whatever SQL failed
next, so after a failed write :func:`no_room` asks the folder itself whether room was why.
Text GDAL cannot keep exactly (a NUL character: GDAL would cut ``x\\x00y`` to ``x``) is
refused, naming the feature and field; every other control character is kept exactly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import glob
import os
import re
import resource
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from layers.io.export import GPKG_DATASET_OPTIONS
from layers.io.values import as_wgs84, flatten, printable, size_estimate, unstorable_text

ENV = "CORDON_STORE"
HISTORY = "_history"
TIMES = "_layer_time"  # the date columns of dated layers (Store.set_time)
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,62}")  # used with fullmatch: "$" allows "\n"
RESERVED = {"control", "zones", "sieges", "corridors", "crossings", "events", "cuts"}
# SQLite refuses tables named sqlite_*; GeoPackage and GDAL keep gpkg_* and rtree_* for their
# metadata and spatial indexes; a leading "_" marks the store's own tables (_history).
RESERVED_PREFIXES = ("sqlite_", "gpkg", "rtree", "_")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
MIB = 1 << 20
PROBE_MAX = 256 * MIB  # the most no_room() asks the file system for, to find a used-up quota
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # first bytes of a live SQLite journal
_ROOM_ERRNOS = {errno.ENOSPC: "no space left on the disk holding '{}'",
                errno.EDQUOT: "the disk quota for '{}' is used up",
                errno.EFBIG: "a file in '{}' reached the largest size allowed"}
_SQLITE_FULL, _SQLITE_IOERR, _SQLITE_CANTOPEN = 13, 10, 14


class StoreError(ValueError):
    """A store operation that cannot be done; the message says what and where."""


def default_path() -> Path:
    """``$CORDON_STORE``, else ``$XDG_DATA_HOME/cordon/store.gpkg`` (~/.local/share/...)."""
    if os.environ.get(ENV) and "://" not in os.environ[ENV]:
        return Path(os.environ[ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "cordon" / "store.gpkg"


def check_name(name: str) -> str:
    """A user layer name: a letter then letters, digits, ``_`` or ``-`` (at most 63), not a
    state layer's and not one SQLite or GeoPackage keeps for itself.

    Raises
    ------
    StoreError
        Which rule the name breaks, with control characters shown (``sites\\n``).
    """
    if not isinstance(name, str):
        raise StoreError(f"layer name must be text, not {type(name).__name__}")
    shown = printable(name)
    if _CONTROL.search(name):
        raise StoreError(f"layer name '{shown}' contains a control character (a newline, tab "
                         "or the like); use only letters, digits, '_' and '-'")
    low = name.lower()
    if low in RESERVED:
        raise StoreError(f"layer name '{shown}' is reserved for Cordon's own '{low}' layer; "
                         "choose another")
    if low.startswith(RESERVED_PREFIXES):
        raise StoreError(f"layer name '{shown}' is reserved: names starting with 'sqlite_', "
                         "'gpkg', 'rtree' or '_' belong to the GeoPackage itself; choose another")
    if not NAME_RE.fullmatch(name):
        raise StoreError(f"layer name '{shown}' must start with a letter and use only letters, "
                         "digits, '_' and '-' (at most 63)")
    return name


def no_room(folder: str | os.PathLike, need: int, grow_to: int = 0,
            exc: BaseException | None = None) -> str | None:
    """Why ``folder`` had no room for a write that failed, in words; None if room is not why.

    GDAL reports a full disk as whatever SQL failed next ("no such table: gpkg_contents",
    "Failed to commit transaction") and SQLite a file-size limit as a "disk I/O error", so
    after a failed write the folder itself is asked: the file-size limit (``ulimit -f``),
    the free space on its disk, then (for a quota) the file system, for up to 256 MB that are
    given back at once.

    Parameters
    ----------
    folder : str or PathLike
        Where the write went.
    need : int
        About how many more bytes the write needed there (0 or less: do not look at space).
    grow_to : int, optional
        About how large the largest file written would have become.
    exc : BaseException, optional
        The failure: one that cannot come from a lack of room (a read-only file, a bad SQL
        statement) gives None at once, and one that names it (``ENOSPC``) is believed when the
        folder shows room again (the failed write's own files having been removed).

    Returns
    -------
    str or None
        E.g. ``"12 KB free on the disk holding '/data', about 40 MB needed"``.
    """
    if exc is not None:
        if not _may_be_room(exc):
            return None
        return no_room(folder, need, grow_to) or _full_reason(exc, Path(folder))
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if soft != resource.RLIM_INFINITY and max(need, grow_to) > soft:
        return (f"this program may not write files over {_size(soft)}: its file-size limit, "
                "ulimit -f")
    if need <= 0:
        return None
    try:
        fs = os.statvfs(folder)
    except OSError:
        return None
    free = fs.f_bavail * fs.f_frsize
    if free < need:
        return f"{_size(free)} free on the disk holding '{folder}', about {_size(need)} needed"
    return _probe(Path(folder), min(need, PROBE_MAX))


def _probe(folder: Path, size: int) -> str | None:
    """Ask the file system for ``size`` bytes in ``folder`` and give them back: a used-up
    quota shows only this way (free space counts the whole disk)."""
    if not hasattr(os, "posix_fallocate"):  # e.g. macOS
        return None
    try:
        fd, name = tempfile.mkstemp(prefix=".cordon-room-", dir=folder)
    except OSError as exc:
        return _full_reason(exc, folder)
    try:
        os.posix_fallocate(fd, 0, size)
    except OSError as exc:
        return _full_reason(exc, folder)
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
    return None


def _full_reason(exc: BaseException, folder: Path) -> str | None:
    """What ``exc`` itself says about a lack of room, if it says anything."""
    if isinstance(exc, OSError) and exc.errno in _ROOM_ERRNOS:
        return _ROOM_ERRNOS[exc.errno].format(folder)
    if isinstance(exc, sqlite3.Error) and \
            (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == _SQLITE_FULL:
        return _ROOM_ERRNOS[errno.ENOSPC].format(folder)
    text = str(exc)
    for words, code in (("database or disk is full", errno.ENOSPC),
                        ("No space left on device", errno.ENOSPC),
                        ("Disk quota exceeded", errno.EDQUOT), ("File too large", errno.EFBIG)):
        if words in text:
            return _ROOM_ERRNOS[code].format(folder)
    return None


def _may_be_room(exc: BaseException) -> bool:
    """Whether ``exc`` could come from a lack of room (so :func:`no_room` is worth asking)."""
    if isinstance(exc, OSError):
        return exc.errno in (*_ROOM_ERRNOS, errno.EIO)
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        return code in (_SQLITE_FULL, _SQLITE_IOERR, _SQLITE_CANTOPEN)
    return isinstance(exc, DataSourceError | DataLayerError)  # GDAL never says why


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", MIB), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".0 ", " ")
    return f"{n} byte" if n == 1 else f"{n} bytes"


_GDAL_SQL = re.compile(r"sqlite3_\w+\(.*?\) failed: ", re.DOTALL)


def plain_reason(exc: BaseException) -> str:
    """What went wrong in a store operation, in plain words on one line (no SQL, no driver
    hints).

    Parameters
    ----------
    exc : BaseException
        An OSError, sqlite3 or pyogrio (GDAL) error.

    Returns
    -------
    str
        E.g. ``"it is read-only for this user"``, ``"it is empty, damaged or not a
        GeoPackage"``.
    """
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, UnicodeDecodeError):  # GDAL handing back text stored by another tool
        return "it holds text that is not valid UTF-8"
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if code == 8:  # SQLITE_READONLY
            return "it is read-only for this user (the file or its folder)"
        if code in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
            return "another program is writing it; try again in a moment"
        if code in (11, 26):  # SQLITE_CORRUPT, SQLITE_NOTADB
            return "it is damaged or not a GeoPackage"
    text = str(exc)
    if "not recognized as being in a supported file format" in text:
        return "it is empty, damaged or not a GeoPackage"
    text = _GDAL_SQL.sub("", text.split("; It might help")[0])
    parts = [p.strip() for p in text.split(";")]
    if len(parts) == 2 and parts[0] == parts[1]:  # GDAL often says it twice
        text = parts[0]
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:199].rstrip() + "…"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Store:
    """User layers in one GeoPackage, each write atomic and recorded in ``_history``.

    Parameters
    ----------
    path : str or Path, optional
        The GeoPackage; default :func:`default_path`. Created on first write.
    """

    def __new__(cls, path: str | os.PathLike | None = None):
        # One interface, a module per backend: a PostgreSQL URL gives the team store's.
        text = str(path) if path is not None else os.environ.get(ENV, "")
        if cls is Store and text.startswith(("postgresql://", "postgres://")):
            from layers.store_postgis import PostGISStore

            return PostGISStore(text)
        return super().__new__(cls)

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
        except Exception as exc:  # noqa: BLE001 - GDAL, codecs, OS: one plain line for any
            raise StoreError(f"store '{self.path}' cannot be read: {plain_reason(exc)}") from None
        return [str(n) for n, _ in listed if not str(n).startswith("_")]

    def read(self, name: str) -> gpd.GeoDataFrame:
        """One user layer as a GeoDataFrame (EPSG:4326)."""
        names = self.layers()
        if name not in names:
            raise StoreError(f"no layer '{printable(name)}' in store '{self.path}' "
                             f"(layers: {', '.join(names) or 'none'})")
        return self._read_layer(name)

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
            _check_text(new)
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
            _check_text(new)
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
            if _has_table(con, TIMES):
                con.execute(f"DELETE FROM main.{TIMES} WHERE layer = ?", (table,))
            _log(con, name, "delete_layer", count, source)

    def set_time(self, name: str, start: str | None, end: str | None = None, *,
                 source: str) -> None:
        """Say which columns date the features of layer ``name``: each is valid from its
        ``start`` column until its ``end`` column (optional); ``start=None``: the layer is not
        dated. Kept with the layer (for every session and every user of the store) and
        recorded in its history as a ``time`` change.

        Raises
        ------
        StoreError
            Unknown layer, or a column it does not have (nothing is changed then).
        """
        with self._locked(), self._transaction_on(name) as (con, table):
            check_time_columns(name, _columns(con, "main", table), start, end)
            con.execute(f"CREATE TABLE IF NOT EXISTS main.{TIMES} (layer TEXT PRIMARY KEY, "
                        "time_from TEXT NOT NULL, time_to TEXT)")
            con.execute(
                "INSERT OR IGNORE INTO main.gpkg_contents (table_name, data_type, identifier, "
                "description) VALUES (?, 'attributes', ?, 'Cordon: date columns of user "
                "layers')", (TIMES, TIMES))
            con.execute(f"DELETE FROM main.{TIMES} WHERE layer = ?", (table,))
            if start is not None:
                con.execute(f"INSERT INTO main.{TIMES} VALUES (?, ?, ?)", (table, start, end))
            _log(con, name, "time", 0, source)

    def time(self, name: str) -> tuple[str, str | None] | None:
        """The (start, end) columns that date layer ``name`` (see :meth:`set_time`), or
        ``None`` when it is not dated."""
        if not self.path.exists():
            return None
        self._recover()
        with contextlib.closing(sqlite3.connect(
                self.path.resolve().as_uri() + "?mode=ro", uri=True)) as con:
            if not _has_table(con, TIMES):
                return None
            row = con.execute(f"SELECT time_from, time_to FROM {TIMES} WHERE lower(layer) = "
                              "lower(?)", (name,)).fetchone()
        return None if row is None else (str(row[0]), None if row[1] is None else str(row[1]))

    # -- internals -----------------------------------------------------------------------
    def _recover(self) -> None:
        """Roll back what a killed writer left (a hot journal) before GDAL reads read-only.

        SQLite rolls a hot journal back only on a connection that may write (GDAL's read-only
        one answers "attempt to write a readonly database"), and only if it may also delete
        the journal from the folder. Without that access the old state cannot be read at
        all, so that is said in one line.
        """
        journal = Path(f"{self.path}-journal")
        if not journal.exists():
            return
        try:
            with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as con:
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
            # READONLY (the file), CANTOPEN (the journal), IOERR (deleting it: the folder)
            if code in (3, 8, _SQLITE_CANTOPEN, _SQLITE_IOERR) and _hot(journal):
                raise StoreError(self._unfinished()) from None
            raise StoreError(f"store '{self.path}' cannot be read: {plain_reason(exc)}") from None

    def _unfinished(self) -> str:
        """The one line for a hot journal this process may not roll back."""
        folder = self.path.parent
        blocked = [f"the file '{self.path}'"] if not os.access(self.path, os.W_OK) else []
        if not os.access(folder, os.W_OK | os.X_OK):
            blocked.append(f"its folder '{folder}'")
        what = " and ".join(blocked) or "the file and its folder"
        return (f"store '{self.path}' has an unfinished write (a save that was cut off) that "
                f"needs write access to {what} to roll back; open it once with that access, or "
                f"copy it with its '{self.path.name}-journal' file to a writable folder")

    def _write_failed(self, exc: BaseException, need: int, grow_to: int = 0) -> StoreError:
        """The error for a write that failed: "full" in plain words when lack of room is why.

        Parameters
        ----------
        exc : BaseException
            What the OS, SQLite or GDAL raised.
        need, grow_to : int
            See :func:`no_room`.
        """
        reason = no_room(self.path.parent, need, grow_to, exc)
        if reason is None:
            return StoreError(f"cannot write store '{self.path}': {plain_reason(exc)}")
        after = "the store is unchanged" if self.path.exists() else "no store was created"
        return StoreError(f"cannot write store '{self.path}': the disk or folder is full "
                          f"({reason}); {after}")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the writers' lock; remove temp files a killed writer left."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = open(folder / f".{self.path.name}.lock", "w")  # noqa: SIM115
        except OSError as exc:
            raise self._write_failed(exc, 0) from None
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
    def _transaction(self, need: int = MIB) -> Iterator[sqlite3.Connection]:
        """One write transaction on the store: committed on success, rolled back on error.

        ``need`` is about how many bytes the store may grow by (to explain a failure).
        """
        if not self.path.exists():
            raise StoreError(f"no store at '{self.path}' yet")
        self._recover()
        con = None
        try:
            con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            con.execute("PRAGMA synchronous = FULL")
            con.execute("PRAGMA cache_size = -65536")  # 64 MB: big layers copy faster
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    # A rollback that fails too (the disk) leaves a hot journal, which the
                    # next connection rolls back: the error to report is the first one.
                    with contextlib.suppress(sqlite3.Error):
                        con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            size = self.path.stat().st_size if self.path.exists() else 0
            raise self._write_failed(exc, need, size + need) from None
        finally:
            if con is not None:
                con.close()

    def _check_case(self, name: str) -> None:
        """Refuse ``Sites`` beside ``sites``: SQLite table names ignore case, so the two would
        be one table and the write would silently replace the other layer."""
        for other in self.layers():
            if other != name and other.lower() == name.lower():
                raise StoreError(f"layer name '{name}' clashes with layer '{other}' in store "
                                 f"'{self.path}' (names ignore case); use '{other}' or another")

    def _read_current(self, name: str) -> gpd.GeoDataFrame | None:
        return self._read_layer(name) if name in self.layers() else None

    def _read_layer(self, name: str) -> gpd.GeoDataFrame:
        try:
            gdf = pyogrio.read_dataframe(self.path, layer=name)
        except Exception as exc:  # noqa: BLE001 - GDAL, codecs, OS: one plain line for any
            raise StoreError(f"layer '{name}' of store '{self.path}' cannot be read: "
                             f"{plain_reason(exc)}") from None
        return gdf.set_crs(4326) if gdf.crs is None else gdf

    def _swap_in(self, name: str, gdf: gpd.GeoDataFrame, operation: str, count: int,
                 source: str) -> None:
        """Write ``gdf`` as layer ``name`` in one transaction (or, for a new store, one rename)."""
        folder = self.path.parent
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp.gpkg",
                                            dir=folder)
        except OSError as exc:
            raise self._write_failed(exc, MIB) from None
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()  # GDAL creates the GeoPackage itself
        try:
            kwargs = {"geometry_type": "Unknown"} if gdf.empty else {}
            flat = flatten(gdf)
            try:
                # a new store is this file renamed: GPKG 1.2, readable by GDAL 3.6/QGIS LTR
                pyogrio.write_dataframe(flat, tmp, layer=name, driver="GPKG",
                                        promote_to_multi=False,
                                        dataset_options=GPKG_DATASET_OPTIONS, **kwargs)
            except (DataSourceError, DataLayerError, OSError) as exc:
                # GDAL stopped part-way, at a point it does not say: judge by a rough size
                need = 2 * size_estimate(flat) + MIB
                raise self._write_failed(exc, need, need) from None
            staged = tmp.stat().st_size  # about what the store grows by
            if not self.path.exists():
                try:
                    self._create_from(tmp, name, operation, count, source)
                except (sqlite3.Error, OSError) as exc:
                    raise self._write_failed(exc, MIB, staged + MIB) from None
                return
            with self._transaction(need=staged + MIB) as con:
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
            # the staged copy, its journal, and GDAL's own scratch files beside it (a failed
            # write can leave its spatial index's "<tmp>.tmp_rtree_<layer>.db")
            for leftover in folder.glob(f"{glob.escape(tmp.name)}*"):
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
    """The stored spelling of user layer ``name`` in ``main`` (SQLite names ignore case).

    Tables starting with ``_`` (``_history``, a workspace's ``_ws_*``) are no user layer's:
    listed by none, they cannot be deleted as one either.
    """
    row = con.execute("SELECT table_name FROM main.gpkg_contents WHERE lower(table_name) = "
                      "lower(?) AND data_type IN ('features', 'attributes') AND "
                      "substr(table_name, 1, 1) != '_'", (name,)).fetchone()
    return None if row is None else str(row[0])


def _has_table(con: sqlite3.Connection, table: str) -> bool:
    return con.execute("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?",
                       (table,)).fetchone() is not None


def check_time_columns(name: str, columns: Iterable[str], start: str | None,
                       end: str | None) -> None:
    """Refuse date columns layer ``name`` does not have (``StoreError``, one line), and an
    end without a start."""
    if start is None and end is not None:
        raise StoreError(f"layer '{printable(name)}': an end column needs a start column")
    have = set(columns)
    for column in (start, end):
        if column is not None and column not in have:
            raise StoreError(f"layer '{printable(name)}' has no column "
                             f"'{printable(column)}' to take dates from")


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


def _hot(journal: Path) -> bool:
    """Whether ``journal`` holds a write to roll back (not one emptied or being removed)."""
    try:
        with open(journal, "rb") as fh:
            return fh.read(len(JOURNAL_MAGIC)) == JOURNAL_MAGIC
    except FileNotFoundError:
        return False
    except OSError:  # unreadable: SQLite cannot roll it back either
        return True


def _check_text(gdf: gpd.GeoDataFrame) -> None:
    """Refuse text GDAL would not store exactly (a NUL cuts ``x\\x00y`` to ``x``), naming the
    feature and field, rather than keep a silently cut copy."""
    problem = unstorable_text(gdf)
    if problem is None:
        return
    row, column, what = problem
    if row is None:
        raise StoreError(f"field name '{printable(column)}' contains {what}; rename the field")
    raise StoreError(f"feature {row + 1} (id '{printable(gdf['id'].iloc[row])}'): field "
                     f"'{printable(column)}' contains {what}; remove it and try again")


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
    for i, raw in enumerate(ids):
        value = _id_text(raw)
        if value is None:
            n += 1
            while f"{name}-{n}" in taken:
                n += 1
            value = f"{name}-{n}"
        if value in existing:
            raise StoreError(f"layer '{name}' already has a feature with id "
                             f"'{printable(value)}' (feature {i + 1} of the new ones)")
        if value in taken:
            raise StoreError(f"feature {i + 1}: id '{printable(value)}' appears twice in the "
                             "new features")
        taken.add(value)
        out.append(value)
    if "id" in gdf.columns:
        gdf["id"] = out
    else:
        gdf.insert(0, "id", out)
    return gdf


def _id_text(value: object) -> str | None:
    """A feature id as the store keeps it (text), or None when there is none.

    Integer ids stay what they say: ``7`` is ``"7"``, also when a missing id elsewhere made
    the column float (``7.0``) or nullable (``Int64`` with NA, where ``NA != NA`` has no
    truth value).
    """
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, np.integer):
        return str(int(value))
    text = str(value)
    return text or None


def _concat(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = pd.concat([flatten(old), flatten(new)], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)
