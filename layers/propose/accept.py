"""Record an accepted proposal in a workspace, citing the report it came from.

A :class:`~layers.propose.model.Proposal` says what a report claims; accepting it (as proposed
or edited by the analyst) writes the workspace records that say the same thing, through the
:class:`~layers.workspace.Workspace` methods — so each write is atomic, validated as a pack and
kept in the history with who, when and why:

- ``control`` → :meth:`Workspace.record_control` on the proposal's places;
- ``siege`` imposed → a new siege record; broken or ended → the siege in question ends on the
  date (a correction of its ``to``, with the report added to its sources);
- ``access`` → :meth:`Workspace.record_access` on the corridor or crossing;
- ``event`` → a new event at the place (or at the geocoder's point for a place the scenario
  lacks).

The report is the source. The record's note (an event's or siege's description) quotes the
evidence sentence and the reasons confidence was lowered, and carries a tag made from the
claim (kind, places, actor, status, date) and the report, so the same claim of the same report
cannot be accepted twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from layers.model import EVENT_TYPES
from layers.propose.model import KINDS, STATUSES, Proposal, UnmappedPlace
from layers.workspace.backend import WorkspaceError

#: What an analyst may change before accepting (``date_precision`` as the proposal gives it).
EDITABLE = ("places", "actor", "status", "date", "date_precision", "confidence", "note",
            "title")
#: Record precision (day | month | approximate) for a proposal's date precision.
RECORD_PRECISION = {"day": "day", "month": "month", "week": "approximate",
                    "year": "approximate", "unknown": "approximate"}
LEVELS = ("high", "medium", "low")
#: Event words a proposal may carry that are not pack event types, and the type they mean.
EVENT_TYPE = {"airstrike": "strike", "air_strike": "strike", "shelling": "strike",
              "bombardment": "strike", "bombing": "strike", "attack": "offensive",
              "assault": "offensive", "truce": "ceasefire", "deal": "agreement",
              "aid": "convoy", "breakthrough": "breach"}
QUOTE_CHARS = 400  # the evidence sentence kept in a note, at most


@dataclasses.dataclass(frozen=True, slots=True)
class Claim:
    """A proposal as it will be recorded: edits applied, checked."""

    kind: str
    places: tuple[str, ...]
    actor: str | None
    status: str
    date: dt.date
    precision: str            # record precision: day | month | approximate
    confidence: str           # high | medium | low
    note: str
    title: str
    unmapped: tuple[UnmappedPlace, ...]  # dropped when the analyst chose the places
    proposal: Proposal


def accept(workspace: Any, proposal: Proposal, *, source: str | Mapping[str, str],
           edits: Mapping[str, Any] | None = None, by: str | None = None,
           base: int | None = None) -> list[str]:
    """Record ``proposal`` (as is, or with ``edits``) in ``workspace`` citing the report.

    Parameters
    ----------
    workspace : Workspace
        Where to record (see :func:`layers.workspace.open_workspace`).
    proposal : Proposal
        What the report claims (from :func:`layers.propose`, or built by hand).
    source : str or mapping
        The report: an existing source id of the workspace, or ``{url, publisher, title,
        published}`` (added with :meth:`Workspace.add_source`; a source with the same URL is
        reused).
    edits : mapping, optional
        The analyst's changes, any of :data:`EDITABLE`: ``places`` (ids), ``actor`` (an actor
        id, or None), ``status``, ``date`` (``YYYY-MM-DD``), ``date_precision`` (day, week,
        month, year, unknown), ``confidence`` (high, medium, low), ``note`` (the analyst's own
        words, kept before the quote), ``title`` (an event's title or a new siege's name).
        Places edited by hand replace the proposal's places and its unmapped places.
    by : str, optional
        Who records (a team store names its database user instead).
    base : int, optional
        The workspace version the analyst saw: a record changed since is a conflict.

    Returns
    -------
    list of str
        The ids of the records written or changed.

    Raises
    ------
    WorkspaceError
        One line saying what cannot be recorded (a place the scenario lacks, an unknown actor,
        a claim accepted already, …); nothing is written then.
    """
    if not isinstance(proposal, Proposal):
        raise WorkspaceError(f"not a proposal: {type(proposal).__name__}")
    sc = workspace.scenario()
    claim = _claim(sc, proposal, dict(edits or {}))
    report = _report_key(sc, source)
    tag = fingerprint(proposal, report)
    _refuse_repeat(workspace, tag)
    write = _planner(claim)(sc, claim)  # every check before anything is written
    sid = _source_id(workspace, sc, source, by)
    note = evidence_note(claim, tag)
    return write(workspace, sid, note, by, base)


# ------------------------------------------------------------------------ the claim
def _claim(sc: Any, p: Proposal, edits: dict[str, Any]) -> Claim:
    unknown = sorted(set(edits) - set(EDITABLE))
    if unknown:
        raise WorkspaceError(f"cannot edit {', '.join(unknown)} (editable: "
                             f"{', '.join(EDITABLE)})")
    if p.kind not in KINDS:
        raise WorkspaceError(f"proposal kind {p.kind!r}; expected one of {', '.join(KINDS)}")
    places = edits.get("places", p.places)
    if isinstance(places, str) or not all(isinstance(x, str) and x.strip() for x in places):
        raise WorkspaceError("places must be a list of place ids")
    places = tuple(dict.fromkeys(x.strip() for x in places))
    if "places" not in edits and p.unmapped and p.kind != "event":
        names = ", ".join(f"'{u.text}'" for u in p.unmapped[:3])
        raise WorkspaceError(
            f"{p.kind} cannot be recorded for {names}: the scenario has no place for "
            f"{'it' if len(p.unmapped) == 1 else 'them'}; choose places of the scenario "
            "instead (or reject the proposal)")
    actor = edits.get("actor", p.actor) or None
    if actor is not None and actor not in sc.actors:
        raise WorkspaceError(f"actor {actor!r} is not an actor of this scenario (actors: "
                             f"{', '.join(sc.actors)})")
    status = str(edits.get("status", p.status) or "").strip()
    if p.kind == "event":
        status = event_type(status)
    elif status not in STATUSES[p.kind]:
        raise WorkspaceError(f"{p.kind} status {status!r}; expected one of "
                             f"{', '.join(STATUSES[p.kind])}")
    day = _date(edits.get("date", p.date))
    precision = str(edits.get("date_precision", p.date_precision) or "unknown")
    if precision not in RECORD_PRECISION:
        raise WorkspaceError(f"date precision {precision!r}; expected one of "
                             f"{', '.join(RECORD_PRECISION)}")
    level = str(edits.get("confidence") or p.level())
    if level not in LEVELS:
        raise WorkspaceError(f"confidence {level!r}; expected one of {', '.join(LEVELS)}")
    return Claim(p.kind, places, actor, status, day, RECORD_PRECISION[precision], level,
                 note=_one_line(str(edits.get("note") or "")),
                 title=_one_line(str(edits.get("title") or "")),
                 unmapped=() if "places" in edits else p.unmapped, proposal=p)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if value is None or str(value).strip() == "":
        raise WorkspaceError("the proposal has no date; give one (YYYY-MM-DD) before "
                             "accepting it")
    text = str(value).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise WorkspaceError(f"date {text[:40]!r} is not a date YYYY-MM-DD") from None


def event_type(word: str) -> str:
    """The pack event type (see :data:`layers.model.EVENT_TYPES`) an event word stands for."""
    key = re.sub(r"[\s-]+", "_", word.strip().lower())
    if key in EVENT_TYPES:
        return key
    return EVENT_TYPE.get(key, "other")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------------ the report
def _report_key(sc: Any, source: str | Mapping[str, str]) -> str:
    """What identifies the report: its URL when known, else its source id."""
    if isinstance(source, Mapping):
        url = str(source.get("url") or "").strip()
        if not url:
            raise WorkspaceError("the report needs a URL to stand as a source")
        return url
    if not isinstance(source, str) or not source.strip():
        raise WorkspaceError("give the report as a source id or {url, publisher, title, "
                             "published}")
    known = sc.sources.get(source.strip())
    if known is None:
        raise WorkspaceError(f"source {source!r} is not a source of this workspace")
    return known.url or known.id


def _source_id(workspace: Any, sc: Any, source: str | Mapping[str, str],
               by: str | None) -> str:
    if not isinstance(source, Mapping):
        return source.strip()
    published = source.get("published") or source.get("date") or ""
    if isinstance(published, dt.date):
        published = published.isoformat()
    return workspace.add_source(str(source.get("url") or "").strip(),
                                str(source.get("publisher") or ""),
                                str(source.get("title") or ""), str(published).strip(), by=by)


def fingerprint(p: Proposal, report: str) -> str:
    """The tag of a claim of a report: the same kind, places, actor, status and date from the
    same report give the same tag (edits do not change it: it names what the report said)."""
    key = json.dumps([p.kind, sorted(p.places), sorted(u.text.lower() for u in p.unmapped),
                      p.actor, p.status, p.date, report])
    return f"[proposal {hashlib.sha1(key.encode()).hexdigest()[:12]}]"


def _refuse_repeat(workspace: Any, tag: str) -> None:
    for kind, rid, body in workspace.records():
        if tag in json.dumps(body, ensure_ascii=False):
            raise WorkspaceError(f"this claim of the report was accepted already ({kind} "
                                 f"'{rid}'); correct that record instead")


def evidence_note(claim: Claim, tag: str) -> str:
    """The note a record keeps: the analyst's words, the report's sentence (quoted), who
    claims it and why confidence was lowered, and the claim's tag."""
    p = claim.proposal
    parts = [claim.note] if claim.note else []
    sentence = _one_line(p.sentence)
    if sentence:
        if len(sentence) > QUOTE_CHARS:
            sentence = sentence[:QUOTE_CHARS - 1].rstrip() + "…"
        parts.append(f"Report: “{sentence}”")
    if p.claimant:
        parts.append(f"Claimed by {p.claimant}.")
    if p.reasons:
        parts.append("Confidence lowered: " + "; ".join(_one_line(r) for r in p.reasons) + ".")
    parts.append(tag)
    return " ".join(parts)


