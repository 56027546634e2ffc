"""How sure a proposal is: a base per change rule times one factor per reason to doubt.

The bases are in ``data/lexicons/changes.json`` (``base`` of each entry); the factors are
here, because they are the policy every rule shares. Documented in layers/propose/README.md;
thresholds to record levels are :meth:`layers.propose.model.Proposal.level` (high ≥ 0.75,
medium ≥ 0.5, else low).
"""

from __future__ import annotations

#: Multiplier per reason (each applies once per proposal).
FACTORS = {
    "claim": 0.75,           # a party says it (or its ally) made the change
    "concession": 0.9,       # the other side reports the change against its own interest
    "attributed": 0.9,       # a monitor, witness or unnamed source reports it
    "denied": 0.5,           # a party denies it (same or next sentence)
    "hedge": 0.7,            # "reportedly", "unconfirmed", "apparently"
    "date_guessed": 0.85,    # no date words: the publication date stands in
    "date_carried": 0.95,    # the date comes from an earlier sentence of the paragraph
    "place_ambiguous": 0.9,  # several scenario places, or a smaller place inside one
    "unmapped": 0.8,         # only places the scenario lacks
    "actor_shared": 0.9,     # an alias several actors share, chosen from the pack's records
    "actor_carried": 0.9,    # the actor is a pronoun resolved to the previous sentence
    "actor_claimant": 0.85,  # "the army declared that P had been retaken": the speaker
}


class Score:
    """A confidence being built: ``Score(base).lower(reason_key, words)``."""

    def __init__(self, base: float) -> None:
        self._value = float(base)
        self._seen: set[str] = set()
        self.reasons: list[str] = []

    def lower(self, key: str, words: str) -> None:
        """Apply factor ``key`` once and record ``words`` as the reason."""
        if key in self._seen:
            return
        self._seen.add(key)
        self._value *= FACTORS[key]
        self.reasons.append(words)

    @property
    def value(self) -> float:
        """The confidence, 0–1, to two decimals."""
        return round(max(0.0, min(1.0, self._value)), 2)
