"""Add, list and remove user gazetteers (GeoNames dumps, OCHA COD tables, plain CSV).

>>> from geo.gazetteer import add_gazetteer, list_gazetteers, remove_gazetteer
>>> info = add_gazetteer("SY.zip", name="syria")        # doctest: +SKIP
>>> [g.name for g in list_gazetteers()]                  # doctest: +SKIP
['syria']

An added gazetteer is indexed once into its own SQLite file beside the shipped index (see
:mod:`geo.gazetteer.registry`); the shipped index is not rebuilt, and every open
:class:`geo.gazetteer.Index` sees the change on its next lookup. Its places carry the source
``user:<name>:<id>`` (the GeoNames id, the p-code, or the CSV's id or line number) and are
looked up like curated places. When the file lacks a place's first-level division or
country, they are taken from the shipped record of the same place, from the division of that
name (OCHA), or from the nearest shipped town.

A file is read whole before anything changes: a malformed line stops the add with one line
naming the file, the line and the field, and nothing is added.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from geo.gazetteer import registry
from geo.gazetteer.build import _ARAB_COUNTRIES, TABLES_SQL, _Writer
from geo.gazetteer.formats import GazetteerError, Row, open_rows
from geo.gazetteer.overlay import same_place
from geo.gazetteer.registry import GazetteerInfo, gazetteers_dir
from geo.normalize import RULES as FOLD_RULES
from geo.normalize import fold

SCHEMA = "user-1"
_NAME_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_BATCH = 5_000
#: A trailing word that says what a place is ("Roj Camp", "Tine Crossing", "Hays District"):
#: reports often write it in lower case or leave it out, so the name without it is a variant.
TYPE_WORD = re.compile(
    r"[ \t-]+(?:camp|camps|idp camp|refugee camp|site|settlement|crossing|border crossing|"
    r"crossing point|checkpoint|border post|gate|bridge|district|sub-?district|zone|"
    r"governorate|province|region|county|department|municipality|locality|raion|oblast|"
    r"neighbou?rhood|quarter|village|town|city)$", re.I)
#: How far (degrees) the nearest shipped town may be to lend a place its division or country.
NEAREST_DEG = 1.0


def check_name(name: str) -> str:
    """A gazetteer name: letters, digits, ``_ . -``, at most 64, starting with a letter or
    digit (it becomes part of file names and of ``user:<name>:<id>``)."""
    if not isinstance(name, str) or not _NAME_OK.match(name):
        raise GazetteerError(f"{str(name)[:80]!r}: not a usable gazetteer name (letters, "
                             "digits, _ . -; at most 64)")
    return name


def default_name(path: Path) -> str:
    """The name a file gets without ``--name``: its stem, lower case, other signs as ``-``."""
    stem = re.sub(r"[^a-z0-9_.-]+", "-", path.name.split(".")[0].lower()).strip("-._")
    return stem[:64] or "gazetteer"


def list_gazetteers() -> list[GazetteerInfo]:
    """The user gazetteers in the order they were added."""
    return registry.read()[0]


def remove_gazetteer(name: str) -> GazetteerInfo:
    """Remove a user gazetteer; its places leave every index at their next lookup.

    Raises
    ------
    GazetteerError
        When no gazetteer has that name.
    """
    folder = gazetteers_dir()
    if not any(i.name == name for i in registry.read(folder)[0]):
        raise GazetteerError(f"{str(name)[:80]!r}: no user gazetteer of that name "
                             "(see: python -m geo gazetteer list)")
    try:
        with registry.locked(folder):
            items, next_slot = registry.read(folder)
            gone = next((i for i in items if i.name == name), None)
            if gone is None:  # removed meanwhile by another process
                raise GazetteerError(f"{str(name)[:80]!r}: no user gazetteer of that name")
            registry.write(folder, [i for i in items if i.name != name], next_slot)
    except OSError as exc:
        raise GazetteerError(f"{folder}: cannot write ({exc.strerror or exc})") from None
    with contextlib.suppress(OSError):
        (folder / gone.db).unlink()
    return gone


def add_gazetteer(path: str | os.PathLike, name: str | None = None, *, replace: bool = False,
                  progress: Callable[[int], object] | None = None) -> GazetteerInfo:
    """Index a gazetteer file and make its places part of every lookup.

    Parameters
    ----------
    path : str or PathLike
        A GeoNames dump (``.txt``, or a ``.zip`` holding one), an OCHA COD-style CSV or a plain
        CSV; the format is read from the content.
    name : str, optional
        Its name (default: the file name's stem).
    replace : bool
        Replace a gazetteer of the same name instead of refusing.
    progress : callable, optional
        Called with the number of lines read, every few thousand lines.

    Returns
    -------
    GazetteerInfo
        What the registry now lists for it.

    Raises
    ------
    GazetteerError
        One line naming the file (and line and field) or the name; nothing is added.
    """
    path = Path(path)
    return _add_file(path, str(path), path.name, name, replace, progress)


def add_gazetteer_bytes(data: bytes, filename: str, name: str | None = None, *,
                        replace: bool = False) -> GazetteerInfo:
    """:func:`add_gazetteer` for an upload: its bytes and the file name the user gave.

    Messages name ``filename`` (only its last part: an upload's name is untrusted), and the
    bytes go to a private temporary file, removed afterwards.
    """
    shown = Path(str(filename).replace("\\", "/")).name[:200] or "upload"
    folder = gazetteers_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".upload.", dir=folder)
    except OSError as exc:
        raise GazetteerError(f"{folder}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        own = name if name is not None else default_name(Path(shown))
        return _add_file(Path(tmp), shown, shown, own, replace, None)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _add_file(path: Path, label: str, file_name: str, name: str | None, replace: bool,
              progress: Callable[[int], object] | None) -> GazetteerInfo:
    """Add ``path``; messages say ``label``, the registry lists ``file_name``."""
    if not path.is_file():
        raise GazetteerError(f"{label}: no such file" if not path.exists() else
                             f"{label}: not a file")
    name = check_name(name if name is not None else default_name(path))
    folder = gazetteers_dir()
    if not replace and any(i.name == name for i in registry.read(folder)[0]):
        raise GazetteerError(f"{name}: a user gazetteer of that name is already added (remove "
                             "it first, or replace it)")
    fmt, rows = open_rows(path, label)
    tmp = folder / f".{name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        places, skipped = _write_db(tmp, name, rows, label, progress)
        with registry.locked(folder):
            items, slot = registry.read(folder)
            old = [i for i in items if i.name == name]
            if old and not replace:
                raise GazetteerError(f"{name}: a user gazetteer of that name is already added")
            db = f"{name}-{slot}.sqlite"
            os.replace(tmp, folder / db)
            info = GazetteerInfo(name, fmt, places, skipped, file_name[:200],
                                 time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), db, slot)
            try:
                registry.write(folder, [i for i in items if i.name != name] + [info], slot + 1)
            except BaseException:
                (folder / db).unlink(missing_ok=True)
                raise
        for i in old:
            with contextlib.suppress(OSError):
                (folder / i.db).unlink()
        return info
    except OSError as exc:
        raise GazetteerError(f"{folder}: cannot write ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


class _World:
    """What the shipped index says about the places of a batch (same places, divisions,
    nearest towns)."""

    def __init__(self) -> None:
        from geo.gazetteer.index import get_index

        self.con = sqlite3.connect(f"file:{get_index().path}?mode=ro", uri=True)
        self._grid: dict[tuple[int, int], list[tuple]] | None = None

    def same(self, keys: Iterable[str]) -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = {}
        keys = list(keys)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            q = ("SELECT n.key, p.kind, p.lat, p.lon, p.pop, p.country, p.admin1 FROM names n "
                 "JOIN places p ON p.rid = n.rid WHERE n.how IN (0, 1) AND n.key IN "
                 f"({','.join('?' * len(chunk))})")
            for row in self.con.execute(q, chunk):
                out.setdefault(row[0], []).append(row[1:])
        return out

    def nearest(self, lat: float, lon: float, cc: str) -> tuple[str, str] | None:
        """(country, admin1) of the nearest shipped town within ``NEAREST_DEG``."""
        if self._grid is None:
            self._grid = {}
            for row in self.con.execute("SELECT lat, lon, country, admin1 FROM places "
                                        "WHERE kind = 'city' AND country != ''"):
                self._grid.setdefault((math.floor(row[0]), math.floor(row[1])), []).append(row)
        ci, cj = math.floor(lat), math.floor(lon)
        best, dist = None, NEAREST_DEG ** 2
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for t in self._grid.get((ci + di, cj + dj), ()):
                    if cc and t[2] != cc:
                        continue
                    d = (t[0] - lat) ** 2 + ((t[1] - lon) * math.cos(math.radians(lat))) ** 2
                    if d < dist:
                        best, dist = t, d
        return (best[2], best[3]) if best else None


def _enrich(batch: list[Row], world: _World) -> None:
    """Fill a batch's missing size, country and division from the shipped index."""
    keys = {fold(r.name) for r in batch} | {fold(r.admin1_name) for r in batch if r.admin1_name}
    keys.discard("")
    found = world.same(keys)
    for r in batch:
        for kind, lat, lon, pop, cc, a1 in found.get(fold(r.name), ()):
            if (not r.country or cc == r.country) and same_place(r.kind, r.lat, r.lon, kind,
                                                                  lat, lon):
                r.pop = r.pop or (pop or 0)
                r.country = r.country or cc
                r.admin1 = r.admin1 or a1 or ""
        if not r.admin1 and r.admin1_name and r.country:
            a1 = next((a1 for kind, _la, _lo, _p, cc, a1 in found.get(fold(r.admin1_name), ())
                       if kind == "admin1" and cc == r.country and a1), "")
            r.admin1 = a1
        if not r.admin1 or not r.country:
            near = world.nearest(r.lat, r.lon, r.country)
            if near:
                r.country = r.country or near[0]
                r.admin1 = r.admin1 or near[1]


def _write_db(tmp: Path, name: str, rows: Iterable[Row | None], label: str,
              progress: Callable[[int], object] | None) -> tuple[int, int]:
    """Read every row into a new SQLite file at ``tmp``: (places, lines skipped)."""
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript(TABLES_SQL)
        w = _Writer(con)
        world = _World()
        seen: dict[str, int] = {}
        skipped = 0
        batch: list[Row] = []
        read = 0
        for row in rows:
            read += 1
            if row is None:
                skipped += 1
                continue
            if row.id in seen:
                raise GazetteerError(f"{label}: line {row.line}: id {row.id[:40]!r} is already "
                                     f"used on line {seen[row.id]}")
            seen[row.id] = row.line
            batch.append(row)
            if len(batch) >= _BATCH:
                _add(w, name, batch, world)
                batch = []
                if progress is not None:
                    progress(read)
        _add(w, name, batch, world)
        if not w.rid:
            raise GazetteerError(f"{label}: no places in the file")
        w.flush()
        con.execute("CREATE INDEX places_source ON places(source)")
        con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
        con.execute("INSERT INTO meta VALUES ('fold', ?)", (FOLD_RULES,))
        con.execute("INSERT INTO meta VALUES ('name', ?)", (name,))
        con.commit()
        world.con.close()
        return w.rid, skipped
    finally:
        con.close()


def _add(w: _Writer, name: str, batch: list[Row], world: _World) -> None:
    if not batch:
        return
    _enrich(batch, world)
    for r in batch:
        rid = w.place(f"user:{name}:{r.id}", r.name, r.kind, r.country, r.admin1, r.lat, r.lon,
                      r.pop, r.name_ar, 1)
        derived = r.country in _ARAB_COUNTRIES
        w.name(rid, r.name, 0, derived)
        for v in r.variants:
            if v != r.name:
                w.alias(rid, v)
        for v in (r.name, *r.variants):
            bare = TYPE_WORD.sub("", v).strip()
            if bare != v and len(bare) >= 3:
                w.name(rid, bare, 1, derived)
        if r.name_ar:
            w.name(rid, r.name_ar, 1)
