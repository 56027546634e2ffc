"""The search box: one name → the places to fly to, the scenario's region first.

:func:`search` wraps :func:`geo.lookup` with what a map needs and the gazetteer alone does not
know: which region the user is looking at (a scenario's country and centre), that one place
often sits in several tables (a town from GeoNames, from the named-places table and as the
sub-district named after it), and how close to zoom in on each kind of place. A query that
matches nothing is a result of its own, so the page can clear the marker of the last search.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Map zoom (web-map levels) to show a place of each kind at.
ZOOM = {"country": 6, "admin1": 8, "admin2": 10, "admin3": 11, "region": 13, "city": 12,
        "neighbourhood": 15, "road": 14, "crossing": 15, "site": 15}
DEFAULT_ZOOM = 13
SAME_PLACE_KM = 10.0  # one name, two tables, closer than this: the same place
#: A district or sub-district named after a town within this distance stands for the town
#: in a search (someone typing "Madaya" means the town, not its sub-district).
NAMED_AFTER_KM = 15.0
#: When one place comes from several tables, the kind kept (earlier wins).
KIND_RANK = ("city", "neighbourhood", "crossing", "site", "road", "region", "admin3",
             "admin2", "admin1", "country")
CANDIDATES = 30  # gazetteer matches looked at before merging and ordering


@dataclass(frozen=True, slots=True)
class Hit:
    """One place to offer: where it is, what it is, and the zoom to show it at."""

    name: str
    kind: str
    lat: float
    lon: float
    country: str
    zoom: int
    source: str  # the place id in the gazetteer (e.g. ``pl-madaya``, ``geonames:170063``)
    in_region: bool

    @property
    def label(self) -> str:
        """Plain text for a picker: ``Madaya (city, SY)``."""
        where = f", {self.country}" if self.country else ""
        return f"{self.name} ({self.kind}{where})"


@dataclass(frozen=True, slots=True)
class Search:
    """The answer to one query: ``hits`` best first; ``nothing`` when a real query found no
    place (the page then clears the previous marker and says so); ``empty`` for no query."""

    query: str
    hits: tuple[Hit, ...]

    @property
    def empty(self) -> bool:
        return not self.query

    @property
    def nothing(self) -> bool:
        return bool(self.query) and not self.hits


def _merge(first: Hit, other: Hit) -> Hit:
    """The entry kept for two records of one place: the more specific kind."""
    rank = {k: i for i, k in enumerate(KIND_RANK)}
    return other if rank.get(other.kind, 99) < rank.get(first.kind, 99) else first


def _same_place(a: Hit, b: Hit, key_a: str, key_b: str) -> bool:
    from geo.resolve import km

    if key_a != key_b:
        return False
    d = km(a.lat, a.lon, b.lat, b.lon)
    if a.kind == b.kind or {a.kind, b.kind} <= {"city", "neighbourhood", "site", "crossing"}:
        return d <= SAME_PLACE_KM
    # the district/sub-district named after the town
    if {a.kind, b.kind} & {"admin2", "admin3"} and {a.kind, b.kind} & {"city"}:
        return d <= NAMED_AFTER_KM
    return False


def search(query: str, *, country: str | None = None,
           near: tuple[float, float] | None = None, limit: int = 5) -> Search:
    """Places for the search box, the region's first, one entry per place.

    Parameters
    ----------
    query : str
        A place name (any spelling :func:`geo.lookup` folds, Arabic script too).
    country : str, optional
        ISO 3166 alpha-2 code of the region shown (a scenario's ``country``): its places
        come before any elsewhere.
    near : (lat, lon), optional
        The centre of the region shown; nearer places rank higher within each group.
    limit : int
        At most this many hits.

    Returns
    -------
    Search
        ``hits`` in order: places in ``country`` first, then the rest, each group in the
        gazetteer's ranking; each hit carries the zoom for its kind (:data:`ZOOM`).
    """
    from geo import lookup
    from geo.normalize import fold

    text = " ".join(str(query or "").split())[:200]
    if not text or limit <= 0:
        return Search(text, ())
    found = lookup(text, near=near, limit=CANDIDATES)
    region = (country or "").upper()
    merged: list[tuple[str, Hit]] = []
    for m in found:
        hit = Hit(name=m.name, kind=m.kind, lat=float(m.lat), lon=float(m.lon),
                  country=m.country or "", zoom=ZOOM.get(m.kind, DEFAULT_ZOOM),
                  source=m.source or "", in_region=bool(region) and m.country == region)
        key = fold(m.name)
        for i, (k, kept) in enumerate(merged):
            if _same_place(kept, hit, k, key):
                merged[i] = (k, _merge(kept, hit))
                break
        else:
            merged.append((key, hit))
    hits = [h for _, h in merged]
    ordered = [h for h in hits if h.in_region] + [h for h in hits if not h.in_region]
    return Search(text, tuple(ordered[:limit]))
