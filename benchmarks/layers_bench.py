"""Issue 4 "Measured": state at a date + GeoJSON export, and point-in-zone assignment.

1. A synthetic pack (written to a temp folder in the documented format) with 5,000 drawn
   polygon units held by three actors and 100,000 point events: ``state_at`` at a date after
   every event, then ``select`` + ``export`` as GeoJSON (control units + zones + events).
   Target: under 2 s.
2. Assigning 1,000,000 event points to the control zones (via the 5,000 units), vectorised
   (``layers.analysis.assign``). Target: under 2 s on one core.

Prints the median of several runs (each state at a date not yet cached) and the spread.
Run: ``.venv/bin/python benchmarks/layers_bench.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from layers.analysis.assign import assign_points  # noqa: E402
from layers.io.export import export  # noqa: E402
from layers.selection import select  # noqa: E402

W, S, E, N = 37.05, 36.12, 37.25, 36.27  # roughly Aleppo's extent
ACTORS = ("blue", "red", "orange")


def units(n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` gap-free polygons: Voronoi cells of random seeds clipped to the box."""
    seeds = shapely.multipoints(np.c_[rng.uniform(W, E, n), rng.uniform(S, N, n)])
    frame = shapely.box(W, S, E, N)
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame))
    return np.asarray(shapely.intersection(cells, frame))


def write_pack(folder: Path, cells: np.ndarray, n_events: int,
               rng: np.random.Generator) -> None:
    (folder / "manifest.json").write_text(json.dumps({
        "id": "bench", "title": "Benchmark pack", "description": "Synthetic, for timing.",
        "window": {"start": "2016-01-01", "end": "2016-12-31"}, "default_date": "2016-12-31",
        "view": {"center": [(S + N) / 2, (W + E) / 2], "zoom": 12}, "country": "SY",
        "licence": "CC0-1.0", "attribution": "Synthetic benchmark data."}))
    (folder / "actors.json").write_text(json.dumps({
        "actors": [{"id": a, "name": a.title(), "short": a, "colour": c, "description": ""}
                   for a, c in zip(ACTORS, ("#0072b2", "#d55e00", "#e69f00"), strict=True)],
        "alliances": [["red", "orange"]]}))
    (folder / "sources.json").write_text(json.dumps({
        "s1": {"publisher": "Bench", "title": "Synthetic", "date": "2016-01-01",
               "url": "https://example.org/bench"}}))
    feats = [{"type": "Feature", "properties": {
                "id": f"u-{i}", "name": f"Unit {i}", "kind": "sector", "confidence": "medium",
                "sources": ["s1"], "description": ""},
              "geometry": json.loads(shapely.to_geojson(g))} for i, g in enumerate(cells)]
    (folder / "areas.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": feats}))
    # Three actors hold vertical bands, so the zones are few and large.
    band = np.minimum(((shapely.get_x(shapely.centroid(cells)) - W) / (E - W) * 3).astype(int),
                      2)
    with (folder / "control.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["place", "actor", "status", "from", "to", "from_precision",
                    "to_precision", "confidence", "sources", "note"])
        for i, b in enumerate(band):
            w.writerow([f"u-{i}", ACTORS[b], "controlled", "2016-01-01", "", "day", "day",
                        "medium", "s1", ""])
    days = np.sort(rng.integers(0, 350, n_events))
    xs, ys = rng.uniform(W, E, n_events), rng.uniform(S, N, n_events)
    events = [{"id": f"ev-{i}", "date": (date(2016, 1, 1) + timedelta(int(d))).isoformat(),
               "date_precision": "day", "type": "strike", "title": f"Event {i}",
               "geometry": {"type": "Point", "coordinates": [round(x, 6), round(y, 6)]},
               "description": "", "confidence": "low", "sources": ["s1"]}
              for i, (d, x, y) in enumerate(zip(days, xs, ys, strict=True))]
    (folder / "events.json").write_text(json.dumps(events))


