"""Records ↔ pack files: a workspace's records are the pack format cut into records.

Kinds and their pack files: ``manifest`` (manifest.json), ``actors`` (actors.json, actors
and alliances as one record), ``source`` (one entry of sources.json), ``area`` (one feature
of areas.geojson), ``control`` (one row of control.csv, with its ``id``), ``siege``,
``corridor``, ``crossing``, ``event`` (one object of the JSON lists). A pack read into a
workspace and written out again gives the same files, with ids added to control rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from layers.pack import CONTROL_COLUMNS

#: Kind -> pack file; the order records are written in.
FILES = {"manifest": "manifest.json", "actors": "actors.json", "source": "sources.json",
         "area": "areas.geojson", "control": "control.csv", "siege": "sieges.json",
         "corridor": "corridors.json", "crossing": "crossings.json", "event": "events.json"}
LIST_KINDS = ("siege", "corridor", "crossing", "event")
CONTROL_FIELDS = ("id",) + CONTROL_COLUMNS


class RawJSON(str):
    """An area's body given as its JSON text (one value, as stored): written into
    areas.geojson as is, instead of parsed and written again (large polygons cost most)."""


def _load(root: Path, name: str) -> Any:
    path = root / name
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8-sig"))


def read_pack_records(root: Path) -> list[tuple[str, str, dict]]:
    """``(kind, id, body)`` for every record of the pack directory ``root``.

    Control rows without an ``id`` get ``ctl-<line>`` (their line in control.csv), so a fork
    names each row the same way every time.
    """
    out: list[tuple[str, str, dict]] = [("manifest", "manifest", _load(root, "manifest.json"))]
    actors = _load(root, "actors.json")
    if actors is not None:
        out.append(("actors", "actors", actors))
    for sid, body in (_load(root, "sources.json") or {}).items():
        out.append(("source", sid, body))
    for feat in (_load(root, "areas.geojson") or {}).get("features", []):
        out.append(("area", str(feat["properties"]["id"]), feat))
    path = root / "control.csv"
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            for row in reader:
                rid = (row.get("id") or "").strip() or f"ctl-{reader.line_num}"
                body = {k: (row.get(k) or "").strip() for k in CONTROL_COLUMNS}
                out.append(("control", rid, {"id": rid, **body}))
    for kind in LIST_KINDS:
        for obj in _load(root, FILES[kind]) or []:
            out.append((kind, str(obj["id"]), obj))
    return out


def to_files(records: Iterable[tuple[str, str, Mapping]]) -> dict[str, str]:
    """The pack's files as text from current records ``(kind, id, body)``; an area's body may
    be a :class:`RawJSON` text."""
    by_kind: dict[str, list[tuple[str, Mapping]]] = {k: [] for k in FILES}
    for kind, rid, body in records:
        by_kind[kind].append((rid, body))
    files: dict[str, str] = {}
    if by_kind["manifest"]:
        files["manifest.json"] = json.dumps(by_kind["manifest"][-1][1], ensure_ascii=False,
                                            indent=2)
    files["actors.json"] = json.dumps(
        by_kind["actors"][-1][1] if by_kind["actors"] else {"actors": [], "alliances": []},
        ensure_ascii=False, indent=2)
    files["sources.json"] = json.dumps({rid: body for rid, body in by_kind["source"]},
                                       ensure_ascii=False, indent=2)
    if by_kind["area"]:
        # json.dumps of the whole collection, feature by feature (the same text)
        files["areas.geojson"] = '{"type": "FeatureCollection", "features": [' + ", ".join(
            b if isinstance(b, RawJSON) else json.dumps(b, ensure_ascii=False)
            for _, b in by_kind["area"]) + "]}"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CONTROL_FIELDS)
    writer.writerows([rid, *[body.get(k, "") or "" for k in CONTROL_COLUMNS]]
                     for rid, body in by_kind["control"])
    files["control.csv"] = buf.getvalue()
    for kind in LIST_KINDS:
        if by_kind[kind]:
            files[FILES[kind]] = json.dumps([b for _, b in by_kind[kind]], ensure_ascii=False,
                                            indent=2)
    return files


def write_files(root: Path, files: Mapping[str, str]) -> None:
    """Write a pack directory (each file replaced atomically)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        tmp = root / f".{name}.tmp"
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        tmp.replace(root / name)
