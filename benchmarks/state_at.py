"""Time loading a scenario pack and computing its state at dates (target: ≤ 100 ms a date).

Times are CPU time of this process (the machine is often shared, so wall time is noisy).

    .venv/bin/python benchmarks/state_at.py [PACK] [--dates N]

PACK is a shipped name or a directory (default: aleppo-2016).  Reports the cold load, the
first state (which also prepares indexes), the median over N fresh dates spread across the
window (each computed, not cached), a cached call, and summarize() on a fresh date.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from layers.catalog import load_scenario  # noqa: E402
from layers.summary import summarize  # noqa: E402
from layers.timeline import state_at  # noqa: E402


def ms(t0: float) -> float:
    return (time.process_time() - t0) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pack", nargs="?", default="aleppo-2016")
    ap.add_argument("--dates", type=int, default=20)
    args = ap.parse_args()

    t0 = time.process_time()
    sc = load_scenario(args.pack)
    load = ms(t0)
    start, end = sc.window
    span = (end - start).days
    days = [start + timedelta(days=round(i * span / max(args.dates, 1)))
            for i in range(args.dates + 1)]
    t0 = time.process_time()
    state_at(sc, sc.default_date)
    first = ms(t0)
    times = []
    for d in days:
        if d == sc.default_date:
            continue
        t0 = time.process_time()
        st = state_at(sc, d)
        times.append(ms(t0))
    t0 = time.process_time()
    state_at(sc, days[1])
    cached = ms(t0)
    sc.cache.pop("states", None)
    t0 = time.process_time()
    summarize(sc, days[len(days) // 2])
    summ = ms(t0)
    print(f"pack {sc.id}: {len(sc.units)} units, {len(sc.control)} control rows, "
          f"{len(st.zones)} zones at {days[-1]}")
    print(f"load (cold)              {load:8.1f} ms")
    print(f"first state (+prepare)   {first:8.1f} ms")
    print(f"state at a new date      {statistics.median(times):8.1f} ms median, "
          f"{max(times):.1f} ms max over {len(times)} dates")
    print(f"state at a cached date   {cached:8.1f} ms")
    print(f"summarize (new date)     {summ:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
