"""Actor mentions: each actor's id, name, short name and ``aliases`` (actors.json) found in text.

Rules (layers/propose/README.md):
- longest name first, whole words, case-insensitive — except short all-capital names ("IS",
  "YPG", "SAA"), which match only in capitals, so "is" is never the Islamic State;
- a name glued to a hyphen ("rebel-held", "government-controlled") describes a place, not a
  party acting, and is skipped;
- a name several actors share ("rebels" for the city and the countryside opposition) goes to
  the one the pack records on the places of the change (see :func:`resolve_shared`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in the text (offsets into the whole report)."""

    start: int
    end: int
    text: str
    ids: tuple[str, ...]  # one id, or several for a shared alias (first = listed first)


@dataclass(frozen=True, slots=True)
class ActorIndex:
    """The compiled names of a scenario's actors."""

    pattern: re.Pattern | None
    caps: re.Pattern | None
    ids_of: dict[str, tuple[str, ...]]


def _is_caps(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) <= 4 and all(c.isupper() for c in letters)


def build_actor_index(scenario) -> ActorIndex:
    """Compile every actor name of ``scenario`` (cached on the scenario)."""
    cached = scenario.cache.get("propose_actors")
    if cached is not None:
        return cached
    ids_of: dict[str, list[str]] = {}
    for a in scenario.actors.values():
        for name in (a.name, a.short, *a.aliases):
            if not name or not name.strip():
                continue
            key = name.strip() if _is_caps(name) else name.strip().lower()
            lst = ids_of.setdefault(key, [])
            if a.id not in lst:
                lst.append(a.id)

    def compile_(names: list[str], flags: int) -> re.Pattern | None:
        if not names:
            return None
        alts = "|".join(r"\s+".join(re.escape(t) for t in n.split())
                        for n in sorted(names, key=len, reverse=True))
        return re.compile(r"(?<![\w-])(?:" + alts + r")(?![\w])", flags)

    caps = [k for k in ids_of if _is_caps(k)]
    plain = [k for k in ids_of if not _is_caps(k)]
    idx = ActorIndex(compile_(plain, re.IGNORECASE), compile_(caps, 0),
                     {k: tuple(v) for k, v in ids_of.items()})
    scenario.cache["propose_actors"] = idx
    return idx


def find_actors(text: str, idx: ActorIndex, start: int = 0, end: int | None = None
                ) -> list[ActorMention]:
    """The actor mentions in ``text[start:end]``, in order, non-overlapping."""
    end = len(text) if end is None else end
    found: list[ActorMention] = []
    for pat, caps in ((idx.pattern, False), (idx.caps, True)):
        if pat is None:
            continue
        for m in pat.finditer(text, start, end):
            if m.end() < len(text) and text[m.end()] == "-":
                continue  # "rebel-held": a description of ground, not an actor acting
            surface = " ".join(m.group(0).split())
            key = surface if caps else surface.lower()
            ids = idx.ids_of.get(key)
            if ids:
                found.append(ActorMention(m.start(), m.end(), m.group(0), ids))
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    out: list[ActorMention] = []
    for a in found:
        if out and a.start < out[-1].end:
            continue
        out.append(a)
    return out


def resolve_shared(scenario, ids: tuple[str, ...], units: set[str], day) -> tuple[str, bool]:
    """Pick one actor among those sharing a name: the one the pack's control records put on
    ``units`` nearest in time to ``day``; else the one listed first.

    Returns
    -------
    (actor id, shared) — ``shared`` is True when a choice among several was made.
    """
    if len(ids) == 1:
        return ids[0], False
    memo = scenario.cache.setdefault("propose_shared", {})
    key = (ids, frozenset(units), day)
    if key not in memo:
        if len(memo) > 20_000:  # a long-lived page reads many reports: stay bounded
            memo.clear()
        memo[key] = _resolve_shared(scenario, ids, units, day)
    return memo[key], True


def _resolve_shared(scenario, ids: tuple[str, ...], units: set[str], day) -> str:
    best: tuple[int, str] | None = None
    for r in scenario.control:
        if r.actor in ids and units & set(r.units):
            gap = 0
            if day is not None:
                if day < r.interval.start:
                    gap = (r.interval.start - day).days
                elif r.interval.end is not None and day >= r.interval.end:
                    gap = (day - r.interval.end).days
            if best is None or gap < best[0]:
                best = (gap, r.actor)
    if best is not None:
        return best[1]
    for s in scenario.sieges:  # besieged or besieging side of a siege on those places
        if units & set(s.units or s.places):
            for a in (*s.besieged, *s.besiegers):
                if a in ids:
                    return a
    return _nearest_holder(scenario, ids, units, day) or ids[0]


def _nearest_holder(scenario, ids: tuple[str, ...], units: set[str], day) -> str | None:
    """The actor among ``ids`` holding ground closest to ``units`` around ``day`` (±31 days):
    the side fighting there is usually the one whose lines are next to it."""
    if scenario.unit_geoms is None or not units or day is None:
        return None
    from datetime import timedelta

    from geo.resolve import km

    pos = {u: i for i, u in enumerate(scenario.units)}
    here = [scenario.unit_geoms[pos[u]].representative_point() for u in units if u in pos]
    if not here:
        return None
    lo, hi = day - timedelta(days=31), day + timedelta(days=31)
    best: tuple[float, str] | None = None
    for r in scenario.control:
        if r.actor not in ids or r.status != "controlled":
            continue
        if r.interval.start > hi or (r.interval.end is not None and r.interval.end < lo):
            continue
        for u in r.units:
            if u not in pos:
                continue
            pt = scenario.unit_geoms[pos[u]].representative_point()
            d = min(km(p.y, p.x, pt.y, pt.x) for p in here)
            if best is None or d < best[0]:
                best = (d, r.actor)
    return best[1] if best else None
