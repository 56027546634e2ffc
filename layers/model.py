"""Record types of the time-aware model: what a scenario pack says, once parsed.

Plain frozen dataclasses with no geometry library in sight; geometry lives in
:class:`Scenario` as shapely objects keyed by place id.  Dates are :class:`datetime.date`;
intervals are half-open ``[start, end)`` and an empty ``end`` means ongoing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

CONFIDENCE = ("high", "medium", "low")
PRECISION = ("day", "month", "approximate")
CONTROL_STATUS = ("controlled", "contested", "unknown")
CORRIDOR_STATUS = ("open", "restricted", "under_fire", "closed")
CORRIDOR_KIND = ("corridor", "route", "convoy")
CROSSING_STATUS = ("open", "restricted", "closed", "unknown")
CROSSING_KIND = ("crossing", "checkpoint")
EVENT_TYPES = (
    "strike", "ceasefire", "offensive", "convoy", "evacuation", "siege", "breach", "agreement",
    "other",
)


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open validity interval ``[start, end)``; ``end=None`` means ongoing.

    ``start_precision`` / ``end_precision`` say how exactly the sources date each end
    (``day``, ``month`` or ``approximate``); they do not change the arithmetic.
    """

    start: date
    end: date | None = None
    start_precision: str = "day"
    end_precision: str = "day"

    def contains(self, day: date) -> bool:
        """True when ``day`` falls in ``[start, end)``."""
        return self.start <= day and (self.end is None or day < self.end)

    def overlaps(self, other: Interval) -> bool:
        """True when the two half-open intervals share at least one day."""
        a_end = self.end or date.max
        b_end = other.end or date.max
        return self.start < b_end and other.start < a_end

    def iso(self) -> tuple[str, str]:
        """``(from, to)`` as ISO 8601 strings; ongoing ends are ``""``."""
        return self.start.isoformat(), self.end.isoformat() if self.end else ""


@dataclass(frozen=True, slots=True)
class Actor:
    """A party on the ground, drawn in ``colour`` (``#rrggbb``)."""

    id: str
    name: str
    short: str
    colour: str
    description: str = ""
    aliases: tuple[str, ...] = ()  # other names reports use ("the army", "rebels")


@dataclass(frozen=True, slots=True)
class PublishedCount:
    """A headline count a source published (e.g. the UN's besieged list): how many
    locations and people on a date, and the rounding the source used."""

    date: date
    locations: int | None
    population: int | None
    rounding: int = 0
    note: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """A pack-local source: who published what, when, where."""

    id: str
    publisher: str
    title: str
    date: str
    url: str
    note: str = ""
    figures: PublishedCount | None = None

    def cite(self) -> str:
        """One-line citation: ``Publisher, "Title" (date) URL``."""
        return f'{self.publisher}, "{self.title}" ({self.date}) {self.url}'.strip()


@dataclass(frozen=True, slots=True)
class ControlRecord:
    """Who holds one place over one interval (a row of ``control.csv``).

    ``units`` are the place units the record stands for (a group id expands to its units;
    a unit id stands for itself).
    """

    row: int
    place: str
    units: tuple[str, ...]
    actor: str | None
    status: str
    interval: Interval
    confidence: str
    sources: tuple[str, ...]
    note: str = ""
    id: str = ""  # a stable record id (workspaces; optional in packs)

    @property
    def label(self) -> str:
        """How messages name the record: its id, else its row of control.csv."""
        return f"record {self.id!r}" if self.id else f"row {self.row}"


@dataclass(frozen=True, slots=True)
class PopulationEstimate:
    """One source's figure for the people inside a besieged area."""

    value: int | None
    low: int | None
    high: int | None
    date: date | None
    sources: tuple[str, ...]
    note: str = ""

    @property
    def range(self) -> tuple[int, int]:
        """``(low, high)``, falling back to ``value`` for a missing end."""
        lo = self.low if self.low is not None else self.value
        hi = self.high if self.high is not None else self.value
        assert lo is not None and hi is not None  # the loader guarantees one figure
        return lo, hi


@dataclass(frozen=True, slots=True)
class Siege:
    """A besieged area over an interval, with who besieges whom and how many are inside."""

    id: str
    name: str
    places: tuple[str, ...]
    besiegers: tuple[str, ...]
    besieged: tuple[str, ...]
    interval: Interval
    severity: str
    populations: tuple[PopulationEstimate, ...]
    confidence: str
    sources: tuple[str, ...]
    description: str = ""
    units: tuple[str, ...] = ()  # the place units ``places`` stand for (groups expanded)


