"""A plain CSV of places: ``name``, ``lat``, ``lon`` and optional columns.

Optional: ``alternate_names`` (or ``alternatenames``, ``variants``, ``aliases``; separated by
``;`` or ``|``), ``kind`` (or ``type``: one of the kinds of ``geo.mention.KINDS`` but country
and demonym, or a common word for one: village/town → city, district → admin2, camp → site,
checkpoint/border post → crossing…; default city), ``country`` (ISO 3166-1 alpha-2), ``id``
(default: the line number), ``population``, ``name_ar``. Headers are matched ignoring case and
blanks; the delimiter may be a comma, semicolon, tab or bar.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from geo.gazetteer.formats import (
    USER_KINDS,
    GazetteerError,
    Row,
    clean_name,
    coordinate,
    csv_rows,
    header_key,
    population,
    where,
)

NAME = ("name", "place", "place_name", "placename", "toponym")
ALTS = ("alternate_names", "alternatenames", "alternate_name", "alt_names", "alt_name",
        "variants", "aliases", "other_names")
LAT = ("lat", "latitude", "y")
LON = ("lon", "long", "longitude", "lng", "x")
KIND = ("kind", "type", "feature", "feature_type")
COUNTRY = ("country", "country_code", "countrycode", "iso2", "cc", "iso")
ID = ("id", "code", "pcode", "p_code")
POP = ("population", "pop")
NAME_AR = ("name_ar", "arabic", "arabic_name")
#: Everyday words for the kinds.
KIND_WORDS = {
    "village": "city", "town": "city", "settlement": "city", "locality": "city",
    "hamlet": "city", "populated place": "city", "community": "city",
    "district": "admin2", "zone": "admin2", "county": "admin2",
    "subdistrict": "admin3", "sub-district": "admin3", "nahiya": "admin3",
    "governorate": "admin1", "province": "admin1", "state": "admin1", "oblast": "admin1",
    "camp": "site", "idp camp": "site", "refugee camp": "site", "shelter": "site",
    "checkpoint": "crossing", "border crossing": "crossing", "border post": "crossing",
    "bridge": "crossing", "quarter": "neighbourhood", "neighborhood": "neighbourhood",
    "district of a city": "neighbourhood",
}


def _col(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(c) for c in names if c in header), None)


def looks_like(header: list[str]) -> bool:
    """True when a CSV header has a name, a latitude and a longitude column."""
    return all(_col(header, c) is not None for c in (NAME, LAT, LON))


def rows(stream: Iterable[str], label: str) -> Iterator[Row]:
    """One place per line; a malformed line raises :class:`GazetteerError`."""
    it = csv_rows(stream, label)
    _n, header = next(it, (1, []))
    header = [header_key(c) for c in header]
    cols = {k: _col(header, v) for k, v in (("name", NAME), ("alts", ALTS), ("lat", LAT),
                                             ("lon", LON), ("kind", KIND), ("cc", COUNTRY),
                                             ("id", ID), ("pop", POP), ("ar", NAME_AR))}
    width = len(header)

    def cell(cells: list[str], k: str) -> str:
        i = cols[k]
        return "" if i is None else cells[i]

    for n, cells in it:
        if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if len(cells) != width:
            raise GazetteerError(f"{where(label, n)}: {len(cells)} columns, the header has "
                                 f"{width}")
        name = clean_name(cell(cells, "name"), label, n, header[cols["name"]])
        lat = coordinate(cell(cells, "lat"), label, n, header[cols["lat"]], 90)
        lon = coordinate(cell(cells, "lon"), label, n, header[cols["lon"]], 180)
        raw_kind = " ".join(cell(cells, "kind").lower().split())
        kind = raw_kind if raw_kind in USER_KINDS else KIND_WORDS.get(raw_kind, raw_kind)
        kind = kind or "city"
        if kind not in USER_KINDS:
            raise GazetteerError(f"{where(label, n, header[cols['kind']])}: unknown kind "
                                 f"{raw_kind[:30]!r} (use one of {', '.join(USER_KINDS)})")
        cc = cell(cells, "cc").strip().upper()
        if cc and not (len(cc) == 2 and cc.isalpha()):
            raise GazetteerError(f"{where(label, n, header[cols['cc']])}: not a two-letter "
                                 f"country code: {cc[:10]!r}")
        pid = cell(cells, "id").strip()[:64] or str(n)
        pop = population(cell(cells, "pop"), label, n, "population") if cols["pop"] is not None \
            else 0
        variants = [v.strip()[:200] for v in re.split(r"[;|]", cell(cells, "alts")) if v.strip()]
        name_ar = " ".join(cell(cells, "ar").split())[:200] or None
        yield Row(pid, name, kind, lat, lon, cc, "", "", variants, name_ar, pop, n)
