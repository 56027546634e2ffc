"""How long the place table takes to load (the geocoder and the page start with it).

Usage: ``.venv/bin/python benchmarks/places_load.py [--repeat N]``. Prints the median and best
of N cold reads (no cache) of places and geometries, in a fresh interpreter each time so that
import cost is counted too, and the peak memory of one load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, time, tracemalloc
t0 = time.perf_counter()
import geo.places as p
t1 = time.perf_counter()
places = p.read_places()
t2 = time.perf_counter()
geoms = p.read_geometries()
t3 = time.perf_counter()
tracemalloc.start()
p.read_places(); p.read_geometries()
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"import": t1 - t0, "places": t2 - t1, "geometries": t3 - t2,
                  "n_places": len(places), "n_geometries": len(geoms), "peak_mb": peak / 1e6}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, "-c", _CHILD], cwd=ROOT, capture_output=True,
                             text=True, check=True)
        runs.append(json.loads(out.stdout))
    for key in ("import", "places", "geometries"):
        vals = [r[key] * 1000 for r in runs]
        print(f"{key:>10}: median {statistics.median(vals):6.1f} ms   best {min(vals):6.1f} ms")
    total = [(r["places"] + r["geometries"]) * 1000 for r in runs]
    print(f"{'total':>10}: median {statistics.median(total):6.1f} ms   best {min(total):6.1f} ms"
          f"   ({runs[0]['n_places']} places, {runs[0]['n_geometries']} geometries, "
          f"peak {runs[0]['peak_mb']:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
