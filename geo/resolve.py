"""Choose one place for each recognised span, using the whole text.

Score of a candidate (higher wins; see ``geo/README.md``):

- prior by kind and size: country 10; continent or curated region 9 (a curated site 8);
  first-level division ``4 + 0.6 × log10(population + 1)`` (population: its own, else the sum
  of its GeoNames towns'); a Syrian admin unit of the place table 4.5–6, a neighbourhood, road,
  crossing or site 4 (+ ``0.3 × log10(population + 1)``); a city or US county
  ``1.4 × log10(population + 1)``
  (Aleppo 8.9, a town of 5,000 5.2; a GeoNames town with no population counts as 2,000), +1.5
  for a national capital; a division of ``data/geo/regions.csv`` 6 (it is named like its
  seat: "Jenin" is the town);
- name quality: +1 for the record's own name or a listed abbreviation, −1 for a derived form
  (article dropped), +1 when the surface equals the record's name ignoring case and accents;
- context: the text's countries (named, or via demonyms) weighted by their share of the text's
  country mentions (``0.5 + 2 × share``); a town in one of the text's first-level divisions
  (+2.5); a division named with other divisions of its country (+2, "Alabama, Georgia and
  Florida"); a division that holds a confidently placed town the text names (+2.5, "Georgia"
  beside Atlanta; not for a division named like a town of its own), and a country that holds
  towns or divisions the text places confidently (+2.5: "Georgia" beside Tbilisi and
  Batumi); an admin cue right after
  the name ("Paris, Texas": +8 for a division, +5 for a country) and, the other way round, +4
  for the division or country that holds the name before the comma ("Albany, New York" is the
  state); a locator ("Tripoli in northern Lebanon", "Lebanon's Tripoli", "the Lebanese city of
  Tripoli": +8 for the country's candidates); the name and its kind word as the record's own
  name form ("Gaza governorate": +3); a kind cue ("Aleppo province": divisions +3, cities −2);
  nearness to the text's other confidently placed names (+1.5 within about 1°–2°, +0.7 within
  about 5°–10°: grid cells, so the cost stays flat on long texts); curated places when the text
  is about their country (+4: Aleppo's neighbourhoods win in a report about Aleppo);
- a division that shares its name with a city of 10,000+ within 100 km yields to it (−3):
  "Aleppo" is the city unless a kind cue says "province".

The weak cues (country share, nearness) are scaled by ``(pop / biggest namesake's pop) ** 0.3``
for a place with a much bigger namesake, so "Geneva" stays Swiss in a text about US diplomats
while "Paris, Texas" (an admin cue, not scaled) still wins locally.

Resolution runs twice: the first pass gives the text's countries, divisions and confident
points; the second pass scores with them. Some picks are dropped as too weak (see ``_weak``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping

from geo.gazetteer import Record
from geo.normalize import plain
from geo.recognize import Span, is_locator

_KIND_PRIOR = {"country": 10.0, "region": 9.0, "admin1": 6.0, "admin2": 5.0, "admin3": 5.0}
_CURATED_PRIOR = {"admin1": 6.0, "admin2": 5.0, "admin3": 4.5, "neighbourhood": 4.0,
                  "road": 4.0, "crossing": 4.0, "site": 4.0, "city": 5.0, "region": 5.0}
_ADMIN_CUE_KINDS = frozenset({"province", "governorate", "state", "county", "region", "district",
                              "prefecture", "oblast", "department", "zone", "raion", "rayon",
                              "division", "subdivision"})
# (a woreda, township, hromada, cercle or LGA is named like its seat, which is the place to
# show when no division of that name is listed: those cues favour neither)
_TOWN_CUES = frozenset({"city", "town", "village"})


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def prior(rec: Record) -> float:
    """Context-free score of a record: kind and population (+ ``rec.boost``: the user's own
    gazetteers win over the world's places of the same name). Kept on the record: a name's
    candidates are scored in every text that names it."""
    p = rec.prior
    if p is None:
        p = rec.prior = _prior(rec) + rec.boost if rec.boost else _prior(rec)
    return p


def _prior(rec: Record) -> float:
    if rec.source.startswith("region:"):  # data/geo/regions.csv: named by their full name
        # (a division there — the Palestinian governorates — is named like its seat, which
        # a bare mention means: "Jenin" is the town, "Jenin governorate" the division)
        return 9.0 if rec.kind == "region" else 6.0 if rec.kind == "admin2" else 8.0
    if rec.curated and not rec.source.startswith("geonames:") and rec.kind != "region":
        return _CURATED_PRIOR.get(rec.kind, 4.0) + 0.3 * math.log10(rec.pop + 1)
    if rec.kind == "city":
        return POP_SLOPE * math.log10(_pop(rec) + 1) + (CAPITAL if rec.capital else 0.0)
    if rec.kind == "admin1":
        return ADMIN1_BASE + ADMIN1_SLOPE * math.log10(rec.pop + 1)
    if rec.kind == "admin2":  # GeoNames counties: sized like towns
        return POP_SLOPE * math.log10(rec.pop + 1)
    return _KIND_PRIOR.get(rec.kind, 4.0)


def _pop(rec: Record) -> int:
    """A town's population for ranking: GeoNames gives 0 for the seats of divisions whose
    population it does not know (Qa'tabah, the seat of a Yemeni district), which is no
    hamlet: such a town counts as ``UNKNOWN_TOWN_POP``."""
    return rec.pop or (UNKNOWN_TOWN_POP if rec.kind == "city" else 0)


def name_score(rec: Record, how: int, surface: str, plain_surface: str | None = None) -> float:
    """How well the text names the record: +1 for its own name or a listed abbreviation, -1
    for a derived form (article dropped), +1 more when ``surface`` is the record's name but
    for case and accents (``plain_surface``: ``plain(surface)``, when known already)."""
    s = 1.0 if how in (0, 3) else (-1.0 if how == 2 else 0.0)
    if (plain_surface if plain_surface is not None else plain(surface)) == plain(rec.name):
        s += 1.0
    return s


#: Cells of the nearness tallies are numbered row * _ROW + column: an int key, not a tuple
#: (no tuple to make and hash per look-up); columns stay within ±181, so numbers never meet.
_ROW = 1024
#: The steps from a cell's number to its own and its eight neighbours' numbers.
_AROUND = tuple(di * _ROW + dj for di in (-1, 0, 1) for dj in (-1, 0, 1))


def _cell(lat: float, lon: float, size: float) -> int:
    return math.floor(lat / size) * _ROW + math.floor(lon / size)


class Context:
    """What the whole text says about where it is."""

    def __init__(self, countries: dict[str, float], demonym_ccs: set[str]) -> None:
        """``countries``: for each country code, how many spans' likeliest reading out of
        context is that country (the first pass's guess at what the text is about)."""
        self.demonym_ccs = demonym_ccs
        cc: dict[str, float] = defaultdict(int, countries)
        self._set_countries(cc)
        self.admin1: set[str] = set()
        # (tallies are defaultdicts: a Counter costs five times as much to make, and every
        # text makes ten of them, which showed on short texts)
        self.admin1_cc: dict[str, float] = defaultdict(int)  # confident divisions per country
        self.own_admin1: dict[int, str] = {}
        # first-level codes of confidently placed towns, with the spans that placed them
        self.town_admin1: dict[str, set[int]] = {}
        # the same by country: towns and divisions placed with confidence in each country
        self.town_cc: dict[str, set[int]] = {}
        # cells by number (``_cell``): 1° cells, confident points; each point once; 5° cells
        self.near: dict[int, float] = {}
        self.near_places: dict[int, float] = {}
        self.far: dict[int, float] = {}
        self.own: dict[int, tuple[float, float]] = {}
        #: the record each wire dateline's name was placed at ("PERU, Ind."), by plain name
        self.datelines: dict[str, int] = {}
        #: span number -> the point of the place it lies near ("X near Y"), from round one
        self.near_of: dict[int, tuple[float, float]] = {}
        #: (country, first-level code) of a dateline's town: the story is local there
        self.local: tuple[str, str] | None = None

    def _set_countries(self, cc: dict[str, float]) -> None:
        for c in self.demonym_ccs:
            cc[c] += 0.5
        total = sum(cc.values()) or 1
        self.country_share = {c: n / total for c, n in cc.items()}

    def update(self, picks: list[tuple[int, Span, Record, float, int]]) -> None:
        """Second pass: take the countries, divisions and points of the first pass's picks:
        (span number, span, record, certainty, how many spans of the text took that pick —
        a repeated name is worked out once and counts as often as it is written)."""
        cc: dict[str, float] = defaultdict(int)
        self.admin1 = set()
        self.admin1_cc = defaultdict(int)
        self.own_admin1 = {}
        self.town_admin1 = {}
        self.town_cc = {}
        points = {}
        weights: dict[tuple[float, float], float] = defaultdict(int)
        for i, sp, r, share, n in picks:
            if sp.dateline:
                self.datelines[plain(sp.surface)] = r.rid
                if r.kind == "city" and r.admin1:
                    self.local = (r.country, r.admin1)
            if r.kind == "country":
                cc[r.country] += 1.0 * n
            elif r.kind == "admin1":
                cc[r.country] += 0.5 * n
                if r.admin1 and share > 0.6:
                    self.admin1.add(r.admin1)
                    if not _city_twins(sp):  # "Texas", not "Idlib" (also a city)
                        self.admin1_cc[r.country] += n
                        self.own_admin1[i] = r.country
                    self.town_cc.setdefault(r.country, set()).add(i)
            elif r.country and share > 0.6:
                cc[r.country] += 0.5 * n
                if r.kind in _TOWN_KINDS:
                    self.town_cc.setdefault(r.country, set()).add(i)
                    if r.admin1:
                        self.town_admin1.setdefault(r.admin1, set()).add(i)
            if share > 0.8 and r.kind not in ("country", "region"):
                points[i] = (r.lat, r.lon)
                weights[(r.lat, r.lon)] += n
        self._set_countries(cc)
        self.set_anchors(points, weights)

    def set_anchors(self, points: dict[int, tuple[float, float]],
                    weights: dict[tuple[float, float], float] | None = None) -> None:
        """Points of confidently placed spans (by span number) for the nearness bonus, and how
        many spans stand at each point (default: one per entry of ``points``)."""
        self.own = points
        self.near.clear()
        self.near_places.clear()
        self.far.clear()
        tallied: Mapping[tuple[float, float], float] = \
            Counter(points.values()) if weights is None else weights
        # each cell holds the points of its own and its eight neighbouring cells, so a look-up
        # is one get (a repeated place counts once per span at it); the points are first
        # tallied by cell, as the places of one text lie in few cells
        # (plain dicts and get: a defaultdict's missing key costs a call back into Python in
        # the compiled module, a thousand instructions a cell)
        places: dict[int, float] = {}
        near: dict[int, float] = {}
        far: dict[int, float] = {}
        for (lat, lon), k in tallied.items():
            cell = _cell(lat, lon, 1.0)
            places[cell] = places.get(cell, 0) + 1
            near[cell] = near.get(cell, 0) + k
            cell = _cell(lat, lon, 5.0)
            far[cell] = far.get(cell, 0) + k
        for tally, cells in ((places, self.near_places), (near, self.near), (far, self.far)):
            for cell, k in tally.items():
                for step in _AROUND:
                    around = cell + step
                    cells[around] = cells.get(around, 0) + k

    def _count(self, cells: dict, lat: float, lon: float, size: float, idx: int) -> float:
        ci, cj = math.floor(lat / size), math.floor(lon / size)
        n = cells.get(ci * _ROW + cj, 0)
        own = self.own.get(idx)
        if own and abs(math.floor(own[0] / size) - ci) <= 1 \
                and abs(math.floor(own[1] / size) - cj) <= 1:
            n -= 1
        return n

    def score(self, rec: Record, sp: Span, nxt: Span | None, idx: int,
              maxpop: int = 0, prv: Span | None = None, big: Record | None = None) -> float:
        s = 0.0
        # the weak cues (country share, nearness) count less for a town whose namesake is
        # many times bigger: "Geneva" in a text about US diplomats is still Switzerland's
        weak = 1.0
        if rec.kind in ("city", "admin1") and maxpop > rec.pop:
            weak = (((rec.pop or _pop(rec)) + 1) / maxpop) ** SMALL_EXP
        share = self.country_share.get(rec.country)
        if share:
            s += (CTX_BASE + CTX_SHARE * share) * weak
            if rec.curated and rec.kind not in ("country", "region", "admin1", "admin2",
                                                "admin3"):
                s += 4.0
        if rec.admin1 and rec.admin1 in self.admin1 and rec.kind != "admin1":
            s += 2.5
        if rec.kind == "admin1" and self.admin1_cc.get(rec.country, 0) - \
                (1 if self.own_admin1.get(idx) == rec.country else 0) > 0:
            s += SIBLING  # "Alabama, Georgia and Florida": divisions named with their peers
        if rec.kind == "admin1" and rec.admin1 and \
                self.town_admin1.get(rec.admin1, _NONE) - {idx} and not any(
                    c.kind == "city" and c.admin1 == rec.admin1 and c.pop >= 10_000
                    for c, _h in sp.cands):
            # a division that holds a town the text names: "Georgia" beside Atlanta is the
            # state, "Punjab" beside Lahore Pakistan's (a division named like a town of its
            # own is left to geo.divisions: "New York" beside Buffalo may still be the city)
            s += HOLDS_TOWN
        if rec.kind == "country" and self.town_cc.get(rec.country, _NONE) - {idx}:
            # a country that holds towns the text names, as a division does: "Georgia"
            # beside Tbilisi and Batumi is the country, though Savannah, Georgia is named too
            s += HOLDS_TOWN
        if nxt is not None and (sp.comma_next or sp.in_gap) and nxt.cue_end \
                and _placed_by(sp, nxt):
            # "Paris, Texas", "Tripoli in northern Lebanon": the division or country after
            # the name holds it
            for r, _h in nxt.cands:
                if r.kind == "admin1" and rec.admin1 and rec.admin1 == r.admin1 \
                        and rec.kind != "admin1":
                    s += 8.0
                    break
                if r.kind == "admin2" and rec.kind in _TOWN_KINDS and rec.country == r.country \
                        and not nxt.comma_next and not (prv is not None and prv.comma_next
                                                        and sp.start == prv.end + 2) \
                        and km(rec.lat, rec.lon, r.lat, r.lon) <= COUNTY_KM:
                    # "Boston, Lincolnshire", "Bethel, Oxford County": a county or district
                    # (no code of its own on a town's record: the town lies near its point),
                    # outside a list of towns ("Norway, Paris, Oxford, Waterford")
                    s += 8.0
                    break
                if r.kind == "country" and rec.country == r.country and rec.kind != "country":
                    # (after " in " the country is surely the name's; after ", " it may
                    # begin a list: "Tripoli, Lebanon and Syria")
                    s += LOCATOR if sp.in_gap and nxt.start == sp.end + sp.in_gap else 5.0
                    break
        if prv is not None and prv.comma_next and sp.start == prv.end + 2 and sp.cue_end \
                and rec.kind in ("admin1", "country"):
            # the second half of "Albany, New York": the division that holds the first name
            if any((r.admin1 == rec.admin1 if rec.kind == "admin1" else r.country == rec.country)
                   and r.kind not in ("admin1", "country") for r, _h in prv.cands):
                s += 4.0
        if prv is not None and sp.poss and prv.end == sp.start - 3 and rec.kind != "country":
            # "Lebanon's Tripoli", "Pakistan's Sindh province"
            for r, _h in prv.cands:
                if r.kind == "country" and rec.country == r.country or (
                        r.kind == "admin1" and rec.admin1 and rec.admin1 == r.admin1
                        and rec.kind != "admin1"):
                    s += LOCATOR
                    break
        if sp.place_cc and rec.country == sp.place_cc and rec.kind != "country":
            s += LOCATOR  # "the Lebanese city of Tripoli"
        if self.near_of and (pt := self.near_of.get(idx)) is not None \
                and rec.kind in _TOWN_KINDS and km(rec.lat, rec.lon, pt[0], pt[1]) <= NEAR_KM:
            s += LOCATOR  # "San Vicente near Metetí", "Kutum, 80 km north-west of El Fasher"
        # (a name placed by what follows, or placing what comes before: "Oslo, Norway")
        anew = self.datelines and (sp.place_cc or sp.poss or _placed_anew(sp, nxt) or (
            prv is not None and prv.comma_next and sp.start == prv.end + 2
            and is_locator(sp.cands)))
        if self.datelines and not sp.dateline and not anew \
                and self.datelines.get(plain(sp.surface)) == rec.rid:
            # "PERU, Ind. — … crested in Peru": the story's own town, named again (not where
            # the name is placed anew: "CAMBRIDGE, Mass. — … its laboratory in Cambridge,
            # England")
            s += DATELINE
        if self.local is not None and rec.kind == "city" and rec.admin1 == self.local[1] \
                and rec.country == self.local[0] and not sp.dateline and not anew:
            # a local story ("NORWAY, Maine —") names the towns around its own: "Paris" in
            # it is Paris, Maine, unless the story places it elsewhere
            s += LOCAL_TOWN
        if sp.kind_cue:
            if sp.kind_cue in _ADMIN_CUE_KINDS:
                if rec.kind not in ("admin1", "admin2", "admin3"):
                    s -= ADMIN_CUE_TOWN
                elif sp.cue_level is None or sp.cue_level == rec.kind \
                        or sp.cue_level == "admin1":
                    # (an Arabic noun names its level: "قضاء سنجار", the Iraqi district, is
                    # no Syrian sub-district "ناحية")
                    s += 3.0
            elif rec.kind == "city" and sp.kind_cue in _TOWN_CUES:
                s += 1.0
            elif sp.kind_cue in ("river", "island"):  # "the Blue Nile river": not the state
                s += 3.0 if rec.kind == "region" else -2.0
        if self.own and rec.kind not in ("country", "region"):
            if self._count(self.near, rec.lat, rec.lon, 1.0, idx):
                n = 1.0
                if weak < 1.0 and rec.kind == "city" and big is not None \
                        and km(rec.lat, rec.lon, big.lat, big.lon) > FAR_NAMESAKE_KM:
                    # a town whose bigger namesake is far away: each other place named near
                    # the town counts, up to NEAR_MAX ("York" beside Harrogate, Ripon and
                    # Skipton is not Toronto's York Region)
                    n = max(1.0, min(self._count(self.near_places, rec.lat, rec.lon, 1.0, idx),
                                     NEAR_MAX))
                s += NEAR * n * weak
            elif self._count(self.far, rec.lat, rec.lon, 5.0, idx):
                s += 0.7 * weak
        return s


def _placed_anew(sp: Span, nxt: Span | None) -> bool:
    """Whether a division or country right after the name places it ("Cambridge, England")."""
    return nxt is not None and nxt.cue_end and _placed_by(sp, nxt) and is_locator(nxt.cands)


def _placed_by(sp: Span, nxt: Span) -> bool:
    """Whether ``nxt`` follows ``sp`` as its place: after ", " ("Paris, Texas") or after
    " in " and maybe a direction ("Tripoli in northern Lebanon")."""
    return (sp.comma_next and nxt.start == sp.end + 2
            or sp.in_gap > 0 and nxt.start == sp.end + sp.in_gap)


_TOWN_KINDS = frozenset({"city", "admin2", "admin3", "neighbourhood"})
_NONE: frozenset[int] = frozenset()


def _city_twins(sp: Span) -> list[Record]:
    return [r for r, h in sp.cands if r.kind == "city" and r.pop >= 10_000 and h != 2]


def resolve(spans: list[Span], demonym_ccs: set[str]) -> list[tuple[Span, Record, float]]:
    """Pick a record per span; returns (span, record, certainty) in text order.

    Certainty is the logistic of the score margin between the pick and the best rival more
    than 50 km from it (1.0 when there is none; 0.5 for a tie).

    A division that shares its name with a city of 10,000+ within 100 km ("Aleppo" the
    governorate and the city) loses 3 points unless a kind cue ("province") follows.
    """
    places = [sp for sp in spans if sp.demonym is None]
    # context-free part of each candidate's score, once per distinct name, with the name's
    # likeliest reading out of context (which gives the first pass its countries); the
    # weakest candidates of very common names ("Paris": 50 records) are dropped before the
    # context
    static_of: dict[tuple, tuple[list[tuple[float, Record, int]], Record | None,
                                 Record | None]] = {}
    statics = []
    countries: dict[str, float] = defaultdict(int)
    for sp in places:
        skey = (sp.surface, sp.key, sp.kind_cue, sp.the_before)
        hit = static_of.get(skey)
        if hit is None:
            hit = static_of[skey] = _static(sp)
        statics.append(hit)
        if hit[2] is not None and hit[2].kind == "country":
            countries[hit[2].country] += 1
    ctx = Context(countries, demonym_ccs)
    n = len(places)
    # A repeated name gets the same answer: long texts stay linear. Each span takes the
    # answer of the first span of the same name (surface, key, kind cue, tokens), in both
    # rounds: work out the first ones, then hand the answers out. A span in an admin cue
    # ("Paris, Texas") is scored with its neighbour's candidates too, so its name counts as
    # the same only with the same neighbour in the same place ("Idlib, Hama, " repeated is
    # still worked out once, not once per span).
    first: dict[tuple, int] = {}
    todo: list[int] = []
    src: list[int] = []  # for each span, the span whose answer it takes
    prv: Span | None = None
    for i, sp in enumerate(places):
        nxt = places[i + 1] if i + 1 < n else None
        after = (id(nxt.cands), nxt.cue_end) if nxt is not None and (
            (sp.comma_next or sp.in_gap) and _placed_by(sp, nxt)
            or sp.near_gap and nxt.start == sp.end + sp.near_gap) else None
        before = id(prv.cands) if prv is not None and (
            prv.comma_next and sp.start == prv.end + 2
            or sp.poss and prv.end == sp.start - 3) else None
        mkey: tuple
        if after is not None or before is not None or sp.place_cc:
            mkey = (sp.surface, sp.key, sp.kind_cue, sp.ntok, sp.cue_end, after, before,
                    sp.place_cc, sp.the_before, sp.feature, sp.cue_level)
        else:
            mkey = (sp.surface, sp.key, sp.kind_cue, sp.ntok, sp.the_before, sp.feature,
                    sp.cue_level)
        j = first.get(mkey)
        if j is None:
            j = first[mkey] = i
            todo.append(i)
        src.append(j)
        prv = sp
    many = Counter(src)  # span number -> how many spans take its answer
    for rnd in range(2):
        answers: dict[int, tuple | None] = {}
        for i in todo:
            sp = places[i]
            nxt = places[i + 1] if i + 1 < n else None
            prv = places[i - 1] if i else None
            row, big, _likely = statics[i]
            if sp.only_cc is not None and max(ctx.country_share.get(c, 0.0)
                                              for c in sp.only_cc) < IN_COUNTRY_SHARE:
                answers[i] = None  # "صور" (pictures) in a text not about Lebanon
                continue
            if len(row) == 1:  # one candidate: it is the pick, with no rival, whatever the
                _s, best, how = row[0]  # context adds to its score
                answers[i] = None if _weak(sp, best, how, ctx) or _far_stand_in(sp, best, ctx) \
                    else (best, 1.0)
                continue
            assert big is not None  # (the most populous of two or more candidates)
            scored = [(s + ctx.score(rec, sp, nxt, i, big.pop, prv, big), rec, how)
                      for s, rec, how in row]
            scored.sort(key=lambda t: -t[0])
            top, best, how = scored[0]
            if _weak(sp, best, how, ctx) and not any(
                    r is not best and h != 2 and (r.curated or r.kind == "admin1" or sp.arabic
                                                  and r.kind in ("admin2", "admin3"))
                    and km(r.lat, r.lon, best.lat, best.lon) < WEAK_TWIN_KM
                    for _s, r, h in scored[1:]):
                # (a weak town is still kept when a first-level division or a curated place
                # of that name lies beside it, or any division for a name in Arabic script:
                # "Jarablus" is also the Syrian sub-district, "مأرب" also a Yemeni district)
                answers[i] = None
                continue
            if _far_stand_in(sp, best, ctx):
                answers[i] = None
                continue
            rival = next((s for s, r, _h in scored[1:]
                          if km(r.lat, r.lon, best.lat, best.lon) > 50), None)
            certainty = 1.0 if rival is None else 1.0 / (1.0 + math.exp(rival - top))
            answers[i] = (best, certainty)
        if rnd == 0:
            ctx.update([(i, places[i], a[0], a[1], many[i]) for i, a in answers.items()
                        if a is not None])
            # "San Vicente near Metetí": where the first round put the place after "near"
            for i in todo:
                sp = places[i]
                if sp.near_gap and i + 1 < n and places[i + 1].start == sp.end + sp.near_gap:
                    a = answers.get(src[i + 1])
                    if a is not None and a[1] > 0.6:
                        ctx.near_of[i] = (a[0].lat, a[0].lon)
    return [(sp, a[0], a[1]) for sp, j in zip(places, src, strict=True)
            if (a := answers[j]) is not None]


def _far_stand_in(sp: Span, best: Record, ctx: Context) -> bool:
    """Whether the pick is a town standing in for a lake, river or island of its name in a
    country the text does not name ("Lake Dunstan" in New Zealand is no town in New York;
    "the Nepean River" of Sydney no suburb of Ottawa). In a country the text is about, the
    town is kept: it mostly lies on its lake or river ("Lake Naivasha", Naivasha)."""
    return sp.feature and best.kind in _TOWN_KINDS and not ctx.country_share.get(best.country)


def _pop_of(t: tuple[float, Record, int]) -> int:
    return t[1].pop


def _static(sp: Span) -> tuple[list[tuple[float, Record, int]], Record | None, Record | None]:
    """The candidates' context-free scores (the best ``MAX_CANDIDATES``), the most populous
    of those (the namesake that weakens the others' cues) and the likeliest reading out of
    context (by prior and name alone, over every candidate)."""
    twins = _city_twins(sp)
    row = []
    ps = plain(sp.surface)
    named = sp.cue_named
    # "the Atlantic", "the Sahel": after "the", a region of that name over the towns (a town
    # takes no article, unless it is part of its name: "The Hague")
    the_region = sp.the_before and any(r.kind == "region" for r, _h in sp.cands)
    likely = None
    top = -math.inf
    for rec, how in sp.cands:
        s = prior(rec) + name_score(rec, how, sp.surface, ps)
        if s > top:
            top, likely = s, rec
        if named and rec.rid in named:
            s += CUE_NAMED  # "Gaza governorate": the division whose name has that form
        if the_region and (rec.kind == "city" and not rec.curated or rec.kind in (
                "admin1", "admin2") and not sp.kind_cue) \
                and not rec.name.lower().startswith("the "):
            s -= THE_TOWN  # (and "the Red Sea" is the sea, not the Egyptian governorate)
        if rec.kind in ("admin1", "admin2", "admin3") and sp.kind_cue not in \
                _ADMIN_CUE_KINDS and any(t.country == rec.country and
                                         km(t.lat, t.lon, rec.lat, rec.lon) < 100
                                         for t in twins):
            s -= 3.0
        if rec.kind == "city" and sp.kind_cue in _ADMIN_CUE_KINDS \
                and sp.kind_cue != "region" and not any(
                r.kind in ("admin1", "admin2", "admin3") and r.country == rec.country
                and km(r.lat, r.lon, rec.lat, rec.lon) < 100 for r, _h in sp.cands):
            # "قضاء سنجار", "Sinjar district" with no district of the name at hand: the town
            # stands for the district it is the seat of, and loses nothing to the kind word
            # (which would hand the name to a division of it in another country)
            s += ADMIN_CUE_TOWN
        row.append((s, rec, how))
    if len(row) > MAX_CANDIDATES:
        row.sort(key=lambda t: -t[0])
        del row[MAX_CANDIDATES:]
    return row, max(row, key=_pop_of)[1] if row else None, likely


def _weak(sp: Span, rec: Record, how: int, ctx: Context) -> bool:
    """A lone word that only names a small place by an alternate spelling, in a text that
    never mentions that place's country, or a name that matches a town only once its article
    is dropped: more likely a word that happens to be a place name."""
    if sp.dateline:
        return False  # "NORWAY, Maine —": the story's own town, however small
    if rec.kind in ("admin1", "admin2") and not rec.curated and not sp.kind_cue \
            and not ctx.country_share.get(rec.country) and plain(rec.name) in COMPASS_NAMES:
        return True  # "North-east" heading a paragraph on Syria is not Botswana's district
    if rec.curated or rec.kind != "city":
        return False
    if how == 2 and rec.pop < 100_000 and not ctx.country_share.get(rec.country):
        # only by dropping or adding an article ("Al Jazeera" -> a town's "Jazira"), in a
        # text that never names the town's country ("Al-Dhale" in a report on Yemen stays)
        return True
    if sp.ntok > 1:
        return False
    if ctx.country_share.get(rec.country):
        return False
    # an Arabic-script name is GeoNames' alternate name of nearly every town ("جنين", Jenin):
    # in Arabic it is the town's own name, not another spelling (frequent words that are
    # also some town's name are turned away before: geo/recognize.py, ``ar_common``)
    alternate = how == 2 or how == 1 and not sp.arabic
    return alternate and rec.pop < WEAK_ALT_POP or rec.pop < WEAK_POP


MAX_CANDIDATES = 30
#: Divisions named by a direction alone ("North-East", "Centre", "Western", "Nord-Ouest"): a
#: word any text may use, so the division only where the text names its country or a kind
#: word follows ("the Centre department", "Northern region").
COMPASS_NAMES = frozenset(
    [f"{a}{sep}{b}" for a in ("north", "south") for b in ("east", "west")
     for sep in ("", "-", " ")]
    + [f"{a}{sep}{b}" for a in ("nord", "sud") for b in ("est", "ouest") for sep in ("-", " ")]
    + [f"centre{sep}{b}" for b in ("nord", "sud", "est", "ouest") for sep in ("-", " ")]
    + "north south east west nord sud est ouest centre center central northern southern "
      "eastern western".split())
#: The share of a text's places in a country that makes an everyday Arabic word of
#: ``data/geo/words/arabic-in-country.txt`` that country's place ("صور", Tyre, in a text a
#: fifth or more of whose places are in Lebanon).
IN_COUNTRY_SHARE = 0.2
WEAK_ALT_POP = 50_000
WEAK_POP = 5_000
WEAK_TWIN_KM = 50.0
POP_SLOPE = 1.4
CTX_BASE = 0.5
CTX_SHARE = 2.0
SMALL_EXP = 0.3
ADMIN1_BASE = 4.0
ADMIN1_SLOPE = 0.6
SIBLING = 2.0
HOLDS_TOWN = 2.5
NEAR = 1.5
NEAR_MAX = 3
FAR_NAMESAKE_KM = 500.0
CAPITAL = 1.5
#: The name and the kind word after it are a record's own name form ("Gaza governorate").
CUE_NAMED = 3.0
#: What the town of the story's dateline gains when the story names it again ("PERU, Ind.
#: — … in Peru"): as much as "the Lebanese city of" gives, so that only such a cue of its own
#: takes the name elsewhere.
DATELINE = 8.0
#: What a town of the dateline's state or province gains in that story ("NORWAY, Maine —
#: … Mexico"): about what a town of 100,000 more people has over it (a local paper names
#: the towns around it; one far away it places: "Paris, France").
LOCAL_TOWN = 4.0
#: What a town loses when a kind word of a division follows its name ("Idlib province"),
#: unless no division of the name lies near it (see ``_static``)
ADMIN_CUE_TOWN = 2.0
#: How far a town may lie from the place it is said to be near, or so many km from (a
#: town "120 km north of" another is further; the bonus only helps it beat namesakes that
#: are much further still).
NEAR_KM = 150.0
#: How far from a county's or district's point a town it holds may lie ("Boston,
#: Lincolnshire": 33 km; English shire counties and US counties are under 100 km across).
COUNTY_KM = 80.0
#: What a town loses after "the" when a region has the name ("the Atlantic").
THE_TOWN = 3.0
#: The population a town with none in GeoNames counts as (see ``_pop``).
UNKNOWN_TOWN_POP = 2_000
#: The sentence places the name in a country: "Tripoli in Lebanon", "Lebanon's Tripoli", "the
#: Lebanese city of Tripoli" (as much as a division after a comma: "Paris, Texas").
LOCATOR = 8.0