def add_events(sc, n: int, rng: np.random.Generator) -> None:
    """Give a loaded scenario ``n`` point events, as the loader would store them.

    Used instead of writing them to events.json because loading 100,000 events through the
    pack loader takes minutes (see --events-in-pack); the state and export code see the same
    objects either way.
    """
    import dataclasses

    template = sc.events[0]
    days = np.sort(rng.integers(0, 350, n))
    xs, ys = rng.uniform(W, E, n), rng.uniform(S, N, n)
    events = []
    for i, (d, x, y) in enumerate(zip(days, xs, ys, strict=True)):
        key = f"event:ev-{i}"
        sc.geometries[key] = shapely.Point(round(x, 6), round(y, 6))
        events.append(dataclasses.replace(template, id=f"ev-{i}", title=f"Event {i}",
                                          date=date(2016, 1, 1) + timedelta(int(d)),
                                          place=key))
    sc.events = tuple(events)
    sc.cache.clear()


def bench_state_export(runs: int, rng: np.random.Generator, in_pack: bool) -> list[float]:
    import layers

    with tempfile.TemporaryDirectory() as tmp:
        pack = Path(tmp) / "bench"
        pack.mkdir()
        t = time.perf_counter()
        write_pack(pack, units(5000, rng), 100_000 if in_pack else 1, rng)
        print(f"  synthetic pack written in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        sc = layers.load_scenario(pack)
        if not in_pack:
            add_events(sc, 100_000, rng)
        print(f"  pack loaded (once, not timed below) in {time.perf_counter() - t:.1f} s")
        times, out = [], Path(tmp) / "out.geojson"
        for k in range(runs):
            day = date(2016, 12, 31) - timedelta(days=k)  # a new date: not in the state cache
            t, c = time.perf_counter(), time.process_time()
            state = layers.state_at(sc, day)
            t_state = time.perf_counter() - t
            sel = select(state, ["control", "zones", "events"])
            export(sel, "geojson", out)
            times.append((time.perf_counter() - t, time.process_time() - c))
            counts = {n: len(g) for n, g in sel.items()}
            print(f"  run {k + 1}: {times[-1][0]:.2f} s wall, {times[-1][1]:.2f} s CPU "
                  f"(state_at {t_state:.2f} s wall) {counts}, "
                  f"{out.stat().st_size / 1e6:.0f} MB")
        return times


def bench_assign(runs: int, rng: np.random.Generator) -> list[float]:
    cells = units(5000, rng)
    band = np.minimum(((shapely.get_x(shapely.centroid(cells)) - W) / (E - W) * 3).astype(int),
                      2)
    n = 1_000_000
    pts = shapely.points(rng.uniform(W, E, n), rng.uniform(S, N, n))
    times = []
    for k in range(runs):
        t, c = time.perf_counter(), time.process_time()
        zone = assign_points(pts, cells, labels=band)
        times.append((time.perf_counter() - t, time.process_time() - c))
        print(f"  run {k + 1}: {times[-1][0]:.2f} s wall, {times[-1][1]:.2f} s CPU "
              f"({(zone >= 0).sum():,} points inside)")
    return times


def report(label: str, times: list[tuple[float, float]], target: float) -> None:
    """Median wall and CPU time; on a busy machine CPU time is the fairer single-core figure
    (the code is single-threaded)."""
    wall = [w for w, _ in times]
    cpu = [c for _, c in times]
    med, med_cpu = statistics.median(wall), statistics.median(cpu)
    print(f"{label}: median {med:.2f} s wall (min {min(wall):.2f}, max {max(wall):.2f}), "
          f"median {med_cpu:.2f} s CPU, {len(times)} runs; target < {target:.0f} s: "
          f"wall {'OK' if med < target else 'OVER'}, CPU {'OK' if med_cpu < target else 'OVER'}"
          f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--events-in-pack", action="store_true",
                    help="load the 100,000 events through events.json (slow loader)")
    args = ap.parse_args()
    rng = np.random.default_rng(4)
    print("state at a date + GeoJSON export (5,000 polygons, 100,000 events):")
    export_times = bench_state_export(args.runs, rng, args.events_in_pack)
    print("assign 1,000,000 points to control zones (5,000 units -> 3 zones):")
    assign_times = bench_assign(args.runs, rng)
    report("state_at + export geojson", export_times, 2.0)
    report("assign 1M points", assign_times, 2.0)


if __name__ == "__main__":
    main()