# ------------------------------------------------------------------------ per kind
Writer = Callable[[Any, str, str, "str | None", "int | None"], list[str]]


def _planner(claim: Claim) -> Callable[[Any, Claim], Writer]:
    if claim.kind == "control":
        return _plan_control
    if claim.kind == "access":
        return _plan_access
    if claim.kind == "event":
        return _plan_event
    return _plan_siege_new if claim.status == "imposed" else _plan_siege_end


def _plan_control(sc: Any, c: Claim) -> Writer:
    if not c.places:
        raise WorkspaceError("control needs at least one place of the scenario")
    places: list[str] = []
    held = set(sc.units)
    for pid in c.places:
        units = _units(sc, pid)
        if not units:
            raise WorkspaceError(f"control cannot be recorded for {pid!r}: not a unit, group "
                                 "or area of this scenario")
        # Packs hold control per unit, and a unit's record beats its group's: a group is
        # recorded as its units, or the map would not change.
        places += [u for u in units if u in held] or list(units)
    places = list(dict.fromkeys(places))
    if c.status == "controlled" and not c.actor:
        raise WorkspaceError("control needs the actor who holds the places (or status "
                             "contested)")

    def write(ws, sid, note, by, base):
        ids, _ = ws.record_control(places, actor=c.actor, status=c.status, start=c.date,
                                   precision=c.precision, sources=[sid],
                                   confidence=c.confidence, note=note, by=by, base=base)
        return ids
    return write


