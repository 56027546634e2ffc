"""The team store on a real PostgreSQL + PostGIS: roles enforced by the database, schema
versions, faults, many writers."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from layers.workspace import (
    PermissionDenied,
    WorkspaceError,
    create_workspace,
    open_workspace,
    qgis,
)
from layers.workspace.postgis import PostGISBackend
from tests import pgcluster

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "arabweekly-2016-09-04-resiege"


def cli(*args: str, env_store: str | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "PYTHONPATH": str(ROOT)}
    if env_store:
        env["CORDON_STORE"] = env_store
    return subprocess.run([sys.executable, "-m", "layers", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


@pytest.fixture
def forked(pg_db):
    create_workspace("live", from_pack="aleppo-2016", store=pg_db("ann_admin"))
    return pg_db


def _count(url: str) -> int:
    with psycopg.connect(url) as con:
        return con.execute("SELECT count(*) FROM cordon.records").fetchone()[0]


def test_viewer_cannot_write_through_cli_api_or_sql(forked):
    viewer = forked("vic_viewer")
    before = _count(forked())
    with pytest.raises(PermissionDenied):
        open_workspace("live", store=viewer).retract("ctl-75", reason="test")
    proc = cli("record", "control", "live", "--places", "alp-hanano", "--actor", "gov",
               "--from", "2016-11-10", "--source", SOURCE, "--store", viewer)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert "vic_viewer" in proc.stderr
    with psycopg.connect(viewer) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
        con.execute("INSERT INTO cordon.records (workspace, kind, id, body, recorded_at, "
                    "recorded_by, op) VALUES ('live', 'event', 'x', '{}', '', '', 'record')")
    assert _count(forked()) == before
    # ...but reads the map.
    assert len(open_workspace("live", store=viewer).scenario().control) > 200


def test_editor_records_but_cannot_delete_or_rewrite(forked):
    editor = forked("eddie_editor")
    ws = open_workspace("live", store=editor)
    ids, _ = ws.record_control(["alp-hanano"], actor="gov", status="controlled",
                               start="2016-11-10", sources=[SOURCE], by="someone-else")
    last = ws.history(record=ids[0])[-1]
    assert last["recorded_by"] == "eddie_editor"  # the database user, not what --by says
    proc = cli("workspace", "delete", "live", "--store", editor)
    assert proc.returncode == 2 and "eddie_editor" in proc.stderr
    with psycopg.connect(editor) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
        con.execute("UPDATE cordon.records SET body = NULL")
    with psycopg.connect(editor) as con, pytest.raises(psycopg.errors.InsufficientPrivilege):
        con.execute("DELETE FROM cordon.records")
    with psycopg.connect(forked("ann_admin")) as con, pytest.raises(
            psycopg.errors.InsufficientPrivilege):
        con.execute("DELETE FROM cordon.records")  # append-only even for admins
    assert open_workspace("live", store=forked("ann_admin")).exists()
    assert cli("workspace", "delete", "live", "--store", forked("ann_admin")).returncode == 0


def test_user_without_a_role_and_grant_command(forked):
    nobody = forked("nobody")
    with pytest.raises(WorkspaceError):
        open_workspace("live", store=nobody)
    proc = cli("store", "grant", "nobody", "viewer", "--store", forked("ann_admin"))
    assert proc.returncode == 0, proc.stderr
    assert open_workspace("live", store=nobody).version > 0
    assert PostGISBackend(nobody).role() == "viewer"


def test_a_schema_1_store_migrates_and_keeps_its_layers(pg_cluster):
    import geopandas as gpd
    import shapely

    from layers.store import Store, StoreError

    pg_cluster.createdb("before_times")
    url = pg_cluster.url(db="before_times")
    PostGISBackend(url).migrate()
    sites = gpd.GeoDataFrame({"id": ["a"], "seen": ["2016-07-01"]},
                             geometry=[shapely.Point(37.1, 36.2)], crs=4326)
    Store(url).add_layer("sites", sites, source="t")
    # the store as a program of schema 1 left it: no date columns on the layers' registry
    pg_cluster.sql("ALTER TABLE cordon.layers DROP COLUMN time_from, DROP COLUMN time_to; "
                   "UPDATE cordon.meta SET value = '1' WHERE key = 'schema'", db="before_times")
    with pytest.raises(StoreError, match="store migrate"):
        Store(url).set_time("sites", "seen", source="t")
    proc = cli("store", "migrate", "--store", url)
    assert proc.returncode == 0 and "schema 1 -> 2" in proc.stdout, proc.stdout + proc.stderr
    Store(url).set_time("sites", "seen", source="t")
    assert Store(url).time("sites") == ("seen", None)
    assert list(Store(url).read("sites")["id"]) == ["a"]


def test_schema_versions(pg_cluster):
    pg_cluster.createdb("fresh")
    url = pg_cluster.url(db="fresh")
    with pytest.raises(WorkspaceError, match="store migrate"):
        create_workspace("x", from_pack="aleppo-2016", store=url)
    proc = cli("store", "migrate", "--store", url)
    assert proc.returncode == 0 and "schema 0 -> 2" in proc.stdout
    assert "up to date" in cli("store", "migrate", "--store", url).stdout
    pg_cluster.sql("UPDATE cordon.meta SET value = '99' WHERE key = 'schema'", db="fresh")
    proc = cli("workspace", "new", "x", "--from", "aleppo-2016", "--store", url)
    assert proc.returncode == 2 and "newer than this program" in proc.stderr


def test_connection_faults_are_one_line(pg_cluster):
    bad_pw = pg_cluster.url("ann_admin", "wrong", db="cordon_template")
    proc = cli("workspace", "list", "--store", bad_pw)
    assert proc.returncode == 2 and "wrong user name or password" in proc.stderr
    assert "wrong" not in proc.stderr.split("@")[0].split("//")[-1].split(":")[-1]  # hidden
    refused = f"postgresql://ann_admin:x@127.0.0.1:{pgcluster._free_port()}/db"
    proc = cli("workspace", "list", "--store", refused)
    assert proc.returncode == 2 and "cannot connect" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_server_restart_mid_run_leaves_no_half_record(pg_cluster, forked, tmp_path):
    editor = forked("eddie_editor")
    ready = tmp_path / "ready"
    script = (
        "import pathlib, sys\n"
        "from layers.workspace import open_workspace, WorkspaceError\n"
        "ws = open_workspace('live', store=sys.argv[1])\n"
        "units = ['alp-hanano', 'alp-haydariyeh', 'alp-sakhour', 'alp-jabal-badro',\n"
        "         'alp-helwaniyeh', 'alp-baaiedeen', 'alp-ballat', 'alp-bayyada']\n"
        "failed = 0\n"
        "for i, u in enumerate(units):\n"
        "    try:\n"
        "        ws.record_control([u], actor='gov', status='controlled',\n"
        "                          start=f'2016-11-{10 + i:02d}', sources=['" + SOURCE + "'])\n"
        "    except WorkspaceError as exc:\n"
        "        failed += 1; print(exc, file=sys.stderr)\n"
        "    pathlib.Path(sys.argv[2]).touch()  # the test restarts the server now\n"
        "print(failed)\n")
    proc = subprocess.Popen([sys.executable, "-c", script, editor, str(ready)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 120
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    pg_cluster.restart()  # while the writer is between (or inside) its next writes
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    for line in err.strip().splitlines():  # one plain line per refused write, if any
        assert line.startswith(("store ", "QGIS tables")), line
    ws = open_workspace("live", store=editor)
    ws.scenario()  # every write is whole: the workspace validates
    recorded = [h for h in ws.history() if h["op"] == "record" and h["kind"] == "control"
                and not h["reason"]]
    ended = [h for h in ws.history() if h["reason"].startswith("ended by")]
    assert len(recorded) == len(ended)  # each new record came with the version it ended
    assert len(recorded) == 8 - int(out.strip().splitlines()[-1])
    assert len(recorded) >= 1


def test_many_writers_lose_nothing(forked):
    editor = forked("eddie_editor")
    units = ["alp-hanano", "alp-haydariyeh", "alp-sakhour", "alp-jabal-badro"]

    def write(unit: str) -> list[str]:
        ws = open_workspace("live", store=editor)
        out = []
        for day in (10, 14, 18):
            ids, _ = ws.record_control([unit], actor="gov" if day != 14 else "opp-city",
                                       status="controlled", start=f"2016-11-{day}",
                                       sources=[SOURCE])
            out += ids
        return out

    with ThreadPoolExecutor(4) as pool:
        made = [i for ids in pool.map(write, units) for i in ids]
    ws = open_workspace("live", store=editor)
    rows = ws.history()
    seqs = [r["seq"] for r in rows]
    assert seqs == sorted(set(seqs))
    current = {i for k, i, _ in ws.records() if k == "control"}
    assert set(made) <= current and len(made) == 12


def test_qgis_tables_follow_each_write_and_viewers_read_them(forked):
    import datetime as dt

    editor, viewer = forked("eddie_editor"), forked("vic_viewer")
    today = dt.datetime.now(dt.UTC).date()
    qgis.wait()
    with psycopg.connect(viewer) as con:
        before = con.execute("SELECT actor FROM cordon_qgis.live_control WHERE id = "
                             "'alp-hanano'").fetchone()[0]
        srid = con.execute("SELECT Find_SRID('cordon_qgis', 'live_zones', 'geometry')"
                           ).fetchone()[0]
        indexed = con.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = "
                              "'cordon_qgis' AND tablename = 'live_zones' AND indexdef "
                              "ILIKE '%gist%'").fetchone()[0]
    assert before == "gov" and srid == 4326 and indexed == 1
    open_workspace("live", store=editor).record_control(
        ["alp-hanano"], actor="opp-city", status="controlled", start=today - dt.timedelta(days=1),
        sources=[SOURCE])
    qgis.wait()  # the tables are rewritten in the background, bursts coalesced
    with psycopg.connect(viewer) as con:
        after = con.execute("SELECT actor FROM cordon_qgis.live_control WHERE id = "
                            "'alp-hanano'").fetchone()[0]
        zones = con.execute("SELECT DISTINCT encircled FROM cordon_qgis.live_zones").fetchall()
    assert after == "opp-city"
    assert zones  # the zones carry their encircled flag
    proc = cli("store", "refresh", "live", "--store", editor)
    assert proc.returncode == 0 and "cordon_qgis.live_crossings" in proc.stdout
