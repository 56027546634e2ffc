"""Geocoder mentions → the ids a scenario knows (units, aliases, areas, named places,
corridors, crossings), or an unmapped place with the geocoder's coordinates.

The order of the tests is the rule (also in layers/propose/README.md):

1. a qualified name the scenario knows as one place ("eastern Aleppo");
2. the geocoder's own record, when the scenario uses it (or it is an alias of scenario units);
3. a name the scenario uses for one of its places (the pack says "pl-madaya" where the
   gazetteer found the sub-district of the same name);
4. a pack area whose name contains the place's name ("Handarat camp" → the Handarat camp
   sector);
5. for a small place (site, crossing, road point), the pack unit or area it lies in — marked
   ambiguous, because the report named something smaller;
6. otherwise unmapped, with the geocoder's coordinates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.mention import Mention
from geo.normalize import fold

from .model import UnmappedPlace

#: Geocoder kinds small enough to stand for the pack place they lie in (rule 5).
_SMALL = {"site", "crossing", "road", "neighbourhood"}
_ACCESS_KINDS = {"road", "crossing"}
_TOKEN = re.compile(r"[\w']+")
_JOIN = re.compile(r"[\s-]+")           # what may stand between the words of a name
_JOINS_ONLY = re.compile(r"[\s-]*")
#: Geocoder kinds too large to stand for a pack area that merely mentions them.
_BIG = {"city", "country", "admin1", "admin2", "admin3"}


@dataclass(frozen=True, slots=True)
class Target:
    """What one mention stands for in the scenario."""

    mention: Mention
    ids: tuple[str, ...]            # scenario ids (events use these); empty when unmapped
    access: tuple[str, ...]         # corridor / crossing ids (or the road's place id)
    is_access: bool                 # a road, crossing or corridor
    unmapped: UnmappedPlace | None
    ambiguous: bool = False         # several candidates, or a place standing for a larger one
    foreign: bool = False           # outside the scenario's country and not in the scenario
    control: tuple[str, ...] = ()   # the ids control and siege changes are recorded on


@dataclass(slots=True)
class PlaceIndex:
    """The scenario's places by folded name, built once per scenario (cached on it)."""

    known: set[str] = field(default_factory=set)          # every id the scenario can take
    controllable: set[str] = field(default_factory=set)   # ids control/siege records use
    names: dict[str, tuple[str, float, float]] = field(default_factory=dict)  # name -> id, point
    scan_keys: dict[str, tuple[str, float, float]] = field(default_factory=dict)
    scan_first: set[str] = field(default_factory=set)     # first words of those names
    scan_longest: int = 0                                  # words in the longest name
    by_name: dict[str, set[str]] = field(default_factory=dict)
    area_names: dict[str, str] = field(default_factory=dict)  # area id -> folded name
    access_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # place -> corridors
    access_ids: set[str] = field(default_factory=set)      # corridor/crossing/road ids
    units_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    country: str = ""


def _add_name(index: PlaceIndex, name: str, pid: str) -> None:
    key = fold(name)
    if key:
        index.by_name.setdefault(key, set()).add(pid)


def _add_scan_name(index: PlaceIndex, name: str, pid: str, lat: float, lon: float) -> None:
    name = " ".join(name.replace("’", "'").split())
    if len(name) >= 4 and name.lower() not in index.names:
        index.names[name.lower()] = (pid, lat, lon)


