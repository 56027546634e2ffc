"""The workspace commands of ``python -m layers``: workspace, record, correct, retract, history.

Exit codes: 0 done, 2 bad input (one line naming what is wrong), 3 conflict with a write made
since the version the command was based on (``--base``). Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from layers.workspace import (
    ConflictError,
    PermissionDenied,
    Workspace,
    WorkspaceError,
    create_workspace,
    list_workspaces,
    open_backend,
    open_workspace,
)

BAD_INPUT = 2
CONFLICT = 3


def _store(args: argparse.Namespace) -> str | None:
    return getattr(args, "store", None)


def _ws(args: argparse.Namespace) -> Workspace:
    return open_workspace(args.name, _store(args))


def _sources(args: argparse.Namespace, ws: Workspace) -> list[str]:
    """``--source`` ids, a URL among them becoming a new source (with --publisher, --title,
    --published)."""
    out = []
    for src in args.source:
        if src.startswith(("http://", "https://")):
            same = [i for k, i, b in ws.records() if k == "source" and b.get("url") == src]
            if same:
                out.append(same[0])
                continue
            if not (args.publisher and args.title and args.published):
                raise WorkspaceError(f"source {src} is new: give --publisher, --title and "
                                     "--published (YYYY-MM-DD) to describe it")
            out.append(ws.add_source(src, args.publisher, args.title, args.published,
                                     by=args.by))
        else:
            known = {i for k, i, _ in ws.records() if k == "source"}
            if src not in known:
                from geo.places import load_sources

                if src not in load_sources():
                    raise WorkspaceError(f"unknown source '{src}' in workspace '{ws.name}' "
                                         "(give its id, or a URL with --publisher, --title, "
                                         "--published)")
            out.append(src)
    return out


def _notes(notes: list[str]) -> None:
    for n in notes:
        print(f"note: {n}", file=sys.stderr)


# -- commands ---------------------------------------------------------------------------------
def _cmd_new(args: argparse.Namespace) -> int:
    if args.from_pack:
        ws = create_workspace(args.name, from_pack=args.from_pack, title=args.title,
                              store=_store(args), by=args.by)
    else:
        from layers.workspace.units import records_from_units

        records, report = records_from_units(args.name, args.units, args.id_field,
                                             args.name_field, title=args.title, by=args.by)
        for line in report:
            print(f"note: {line}", file=sys.stderr)
        ws = create_workspace(args.name, records=records, title=args.title,
                              store=_store(args), by=args.by)
    print(f"{ws.name}\tversion {ws.version}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    for w in list_workspaces(_store(args)):
        print(f"{w['name']}\tversion {w['version']}\t{w['title']}\t"
              f"created {w['created_at'][:16]} by {w['created_by']}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    root = _ws(args).export(args.output, as_known_on=args.as_known_on)
    print(root)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from layers.workspace.packfiles import read_pack_records

    root = Path(args.dir)
    if not (root / "manifest.json").is_file():
        raise WorkspaceError(f"{root}: not a pack directory (no manifest.json)")
    try:
        records = read_pack_records(root)
    except (ValueError, KeyError, OSError) as exc:
        raise WorkspaceError(f"{root}: cannot be read as a pack ({exc})") from None
    name = args.as_name or next(b for k, _, b in records if k == "manifest").get("id", "")
    records = [(k, i, {**b, "id": name} if k == "manifest" else b) for k, i, b in records]
    ws = create_workspace(name, records=records, store=_store(args), by=args.by)
    print(f"{ws.name}\tversion {ws.version}")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    ws = _ws(args)
    ws.backend.delete(ws.name, args.by or _default_by(), args.reason or "deleted")
    print(f"{ws.name}\tdeleted (its records are kept in the store)")
    return 0


def _default_by() -> str:
    from layers.workspace import default_user

    return default_user()


def _cmd_actor(args: argparse.Namespace) -> int:
    ws = _ws(args)
    doc = next((b for k, _, b in ws.records() if k == "actors"),
               {"actors": [], "alliances": []})
    actors = [a for a in doc.get("actors", []) if a["id"] != args.id]
    actors.append({"id": args.id, "name": args.actor_name, "short": args.short or args.id,
                   "colour": args.colour, "description": args.description or ""})
    alliances = [list(g) for g in doc.get("alliances", [])]
    if args.allied_with:
        group = next((g for g in alliances if args.allied_with in g), None)
        if group is None:
            alliances.append([args.allied_with, args.id])
        elif args.id not in group:
            group.append(args.id)
    ws.set_actors({"actors": actors, "alliances": alliances},
                  reason=f"actor {args.id} set", by=args.by, base=args.base)
    print(args.id)
    return 0


def _cmd_record_control(args: argparse.Namespace) -> int:
    ws = _ws(args)
    if (args.actor is None) == (args.status is None):
        raise WorkspaceError("give --actor ACTOR or --status contested|unknown")
    ids, notes = ws.record_control(
        args.places.split(","), actor=args.actor, status=args.status or "controlled",
        start=args.from_, end=args.to, precision=args.precision,
        sources=_sources(args, ws), confidence=args.confidence, note=args.note or "",
        by=args.by, base=args.base)
    _notes(notes)
    print("\n".join(ids))
    return 0


def _cmd_record_access(args: argparse.Namespace) -> int:
    ws = _ws(args)
    rid, notes = ws.record_access(
        args.target, status=args.status, start=args.from_, end=args.to,
        precision=args.precision, sources=_sources(args, ws), confidence=args.confidence,
        note=args.note or "", by=args.by, base=args.base)
    _notes(notes)
    print(rid)
    return 0


def _cmd_correct(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    for pair in args.changes:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise WorkspaceError(f"{pair!r} is not FIELD=VALUE")
        changes[key.strip()] = value
    print(_ws(args).correct(args.record, changes, reason=args.reason, by=args.by,
                            base=args.base))
    return 0


def _cmd_retract(args: argparse.Namespace) -> int:
    print(_ws(args).retract(args.record, reason=args.reason, by=args.by, base=args.base))
    return 0


def _team_backend(args: argparse.Namespace):
    backend = open_backend(_store(args))
    if not hasattr(backend, "migrate"):
        raise WorkspaceError(f"store {backend.location} is a GeoPackage: it has no schema to "
                             "migrate and no roles (use --store postgresql://...)")
    return backend


def _cmd_store_migrate(args: argparse.Namespace) -> int:
    start, end = _team_backend(args).migrate()
    print(f"schema {start} -> {end}" if start != end else f"schema {end}: up to date")
    return 0


def _cmd_store_grant(args: argparse.Namespace) -> int:
    _team_backend(args).grant(args.user, args.role)
    print(f"{args.user}\t{args.role}")
    return 0


def _cmd_store_refresh(args: argparse.Namespace) -> int:
    from layers.workspace.qgis import refresh

    backend = _team_backend(args)
    names = [args.name] if args.name else [w["name"] for w in backend.workspaces()]
    for name in names:
        for table in refresh(Workspace(name, backend)):
            print(table)
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    rows = _ws(args).history(place=args.place)
    if args.json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return 0
    for r in rows:
        what = "retracted" if r["retracted"] else _brief(r["kind"], r["body"])
        why = f" — {r['reason']}" if r["reason"] else ""
        print(f"#{r['seq']}\t{r['recorded_at'][:19]}Z\t{r['recorded_by']}\t{r['op']}\t"
              f"{r['kind']} {r['id']}: {what}{why}")
    return 0


def _brief(kind: str, body: dict | None) -> str:
    if not body:
        return ""
    if kind == "control":
        who = body.get("actor") or body.get("status")
        return (f"{body.get('place')} {who} {body.get('from')}..{body.get('to') or ''} "
                f"[{body.get('sources')}]")
    if kind in ("corridor", "crossing"):
        last = (body.get("statuses") or [{}])[-1]
        return f"{body.get('name')} — latest {last.get('status')} from {last.get('from')}"
    if kind == "source":
        return f"{body.get('publisher')}, {body.get('title')} ({body.get('date')})"
    if kind == "area":  # a GeoJSON feature: its name is a property
        body = body.get("properties") or {}
    return str(body.get("name") or body.get("title") or "")


# -- parsers ----------------------------------------------------------------------------------
def _common(p: argparse.ArgumentParser, *, base: bool = True) -> None:
    p.add_argument("--store", help="GeoPackage path or postgresql:// URL "
                                   "(default: $CORDON_STORE)")
    p.add_argument("--by", help="who records this (default: $CORDON_USER, else the OS user)")
    if base:
        p.add_argument("--base", type=int, help="the workspace version this change is based "
                                                "on; a newer change to the same record is a "
                                                "conflict (exit 3)")


def _record_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="from_", required=True, metavar="DATE")
    p.add_argument("--to", metavar="DATE")
    p.add_argument("--precision", default="day", choices=("day", "month", "approximate"))
    p.add_argument("--source", required=True, action="append",
                   help="a source id of the workspace, or a URL (repeatable)")
    p.add_argument("--publisher")
    p.add_argument("--title")
    p.add_argument("--published", metavar="YYYY-MM-DD")
    p.add_argument("--confidence", default="medium", choices=("high", "medium", "low"))
    p.add_argument("--note")
    _common(p)


def add_workspace_parsers(sub: Any) -> None:
    """Register workspace, record, correct, retract and history."""
    p = sub.add_parser("workspace", help="create, list, export, import or delete workspaces")
    wsub = p.add_subparsers(dest="ws_command", required=True, metavar="ACTION",
                            parser_class=type(p))
    q = wsub.add_parser("new", help="a workspace from a pack (--from) or a unit layer (--units)")
    q.add_argument("name", metavar="NAME")
    src = q.add_mutually_exclusive_group(required=True)
    src.add_argument("--from", dest="from_pack", metavar="PACK")
    src.add_argument("--units", metavar="FILE")
    q.add_argument("--id-field")
    q.add_argument("--name-field")
    q.add_argument("--title")
    _common(q, base=False)
    q.set_defaults(func=_guard(_cmd_new))
    q = wsub.add_parser("list", help="the workspaces in the store")
    _common(q, base=False)
    q.set_defaults(func=_guard(_cmd_list))
    q = wsub.add_parser("export", help="write a workspace as a pack directory")
    q.add_argument("name", metavar="NAME")
    q.add_argument("-o", "--output", required=True, metavar="DIR")
    q.add_argument("--as-known-on", metavar="YYYY-MM-DD[THH:MM]")
    _common(q, base=False)
    q.set_defaults(func=_guard(_cmd_export))
    q = wsub.add_parser("import", help="a pack directory into a new workspace")
    q.add_argument("dir", metavar="DIR")
    q.add_argument("--name", dest="as_name")
    _common(q, base=False)
    q.set_defaults(func=_guard(_cmd_import))
    q = wsub.add_parser("delete", help="hide a workspace (its records stay in the store)")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--reason")
    _common(q, base=False)
    q.set_defaults(func=_guard(_cmd_delete))
    q = wsub.add_parser("actor", help="add or change an actor of a workspace")
    q.add_argument("name", metavar="NAME")
    q.add_argument("id", metavar="ACTOR_ID")
    q.add_argument("--name", dest="actor_name", required=True)
    q.add_argument("--short")
    q.add_argument("--colour", required=True, help="#rrggbb")
    q.add_argument("--description")
    q.add_argument("--allied-with", metavar="ACTOR_ID")
    _common(q)
    q.set_defaults(func=_guard(_cmd_actor))

    p = sub.add_parser("record", help="record a control change or an access status")
    rsub = p.add_subparsers(dest="record_kind", required=True, metavar="KIND",
                            parser_class=type(p))
    q = rsub.add_parser("control", help="who holds places from a date")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--places", required=True, metavar="ID[,ID...]")
    q.add_argument("--actor")
    q.add_argument("--status", choices=("contested", "unknown"))
    _record_options(q)
    q.set_defaults(func=_guard(_cmd_record_control))
    q = rsub.add_parser("access", help="a corridor's or crossing's status from a date")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--target", required=True, metavar="CORRIDOR_OR_CROSSING_ID")
    q.add_argument("--status", required=True,
                   choices=("open", "restricted", "under_fire", "closed", "unknown"))
    _record_options(q)
    q.set_defaults(func=_guard(_cmd_record_access))

    p = sub.add_parser("correct", help="supersede a record with a corrected copy")
    p.add_argument("name", metavar="NAME")
    p.add_argument("record", metavar="RECORD_ID")
    p.add_argument("changes", nargs="+", metavar="FIELD=VALUE")
    p.add_argument("--reason", required=True)
    _common(p)
    p.set_defaults(func=_guard(_cmd_correct))

    p = sub.add_parser("retract", help="supersede a record with nothing")
    p.add_argument("name", metavar="NAME")
    p.add_argument("record", metavar="RECORD_ID")
    p.add_argument("--reason", required=True)
    _common(p)
    p.set_defaults(func=_guard(_cmd_retract))

    p = sub.add_parser("store", help="team store (PostgreSQL): migrate the schema, grant roles")
    ssub = p.add_subparsers(dest="store_command", required=True, metavar="ACTION",
                            parser_class=type(p))
    q = ssub.add_parser("migrate", help="create or upgrade Cordon's schema (admin)")
    q.add_argument("--store", help="postgresql://USER@HOST:PORT/DB (default: $CORDON_STORE)")
    q.set_defaults(func=_guard(_cmd_store_migrate))
    q = ssub.add_parser("grant", help="make a database user a viewer, editor or admin")
    q.add_argument("user", metavar="USER")
    q.add_argument("role", choices=("viewer", "editor", "admin"))
    q.add_argument("--store", help="postgresql://USER@HOST:PORT/DB (default: $CORDON_STORE)")
    q.set_defaults(func=_guard(_cmd_store_grant))

    q = ssub.add_parser("refresh", help="rewrite the QGIS tables (state today) of workspaces")
    q.add_argument("name", metavar="NAME", nargs="?", help="one workspace (default: all)")
    q.add_argument("--store", help="postgresql://USER@HOST:PORT/DB (default: $CORDON_STORE)")
    q.set_defaults(func=_guard(_cmd_store_refresh))

    p = sub.add_parser("history", help="who recorded what, when, from which source")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--place", metavar="ID")
    p.add_argument("--json", action="store_true", help="one JSON object per version")
    p.add_argument("--store")
    p.set_defaults(func=_guard(_cmd_history))


def _guard(func):
    """Map workspace errors to one line and the exit codes of the CLI contract."""
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except ConflictError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return CONFLICT
        except (WorkspaceError, PermissionDenied) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return BAD_INPUT
        except ValueError as exc:  # InputError from an uploaded unit layer, bad dates
            print(f"error: {exc}", file=sys.stderr)
            return BAD_INPUT
    return run


__all__ = ["add_workspace_parsers", "open_backend"]
