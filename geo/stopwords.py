"""Word lists that tell place names from other capitalised words (``data/geo/words/``).

Each list is a UTF-8 text file, one entry a line, ``#`` starts a comment; provenance is in
``data/geo/README.md``. Loaded once, lazily (a few milliseconds).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from geo.paths import DATA_DIR

WORDS_DIR = DATA_DIR / "geo" / "words"
DEMONYMS_FILE = WORDS_DIR.parent / "demonyms.csv"


def _read(name: str) -> frozenset[str]:
    path = WORDS_DIR / name
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(line)
    return frozenset(out)


#: A set of words kept as the keys of a dict (the values are None). Python's garbage collector
#: never walks a dict that holds only strings, while it walks every entry of a frozenset at
#: each collection that reaches it: the 64,000 English words alone took 4 ms a time, several
#: times during a first pass over new text.
WordSet = dict[str, None]


def _word_set(words: frozenset[str]) -> WordSet:
    return dict.fromkeys(words)


@dataclass(frozen=True)
class WordLists:
    """The loaded lists (original case unless said otherwise)."""

    months: frozenset[str]
    weekdays: frozenset[str]
    titles: frozenset[str]  # lower case
    given: WordSet
    common: WordSet  # lower case
    org: frozenset[str]
    feature: frozenset[str]
    english: WordSet  # lower case: English words (SCOWL), for telling names apart
    demonyms: dict[str, str]  # surface form -> ISO country code
    orgnames: frozenset[str] = frozenset()  # organisations that are never places ("IOM")
    org_heads: frozenset[str] = frozenset()  # first words of orgnames of several words
    ar_cues: dict[str, str] | None = None  # folded Arabic place-type noun (any form) -> kind
    teams: frozenset[str] = frozenset()  # team nicknames after a place ("Chiefs", "Red Sox")
    #: folded frequent Arabic words that GeoNames also gives some place ("كيف": how, Kyiv)
    ar_common: frozenset[str] = frozenset()
    #: folded frequent Arabic words that begin with و ب ل ف and are never proclitic + name
    ar_unsplit: frozenset[str] = frozenset()
    #: folded Arabic adjective of nationality ("اللبنانية", "سوريون") -> country code
    ar_nisba: dict[str, str] | None = None
    #: folded words of ``ar_common`` that are a well-known place of these countries in a text
    #: about them ("صور": pictures, and Tyre in a report on Lebanon)
    ar_in_country: dict[str, frozenset[str]] | None = None
    #: folded Arabic adjectives that are also town names ("الأبيض": white, El Obeid): after
    #: a definite noun, the adjective ("الدقيق الأبيض")
    ar_adjectives: frozenset[str] = frozenset()


_AR_PROCLITICS = ("", "ال", "و", "ب", "ل", "ف", "وال", "بال", "فال", "كال")


def _arabic_cues() -> dict[str, str]:
    """The folded forms of the Arabic place-type nouns, with article and proclitics."""
    from geo.normalize import fold

    out: dict[str, str] = {}
    for line in (WORDS_DIR / "arabic-cues.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        noun, _, kind = line.partition("\t")
        noun, kind = noun.strip(), kind.strip() or "site"
        bare = noun[2:] if noun.startswith("ال") else noun
        for p in _AR_PROCLITICS:
            out[fold(p + bare)] = kind
        out[fold("لل" + bare)] = kind
    return out


def _arabic_common(name: str) -> frozenset[str]:
    """The folded words of an Arabic word list (see ``scripts/make_arabic_common.py``)."""
    from geo.normalize import fold

    return frozenset(fold(w) for w in _read(name))


def _arabic_in_country() -> dict[str, frozenset[str]]:
    """``arabic-in-country.txt``: folded word -> the country codes where it is the place."""
    from geo.normalize import fold

    out: dict[str, frozenset[str]] = {}
    for line in (WORDS_DIR / "arabic-in-country.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, rest = line.partition("\t")
        codes = rest.partition("\t")[0]
        out[fold(word.strip())] = frozenset(c.strip() for c in codes.split(",") if c.strip())
    return out


def _arabic_nisba() -> dict[str, str]:
    """The folded forms of ``arabic-demonyms.txt`` — masculine, feminine, plural, with and
    without the article ("لبناني", "اللبنانية", "اللبنانيون") — -> country code."""
    from geo.normalize import fold

    out: dict[str, str] = {}
    for line in (WORDS_DIR / "arabic-demonyms.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        stem, _, cc = line.partition("\t")
        stem = stem.strip()
        for form in (stem, stem + "ة", stem + "ون", stem + "ين"):  # (…ي+ة، …ي+ون، …ي+ين)
            out[fold("ال" + form)] = cc.strip()
            out[fold(form)] = cc.strip()
    return out


@lru_cache(maxsize=1)
def word_lists() -> WordLists:
    """Load every list (cached)."""
    demonyms: dict[str, str] = {}
    with DEMONYMS_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            cc = row["country"].strip()
            demonyms[row["demonym"].strip()] = cc
            for v in (row.get("plural_or_variants") or "").split(";"):
                if v.strip():
                    demonyms[v.strip()] = cc
    in_country = _arabic_in_country()
    return WordLists(
        months=_read("months.txt"),
        weekdays=_read("weekdays.txt"),
        titles=frozenset(t.lower() for t in _read("titles.txt")),
        given=_word_set(_read("given-names-census.txt") | _read("given-names-extra.txt")),
        common=_word_set(_read("common-words.txt")),
        org=_read("org-words.txt"),
        feature=_read("feature-words.txt"),
        english=_word_set(_read("english-words.txt")),
        demonyms=demonyms,
        orgnames=(orgs := _read("organisations.txt")),
        org_heads=frozenset(o.split()[0] for o in orgs if " " in o),
        ar_cues=_arabic_cues(),
        teams=_read("team-names.txt"),
        ar_common=_arabic_common("arabic-common.txt"),
        # (a word whose rest is an in-country place is split after all: "وصور" in a report
        # on Lebanon is "and Tyre"; the checks of the in-country words then apply)
        ar_unsplit=frozenset(w for w in _arabic_common("arabic-unsplit.txt")
                             if w[1:] not in in_country),
        ar_nisba=_arabic_nisba(),
        ar_in_country=in_country,
        ar_adjectives=_arabic_common("arabic-adjectives.txt"),
    )
