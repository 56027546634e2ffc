"""Workspace targets ("Measured" of the workspaces issue), timed by script, never by tests.

1. Record a change and get the new state at that date: ≤ 300 ms server time on an
   Aleppo-sized workspace. ``aleppo-2016`` is forked into a workspace in a temporary store,
   then each run records one unit's control from a date (``Workspace.record_control``) and
   computes ``state_at(ws.scenario(), day)``; a different unit and date every run, so no
   cache hides the work. Reported: the median of the whole, and its split.
2. ``state_at`` on a workspace with 50,000 records (1,000 square units, four actors, 50
   control records per unit over ten years): ≤ 1 s. Each record's holder is drawn at random,
   so a date shows some 700 zones, a hard case for dissolving and encirclement (real fronts
   give far fewer). Reported: the first ``ws.scenario()`` in a fresh process (rows read,
   materialised into pack files, validated), ``state_at`` at a new date, the first
   ``state_at`` on a fresh scenario (which also prepares indexes), and, for information,
   ``record_control`` there (each write validates the whole workspace again).
3. Round trip pack → workspace → pack for ``aleppo-2016``: fork and export times, and
   whether ``state_at`` agrees on every change date (the pack, the workspace, the exported
   pack). Prints OK or FAIL.

Both wall-clock and CPU time of this process are shown. Server time is wall time on an idle
machine (it includes the store's disk writes); on a shared, loaded machine wall time mostly
measures the other processes, so the verdict uses CPU time unless ``--clock wall`` (the load
average is printed with the machine).

    PYTHONPATH=. .venv/bin/python benchmarks/workspace_bench.py [--runs 5] [--clock cpu|wall]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layers.catalog import load_scenario  # noqa: E402
from layers.pack import load_pack  # noqa: E402
from layers.timeline import change_dates, state_at  # noqa: E402
from layers.workspace import core as ws_core  # noqa: E402
from layers.workspace import create_workspace  # noqa: E402

ROWS: list[tuple[str, list[float], list[float], str]] = []  # what, wall s, cpu s, target


class Timer:
    """Wall and CPU seconds of a block."""

    def __enter__(self) -> Timer:
        self.w0, self.c0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.w0
        self.cpu = time.process_time() - self.c0


def timed(fn: Callable, *args, **kw):
    with Timer() as t:
        out = fn(*args, **kw)
    return out, t


def add(what: str, walls: list[float], cpus: list[float], target: float | None) -> None:
    ROWS.append((what, walls, cpus, target))


def fresh_process() -> None:
    """Forget materialised workspace scenarios and prepared unit geometry, as a server process
    that just started."""
    import layers.pack
    import layers.timeline

    with ws_core._CACHE_LOCK:
        ws_core._CACHE.clear()
    for cache in (getattr(layers.timeline, "_GEOMETRY", None),
                  getattr(layers.pack, "_SHARED_SHAPES", None)):
        if cache is not None:
            cache.clear()


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"nproc {n}, {model}, Python {platform.python_version()}, load average {load}"


# -- 1. record a change on Aleppo, then the state at that date ---------------------------------

def bench_record(store: Path, runs: int, rng: random.Random) -> None:
    ws = create_workspace("bench-aleppo", from_pack="aleppo-2016", store=store, by="bench")
    sc = ws.scenario()
    start, end = sc.window
    actors = sorted(sc.actors)
    source = sorted(sc.sources)[0]
    units = list(sc.units)
    rng.shuffle(units)
    # the days a unit's own records start on (a second record may not start on one)
    starts: dict[str, set[dt.date]] = {}
    for r in sc.control:
        if r.units == (r.place,):
            starts.setdefault(r.place, set()).add(r.interval.start)
    state_at(sc, sc.default_date)  # the forked scenario's own state: not the measured work
    total, rec, scen, state = [], [], [], []
    ctot, crec, cscen, cstate = [], [], [], []
    used: set[dt.date] = set()
    for i in range(runs):
        unit = units[i % len(units)]
        while True:
            day = start + dt.timedelta(days=rng.randrange(1, (end - start).days))
            if day not in starts.get(unit, set()) and day not in used:
                break
        used.add(day)
        with Timer() as t_all:
            with Timer() as t1:
                ws.record_control([unit], actor=rng.choice(actors), status="controlled",
                                  start=day, sources=[source], by="bench")
            with Timer() as t2:
                sc = ws.scenario()
            with Timer() as t3:
                st = state_at(sc, day)
        assert unit in set(st.control["id"]), f"{unit} missing from the state at {day}"
        total.append(t_all.wall)
        rec.append(t1.wall)
        scen.append(t2.wall)
        state.append(t3.wall)
        ctot.append(t_all.cpu)
        crec.append(t1.cpu)
        cscen.append(t2.cpu)
        cstate.append(t3.cpu)
    n = len(sc.control)
    add(f"1. record + state_at, Aleppo ({n} control records)", total, ctot, 0.300)
    add("   of which record_control", rec, crec, None)
    add("   of which ws.scenario()", scen, cscen, None)
    add("   of which state_at (fresh scenario)", state, cstate, None)


# -- 2. a synthetic workspace with 50,000 records ----------------------------------------------

SYN_ACTORS = (("blue", "#0072b2"), ("red", "#d55e00"), ("green", "#009e73"),
              ("purple", "#cc79a7"))


def synthetic_records(name: str, n_units: int, per_unit: int, n_sources: int,
                      rng: random.Random) -> list[tuple[str, str, dict]]:
    """A workspace's records: ``n_units`` square units on a grid (areas), four actors,
    ``per_unit`` control records per unit over ten years, ``n_sources`` sources."""
    start, end = dt.date(2010, 1, 1), dt.date(2019, 12, 31)
    span = (end - start).days
    cols = int(np.ceil(np.sqrt(n_units)))
    x0, y0, side = 36.0, 35.0, 0.01  # ~1 km squares
    rows_n = int(np.ceil(n_units / cols))
    records: list[tuple[str, str, dict]] = [
        ("manifest", "manifest", {
            "id": name, "title": "Synthetic workspace", "description": "For timing.",
            "window": {"start": start.isoformat(), "end": end.isoformat()},
            "default_date": "2015-06-01",
            "view": {"center": [y0 + rows_n * side / 2, x0 + cols * side / 2], "zoom": 11},
            "country": "", "licence": "CC0-1.0", "attribution": "Synthetic.", "snap_m": 25}),
        ("actors", "actors", {
            "actors": [{"id": a, "name": a.title(), "short": a, "colour": c,
                        "description": ""} for a, c in SYN_ACTORS],
            "alliances": [["red", "purple"]]}),
    ]
    sids = [f"syn-src-{i:04d}" for i in range(n_sources)]
    for i, sid in enumerate(sids):
        records.append(("source", sid, {
            "publisher": "Bench", "title": f"Report {i}",
            "date": (start + dt.timedelta(days=i * span // n_sources)).isoformat(),
            "url": f"https://example.org/report/{i}"}))
    uids = [f"syn-u{i:04d}" for i in range(n_units)]
    for i, uid in enumerate(uids):
        x, y = x0 + (i % cols) * side, y0 + (i // cols) * side
        ring = [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]
        records.append(("area", uid, {
            "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"id": uid, "name": f"Unit {i}", "kind": "unit",
                           "confidence": "high", "sources": [rng.choice(sids)],
                           "description": ""}}))
    for uid in uids:
        cuts = sorted(rng.sample(range(1, span), per_unit - 1))
        bounds = [0, *cuts, None]
        for k in range(per_unit):
            a, b = bounds[k], bounds[k + 1]
            contested = rng.random() < 0.1
            rid = f"{uid}-c{k:02d}"
            records.append(("control", rid, {
                "id": rid, "place": uid, "actor": "" if contested else rng.choice(SYN_ACTORS)[0],
                "status": "contested" if contested else "controlled",
                "from": (start + dt.timedelta(days=a)).isoformat(),
                "to": (start + dt.timedelta(days=b)).isoformat() if b is not None else "",
                "from_precision": "day", "to_precision": "day",
                "confidence": rng.choice(("low", "medium", "high")),
                "sources": ";".join(rng.sample(sids, rng.choice((1, 2)))), "note": ""}))
    return records


def bench_large(store: Path, runs: int, rng: random.Random, n_units: int,
                per_unit: int) -> None:
    records, t_gen = timed(synthetic_records, "bench-large", n_units, per_unit, 200, rng)
    n_ctl = sum(1 for k, _, _ in records if k == "control")
    print(f"  synthetic workspace: {len(records):,} records ({n_ctl:,} control, {n_units:,} "
          f"units), generated in {t_gen.wall:.1f} s")
    ws, t_create = timed(create_workspace, "bench-large", records=records, store=store,
                         by="bench")
    add(f"2. create_workspace ({len(records):,} records)", [t_create.wall], [t_create.cpu],
        None)
    start = dt.date(2010, 1, 1)
    scen, first, later = [], [], []
    cscen, cfirst, clater = [], [], []
    for _ in range(runs):
        fresh_process()
        sc, t = timed(ws.scenario)
        scen.append(t.wall)
        cscen.append(t.cpu)
        days = [start + dt.timedelta(days=rng.randrange(3650)) for _ in range(4)]
        _, t = timed(state_at, sc, days[0])
        first.append(t.wall)
        cfirst.append(t.cpu)
        for d in days[1:]:
            _, t = timed(state_at, sc, d)
            later.append(t.wall)
            clater.append(t.cpu)
    add("   first ws.scenario() (read, materialise, validate)", scen, cscen, None)
    add("   state_at, a new date", later, clater, 1.0)
    add("   first state_at on a fresh scenario", first, cfirst, 1.0)
    add("   first ws.scenario() + first state_at", [a + b for a, b in zip(scen, first,
                                                                         strict=True)],
        [a + b for a, b in zip(cscen, cfirst, strict=True)], None)
    rec, crec = [], []
    sc = ws.scenario()
    for unit in rng.sample(sc.units, min(runs, 3)):  # informative: each write re-validates
        day = start + dt.timedelta(days=rng.randrange(3650))
        while any(r.interval.start == day for r in sc.control if r.place == unit):
            day += dt.timedelta(days=1)
        _, t = timed(ws.record_control, [unit], actor="blue", status="controlled", start=day,
                     sources=["syn-src-0000"], by="bench")
        rec.append(t.wall)
        crec.append(t.cpu)
    add("   record_control (every record validated again)", rec, crec, None)


# -- 3. round trip pack -> workspace -> pack ---------------------------------------------------

def _frame_rows(gdf, layer: str) -> tuple[list, list]:
    df = gdf.drop(columns="geometry").reset_index(drop=True)
    if layer == "control" and "record" in df:  # forked rows gain ids: ctl-<line>
        df["record"] = [re.sub(r"^ctl-(\d+)$", r"control.csv row \1", str(v))
                        for v in df["record"]]
    wkb = [None if g is None else shapely.to_wkb(g) for g in gdf.geometry.values]
    return df.astype(object).where(df.notna(), None).values.tolist(), wkb


def same_states(a, b, days: list[dt.date]) -> list[str]:
    """Where ``state_at`` differs between scenarios ``a`` and ``b`` (empty: the same)."""
    diffs = []
    for d in days:
        sa, sb = state_at(a, d), state_at(b, d)
        for layer in sa.LAYERS:
            ga, gb = getattr(sa, layer), getattr(sb, layer)
            if list(ga.columns) != list(gb.columns):
                diffs.append(f"{d} {layer}: columns differ")
            elif _frame_rows(ga, layer) != _frame_rows(gb, layer):
                diffs.append(f"{d} {layer}: rows differ")
    return diffs


def bench_round_trip(store: Path, tmp: Path, runs: int) -> bool:
    fork, export = [], []
    cfork, cexport = [], []
    ws = None
    for i in range(runs):
        ws, t = timed(create_workspace, f"bench-rt-{i}", from_pack="aleppo-2016", store=store,
                      by="bench")
        fork.append(t.wall)
        cfork.append(t.cpu)
        _, t = timed(ws.export, tmp / f"rt-{i}")
        export.append(t.wall)
        cexport.append(t.cpu)
    add("3. fork aleppo-2016 into a workspace", fork, cfork, None)
    add("   export the workspace as a pack", export, cexport, None)
    pack = load_scenario("aleppo-2016")
    fresh_process()
    back = load_pack(tmp / f"rt-{runs - 1}")
    days = change_dates(pack)
    diffs = same_states(pack, ws.scenario(), days) + same_states(pack, back, days)
    ok = not diffs and change_dates(back) == days
    print(f"  round trip: state_at on {len(days)} change dates, pack = workspace = exported "
          f"pack: {'OK' if ok else 'FAIL'}")
    for line in diffs[:10]:
        print(f"    {line}")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--units", type=int, default=1000, help="units of the large workspace")
    ap.add_argument("--per-unit", type=int, default=50, help="control records per unit")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                    help="which time the verdict uses (default cpu: see the module doc)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print(f"workspace benchmark, {dt.datetime.now().isoformat(timespec='seconds')}")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="cordon-wsbench-") as tmp:
        store = Path(tmp) / "store.gpkg"
        bench_record(store, args.runs, rng)
        bench_large(store, args.runs, rng, args.units, args.per_unit)
        ok = bench_round_trip(store, Path(tmp), args.runs)
    print(f"\nmedians over --runs {args.runs}; verdict on {args.clock} time")
    print(f"{'what':<56} {'wall':>9} {'cpu':>9} {'wall min-max':>15} {'target':>8}  verdict")
    failed = not ok
    for what, walls, cpus, target in ROWS:
        med = statistics.median(walls if args.clock == "wall" else cpus)
        spread = f"{min(walls) * 1000:.0f}-{max(walls) * 1000:.0f}"
        verdict = "" if target is None else ("PASS" if med <= target else "FAIL")
        failed |= verdict == "FAIL"
        tgt = f"≤{target * 1000:.0f} ms" if target is not None else ""
        print(f"{what:<56} {statistics.median(walls) * 1000:>6.0f} ms "
              f"{statistics.median(cpus) * 1000:>6.0f} ms {spread:>12} ms {tgt:>8}  {verdict}")
    print(f"{'3. round trip: state_at equal on every change date':<56} "
          f"{'':>9} {'':>9} {'':>15} {'':>8}  {'OK' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
