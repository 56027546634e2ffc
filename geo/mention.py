"""The result type of the geoparser: one place mention in a text, or one lookup candidate."""

from __future__ import annotations

from dataclasses import asdict, dataclass

#: The kinds a mention or candidate may have (``docs/ARCHITECTURE.md``).
KINDS = ("country", "admin1", "admin2", "admin3", "city", "neighbourhood", "road", "crossing",
         "site", "region", "demonym")


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in a text, resolved to one gazetteer record.

    Attributes
    ----------
    start, end : int
        Character offsets of the toponym in the text (``text[start:end] == self.text``); for
        :func:`geo.lookup` candidates both are -1.
    text : str
        The surface form as written ("Aleppo" in "Aleppo's southern outskirts").
    qualifier : str | None
        A directional or part-of phrase around the name ("eastern", "southern outskirts",
        "north of"), lower case, or None.
    name : str
        The resolved place's name in the gazetteer.
    lat, lon : float
        WGS84 point of the place (GeoNames point, or the project's representative point).
    kind : str
        One of :data:`KINDS`.
    country : str
        ISO 3166-1 alpha-2 code ("" for continents, seas and other multi-country regions).
    confidence : float
        0–1; see ``geo/README.md`` ("Confidence"): detection certainty times the share of the
        resolution score held by the chosen place among the name's candidates.
    source : str
        The gazetteer record: ``geonames:<id>`` or a project place id (``alp-…``, ``SY02``,
        ``pl-…``), ``region:<slug>`` for curated regions, ``demonym:<slug>``.
    """

    start: int
    end: int
    text: str
    qualifier: str | None
    name: str
    lat: float
    lon: float
    kind: str
    country: str
    confidence: float
    source: str

    def to_dict(self) -> dict:
        """A plain dict (JSON-ready) of all fields."""
        return asdict(self)


_S = {name: getattr(Mention, name).__set__ for name in Mention.__slots__}


def new_mention(start: int, end: int, text: str, qualifier: str | None, name: str, lat: float,
                lon: float, kind: str, country: str, confidence: float, source: str,
                _new=object.__new__, _start=_S["start"], _end=_S["end"], _text=_S["text"],
                _qualifier=_S["qualifier"], _name=_S["name"], _lat=_S["lat"], _lon=_S["lon"],
                _kind=_S["kind"], _country=_S["country"], _confidence=_S["confidence"],
                _source=_S["source"]) -> Mention:
    """``Mention(...)`` at half the cost, for the parser's inner loop: a frozen dataclass's
    ``__init__`` goes through ``object.__setattr__`` by name for every field; this calls each
    slot's setter directly (the same object: equal, hashable, immutable)."""
    m = _new(Mention)
    _start(m, start)
    _end(m, end)
    _text(m, text)
    _qualifier(m, qualifier)
    _name(m, name)
    _lat(m, lat)
    _lon(m, lon)
    _kind(m, kind)
    _country(m, country)
    _confidence(m, confidence)
    _source(m, source)
    return m
