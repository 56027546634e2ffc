"""The team store under load, and PostGIS beside the GeoPackage.

    .venv/bin/python benchmarks/team_store_bench.py [--writers 8] [--records 250] [--runs 3]

Starts a throwaway PostgreSQL + PostGIS cluster (tests/pgcluster.py: needs Debian's
``postgresql`` and ``postgis``), forks ``aleppo-2016`` into a workspace there, then:

1. ``--writers`` processes each record ``--records`` control changes on the same workspace at
   once (each writer its own units; dates advance), as the editor role. Afterwards: records
   lost (made but not in the store), duplicated (an id twice in the current state), whether the
   workspace validates and versions strictly increase; records per second overall and the
   median / p95 latency of one record.
2. ``state_at`` (a new date) and ``summarize`` on PostGIS beside the GeoPackage, for aleppo-2016
   and for a synthetic workspace of ``--big`` records (benchmarks/workspace_bench.py's maker).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SOURCE = "arabweekly-2016-09-04-resiege"


def _writer(args) -> tuple[list[str], list[float], int]:
    url, units, records, seed = args
    from layers.workspace import ConflictError, WorkspaceError, open_workspace

    ws = open_workspace("live", store=url)
    made, lat, failed = [], [], 0
    for i in range(records):
        unit = units[i % len(units)]
        # Days after the pack's last record, one per round, so each is a real change.
        day = f"{2017 + (seed * 997 + i) // 365 % 30}-{1 + i % 12:02d}-{1 + (i // 12) % 28:02d}"
        t = time.perf_counter()
        try:
            ids, _ = ws.record_control([unit], actor=("gov", "opp-city")[i % 2],
                                       status="controlled", start=day, sources=[SOURCE])
            made += ids
        except (ConflictError, WorkspaceError):
            failed += 1
        lat.append(time.perf_counter() - t)
    return made, lat, failed


def load_test(url: str, writers: int, records: int) -> None:
    from layers.workspace import open_workspace

    ws = open_workspace("live", store=url)
    units = [u for u in ws.scenario().units if u.startswith("alp-")]
    shares = [units[w::writers] for w in range(writers)]
    t = time.perf_counter()
    with mp.get_context("spawn").Pool(writers) as pool:
        results = pool.map(_writer, [(url, shares[w], records, w) for w in range(writers)])
    wall = time.perf_counter() - t
    made = [i for r in results for i in r[0]]
    lat = sorted(x for r in results for x in r[1])
    failed = sum(r[2] for r in results)
    ws = open_workspace("live", store=url)
    current = [i for k, i, _ in ws.records() if k == "control"]
    lost = len(set(made) - set(current))
    dup = len(current) - len(set(current))
    seqs = [h["seq"] for h in ws.history()]
    ws.scenario()  # validates
    print(f"{writers} writers x {records} records: {len(made)} recorded, {failed} refused, "
          f"{lost} lost, {dup} duplicated, versions increasing: {seqs == sorted(set(seqs))}, "
          f"workspace validates: yes")
    print(f"  {len(made) / wall:.1f} records/s overall; one record: median "
          f"{statistics.median(lat) * 1000:.0f} ms, p95 {lat[int(0.95 * len(lat))] * 1000:.0f} ms"
          f" ({wall:.0f} s wall)")


def _timed(fn, runs: int) -> float:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out)


def compare(url: str, gpkg: str, name: str, runs: int) -> None:
    from layers.summary import summarize
    from layers.timeline import change_dates, state_at
    from layers.workspace import open_workspace
    from layers.workspace.core import _CACHE

    for label, store in (("GeoPackage", gpkg), ("PostGIS", url)):
        ws = open_workspace(name, store=store)
        _CACHE.clear()
        first = _timed(lambda ws=ws: ws.scenario(), 1)
        sc = ws.scenario()
        days = change_dates(sc)[-runs * 3:]
        it = iter(days)
        st = _timed(lambda sc=sc, it=it: state_at(sc, next(it)), runs)
        sm = _timed(lambda sc=sc, it=it: summarize(sc, next(it)), runs)
        reread = _timed(lambda ws=ws: (_CACHE.clear(), ws.backend.rows(ws.name)), runs)
        print(f"  {name} on {label}: load {first:.2f} s (rows read {reread:.2f} s); "
              f"state_at {st * 1000:.0f} ms; summarize {sm * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--records", type=int, default=250)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big", type=int, default=50_000, help="records of the synthetic workspace")
    args = ap.parse_args()
    from layers.workspace import create_workspace, qgis
    from layers.workspace.postgis import PostGISBackend
    from tests import pgcluster

    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}; {time.strftime('%Y-%m-%d')}")
    cluster = pgcluster.Cluster()
    try:
        PostGISBackend(cluster.url()).migrate()
        cluster.sql(f"CREATE ROLE editor LOGIN PASSWORD '{pgcluster.PASSWORD}'")
        PostGISBackend(cluster.url()).grant("editor", "editor")
        admin = cluster.url()
        create_workspace("live", from_pack="aleppo-2016", store=admin)
        load_test(cluster.url("editor"), args.writers, args.records)
        qgis.wait()
        with tempfile.TemporaryDirectory() as tmp:
            gpkg = str(Path(tmp) / "store.gpkg")
            create_workspace("live", from_pack="aleppo-2016", store=gpkg)
            create_workspace("ref", from_pack="aleppo-2016", store=gpkg)
            create_workspace("ref", from_pack="aleppo-2016", store=admin)
            print("state_at / summarize, PostGIS beside GeoPackage:")
            compare(admin, gpkg, "ref", args.runs)
            if args.big:
                import random

                from benchmarks.workspace_bench import synthetic_records

                recs = synthetic_records("big", 1000, max(1, args.big // 1000), 200,
                                         random.Random(7))
                create_workspace("big", records=recs, store=gpkg)
                create_workspace("big", records=recs, store=admin)
                compare(admin, gpkg, "big", args.runs)
            qgis.wait()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
