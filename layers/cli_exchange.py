"""The ``export`` and ``import`` subcommands of ``python -m layers``.

``layers/__main__.py`` registers them with :func:`add_export_parser` and
:func:`add_import_parser`; each sets ``func`` on the namespace, a callable taking the parsed
arguments and returning the exit status (0 ok, 2 bad input). Errors are one line on stderr,
never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sqlite3
import sys
from typing import Any

from pyogrio.errors import DataLayerError, DataSourceError

from layers.io.errors import InputError
from layers.io.export import FORMATS, ExportError, default_attribution, export
from layers.io.import_ import import_file
from layers.io.values import printable
from layers.selection import SelectionError, parse_bbox, select
from layers.store import Store, StoreError, default_path, plain_reason

DEFAULT_LAYERS = "control,sieges,corridors,crossings,events"
BRIEFING_FORMATS = ("png", "pdf")  # print maps (layers.draw.briefing), not GIS data
BAD_INPUT = 2
# what a store that is not a GeoPackage (or not writable) can raise below the store's own checks
_STORE_FAILURES = (OSError, sqlite3.Error, DataSourceError, DataLayerError)


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [p.strip() for p in text.split(",") if p.strip()]


_NEGATIVE_LIST = re.compile(r"^-\d[\d.,\s-]*$")


def join_negative_values(argv: list[str]) -> list[str]:
    """``--bbox -75.2,18.0,-71.6,20.1`` → ``--bbox=-75.2,...``: argparse would take a value
    starting with '-' for an option, which breaks every box west of Greenwich."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--bbox" and i + 1 < len(argv) and _NEGATIVE_LIST.match(argv[i + 1]):
            out.append(f"--bbox={argv[i + 1]}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def add_export_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``export``: a selection of a state and/or user layers to a GIS file."""
    p = subparsers.add_parser(
        "export", help="export layers at a date as GeoJSON, GeoPackage, KML, CSV, or a "
                       "PNG/PDF briefing map",
        description="Export a selection (scenario layers at a date and/or user layers from "
                    "the store, filtered by actors and bounding box) for QGIS, ArcGIS or "
                    "Google Earth, or as a briefing map (PNG or PDF: map, legend, scale, "
                    "sources).",
    )
    p.add_argument("--scenario", help="scenario pack name or folder, or a workspace name")
    p.add_argument("--date", help="YYYY-MM-DD (default: the pack's default date)")
    p.add_argument("--as-known-on", metavar="YYYY-MM-DD[THH:MM]",
                   help="a workspace as its team knew it then")
    p.add_argument("--layers", default=None,
                   help=f"scenario layers, comma-separated (default {DEFAULT_LAYERS}; "
                        "'zones' adds the dissolved zones)")
    p.add_argument("--user-layers", default=None, help="user layers from the store, A,B")
    p.add_argument("--store", default=None, help="working store (default $CORDON_STORE or "
                                                 "~/.local/share/cordon/store.gpkg)")
    p.add_argument("--actors", default=None, help="actor ids, comma-separated")
    p.add_argument("--bbox", default=None, help="W,S,E,N in degrees")
    p.add_argument("--format", required=True, choices=(*FORMATS, *BRIEFING_FORMATS),
                   dest="fmt")
    p.add_argument("--hxl", action="store_true",
                   help="CSV: add HXL hashtags as a second header row (GDAL and spreadsheets "
                        "then read that row as a feature)")
    p.add_argument("--title", default=None, help="PNG/PDF: the heading (default: the "
                                                 "scenario's title)")
    p.add_argument("-o", "--output", required=True, help="output file ('-' for stdout)")
    p.set_defaults(func=run_export)
    return p


def add_import_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``import``: a GeoJSON/GeoPackage/KML/CSV file into a user layer."""
    p = subparsers.add_parser(
        "import", help="import a GeoJSON, GeoPackage, KML or CSV file as a user layer",
        description="Check and import a file into a user layer of the working store. "
                    "Nothing is written unless the whole file is good.",
    )
    p.add_argument("file")
    p.add_argument("--into", required=True, help="user layer name")
    p.add_argument("--layer", default=None, help="only this layer (table or folder) of FILE")
    p.add_argument("--replace", action="store_true",
                   help="replace the layer's features instead of adding to them")
    p.add_argument("--store", default=None, help="working store (default $CORDON_STORE or "
                                                 "~/.local/share/cordon/store.gpkg)")
    p.set_defaults(func=run_import)
    return p


def _fail(message: str) -> int:
    # One line, and no control character reaches the terminal (an ESC from a file's text
    # could restyle it): they are shown as escapes.
    print(f"error: {printable(' '.join(str(message).split()))}", file=sys.stderr)
    return BAD_INPUT


def _store_failed(args: argparse.Namespace, exc: Exception) -> int:
    """What the store's own checks did not turn into a StoreError, said plainly: no SQL, no
    GDAL driver hints."""
    path = args.store or os.environ.get("CORDON_STORE") or default_path()
    return _fail(f"store '{path}' cannot be used: {plain_reason(exc)}")


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SelectionError(f"--date '{text}' is not a date YYYY-MM-DD") from None


def _scenario_state(args: argparse.Namespace) -> tuple[Any, Any]:
    """Load the pack and its state at the date (a PackError reaches ``__main__``, which
    lists the pack's problems)."""
    import layers  # the model's public API (load_scenario, state_at) lives in the package

    day = _parse_date(args.date) if args.date else None
    try:
        scenario = layers.load_scenario(args.scenario, as_known_on=args.as_known_on,
                                        store=args.store)
    except (OSError, LookupError, ValueError) as exc:  # ValueError: a workspace's as-known-on
        raise SelectionError(f"scenario '{args.scenario}': {exc}") from None
    problem = outside_window(day, scenario.window, args.scenario)
    if problem:
        raise SelectionError(problem)
    return scenario, layers.state_at(scenario, day or scenario.manifest.default_date)


def outside_window(day: dt.date | None, window: tuple[dt.date, dt.date],
                   scenario: str) -> str | None:
    """One line when ``day`` falls outside the scenario's window, else None."""
    start, end = window
    if day is None or start <= day <= end:
        return None
    return (f"--date {day} is outside the window of scenario '{printable(scenario)}' "
            f"({start} .. {end})")


def run_export(args: argparse.Namespace) -> int:
    """``python -m layers export ...``; returns the exit status."""
    try:
        bbox = parse_bbox(args.bbox) if args.bbox else None
        actors = _split(args.actors)
        user_names = _split(args.user_layers) or []
        if not args.scenario and not user_names:
            return _fail("nothing to export: give --scenario and/or --user-layers")
        if args.date and not args.scenario:
            _parse_date(args.date)
        state, scenario, attribution = None, None, default_attribution()
        if args.scenario:
            scenario, state = _scenario_state(args)
            if actors:
                unknown = [a for a in actors if a not in scenario.actors]
                if unknown:
                    return _fail(f"unknown actor '{unknown[0]}' in scenario '{args.scenario}' "
                                 f"(actors: {', '.join(scenario.actors)})")
            own = getattr(scenario.manifest, "attribution", "")
            if own:
                attribution = f"{own} {attribution}"
        names = _split(args.layers or DEFAULT_LAYERS) if state is not None else None
        user = {}
        if user_names:
            store = Store(args.store)
            user = {n: store.read(n) for n in user_names}
        briefing = args.fmt in BRIEFING_FORMATS
        if briefing and names and "corridors" in names and "cuts" not in names:
            names = [*names, "cuts"]  # as on the page: the stretches over hostile ground
        selection = select(state, names, actors=actors, bbox=bbox, user_layers=user)
        if briefing:
            _briefing(selection, args, scenario, state, bbox, attribution)
        elif args.output == "-":
            export(selection, args.fmt, sys.stdout.buffer, attribution=attribution,
                   hxl=args.hxl)
        else:
            export(selection, args.fmt, args.output, attribution=attribution, hxl=args.hxl)
    except (SelectionError, ExportError, StoreError, InputError) as exc:
        return _fail(str(exc))
    except _STORE_FAILURES as exc:
        return _store_failed(args, exc)
    if args.output != "-":
        total = sum(len(g) for g in selection.values())
        print(f"wrote {total} features in {len(selection)} layers to {args.output}",
              file=sys.stderr)
    return 0


def _briefing(selection: dict, args: argparse.Namespace, scenario: Any, state: Any,
              bbox: Any, attribution: str) -> None:
    """Draw the selection as a PNG/PDF briefing page and write it (raises ExportError)."""
    from layers.draw.briefing import BriefingError, render, write

    day = getattr(state, "date", None) if state is not None else None
    own = getattr(getattr(scenario, "manifest", None), "attribution", None)
    try:
        data = render(selection, args.fmt, scenario=scenario, day=day, title=args.title,
                      bbox=bbox, attribution=own or attribution)
        write(data, sys.stdout.buffer if args.output == "-" else args.output)
    except BriefingError as exc:
        raise ExportError(str(exc)) from None


def run_import(args: argparse.Namespace) -> int:
    """``python -m layers import FILE --into LAYER``; returns the exit status."""
    store = Store(args.store)
    try:
        gdf = import_file(args.file, name=args.layer)
        if args.replace:
            count = store.replace(args.into, gdf, source=str(args.file))
        else:
            count = store.add_layer(args.into, gdf, source=str(args.file))
    except InputError as exc:
        return _fail(str(exc))
    except StoreError as exc:  # e.g. "feature 2: id 'x' appears twice": say which file
        msg = str(exc)  # but a full disk or a locked store is not the file's fault
        named = str(args.file) in msg or str(store.path) in msg
        return _fail(msg if named else f"{args.file}: {msg}")
    except _STORE_FAILURES as exc:
        return _store_failed(args, exc)
    for line in gdf.attrs.get("notes", []) + gdf.attrs.get("repairs", []):
        print(f"note: {printable(line)}", file=sys.stderr)
    print(f"imported {count} features from {args.file} into layer '{args.into}' "
          f"of {store.path}", file=sys.stderr)
    return 0
