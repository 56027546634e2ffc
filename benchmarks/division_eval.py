"""Divisions named like their capital: does the geoparser pick the reading the gold says?

Usage::

    .venv/bin/python benchmarks/division_eval.py [--show]

The 161 km tolerance of ``geoparse_eval.py`` cannot tell "Idlib" the governorate from "Idlib"
the city (18 km apart), so this script scores the kind instead. It reads the project's own
development sets (``benchmarks/data/cordon-*-dev.jsonl``) and keeps the gold toponyms whose
surface names both a first-level division and a city of 10,000+ of the same country within
100 km (the "twins" of ``geo/divisions.py``). A gold ref naming a division (``adm:…``,
``pl:SY07``, ``pl:geonames:<id>`` of a first- or second-level division) says the division; any
other gold ref says the city. A twin counts as right when the matched prediction's
kind is a division (``admin1``/``admin2``) for a division gold and ``city`` for a city gold;
a gold toponym that is not found counts as wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.geoparse_eval import OWN_SETS, match  # noqa: E402


def _twins(surface: str) -> tuple[list, list]:
    """(divisions, cities) of the surface that make it a division named like its capital."""
    from geo.gazetteer import get_index
    from geo.normalize import fold
    from geo.resolve import km

    key = fold(surface)
    cands = [r for r, h in get_index().find([key]).get(key, ()) if h != 2]
    divs = [r for r in cands if r.kind == "admin1"]
    cities = [r for r in cands if r.kind == "city" and r.pop >= 10_000]
    divs = [d for d in divs if any(c.country == d.country and km(c.lat, c.lon, d.lat, d.lon) < 100
                                   for c in cities)]
    return divs, cities


def _division_ref(ref: str) -> bool:
    from geo.gazetteer import get_index

    if ref.startswith("adm:"):
        return True
    if ref.startswith("pl:"):
        rec = get_index().by_source(ref[3:])
        return rec is not None and rec.kind in ("admin1", "admin2")
    return False


def evaluate(show: bool = False) -> dict[str, dict[str, int]]:
    """Per set: division golds and city golds of twin names, and how many were read right."""
    from geo import geoparse

    out = {}
    for path in OWN_SETS:
        tally = {"division": 0, "division_right": 0, "city": 0, "city_right": 0}
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            preds = geoparse(doc["text"])
            got = {id(g): p for p, g in match(preds, doc["toponyms"])}
            for g in doc["toponyms"]:
                divs, _cities = _twins(g["name"])
                if not divs:
                    continue
                is_div = _division_ref(g.get("ref") or "")
                want = "division" if is_div else "city"
                p = got.get(id(g))
                right = p is not None and (p.kind in ("admin1", "admin2") if is_div
                                           else p.kind == "city")
                tally[want] += 1
                tally[want + "_right"] += right
                if show and not right:
                    print(f"{path.stem} {doc['id']}: {g['name']!r} gold {want}, got "
                          f"{p.kind if p else 'nothing'}", file=sys.stderr)
        out[path.stem] = tally
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="store_true", help="print every wrong reading")
    args = ap.parse_args()
    res = evaluate(args.show)
    total = {k: sum(t[k] for t in res.values()) for k in next(iter(res.values()))}
    res["all"] = total
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
