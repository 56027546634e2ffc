"""Time adding a user gazetteer (issue 13: 100,000 rows in ≤ 30 s) and parsing with it.

Not part of the test run. Writes a GeoNames-format file of made-up places (syllable names,
three alternate names each, points spread over Syria, Sudan and Yemen, a tenth of them camps
and border posts), then, in a temporary gazetteers folder (the shipped index already built):

- ``add``: wall time of ``geo.gazetteer.add_gazetteer`` on it, and rows per second;
- ``first parse``: ``geoparse`` of a short text naming three of the places, right after the add
  (the index sees the new gazetteer: registry check, open, lookups);
- ``throughput``: characters per second of ``geoparse`` on a 1 MB text with and without the
  gazetteer (median of ``--runs``).

Usage::

    .venv/bin/python benchmarks/gazetteer_add_bench.py [--rows 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYLLABLES = ("ka", "zan", "ba", "qi", "ya", "mar", "sha", "tul", "ri", "dun", "ha", "bet", "wo",
             "lo", "nim", "sar", "fa", "gu", "tem", "ra")
BOXES = {"SY": (32.5, 37.0, 35.8, 42.0), "SD": (9.0, 22.0, 15.0, 38.0),
         "YE": (12.8, 18.0, 42.6, 52.0)}


def fake_name(rng: random.Random) -> str:
    words = [("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))).title()
             for _ in range(rng.randint(1, 2))]
    return " ".join(words)


def write_geonames(path: Path, rows: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    names = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(rows):
            cc = rng.choice(list(BOXES))
            la0, la1, lo0, lo1 = BOXES[cc]
            name = fake_name(rng)
            names.append(name)
            fclass, fcode = rng.choice((("P", "PPL"),) * 8 + (("S", "CMPRF"), ("S", "PSTB")))
            alts = ",".join(fake_name(rng) for _ in range(3))
            fh.write("\t".join([str(20_000_000 + i), name, name, alts,
                                f"{rng.uniform(la0, la1):.5f}", f"{rng.uniform(lo0, lo1):.5f}",
                                fclass, fcode, cc, "", "01", "", "", "",
                                str(rng.choice((0, 0, 250, 1200, 8000))), "", "0", "",
                                "2025-01-01"]) + "\n")
    return names


def throughput(text: str, runs: int) -> float:
    from geo import geoparse

    geoparse(text)  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        geoparse(text)
        times.append(time.perf_counter() - t0)
    return len(text) / statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CORDON_GAZETTEERS"] = str(Path(tmp) / "gz")
        from geo import geoparse
        from geo.gazetteer import add_gazetteer, get_index

        get_index().find(["aleppo"])  # the shipped index is open (built before if needed)
        src = Path(tmp) / "generated.txt"
        names = write_geonames(src, args.rows)
        para = ("Convoys left Aleppo for Idlib; fighting near Homs and in Darfur displaced "
                "families towards the border with Chad, the UN said on Tuesday. ")
        text = para * (1_000_000 // len(para))
        base = throughput(text, args.runs)
        t0 = time.perf_counter()
        info = add_gazetteer(src, name="bench")
        add_s = time.perf_counter() - t0
        probe = f"Aid reached {names[10]}, {names[500]} and {names[-1]} on Monday."
        t0 = time.perf_counter()
        hits = [m for m in geoparse(probe) if m.source.startswith("user:")]
        first = time.perf_counter() - t0
        with_user = throughput(text + probe, args.runs)
        print(f"rows: {args.rows:,} ({info.places:,} places; file {src.stat().st_size / 1e6:.1f} "
              f"MB)")
        print(f"add: {add_s:.1f} s ({args.rows / add_s:,.0f} rows/s)")
        print(f"first parse after add: {first * 1000:.0f} ms, {len(hits)} of 3 user places found")
        print(f"throughput: {base / 1e6:.2f} M chars/s without, {with_user / 1e6:.2f} M chars/s "
              "with the gazetteer")


if __name__ == "__main__":
    main()
