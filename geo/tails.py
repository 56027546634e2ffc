"""Camps and crossings named with a lower-case tail: "Roj camp", "the Kalma IDP camp", "the
Nasib border crossing", "the Vasylivka checkpoint" — and camps known by their number ("Camp
15", where the place table or a user's camp list names it).

The recogniser reads runs of capitalised words, so a lower-case "camp" or "crossing" after a
name is not part of what it looks up: a camp or crossing known only by its full name ("Roj
camp") is missed, and one named after a town ("Kassab camp", a Darfur camp named like a Syrian
town) is taken for the town. ``add_tails`` looks up the capitalised words before each such tail
together with the tail, and where the gazetteer holds a camp or crossing of that full name the
mention becomes the whole phrase, resolved among those records only.

A word between the name and the tail is tried with and without it ("Kalma IDP camp", "Zaatari
refugee camp", "Nasib border crossing"); "checkpoint" and "crossing point" also find a
crossing; a plural tail speaks for every name of the list it closes ("the Rafah and Kerem
Shalom crossings": the Rafah crossing, not the town; the last name's mention takes the tail,
the others are the names alone). Only places
the gazetteer lists under the full name are taken, so "the Biden camp" or "a border crossing"
never become places.
"""

from __future__ import annotations

import re

from geo.gazetteer import Index, Record
from geo.normalize import fold
from geo.recognize import Span

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĠĦĪİĶĹĽŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŸŹŻŽḤḨṢṬẒ"
# A word of a name. The look-ahead turns a lower-case word away before the forms are tried,
# and nothing is given back once a word is read (``*+``): what follows a word is a blank or
# the end of the phrase, which no letter of the word could match, so trying shorter words only
# cost time (a third of the scan; tests/test_geo_tails.py checks the phrases are the same).
_NAME = (rf"(?=[{_UP}]|[AaEe][a-z]{{1,2}}-)(?:(?:[Aa]l|[Ee]l|[Aa][dnrstz]h?)-)?[{_UP}][\w'’]*+"
         rf"(?:-[\w'’]+)*+")
# up to four capitalised words (small words of names between them), an optional word, then the
# place-type noun in lower case (a capitalised "Camp" is part of the name the recogniser reads);
# one pass of the regular expression over the text, which fails fast where no capital starts
_PHRASE = re.compile(
    rf"(?<![\w'’-])({_NAME}(?:[ \t]+(?:(?:al|el|bin|ibn|abu|de|du)[ \t]+)?{_NAME}){{0,3}}+)"
    r"[ \t]+(?:(IDP|IDPs'?|refugee|refugees'?|displacement|border|transit|reception)[ \t]+)?"
    r"(camp|crossing point|crossing|checkpoint)s?\b")
# an earlier item of a list that a plural tail closes: "the Rafah and Kerem Shalom crossings"
_ITEM = re.compile(
    rf"(?<![\w'’-])({_NAME}(?:[ \t]+(?:(?:al|el|bin|ibn|abu|de|du)[ \t]+)?{_NAME}){{0,2}})"
    r"(?:,[ \t]+(?:and[ \t]+)?|[ \t]+(?:and|&)[ \t]+)$")
#: How many earlier items of such a list are read, and how far back each may start.
_ITEMS = 4
_ITEM_REACH = 60
#: The kinds a camp or crossing record may have, by the tail's noun.
_KINDS = {"camp": ("site",), "crossing": ("crossing",), "crossing point": ("crossing",),
          "checkpoint": ("crossing",)}


# a place-type noun that may end a phrase, and how far before it the phrase may start (four
# words and a middle word: far more than any name of the gazetteer)
_NOUN = re.compile(r"(?:camp|crossing|checkpoint)s?\b")
_REACH = 200
_AFTER = 20  # and after it: " point", a plural "s", the word boundary


def _phrases_in(text: str):
    """``_PHRASE``'s matches in ``text``, in order: searched only in the stretches around a
    place-type noun, not over the whole text (the same matches: a phrase is shorter than
    ``_REACH`` and ends at its noun, " point" or a plural "s"; tests/test_geo_tails.py checks
    it). A text with a few camps reads a few hundred characters instead of all of them."""
    lo = hi = -1
    for n in _NOUN.finditer(text):
        if lo >= 0 and n.start() - _REACH <= hi:
            hi = n.end() + _AFTER  # (stretches that touch are one: no match cut or doubled)
            continue
        if lo >= 0:
            yield from _PHRASE.finditer(text, lo, hi)
        lo, hi = max(0, n.start() - _REACH), n.end() + _AFTER
    if lo >= 0:
        yield from _PHRASE.finditer(text, lo, hi)


def _phrases(head: str, middle: str | None, noun: str) -> list[tuple[int, str]]:
    """(offset in ``head`` where the phrase starts, phrase to look up), longest first: every
    ending run of the head's words, with the middle word, then without it."""
    starts = [0] + [m.end() for m in re.finditer(r"[ \t]+", head)]
    nouns = [noun] + (["crossing"] if noun in ("checkpoint", "crossing point") else [])
    out = []
    for s in starts:
        name = head[s:]
        for n in nouns:
            if middle:
                out.append((s, f"{name} {middle} {n}"))
            out.append((s, f"{name} {n}"))
    return out


def _may_be_key(phrase: str, heads: dict[str, None]) -> bool:
    """False when the phrase's first word begins no name of two or more words in the index
    (``Index.heads``), so the phrase cannot be one: a long text of unknown capitalised words
    before "camp" is not looked up word run by word run. Said only of plain ASCII words of four
    letters or more, which ``fold`` folds on their own as inside the phrase (no article)."""
    w = phrase.split(" ", 1)[0]
    return not (len(w) > 3 and w.isascii() and w.isalpha()) or fold(w) in heads


