"""Command line: ``python -m layers {summary,validate,list,export,import} …``.

Bad input ends with one line on stderr naming what is wrong and a non-zero exit status,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def _cmd_list(args: argparse.Namespace) -> int:
    from .catalog import list_scenarios, scenario_info

    for name in list_scenarios():
        info = scenario_info(name)
        a, b = info["window"]
        print(f"{name}\t{a} .. {b}\t{info['title']}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .pack import validate_pack

    if not args.pack.strip():  # Path("") is the working folder, "" a name for data/scenarios
        print("error: no pack directory given", file=sys.stderr)
        return 1
    path = Path(args.pack)
    from .catalog import is_workspace

    if not (path / "manifest.json").exists() and is_workspace(args.pack):
        from .workspace import WorkspaceError, open_workspace

        try:
            sc = open_workspace(args.pack).scenario()
        except WorkspaceError as exc:
            print(f"{args.pack}: {exc}", file=sys.stderr)
            return 1
        for w in sc.warnings:
            print(f"warning: {w}", file=sys.stderr)
        print(f"{args.pack}: ok (workspace, version {sc.version})")
        return 0
    if not (path / "manifest.json").exists() and "/" not in args.pack:
        from .catalog import SCENARIOS_DIR
        if (SCENARIOS_DIR / args.pack).is_dir():
            path = SCENARIOS_DIR / args.pack
    if not path.is_dir():
        print(f"error: {args.pack}: no such pack directory", file=sys.stderr)
        return 1
    problems, warnings = validate_pack(path)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    if problems:
        for p in problems:
            print(f"{path}/{p}", file=sys.stderr)
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{path}: ok")
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from .catalog import load_scenario
    from .summary import format_summary, summarize

    sc = load_scenario(args.scenario, as_known_on=args.as_known_on, store=args.store)
    day = args.date or sc.default_date
    start, end = sc.window
    if not start <= day <= end:  # the state there is not what the pack describes: refuse
        print(f"error: --date {day} is outside the window of scenario '{args.scenario}' "
              f"({start} .. {end})", file=sys.stderr)
        return 2
    s = summarize(sc, day)
    if args.json:
        json.dump(s, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(format_summary(s))
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (the usage is one ``--help`` away)."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m layers",
                                     description="Sieges and access over time: scenario packs.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                parser_class=_Parser)

    p = sub.add_parser("summary", help="who holds what, encirclement, corridors, sieges")
    p.add_argument("--scenario", required=True,
                   help="pack name (data/scenarios/), pack directory or workspace name")
    p.add_argument("--date", type=_date, help="YYYY-MM-DD (default: the pack's default date)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--as-known-on", metavar="YYYY-MM-DD[THH:MM]",
                   help="a workspace as its team knew it then")
    p.add_argument("--store", help="the store holding workspaces (default: $CORDON_STORE)")
    p.set_defaults(func=_cmd_summary)

    p = sub.add_parser("validate", help="check a scenario pack or workspace, naming each "
                                        "problem")
    p.add_argument("pack", metavar="PACK_DIR_OR_WORKSPACE")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("list", help="list the shipped scenario packs")
    p.set_defaults(func=_cmd_list)

    from .cli_exchange import add_export_parser, add_import_parser  # the exchange commands

    add_export_parser(sub)
    add_import_parser(sub)

    from .cli_workspace import add_workspace_parsers  # workspaces: living scenarios

    add_workspace_parsers(sub)

    from .cli_propose import add_propose_parser  # reports → proposed changes

    add_propose_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .cli_exchange import join_negative_values

    parser = build_parser()
    args = parser.parse_args(join_negative_values(sys.argv[1:] if argv is None else argv))
    from .pack import PackError

    try:
        return int(args.func(args) or 0)
    except PackError as exc:
        for p in exc.problems:
            print(f"{exc.path}/{p}", file=sys.stderr)
        print(f"error: {exc.path}: the pack has {len(exc.problems)} problem(s)", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. piped into `head`; before OSError, of which it is one
        # point stdout at devnull so the interpreter's final flush does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (FileNotFoundError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