def scan_names(text: str, idx: PlaceIndex, mentions: list[Mention]) -> list[Mention]:
    """Add the scenario's own names the gazetteer lacks ("Dahiyat al-Assad", a pack area's
    name), and let a longer scenario name replace a shorter mention inside it ("Ramouseh" in
    "Ramouseh military academies"). Returns the mentions in text order."""
    if not idx.scan_keys:
        return mentions
    from bisect import bisect_left

    starts = [x.start for x in mentions]  # geocoder mentions: in order, non-overlapping
    dropped: set[int] = set()
    added: list[Mention] = []
    toks = [(m.start(), m.end(), m.group(0).lower()) for m in _TOKEN.finditer(
        text.replace("’", "'"))]
    i = 0
    while i < len(toks):
        found = None
        if toks[i][2] in idx.scan_first:
            for n in range(min(idx.scan_longest, len(toks) - i), 0, -1):
                run = toks[i:i + n]
                if any(not _JOIN.fullmatch(text[a[1]:b[0]]) for a, b in
                       zip(run, run[1:], strict=False)):
                    continue
                hit = idx.scan_keys.get(" ".join(t[2] for t in run))
                if hit is not None:
                    found = (run[0][0], run[-1][1], hit, n)
                    break
        if found is None:
            i += 1
            continue
        a, b, (pid, lat, lon), n = found
        j = max(0, bisect_left(starts, a) - 1)
        inside = []
        while j < len(mentions) and mentions[j].start < b:
            if a < mentions[j].end:
                inside.append(j)
            j += 1
        i += n
        if any(mentions[k].end - mentions[k].start >= b - a for k in inside):
            continue  # the geocoder's reading is as long: keep it
        dropped.update(inside)
        added.append(Mention(a, b, text[a:b], None, text[a:b], lat, lon, "site", idx.country,
                             0.8, pid))
    if not added:
        return mentions
    out = [x for j, x in enumerate(mentions) if j not in dropped] + added
    out.sort(key=lambda x: x.start)
    return out


def build_index(scenario) -> PlaceIndex:
    """Collect the ids and names of everything ``scenario`` can record a change on."""
    cached = scenario.cache.get("propose_places")
    if cached is not None:
        return cached
    from geo.places import load_places

    table = load_places()
    idx = PlaceIndex(country=scenario.manifest.country)
    units = set(scenario.units)
    for r in scenario.control:
        idx.known.add(r.place)
        idx.units_of[r.place] = r.units
        for u in r.units:
            idx.known.add(u)
            idx.units_of.setdefault(u, (u,))
    for s in scenario.sieges:
        idx.known.update(s.places)
        idx.controllable.update(s.places)
        for p in s.places:
            idx.units_of.setdefault(p, table[p].units if p in table and table[p].units else (p,))
    idx.known.update(scenario.areas)
    for e in scenario.events:
        if e.place:
            idx.known.add(e.place)
    for c in scenario.corridors:
        idx.access_ids.add(c.id)
        if c.place:
            idx.known.add(c.place)
            idx.access_of[c.place] = idx.access_of.get(c.place, ()) + (c.id,)
        _add_name(idx, c.name, c.id)
    for c in scenario.crossings:
        idx.access_ids.add(c.id)
        if c.place:
            idx.known.add(c.place)
            idx.access_of[c.place] = idx.access_of.get(c.place, ()) + (c.id,)
    # alias places whose units the scenario draws ("Tariq al-Bab" → two units)
    for pid, place in table.items():
        if place.units and units and set(place.units) <= units:
            idx.known.add(pid)
            idx.controllable.add(pid)
            idx.units_of[pid] = place.units
    for pid in idx.known:
        place = table.get(pid)
        if place is not None:
            for n in (place.name, *place.names):
                _add_name(idx, n, pid)
                _add_scan_name(idx, n, pid, place.lat, place.lon)
    for aid, area in scenario.areas.items():
        idx.area_names[aid] = fold(area.name)
        geom = scenario.geometries.get(aid)
        pt = geom.representative_point() if geom is not None else None
        lat, lon = (pt.y, pt.x) if pt is not None else (0.0, 0.0)
        _add_name(idx, area.name, aid)
        _add_scan_name(idx, area.name, aid, lat, lon)
        for part in re.split(r"[,:;]| and ", area.name):
            part = part.strip()
            if len(part) > 3 and fold(part) not in idx.by_name:  # a place's own name wins
                _add_name(idx, part, aid)
                _add_scan_name(idx, part, aid, lat, lon)
    for pid in idx.known:
        idx.units_of.setdefault(pid, (pid,))
    idx.controllable.update(r.place for r in scenario.control)
    idx.controllable.update(u for r in scenario.control for u in r.units)
    idx.controllable.update(scenario.areas)
    for name, hit in idx.names.items():
        words = _TOKEN.findall(name)
        if words and _JOINS_ONLY.fullmatch(_TOKEN.sub("", name)):  # plain names only
            idx.scan_keys[" ".join(words)] = hit
            idx.scan_first.add(words[0])
            idx.scan_longest = max(idx.scan_longest, len(words))
    scenario.cache["propose_places"] = idx
    return idx


