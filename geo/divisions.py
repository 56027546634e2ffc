"""A division named like its seat ("Idlib", "Kharkiv", "Kassala"): the text decides.

Many first-level divisions bear their capital's name. A kind cue settles it ("Idlib
governorate", "Idlib city": the resolver reads those; a first-level cue is the first-level
division, not a district of the same name: "Kharkiv region"; a plural cue speaks for the
whole list it closes: "Idlib and Hama provinces"); without one, this module reads the places
around the name, after resolution (``settle``):

- *the division* when the name is the countryside ("rural Daraa", "the Latakia countryside",
  "ريف إدلب"), when it holds the place named just before it ("Saraqib and Jisr al-Shughur in
  Idlib", "…, all in Kherson", "Rastan in northern Homs"), when it is an area ("across
  Donetsk", "within Idlib") and the text names another place of the division away from the
  seat (beyond the city's reach, ``URBAN_KM``), or when the text names at least ``MIN_RURAL`` such
  places and fewer in or at the seat itself;
- *the city* in a dateline ("KHARKIV, Ukraine (Reuters) -"), as one of a list of towns
  ("Kharkiv, Izium and Kupiansk"; not in a list of divisions: "Long Island, New York,
  Pennsylvania"), with a part of a city ("the old city", "downtown"), or when it holds a place
  within the city's reach named just before it ("Hanano in Aleppo", "Queens, New York");
- otherwise the resolver's pick stands, which is the city for a bare name ("a strike in
  Kharkiv", "Khartoum" beside "Omdurman" and "Bahri": the resolver lets a division yield to
  a big city of its name) unless another cue spoke ("Albany, New York" is the state).

Containment is the division code the gazetteer gives every place (GeoNames' admin1 codes,
the place table's p-codes), so the rule is the same in every country. Only the two readings of
one name are ever swapped: a pick of another place is left alone.
"""

from __future__ import annotations

import math
import re

from geo.gazetteer import Record
from geo.recognize import Span
from geo.resolve import km

#: A place this close to the seat is part of the city (a neighbourhood, a suburb): bigger
#: cities reach further, ``URBAN_KM_PER_DECADE`` km per tenfold population over 1,000, within
#: ``URBAN_KM`` (Aleppo about 13 km, Idlib 8 km).
URBAN_KM = (5.0, 15.0)
URBAN_KM_PER_DECADE = 4.0
#: How many places of the division away from its seat make the bare name the division (two
#: is not enough: "from Vovchansk to Kharkiv … Kupiansk" is still the city).
MIN_RURAL = 3
#: The smallest city that counts as a division's seat.
SEAT_POP = 10_000

_DIR = (r"(?:north|south|east|west|northern|southern|eastern|western|north-?eastern|"
        r"north-?western|south-?eastern|south-?western|central|rural)")
# "Saraqib in Idlib", "Beryslav and Kakhovka, all in Kherson", "Rastan in northern Homs"
_IN = re.compile(rf"^,?[ \t]+(?:all[ \t]+|both[ \t]+)?in[ \t]+(?:the[ \t]+)?(?:{_DIR}[ \t]+)?$",
                 re.I)
# "Kharkiv, Izium and Kupiansk": peers in a list of towns
_LIST = re.compile(r"^[ \t]*(?:,|,?[ \t]+(?:and|or|&))[ \t]*$")
_COUNTRYSIDE_AFTER = re.compile(r"(?:['’]s)?[ \t]+(?:(?:[a-z]+-)?[a-z]+[ \t]+)?countryside\b",
                                re.I)
# "spread across Donetsk", "moved north within Idlib": an area, once one of its towns is named
_AREA_BEFORE = re.compile(r"\b(?:across|within|throughout)[ \t]+(?:the[ \t]+)?$", re.I)
# "Idlib and Hama provinces": a plural cue after the last name of a list speaks for each
_PLURAL_CUE = re.compile(r"[ \t]+(?:provinces|governorates|oblasts|states|regions)\b", re.I)
_AR_COUNTRYSIDE = re.compile(r"(?:^|[\s،])[وبلف]?(?:ال)?ريف[ \t]+$")
_CITY_PART = re.compile(r"old city|downtown|district|neighbou?rhood|centre|center|quarter|"
                        r"outskirt|suburb|inner")
_DIVISIONS = ("admin1", "admin2", "admin3")
_READABLE = frozenset({"city", *_DIVISIONS})
#: A word for the countryside after or before a name ("countryside", "ريف"; "rural" is a
#: qualifier): a text with none names no countryside.
_ANY_COUNTRYSIDE = re.compile(r"countryside|ريف", re.I)
#: Kind cues that name a first-level division ("Kharkiv region" is the oblast, not its raion).
_FIRST_LEVEL = frozenset({"province", "governorate", "state", "oblast", "region"})
#: The kinds of the places that can show a division: its towns, districts and quarters (not
#: crossings, camps or roads, which sit on its edges as often as inside).
_PLACES = frozenset({"city", "admin2", "admin3", "neighbourhood"})
_OUTSIDE = frozenset({"country", "admin1", "region"})


