"""Living scenarios: record, correct and retract with a full history, on any backend.

A :class:`Workspace` reads its rows from a :class:`~layers.workspace.backend.Backend`, keeps
the newest version of each record (as known now, or as known at an earlier moment), writes them
out as pack files in memory and loads them with :func:`layers.pack.load_pack`. So everything that
works on a pack — ``state_at``, ``changes``, ``summarize``, analysis, drawing, export — works on a
workspace, and every write is validated exactly like a pack before it is stored.

Every write runs inside one backend transaction: read the rows, compose the new versions,
check for conflicts with the version the writer saw (``base``), validate, append.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import logging
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from layers.model import CONFIDENCE, CONTROL_STATUS, CORRIDOR_STATUS, CROSSING_STATUS, PRECISION
from layers.pack import PackError, load_pack
from layers.workspace.backend import (
    Backend,
    ConflictError,
    NewRow,
    PermissionDenied,
    Row,
    WorkspaceError,
)
from layers.workspace.packfiles import RawJSON, read_pack_records, to_files, write_files

log = logging.getLogger(__name__)
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,62}")
_CACHE: dict[tuple, Any] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 16

Current = dict[tuple[str, str], Row]


def default_user() -> str:
    """Who is recording: ``$CORDON_USER``, else the OS user."""
    user = os.environ.get("CORDON_USER", "").strip()
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def check_name(name: str) -> str:
    """A workspace name: a letter, then letters, digits, ``_`` or ``-`` (at most 63)."""
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise WorkspaceError(f"workspace name {name!r} must start with a letter and use only "
                             "letters, digits, '_' and '-' (at most 63)")
    return name


def known_on(value: str | dt.date | dt.datetime | None) -> str | None:
    """``as_known_on`` as an ISO 8601 UTC bound: a date means the end of that day (UTC), a
    minute the end of that minute."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        stamp = value.astimezone(dt.UTC) if value.tzinfo else value
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T23:59:59.999999Z"
    text = str(value).strip().rstrip("Z")
    try:
        if not re.search(r"[T ]", text):  # a day (Python also reads 20161110 as a minute)
            return f"{dt.date.fromisoformat(text).isoformat()}T23:59:59.999999Z"
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        raise WorkspaceError(f"as-known-on {value!r} is not YYYY-MM-DD or "
                             "YYYY-MM-DDTHH:MM") from None
    if stamp.tzinfo:
        stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
    if re.fullmatch(r"[^T ]+[T ]\d{2}:?\d{2}([+-].*)?", text):  # a minute (any offset)
        stamp = stamp.replace(second=59, microsecond=999999)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def current(rows: Iterable[Row]) -> Current:
    """The newest version of each record (retractions included, as ``body=None``)."""
    out: Current = {}
    for r in rows:
        out[(r.kind, r.id)] = r
    return out


_SCAN = json.JSONDecoder().scan_once  # the C scanner under json.loads, without its overhead


def _parse(text: str) -> Any:
    """``json.loads(text)``; a body that is one JSON value, as stored, skips the wrappers."""
    try:
        value, end = _SCAN(text, 0)
    except (StopIteration, ValueError):
        value, end = None, -1
    return value if end == len(text) else json.loads(text)


def _bodies(cur: Current) -> list[tuple[str, str, dict]]:
    return [(k, i, _parse(r.body)) for (k, i), r in cur.items() if r.body is not None]


def _day(text: str | dt.date | None, what: str) -> dt.date | None:
    if text is None or text == "":
        return None
    if isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise WorkspaceError(f"{what} {text!r} is not a date YYYY-MM-DD") from None


