"""Decide what an uploaded file really is before any library opens it.

GDAL picks a driver from a file's content, not its name, and reads as soon as it opens: a GDAL
VRT (a small XML file naming other files or URLs) saved as ``.geojson`` is opened as VRT and
reads ``/etc/passwd`` or fetches a URL. So the type is settled here, from magic bytes and
structure, and the reader is then allowed that one driver only (see :mod:`layers.io.sandbox`).

Every refusal is an :class:`InputError` naming the file and what is wrong with it.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from layers.io.errors import InputError

#: File name endings we accept, and the driver each may be opened with.
SUFFIX_KIND = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".kml": "LIBKML",
               ".kmz": "LIBKML", ".csv": "CSV"}
SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 1 << 16
#: Default ceiling on an upload's size; ``CORDON_IMPORT_MAX_MB`` changes it.
DEFAULT_MAX_MB = 512
# Markup that makes GDAL read something other than the file itself.
_REFERENCING = re.compile(rb"<\s*(OGRVRTDataSource|VRTDataset|GDAL_WMS|WFS_GetCapabilities|"
                          rb"GDAL_WMTS|WCS_GDAL|OGRWFSDataSource)\b", re.IGNORECASE)
_XML_DECLS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CRS_KEY = re.compile(rb'"crs"\s*:\s*\{')
_LINKED = re.compile(rb'"(link|href)"')
_NETWORK_LINK = re.compile(rb"<\s*(?:kml:)?NetworkLink\b")


@dataclass
class Sniffed:
    """What a file is, as decided from its content.

    Attributes
    ----------
    driver : str
        ``GeoJSON``, ``GPKG``, ``LIBKML`` or ``CSV``: the only reader the file gets.
    size : int
        Bytes on disk.
    skip_layers : dict
        GeoPackage layers not to read, with why (SQL views: they run queries).
    notes : list of str
        What the user should know (ignored triggers, links not followed).
    """

    driver: str
    size: int
    skip_layers: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def max_bytes() -> int:
    """The largest upload accepted, from ``CORDON_IMPORT_MAX_MB`` (default 512 MB)."""
    try:
        mb = float(os.environ.get("CORDON_IMPORT_MAX_MB", DEFAULT_MAX_MB))
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(mb * 1024 * 1024)


def sniff(path: Path, file: str) -> Sniffed:
    """Check that ``path`` holds what its name says, and nothing that reaches outside it.

    Parameters
    ----------
    path : Path
        The file (a regular file; the caller checked it exists).
    file : str
        The name to use in messages.

    Returns
    -------
    Sniffed

    Raises
    ------
    InputError
        Unsupported ending, content of another type (a VRT above all), a file too large, a
        GeoPackage with virtual tables, a KML with entity declarations, a zip bomb.
    """
    suffix = path.suffix.lower()
    kind = SUFFIX_KIND.get(suffix)
    if kind is None:
        raise InputError(file, None, None,
                         f"unsupported file type '{suffix or 'none'}' "
                         "(use .geojson, .json, .gpkg, .kml, .kmz or .csv)")
    size = path.stat().st_size
    limit = max_bytes()
    if size > limit:
        raise InputError(file, None, None,
                         f"is {size / 2**20:.0f} MB; the limit for one import is "
                         f"{limit / 2**20:.0f} MB (CORDON_IMPORT_MAX_MB)")
    if size == 0:
        raise InputError(file, None, None, "the file is empty")
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if _REFERENCING.search(head):
        raise InputError(file, None, None,
                         "is a GDAL virtual dataset (VRT or a web-service description) that "
                         "points at other files or URLs, not data; refused")
    out = Sniffed(kind, size)
    if suffix == ".gpkg":
        _check_gpkg(path, file, head, out)
    elif suffix == ".kmz":
        _check_kmz(path, file, head, out)
    elif suffix == ".kml":
        _check_kml(head, file, out)
    elif kind == "GeoJSON":
        _check_geojson(path, file, head)
    else:
        _check_csv(head, file)
    return out


def _text_start(head: bytes) -> bytes:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()


def _check_geojson(path: Path, file: str, head: bytes) -> None:
    start = _text_start(head)[:1]
    if start != b"{":
        what = "XML" if start == b"<" else "binary data" if b"\x00" in head else "other text"
        raise InputError(file, None, None,
                         f"is not GeoJSON (a JSON object starting with '{{'); it holds {what}")
    # A ``crs`` of type "link" names another file or URL for GDAL to read; GeoJSON (RFC 7946)
    # has no crs member at all, so nothing legitimate is lost by refusing it.
    for crs in _scan(path, _CRS_KEY, tail=4096):
        if _LINKED.search(crs):
            raise InputError(file, None, "crs",
                             "a linked coordinate system (a reference to another file or URL) "
                             "is not allowed; use WGS84 lon/lat (RFC 7946)")


def _scan(path: Path, pattern: re.Pattern, *, tail: int, chunk: int = 1 << 22):
    """Yield ``tail`` bytes after each match of ``pattern`` in the file, read in chunks."""
    with open(path, "rb") as fh:
        carry = b""
        while True:
            block = fh.read(chunk)
            if not block:
                break
            data = carry + block
            for m in pattern.finditer(data):
                yield data[m.end():m.end() + tail]
            carry = data[-(tail + 64):]


def _check_kml(head: bytes, file: str, out: Sniffed, member: str | None = None) -> None:
    where = f"{file} (in {member})" if member else file
    start = _text_start(head)
    if not start.startswith(b"<"):
        raise InputError(where, None, None, "is not KML (XML with a <kml> root)")
    if _XML_DECLS.search(head):
        # Entity declarations can expand without end ("billion laughs") or name other files.
        raise InputError(where, None, None,
                         "declares a DOCTYPE or entities, which KML does not need; refused")
    if not re.search(rb"<\s*(?:\w+:)?kml\b", head):
        raise InputError(where, None, None, "is not KML (XML with a <kml> root)")
    if _NETWORK_LINK.search(head):
        out.notes.append("network links in the KML are not followed")


def _check_csv(head: bytes, file: str) -> None:
    if b"\x00" in head:
        raise InputError(file, None, None, "is binary data, not a CSV text file")


def _check_kmz(path: Path, file: str, head: bytes, out: Sniffed) -> None:
    if not head.startswith(ZIP_MAGIC):
        raise InputError(file, None, None, "is not a KMZ (a zip archive holding a KML)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > max_bytes() or len(infos) > 10_000:
                raise InputError(file, None, None,
                                 f"unpacks to {total / 2**20:.0f} MB in {len(infos)} files; "
                                 "more than one import may hold")
            docs = [i for i in infos if i.filename.lower().endswith(".kml")]
            if not docs:
                raise InputError(file, None, None, "is a zip archive with no KML inside")
            for info in docs:
                with zf.open(info) as fh:
                    _check_kml(fh.read(HEAD_BYTES), file, out, member=info.filename)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(file, None, None, f"is a damaged zip archive ({exc})") from None


def _check_gpkg(path: Path, file: str, head: bytes, out: Sniffed) -> None:
    if not head.startswith(SQLITE_MAGIC):
        raise InputError(file, None, None,
                         "is not a GeoPackage (an SQLite database file)")
    # Read the schema with SQLite itself, read-only and immutable (no journal is touched,
    # nothing runs): views and virtual tables are only listed here, never queried.
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as con:
            con.execute("PRAGMA trusted_schema = OFF")
            rows = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
            names = {str(r[1]).lower(): r for r in rows}
            layers = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")] \
                if "gpkg_contents" in names else []
    except sqlite3.DatabaseError as exc:
        raise InputError(file, None, None,
                         f"is a damaged SQLite/GeoPackage file ({exc})") from None
    if "gpkg_contents" not in names:
        raise InputError(file, None, None,
                         "is an SQLite database but not a GeoPackage (no gpkg_contents table)")
    for kind, name, _tbl, sql in rows:
        text = (sql or "").upper()
        if kind == "table" and text.startswith("CREATE VIRTUAL TABLE"):
            module = re.search(r"USING\s+(\w+)", text)
            if module and module.group(1) == "RTREE" and str(name).lower().startswith("rtree_"):
                continue
            raise InputError(file, f"table '{name}'", None,
                             f"is a virtual table ({module.group(1).lower() if module else '?'})"
                             " that can read outside the file; refused")
    for layer in layers:
        row = names.get(str(layer).lower())
        if row is None:
            out.skip_layers[str(layer)] = "listed but missing"
        elif row[0] == "view":
            out.skip_layers[str(layer)] = "an SQL view (it runs a query, which may never end)"
    triggers = [r[1] for r in rows if r[0] == "trigger"
                and not str(r[1]).lower().startswith(("rtree_", "trigger_", "gpkg_"))]
    if triggers:
        out.notes.append(f"{len(triggers)} trigger(s) in the GeoPackage ignored")


__all__ = ["SUFFIX_KIND", "Sniffed", "max_bytes", "sniff"]
