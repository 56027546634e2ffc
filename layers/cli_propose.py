"""``python -m layers propose REPORT.txt --scenario NAME --published YYYY-MM-DD [--json]``.

Prints one line per proposed change (or one JSON object per line with ``--json``). Bad input
— a missing, empty or binary file, a date in the wrong format, an unknown scenario — ends
with one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

BAD_INPUT = 2
#: Largest report file read (bytes); the engine refuses longer text anyway.
MAX_BYTES = 8_000_000


def _published(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--published {text!r} is not a date YYYY-MM-DD") from None


def read_report_file(path: str) -> str:
    """The text of a report file (UTF-8, or '-' for stdin); ValueError with one line when it
    is missing, a folder, too large, binary or not UTF-8."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        p = Path(path)
        if not p.exists():
            raise ValueError(f"{path}: no such file")
        if not p.is_file():
            raise ValueError(f"{path}: not a file")
        if p.stat().st_size > MAX_BYTES:
            raise ValueError(f"{path}: larger than {MAX_BYTES // 1_000_000} MB; split the report")
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise ValueError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise ValueError(f"{path}: larger than {MAX_BYTES // 1_000_000} MB; split the report")
    if b"\x00" in data:
        raise ValueError(f"{path}: looks like a binary file (NUL bytes), not a text report")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _line(p: Any, names: dict[str, str]) -> str:
    where = ", ".join(p.places) or "-"
    if p.unmapped:
        extra = "; ".join(f"{u.name} ({u.lat:.4f}, {u.lon:.4f}) not in the scenario"
                          for u in p.unmapped)
        where = f"{where} [{extra}]" if p.places else f"[{extra}]"
    actor = names.get(p.actor, p.actor) if p.actor else "-"
    date_text = p.date + ("" if p.date_precision == "day" else f" ({p.date_precision})")
    why = f"  ({'; '.join(p.reasons)})" if p.reasons else ""
    return (f"{p.kind:7} {p.status:10} {actor:20} {where}  {date_text}  "
            f"{p.level()} {p.confidence:.2f}{why}\n        \"{_clip(p.sentence)}\"")


def _clip(text: str, n: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _cmd_propose(args: argparse.Namespace) -> int:
    from .catalog import load_scenario
    from .propose import ProposeError, propose

    try:
        text = read_report_file(args.report)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    try:
        if args.workspace:
            from .workspace import WorkspaceError, open_workspace

            try:
                sc = open_workspace(args.workspace, args.store).scenario()
            except WorkspaceError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return BAD_INPUT
        else:
            sc = load_scenario(args.scenario, store=args.store)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    try:
        props = propose(text, sc, published=args.published, source=args.source)
    except ProposeError as exc:
        print(f"error: {args.report}: {exc}", file=sys.stderr)
        return BAD_INPUT
    if args.json:
        for p in props:
            sys.stdout.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        return 0
    names = {a.id: a.short for a in sc.actors.values()}
    for p in props:
        print(_line(p, names))
    print(f"{len(props)} proposal(s) from {args.report}", file=sys.stderr)
    return 0


def add_propose_parser(sub: Any) -> None:
    """Register ``propose`` on the ``python -m layers`` subcommands."""
    p = sub.add_parser("propose", help="read a report into proposed control, siege, access "
                                       "and event changes")
    p.add_argument("report", metavar="REPORT.txt", help="a UTF-8 text file, or - for stdin")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--scenario", help="pack name (data/scenarios/), pack directory or "
                                          "workspace name")
    where.add_argument("--workspace", help="a workspace in the store (its actors and aliases "
                                           "as they stand now)")
    p.add_argument("--published", required=True, type=_published, metavar="YYYY-MM-DD",
                   help="publication date: relative dates resolve against it")
    p.add_argument("--source", help="source id or URL of the report, copied onto each proposal")
    p.add_argument("--json", action="store_true", help="one JSON object per proposal per line")
    p.add_argument("--store", help="the store holding workspaces (default: $CORDON_STORE)")
    p.set_defaults(func=_cmd_propose)
