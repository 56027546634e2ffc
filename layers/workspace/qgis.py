"""QGIS-ready tables of a team workspace: its state today, in schema ``cordon_qgis``.

For workspace ``NAME``: ``NAME_control`` (one row per unit in force), ``NAME_zones`` (dissolved,
with ``actor`` and ``encircled``), ``NAME_corridors`` (with ``derived_status``) and
``NAME_crossings``; SRID 4326 with spatial indexes (GeoAlchemy2 makes them). They are rewritten
in one transaction soon after every write (in the background, bursts coalesced) and by
``python -m layers store refresh`` (run it daily so "today" moves on when nobody writes).
QGIS: Layer > Add Layer > PostgreSQL, schema ``cordon_qgis``.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import threading
import time

log = logging.getLogger(__name__)

TABLES = ("control", "zones", "corridors", "crossings")


def table_names(name: str) -> dict[str, str]:
    """The QGIS table of each state layer for workspace ``name``."""
    return {t: f"{name}_{t}".lower().replace("-", "_") for t in TABLES}


def refresh(workspace, day: dt.date | None = None, *, skip_if_current: bool = False
            ) -> list[str]:
    """Rewrite the workspace's tables with its state on ``day`` (default today, UTC).

    With ``skip_if_current``, nothing is done when another process already wrote them for the
    workspace's newest version today (many writers need one refresh, not one each).

    Returns
    -------
    list of str
        The tables written (schema-qualified).
    """
    from sqlalchemy import text

    from layers.io.values import flatten
    from layers.timeline import state_at

    backend = workspace.backend
    day = day or dt.datetime.now(dt.UTC).date()
    sc = workspace.scenario()
    stamp = f"{sc.version}@{day.isoformat()}"
    with backend.engine.begin() as con:
        con.exec_driver_sql("CREATE TABLE IF NOT EXISTS cordon_qgis.refreshed (workspace text "
                            "PRIMARY KEY, stamp text NOT NULL)")
        # One refresher per workspace at a time; the others find the work done.
        con.execute(text("SELECT pg_advisory_xact_lock(hashtext('cordon-qgis:' || :n))"),
                    {"n": workspace.name})
        done = con.execute(text("SELECT stamp FROM cordon_qgis.refreshed WHERE workspace = :n"),
                           {"n": workspace.name}).scalar()
        if skip_if_current and done is not None and _newer_or_same(done, stamp):
            return []
    st = state_at(sc, day)
    written = []
    with backend.engine.begin() as con:
        con.execute(text("SELECT pg_advisory_xact_lock(hashtext('cordon-qgis:' || :n))"),
                    {"n": workspace.name})
        for layer, table in table_names(workspace.name).items():
            gdf = flatten(getattr(st, layer))
            gdf.to_postgis(table, con, schema="cordon_qgis", if_exists="replace", index=False)
            con.exec_driver_sql(f'ALTER TABLE cordon_qgis."{table}" OWNER TO cordon_editor')
            con.exec_driver_sql(f'GRANT SELECT ON cordon_qgis."{table}" TO cordon_viewer')
            written.append(f"cordon_qgis.{table}")
        con.execute(text("INSERT INTO cordon_qgis.refreshed VALUES (:n, :s) ON CONFLICT "
                         "(workspace) DO UPDATE SET stamp = :s"), {"n": workspace.name,
                                                                   "s": stamp})
    return written


def _newer_or_same(done: str, stamp: str) -> bool:
    v_done, _, day_done = done.partition("@")
    v_now, _, day_now = stamp.partition("@")
    return day_done == day_now and int(v_done) >= int(v_now)


# -- refreshing after writes, off the writer's path -------------------------------------------
_PENDING: dict[tuple[str, str], bool] = {}  # (store, workspace) -> another refresh wanted
_LOCK = threading.Lock()
_THREADS: list[threading.Thread] = []


def schedule(workspace) -> None:
    """Refresh the workspace's QGIS tables soon, in a background thread.

    Writes in quick succession coalesce into one refresh (a refresh running when another write
    lands is followed by one more), so a burst of records costs one recomputation, not one each.
    A process that exits waits for its pending refreshes (see :func:`wait`).
    """
    # Import what a refresh uses now, in the calling thread: a refresh that runs while the
    # interpreter exits could not import it then (imports register atexit hooks).
    import geoalchemy2  # noqa: F401
    import geopandas.io.sql  # noqa: F401

    from layers.io.values import flatten  # noqa: F401
    from layers.timeline import state_at  # noqa: F401

    key = (workspace.backend.location, workspace.name)
    with _LOCK:
        if key in _PENDING:
            _PENDING[key] = True
            return
        _PENDING[key] = False
        thread = threading.Thread(target=_run, args=(workspace, key), daemon=True,
                                  name=f"qgis-refresh-{workspace.name}")
        _THREADS.append(thread)
    thread.start()


#: A refresh waits this long after a write, so a burst of writes costs one refresh.
DEBOUNCE_S = 0.5


def _run(workspace, key) -> None:
    while True:
        time.sleep(DEBOUNCE_S)
        try:
            refresh(workspace, skip_if_current=True)
        except Exception as exc:  # derived tables only: the writes are committed
            log.warning("QGIS tables of workspace %s not refreshed: %s", workspace.name, exc)
        with _LOCK:
            if not _PENDING.get(key):
                _PENDING.pop(key, None)
                return
            _PENDING[key] = False


def wait(timeout: float = 30.0) -> None:
    """Wait for pending refreshes (called at exit, and by tests)."""
    deadline = time.monotonic() + timeout
    while True:
        with _LOCK:
            alive = [t for t in _THREADS if t.is_alive()]
            _THREADS[:] = alive
        if not alive or time.monotonic() > deadline:
            return
        alive[0].join(max(0.0, deadline - time.monotonic()))


atexit.register(wait)
