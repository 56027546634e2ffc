"""Copy the US county points the geoparser needs from ../shared into data/geo/us-counties.csv.

Usage::

    python scripts/make_us_counties.py [../shared/data/geonames-admin/us_counties.csv]

Keeps, per county: GeoNames id, name, alternate names, state (GeoNames admin1 code = postal
code), point, population (Census 2010) and where the point comes from. Source: GeoNames
(CC BY 4.0) joined with US Census Bureau data (public domain), as compiled in
``shared/data/geonames-admin`` (see its README); rows without a point are skipped.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT.parent / "shared" / "data" / "geonames-admin" / "us_counties.csv"
OUT = ROOT / "data" / "geo" / "us-counties.csv"
FIELDS = ["geonameid", "name", "alternatenames", "admin1_code", "latitude", "longitude",
          "population", "coord_source"]


def main(src: Path = SRC) -> None:
    with src.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("latitude") and r.get("longitude")]
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, FIELDS, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} counties -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SRC)