@dataclass(frozen=True, slots=True)
class StatusInterval:
    """An authored status of a corridor or crossing over an interval."""

    status: str
    interval: Interval
    confidence: str
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Corridor:
    """A corridor, route or convoy path: a line with authored statuses over time.

    ``users`` are the actors whose traffic the route carries; the derived status asks
    whether it crosses ground hostile to them.  Empty means "the besieged side of the sieges
    the route touches".
    """

    id: str
    name: str
    kind: str
    place: str | None
    endpoints: tuple[str, ...]
    statuses: tuple[StatusInterval, ...]
    confidence: str
    sources: tuple[str, ...]
    description: str = ""
    users: tuple[str, ...] = ()

    def status_at(self, day: date) -> StatusInterval | None:
        """The authored status interval covering ``day``, if any."""
        return _status_at(self.statuses, day)


@dataclass(frozen=True, slots=True)
class Crossing:
    """A crossing or checkpoint: a point with authored statuses over time."""

    id: str
    name: str
    kind: str
    place: str | None
    statuses: tuple[StatusInterval, ...]
    confidence: str
    sources: tuple[str, ...]
    description: str = ""

    def status_at(self, day: date) -> StatusInterval | None:
        """The authored status interval covering ``day``, if any."""
        return _status_at(self.statuses, day)


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at a place on a date, described in our own words."""

    id: str
    date: date
    date_precision: str
    type: str
    title: str
    place: str | None
    description: str
    confidence: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Area:
    """A polygon the pack draws itself (``areas.geojson``); usable as a place id."""

    id: str
    name: str
    kind: str
    confidence: str
    sources: tuple[str, ...]
    description: str = ""
    edge_open: bool = False  # the map edge along this area opens onto its holder's ground


@dataclass(frozen=True, slots=True)
class Manifest:
    """The pack's ``manifest.json``: identity, time window, default view."""

    id: str
    title: str
    description: str
    start: date
    end: date
    default_date: date
    center: tuple[float, float]  # (lat, lon)
    zoom: int
    country: str
    licence: str
    attribution: str
    boundary: tuple[str, ...] = ()  # clip for point-only places (place/area ids)
    snap_m: float = 25.0  # tolerance when deciding which zones touch (metres)
    reports: tuple[str, ...] = ()  # source ids whose `figures` the summary compares with


@dataclass(slots=True)
class Scenario:
    """A loaded, validated scenario pack.

    ``geometries`` maps every place id the pack uses (units, areas, roads, crossings, event
    places) to a shapely geometry in EPSG:4326; ``units`` lists the control units in a fixed
    order (the rows of :attr:`unit_geoms`).  Derived caches live in ``cache``.
    """

    path: Path
    manifest: Manifest
    actors: dict[str, Actor]
    alliances: tuple[frozenset[str], ...]
    sources: dict[str, Source]
    areas: dict[str, Area]
    control: tuple[ControlRecord, ...]
    sieges: tuple[Siege, ...]
    corridors: tuple[Corridor, ...]
    crossings: tuple[Crossing, ...]
    events: tuple[Event, ...]
    geometries: dict[str, Any]
    place_names: dict[str, str]
    place_population: dict[str, int]
    units: tuple[str, ...] = ()
    unit_geoms: Any = None  # numpy array of shapely geometries (EPSG:4326), aligned to units
    point_units: frozenset[str] = frozenset()  # units whose polygon is a Voronoi cell
    warnings: tuple[str, ...] = ()
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    workspace: Any = field(default=None, repr=False)  # the Workspace it was read from, if any
    version: int = 0  # the workspace version it shows (0 for a pack)

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def window(self) -> tuple[date, date]:
        """The pack's time window ``(start, end)``."""
        return self.manifest.start, self.manifest.end

    @property
    def default_date(self) -> date:
        return self.manifest.default_date

    def allied(self, a: str | None, b: str | None) -> bool:
        """True when ``a`` and ``b`` are the same actor or share an alliance."""
        if not a or not b:
            return False
        if a == b:
            return True
        return any(a in group and b in group for group in self.alliances)

    def hostile(self, a: str | None, b: str | None) -> bool:
        """True when both are actors and not allied."""
        return bool(a) and bool(b) and not self.allied(a, b)

    def cite(self, source_ids: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
        """The full source records (publisher, title, date, url) for ``source_ids``."""
        out = []
        for sid in source_ids:
            src = self.sources.get(sid)
            if src is None:
                out.append({"id": sid, "publisher": "", "title": "", "date": "", "url": ""})
            else:
                out.append({"id": sid, "publisher": src.publisher, "title": src.title,
                            "date": src.date, "url": src.url})
        return out


def _status_at(statuses: tuple[StatusInterval, ...], day: date) -> StatusInterval | None:
    found = None
    for st in statuses:
        if st.interval.contains(day):
            found = st  # later rows win; the validator reports overlaps
    return found
