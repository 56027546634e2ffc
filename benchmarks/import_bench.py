"""Time and peak memory of importing large CSV and GeoJSON files through the sandbox.

    .venv/bin/python benchmarks/import_bench.py [--mb 200] [--runs 3] [--formats csv,geojson]

Generates point files of about ``--mb`` MB (events with a date, a name, a note), imports each
``--runs`` times with :func:`layers.import_file` (sniff, sandboxed reader, checks) and prints the
median wall time and the peak resident memory of the reader process (the child) and of the
calling process. Each run is a fresh process, so peaks do not carry over between runs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ONE_RUN = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
import layers
t = time.perf_counter()
gdf = layers.import_file(sys.argv[1])
wall = time.perf_counter() - t
print(json.dumps({"rows": len(gdf), "wall": wall,
                  "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_csv(path: Path, mb: float) -> None:
    rnd = random.Random(1)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,date,type,name,latitude,longitude,note\n")
        i = 0
        while fh.tell() < mb * 1e6:
            for _ in range(10_000):
                i += 1
                fh.write(f"ev-{i},2016-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d},"
                         f"strike,Place {rnd.randint(1, 5000)},{rnd.uniform(32, 37):.5f},"
                         f"{rnd.uniform(35, 42):.5f},reported by a local monitor; "
                         f"damage to {rnd.randint(1, 40)} buildings\n")


def make_geojson(path: Path, mb: float) -> None:
    rnd = random.Random(2)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "features": [\n')
        i = 0
        first = True
        while fh.tell() < mb * 1e6:
            for _ in range(10_000):
                i += 1
                feat = {"type": "Feature", "properties": {
                    "id": f"ev-{i}", "date": f"2016-{rnd.randint(1, 12):02d}-01",
                    "type": "strike", "name": f"Place {rnd.randint(1, 5000)}",
                    "note": "reported by a local monitor"},
                    "geometry": {"type": "Point", "coordinates": [
                        round(rnd.uniform(35, 42), 5), round(rnd.uniform(32, 37), 5)]}}
                fh.write(("" if first else ",\n") + json.dumps(feat))
                first = False
        fh.write("\n]}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", default="csv,geojson")
    args = ap.parse_args()
    makers = {"csv": make_csv, "geojson": make_geojson}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in args.formats.split(","):
            path = Path(tmp) / f"big.{fmt}"
            makers[fmt](path, args.mb)
            size = path.stat().st_size / 1e6
            runs = []
            for _ in range(args.runs):
                out = subprocess.run([sys.executable, "-c", ONE_RUN, str(path), str(ROOT)],
                                     capture_output=True, text=True, check=True,
                                     env={"CORDON_IMPORT_MEMORY_MB": "4096",
                                          "PATH": "/usr/bin:/bin"})
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
            med = {k: statistics.median(r[k] for r in runs) for k in
                   ("wall", "child_mb", "self_mb")}
            print(f"{fmt}: {size:.0f} MB, {runs[0]['rows']:,} rows: {med['wall']:.1f} s wall; "
                  f"peak reader {med['child_mb']:.0f} MB, caller {med['self_mb']:.0f} MB "
                  f"(median of {args.runs})")


if __name__ == "__main__":
    main()