def _twins(cands: tuple[tuple[Record, int], ...]) -> tuple[Record, Record] | None:
    """(seat city, first-level division) when the name is both, else None.

    The seat is the biggest city of 10,000+ of the name that a first-level division of the
    same name holds (same country and division code; the place table's record before
    GeoNames'): "Homs" is Syria's, whatever other towns share the name."""
    divs = [r for r, h in cands if r.kind == "admin1" and h != 2 and r.admin1]
    if not divs:
        return None
    best = None
    for r, h in cands:
        if r.kind == "city" and h != 2 and r.pop >= SEAT_POP and (best is None or
                                                                   r.pop > best[0].pop):
            mine = [d for d in divs if d.country == r.country and d.admin1 == r.admin1]
            if mine:
                best = (r, max(mine, key=lambda d: (d.curated, d.pop)))
    return best


def _is_twin(rec: Record, seat: Record) -> bool:
    """Whether a pick is one reading of the name: the seat or a division around it."""
    return rec is seat or rec.kind in _DIVISIONS and rec.country == seat.country \
        and rec.admin1 == seat.admin1


def _reading(text: str, i: int, picks: list, seat: Record, division: Record,
             members: tuple[int, int]) -> Record | None:
    """The seat or the division as the text around span ``i`` says, or None when it says
    nothing (the resolver's pick stands: "Albany, New York" is still the state)."""
    sp = picks[i][0]
    q = sp.qualifier
    if q and ("countryside" in q or "rural" in q) or _COUNTRYSIDE_AFTER.match(text, sp.end) \
            or sp.arabic and _AR_COUNTRYSIDE.search(text, max(0, sp.start - 12), sp.start):
        return division
    if q and _CITY_PART.search(q) or sp.surface.isupper() and _line_start(text, sp.start):
        return seat  # a part of the city, or a wire dateline
    rural, urban = members
    if not rural and not urban:
        return None  # no other place of the division in the text: nothing more to read
    if i and _member(picks[i - 1][1], seat):
        rec, gap = picks[i - 1][1], text[picks[i - 1][0].end:sp.start]
        # "Saraqib in Idlib"; "Albany, New York" when the two are no part of a longer list
        if _IN.match(gap) or gap == ", " and not _joined(text, picks, i, i + 1) \
                and not _joined(text, picks, i - 2, i - 1):
            return seat if _urban(rec, seat) else division
    peers = [picks[j][1] for j in (i - 1, i + 1)
             if _joined(text, picks, min(i, j), max(i, j))]
    if any(_member(r, seat) for r in peers) and not any(r.kind in _OUTSIDE for r in peers):
        return seat  # one town among others (not "Long Island, New York, Pennsylvania")
    if rural > urban and (rural >= MIN_RURAL or _AREA_BEFORE.search(
            text, max(0, sp.start - 16), sp.start)):
        return division
    return None


_PLURAL_WORDS = ("provinces", "governorates", "oblasts", "states", "regions")


#: The letters beyond ASCII that a case-blind match takes for ASCII ones ("ſ" for "s").
_CASE_ODD = ("\u0130", "\u0131", "\u017f", "\u212a")
#: The last text ``_lowered`` saw and its answer: a text's two looks share one lowering.
_LAST_LOWERED: tuple[str, str | None] = ("", "")


def _lowered(text: str) -> str | None:
    """``text`` in lower case, where a case-blind match of a lower-case ASCII pattern is a
    match with case (None when ``text`` holds one of the ``_CASE_ODD`` letters)."""
    global _LAST_LOWERED
    last = _LAST_LOWERED
    if last[0] is text:
        return last[1]
    low = text.lower() if text.isascii() or not any(c in text for c in _CASE_ODD) else None
    _LAST_LOWERED = (text, low)
    return low


def _has(text: str, pattern: re.Pattern, words: tuple[str, ...]) -> bool:
    """Whether the case-blind ``pattern`` (written in lower case) occurs in ``text``, which it
    can only where one of ``words`` (lower case) does. A look for the words in the
    lower-cased text says no at C speed, and the pattern is then looked for there with case
    (a case-blind search tries every blank or letter, and beyond Latin-1 compares them
    through Unicode's tables); text with a letter that a case-blind match takes for an ASCII
    one but lower-casing does not ("ſ" for "s") is searched as it is."""
    low = _lowered(text)
    if low is not None:
        if not any(w in low for w in words):
            return False
        cased = _CASED.get(pattern)
        if cased is None:
            cased = _CASED[pattern] = re.compile(pattern.pattern, pattern.flags & ~re.I)
        return cased.search(low) is not None
    return pattern.search(text) is not None


#: The case-blind patterns of ``_has`` compiled with case, for lower-cased text.
_CASED: dict[re.Pattern, re.Pattern] = {}


