"""OCHA Common Operational Dataset (COD) tables as CSV: p-codes and names per admin level.

Headers differ between countries and years, so the columns are found by pattern, case and
blanks ignored: ``admin2Pcode`` or ``ADM2_PCODE`` (the p-code of level 2), ``admin2Name_en``,
``ADM2_EN`` or ``admin2Name`` (its name in a language), ``admin2RefName`` / ``ADM2ALT1_EN``
(variants), ``admin0Pcode`` (the country), and a latitude and a longitude column (``lat``,
``latitude``, ``y``…; ``lon``, ``long``, ``longitude``, ``x``…). Each row is one place at the
deepest level that has both a p-code and a name column: level 1 → admin1, 2 → admin2, 3 →
admin3, 4 and deeper (communities, settlements) → city. The p-code is the record's id; the
country is the ``admin0Pcode`` or else the p-code's first two letters. A second header row of
HXL hashtags (``#adm2+code``) is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from geo.gazetteer.formats import (
    GazetteerError,
    Row,
    clean_name,
    coordinate,
    csv_rows,
    header_key,
    where,
)

_PCODE = re.compile(r"^adm(?:in)?(\d)_?pcode$")
_NAME = re.compile(r"^adm(?:in)?(\d)(?:_?name)?(?:_([a-z]{2}))?$"
                   r"|^adm(?:in)?(\d)_?name_?([a-z]{2})$")
_ALT = re.compile(r"^adm(?:in)?(\d)_?(?:alt|ref)[a-z_]*\d*(?:_([a-z]{2}))?$")
LAT = ("lat", "latitude", "y", "lat_y", "center_lat", "centroid_lat", "ycoord", "y_coord")
LON = ("lon", "long", "longitude", "lng", "x", "lon_x", "long_x", "center_lon", "centroid_lon",
       "xcoord", "x_coord")
_LANG_ORDER = ("en", "fr", "es", "pt", "")
_LEVEL_KIND = {1: "admin1", 2: "admin2", 3: "admin3"}


def looks_like(header: list[str]) -> bool:
    """True when a CSV header has p-code columns of some admin level (besides level 0)."""
    return any((m := _PCODE.match(h)) and m.group(1) != "0" for h in header)


def _columns(header: list[str]) -> tuple[dict, dict, dict]:
    pcodes: dict[int, int] = {}
    names: dict[int, dict[str, int]] = {}
    alts: dict[int, list[int]] = {}
    for i, h in enumerate(header):
        if m := _PCODE.match(h):
            pcodes.setdefault(int(m.group(1)), i)
        elif m := _ALT.match(h):
            alts.setdefault(int(m.group(1)), []).append(i)
        elif m := _NAME.match(h):
            level = int(m.group(1) or m.group(3))
            lang = m.group(2) or m.group(4) or ""
            names.setdefault(level, {}).setdefault(lang, i)
    return pcodes, names, alts


def rows(stream: Iterable[str], label: str) -> Iterator[Row]:
    """One place per line, at the deepest level with a p-code and a name."""
    it = csv_rows(stream, label)
    n, header = next(it, (1, []))
    header = [header_key(c) for c in header]
    pcodes, names, alts = _columns(header)
    levels = [lv for lv in pcodes if lv in names and lv > 0]
    if not levels:
        raise GazetteerError(f"{where(label, n)}: no admin level with both a p-code and a name "
                             "column (e.g. admin2Pcode and admin2Name_en)")
    level = max(levels)
    lat_i = next((header.index(c) for c in LAT if c in header), None)
    lon_i = next((header.index(c) for c in LON if c in header), None)
    if lat_i is None or lon_i is None:
        raise GazetteerError(f"{where(label, n)}: no latitude and longitude columns (lat, lon)")
    by_lang = names[level]
    primary = next((by_lang[lang] for lang in _LANG_ORDER if lang in by_lang),
                   next((i for lang, i in by_lang.items() if lang != "ar"), None))
    arabic = by_lang.get("ar")
    if primary is None:
        primary, arabic = arabic, None
    a1_name = next((names.get(1, {}).get(lang) for lang in _LANG_ORDER
                    if lang in names.get(1, {})), None)
    width = len(header)
    for n, cells in it:
        if not any(c.strip() for c in cells):
            continue
        if all(c.strip().startswith("#") for c in cells if c.strip()):
            continue  # HXL hashtag row
        if len(cells) != width:
            raise GazetteerError(f"{where(label, n)}: {len(cells)} columns, the header has "
                                 f"{width}")
        pcode = cells[pcodes[level]].strip()
        if not pcode or len(pcode) > 64:
            raise GazetteerError(f"{where(label, n, header[pcodes[level]])}: missing p-code")
        name = clean_name(cells[primary], label, n, header[primary])
        lat = coordinate(cells[lat_i], label, n, header[lat_i], 90)
        lon = coordinate(cells[lon_i], label, n, header[lon_i], 180)
        variants = []
        for i in by_lang.values():
            v = " ".join(cells[i].split())
            if i not in (primary, arabic) and v and v != name:
                variants.append(v[:200])
        for i in alts.get(level, ()):
            variants += [v.strip()[:200] for v in re.split(r"[;|]", cells[i]) if v.strip()]
        name_ar = " ".join(cells[arabic].split())[:200] or None if arabic is not None else None
        country = cells[pcodes[0]].strip().upper() if 0 in pcodes else ""
        if not (len(country) == 2 and country.isalpha()):
            country = pcode[:2].upper() if pcode[:2].isalpha() else ""
        a1 = " ".join(cells[a1_name].split()) if a1_name is not None and level > 1 else ""
        yield Row(pcode, name, _LEVEL_KIND.get(level, "city"), lat, lon, country, "", a1,
                  variants, name_ar, 0, n)