def _area_by_name(idx: PlaceIndex, names: tuple[str, ...]) -> str | None:
    """The one pack area whose name contains one of ``names`` as whole words."""
    for n in names:
        key = fold(n)
        if len(key) < 4:
            continue
        hits = [aid for aid, an in idx.area_names.items()
                if re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", an)]
        if len(hits) == 1:
            return hits[0]
    return None


def _containing(scenario, m: Mention) -> tuple[str, ...]:
    """The control units/areas of the scenario whose polygon holds the mention's point."""
    if scenario.unit_geoms is None or not len(scenario.units):
        return ()
    import shapely

    hits = shapely.contains_xy(scenario.unit_geoms, m.lon, m.lat)
    return tuple(u for u, h in zip(scenario.units, hits, strict=True) if h)


def map_mention(scenario, idx: PlaceIndex, m: Mention) -> Target:
    """Map one geocoder mention to the scenario's ids (see the module docstring)."""
    ids: tuple[str, ...] = ()
    ambiguous = False
    if m.qualifier:
        hit = idx.by_name.get(fold(f"{m.qualifier} {m.text}"))
        if hit and len(hit) == 1:
            ids = tuple(hit)
    if not ids and m.source in idx.known:
        ids = (m.source,)
    if not ids:
        for key in (fold(m.text), fold(m.name)):
            hit = idx.by_name.get(key)
            if hit:
                ids = tuple(sorted(hit))
                ambiguous = len(hit) > 1
                break
    if not ids and m.kind not in _BIG:
        area = _area_by_name(idx, (m.name, m.text))
        if area:
            ids = (area,)
    if not ids and m.kind in _SMALL and m.country == idx.country:
        inside = _containing(scenario, m)
        if len(inside) == 1:
            ids, ambiguous = inside, True
    access: tuple[str, ...] = ()
    for pid in ids:
        access += idx.access_of.get(pid, (pid,) if pid in idx.access_ids else ())
    if len(access) > 1:  # several corridors on one road: the one named as the report names it
        named = idx.by_name.get(fold(m.text), set()) | idx.by_name.get(fold(m.name), set())
        access = tuple(a for a in access if a in named) or access
    is_access = bool(access) or m.kind in _ACCESS_KINDS
    if is_access and not access and ids:
        access = ids
    control = tuple(i for i in ids if i in idx.controllable)
    if ids and not control and m.kind not in _BIG:
        area = _area_by_name(idx, (m.name, m.text))
        if area:
            control = (area,)
        else:
            inside = _containing(scenario, m)
            if len(inside) == 1:
                control = inside
                ambiguous = True
    unmapped = None
    if not ids:
        unmapped = UnmappedPlace(m.text, m.start, m.end, m.name, m.lat, m.lon, m.kind,
                                 m.country, m.source)
    foreign = not ids and bool(idx.country) and m.country != idx.country
    return Target(m, ids, access, is_access, unmapped, ambiguous, foreign, control)


def expand_units(idx: PlaceIndex, ids: tuple[str, ...] | list[str]) -> set[str]:
    """The units (or the ids themselves) a set of scenario ids stands for."""
    out: set[str] = set()
    for pid in ids:
        out.update(idx.units_of.get(pid, (pid,)))
    return out
