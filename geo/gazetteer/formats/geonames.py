"""The GeoNames dump format: tab-separated, 19 columns, one place a line, no header.

Columns: geonameid, name, asciiname, alternatenames (comma-separated), latitude, longitude,
feature class, feature code, country code, cc2, admin1–admin4 codes, population, elevation,
dem, timezone, modification date. Country extracts (``SY.txt``) and their zips (``SY.zip``,
which also hold a ``readme.txt``) read the same.

Feature codes map to kinds (:func:`kind_of`; the table is in ``geo/README.md``). Of class H
(water) only rivers, wadis, lakes, reservoirs, seas, gulfs, bays, straits and canals are kept
(as regions); the rest of it, classes U (undersea) and V (vegetation), and countries
(``PCL*``, which the shipped index has) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from geo.gazetteer.build import _keep_alternate
from geo.gazetteer.formats import (
    GazetteerError,
    Row,
    clean_name,
    coordinate,
    lines,
    population,
    where,
)

NCOLS = 19
_ARABIC = re.compile(r"^[\u0600-\u06ff\s]+$")
_CAMP = re.compile(r"\b(?:camp|camps|mukhayyam|mukhayam|mukhaym|campement)\b|مخيم", re.I)
_SKIP_CLASSES = frozenset("HUV")
_CLASSES = frozenset("AHLPRSTUV")
#: Feature codes with a kind of their own (the rest go by class: see :func:`kind_of`).
CODE_KINDS = {
    "ADM1": "admin1", "ADM1H": "admin1",
    "ADM2": "admin2", "ADM2H": "admin2",
    "ADM3": "admin3", "ADM3H": "admin3", "ADM4": "admin3", "ADM4H": "admin3",
    "ADM5": "admin3", "ADM5H": "admin3", "ADMD": "admin3", "ADMDH": "admin3",
    "PPLX": "neighbourhood",
    "CMP": "site", "CMPL": "site", "CMPLA": "site", "CMPMN": "site", "CMPO": "site",
    "CMPQ": "site", "CMPRF": "site",
    "PSTB": "crossing", "PSTC": "crossing", "PSTP": "crossing", "BDG": "crossing",
    "BDGQ": "crossing", "CSTM": "crossing", "FY": "crossing",
    "RGN": "region", "RGNE": "region", "RGNH": "region", "RGNL": "region",
    # water that reports name: rivers and wadis, lakes and reservoirs, seas, gulfs, straits
    # (springs, wells, ponds and the rest of class H are not kept: thousands a country, and
    # seldom named in a report)
    "STM": "region", "STMI": "region", "STMS": "region", "STMX": "region", "WAD": "region",
    "WADS": "region", "WADX": "region", "LK": "region", "LKS": "region", "LKI": "region",
    "LKN": "region", "LKO": "region", "LKSI": "region", "RSV": "region", "LGN": "region",
    "SEA": "region", "GULF": "region", "BAY": "region", "STRT": "region", "CHN": "region",
    "CNL": "region",
}
_CLASS_KINDS = {"P": "city", "A": "admin3", "R": "road", "S": "site", "T": "site", "L": "site"}


def looks_like(first_line: str) -> bool:
    """True when a file's first line is a GeoNames record."""
    cells = first_line.split("\t")
    return len(cells) == NCOLS and cells[0].strip().isdigit()


def kind_of(fclass: str, fcode: str, name: str) -> str | None:
    """The kind of a GeoNames feature, or None for one that is not kept.

    A name that says it is a camp ("Zamzam Camp", "Mukhayyam al-Yarmouk", "مخيم …") makes a
    site whatever its code (GeoNames files many camps as populated places).
    """
    if fclass == "H" and fcode in CODE_KINDS:
        return CODE_KINDS[fcode]
    if fclass in _SKIP_CLASSES or fcode.startswith("PCL"):
        return None
    if fclass in "PSL" and _CAMP.search(name):
        return "site"
    return CODE_KINDS.get(fcode) or _CLASS_KINDS.get(fclass)


def rows(stream: Iterable[str], label: str) -> Iterator[Row | None]:
    """The places of a GeoNames dump (None for a line read but not kept: see
    :func:`kind_of`); a malformed line raises :class:`GazetteerError`."""
    for n, line in lines(stream, label):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != NCOLS:
            raise GazetteerError(f"{where(label, n)}: {len(cells)} tab-separated columns, a "
                                 f"GeoNames line has {NCOLS}")
        gid = cells[0].strip()
        if not gid.isdigit():
            raise GazetteerError(f"{where(label, n, 'geonameid')}: not a number: {gid[:40]!r}")
        fclass, fcode = cells[6].strip(), cells[7].strip()
        if fclass and fclass not in _CLASSES:
            raise GazetteerError(f"{where(label, n, 'feature class')}: unknown class "
                                 f"{fclass[:10]!r}")
        name = clean_name(cells[1], label, n, "name")
        lat = coordinate(cells[4], label, n, "latitude", 90)
        lon = coordinate(cells[5], label, n, "longitude", 180)
        pop = population(cells[14], label, n, "population")
        kind = kind_of(fclass, fcode, name)
        if kind is None:
            yield None
            continue
        cc = cells[8].strip().upper()
        if cc and not (len(cc) == 2 and cc.isalpha()):
            raise GazetteerError(f"{where(label, n, 'country code')}: not a two-letter code: "
                                 f"{cc[:10]!r}")
        a1 = cells[10].strip()
        variants, name_ar = [], None
        ascii_name = " ".join(cells[2].split())
        if ascii_name and ascii_name != name:
            variants.append(ascii_name[:200])
        for alt in cells[3].split(","):
            alt = " ".join(alt.split())
            if not alt or alt == name or len(alt) > 200 or not _keep_alternate(alt):
                continue  # machine transliterations (all lower case) and codes
            if _ARABIC.match(alt) and name_ar is None:
                name_ar = alt
            variants.append(alt)
        yield Row(gid, name, kind, lat, lon, cc, f"{cc}.{a1}" if cc and a1 else "", "",
                  variants, name_ar, pop, n)
