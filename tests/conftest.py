"""Shared fixtures: the workspace store on every backend, the way geopandas runs its I/O tests
on every engine.

``store`` is parametrised over ``gpkg`` (a GeoPackage in the test's folder) and ``postgis`` (a
fresh database, cloned from a migrated template, in a throwaway cluster started once per run).
Tests that take ``store`` run on both.
"""

from __future__ import annotations

import itertools
import os

import pytest

# The tests look inside the geoparser's modules (counting calls, swapping a function), which
# only the plain Python modules allow: the compiled ones (geo.compiled) are checked against
# them by tests/test_geo_compiled.py, in processes of their own.
os.environ["CORDON_PURE"] = "1"

from tests import pgcluster


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    """No test reaches the network: the geoparser's online fallback stays off unless a test
    turns it on itself (``CORDON_ONLINE``)."""
    monkeypatch.delenv("CORDON_ONLINE", raising=False)


_COUNTER = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster():
    """A running PostgreSQL + PostGIS cluster with a migrated template database."""
    why = pgcluster.available()
    if why:
        pytest.fail(f"the team-store tests need PostgreSQL + PostGIS: {why} "
                    "(scripts/test.sh installs them)")
    cluster = pgcluster.Cluster()
    try:
        cluster.createdb("cordon_template")
        from layers.workspace.postgis import PostGISBackend

        backend = PostGISBackend(cluster.url(db="cordon_template"))
        backend.migrate()
        backend.engine.dispose()
        for name in ("ann_admin", "eddie_editor", "vic_viewer", "nobody"):
            cluster.sql(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{pgcluster.PASSWORD}'",
                        db="postgres")
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_db(pg_cluster):
    """A fresh migrated database; returns a function giving a user's URL for it."""
    name = f"t{next(_COUNTER)}"
    pg_cluster.sql(f'CREATE DATABASE "{name}" TEMPLATE cordon_template', db="postgres")
    from layers.workspace.postgis import PostGISBackend

    admin = PostGISBackend(pg_cluster.url(db=name))
    for user, role in (("ann_admin", "admin"), ("eddie_editor", "editor"),
                       ("vic_viewer", "viewer")):
        admin.grant(user, role)
    admin.engine.dispose()

    def url(user: str = pgcluster.SUPERUSER) -> str:
        return pg_cluster.url(user, db=name)

    yield url
    from layers.workspace import qgis
    from layers.workspace.postgis import dispose_engines

    qgis.wait()
    dispose_engines(f"/{name}")


@pytest.fixture(params=["gpkg", "postgis"])
def store(request, tmp_path):
    """Where workspaces live for this test: a GeoPackage path or a PostgreSQL URL (as the
    editor-and-creator ``ann_admin``)."""
    if request.param == "gpkg":
        return str(tmp_path / "store.gpkg")
    url = request.getfixturevalue("pg_db")
    return url("ann_admin")
