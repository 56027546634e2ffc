"""The working store: one GeoPackage per installation for user layers, with history.

Every write copies the store to a temporary file in the same folder, changes the copy (the
layer with pyogrio, the history row with sqlite3), flushes it to disk and moves it over the
store with ``os.replace``. The move is atomic, so a crash or a kill at any moment leaves
either the old store or the new one, never a mix. A lock file serialises writers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from layers.io.values import flatten

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
        with self._writing() as tmp:
            old = self._read_tmp(tmp, name)
            new = _with_ids(name, _ensure(gdf), old)
            both = new if old is None else _concat(old, new)
            self._write_layer(tmp, name, both)
            self._log(tmp, name, "add" if old is None else "append", len(new), source)
        return len(new)

    def replace(self, name: str, gdf: gpd.GeoDataFrame, *, source: str) -> int:
        """Replace every feature of layer ``name`` (created if new). Returns the count."""
        check_name(name)
        with self._writing() as tmp:
            new = _with_ids(name, _ensure(gdf), None)
            self._write_layer(tmp, name, new)
            self._log(tmp, name, "replace", len(new), source)
        return len(new)

    def delete_features(self, name: str, ids: Iterable[str], *, source: str) -> int:
        """Delete the features of layer ``name`` whose ``id`` is in ``ids``.

        Raises
        ------
        StoreError
            Unknown layer or an id not in the layer (nothing is deleted then).
        """
        wanted = {str(i) for i in ids}
        with self._writing() as tmp:
            old = self._read_tmp(tmp, name)
            if old is None:
                raise StoreError(f"no layer '{name}' in store '{self.path}'")
            present = set(old["id"].astype(str))
            unknown = sorted(wanted - present)
            if unknown:
                raise StoreError(f"layer '{name}' has no feature with id "
                                 f"{', '.join(repr(u) for u in unknown[:5])}")
            keep = old[~old["id"].astype(str).isin(wanted)]
            self._write_layer(tmp, name, keep)
            self._log(tmp, name, "delete", len(wanted), source)
        return len(wanted)

    def delete_layer(self, name: str, *, source: str) -> None:
        """Remove a whole user layer."""
        with self._writing() as tmp:
            if self._read_tmp(tmp, name) is None:
                raise StoreError(f"no layer '{name}' in store '{self.path}'")
            old_count = len(pyogrio.read_dataframe(tmp, layer=name, read_geometry=False))
            with contextlib.closing(sqlite3.connect(tmp)) as con, con:
                con.execute(f'DROP TABLE IF EXISTS "rtree_{name}_geom"')
                con.execute(f'DROP TABLE "{name}"')
                for table in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions",
                              "gpkg_ogr_contents"):
                    with contextlib.suppress(sqlite3.OperationalError):
                        con.execute(f"DELETE FROM {table} WHERE table_name = ?", (name,))
            self._log(tmp, name, "delete_layer", old_count, source)

    # -- internals -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _writing(self) -> Iterator[Path]:
        """Lock, copy the store to a temp file, yield it, then fsync and swap it in."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = open(folder / f".{self.path.name}.lock", "w")  # noqa: SIM115
        except OSError as exc:
            raise StoreError(f"cannot write store '{self.path}': {exc.strerror}") from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            _clean_stale(folder, self.path.name)
            fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp.gpkg",
                                        dir=folder)
            os.close(fd)
            tmp = Path(name)
            try:
                if self.path.exists():
                    shutil.copyfile(self.path, tmp)
                    shutil.copymode(self.path, tmp)
                else:
                    tmp.unlink()
                yield tmp
                if not self.path.exists():
                    os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the store from others
                with open(tmp, "rb+") as fh:
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
                dfd = os.open(folder, os.O_RDONLY)
                try:
                    os.fsync(dfd)  # make the rename itself durable
                finally:
                    os.close(dfd)
            finally:
                for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal")):
                    with contextlib.suppress(FileNotFoundError):
                        leftover.unlink()

    @staticmethod
    def _read_tmp(tmp: Path, name: str) -> gpd.GeoDataFrame | None:
        if not tmp.exists() or name not in [str(n) for n, _ in pyogrio.list_layers(tmp)]:
            return None
        gdf = pyogrio.read_dataframe(tmp, layer=name)
        return gdf.set_crs(4326) if gdf.crs is None else gdf

    @staticmethod
    def _write_layer(tmp: Path, name: str, gdf: gpd.GeoDataFrame) -> None:
        kwargs = {"geometry_type": "Unknown"} if gdf.empty else {}
        # pyogrio replaces an existing table of that name and leaves the others alone.
        pyogrio.write_dataframe(flatten(gdf), tmp, layer=name, driver="GPKG",
                                promote_to_multi=False, **kwargs)

    @staticmethod
    def _log(tmp: Path, name: str, operation: str, count: int, source: str) -> None:
        with contextlib.closing(sqlite3.connect(tmp)) as con, con:
            con.execute(
                f"CREATE TABLE IF NOT EXISTS {HISTORY} (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                "at TEXT NOT NULL, layer TEXT NOT NULL, operation TEXT NOT NULL, "
                "features INTEGER NOT NULL, source TEXT)"
            )
            # Registered as an attribute table so GIS tools list it as part of the package.
            con.execute(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
                "description) VALUES (?, 'attributes', ?, 'Cordon store change history')",
                (HISTORY, HISTORY),
            )
            con.execute(
                f"INSERT INTO {HISTORY} (at, layer, operation, features, source) "
                "VALUES (?, ?, ?, ?, ?)",
                (_now(), name, operation, int(count), str(source)),
            )


def _clean_stale(folder: Path, stem: str) -> None:
    """Remove temp copies left by a writer that died (we hold the lock, so none is live)."""
    for leftover in folder.glob(f".{stem}.*.tmp.gpkg*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _ensure(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise StoreError("a layer must be a GeoDataFrame")
    if gdf.crs is None:
        gdf = gdf.set_crs(4326)
    elif not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs(4326)
    if gdf.geometry.name != "geometry":
        gdf = gdf.rename_geometry("geometry")
    return gdf.reset_index(drop=True)


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
