"""The result type of reading a report: one proposed change to a scenario, with its evidence.

This is the contract between the proposal engine (:mod:`layers.propose`), the code that
records an accepted proposal in a workspace (:mod:`layers.propose.accept`), the CLI and the
page. Change it here first (and in ``docs/ARCHITECTURE.md``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: What a proposal changes.
KINDS = ("control", "siege", "access", "event")

#: ``status`` values per kind (events carry the event type of the pack, e.g. "airstrike").
STATUSES = {
    "control": ("controlled", "contested"),
    "siege": ("imposed", "broken", "ended"),
    "access": ("open", "closed", "restricted", "under_fire"),
}

#: How exact ``date`` is: the day itself, or somewhere within the week/month/year it names.
DATE_PRECISIONS = ("day", "week", "month", "year", "unknown")


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets into the report: ``text[start:end]``; ``role`` says what they carry
    ("sentence", "change" (the change words), "actor", "place", "date", "hedge", "claimant",
    "negation")."""

    start: int
    end: int
    role: str


@dataclass(frozen=True, slots=True)
class UnmappedPlace:
    """A place the report names that the scenario has no id for (from the geocoder)."""

    text: str
    start: int
    end: int
    name: str
    lat: float
    lon: float
    kind: str
    country: str
    source: str          # the gazetteer record (``geonames:<id>``, ``pl-…``)


@dataclass(frozen=True, slots=True)
class Proposal:
    """One change a report states, as the scenario would record it.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    places : tuple[str, ...]
        Ids of the scenario (unit, alias, area, named place, siege, corridor or crossing ids)
        the change applies to.
    unmapped : tuple[UnmappedPlace, ...]
        Places named as the object of the change that the scenario lacks.
    actor : str | None
        An actor id of the scenario (who gained control, who imposed the siege, whose strike);
        None when the report does not say or the status needs none.
    status : str
        See :data:`STATUSES`; the event type for events.
    date : str | None
        ISO date (``YYYY-MM-DD``) the change happened, resolved against the publication date.
    date_precision : str
        One of :data:`DATE_PRECISIONS`.
    evidence : tuple[Span, ...]
        The sentence (role "sentence") and the words that carry the claim.
    confidence : float
        0–1; see ``layers/propose/README.md`` for how it is set and the thresholds to the
        record levels high / medium / low.
    reasons : tuple[str, ...]
        Why confidence was lowered ("claimed by gov", "hedged: 'reportedly'", "date from the
        publication date", …).
    claimant : str | None
        The actor id (or the words) of the party that claims the change, when it is a claim.
    sentence : str
        The sentence text, for display.
    source : str | None
        The source id or URL of the report, when given.
    """

    kind: str
    places: tuple[str, ...]
    actor: str | None
    status: str
    date: str | None
    date_precision: str
    evidence: tuple[Span, ...]
    confidence: float
    reasons: tuple[str, ...] = ()
    unmapped: tuple[UnmappedPlace, ...] = ()
    claimant: str | None = None
    sentence: str = ""
    source: str | None = None
    extra: dict = field(default_factory=dict)

    def level(self) -> str:
        """The record confidence level this score maps to (high ≥ 0.75, medium ≥ 0.5, low)."""
        return "high" if self.confidence >= 0.75 else "medium" if self.confidence >= 0.5 else "low"

    def to_dict(self) -> dict:
        """A plain dict (JSON-ready) of all fields."""
        d = asdict(self)
        d["level"] = self.level()
        return d
