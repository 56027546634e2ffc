"""User layers on a PostgreSQL + PostGIS team store: the same interface as :class:`Store`.

Each layer is a table in schema ``cordon_layers`` (geometry in SRID 4326 with a GiST index, as
geopandas' ``to_postgis`` and GeoAlchemy2 make it), listed in ``cordon.layers`` and changed
with a row in ``cordon.layer_history`` — all in one transaction per write, serialised per layer
by an advisory lock. Tables are owned by ``cordon_editor``, so editors add, replace and delete
layers and viewers read them (and QGIS shows them).

``Store(url)`` returns this class when ``url`` (or ``$CORDON_STORE``) is a PostgreSQL URL.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

import geopandas as gpd
import pandas as pd

from layers.io.values import flatten, printable

SCHEMA = "cordon_layers"


class PostGISStore:
    """User layers in the PostgreSQL database at ``url``.

    Parameters
    ----------
    url : str
        ``postgresql://USER[:PASSWORD]@HOST:PORT/DB``.
    """

    def __init__(self, url: str):
        from layers.workspace.postgis import PostGISBackend

        self.backend = PostGISBackend(url)
        self.path = self.backend.location  # what messages name (password hidden)

    def __repr__(self) -> str:
        return f"Store({self.path!r})"

    @contextlib.contextmanager
    def _begin(self) -> Iterator:
        from layers.store import StoreError
        from layers.workspace.backend import WorkspaceError

        try:
            with self.backend._begin() as con:
                yield con
        except WorkspaceError as exc:
            raise StoreError(str(exc)) from None

    def _lock(self, con, name: str) -> None:
        from sqlalchemy import text

        con.execute(text("SELECT pg_advisory_xact_lock(hashtext('cordon-layer:' || :n))"),
                    {"n": name.lower()})

    # -- reading -------------------------------------------------------------------------
    def layers(self) -> list[str]:
        """Names of the user layers, in the order they were first added."""
        from sqlalchemy import text

        with self._begin() as con:
            return [r[0] for r in con.execute(text("SELECT name FROM cordon.layers ORDER BY "
                                                   "created_at, name"))]

    def read(self, name: str) -> gpd.GeoDataFrame:
        """One user layer as a GeoDataFrame (EPSG:4326)."""
        from layers.store import StoreError

        names = self.layers()
        if name not in names:
            raise StoreError(f"no layer '{printable(name)}' in store '{self.path}' "
                             f"(layers: {', '.join(names) or 'none'})")
        with self._begin() as con:
            return self._read(con, name)

    def _read(self, con, name: str) -> gpd.GeoDataFrame:
        gdf = gpd.read_postgis(f'SELECT * FROM {SCHEMA}."{name}" ORDER BY _row', con,
                               geom_col="geometry")
        gdf = gdf.drop(columns=["_row"])
        return gdf.set_crs(4326, allow_override=True)

    def history(self, name: str | None = None) -> pd.DataFrame:
        """Changes, oldest first: ``at`` (UTC), ``layer``, ``operation``, ``features``,
        ``source``, ``by`` (the database user)."""
        from sqlalchemy import text

        sql = "SELECT at, layer, operation, features, source, by FROM cordon.layer_history"
        args: dict = {}
        if name is not None:
            sql += " WHERE layer = :n"
            args["n"] = name
        with self._begin() as con:
            rows = con.execute(text(sql + " ORDER BY id"), args).all()
        return pd.DataFrame(rows, columns=["at", "layer", "operation", "features", "source",
                                           "by"])

    # -- writing -------------------------------------------------------------------------
    def add_layer(self, name: str, gdf: gpd.GeoDataFrame, *, source: str) -> int:
        """Add features to layer ``name`` (created if new). Returns the count added."""
        from layers.store import _check_text, _concat, _ensure, _with_ids, check_name

        check_name(name)
        with self._begin() as con:
            self._lock(con, name)
            old = self._read(con, name) if self._exists(con, name) else None
            new = _with_ids(name, _ensure(gdf), old)
            _check_text(new)
            both = new if old is None else _concat(old, new)
            self._write(con, name, both)
            self._log(con, name, "add" if old is None else "append", len(new), source)
        return len(new)

    def replace(self, name: str, gdf: gpd.GeoDataFrame, *, source: str) -> int:
        """Replace every feature of layer ``name`` (created if new). Returns the count."""
        from layers.store import _check_text, _ensure, _with_ids, check_name

        check_name(name)
        with self._begin() as con:
            self._lock(con, name)
            new = _with_ids(name, _ensure(gdf), None)
            _check_text(new)
            self._write(con, name, new)
            self._log(con, name, "replace", len(new), source)
        return len(new)

    def delete_features(self, name: str, ids: Iterable[str], *, source: str) -> int:
        """Delete the features of layer ``name`` whose ``id`` is in ``ids``."""
        from sqlalchemy import text

        from layers.store import StoreError

        wanted = sorted({str(i) for i in ids})
        with self._begin() as con:
            self._lock(con, name)
            if not self._exists(con, name):
                raise StoreError(f"no layer '{printable(name)}' in store '{self.path}'")
            have = {r[0] for r in con.execute(text(
                f'SELECT CAST(id AS text) FROM {SCHEMA}."{name}" WHERE CAST(id AS text) = '
                "ANY(:ids)"), {"ids": wanted})}
            unknown = [i for i in wanted if i not in have][:5]
            if unknown:
                raise StoreError(f"layer '{name}' has no feature with id "
                                 f"{', '.join(repr(u) for u in unknown)}")
            con.execute(text(f'DELETE FROM {SCHEMA}."{name}" WHERE CAST(id AS text) = '
                             "ANY(:ids)"), {"ids": wanted})
            self._log(con, name, "delete", len(wanted), source)
        return len(wanted)

    def delete_layer(self, name: str, *, source: str) -> None:
        """Remove a whole user layer."""
        from sqlalchemy import text

        from layers.store import StoreError

        with self._begin() as con:
            self._lock(con, name)
            if not self._exists(con, name):
                raise StoreError(f"no layer '{printable(name)}' in store '{self.path}'")
            count = con.execute(text(f'SELECT count(*) FROM {SCHEMA}."{name}"')).scalar_one()
            con.exec_driver_sql(f'DROP TABLE {SCHEMA}."{name}"')
            con.execute(text("DELETE FROM cordon.layers WHERE name = :n"), {"n": name})
            self._log(con, name, "delete_layer", count, source)

    def set_time(self, name: str, start: str | None, end: str | None = None, *,
                 source: str) -> None:
        """Say which columns date the features of layer ``name`` (``start=None``: none); kept
        in ``cordon.layers`` and recorded in the history as a ``time`` change."""
        from sqlalchemy import text

        from layers.store import StoreError, check_time_columns

        with self._begin() as con:
            self._lock(con, name)
            if not self._exists(con, name):
                raise StoreError(f"no layer '{printable(name)}' in store '{self.path}'")
            columns = [r[0] for r in con.execute(text(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = :s "
                "AND table_name = :t"), {"s": SCHEMA, "t": name})]
            check_time_columns(name, columns, start, end)
            con.execute(text("UPDATE cordon.layers SET time_from = :a, time_to = :b WHERE "
                             "name = :n"), {"a": start, "b": end if start else None, "n": name})
            self._log(con, name, "time", 0, source)

    def time(self, name: str) -> tuple[str, str | None] | None:
        """The (start, end) columns that date layer ``name``, or ``None``."""
        from sqlalchemy import text

        with self._begin() as con:
            row = con.execute(text("SELECT time_from, time_to FROM cordon.layers WHERE name = "
                                   ":n"), {"n": name}).first()
        return None if row is None or row[0] is None else (row[0], row[1])

    # -- internals -----------------------------------------------------------------------
    def _exists(self, con, name: str) -> bool:
        from sqlalchemy import text

        from layers.store import StoreError

        row = con.execute(text("SELECT name FROM cordon.layers WHERE lower(name) = lower(:n)"),
                          {"n": name}).first()
        if row is not None and row[0] != name:
            raise StoreError(f"layer name '{name}' clashes with layer '{row[0]}' in store "
                             f"'{self.path}' (names ignore case); use '{row[0]}' or another")
        return row is not None

    def _write(self, con, name: str, gdf: gpd.GeoDataFrame) -> None:
        from sqlalchemy import text

        table = flatten(gdf).reset_index(drop=True)
        table.insert(0, "_row", range(len(table)))  # keeps the features' order
        table.to_postgis(name, con, schema=SCHEMA, if_exists="replace", index=False)
        con.exec_driver_sql(f'ALTER TABLE {SCHEMA}."{name}" OWNER TO cordon_editor')
        con.exec_driver_sql(f'GRANT SELECT ON {SCHEMA}."{name}" TO cordon_viewer')
        con.execute(text("INSERT INTO cordon.layers (name) VALUES (:n) ON CONFLICT DO NOTHING"),
                    {"n": name})

    def _log(self, con, name: str, operation: str, count: int, source: str) -> None:
        from sqlalchemy import text

        con.execute(text("INSERT INTO cordon.layer_history (layer, operation, features, "
                         "source) VALUES (:l, :o, :f, :s)"),
                    {"l": name, "o": operation, "f": int(count), "s": str(source)})
