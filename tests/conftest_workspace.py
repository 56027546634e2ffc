"""Shared fixtures and helpers for the workspace tests (tests/test_workspace*.py).

Every workspace test runs once per store backend:

- ``store`` (tests/conftest.py): a fresh, empty store for one test — a GeoPackage path or the
  URL of a new PostgreSQL database;
- ``backend`` (here): one store that a module's tests share (workspaces are separated by
  name), so a fork can be reused across tests that do not interfere.

Only this file knows how each backend is reached from outside the code under test
(:func:`log_rows`) and who a writer is on it (:func:`as_user`). A test module takes the
fixture with ``backend = conftest_workspace.backend``.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from layers.workspace import Workspace, create_workspace, list_workspaces

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
BACKENDS = ["gpkg", "postgis"]
#: On a team store the database stamps who wrote (its user), not ``by=``: the roles the
#: test databases grant, standing in for the tests' named writers.
PG_USERS = {"alice": "ann_admin", "bob": "eddie_editor"}
PACK = "aleppo-2016"
#: A source of the pack, cited by records the tests make.
SOURCE = "seattletimes-2016-11-26-hanano"
_names = itertools.count(1)


def kind_of(store: str) -> str:
    return "postgis" if store.startswith(("postgresql://", "postgres://")) else "gpkg"


def log_rows(store: str) -> list[tuple]:
    """Every row of the store's append-only log (all workspaces) in ``seq`` order —
    ``(seq, workspace, kind, id, body, recorded_at, recorded_by, supersedes, reason, op)`` —
    read straight from the store's table, not through the code under test."""
    sql = ("SELECT seq, workspace, kind, id, body, recorded_at, recorded_by, supersedes, "
           "reason, op FROM {} ORDER BY seq")
    if kind_of(store) == "postgis":
        import psycopg

        with psycopg.connect(store) as con:
            return [tuple(r) for r in con.execute(sql.format("cordon.records")).fetchall()]
    if not Path(store).exists():
        return []
    con = sqlite3.connect(store)
    try:
        if not con.execute("SELECT 1 FROM sqlite_master WHERE name = '_ws_records'").fetchone():
            return []
        return con.execute(sql.format("_ws_records")).fetchall()
    finally:
        con.close()


def stamped_by(store: str, by: str) -> str:
    """Who the history will name for a write to ``store`` with ``by=``: on a team store the
    database user (the server stamps it, so nobody writes in another's name), else ``by``."""
    if kind_of(store) == "postgis":
        return re.match(r"^[^:]+://([^:/@]+)", store).group(1)
    return by


def as_user(store: str, who: str) -> tuple[str, str, str]:
    """How test writer ``who`` (alice, bob) writes: ``(store, by, name in the history)`` —
    on a team store as a database user of their own, else by saying so with ``by=``."""
    if kind_of(store) == "postgis":
        store = re.sub(r"//[^:/@]+:", f"//{PG_USERS[who]}:", store, count=1)
    return store, who, stamped_by(store, who)


def settle(store: str) -> None:
    """Let the store's background work after writes finish (before forking a writer: a
    thread caught holding a lock at the fork would leave the child that lock, held forever)."""
    if kind_of(store) == "postgis":
        from layers.workspace.qgis import wait

        wait()


def row_count(store: str) -> int:
    return len(log_rows(store))


def list_names(store: str) -> list[str]:
    """The live workspaces of ``store``."""
    return [w["name"] for w in list_workspaces(store)]


def unique(prefix: str) -> str:
    """A workspace name not used before in this test session."""
    return f"{prefix}-{os.getpid()}-{next(_names)}"


def fork(store: str, prefix: str = "ws", *, by: str = "tester") -> Workspace:
    """A new fork of the Aleppo pack in ``store``."""
    return create_workspace(unique(prefix), from_pack=PACK, store=store, by=by)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store a module's tests share, one per backend (as ``ann_admin`` on PostgreSQL)."""
    if request.param == "gpkg":
        return str(tmp_path_factory.mktemp("store-gpkg") / "store.gpkg")
    cluster = request.getfixturevalue("pg_cluster")  # started once per run (tests/conftest.py)
    name = f"ws_{uuid.uuid4().hex[:10]}"
    cluster.sql(f'CREATE DATABASE "{name}" TEMPLATE cordon_template', db="postgres")
    from layers.workspace.postgis import PostGISBackend

    admin = PostGISBackend(cluster.url(db=name))
    for user, role in (("ann_admin", "admin"), ("eddie_editor", "editor")):
        admin.grant(user, role)
    admin.engine.dispose()
    return cluster.url("ann_admin", db=name)


def cli(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run ``python -m layers ARGV`` in this process: (exit code, stdout, stderr).

    The same ``main`` the module entry point calls; an exception escaping it (which would
    print a traceback) fails the test.
    """
    from layers.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        if env:
            stack.enter_context(_environ(env))
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def signature(state) -> tuple[list, list]:
    """What a reader sees of a state: who holds each unit, and the zones' holders and areas."""
    control = sorted(state.control[["id", "actor", "status"]].itertuples(index=False,
                                                                         name=None))
    zones = sorted((a, round(float(km2), 6)) for a, km2 in
                   state.zones[["actor", "area_km2"]].itertuples(index=False, name=None))
    return control, zones


def holder(state, place: str) -> tuple[str, str, str] | None:
    """(actor, status, record) holding ``place`` in ``state``, or None (no record)."""
    rows = state.control[state.control["id"] == place]
    if rows.empty:
        return None
    r = rows.iloc[0]
    return r["actor"], r["status"], r["record"]
