"""User gazetteers at lookup time: their places beside the shipped index's, no rebuild.

:class:`geo.gazetteer.Index` asks the :class:`Overlay` for the same keys it looks up itself and
merges the answers with :func:`merge`. A user record stands in for the shipped record of the
same place (same key, same kind or both points — city, neighbourhood, site, crossing — and
within :data:`SAME_KM` of it), so an analyst's p-coded village replaces GeoNames' point of it
and mentions carry the analyst's source. Record ids of user places are ``slot << 32 | row``:
no shipped id (below a million) and no other gazetteer's id can equal them.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
import sys
from pathlib import Path

from geo.gazetteer.registry import GazetteerInfo

#: The prior boost of a user gazetteer's place (``Record.boost``): enough to win over a bigger
#: namesake elsewhere in a text about the place's own country, not in a text about the other's.
USER_BOOST = 3.0
#: How far apart two records of one name and kind may be and still be one place (km).
SAME_KM = {"admin1": 300.0, "admin2": 80.0, "admin3": 40.0}
POINT_KM = 10.0
_POINTS = frozenset({"city", "neighbourhood", "site", "crossing"})
_NEVER_SHADOWED = frozenset({"country", "region"})
_COLS = "p.rid, p.source, p.name, p.kind, p.country, p.admin1, p.lat, p.lon, p.pop, " \
        "p.name_ar, p.curated, p.capital"


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * \
        math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def same_place(kind_a: str, lat_a: float, lon_a: float, kind_b: str, lat_b: float,
               lon_b: float) -> bool:
    """Whether two records of one name are one place (their kinds and distance)."""
    if kind_a in _POINTS and kind_b in _POINTS:
        limit = POINT_KM
    elif kind_a == kind_b:
        limit = SAME_KM.get(kind_a, POINT_KM)
    else:
        return False
    return km(lat_a, lon_a, lat_b, lon_b) <= limit


def merge(world: tuple, user: list) -> tuple:
    """The user's candidates for a key and the shipped ones they do not stand in for."""
    kept = [(r, h) for r, h in world if r.kind in _NEVER_SHADOWED or not any(
        same_place(u.kind, u.lat, u.lon, r.kind, r.lat, r.lon) for u, _h in user)]
    return tuple(user) + tuple(kept)


def upgrade_keys(path: Path, name: str) -> None:
    """Bring a user gazetteer's keys to the current folding rules, in place and at once.

    A gazetteer stores its names as keys; one added before the rules last changed (no 'fold'
    entry in its meta table, or an older one) would miss every name the new rules write
    otherwise ("Bayt" is now keyed "bait"). Its keys are rewritten by ``geo.normalize.rekey``
    in one transaction, which also records the rules, so this happens once. A file that
    cannot be written is used as it is, with a warning.
    """
    from geo.normalize import RULES, rekey

    try:
        con = sqlite3.connect(path, timeout=10, isolation_level=None)
    except sqlite3.Error:
        return  # (the read-only open below says what is wrong)
    try:
        row = con.execute("SELECT v FROM meta WHERE k = 'fold'").fetchone()
        if row and row[0] == RULES:
            return
        con.execute("BEGIN IMMEDIATE")  # one process rewrites; the others then see it done
        row = con.execute("SELECT v FROM meta WHERE k = 'fold'").fetchone()
        if row and row[0] == RULES:
            con.execute("ROLLBACK")
            return
        rows = con.execute("SELECT key, rid, how FROM names ORDER BY how").fetchall()
        con.execute("DELETE FROM names")
        # two old keys of one place may become one: the better derivation (lower how) stays
        con.executemany("INSERT OR IGNORE INTO names VALUES (?, ?, ?)",
                        [(rekey(k), rid, how) for k, rid, how in rows])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('fold', ?)", (RULES,))
        con.execute("COMMIT")
    except sqlite3.Error as exc:
        with contextlib.suppress(sqlite3.Error):
            con.execute("ROLLBACK")
        print(f"geo: user gazetteer {name!r} keeps the spelling rules it was added with "
              f"({path}: {exc}); add it again to match every spelling", file=sys.stderr)
    finally:
        con.close()


class Overlay:
    """The open user gazetteers of one registry state (read-only)."""

    def __init__(self, folder: Path, items: list[GazetteerInfo]) -> None:
        from geo.gazetteer.index import Record

        self._Record = Record
        self.layers: list[tuple[GazetteerInfo, sqlite3.Connection]] = []
        for info in items:
            path = folder / info.db
            upgrade_keys(path, info.name)
            try:
                con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                con.execute("SELECT v FROM meta WHERE k = 'schema'").fetchone()
            except sqlite3.Error as exc:
                print(f"geo: user gazetteer {info.name!r} not used ({path}: {exc})",
                      file=sys.stderr)
                continue
            self.layers.append((info, con))
        self._records: dict[int, object] = {}
        self._heads: frozenset[str] | None = None

    def __bool__(self) -> bool:
        return bool(self.layers)

    def _record(self, slot: int, row: tuple):
        rid = (slot << 32) | row[0]
        rec = self._records.get(rid)
        if rec is None:
            rec = self._Record(rid, row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                               row[8] or 0, row[9], bool(row[10]), bool(row[11]), USER_BOOST)
            self._records[rid] = rec
        return rec

    def find(self, keys: list[str]) -> dict[str, list]:
        """Candidates (record, how) of every user gazetteer for each key that has some."""
        found: dict[str, list] = {}
        for info, con in self.layers:
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                q = (f"SELECT n.key, n.how, {_COLS} FROM names n JOIN places p ON p.rid = n.rid "
                     f"WHERE n.key IN ({','.join('?' * len(chunk))})")
                for row in con.execute(q, chunk):
                    found.setdefault(row[0], []).append((self._record(info.slot, row[2:]),
                                                         row[1]))
        return found

    def heads(self) -> frozenset[str]:
        """First words of the user gazetteers' keys of two or more words."""
        if self._heads is None:
            out: set[str] = set()
            for _info, con in self.layers:
                out.update(r[0] for r in con.execute(
                    "SELECT DISTINCT substr(key, 1, instr(key, ' ') - 1) FROM names "
                    "WHERE instr(key, ' ') > 0"))
            self._heads = frozenset(out)
        return self._heads

    def by_source(self, source: str):
        """The user record with this source (``user:<name>:<id>``), or None."""
        parts = source.split(":", 2)
        if len(parts) != 3 or parts[0] != "user":
            return None
        for info, con in self.layers:
            if info.name == parts[1]:
                row = con.execute(f"SELECT {_COLS} FROM places p WHERE p.source = ?",
                                  (source,)).fetchone()
                return self._record(info.slot, row) if row else None
        return None

    def prefix(self, key: str, limit: int) -> list:
        """Records with a key starting with ``key``."""
        out = []
        for info, con in self.layers:
            rows = con.execute(
                f"SELECT n.how, {_COLS} FROM names n JOIN places p ON p.rid = n.rid "
                f"WHERE n.key >= ? AND n.key < ? LIMIT ?", (key, key + "\uffff", limit))
            out += [(self._record(info.slot, r[1:]), r[0]) for r in rows]
        return out

    def close(self) -> None:
        for _info, con in self.layers:
            con.close()
        self.layers = []