def add_tails(text: str, spans: list[Span], index: Index) -> list[Span]:
    """Add (or widen to) the camps and crossings named with a lower-case tail.

    Parameters
    ----------
    text : str
        The text the spans index.
    spans : list of Span
        The recogniser's spans, in text order, not overlapping.
    index : Index
        The gazetteer.

    Returns
    -------
    list of Span
        The spans in text order, not overlapping: each phrase found replaces the spans it
        overlaps (its head, when the head was read as a town).
    """
    if "Camp " in text:
        spans = _numbered_camps(text, spans, index)
    if "camp" not in text and "crossing" not in text and "checkpoint" not in text:
        return spans
    # (start, end, phrases to try, noun, place in its list: 0 for the name before the tail,
    # 1 for the item before it…)
    found: list[tuple[int, int, list[tuple[int, str]], str, int]] = []
    keys: set[str] = set()
    seen: dict[tuple[str, str | None, str], list[tuple[int, str]]] = {}
    heads = index.heads(load=False)  # read by the recogniser for long texts, else None
    for m in _phrases_in(text):
        middle, noun = m.group(2, 3)
        items: list[tuple[int, int, str]] = [(m.start(), m.end(), m.group(1))]
        if m.group().endswith("s"):  # a plural tail: the items of its list before the last
            pos = m.start()
            for _ in range(_ITEMS):
                it = _ITEM.search(text, max(0, pos - _ITEM_REACH), pos)
                if it is None:
                    break
                items.append((it.start(1), it.end(1), it.group(1)))
                pos = it.start(1)
        for n, (start, end, head) in reversed(list(enumerate(items))):
            key = (head, middle, noun)
            tried = seen.get(key)
            if tried is None:
                tried = seen[key] = [(s, fold(p)) for s, p in _phrases(*key)
                                     if heads is None or _may_be_key(p, heads)]
                keys.update(k for _s, k in tried)
            found.append((start, end, tried, noun, n))
    if not found:
        return spans
    hits = index.find(keys)
    new: list[Span] = []
    # one candidate tuple per phrase: the resolver and geoparse work a name out once per tuple
    kept: dict[tuple[str, str], tuple[tuple[Record, int], ...]] = {}
    broken = False  # an earlier item of a list counts only while the later ones were found
    for f in range(len(found) - 1, -1, -1):  # each list from its last name back
        start, end, tried, noun, n = found[f]
        if n == 0:
            broken = False
        elif broken:
            continue  # "Rafah, Khan Younis and Kerem Shalom crossings": no crossing at Khan Younis
        hit = None
        for s, k in tried:
            cands = kept.get((k, noun))
            if cands is None:
                cands = kept[(k, noun)] = tuple((r, h) for r, h in hits.get(k, ())
                                                if r.kind in _KINDS[noun])
            if cands:
                hit = _span(text, start + s, end, k, cands)
                break
        if hit is None:
            broken = True
        else:
            new.append(hit)
    new.reverse()
    return merge(spans, new) if new else spans


# a camp known by its number ("Camp 15", "Camp 1E", "Camp 4 Extension": the camps of Cox's
# Bazar); a place only where the gazetteer has that name (the Cox's Bazar camps ship in the
# place table; a user's camp list adds others)
# (the look-behind after "Camp", not before it: a pattern that begins with a word is looked
# for a word at a time, one that begins with a look-behind tried at every character)
_NUMBERED = re.compile(r"Camp(?<![\w'’-]Camp)[ \t]+\d{1,3}[A-Za-z]?\b"
                       r"(?:[ \t]+(?:Extension\b|Ext\b\.?))?")
#: The kinds of the other places a text must name in a shipped numbered camp's country
#: ("Camp 6" in a report on Guantánamo is no camp of Cox's Bazar); a camp of the user's own
#: list needs no such company.
_COUNTRY_KINDS = frozenset({"country", "admin1", "admin2"})


def _numbered_camps(text: str, spans: list[Span], index: Index) -> list[Span]:
    """The spans, with each numbered camp the gazetteer knows as a site added (replacing
    what it overlaps)."""
    found = [(m.start(), m.end(), fold(m.group())) for m in _NUMBERED.finditer(text)]
    if not found:
        return spans
    hits = index.find({k for _s, _e, k in found})
    # the countries the text's other names may be in, by a country, a division, a place of
    # the project's table or a city of 100,000 people of that name
    named = {r.country for sp in spans for r, h in sp.cands if h != 2 and (
        r.kind in _COUNTRY_KINDS or r.curated or r.pop >= 100_000)}
    new = []
    for start, end, key in found:
        cands = tuple((r, h) for r, h in hits.get(key, ())
                      if r.kind == "site" and (r.country in named
                                               or r.source.startswith("user:")))
        if cands:
            new.append(_span(text, start, end, key, cands))
    return merge(spans, new) if new else spans


def _span(text: str, start: int, end: int, key: str,
          cands: tuple[tuple[Record, int], ...]) -> Span:
    surface = text[start:end]
    return Span(start, end, surface, key, cands, len(surface.split()))


def merge(spans: list[Span], new: list[Span]) -> list[Span]:
    """The spans and the new ones in text order; a new span drops the spans it overlaps."""
    out: list[Span] = []
    j = 0
    for sp in new:
        while j < len(spans) and spans[j].end <= sp.start:
            out.append(spans[j])
            j += 1
        while j < len(spans) and spans[j].start < sp.end:
            j += 1  # overlapped: the phrase replaces it
        if out and out[-1].end > sp.start:
            continue  # two tails sharing words: the first stands
        out.append(sp)
    out.extend(spans[j:])
    return out