def _plan_access(sc: Any, c: Claim) -> Writer:
    target = _access_target(sc, c)

    def write(ws, sid, note, by, base):
        rid, _ = ws.record_access(target, status=c.status, start=c.date,
                                  precision=c.precision, sources=[sid],
                                  confidence=c.confidence, note=note, by=by, base=base)
        return [rid]
    return write


def _access_target(sc: Any, c: Claim) -> str:
    routes = {x.id: x for x in (*sc.corridors, *sc.crossings)}
    direct = [pid for pid in c.places if pid in routes]
    if len(direct) == 1:
        return direct[0]
    if len(direct) > 1:
        raise WorkspaceError(f"several corridors or crossings named ({', '.join(direct)}); "
                             "keep one")
    # A road or crossing place: the corridors and crossings drawn along it.
    found = [x for x in routes.values() if x.place and x.place in c.places]
    if len(found) > 1:  # those with a status on the date are the ones meant
        live = [x for x in found if any(s.interval.start <= c.date and
                                        (s.interval.end is None or s.interval.end >= c.date)
                                        for s in x.statuses)]
        found = live or found
    if len(found) == 1:
        return found[0].id
    if found:
        raise WorkspaceError(f"{', '.join(c.places)} carries several corridors or crossings "
                             f"({', '.join(x.id for x in found)}); choose one")
    names = ", ".join(c.places) or "no place"
    raise WorkspaceError(f"access cannot be recorded for {names}: not a corridor or crossing "
                         "of this scenario")


def _plan_event(sc: Any, c: Claim) -> Writer:
    place = next((pid for pid in c.places if pid in sc.geometries or _units(sc, pid)), None)
    point = None
    if place is None:
        if c.places:
            raise WorkspaceError(f"event place {c.places[0]!r} is not a place of this "
                                 "scenario")
        if not c.unmapped:
            raise WorkspaceError("an event needs a place (of the scenario, or found by the "
                                 "geocoder)")
        u = c.unmapped[0]
        point = [round(float(u.lon), 6), round(float(u.lat), 6)]
    where = sc.place_names.get(place, place) if place else c.unmapped[0].name
    title = c.title or f"{c.status.capitalize()}: {where}"

    def write(ws, sid, note, by, base):
        body: dict[str, Any] = {"date": c.date.isoformat(), "date_precision": c.precision,
                                "type": c.status, "title": title, "description": note,
                                "confidence": c.confidence, "sources": [sid]}
        if place:
            body["place"] = place
        else:
            body["geometry"] = {"type": "Point", "coordinates": point}
        rid, _ = ws.record_object("event", body, by=by, base=base)
        return [rid]
    return write