def _plural_cued(text: str, picks: list) -> set[int]:
    """The picks named in a list that a plural first-level cue closes ("Idlib and Hama
    provinces", "the Kherson and Zaporizhzhia regions")."""
    out: set[int] = set()
    if not _has(text, _PLURAL_CUE, _PLURAL_WORDS):
        return out
    for k, (sp, _r, _c) in enumerate(picks):
        if _PLURAL_CUE.match(text, sp.end):
            out.add(k)
            while k and _joined(text, picks, k - 1, k):
                k -= 1
                out.add(k)
    return out


def _joined(text: str, picks: list, a: int, b: int) -> bool:
    """Whether picks ``a`` and ``b`` (next to each other) are items of one list."""
    return 0 <= a and b < len(picks) and _LIST.match(
        text[picks[a][0].end:picks[b][0].start]) is not None


def _line_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] == "\n"


def _member(rec: Record, seat: Record) -> bool:
    return rec.kind in _PLACES and rec.country == seat.country and rec.admin1 == seat.admin1


def _urban(rec: Record, seat: Record) -> bool:
    reach = URBAN_KM_PER_DECADE * math.log10(max(seat.pop, 1000) / 1000)
    reach = min(URBAN_KM[1], max(URBAN_KM[0], reach))
    return rec.kind == "neighbourhood" or km(rec.lat, rec.lon, seat.lat, seat.lon) <= reach


def settle(text: str, picks: list[tuple[Span, Record, float]]) -> list[tuple[Span, Record, float]]:
    """Choose between a division and its seat for every name that is both.

    Parameters
    ----------
    text : str
        The text the spans index.
    picks : list of (span, record, certainty)
        The resolver's picks in text order (``geo.resolve.resolve``).

    Returns
    -------
    list of (span, record, certainty)
        The same picks, with the seat or the division swapped in where the text says which
        (see the module docstring); certainty is kept.
    """
    found: dict[tuple[int, int], tuple[Record, Record] | None] = {}
    todo: list[tuple[int, Span, tuple[Record, Record]]] = []
    keys: dict[int, set[str]] = {}  # the names that are a reading of each seat
    swaps: dict[int, Record] = {}
    plural: set[int] | None = None  # worked out at the first name that is both
    for i, (sp, rec, _c) in enumerate(picks):
        if rec.kind not in _READABLE:
            continue
        # one verdict per (name, pick): a name repeated all through a text is looked at once
        fkey = (id(sp.cands), id(rec))
        if fkey in found:
            pair = found[fkey]
        else:
            twins = _twins(sp.cands)
            pair = found[fkey] = twins if twins is not None and _is_twin(rec, twins[0]) \
                else None
        if pair is None:
            continue
        if plural is None:
            plural = _plural_cued(text, picks)
        if i in plural:
            if rec.kind != "admin1":
                swaps[i] = pair[1]
            continue
        if sp.kind_cue:  # a kind cue has spoken ("Idlib governorate", "Homs city")
            if sp.kind_cue in _FIRST_LEVEL and rec.kind != "admin1":
                swaps[i] = pair[1]  # the governorate, not its district of the same name
            continue
        todo.append((i, sp, pair))
        keys.setdefault(pair[0].rid, set()).add(sp.key)
    if not todo:
        return [(sp, swaps.get(i, rec), c) for i, (sp, rec, c) in enumerate(picks)] \
            if swaps else picks
    counts: dict[int, tuple[int, int]] = {}
    # Without another place of the division named, only the words at the name can speak
    # (countryside, a part of the city, a dateline): a name with none of them is skipped
    # without a look at its surroundings, which keeps a name repeated all through a text cheap.
    countryside = _has(text, _ANY_COUNTRYSIDE, ("countryside", "ريف"))
    for i, sp, (seat, division) in todo:
        members = counts.get(seat.rid)
        if members is None:
            members = counts[seat.rid] = _members(picks, seat, keys[seat.rid])
        if members == (0, 0) and not countryside and not sp.qualifier \
                and not sp.surface.isupper():
            continue
        reading = _reading(text, i, picks, seat, division, members)
        if reading is not None and reading is not picks[i][1]:
            swaps[i] = reading
    if not swaps:
        return picks
    return [(sp, swaps.get(i, rec), c) for i, (sp, rec, c) in enumerate(picks)]


def _members(picks: list[tuple[Span, Record, float]], seat: Record,
             names: set[str]) -> tuple[int, int]:
    """(places of the seat's division away from it, places at or in it) the text names, each
    distinct place once; the spans of the name itself (``names``: their keys) do not count."""
    rural: set[int] = set()
    urban: set[int] = set()
    for sp, rec, _c in picks:
        if rec.rid in rural or rec.rid in urban or sp.key in names or rec is seat \
                or not _member(rec, seat):
            continue
        (urban if _urban(rec, seat) else rural).add(rec.rid)
    return len(rural), len(urban)
