"""Time the ``python -m geo`` CLI end to end on a generated 10 MB text (issue 3).

Not part of the test run. The text is our own filler prose with English and Arabic, dense
(a place name every ~150 characters) or sparse (three names in 10 MB). Each case runs in a fresh
subprocess (index already built) and reports wall time, characters per second of the whole CLI
(read, decode, geoparse, sentences, render, atomic write) and peak memory (its
``ru_maxrss``).

Usage::

    .venv/bin/python benchmarks/geo_cli_bench.py [--mb 10] [--format geojson]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DENSE = ("Trucks carrying flour left Damascus at dawn and reached Homs by noon. "
         "وقالت اللجنة إن الطرق ما زالت مغلقة. Residents of eastern Aleppo said the road "
         "was cut again; negotiators in Geneva met on Friday.\n")
SPARSE = ("the committee met again to review the figures on food, fuel and medicine; "
          "وقالت اللجنة إن الأرقام غير مكتملة. volunteers counted the stocks twice.\n")


def make_text(kind: str, size: int) -> str:
    if kind == "dense":
        return (DENSE * (size // len(DENSE) + 1))[:size]
    half = SPARSE * (size // 2 // len(SPARSE))
    return "Shelling hit Homs. " + half + "Trucks reached eastern Aleppo. " + half + "Geneva."


# Runs the CLI in a child that reports its own peak memory (ru_maxrss, KiB on Linux) last.
_CHILD = ("import resource, runpy, sys\n"
          "sys.argv = ['geo'] + sys.argv[1:]\n"
          "try:\n    runpy.run_module('geo', run_name='__main__')\n"
          "except SystemExit as e:\n    assert not e.code, e.code\n"
          "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")


def run(path: Path, fmt: str) -> tuple[float, float]:
    """Wall seconds and peak MB of one CLI run in a fresh process."""
    out = path.with_suffix("." + fmt)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path), "--format", fmt, "-o",
                           str(out)], cwd=ROOT, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    return seconds, int(proc.stderr.split()[-1]) / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10)
    ap.add_argument("--format", default="geojson", choices=("geojson", "csv", "jsonl"))
    args = ap.parse_args()
    size = int(args.mb * 1_000_000)
    subprocess.run([sys.executable, "-c", "import geo; geo.geoparse('Aleppo')"], cwd=ROOT,
                   check=True)  # make sure the index is built before timing
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("sparse", "dense"):
            path = Path(tmp) / f"{kind}.txt"
            text = make_text(kind, size)
            path.write_text(text, encoding="utf-8")
            seconds, peak_mb = run(path, args.format)
            print(f"{kind:6s} {len(text):>11,} chars  {seconds:6.2f} s  "
                  f"{len(text) / seconds:>11,.0f} chars/s  peak {peak_mb:,.0f} MB  [{args.format}]")


if __name__ == "__main__":
    main()