def _choice(value: str, allowed: Iterable[str], what: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise WorkspaceError(f"{what} {value!r}; expected one of {', '.join(allowed)}")
    return value


def _new_id(prefix: str, day: dt.date | None = None) -> str:
    stamp = day.strftime("%Y%m%d") + "-" if day else ""
    return f"{prefix}-{stamp}{uuid.uuid4().hex[:6]}"


class Workspace:
    """A living scenario kept in a store.

    Parameters
    ----------
    name : str
        The workspace's name.
    backend : Backend
        Where it lives (see :func:`layers.workspace.open_backend`).
    """

    def __init__(self, name: str, backend: Backend):
        self.name = check_name(name)
        self.backend = backend

    def __repr__(self) -> str:
        return f"Workspace({self.name!r}, {self.backend.location!r})"

    # -- reading ------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.backend.exists(self.name)

    def _require(self) -> None:
        if not self.exists():
            have = ", ".join(w["name"] for w in self.backend.workspaces()) or "none"
            raise WorkspaceError(f"no workspace '{self.name}' in store "
                                 f"'{self.backend.location}' (workspaces: {have})")

    @property
    def version(self) -> int:
        """The newest write's number: what a writer says it based its change on."""
        return self.backend.version(self.name)

    def scenario(self, as_known_on: str | dt.date | dt.datetime | None = None):
        """The workspace as a :class:`~layers.model.Scenario`, now or as known then.

        Parameters
        ----------
        as_known_on : date, datetime or str, optional
            Leave out records entered, and corrections made, after this moment (UTC; a date
            means the end of that day).
        """
        self._require()
        bound = known_on(as_known_on)
        rows = self.backend.rows(self.name, bound)
        if not rows:
            raise WorkspaceError(f"workspace '{self.name}' had no records by {bound}" if bound
                                 else f"workspace '{self.name}' holds no records")
        sc = self._materialise(current(rows), rows[-1].seq)
        return sc

    def _materialise(self, cur: Current, version: int):
        key = (self.backend.location, self.name, version)
        with _CACHE_LOCK:
            hit = _CACHE.get(key)
        if hit is not None:
            return hit
        sc = self._load(cur)
        sc.workspace = self
        sc.version = version
        with _CACHE_LOCK:
            _CACHE[key] = sc
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
        return sc

    def _load(self, cur: Current):
        root = Path(f"workspace:{self.name}")
        # Areas (large polygons) go into areas.geojson as stored, not parsed and written again:
        # the loader parses the same values. Only a stored body that is not JSON reads
        # differently (the plain way raises on it), so then the pack is built the plain way.
        try:
            raw = [(k, i, RawJSON(r.body)) if k == "area" else (k, i, _parse(r.body))
                   for (k, i), r in cur.items() if r.body is not None]
            return load_pack(root, files=to_files(raw))
        except PackError as exc:
            if not any(p.file == "areas.geojson" and p.message.startswith("invalid JSON")
                       for p in exc.problems):
                raise WorkspaceError(_problems_line(exc)) from None
        except ValueError:
            pass
        files = to_files(_bodies(cur))
        try:
            return load_pack(root, files=files)
        except PackError as exc:
            raise WorkspaceError(_problems_line(exc)) from None

    def records(self) -> list[tuple[str, str, dict]]:
        """``(kind, id, body)`` of every current record."""
        self._require()
        return _bodies(current(self.backend.rows(self.name)))

    def history(self, place: str | None = None, record: str | None = None) -> list[dict]:
        """Every version of the records about ``place`` (or of ``record``), oldest first:
        ``seq, recorded_at, recorded_by, op, kind, id, reason, supersedes, retracted, body``.
        """
        self._require()
        rows = self.backend.rows(self.name)
        ids: set[tuple[str, str]] | None = None
        if place is not None:
            ids = {(r.kind, r.id) for r in rows if r.body and _mentions(r, place)}
            if not ids:
                _units(self.scenario(), place)  # raises for an unknown place id
        out = []
        for r in rows:
            if record is not None and r.id != record:
                continue
            if ids is not None and (r.kind, r.id) not in ids:
                continue
            out.append({"seq": r.seq, "recorded_at": r.recorded_at,
                        "recorded_by": r.recorded_by, "op": r.op, "kind": r.kind, "id": r.id,
                        "reason": r.reason, "supersedes": r.supersedes,
                        "retracted": r.body is None,
                        "body": json.loads(r.body) if r.body else None})
        return out

    def feed(self, limit: int = 20) -> list[dict]:
        """The latest edits, newest first (forks and imports left out)."""
        rows = [h for h in self.history() if h["op"] not in ("fork", "import", "create")]
        return rows[::-1][:limit]

    def export(self, out: str | os.PathLike, *,
               as_known_on: str | dt.date | dt.datetime | None = None) -> Path:
        """Write the workspace as a pack directory (plus ``history.jsonl``)."""
        self._require()
        bound = known_on(as_known_on)
        rows = self.backend.rows(self.name, bound)
        if not rows:  # else a pack directory without a manifest, reported as done
            raise WorkspaceError(f"workspace '{self.name}' had no records by {bound}" if bound
                                 else f"workspace '{self.name}' holds no records")
        root = Path(out)
        files = to_files(_bodies(current(rows)))
        files["history.jsonl"] = "\n".join(json.dumps({
            "seq": r.seq, "kind": r.kind, "id": r.id, "op": r.op,
            "recorded_at": r.recorded_at, "recorded_by": r.recorded_by,
            "supersedes": r.supersedes, "reason": r.reason,
            "body": json.loads(r.body) if r.body else None}, ensure_ascii=False) for r in rows)
        write_files(root, files)
        return root

    # -- writing ------------------------------------------------------------------------
    def _write(self, by: str | None, base: int | None,
               compose: Callable[[Current, Any], tuple[list[NewRow], list[str]]]
               ) -> tuple[int, list[str]]:
        """One transaction: compose new versions from the current state, check conflicts
        against ``base``, validate the result as a pack, append. Returns (version, notes)."""
        self._require()
        if not self.backend.can_write():
            raise PermissionDenied(f"user '{self.backend.user()}' may not change workspace "
                                   f"'{self.name}' (viewer role)")
        by = self.backend.user() or by or default_user()
        with self.backend.transaction(self.name) as tx:
            rows = tx.rows()
            version = rows[-1].seq if rows else 0
            if base is not None and not 0 <= base <= version:
                raise WorkspaceError(f"--base {base} is not a version of workspace "
                                     f"'{self.name}' (the newest is {version})")
            cur = current(rows)
            # What composing needs of the scenario is which ids are the workspace's own areas;
            # the full scenario is built once, below, to validate the result.
            areas = SimpleNamespace(areas={i for (k, i), r in cur.items()
                                           if k == "area" and r.body is not None})
            new, notes = compose(cur, areas)
            if not new:
                return version, notes
            touched = {(r.kind, r.id) for r in new}
            if base is not None and base < version:
                changed = [r for r in rows if r.seq > base and (r.kind, r.id) in touched]
                if changed:
                    c = changed[-1]
                    raise ConflictError(
                        f"conflict: {c.kind} '{c.id}' was changed by {c.recorded_by} at "
                        f"{c.recorded_at} ({c.op}{': ' + c.reason if c.reason else ''}) after "
                        f"version {base} you based this on; reload and try again")
            after = dict(cur)
            for r in new:
                after[(r.kind, r.id)] = Row(0, r.kind, r.id, r.body, "", by, r.supersedes,
                                            r.reason, r.op)
            sc_after = self._load(after)  # the same checks as a pack; raises WorkspaceError
            version = tx.append(new, by)
        # Committed: the validated scenario is the new version's (saves a second load).
        sc_after.workspace, sc_after.version = self, version
        with _CACHE_LOCK:
            _CACHE[(self.backend.location, self.name, version)] = sc_after
        self._after_write()
        return version, notes

    def _after_write(self) -> None:
        try:
            self.backend.after_write(self)
        except Exception as exc:  # derived tables only; the write is committed
            log.warning("workspace %s: after-write refresh failed: %s", self.name, exc)

    def _supersede(self, cur: Current, kind: str, rid: str, body: dict | None, reason: str,
                   op: str) -> NewRow:
        old = cur.get((kind, rid))
        return NewRow(kind, rid, None if body is None else json.dumps(body, ensure_ascii=False),
                      old.seq if old else None, reason, op)

    def _find(self, cur: Current, rid: str) -> Row:
        hits = [r for (k, i), r in cur.items() if i == rid and r.body is not None]
        if not hits:
            raise WorkspaceError(f"workspace '{self.name}' has no record '{rid}'")
        if len(hits) > 1:
            kinds = ", ".join(r.kind for r in hits)
            raise WorkspaceError(f"id '{rid}' names several records ({kinds}); not changed")
        return hits[0]

    def _window(self, cur: Current, days: Iterable[dt.date | None], why: str,
                notes: list[str]) -> list[NewRow]:
        """A new manifest version when a record falls outside the window (it grows)."""
        row = cur.get(("manifest", "manifest"))
        if row is None or row.body is None:  # registered, but its records never written
            raise WorkspaceError(f"workspace '{self.name}' holds no records (its creation did "
                                 "not finish); create it again under another name")
        man = json.loads(row.body)
        start = dt.date.fromisoformat(man["window"]["start"])
        end = dt.date.fromisoformat(man["window"]["end"])
        days = [d for d in days if d is not None]
        lo, hi = min([start, *days]), max([end, *days])
        if (lo, hi) == (start, end):
            return []
        man["window"] = {"start": lo.isoformat(), "end": hi.isoformat()}
        notes.append(f"the window grows to {lo} .. {hi} to hold {why}")
        return [self._supersede(cur, "manifest", "manifest", man,
                                f"window grows to hold {why}", "record")]

    def add_source(self, url: str, publisher: str, title: str, published: str, *,
                   by: str | None = None, note: str = "") -> str:
        """Add a source (or return the id of one with the same URL). Returns its id."""
        if not url.startswith(("http://", "https://")):
            raise WorkspaceError(f"source URL {url!r} is not an http(s) address")
        if not publisher.strip() or not title.strip():
            raise WorkspaceError("a new source needs --publisher and --title")
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", published or ""):
            raise WorkspaceError(f"--published {published!r} is not YYYY, YYYY-MM or "
                                 "YYYY-MM-DD")
        found: list[str] = []

        def compose(cur, sc):
            for (kind, rid), r in cur.items():
                if kind == "source" and r.body and json.loads(r.body).get("url") == url:
                    found.append(rid)
                    return [], []
            host = re.sub(r"^www\.", "", url.split("/")[2]).split(":")[0]
            rid = re.sub(r"[^a-z0-9]+", "-", f"{host}-{published}".lower()).strip("-")
            rid = f"{rid}-{hashlib.sha1(url.encode()).hexdigest()[:6]}"
            found.append(rid)
            body = {"publisher": publisher.strip(), "title": title.strip(), "date": published,
                    "url": url}
            if note:
                body["note"] = note
            return [NewRow("source", rid, json.dumps(body, ensure_ascii=False), None,
                           "new source", "record")], []

        self._write(by, None, compose)
        return found[0]

    def record_control(self, places: Iterable[str], *, actor: str | None, status: str,
                       start: str | dt.date, end: str | dt.date | None = None,
                       precision: str = "day", sources: Iterable[str],
                       confidence: str = "medium", note: str = "", by: str | None = None,
                       base: int | None = None) -> tuple[list[str], list[str]]:
        """Record who holds ``places`` from ``start``: one control record per place.

        The record in force for each unit at ``start`` is ended there (a new version, with a
        reason); with no ``end`` the new record runs until the unit's next recorded change.

        Returns
        -------
        (record ids, notes)
        """
        places = [p.strip() for p in places if p and p.strip()]
        if not places:
            raise WorkspaceError("no places given (--places ID[,ID...])")
        status = _choice(status, CONTROL_STATUS, "status")
        if status == "controlled" and not actor:
            raise WorkspaceError("control needs --actor (or --status contested|unknown)")
        start_d, end_d, srcs = _dated(start, end, precision, confidence, sources)
        ids: list[str] = []

        def compose(cur, sc):
            notes: list[str] = []
            new: list[NewRow] = []
            existing = [(rid, _parse(r.body)) for (k, rid), r in cur.items()
                        if k == "control" and r.body]
            for pid in places:
                units, direct = _units(sc, pid)
                rid = _new_id("ctl", start_d)
                until = end_d
                for oid, body in existing:
                    o_units, o_direct = _units(sc, body["place"])
                    if o_direct != direct or not set(o_units) & set(units):
                        continue
                    o_from = dt.date.fromisoformat(body["from"])
                    o_to = dt.date.fromisoformat(body["to"]) if body.get("to") else None
                    if o_from < start_d and (o_to is None or o_to > start_d):
                        if until is not None and o_to is not None and o_to > until:
                            raise WorkspaceError(
                                f"{pid}: record '{oid}' runs past --to {until}; record the "
                                "change without --to, or correct that record")
                        ended = {**body, "to": start_d.isoformat(), "to_precision": precision}
                        new.append(self._supersede(cur, "control", oid, ended,
                                                   _ended_reason(rid), "record"))
                        if o_to is not None and until is None:
                            until = o_to
                    elif o_from == start_d:
                        raise WorkspaceError(
                            f"{pid}: record '{oid}' already starts on {start_d}; correct it "
                            f"instead (python -m layers correct {self.name} {oid} ...)")
                    elif o_from > start_d and (until is None or o_from < until):
                        until = o_from  # runs until the next recorded change
                body = {"id": rid, "place": pid, "actor": actor or "", "status": status,
                        "from": start_d.isoformat(),
                        "to": until.isoformat() if until else "",
                        "from_precision": precision,
                        "to_precision": precision if end_d else "day",
                        "confidence": confidence, "sources": ";".join(srcs), "note": note}
                new.append(NewRow("control", rid, json.dumps(body, ensure_ascii=False), None,
                                  "", "record"))
                ids.append(rid)
                if until is not None and end_d is None:
                    notes.append(f"{pid}: runs until the next recorded change on {until}")
            new = self._window(cur, [start_d, end_d], f"{', '.join(ids)}", notes) + new
            return new, notes

        _, notes = self._write(by, base, compose)
        return ids, notes

    def record_access(self, target: str, *, status: str, start: str | dt.date,
                      end: str | dt.date | None = None, precision: str = "day",
                      sources: Iterable[str], confidence: str = "medium", note: str = "",
                      by: str | None = None, base: int | None = None) -> tuple[str, list[str]]:
        """Record a corridor's or crossing's status from ``start`` (a new version of it)."""
        start_d, end_d, srcs = _dated(start, end, precision, confidence, sources)

        def compose(cur, sc):
            notes: list[str] = []
            kind = next((k for k in ("corridor", "crossing")
                         if (k, target) in cur and cur[(k, target)].body), None)
            if kind is None:
                raise WorkspaceError(f"workspace '{self.name}' has no corridor or crossing "
                                     f"'{target}'")
            _choice(status, CORRIDOR_STATUS if kind == "corridor" else CROSSING_STATUS,
                    "--status")
            body = json.loads(cur[(kind, target)].body)
            statuses = []
            until = end_d
            for st in body.get("statuses", []):
                s_from = dt.date.fromisoformat(st["from"])
                s_to = dt.date.fromisoformat(st["to"]) if st.get("to") else None
                if s_from < start_d and (s_to is None or s_to > start_d):
                    st = {**st, "to": start_d.isoformat(), "to_precision": precision}
                    if s_to is not None and until is None:
                        until = s_to
                elif s_from == start_d:
                    raise WorkspaceError(f"{target}: a status already starts on {start_d}; "
                                         f"correct it instead")
                elif s_from > start_d and (until is None or s_from < until):
                    until = s_from
                statuses.append(st)
            entry = {"status": status, "from": start_d.isoformat(),
                     "to": until.isoformat() if until else "", "from_precision": precision,
                     "to_precision": precision if end_d else "day", "confidence": confidence,
                     "sources": list(srcs), "note": note}
            statuses.append(entry)
            body["statuses"] = sorted(statuses, key=lambda s: s["from"])
            new = self._window(cur, [start_d, end_d], target, notes)
            new.append(self._supersede(cur, kind, target, body,
                                       f"status {status} from {start_d}", "record"))
            return new, notes

        _, notes = self._write(by, base, compose)
        return target, notes

    def record_object(self, kind: str, body: Mapping[str, Any], *, by: str | None = None,
                      base: int | None = None) -> tuple[str, list[str]]:
        """Add a siege, corridor, crossing, event or area in the pack format (an ``id`` is
        made when missing). Returns (id, notes)."""
        if kind not in ("siege", "corridor", "crossing", "event", "area"):
            raise WorkspaceError(f"cannot record a {kind!r}")
        body = dict(body)
        if kind == "area":
            rid = str(body.get("properties", {}).get("id") or _new_id("area"))
            body.setdefault("properties", {})["id"] = rid
        else:
            rid = str(body.get("id") or _new_id(kind[:3], _day(body.get("from") or
                                                                body.get("date"), "date")))
            body["id"] = rid

        def compose(cur, sc):
            if (kind, rid) in cur and cur[(kind, rid)].body:
                raise WorkspaceError(f"{kind} '{rid}' exists already; correct it instead")
            notes: list[str] = []
            days = [_day(body.get(k), k) for k in ("from", "to", "date") if body.get(k)]
            new = self._window(cur, days, rid, notes)
            new.append(NewRow(kind, rid, json.dumps(body, ensure_ascii=False), None, "",
                              "record"))
            return new, notes

        _, notes = self._write(by, base, compose)
        return rid, notes

    def correct(self, record_id: str, changes: Mapping[str, Any], *, reason: str,
                by: str | None = None, base: int | None = None) -> str:
        """Supersede a record with a corrected copy (``field=value`` changes). Returns its id.

        A new start of a control record moves the end of the records its recording ended.
        """
        if not reason or not reason.strip():
            raise WorkspaceError("a correction needs --reason")
        if not changes:
            raise WorkspaceError("nothing to correct: give FIELD=VALUE")

        def compose(cur, sc):
            row = self._find(cur, record_id)
            body = json.loads(row.body)
            target = body.get("properties", body) if row.kind == "area" else body
            for key, value in changes.items():
                if key == "id":
                    raise WorkspaceError("a record's id cannot be corrected")
                if row.kind == "control" and key not in body:
                    raise WorkspaceError(f"control records have no field '{key}' (fields: "
                                         f"{', '.join(k for k in body if k != 'id')})")
                target[key] = value if row.kind == "control" else _value(value)
            new = [self._supersede(cur, row.kind, record_id, body, reason.strip(), "correct")]
            old_from = json.loads(row.body).get("from")
            if row.kind == "control" and body.get("from") != old_from:
                # Else a later start leaves a gap and an earlier one an overlap.
                for oid, o_body in _ended_by(cur, record_id, old_from):
                    moved = {**o_body, "to": body.get("from")}
                    new.append(self._supersede(
                        cur, "control", oid, moved,
                        f"{_ended_reason(record_id)}; end moved with its start "
                        f"({reason.strip()})", "correct"))
            return new, []

        self._write(by, base, compose)
        return record_id

    def retract(self, record_id: str, *, reason: str, by: str | None = None,
                base: int | None = None) -> str:
        """Supersede a record with nothing (it leaves the map; its history stays).

        The control records its recording ended get their span back (they end where it did).
        """
        if not reason or not reason.strip():
            raise WorkspaceError("a retraction needs --reason")

        def compose(cur, sc):
            row = self._find(cur, record_id)
            if row.kind in ("manifest", "actors"):
                raise WorkspaceError(f"the {row.kind} cannot be retracted; correct it")
            new = [self._supersede(cur, row.kind, record_id, None, reason.strip(), "retract")]
            if row.kind == "control":
                # Else the retracted span is a hole (no record) instead of the map before.
                body = json.loads(row.body)
                for oid, o_body in _ended_by(cur, record_id, body.get("from")):
                    restored = {**o_body, "to": body.get("to") or "",
                                "to_precision": body.get("to_precision") or "day"}
                    new.append(self._supersede(
                        cur, "control", oid, restored,
                        f"end restored: {record_id} retracted ({reason.strip()})", "retract"))
            return new, []

        self._write(by, base, compose)
        return record_id

    def set_actors(self, actors: Mapping[str, Any], *, reason: str, by: str | None = None,
                   base: int | None = None) -> None:
        """Replace actors.json (a new version of the ``actors`` record)."""

        def compose(cur, sc):
            return [self._supersede(cur, "actors", "actors", dict(actors), reason,
                                    "correct")], []

        self._write(by, base, compose)

    # -- creating ------------------------------------------------------------------------
    def validate_records(self, records: Iterable[tuple[str, str, dict]]) -> None:
        """Raise :class:`WorkspaceError` when ``records`` would not load as a pack."""
        cur = {(k, i): Row(0, k, i, json.dumps(b), "", "", None, "", "create")
               for k, i, b in records}
        self._load(cur)

    def load_records(self, records: Iterable[tuple[str, str, dict]], *, op: str, reason: str,
                     by: str | None = None) -> int:
        """Write a whole pack's records into this (new, empty) workspace in one transaction."""
        records = list(records)

        def compose(cur, sc):
            if cur:
                raise WorkspaceError(f"workspace '{self.name}' is not empty")
            return [NewRow(kind, rid, json.dumps(body, ensure_ascii=False), None, reason, op)
                    for kind, rid, body in records], []

        version, _ = self._write(by, None, compose)
        return version


def _value(text: Any) -> Any:
    """A FIELD=VALUE value: JSON when it parses as a list, object, number or literal."""
    if not isinstance(text, str):
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if not isinstance(value, str) else text


def _dated(start, end, precision: str, confidence: str, sources: Iterable[str]
           ) -> tuple[dt.date, dt.date | None, list[str]]:
    """The checks every dated record shares: (from, to, sources)."""
    start_d, end_d = _day(start, "--from"), _day(end, "--to")
    if start_d is None:
        raise WorkspaceError("--from is missing (a date YYYY-MM-DD)")
    if end_d is not None and end_d <= start_d:
        raise WorkspaceError(f"--to {end_d} is not after --from {start_d}")
    _choice(precision, PRECISION, "--precision")
    _choice(confidence, CONFIDENCE, "--confidence")
    return start_d, end_d, _sources(sources)


def _sources(sources: Iterable[str]) -> list[str]:
    out = [s.strip() for s in sources if s and s.strip()]
    if not out:
        raise WorkspaceError("every record needs a source (--source ID or URL)")
    return out


def _units(sc, pid: str) -> tuple[tuple[str, ...], bool]:
    """(units, is the place a unit itself) for a place id of the workspace or place table."""
    if sc is not None and pid in sc.areas:
        return (pid,), True
    try:
        from geo.places import load_places, units_of
        place = load_places().get(pid)
    except (ImportError, FileNotFoundError):
        place = None
    if place is None:
        raise WorkspaceError(f"unknown place id {pid!r} (not a unit or area of the workspace "
                             "nor in the place table)")
    units = units_of(pid) or (pid,)
    return units, units == (pid,)


def _ended_reason(rid: str) -> str:
    """The reason on a control record's version ended by a new record ``rid``."""
    return f"ended by {rid}"


def _ended_by(cur: Current, rid: str, start: str | None) -> list[tuple[str, dict]]:
    """``(id, body)`` of control records that ``rid`` ended on ``start`` and that nobody
    changed since (their newest version still says so)."""
    out = []
    for (kind, oid), r in cur.items():
        if kind != "control" or not r.body:
            continue
        if r.reason == _ended_reason(rid) or r.reason.startswith(_ended_reason(rid) + "; "):
            body = json.loads(r.body)
            if body.get("to") == start:
                out.append((oid, body))
    return out


def _mentions(row: Row, place: str) -> bool:
    body = json.loads(row.body)
    if row.id == place:
        return True
    if row.kind == "control":
        return body.get("place") == place
    if row.kind == "siege":
        return place in (body.get("places") or [])
    if row.kind in ("corridor", "crossing", "event"):
        return body.get("place") == place or place in (body.get("endpoints") or [])
    return False


def _problems_line(exc: PackError) -> str:
    problems = exc.problems[:3]
    text = "; ".join(f"{p.file}: {p.record}: field '{p.field}': {p.message}"
                     if p.field else f"{p.file}: {p.record}: {p.message}" for p in problems)
    more = len(exc.problems) - len(problems)
    return text + (f" (and {more} more)" if more > 0 else "")


def fork_records(pack_root: Path, name: str, title: str | None) -> list[tuple[str, str, dict]]:
    """A pack's records, its manifest renamed to the workspace."""
    records = read_pack_records(pack_root)
    out = []
    for kind, rid, body in records:
        if kind == "manifest":
            body = {**body, "id": name}
            if title:
                body["title"] = title
        out.append((kind, rid, body))
    return out