def _plan_siege_new(sc: Any, c: Claim) -> Writer:
    if not c.actor:
        raise WorkspaceError("a new siege needs the actor who imposes it")
    places = [pid for pid in c.places if pid not in {s.id for s in sc.sieges}]
    if not places:
        raise WorkspaceError("a new siege needs the besieged places of the scenario")
    units: set[str] = set()
    for pid in places:
        got = _units(sc, pid)
        if not got and pid not in sc.geometries:
            raise WorkspaceError(f"siege place {pid!r} is not a place of this scenario")
        units.update(got or (pid,))
    for s in sc.sieges:
        if (s.interval.contains(c.date) and set(s.units or s.places) & units
                and c.actor in s.besiegers):
            raise WorkspaceError(f"the siege '{s.id}' ({s.name}) by {c.actor} is in force there "
                                 f"on {c.date} already")
    besieged = sorted({r.actor for r in sc.control
                       if r.actor and r.status == "controlled" and r.interval.contains(c.date)
                       and set(r.units or (r.place,)) & units and sc.hostile(r.actor, c.actor)})
    names = [sc.place_names.get(pid, pid) for pid in places]
    name = c.title or ("Siege of " + ", ".join(names[:3])
                       + (f" and {len(names) - 3} more" if len(names) > 3 else ""))

    def write(ws, sid, note, by, base):
        body = {"name": name, "places": places, "besiegers": [c.actor], "besieged": besieged,
                "from": c.date.isoformat(), "to": "", "from_precision": c.precision,
                "to_precision": "day", "severity": "encircled", "populations": [],
                "confidence": c.confidence, "sources": [sid], "description": note}
        rid, _ = ws.record_object("siege", body, by=by, base=base)
        return [rid]
    return write


def _plan_siege_end(sc: Any, c: Claim) -> Writer:
    siege = _siege_in_question(sc, c)
    end = siege.interval.end
    if siege.interval.start >= c.date:
        raise WorkspaceError(f"the siege '{siege.id}' starts on {siege.interval.start}, not "
                             f"before {c.date}")
    if end is not None and end <= c.date:
        raise WorkspaceError(f"the siege '{siege.id}' ({siege.name}) ended on {end} already; "
                             "correct it instead")
    how = "broken" if c.status == "broken" else "ended"

    def write(ws, sid, note, by, base):
        sources = list(dict.fromkeys([*siege.sources, sid]))
        ws.correct(siege.id, {"to": c.date.isoformat(), "to_precision": c.precision,
                              "sources": sources},
                   reason=f"{how} on {c.date} ({c.confidence} confidence): {note}",
                   by=by, base=base)
        return [siege.id]
    return write


def _siege_in_question(sc: Any, c: Claim):
    """The siege a "broken"/"ended" claim is about: one named, else the one in force on the
    date over the places, else the one the actor is party to, else the only one in force."""
    by_id = {s.id: s for s in sc.sieges}
    named = [by_id[pid] for pid in c.places if pid in by_id]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise WorkspaceError(f"several sieges named ({', '.join(s.id for s in named)}); "
                             "keep one")
    live = [s for s in sc.sieges if s.interval.start < c.date and
            (s.interval.end is None or s.interval.end >= c.date)]
    units: set[str] = set()
    for pid in c.places:
        units.update(_units(sc, pid) or (pid,))
    for pick in ([s for s in live if set(s.units or s.places) & units],
                 [s for s in live if c.actor and any(sc.allied(c.actor, a) for a in
                                                     (*s.besieged, *s.besiegers))],
                 live):
        if len(pick) == 1:
            return pick[0]
        if len(pick) > 1:
            raise WorkspaceError(f"which siege ends on {c.date}? Several are in force ("
                                 f"{', '.join(s.id for s in pick[:6])}); choose one")
    raise WorkspaceError(f"no siege in force on {c.date} to end; record the siege first")


def _units(sc: Any, pid: str) -> tuple[str, ...]:
    """The control units ``pid`` stands for in ``sc`` (itself for a unit or area; an alias's
    units), or ``()`` when it is none of these."""
    if pid in sc.areas or pid in set(sc.units):
        return (pid,)
    try:
        from geo.places import load_places, units_of
        place = load_places().get(pid)
    except (ImportError, FileNotFoundError):
        return ()
    if place is None:
        return ()
    return units_of(pid) or ((pid,) if pid in sc.geometries else ())
