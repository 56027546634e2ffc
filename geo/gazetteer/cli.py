"""``python -m geo gazetteer add|list|remove``: manage user gazetteers from the shell.

Exit status: 0 success, 1 internal error, 2 bad input (a malformed file, an unknown name).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from geo.oneline import internal_error


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m geo gazetteer",
        description="Add your own gazetteers (GeoNames dumps, OCHA COD CSV, plain CSV of name, "
                    "lat, lon…) to the offline geoparser, list them, remove them.",
        epilog="They live in $CORDON_GAZETTEERS (default: gazetteers/ in the cache directory).")
    sub = p.add_subparsers(dest="cmd", required=True)
    add = sub.add_parser("add", help="index a gazetteer file (.txt, .zip or .csv)")
    add.add_argument("file", metavar="FILE")
    add.add_argument("--name", help="its name (default: the file name's stem)")
    add.add_argument("--replace", action="store_true",
                     help="replace a gazetteer of the same name")
    sub.add_parser("list", help="the user gazetteers")
    rm = sub.add_parser("remove", help="remove a user gazetteer")
    rm.add_argument("name", metavar="NAME")
    return p


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Entry point of the ``gazetteer`` subcommand; returns the exit status."""
    from geo.gazetteer.formats import GazetteerError

    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        from geo.gazetteer import user

        if args.cmd == "add":
            info = user.add_gazetteer(args.file, args.name, replace=args.replace)
            extra = f", {info.skipped} lines skipped" if info.skipped else ""
            print(f"geo: added {info.name!r}: {info.places} places from {info.file} "
                  f"({info.format}{extra})", file=stdout)
        elif args.cmd == "list":
            items = user.list_gazetteers()
            if not items:
                print("geo: no user gazetteers", file=stderr)
            for i in items:
                print(f"{i.name}\t{i.places}\t{i.format}\t{i.file}\t{i.added}", file=stdout)
        else:
            info = user.remove_gazetteer(args.name)
            print(f"geo: removed {info.name!r} ({info.places} places)", file=stdout)
        return 0
    except GazetteerError as exc:
        print(f"geo: error: {exc}", file=stderr)
        return 2
    except KeyboardInterrupt:
        print("geo: interrupted", file=stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback
        return internal_error("geo", exc, stderr)
