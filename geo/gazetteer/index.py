"""Open (building on first use) the gazetteer index and look names up in it.

The index lives in the cache directory (``$CORDON_CACHE``, default ``~/.cache/cordon``) as
``geo-index-<hash>.sqlite``; the hash covers the builder's schema version and the size and time
of every input file, so a changed place table or package version builds a fresh index (which
keeps the two newest indexes of other inputs from the last week and deletes the rest:
``build._prune``). Opening costs a few milliseconds; lookups batch many keys into one query.

User gazetteers (``geo.gazetteer.user``) are separate files beside it; every lookup checks the
list of them (one ``stat``) and, when it changed, opens the new list and forgets its cached
answers, so an added or removed gazetteer counts from the next lookup on, in every process.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geo.gazetteer import build as _build
from geo.gazetteer import keyfilter
from geo.gazetteer import registry as _registry
from geo.paths import cache_dir

if TYPE_CHECKING:
    from geo.gazetteer.overlay import Overlay


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which made
# building the records of a first pass (thousands per text) four times slower. Records are
# never changed after they are made (but for the resolver's note of its prior, which depends
# on the record alone); ``unsafe_hash`` keeps equality and hashing by value.
@dataclass(slots=True, unsafe_hash=True, init=False)
class Record:
    """One gazetteer place (a row of the ``places`` table)."""

    rid: int
    source: str
    name: str
    kind: str
    country: str
    admin1: str
    lat: float
    lon: float
    pop: int
    name_ar: str | None
    curated: bool
    capital: bool = False
    #: A bonus for the resolver to add to the record's prior (``geo.resolve.prior``): user
    #: gazetteers' places get ``geo.gazetteer.overlay.USER_BOOST`` to win in their own region.
    boost: float = 0.0
    #: ``geo.resolve.prior`` of the record, worked out on first use (not part of its value).
    prior: float | None = field(default=None, compare=False, hash=False, repr=False)

    def __init__(self, rid: int, source: str, name: str, kind: str, country: str, admin1: str,
                 lat: float, lon: float, pop: int, name_ar: str | None, curated: bool,
                 capital: bool = False, boost: float = 0.0, prior: float | None = None) -> None:
        # (written out: see Span.__init__ in geo/recognize.py)
        self.rid = rid
        self.source = source
        self.name = name
        self.kind = kind
        self.country = country
        self.admin1 = admin1
        self.lat = lat
        self.lon = lon
        self.pop = pop
        self.name_ar = name_ar
        self.curated = curated
        self.capital = capital
        self.boost = boost
        self.prior = prior


def index_path() -> Path:
    """Where the index for the current inputs lives (it may not exist yet)."""
    h = hashlib.sha1(_build.SCHEMA_VERSION.encode())
    for f in _build.input_files():
        try:
            st = f.stat()
        except OSError:
            continue
        h.update(f"{f.name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return cache_dir() / f"geo-index-{h.hexdigest()[:16]}.sqlite"


class Index:
    """Read-only access to one built index file."""

    _COLS = "p.rid, p.source, p.name, p.kind, p.country, p.admin1, p.lat, p.lon, p.pop, " \
            "p.name_ar, p.curated, p.capital"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        # Pages through a memory map, not a read() call each: a first pass over unseen text
        # reads thousands of pages new to the connection (3–5 % faster, taken in turns). The
        # pages it touches count in the process's resident size (about 35 MB more over
        # GeoVirus) but are the system's file cache, shared by every process that opens the
        # index. Safe because an index file is never written in place: a build writes a new
        # file and renames it, and a deleted file stays mapped until closed.
        self._con.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[Record, int], ...]] = {}  # keys that name places
        # keys that name none, and below the first words of names: dicts of strings, which
        # the garbage collector never walks (see geo.stopwords.WordSet)
        self._misses: dict[str, None] = {}
        self._records: dict[int, Record] = {}
        self._countries: dict[str, Record | None] = {}
        self._heads: dict[str, None] | None = None
        self._user_sig: tuple | None = None
        self._overlay: Overlay | None = None  # the user gazetteers, or None
        self._heads_all: dict[str, None] | None = None
        self._filter: bytes | None = None  # geo.gazetteer.keyfilter of the names, read once

    def _user(self) -> Overlay | None:
        """The user gazetteers as the registry lists them now (one ``stat`` a call)."""
        folder = _registry.gazetteers_dir()
        sig = _registry.signature(folder)
        if sig != self._user_sig:
            with self._lock:
                if sig != self._user_sig:
                    from geo.gazetteer.overlay import Overlay

                    items = _registry.read(folder)[0] if sig else []
                    self._overlay = Overlay(folder, items) if items else None
                    self._cache = {}
                    self._misses = {}
                    self._heads_all = None
                    self._user_sig = sig
        return self._overlay

    def _record(self, row: tuple) -> Record:
        rec = self._records.get(row[0])
        if rec is None:
            rec = Record(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                         row[8] or 0, row[9], bool(row[10]), bool(row[11]))
            self._records[row[0]] = rec
        return rec

    def find(self, keys: set[str] | list[str]) -> dict[str, tuple[tuple[Record, int], ...]]:
        """Candidates (record, how) for each key that names at least one place (user
        gazetteers' records first; see ``geo.gazetteer.overlay.merge``)."""
        user = self._user()
        cache, misses = self._cache, self._misses
        if not isinstance(keys, (set, frozenset)):
            keys = set(keys)
        # set operations, not a Python loop per key: a long text has tens of thousands
        hits = keys & cache.keys()
        new = keys - hits
        if new:
            new = new.difference(misses)  # (a look-up per key of new, not per miss)
        answers = {k: cache[k] for k in hits if cache[k]}
        if new:
            # The answers of this call are kept apart from the cache, so emptying the cache
            # loses none of them (it once did: the piece of a long text that happened to fill
            # the cache found no place at all).
            if len(cache) + len(misses) + len(new) > CACHE_MAX:
                cache.clear()
                misses.clear()
            # no name holds a lone surrogate (from a file decoded with surrogateescape, or
            # "\ud800" in JSON), and SQLite refuses to encode one: such keys name no place
            todo = list(new)
            if _SURROGATE.search("".join(todo)):  # (one search over all the keys)
                todo = [k for k in todo if not _SURROGATE.search(k)]
            found: dict[str, list[tuple[Record, int]]] = {}
            with self._lock:
                if self._filter is None:
                    row = self._con.execute(
                        "SELECT v FROM meta WHERE k = 'key_filter'").fetchone()
                    self._filter = row[0] if row else b""
                # only keys the filter cannot rule out are asked of SQLite
                ask = keyfilter.maybe(self._filter, todo) if self._filter else todo
                records = self._records
                for i in range(0, len(ask), 500):
                    chunk = ask[i:i + 500]
                    q = (f"SELECT n.key, n.how, {self._COLS} FROM names n JOIN places p "
                         f"ON p.rid = n.rid WHERE n.key IN ({','.join('?' * len(chunk))})")
                    key = None
                    # (a key's rows come together: one list per key, and each record made
                    # here, not through _record, as a first pass makes thousands)
                    for row in self._con.execute(q, chunk):
                        if row[0] != key:
                            key = row[0]
                            out = found.setdefault(key, [])
                        rec = records.get(row[2])
                        if rec is None:
                            rec = records[row[2]] = Record(
                                row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                                row[9], row[10] or 0, row[11], bool(row[12]), bool(row[13]))
                        out.append((rec, row[1]))
                if user is not None:
                    from geo.gazetteer.overlay import merge

                    for k, theirs in user.find(todo).items():
                        found[k] = list(merge(tuple(found.get(k, ())), theirs))
            for k, rows in found.items():
                if rows:
                    answers[k] = cache[k] = tuple(rows)
            misses.update(dict.fromkeys(k for k in todo if k not in answers))
        return answers

    def heads(self, load: bool = True) -> dict[str, None] | None:
        """The first words of the keys of two or more words ("new" of "new york").

        A run of words can only be such a key if its first word is one of these, which spares
        the recogniser most n-grams of runs of capitalised words and of Arabic text (where
        every word is a candidate). Read on first use from the list the build stored (some
        85,000 words, a few milliseconds); with ``load=False``, None until then.
        """
        if self._heads is None and load:
            with self._lock:
                row = self._con.execute("SELECT v FROM meta WHERE k = 'heads'").fetchone()
                if row is not None and row[0] is not None:
                    self._heads = dict.fromkeys(
                        bytes(row[0]).decode("utf-8", "surrogatepass").split("\n"))
                else:  # (an index built before the list was stored)
                    rows = self._con.execute(
                        "SELECT DISTINCT substr(key, 1, instr(key, ' ') - 1) FROM names "
                        "WHERE instr(key, ' ') > 0").fetchall()
                    self._heads = dict.fromkeys(r[0] for r in rows)
        if self._heads is None:
            return None
        user = self._user()
        if user is None:
            return self._heads
        if self._heads_all is None:
            self._heads_all = {**self._heads, **dict.fromkeys(user.heads())}
        return self._heads_all

    def by_source(self, source: str) -> Record | None:
        """The record with this source id (``geonames:170063``, ``SY02``,
        ``user:<name>:<id>``…), or None."""
        if source.startswith("user:"):
            user = self._user()
            if user is None:
                return None
            with self._lock:
                return user.by_source(source)
        with self._lock:
            row = self._con.execute(f"SELECT {self._COLS} FROM places p WHERE p.source = ?",
                                    (source,)).fetchone()
        return self._record(row) if row else None

    def country(self, cc: str) -> Record | None:
        """The country record for an ISO alpha-2 code, or None."""
        if cc not in self._countries:
            with self._lock:
                row = self._con.execute(
                    f"SELECT {self._COLS} FROM places p WHERE p.kind = 'country' AND "
                    f"p.country = ? ORDER BY p.curated DESC LIMIT 1", (cc,)).fetchone()
            self._countries[cc] = self._record(row) if row else None
        return self._countries[cc]

    def prefix(self, key: str, limit: int = 200) -> list[tuple[Record, int]]:
        """Records with a name key starting with ``key`` (for the search box)."""
        if _SURROGATE.search(key):
            return []  # no name holds a lone surrogate (see ``find``)
        hi = key + "\uffff"
        with self._lock:
            rows = self._con.execute(
                f"SELECT n.how, {self._COLS} FROM names n JOIN places p ON p.rid = n.rid "
                f"WHERE n.key >= ? AND n.key < ? LIMIT ?", (key, hi, limit)).fetchall()
        out = [(self._record(r[1:]), r[0]) for r in rows]
        user = self._user()
        if user is not None:
            with self._lock:
                out += user.prefix(key, limit)
        return out


_SURROGATE = re.compile("[\\ud800-\\udfff]")  # (the escapes read by re, not Python)

#: The most of an index file SQLite maps into memory (the world index is about 50 MB).
MMAP_BYTES = 256 * 1024 * 1024

#: Keys whose answers (found or not) an index keeps in memory; then it starts afresh.
CACHE_MAX = 500_000

_INDEX: Index | None = None
_INDEX_LOCK = threading.Lock()


def _open_or_build(path: Path) -> Index:
    if path.exists():
        try:
            index = Index(path)
            index._con.execute("SELECT v FROM meta WHERE k = 'schema'").fetchone()
            return index
        except sqlite3.DatabaseError:  # damaged file (e.g. disk full during a copy): rebuild
            path.unlink(missing_ok=True)
    _build.build(path)
    return Index(path)


def get_index() -> Index:
    """The shared index, built into the cache directory on first use.

    When the cache directory cannot be written, the index is built in the system's temporary
    directory instead (with a message on stderr), so a read-only home never breaks parsing.
    """
    global _INDEX
    if _INDEX is None:
        with _INDEX_LOCK:
            if _INDEX is None:
                path = index_path()
                try:
                    _INDEX = _open_or_build(path)
                except OSError as exc:
                    alt = Path(tempfile.gettempdir()) / f"cordon-{os.getuid()}" / path.name
                    print(f"geo: cannot write the cache directory {path.parent} ({exc}); "
                          f"using {alt.parent}", file=sys.stderr)
                    _INDEX = _open_or_build(alt)
    return _INDEX
