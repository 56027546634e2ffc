"""Find candidate place spans in a text.

One regular expression (C speed) finds runs of capitalised words, joined by blanks, hyphens and
the small words of place names ("of", "de", "al-"…); Arabic-script runs are found the same way.
Every n-gram of a run that can be a name is folded (``geo.normalize.fold``) and all of a text's
keys go to the index in one batched query; the longest n-gram found wins, left to right. Python
work is per capitalised word, never per character.

Then the filters that keep precision: months, weekdays and person names (a given name or a title
before a surname, or a speech verb after a lone word marks it as a person for the whole text),
all-capital words that are not known abbreviations, common English words at the start of a
sentence or naming only small places, and weak names inside organisation names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.gazetteer import Index, Record
from geo.normalize import drop_article, fold, plain
from geo.stopwords import WordLists

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĠĦĪİĶĹĽŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŸŹŻŽḤḨṢṬẒ"
_ART = r"(?:[Aa]l|[Ee]l|[Aa]sh|[Aa]s|[Aa]d|[Aa]r|[Aa]n|[Aa]t|[Aa]z|[Ee]s|[Ee]z|[Ee]d|[Uu]l)-"
_WORD = (rf"(?:(?:[A-Z]\.){{2,}}|(?:St|Mt|Ft|Ste)\.|(?:{_ART})?(?:[dDlL]['’])?[{_UP}]\w*"
         rf"(?:['’](?!s\b)\w+|-(?=\w)\w+|['’]s(?=[ \t]+[{_UP}]))*)")
_CONN = (r"(?:of|de|del|della|di|da|do|dos|das|du|des|la|le|les|the|and|on|upon|sur|am|"
         r"y|e|al|el|es|ez|ed|bin|ibn|abu|ben|van|von|der|den|kwa|na)")
_RUN = re.compile(rf"(?<![\w.])(?:{_WORD})(?:[ \t]+(?:{_CONN}[ \t]+)*(?:{_WORD}))*")
_TOK = re.compile(r"(?:[A-Z]\.){2,}|(?:St|Mt|Ft|Ste)\.|['’]s\b|\w+(?:['’](?!s\b)\w+)*")
_AR_RUN = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]+"
                     r"(?:[ \t]+[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]+)*")
_ARTICLES = frozenset("al el ash as ad ar an at az es ez ed ul".split())
_CONNS = frozenset(_CONN[3:-1].split("|")) | {"'s", "’s"}
_MAXN = 6

_DIR = (r"(?:north|south|east|west|northern|southern|eastern|western|north-?east(?:ern)?|"
        r"north-?west(?:ern)?|south-?east(?:ern)?|south-?west(?:ern)?|central|rural|greater|"
        r"downtown|outer|inner|old)")
_PART = (r"(?:outskirts|suburbs?|countryside|edges?|districts?|neighbou?rhoods?|parts?|areas?|"
         r"quarters?|periphery|outskirt|centre|center|old city|side|sector|front|frontlines?)")
_HELD = (r"(?:(?:rebel|opposition|government|regime|army|insurgent|militant|kurdish|"
         r"jihadist)[- ](?:held|controlled|run)\s+|besieged\s+|embattled\s+)")
_POINT = r"(?:north|south|east|west)(?:-?(?:east|west))?\b(?!-)"
_QUAL_AFTER = re.compile(rf"['’]s?\s+{_HELD}?((?:{_DIR}\s+)?{_PART}|{_POINT})", re.I)
_QUAL_BEFORE = re.compile(
    rf"(?:\b((?:{_DIR}\s+)?{_PART})\s+of|\b({_DIR}(?:\s+of)?))\s+(?:the\s+)?$", re.I)
_SPEECH = re.compile(r"\s+(?:said|says|told|added|stated|explained|noted|warned|urged|insisted|"
                     r"argued|asked|claimed|announced|wrote|tweeted|replied|declared|spoke|"
                     r"vowed|pledged|promised|accused|denied|admitted|threatened|blamed|"
                     r"praised|condemned|criticised|criticized|hailed|welcomed)\b")
_KIND_CUE = re.compile(r"\s+(province|governorate|state|county|region|district|prefecture|"
                       r"oblast|department|city|town|village)\b", re.I)
_LOWER_TITLE = re.compile(r"\b(\w+)\.?\s+$")
_THING_AFTER = re.compile(r"[ \t]+(?:virus|viruses|ebolavirus|fever|flu|influenza|disease|"
                          r"syndrome|strain|vaccine|bacteria|bacterium)\b", re.I)
_CONTRACTION = re.compile(r"['’](?:ve|m|ll|d|re|t)$", re.I)
_CAP_NEXT = re.compile(rf"[ \t]+[{_UP}]")
_STRONG_KINDS = frozenset({"country", "admin1", "region"})
# a preposition of place right before a name: "flew to Washington" is the place even in a text
# that also names the actor Denzel Washington
_LOCATIVE = re.compile(r"\b(?:in|at|to|from|near|into|across|outside|inside|towards?|via|"
                       r"around)[ \t]+$")
# sports clubs named after their city ("Manchester United", "Real Madrid"): the club, not the
# place; "United" is no club word before "States", "Kingdom", "Nations"…
_CLUB_AFTER = re.compile(r"[ \t]+(?:United|Rovers|Wanderers|Hotspur|Albion|F\.?C\.?)\b"
                         r"(?![ \t]+(?:States|Kingdom|Nations|Arab|Republic|Provinces|Methodist"
                         r"|Church|Airlines|Front|Party|Way|Football|Soccer))")
_CLUB_BEFORE = re.compile(r"\b(?:Real|Atl[eé]tico|Sporting|Olympique|Dynamo|Dinamo|FC|AC|"
                          r"Inter|Borussia|Racing|Deportivo)[ \t]+$")
# the tail of a physical feature's name the gazetteer lacks ("Cape of Good Hope" is no "Good
# Hope" town); countries and divisions stay ("Gulf of Guinea" is still about Guinea's coast)
_FEATURE_OF = re.compile(r"\b(?:Cape|Bay|Gulf|Sea|Strait|Straits|Lake|Isle|Horn)[ \t]+of[ \t]+"
                         r"(?:the[ \t]+)?$")
# a named vessel ("the cruiser Moskva", "HMS Belfast"): the ship, not the place
_VESSEL_BEFORE = re.compile(r"\b(?:[Cc]ruiser|[Ff]rigate|[Dd]estroyer|[Ww]arship|[Cc]orvette|"
                            r"[Ss]ubmarine|[Tt]anker|[Ff]reighter|[Tt]rawler|MV|USS|HMS|RFA)"
                            r"[ \t]+$")
_OF_NEXT = re.compile(rf"[ \t]+of[ \t]+(?:the[ \t]+)?[{_UP}]")


@dataclass(slots=True)
class Span:
    """A recognised name with its gazetteer candidates and the cues around it."""

    start: int
    end: int
    surface: str
    key: str
    cands: tuple[tuple[Record, int], ...]
    ntok: int
    initial: bool = False
    in_org: bool = False
    common: bool = False
    qualifier: str | None = None
    kind_cue: str | None = None
    comma_next: bool = False  # ", " follows: the next span may be an admin cue
    cue_end: bool = False  # no capitalised word follows: the span can close "Paris, Texas"
    loose: bool = False
    loose_left: bool = False  # the unknown capitalised word is right before the span
    tok_i: int = 0  # first and last token of the span in its run
    tok_j: int = 0  # an unknown capitalised word touches the span inside its run
    demonym: str | None = None  # ISO code when the span is a demonym
    notes: list[str] = field(default_factory=list)


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(«[—-":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;•*|"


def _best_strength(cands: tuple[tuple[Record, int], ...]) -> tuple[bool, int]:
    """(a country, region or curated place by its own name?, the largest population)."""
    strong = any((r.kind in _STRONG_KINDS or r.curated) and h != 2 for r, h in cands)
    return strong, max((r.pop for r, h in cands if h != 2), default=0)


def _is_country(cands: tuple[tuple[Record, int], ...]) -> bool:
    return any(r.kind in ("country", "region") and h in (0, 3) for r, h in cands)


def _is_strong(cands: tuple[tuple[Record, int], ...]) -> bool:
    return any(r.kind in _STRONG_KINDS and h in (0, 3) for r, h in cands)


def _is_big(cands: tuple[tuple[Record, int], ...]) -> bool:
    return any(r.kind in _STRONG_KINDS and h in (0, 3) or r.pop >= 100_000 and h == 0
               for r, h in cands)


_FREE = re.compile(rf"^{_DIR}$", re.I)


def _loose(text: str, toks: list, sp: Span, words: WordLists) -> bool:
    """True when a capitalised word that is no place, title, direction or organisation word
    sits right next to the span in its run ("Fateh al-Sham", "Avni Sahin")."""
    for k in (sp.tok_i - 1, sp.tok_j + 1):
        if not 0 <= k < len(toks):
            continue
        a, b, w = toks[k]
        if w in _CONNS or w.rstrip(".").lower() in words.titles or _FREE.match(w):
            continue
        if w in words.org or w in words.feature or w in words.months or w in words.weekdays:
            continue
        if w in words.demonyms or len(w) <= 2 or w.lower() in words.english:
            continue  # "Randwick Racecourse", "A Longview woman": a descriptor, not a name
        gap = text[b:sp.start] if k < sp.tok_i else text[sp.end:a]
        if gap.strip(" \t-"):
            continue
        # a name-like word ("Denzel", not "CDC" nor the "Aust" of "Aust-Agder") just before
        sp.loose_left = k < sp.tok_i and gap.strip(" \t") == "" and w[1:].islower()
        return True
    return False


def recognise(text: str, index: Index, words: WordLists) -> tuple[list[Span], set[str]]:
    """Return the candidate spans of ``text`` (in order) and the country codes of its demonyms.

    Parameters
    ----------
    text : str
        Any text; offsets refer to it unchanged.
    index : Index
        The gazetteer.
    words : WordLists
        Stop lists and demonyms.
    """
    runs: list[tuple[int, list[tuple[int, int, str]]]] = []
    keys: set[str] = set()
    for m in _RUN.finditer(text):
        base = m.start()
        toks = [(base + t.start(), base + t.end(), t.group()) for t in _TOK.finditer(m.group())]
        runs.append((0, toks))
        _ngram_keys(text, toks, keys)
    for m in _AR_RUN.finditer(text):
        base = m.start()
        toks = [(base + t.start(), base + t.end(), t.group()) for t in _TOK.finditer(m.group())]
        runs.append((1, toks))
        _ngram_keys(text, toks, keys, arabic=True)
    found = index.find(keys)

    persons: set[str] = set()
    person_spans: list[tuple[int, int]] = []
    spans: list[Span] = []
    demonym_ccs: set[str] = set()
    for arabic, toks in runs:
        if arabic:
            spans.extend(_match_arabic(text, toks, found))
            continue
        before = len(person_spans)
        _people(text, toks, words, found, persons, person_spans)
        in_org = any(t[2] in words.org for t in toks)
        matched = _match_run(text, toks, found, words, in_org, demonym_ccs)
        for sp in matched:
            if any(a <= sp.start < b for a, b in person_spans[before:]):
                continue
            if sp.demonym is None:
                sp.loose = _loose(text, toks, sp, words)
            spans.append(sp)
    out = []
    for sp in spans:
        if sp.demonym is None and not _keep(text, sp, words, persons):
            continue
        out.append(sp)
    out.sort(key=lambda sp: sp.start)  # Arabic-script runs were matched after the Latin ones
    return out, demonym_ccs


def _ngram_keys(text: str, toks: list, keys: set[str], arabic: bool = False) -> None:
    n = len(toks)
    for i in range(n):
        w = toks[i][2]
        if not arabic and (w in _CONNS and w not in _ARTICLES):
            continue
        for j in range(i, min(n, i + _MAXN)):
            last = toks[j][2]
            if not arabic and (last in _CONNS or last.lower() in _ARTICLES):
                continue
            key = fold(text[toks[i][0]:toks[j][1]])
            keys.add(key)
            bare = drop_article(key)
            if bare:
                keys.add(bare)
            if arabic and len(w) > 3 and w[0] in "وبلف":
                keys.add(fold(text[toks[i][0] + 1:toks[j][1]]))


def _lookup(found: dict, key: str) -> tuple[tuple[Record, int], ...]:
    hit = found.get(key)
    if hit:
        return hit
    bare = drop_article(key)
    if bare:
        hit = found.get(bare)
        if hit:
            return tuple((r, max(h, 2)) for r, h in hit)
    return ()


def _match_run(text: str, toks: list, found: dict, words: WordLists, in_org: bool,
               demonym_ccs: set[str]) -> list[Span]:
    out: list[Span] = []
    n = len(toks)
    i = 0
    while i < n:
        w = toks[i][2]
        if w in _CONNS and w not in _ARTICLES:
            i += 1
            continue
        best = None
        for j in range(min(n, i + _MAXN) - 1, i - 1, -1):
            last = toks[j][2]
            if last in _CONNS or last.lower() in _ARTICLES:
                continue
            start, end = toks[i][0], toks[j][1]
            surface = text[start:end]
            dem = words.demonyms.get(surface)
            if dem:
                demonym_ccs.add(dem)
                best = Span(start, end, surface, "", (), j - i + 1, demonym=dem, tok_i=i,
                            tok_j=j)
                break
            cands = _lookup(found, fold(surface))
            if cands:
                best = Span(start, end, surface, fold(surface), cands, j - i + 1, tok_i=i,
                            tok_j=j)
                break
        if best is None:
            i += 1
            continue
        best.in_org = in_org
        out.append(best)
        i = next(k for k in range(i, n + 1) if k == n or toks[k][0] >= best.end)
    return out


def _match_arabic(text: str, toks: list, found: dict) -> list[Span]:
    out: list[Span] = []
    n = len(toks)
    i = 0
    while i < n:
        best = None
        for j in range(min(n, i + _MAXN) - 1, i - 1, -1):
            start, end = toks[i][0], toks[j][1]
            cands = _lookup(found, fold(text[start:end]))
            if not cands and len(toks[i][2]) > 3 and toks[i][2][0] in "وبلف":
                start += 1
                cands = _lookup(found, fold(text[start:end]))
            cands = tuple(c for c in cands if c[0].pop >= 1000 or c[0].kind != "city")
            if cands and (end - start) >= 3:
                best = Span(start, end, text[start:end], fold(text[start:end]), cands, j - i + 1)
                break
        if best is None:
            i += 1
            continue
        out.append(best)
        i = next(k for k in range(i, n + 1) if k == n or toks[k][0] >= best.end)
    return out


_PARTICLES = frozenset("al el de da di du van von der den bin ibn abu ben la le del della dos das"
                       .split())


def _people(text: str, toks: list, words: WordLists, found: dict, persons: set[str],
            person_spans: list[tuple[int, int]]) -> None:
    """Collect the person names a run shows: names after a title, or a given name and more."""
    n = len(toks)
    prev = _LOWER_TITLE.search(text, max(0, toks[0][0] - 30), toks[0][0])
    after_title = bool(prev and prev.group(1).lower() in words.titles)
    i = 0
    while i < n:
        w = toks[i][2]
        low = w.rstrip(".").lower()
        if w in _CONNS:
            after_title = False
            i += 1
            continue
        if low in words.titles:
            after_title = True
            i += 1
            continue
        # a given name and another word: "Ann-Christin Nykvist", not "India-Pakistan"
        is_given = (w in words.given and i + 1 < n and toks[i + 1][2] not in _CONNS
                    and not (text[toks[i][1]:toks[i + 1][0]] == "-"
                             and _is_country(found.get(fold(toks[i + 1][2]), ()))))
        if not (after_title or is_given):
            i += 1
            continue
        j = i
        while j + 1 < n and (toks[j + 1][2] not in _CONNS or toks[j + 1][2] in _PARTICLES):
            j += 1
        while j > i and toks[j][2] in _PARTICLES:
            j -= 1
        name = [t for t in toks[i:j + 1] if t[2] not in _PARTICLES]
        whole = fold(text[toks[i][0]:toks[j][1]])
        # a run that is itself a place ("Victoria Falls", "Jordan Valley") is no person, nor
        # one after a title that holds a country or region ("Taco Bell Canada"); after a given
        # name, a surname that is also a place ("Jordan Henderson", "Denzel Washington",
        # "Michael Jordan") is still a surname
        if not (whole in found or any(t[2] in words.feature for t in name)
                or (len(name) == 1 and not after_title)
                or not is_given and any(_is_country(found.get(fold(t[2]), ()))
                                        for t in name[1:])):
            person_spans.append((toks[i][0], toks[j][1]))
            for t in name[(0 if after_title else 1):]:
                if not _is_country(found.get(fold(t[2]), ())):
                    persons.add(t[2])  # "Michael Jordan" says nothing of later "Jordan"s
        after_title = False
        i = j + 1
    if n == 1:
        w = toks[0][2]
        if _SPEECH.match(text, toks[0][1]):
            cands = found.get(fold(w), ())
            strong, pop = _best_strength(cands)
            if not strong and pop < 100_000:
                persons.add(w)


def _keep(text: str, sp: Span, words: WordLists, persons: set[str]) -> bool:
    """Decide whether a span is a place mention; sets cues on the span as a side effect."""
    s = sp.surface
    cands = sp.cands
    if sp.ntok == 1:
        if s in words.months or s in words.weekdays:
            return False
        if s in persons and not (_is_big(cands) and _LOCATIVE.search(
                text, max(0, sp.start - 12), sp.start)):
            return False
        if s in words.feature and _OF_NEXT.match(text, sp.end):
            return False  # "Bay" of an unknown "Bay of …" is not Somalia's Bay region
        if s.rstrip(".").lower() in words.titles or _FREE.match(s) or _CONTRACTION.search(s) \
                or s in words.org:
            return False
        if s in ("Centre", "Center", "Middle", "Upper", "Lower", "Greater", "Inner", "Outer"):
            return False
        letters = s.replace(".", "")
        if letters.isupper() and len(letters) <= 5:
            cands = tuple(c for c in cands if c[1] == 3)
            if not cands or text[sp.end:sp.end + 1] in "$€£" and sp.end < len(text):
                return False  # "US$460" is money
            sp.cands = cands
        elif len(letters) <= 2:
            return False
        if s in words.given and all(h != 0 for _, h in cands):
            return False  # "Franklin": a given name that is only another place's alternate
    elif all(t in persons for t in s.split()):
        return False
    letters = s.replace(".", "").replace(" ", "")
    if not (letters.isupper() and len(letters) <= 5) and any(h == 3 for _, h in cands):
        cands = tuple(c for c in cands if c[1] != 3)  # "Act" is not "ACT"
        if not cands:
            return False
        sp.cands = cands
    strong, pop = _best_strength(cands)
    big = strong or pop >= 100_000
    # a common word is kept as a place only when it is the own name of a country, region or
    # division, or of a city of 100,000+ (an alternate name: 1,000,000+)
    own_big = any(r.kind in ("country", "region") and h in (0, 1, 3)
                  or r.kind == "admin1" and h in (0, 3) and plain(s) == plain(r.name)
                  or r.pop >= 100_000 and h in (0, 3) or r.pop >= 1_000_000 and h == 1
                  for r, h in cands)
    sp.initial = _sentence_initial(text, sp.start)
    low = s.lower()
    if sp.ntok == 1:
        common = low in words.common
        country = any(r.kind in ("country", "region") and h in (0, 1, 3) for r, h in cands)
        if common and not country and (sp.initial or not own_big):
            return False
        if sp.initial and not big and pop < 1000:
            return False
        sp.common = common
    after = text[sp.end:sp.end + 60]
    if _FEATURE_OF.search(text, max(0, sp.start - 16), sp.start) and not _is_strong(cands):
        return False
    if _VESSEL_BEFORE.search(text, max(0, sp.start - 12), sp.start) and not _is_country(cands):
        return False
    if _CLUB_AFTER.match(after) or _CLUB_BEFORE.search(text, max(0, sp.start - 12), sp.start):
        return False
    if _THING_AFTER.match(after) and not any(r.kind == "country" for r, _ in cands):
        return False  # "Reston virus", "West Nile fever": a thing named after a place
    if sp.in_org and not big and (pop < 10_000 or all(h == 1 for _, h in cands)):
        return False
    if sp.loose and not any((r.kind in _STRONG_KINDS or r.pop >= 100_000) and h in (0, 3)
                            for r, h in cands) \
            or sp.loose_left and sp.ntok == 1 and not _is_country(cands):
        # an unknown capitalised word before a lone name that is no country: a person
        # ("Denzel Washington"), even when the name is a big city or a division
        if sp.ntok == 1 and not sp.initial:
            persons.add(s)  # "Avni Sahin" … later "Sahin said": the same person
        return False
    q = _QUAL_AFTER.match(after)
    if q:
        sp.qualifier = q.group(1).lower()
    else:
        before = text[max(0, sp.start - 40):sp.start]
        q = _QUAL_BEFORE.search(before)
        if q:
            sp.qualifier = (q.group(1) or q.group(2)).lower()
    k = _KIND_CUE.match(after)
    if k:
        sp.kind_cue = k.group(1).lower()
    sp.comma_next = after.startswith(", ")
    sp.cue_end = not _CAP_NEXT.match(after)
    return True
