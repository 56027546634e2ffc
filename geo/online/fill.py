"""Fill the gaps of an offline geoparse with an online provider.

:func:`fill_unresolved` takes the offline mentions of a text and asks the
provider only about names the gazetteer could not place: the spans the
caller's recogniser flagged as unresolved, or — when it gives none — a
conservative set of capitalised names that follow a locative cue ("in",
"near", "the town of" …) and overlap no offline mention. Offline mentions are
never changed or removed; a provider failure leaves them exactly as they were.

Confidence of an online mention: ``0.3 + 0.3 × importance`` (the service's
0–1 rank), ``+ 0.1`` when the place lies in a country the text already names;
so online mentions score at most 0.7, below well-supported offline ones. When
the text names countries and no candidate lies in one of them, the name is
left unresolved: a far-away homonym is more likely wrong than right.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from geo.online.base import Candidate, Provider

__all__ = ["fill_unresolved", "unresolved_spans", "MAX_QUERIES"]

log = logging.getLogger(__name__)

#: At most this many distinct names are looked up per text (1 request/s adds up).
MAX_QUERIES = 30

_PART = r"(?:al|el|ash|as|ad|ar|at|an|az|ath|adh)[-‐]"
_TOKEN = r"[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*"
_NAME = rf"(?:{_PART})?{_TOKEN}(?:[ ](?:{_PART})?{_TOKEN}){{0,3}}"
_CUE = (
    r"\b(?:in|near|outside|around|into|towards?|besieged|entered|"
    r"(?:the\s+)?(?:town|village|city|district|neighbou?rhood|suburb|province|governorate|"
    r"region|area|camp|hamlet|quarter|road|crossing)\s+of)\s+"
)
_CANDIDATE = re.compile(rf"{_CUE}(?P<name>{_NAME})")
_POSSESSIVE = re.compile(r"['’]s?$")
_NOT_PLACES = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday the a an this that these those
    it he she they we i his her their its our my mr mrs ms dr president minister general
    prime secretary foreign state government army christmas easter ramadan eid
    """.split()
)


class _Taken:
    """Which characters of a text belong to a mention (a byte per character: O(1) per test)."""

    def __init__(self, length: int, mentions: Iterable[Any]) -> None:
        self.mask = bytearray(length)
        for m in mentions:
            self.add(m.start, m.end)

    def add(self, start: int, end: int) -> None:
        start, end = max(0, start), min(len(self.mask), end)
        if start < end:
            self.mask[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return self.mask.find(1, max(0, start), max(0, end)) != -1


def unresolved_spans(text: str, mentions: Sequence[Any]) -> list[tuple[int, int]]:
    """Likely place names after a locative cue that overlap no mention.

    Returns ``(start, end)`` character spans into ``text``, possessive ``'s`` removed.
    """
    taken = _Taken(len(text), mentions)
    spans = []
    for match in _CANDIDATE.finditer(text):
        start, end = match.span("name")
        surface = text[start:end]
        trimmed = _POSSESSIVE.sub("", surface)
        end -= len(surface) - len(trimmed)
        words = trimmed.casefold().replace("-", " ").split()
        if not words or words[0] in _NOT_PLACES or all(w in _NOT_PLACES for w in words):
            continue
        if taken.overlaps(start, end):
            continue
        spans.append((start, end))
    return spans


def _choose(cands: list[Candidate], countries: set[str]) -> tuple[Candidate, bool] | None:
    if not cands:
        return None
    if countries:
        in_context = [c for c in cands if c.country in countries]
        return (in_context[0], True) if in_context else None
    return cands[0], False


def _default_factory() -> Callable[..., Any]:
    from geo.mention import Mention

    return Mention


def fill_unresolved(
    text: str,
    mentions: Sequence[Any],
    provider: Provider | None,
    *,
    spans: Iterable[tuple[int, int]] | None = None,
    max_queries: int = MAX_QUERIES,
    factory: Callable[..., Any] | None = None,
) -> list[Any]:
    """Return ``mentions`` plus online-resolved mentions for unresolved names.

    Parameters
    ----------
    text : str
        The text the mentions index into.
    mentions : sequence of Mention
        The offline result; returned unchanged (as a new list, sorted by start).
    provider : Provider or None
        None (online disabled) returns the offline mentions as they are.
    spans : iterable of (start, end), optional
        Names the recogniser found but could not resolve; defaults to
        :func:`unresolved_spans`. Spans overlapping an offline mention are ignored.
    max_queries : int
        Cap on distinct names looked up.
    factory : callable, optional
        Mention constructor (defaults to :class:`geo.mention.Mention`).
    """
    result = list(mentions)
    if provider is None or not text:
        return sorted(result, key=lambda m: (m.start, m.end))
    taken = _Taken(len(text), result)
    wanted = unresolved_spans(text, result) if spans is None else [
        (s, e) for s, e in spans if 0 <= s < e <= len(text)
    ]
    countries = {m.country for m in result if getattr(m, "country", None)}
    make = factory or _default_factory()
    chosen: dict[str, tuple[Candidate, bool] | None] = {}
    for start, end in sorted(set(wanted)):
        if taken.overlaps(start, end):
            continue  # overlaps an offline mention or one added just before
        surface = text[start:end]
        key = " ".join(surface.split()).casefold()
        if key not in chosen:
            if len(chosen) >= max_queries:
                log.info("online lookups capped at %d names for this text", max_queries)
                break
            try:
                chosen[key] = _choose(provider.geocode(surface), countries)
            except Exception as exc:  # noqa: BLE001 - a broken provider never breaks the result
                log.warning("online provider %s raised %s: %s; continuing offline",
                            getattr(provider, "name", "?"), type(exc).__name__, exc)
                chosen[key] = None
        pick = chosen[key]
        if pick is None:
            continue
        cand, in_context = pick
        confidence = min(0.7, 0.3 + 0.3 * cand.importance + (0.1 if in_context else 0.0))
        result.append(make(
            start=start, end=end, text=surface, qualifier=None, name=cand.name,
            lat=cand.lat, lon=cand.lon, kind=cand.kind, country=cand.country or "",
            confidence=round(confidence, 3), source=cand.source,
        ))
        taken.add(start, end)
    return sorted(result, key=lambda m: (m.start, m.end))
