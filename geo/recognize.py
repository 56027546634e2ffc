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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from geo.gazetteer import Index, Record
from geo.normalize import _HAS_ARABIC as _ARABIC_CHAR  # the test fold() branches on
from geo.normalize import fold, fold_words, plain
from geo.stopwords import WordLists

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĠĦĪİĶĹĽŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŸŹŻŽḤḨṢṬẒ"
_ART = r"(?:[Aa]l|[Ee]l|[Aa]sh|[Aa]s|[Aa]d|[Aa]r|[Aa]n|[Aa]t|[Aa]z|[Ee]s|[Ee]z|[Ee]d|[Uu]l)-"
_WORD_FORMS = (rf"(?:(?:[A-Z]\.){{2,}}|(?:St|Mt|Ft|Ste)\.|(?:{_ART})?(?:[dDlL]['’])?[{_UP}]\w*"
               rf"(?:['’](?!s\b)\w+|-(?=\w)\w+|['’]s(?=[ \t]+[{_UP}]))*)")
# What a word of a name can begin with: a capital, an article and its hyphen, or d'/l'. The
# regular-expression engine tries every form at every word start; this look-ahead turns away
# a lower-case word at once, which halves the time of the scan (``_WORD_FORMS`` alone matches
# the same text: tests/test_geo_shortcuts.py).
_WORD_FIRST = rf"(?=[{_UP}]|[AaEeUu][a-z]{{1,2}}-|[dDlL]['’])"
_WORD = _WORD_FIRST + _WORD_FORMS
_CONN = (r"(?:of|de|del|della|di|da|do|dos|das|du|des|la|le|les|the|and|on|upon|sur|am|"
         r"y|e|al|el|es|ez|ed|bin|ibn|abu|ben|van|von|der|den|kwa|na)")
_RUN = re.compile(rf"(?<![\w.])(?:{_WORD})(?:[ \t]+(?:{_CONN}[ \t]+)*(?:{_WORD}))*")
_TOK = re.compile(r"(?:[A-Z]\.){2,}|(?:St|Mt|Ft|Ste)\.|['’]s\b|\w+(?:['’](?!s\b)\w+)*")
# An Arabic word: letters, and the vowel marks and other signs a vocalised text writes on them
# ("عمّان" with its shadda is one word, not "عم" and "ان"; fold() drops the marks)
_AR_LETTER = "\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff"
_AR_MARK = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_AR_WORD_RE = rf"[{_AR_LETTER}][{_AR_LETTER}{_AR_MARK}]*"
_AR_RUN = re.compile(rf"{_AR_WORD_RE}(?:[ \t]+{_AR_WORD_RE})*")
_AR_TOK = re.compile(_AR_WORD_RE)
_AR_MARKS = frozenset(chr(c) for a, b in ((0x610, 0x61a), (0x64b, 0x65f), (0x670, 0x670),
                                          (0x6d6, 0x6ed)) for c in range(a, b + 1))
#: The one-letter Arabic proclitics (and, with/in, for/to, so) a name may carry: و ب ل ف
_AR_PREFIXES = "وبلف"


def _two_prefixes(w: str) -> bool:
    """Whether an Arabic word may carry two proclitics: و or ف, then ب or ل ("وللبنان",
    and to Lebanon; "وبغزة", and in Gaza)."""
    return len(w) > 4 and w[0] in "وف" and w[1] in "بل"


_ARTICLES = frozenset("al el ash as ad ar an at az es ez ed ul".split())
_CONNS = frozenset(_CONN[3:-1].split("|")) | {"'s", "’s"}
_MAXN = 6
# Articles fold() rewrites when a hyphen follows ("ash-" → "al "), and "el" before a blank.
_HYPHEN_ARTICLES = frozenset("al el ul ol ash as ad adh ar an at ath az es esh ed er en et ez"
                             .split())
#: With this many tokens in one text, the index's first words of multi-word names are read
#: (once per process, a few milliseconds) to skip the n-grams that cannot be names (see
#: ``_alone``): from the first text on, since the build stores them as one list (they took
#: 0.15 s to gather from the names table, then only texts of 8,000 tokens read them). A
#: third fewer instructions on a first pass over short Arabic paragraphs, where every word
#: begins n-grams.
HEADS_MIN_TOKENS = 0

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
_DIVISION_CUES = frozenset({"province", "governorate", "state", "county", "region", "district",
                            "prefecture", "oblast", "department", "zone", "raion", "rayon",
                            "woreda", "township", "hromada", "cercle", "lga", "division",
                            "subdivision", "commune", "island",
                            # (and a river: "the Juba river" is the river named so)
                            "river"})
#: Kind words that make a division of the name before them ("the Centre department").
_ADMIN_CUES = frozenset({"province", "governorate", "state", "county", "region", "district",
                         "prefecture", "oblast", "department", "zone", "division"})
# (and the plural, which speaks for the names of the list it closes: "Maru and Tsafe LGAs")
_KIND_CUE = re.compile(r"\s+(province|governorate|state|county|region|district|prefecture|"
                       r"oblast|department|division|subdivision|zone|raion|rayon|woreda|"
                       r"township|hromada|cercle|commune|LGA|city|town|village|river)(s?)\b",
                       re.I)
#: Between two names of a list: ", ", " and ", ", and ", " or " (``fullmatch`` the gap)
LIST_GAP = re.compile(r"(?:,[ \t]+(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or)[ \t]+)")
#: (but "rivers" closes a list of rivers: "the Niger and Benue rivers")
_TOWN_WORDS = frozenset({"city", "town", "village"})


def _kind_cue(text: str, pos: int) -> re.Match | None:
    """The kind word right after ``pos`` ("Idlib governorate", "Maru and Tsafe LGAs"), or
    None; a plural town word is a category, not a name's kind ("Beach towns")."""
    k = _KIND_CUE.match(text, pos)
    if k is not None and k.group(2) and k.group(1).lower() in _TOWN_WORDS:
        return None
    return k
_LOWER_TITLE = re.compile(r"\b(\w+)\.?\s+$")
_THING_AFTER = re.compile(r"[ \t]+(?:ha?emorrhagic[ \t]+)?(?:virus|viruses|ebolavirus|fever|flu|"
                          r"influenza|disease|"
                          r"syndrome|strain|vaccine|bacteria|bacterium|"
                          r"crude)\b", re.I)  # (crude: "Brent crude", the oil benchmark)
# a people or armed group named like a place ("Borana herders", "Fano militias"): the group
_GROUP_AFTER = re.compile(r"[ \t]+(?:pastoralists|herders|herdsmen|tribesmen|clans?|tribes?|"
                          r"militias?|militiamen)\b")
# a given name like a place before a surname, then an apposition or a speech verb: "Aden Abdi,
# who chairs", "Asmara Gebremedhin, a teacher", "Sanaa Mohammed said": a person
_PERSON_AFTER = re.compile(rf"[ \t][{_UP}][a-z'’-]+(?:,[ \t]+(?:a|an|who|whose)[ \t]|"
                           r",[ \t]+(?:the[ \t]+)?(?:chair|chairman|chairwoman|head|director|"
                           r"spokesman|spokeswoman|spokesperson|coordinator|leader|mayor|"
                           r"governor|commissioner|minister|secretary|president|chief)\b|"
                           r"[ \t]+(?:said|says|told|added|explained)\b)")
_CONTRACTION = re.compile(r"['’](?:ve|m|ll|d|re|t)$", re.I)
_CAP_NEXT = re.compile(rf"[ \t]+[{_UP}]")
# where the text itself places a name: "Tripoli in northern Lebanon", "Kherson, in the south
# of Ukraine", "Hyderabad in Pakistan's Sindh" (lower case: "in Northern Ireland" is a name)
_IN_GAP = re.compile(
    rf",?[ \t]+in[ \t]+(?:the[ \t]+)?(?:(?:{_DIR}[ \t]+)?(?:parts?|areas?|region)[ \t]+of"
    rf"[ \t]+(?:the[ \t]+)?|(?:north|south|east|west|centre|center)[ \t]+of[ \t]+"
    rf"(?:the[ \t]+)?|{_DIR}[ \t]+)?(?=[{_UP}])")
# between a name and the place it lies by: " near ", ", outside ", " 20 km north of "
_NEAR_GAP = re.compile(
    rf",?[ \t]+(?:near|outside|close[ \t]+to|(?:about[ \t]+|some[ \t]+)?\d+[ \t]*(?:km|kilometres|"
    rf"kilometers|miles)[ \t]+(?:(?:{_DIR})[ \t]+of|from)|(?:just[ \t]+)?(?:{_DIR})[ \t]+of)"
    rf"[ \t]+(?:the[ \t]+town[ \t]+of[ \t]+|the[ \t]+city[ \t]+of[ \t]+)?(?=[{_UP}])")
# "the Lebanese city of ", "the Syrian border town of ": the demonym places the name after it
_DEMONYM_OF = re.compile(
    rf"([{_UP}][\w'’-]*)[ \t]+(?:[a-z-]+[ \t]+)?(?:city|town|village|port|capital|"
    r"province|region|district|governorate|state|county|island|enclave|camp)[ \t]+of[ \t]+$")
_STRONG_KINDS = frozenset({"country", "admin1", "region"})
# a preposition of place right before a name: "flew to Washington" is the place even in a text
# that also names the actor Denzel Washington
_LOCATIVE = re.compile(r"\b(?:[Ii]n|[Aa]t|[Tt]o|[Ff]rom|[Nn]ear|into|across|outside|inside|"
                       r"towards?|via|around|above|beyond|below|past)[ \t]+$")
#: "the island of", "the town of": what follows is a place, even a word the text used as a
#: person's name ("Ana Flores" … "the island of Flores")
_KIND_OF = re.compile(r"\b(?:island|city|town|village|province|state|region|district|county|"
                      r"governorate|department|municipality|port|capital|outskirts|suburbs|"
                      r"(?:north|south)(?:-?(?:east|west))?|east|west)[ \t]+of[ \t]+$", re.I)
_ISLAND_OF = re.compile(r"\b(?:island|isle)[ \t]+of[ \t]+$", re.I)
#: The people a town must have to be named after "in", "to", "near"… by a word the text
#: also used as a person's name.
PERSON_TOWN_POP = 10_000
#: The people a town must have for a common word after "in", "to", "near"… to name it.
LOCATIVE_TOWN_POP = 10_000
# sports clubs named after their city ("Manchester United", "Real Madrid"): the club, not the
# place; "United" is no club word before "States", "Kingdom", "Nations"…
_CLUB_AFTER = re.compile(r"[ \t]+(?:United|Rovers|Wanderers|Hotspur|Albion|F\.?C\.?|Rugby|"
                         # a newspaper, an airline or a firm named after the place: "the
                         # Maitland Mercury", "Kenya Airways", "Texas Instruments"
                         r"Mercury|Standard|Telegraph|Herald|Gazette|Chronicle|Tribune|"
                         r"Courier|Examiner|Advertiser|Argus|Observer|Times|Post|Independent|"
                         r"Airlines|Airways|Instruments)\b"
                         r"(?![ \t]+(?:States|Kingdom|Nations|Arab|Republic|Provinces|Methodist"
                         r"|Church|Airlines|Front|Party|Way|Football|Soccer))")
# a street named after a place ("Washington Avenue", "Denver Street"): the street, not the place
_STREET_AFTER = re.compile(r"[ \t]+(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Drive|"
                           r"Lane|Parkway)(?![\w-])")
# the capitalised word or two after a name, for a team's nickname ("Kansas City Chiefs")
_NEXT_WORDS = re.compile(r"[ \t]+([A-Z0-9]\w*)(?:[ \t]+([A-Z]\w*))?")
_CLUB_WORDS = frozenset("Real Atletico Atlético Sporting Olympique Dynamo Dinamo FC AC Inter "
                        "Borussia Racing Deportivo".split())
_CLUB_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(_CLUB_WORDS))})[ \t]+$")
# the tail of a physical feature's name the gazetteer lacks ("Cape of Good Hope" is no "Good
# Hope" town); countries and divisions stay ("Gulf of Guinea" is still about Guinea's coast)
_FEATURE_OF = re.compile(r"\b(?:Cape|Bay|Gulf|Sea|Strait|Straits|Lake|Isle|Horn)[ \t]+of[ \t]+"
                         r"(?:the[ \t]+)?$")
# a named vessel ("the cruiser Moskva", "HMS Belfast"): the ship, not the place
_VESSEL_WORDS = frozenset(
    [w for t in "cruiser frigate destroyer warship corvette submarine tanker freighter trawler"
     .split() for w in (t, t.capitalize())] + "MV USS HMS RFA".split())
_VESSEL_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(_VESSEL_WORDS))})[ \t]+$")
# an armed unit named after a place in Arabic ("Liwa al-Quds", the Quds Brigade of Aleppo;
# "Faylaq al-Sham", "Jaish al-Fatah"): the unit, not Jerusalem or Syria
_UNIT_WORDS = frozenset("Liwa Liwaa Katiba Kataib Kata'ib Faylaq Jaish Jaysh Jabhat Harakat "
                        "Saraya Quwat Tajammu Ahrar".split())
# named in full after these words ("Hurricane Ian", "Typhoon Haiyan", "Operation Euphrates
# Shield"), a storm or an operation is the thing, not a place ("Ian" also folds like Ya'an)
_NAMED_THING_WORDS = frozenset("Hurricane Typhoon Cyclone Storm Operation".split())
_STORM_WORDS = frozenset("Hurricane Typhoon Cyclone Storm".split())
_UNIT_BEFORE = re.compile(
    rf"\b(?:{'|'.join(sorted(_UNIT_WORDS | _NAMED_THING_WORDS))})[ \t]+$")
_UNIT_NAME_NEXT = re.compile(rf"[ \t]+{_ART}")
# the start of a name written in lower case: an article ("al-Bab", "ash-Shaar") or d'/l'
_LOWER_START = re.compile(rf"{_ART}|[dl]['’]")
#: The last word before a span that one of the four expressions above needs (a superset:
#: tests/test_geo_shortcuts.py).
# a people named like its land: "ethnic Rakhine", "ethnic Kachin" are the people
_PEOPLE_WORDS = frozenset({"ethnic", "Ethnic"})
_BEFORE_WORDS = (frozenset({"of", "the"}) | _VESSEL_WORDS | _CLUB_WORDS | _UNIT_WORDS
                 | _NAMED_THING_WORDS | _PEOPLE_WORDS)
# the word after a span, and the words that _CLUB_AFTER, _STREET_AFTER, _THING_AFTER and
# _GROUP_AFTER need there (the disease words also in lower case; "F" of "F.C."; a superset:
# tests/test_geo_shortcuts.py); a team's first word is looked up in the word lists' teams
_AFTER_WORD = re.compile(r"[ \t]+(\w+)")
_AFTER_WORDS = frozenset(
    "United Rovers Wanderers Hotspur Albion FC F Rugby Mercury Standard Telegraph Herald Gazette "
    "Chronicle Tribune Courier Examiner Advertiser Argus Observer Times Post Independent "
    "Airlines Airways Instruments Street St Avenue Ave Road Rd Boulevard Blvd "
    "Drive Lane Parkway haemorrhagic hemorrhagic virus viruses ebolavirus fever flu influenza "
    "disease syndrome strain vaccine bacteria bacterium crude pastoralists herders herdsmen "
    "tribesmen clan clans tribe tribes militia militias militiamen".split())
_TEAM_HEADS: dict[int, tuple[frozenset[str], frozenset[str]]] = {}


def _team_heads(teams: frozenset[str]) -> frozenset[str]:
    """The team names and the first words of those of two words ("Red" of "Red Sox")."""
    hit = _TEAM_HEADS.get(id(teams))
    if hit is None or hit[0] is not teams:
        hit = _TEAM_HEADS[id(teams)] = (teams, teams | {t.split()[0] for t in teams})
    return hit[1]


_OF_NEXT = re.compile(rf"[ \t]+of[ \t]+(?:the[ \t]+)?[{_UP}]")

#: A token of a run: (start, end, text).
Tok = tuple[int, int, str]
#: A name's gazetteer candidates: (record, how the name matched it).
Cands = tuple[tuple[Record, int], ...]
#: The longest name from a token of a Latin run: (last token - first, length, surface, key,
#: candidates, the country of a demonym or None).
LatinBest = tuple[int, int, str, str, Cands, "str | None"]
#: The longest name from a token of an Arabic run: (last token - first, letters skipped,
#: length, surface, key, candidates).
ArabicBest = tuple[int, int, int, str, str, Cands]
#: The keys of tokens that all have one (see ``_token_keys``).
_Keys = list[str]


@dataclass(slots=True, init=False)
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
    arabic: bool = False  # found by the Arabic-script matcher
    cued: bool = False  # ", " and a division or country that holds a candidate follow
    #: length of " in northern " after the span ("Tripoli in northern Lebanon"): the span
    #: that starts there may place this one, as after ", "; 0 when no such gap follows
    in_gap: int = 0
    poss: bool = False  # "'s " right before: "Lebanon's Tripoli"
    #: the country of a demonym that places the name: "the Lebanese city of Tripoli"
    place_cc: str | None = None
    #: ids of the records named by the name and its kind word together ("Gaza governorate"
    #: names the Palestinian governorate, whose own name has that form; not Mozambique's
    #: Gaza Province)
    cue_named: frozenset[int] | None = None
    the_before: bool = False  # "the " right before: "the Atlantic" is the ocean, not a town
    #: the place of a wire dateline with its state: "PERU, Ind. —" (geo.states)
    dateline: bool = False
    #: an everyday Arabic word that is a place only in a text about these countries ("صور":
    #: pictures; Tyre in a report on Lebanon): its candidates are theirs (see
    #: ``data/geo/words/arabic-in-country.txt``, ``geo.resolve.IN_COUNTRY_SHARE``)
    only_cc: frozenset[str] | None = None
    #: the name is a lake's, a river's, an island's… ("Lake Dunstan", "the Nepean River",
    #: "Macquarie Island") that only a town's record spells: the town stands in for it only
    #: in a country the text is about (``geo.resolve``)
    feature: bool = False
    #: length of " near " or ", 20 km north of " after the span: the span that starts there
    #: places this one near it (``geo.resolve``); 0 when no such gap follows
    near_gap: int = 0
    #: the level an Arabic place-type noun names ("محافظة" admin1, "قضاء" admin2, "ناحية"
    #: admin3), where English's "district" may be either
    cue_level: str | None = None

    def __init__(self, start: int, end: int, surface: str, key: str,
                 cands: tuple[tuple[Record, int], ...], ntok: int, initial: bool = False,
                 in_org: bool = False, common: bool = False, qualifier: str | None = None,
                 kind_cue: str | None = None, comma_next: bool = False, cue_end: bool = False,
                 loose: bool = False, loose_left: bool = False, tok_i: int = 0, tok_j: int = 0,
                 demonym: str | None = None, arabic: bool = False, cued: bool = False,
                 in_gap: int = 0, poss: bool = False, place_cc: str | None = None,
                 cue_named: frozenset[int] | None = None, the_before: bool = False,
                 dateline: bool = False, only_cc: frozenset[str] | None = None,
                 feature: bool = False, near_gap: int = 0, cue_level: str | None = None) -> None:
        # (written out, not generated: mypyc compiles this one, where the dataclass's own
        # runs as Python, about 8,000 instructions a span)
        self.start = start
        self.end = end
        self.surface = surface
        self.key = key
        self.cands = cands
        self.ntok = ntok
        self.initial = initial
        self.in_org = in_org
        self.common = common
        self.qualifier = qualifier
        self.kind_cue = kind_cue
        self.comma_next = comma_next
        self.cue_end = cue_end
        self.loose = loose
        self.loose_left = loose_left
        self.tok_i = tok_i
        self.tok_j = tok_j
        self.demonym = demonym
        self.arabic = arabic
        self.cued = cued
        self.in_gap = in_gap
        self.poss = poss
        self.place_cc = place_cc
        self.cue_named = cue_named
        self.the_before = the_before
        self.dateline = dateline
        self.only_cc = only_cc
        self.feature = feature
        self.near_gap = near_gap
        self.cue_level = cue_level


_OPENERS = " \t\"'“‘(«[—-"
_ENDERS = ".!?\n:;•*|"


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - _BEFORE):start].rstrip(_OPENERS)
    if before:
        return before[-1] in _ENDERS
    if start <= _BEFORE:
        return True
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(«[—-":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;•*|"


def _best_strength(cands: tuple[tuple[Record, int], ...]) -> tuple[bool, int]:
    """(a country, region or curated place by its own name?, the largest population)."""
    strong = False
    pop = 0
    for r, h in cands:  # (one loop, not two generators: most names have one to three)
        if h != 2:
            if not strong and (r.curated or r.kind in _STRONG_KINDS):
                strong = True
            if r.pop > pop:
                pop = r.pop
    return strong, pop


def _is_country(cands: tuple[tuple[Record, int], ...]) -> bool:
    return any(r.kind in ("country", "region") and h in (0, 3) for r, h in cands)


def is_locator(cands: tuple[tuple[Record, int], ...]) -> bool:
    """Whether a name may be a first-level division or a country, which places the names
    beside it ("Cambridge, England", "NORWAY, Maine")."""
    return any(r.kind in ("admin1", "country") for r, _h in cands)


def _is_strong(cands: tuple[tuple[Record, int], ...]) -> bool:
    return any(r.kind in _STRONG_KINDS and h in (0, 3) for r, h in cands)


def _is_big(cands: tuple[tuple[Record, int], ...]) -> bool:
    return any(r.kind in _STRONG_KINDS and h in (0, 3) or r.pop >= 100_000 and h == 0
               for r, h in cands)


_FREE = re.compile(rf"^{_DIR}$", re.I)
# the words _FREE matches, for ASCII words (a set look-up costs a fifth of the match); other
# words still go to _FREE, whose case-blind match also takes "ſ" for "s"
_FREE_WORDS = frozenset(
    [p + s for p in ("north", "south") for s in ("east", "-east", "eastern", "-eastern", "west",
                                                  "-west", "western", "-western")]
    + "north south east west northern southern eastern western central rural greater downtown "
      "outer inner old".split())


def _free(w: str) -> bool:
    """Whether ``w`` is a direction or part word by itself (``_FREE.match(w)``)."""
    if w.isascii() and "\n" not in w:
        return w.lower() in _FREE_WORDS
    return _FREE.match(w) is not None


# The last words _QUAL_BEFORE can match right before its closing blank (and "the").
_QUAL_ENDS = ("of", "north", "south", "east", "west", "northern", "southern", "eastern",
              "western", "central", "rural", "greater", "downtown", "outer", "inner", "old")
# The last run of letters of each direction of _DIR ("north-eastern": "eastern"), and of each
# part of _PART ("old city": "city"): the word a match of _QUAL_BEFORE ends with, before "of"
# or not.
_QUAL_DIRS = frozenset("north south east west northern southern eastern western northeast "
                       "northeastern northwest northwestern southeast southeastern southwest "
                       "southwestern central rural greater downtown outer inner old".split())
_QUAL_PARTS = _QUAL_DIRS | frozenset(
    "outskirts suburb suburbs countryside edge edges district districts neighbourhood "
    "neighbourhoods neighborhood neighborhoods part parts area areas quarter quarters "
    "periphery outskirt centre center city side sector front frontline frontlines".split())


#: What a match of _QUAL_BEFORE is made of, but blanks: ASCII letters, the four other letters
#: a case-blind match takes for some ("İ", "ı", "ſ", "K"), and hyphens.
_QUAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\u0130\u0131"
                        "\u017f\u212a")


def _last_letters(s: str) -> str:
    k = len(s)
    while k and s[k - 1].isalpha():
        k -= 1
    return s[k:]


def _qualifier_before(before: str) -> str | None:
    """The qualifier ``_QUAL_BEFORE`` finds at the end of ``before`` ("northern outskirts" of
    "the northern outskirts of "), or None.

    The search tries every start in the 40 characters, twenty times slower than the rest of
    the filters together; a match must end in "of" or a direction word, then blanks (and
    "the" and blanks), which ASCII text shows at once. A match holds only letters that a
    case-blind match takes for ASCII ones, hyphens and blanks: in other text, only the end
    made of those is searched (a case-blind search of text beyond Latin-1 compares letter by
    letter through Unicode's tables).
    """
    s = before.rstrip()
    if len(s) == len(before):
        return None  # a match ends with a blank
    start = 0
    if not s.isascii():
        start = len(before)
        while start and (before[start - 1] in _QUAL_CHARS or before[start - 1].isspace()):
            start -= 1
        s = s[start:]
    if s.isascii():
        low = s.lower()
        if low.endswith("the"):
            low = low[:-3]
            end = low.rstrip()
            if len(end) == len(low):
                return None  # "the" is a word of its own or no part of a match
            low = end
        if not low.endswith(_QUAL_ENDS):
            return None
        # the word that would end the match must be one of _DIR or _PART: else no search of
        # forty starts ("the University of ", "the roof ")
        if low.endswith("of"):
            head = low[:-2]
            if not head[-1:].isspace() or _last_letters(head.rstrip()) not in _QUAL_PARTS:
                return None
        elif _last_letters(low) not in _QUAL_DIRS:
            return None
    q = _QUAL_BEFORE.search(before, start)
    return (q.group(1) or q.group(2)).lower() if q else None


def _loose_cached(text: str, toks: list[Tok], sp: Span, words: WordLists, memo: dict) -> bool:
    """:func:`_loose`, once for all spans with the same neighbouring tokens and gaps."""
    i, j = sp.tok_i, sp.tok_j
    if not i and j + 1 >= len(toks):
        return False  # the span is its whole run: no word beside it
    a = toks[i - 1][0] if i else sp.start
    b = toks[j + 1][1] if j + 1 < len(toks) else sp.end
    key = (text[a:b], i > 0, sp.start - a, sp.end - sp.start)
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = (_loose(text, toks, sp, words), sp.loose_left)
    else:
        sp.loose_left = hit[1]
    return hit[0]


_LEADS: dict[int, tuple[WordLists, frozenset[str]]] = {}


def _demonym_leads(words: WordLists) -> frozenset[str]:
    """The first tokens of the demonyms of more than one token ("South" of "South Sudanese")."""
    hit = _LEADS.get(id(words))
    if hit is None or hit[0] is not words:
        leads = frozenset(t[0] for t in map(_TOK.findall, words.demonyms) if len(t) > 1)
        hit = _LEADS[id(words)] = (words, leads)
    return hit[1]


def _loose(text: str, toks: list[Tok], sp: Span, words: WordLists) -> bool:
    """True when a capitalised word that is no place, title, direction or organisation word
    sits right next to the span in its run ("Fateh al-Sham", "Avni Sahin")."""
    for k in (sp.tok_i - 1, sp.tok_j + 1):
        if not 0 <= k < len(toks):
            continue
        a, b, w = toks[k]
        if w in _CONNS or w.rstrip(".").lower() in words.titles or _free(w):
            continue
        if w in words.org or w in words.feature or w in words.months or w in words.weekdays:
            continue
        if w in words.demonyms or len(w) <= 2 or w.lower() in words.english:
            continue  # "Randwick Racecourse", "A Longview woman": a descriptor, not a name
        if w.lower().rstrip("s") in _DIVISION_CUES:
            continue  # "Tsafe LGA", "Maru and Tsafe LGAs": the kind of place
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
    # runs of (kind, tokens); kind 0: Latin, 1: Arabic script, 2: Latin with Arabic letters.
    # Tokens are found in place: _TOK looks neither behind its start nor past a run's end.
    found_runs: list[tuple[int, list[tuple[int, int, str]]]] = []
    for m in _RUN.finditer(text):
        a, b = m.span()
        w = m.group()
        if w.isalpha() and w.isascii():  # one plain word (most runs): the token is the run
            found_runs.append((0, [(a, b, w)]))
            continue
        found_runs.append((2 if not w.isascii() and _ARABIC_CHAR.search(w) else 0,
                           [(t.start(), t.end(), t.group()) for t in _TOK.finditer(text, a, b)]))
    # (ASCII text holds no Arabic letter: isascii() is a flag, not a scan)
    for m in () if text.isascii() else _AR_RUN.finditer(text):
        a, b = m.span()
        if b - a < 3:
            continue  # the Arabic-script matcher takes no name under three letters
        w = m.group()
        found_runs.append((1, [(a, b, w)] if w.isalnum() else
                           [(t.start(), t.end(), t.group()) for t in _AR_TOK.finditer(text, a, b)]))
    # every word's key at once (the new ones folded in one pass: geo.normalize.fold_words)
    words_in = {t[2] for _kind, toks in found_runs for t in toks}
    # (and each Arabic word's form without one or two proclitics و ب ل ف: see _alone; runs
    # of kind 1 and 2 are the ones with Arabic letters)
    keys_of = fold_words(words_in if not any(kind for kind, _toks in found_runs) else
                         words_in.union(
                             [w[1:] for w in words_in if len(w) > 3 and w[0] in _AR_PREFIXES],
                             [w[2:] for w in words_in if _two_prefixes(w)]))
    runs: list[tuple[int, list[tuple[int, int, str]], list[str | None], list[int]]] = []
    ntoks = 0
    one_keys: dict[tuple[int, str], tuple] = {}  # the keys of one-word runs, once per word
    for kind, toks in found_runs:
        ntoks += len(toks)
        if len(toks) == 1:
            hit = one_keys.get((kind, toks[0][2]))
            if hit is None:
                hit = one_keys[(kind, toks[0][2])] = _token_keys(toks, kind == 1, keys_of)
            runs.append((kind, toks, *hit))
        else:
            runs.append((kind, toks, *_token_keys(toks, kind == 1, keys_of)))
    heads = index.heads(load=ntoks >= HEADS_MIN_TOKENS)
    keys: set[str] = set()
    # The n-grams and the longest match from a token depend only on the text of the window of
    # up to _MAXN tokens that starts there (and the kind of run), so a window seen before in
    # this text is not done again: a name repeated ten thousand times costs one lookup, not
    # ten thousand. ``windows`` holds the (kind, window) pairs done.
    windows: set[tuple[int, str]] = set()
    prepared = []
    for kind, toks, fks, lim in runs:
        if len(toks) == 1:  # one word: nothing beside it, and its keys maybe known already
            if (kind, toks[0][2]) not in windows:
                _ngram_keys(text, toks, kind, fks, lim, _NOT_ALONE, _NOT_ALONE, keys, windows,
                            keys_of)
            prepared.append((kind, toks, fks, lim, _NOT_ALONE, _NOT_ALONE))
            continue
        alone, cut = _alone(text, toks, kind, fks, heads if kind != 2 else None, keys_of)
        _ngram_keys(text, toks, kind, fks, lim, alone, cut, keys, windows, keys_of)
        prepared.append((kind, toks, fks, lim, alone, cut))
    found = index.find(keys)

    persons: set[str] = set()
    person_spans: list[tuple[int, int]] = []
    spans: list[Span] = []
    demonym_ccs: set[str] = set()
    # the longest match from a window of tokens, per kind of run (0, 1, 2), and from a token
    # that is its window alone, per script (Latin, Arabic)
    best_memo: tuple[dict[str, Any], dict[str, Any], dict[str, Any]] = ({}, {}, {})
    tok_memo: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    loose_memo: dict[tuple, tuple[bool, bool]] = {}
    leads = _demonym_leads(words)
    found_heads = {k[:k.index(" ")] for k in found if " " in k}
    for kind, toks, fks, lim, alone, cut in prepared:
        if kind == 1:
            spans.extend(_match_arabic(text, toks, fks, lim, alone, cut, found, best_memo[1],
                                       tok_memo[1], words.ar_cues or {}, keys_of,
                                       words.ar_common, words.ar_unsplit, words.ar_nisba,
                                       words.ar_in_country, words.ar_adjectives))
            if words.ar_nisba:  # Arabic demonyms ("السوريون", "اللبنانية") are context too
                demonym_ccs.update(cc for k in fks if (cc := words.ar_nisba.get(k or "")))
            continue
        before = len(person_spans)
        _people(text, toks, words, found, persons, person_spans, keys_of)
        if len(toks) == 1:  # most runs (the any() below costs a generator per run)
            w = toks[0][2]
            in_org = w in words.org or w in words.org_heads and _org_name(text, toks, words)
        else:  # (the run's organisation names are looked for once, not once per word)
            in_org = any(t[2] in words.org for t in toks) or (
                any(t[2] in words.org_heads for t in toks) and _org_name(text, toks, words))
        matched = _match_run(text, toks, kind, fks, lim, alone, found, words, leads, in_org,
                             demonym_ccs, best_memo[kind], tok_memo[0], found_heads)
        run_persons = person_spans[before:]  # in text order, not overlapping
        k = 0
        for sp in matched:
            while k < len(run_persons) and run_persons[k][1] <= sp.start:
                k += 1
            if k < len(run_persons) and run_persons[k][0] <= sp.start:
                continue  # inside a person's name
            if sp.demonym is None and len(toks) > 1:  # (alone in its run: no word beside)
                sp.loose = _loose_cached(text, toks, sp, words, loose_memo)
            spans.append(sp)
    if ", " in text or " in " in text:
        _mark_cued(text, spans, index, words)
    keep_memo: dict[tuple, tuple] = {}

    def keep(sp: Span) -> bool:
        return sp.demonym is not None or _keep_cached(text, sp, words, persons, keep_memo)

    out = _disjoint(spans, keep)
    _share_plural_cue(text, out)
    _name_with_kind(out, index)
    return out, demonym_ccs


def _share_plural_cue(text: str, spans: list[Span]) -> None:
    """A plural kind word after a list of names is each name's: "the Centre and Artibonite
    departments", "Idlib, Hama and Aleppo governorates", "Sabon Birni and Isa LGAs"."""
    for j in range(len(spans) - 1, 0, -1):
        sp = spans[j]
        if sp.kind_cue is None or sp.arabic:
            continue
        k = _kind_cue(text, sp.end)
        if k is None or not k.group(2):
            continue
        i = j - 1
        nxt = sp
        while i >= 0 and spans[i].kind_cue is None and not spans[i].arabic \
                and LIST_GAP.fullmatch(text, spans[i].end, nxt.start):
            spans[i].kind_cue = sp.kind_cue
            nxt = spans[i]
            i -= 1


def _name_with_kind(spans: list[Span], index: Index) -> None:
    """Set ``cue_named`` on each span that a kind word of a division follows ("Gaza
    governorate", "Sindh province"): the records that the name and the word name together,
    added to the span's candidates if the name alone does not find them."""
    todo = [sp for sp in spans if sp.kind_cue in _DIVISION_CUES and sp.key and not sp.arabic]
    if not todo:
        return
    named = index.find({f"{sp.key} {sp.kind_cue}" for sp in todo})
    for sp in todo:
        hit = named.get(f"{sp.key} {sp.kind_cue}")
        if hit:
            sp.cue_named = frozenset(r.rid for r, _h in hit)
            have = {r.rid for r, _h in sp.cands}
            sp.cands = sp.cands + tuple((r, 1) for r, _h in hit if r.rid not in have)


_NOT_ALONE = [False]  # what _alone says of a run of one token (never changed)


def _cue_gap(text: str, end: int) -> int:
    """How many characters after ``end`` a division or country that places the name may
    start: after " in " and maybe a direction ("Chop in Zakarpattia", "Tripoli in northern
    Lebanon"), else after ", " ("Buffalo, New York"); 0 when neither follows."""
    if text.startswith((" in", ", in"), end):
        g = _IN_GAP.match(text, end)
        if g:
            return g.end() - end
    return 2 if text.startswith(", ", end) else 0


def _mark_cued(text: str, spans: list[Span], index: Index, words: WordLists) -> None:
    """Set ``cued`` on each Latin span that a first-level division or country holding one of
    its candidates follows after ", " ("Buffalo, New York", "Mobile, Ala.", "Bath,
    England") or after " in " ("Chop in Zakarpattia"): the cue says the word is the place,
    even a common word or one at the start of a sentence, which ``_keep`` would drop."""
    todo = [(sp, gap) for sp in spans if sp.ntok == 1 and not sp.arabic
            and sp.demonym is None and (gap := _cue_gap(text, sp.end))
            # only the rules of _keep for common words and sentence starts read the cue
            and (sp.surface.lower() in words.common or _sentence_initial(text, sp.start))]
    if not todo:
        return
    from geo.states import abbreviation_records  # (geo.states imports this module)

    by_start = {sp.start: sp for sp in spans if not sp.arabic}
    for sp, gap in todo:
        nxt = by_start.get(sp.end + gap)
        cues = list(nxt.cands) if nxt is not None else []
        if gap == 2:
            cues += abbreviation_records(text, sp.end, index)
        for r, h in cues:
            if h == 2 or r.kind not in ("admin1", "country"):  # (not "Jazira" of "Al Jazira")
                continue
            if any(c.kind not in ("admin1", "country") and (
                    c.admin1 == r.admin1 and c.admin1 if r.kind == "admin1"
                    else c.country == r.country) for c, _h in sp.cands):
                sp.cued = True
                break


def _disjoint(spans: list[Span], keep: Callable[[Span], bool]) -> list[Span]:
    """The spans that ``keep`` keeps, in text order with no two overlapping: the earliest
    start wins, then the longest, then the Arabic-script matcher's span. A Latin run can hold
    Arabic-script words ("Al-دمشق") that the Arabic-script runs find as well, so one stretch
    of text could otherwise give two mentions. Each matcher's spans come in text order and do
    not overlap, so the two lists are merged in one pass.

    ``keep`` runs on every Latin span in order (it may learn persons from them), then on the
    Arabic-script spans as the merge reaches them, and not at all on one that a kept span
    already covers: it would be dropped whatever ``keep`` said, and ``keep`` learns nothing
    from an Arabic-script span (``_keep`` adds a person only for a loose Latin word), so
    "Al-دمشق" repeated costs one verdict per mention, not two.
    """
    lat = [sp for sp in spans if not sp.arabic and keep(sp)]
    ar = [sp for sp in spans if sp.arabic] if len(lat) < len(spans) else []
    if not ar:
        return lat
    out: list[Span] = []
    end = -1
    i = j = 0
    nl, na = len(lat), len(ar)
    while i < nl or j < na:
        if j >= na:
            sp = lat[i]
            i += 1
        elif i >= nl:
            sp = ar[j]
            j += 1
        else:
            x, y = lat[i], ar[j]
            if x.start < y.start or x.start == y.start and x.end > y.end:
                sp = x
                i += 1
            else:
                sp = y
                j += 1
        if sp.start >= end and (not sp.arabic or keep(sp)):
            out.append(sp)
            end = sp.end
    return out


def _token_keys(toks: list[Tok], arabic: bool,
                keys_of: dict[str, str]) -> tuple[list[str | None], list[int]]:
    """The key of each token of a run, where the key of an n-gram is the keys of its tokens
    joined by a blank (None where that does not hold), and for each token the first token at or
    after it that cannot be joined. ``keys_of``: every word's key (``fold_words``).

    In Latin script that holds for tokens of ASCII letters that are no article: ``fold`` then
    works inside each word (case, q→k, ou/oo/ee, doubled letters, Sheikh/Saint/Mount are whole
    words) and turns the blanks or hyphen between words into one blank. In Arabic script it
    holds for every token that keeps a letter. Joining spares ``fold`` on every n-gram of
    text it has not seen (``tests/test_geo_adversarial.py`` checks the equality).
    """
    if len(toks) == 1:
        w = toks[0][2]
        if arabic:
            k = keys_of[w] or None
        else:
            k = keys_of[w] if w.isascii() and w.isalpha() \
                and w.lower() not in _HYPHEN_ARTICLES else None
        return [k], [1 if k is not None else 0]
    if arabic:
        fks = [keys_of[w] or None for _a, _b, w in toks]
    else:
        fks = [keys_of[w] if w.isascii() and w.isalpha() and w.lower() not in _HYPHEN_ARTICLES
               else None for _a, _b, w in toks]
    lim = [0] * len(fks)
    nxt = len(fks)
    for i in range(len(fks) - 1, -1, -1):
        if fks[i] is None:
            nxt = i
        lim[i] = nxt
    return fks, lim


def _alone(text: str, toks: list[Tok], kind: int, fks: list[str | None],
           heads: dict[str, None] | None,
           keys_of: dict[str, str]) -> tuple[list[bool], list[bool]]:
    """For each token, whether no n-gram of two or more tokens from it can be a key of the
    index: as it stands, and (Arabic script) with its first letter dropped as a prefix و ب ل ف.

    Only said when it is sure: the key of such an n-gram then begins with the key of the token
    and a blank, and that word begins no multi-word key (``heads``). That holds when a blank
    (or a hyphen, in Latin script) follows the token, the next token has a key, and the
    folding rules cannot touch the first word: in Latin script both tokens are ASCII letters
    and the first is no article (``fold`` rewrites "el-", "ash-"… and "el"), and the run holds
    no Arabic letter (``fold`` would treat the whole n-gram as Arabic script).
    """
    n = len(toks)
    alone = [False] * n
    cut = [False] * n
    if heads is None or n < 2:
        return alone, cut
    if kind == 1:
        for i in range(n - 1):
            if text[toks[i][1]] not in " \t" or fks[i + 1] is None:
                continue
            key = fks[i]
            alone[i] = key is not None and key not in heads
            t = toks[i][2]
            if len(t) > 3 and t[0] in _AR_PREFIXES:
                key = keys_of[t[1:]]
                cut[i] = bool(key) and key not in heads
        return alone, cut
    for i in range(n - 1):
        key = fks[i]  # None unless ASCII letters and no article
        if key is None or key == "al" or key in heads:  # "al …" is also looked up bare
            continue
        if text[toks[i][1]] in " \t-":
            u = toks[i + 1][2]
            alone[i] = u.isascii() and u.isalpha()
    return alone, cut


def _ngram_keys(text: str, toks: list[Tok], kind: int, fks: list[str | None], lim: list[int],
                alone: list[bool], cut: list[bool], keys: set[str],
                windows: set[tuple[int, str]], keys_of: dict[str, str]) -> None:
    """Add the keys of the n-grams of a run to ``keys``; note each new window in ``windows``."""
    arabic = kind == 1
    n = len(toks)
    add = keys.add
    for i in range(n):
        a, _b, w = toks[i]
        if not arabic and (w in _CONNS and w not in _ARTICLES):
            continue
        prefixed = arabic and len(w) > 3 and w[0] in _AR_PREFIXES
        if alone[i] and (cut[i] or not prefixed):  # one n-gram: the token itself
            add(cast(str, fks[i]))  # (alone: it has a key, of one word)
            if prefixed:
                add(keys_of[w[1:]])
                if _two_prefixes(w):
                    add(keys_of[w[2:]])
            continue
        stop = i + _MAXN if i + _MAXN < n else n
        wkey = (kind, text[a:toks[stop - 1][1]])
        if wkey in windows:
            continue  # same text, same tokens, same keys
        windows.add(wkey)
        joins = lim[i]
        for j in range(i, i + 1 if alone[i] else stop):
            if not arabic:
                last = toks[j][2]
                if last in _CONNS or last.lower() in _ARTICLES:
                    continue
            if j < joins:  # (the tokens before ``joins`` have keys)
                key = cast(str, fks[i]) if j == i else " ".join(cast(_Keys, fks[i:j + 1]))
            else:
                key = fold(text[a:toks[j][1]])
            add(key)
            if key.startswith("al ") and len(key) > 5:
                add(key[3:])  # drop_article
        if prefixed:
            if _two_prefixes(w):
                add(keys_of[w[2:]])
            key = keys_of[w[1:]]
            for j in range(i, i + 1 if cut[i] else stop):
                if j == i:
                    add(key)
                elif key and j < joins:
                    add(key + " " + " ".join(cast(_Keys, fks[i + 1:j + 1])))
                else:
                    add(fold(text[a + 1:toks[j][1]]))


def _lookup(found: dict, key: str) -> tuple[tuple[Record, int], ...]:
    hit = found.get(key)
    if hit:
        return hit
    if key.startswith("al ") and len(key) > 5:  # drop_article(key), inlined: hot
        hit = found.get(key[3:])
        if hit:
            return tuple((r, max(h, 2)) for r, h in hit)
    return ()


def _match_run(text: str, toks: list[Tok], kind: int, fks: list[str | None], lim: list[int],
               alone: list[bool], found: dict, words: WordLists, leads: frozenset[str],
               in_org: bool, demonym_ccs: set[str], memo: dict[str, LatinBest | None],
               tok_memo: dict[str, LatinBest | None],
               found_heads: frozenset[str] | set[str] = frozenset()) -> list[Span]:
    """The names (and demonyms) of a Latin run, longest first, left to right.
    ``found_heads``: the first words of the keys of several words in ``found``."""
    out: list[Span] = []
    n = len(toks)
    demonyms = words.demonyms
    i = 0
    while i < n:
        base, _b, w = toks[i]
        if w in _CONNS and w not in _ARTICLES:
            i += 1
            continue
        if w not in leads and (alone[i] or kind == 0 and fks[i] is not None
                               and fks[i] != "al"
                               and lim[i] >= (i + _MAXN if i + _MAXN < n else n)
                               and fks[i] not in found_heads):
            # only the token itself can be a name (not even a demonym of two words): alone,
            # or every n-gram from it has a joined key and no found key of several words
            # begins with its key (nor is its key "al": "Aal-Tolnaa" is also looked up as
            # "tolna"). _best_latin's last step, inlined, and worked out once per word (such
            # a token has a key and is no article)
            if w in tok_memo:
                best = tok_memo[w]
            else:
                dem = demonyms.get(w)
                if dem:
                    best = (0, len(w), w, "", (), dem)
                else:
                    key = cast(str, fks[i])
                    cands = _lookup(found, key)
                    best = (0, len(w), w, key, cands, None) if cands else None
                tok_memo[w] = best
        else:
            stop = i + _MAXN if i + _MAXN < n else n
            mkey = text[base:toks[stop - 1][1]]
            if mkey in memo:
                best = memo[mkey]
            else:
                best = memo[mkey] = _best_latin(text, toks, i, stop, fks, lim[i], found,
                                                words, False)
        if best is None:
            i += 1
            continue
        dj, length, surface, key, cands, dem = best
        j = i + dj
        if dem:
            demonym_ccs.add(dem)
        # (positional: keywords cost a third more here, once per name found)
        out.append(Span(base, base + length, surface, key, cands, dj + 1, False, in_org, False,
                        None, None, False, False, False, False, i, j, dem))
        i = j + 1  # the first token after the span
    return out


def _best_latin(text: str, toks: list[Tok], i: int, stop: int, fks: list[str | None], joins: int,
                found: dict[str, Cands], words: WordLists, alone: bool) -> LatinBest | None:
    """The longest name (or demonym) from token ``i``: (last token - i, length, surface,
    key, candidates, demonym country), or None. ``alone``: only token ``i`` itself can be
    one (see ``_alone``), so the longer n-grams are not tried. ``fks``, ``joins``: see
    ``_token_keys``."""
    start = toks[i][0]
    demonyms = words.demonyms
    for j in range(i if alone else stop - 1, i - 1, -1):
        last = toks[j][2]
        if last in _CONNS or last.lower() in _ARTICLES:
            continue
        end = toks[j][1]
        surface = text[start:end]
        dem = demonyms.get(surface)
        if dem:
            return j - i, end - start, surface, "", (), dem
        if j < joins:
            key = cast(str, fks[i]) if j == i else " ".join(cast(_Keys, fks[i:j + 1]))
        else:
            key = fold(surface)
        cands = _lookup(found, key)
        if cands:
            return j - i, end - start, surface, key, cands, None
    return None


def _org_name(text: str, toks: list[Tok], words: WordLists) -> bool:
    """Whether the run names an organisation of several words ("Syrian Arab Red Crescent")."""
    run = " ".join(text[toks[0][0]:toks[-1][1]].split())
    return any(o in run for o in words.orgnames if " " in o)


#: What an Arabic place-type noun before a name tells the resolver (as the English cue after a
#: name would: "Aleppo governorate", "Aleppo city").
_AR_CUE_WORD = {"admin1": "governorate", "admin2": "district", "admin3": "district",
                "city": "city"}


def _match_arabic(text: str, toks: list[Tok], fks: list[str | None], lim: list[int],
                  alone: list[bool], cut: list[bool], found: dict,
                  memo: dict[str, ArabicBest | None],
                  tok_memo: dict[str, ArabicBest | None],
                  cues: dict[str, str], keys_of: dict[str, str],
                  common: frozenset[str] = frozenset(),
                  unsplit: frozenset[str] = frozenset(),
                  nisba: dict[str, str] | None = None,
                  in_country: dict[str, frozenset[str]] | None = None,
                  adjectives: frozenset[str] = frozenset()) -> list[Span]:
    """The names of an Arabic-script run, longest first, left to right. A place-type noun
    (``cues``: مدينة، حي، محافظة…) is never a name by itself; before a name it sets the
    name's kind cue. A frequent word that is also some place's name (``common``: كيف، سنة،
    زيارة) is a name only after such a noun ("بلدة طويلة"); a frequent word that begins
    with و ب ل ف (``unsplit``: ولاية، فاطمة) is never a proclitic and a name. A frequent
    word of ``in_country`` ("صور": pictures, Tyre) is a place of its countries only, which
    the resolver keeps only in a text about one of them."""
    out: list[Span] = []
    n = len(toks)
    i = 0
    while i < n:
        base, _b, w = toks[i]
        if alone[i] and (cut[i] or not (len(w) > 3 and w[0] in _AR_PREFIXES)):
            # only the token itself can be a name: once per word
            if w in tok_memo:
                best = tok_memo[w]
            else:
                best = tok_memo[w] = _best_arabic(text, toks, i, i + 1, fks, lim[i],
                                                       found, True, True, keys_of, unsplit)
        else:
            stop = i + _MAXN if i + _MAXN < n else n
            mkey = text[base:toks[stop - 1][1]]
            if mkey in memo:
                best = memo[mkey]
            else:
                best = memo[mkey] = _best_arabic(text, toks, i, stop, fks, lim[i], found,
                                                 alone[i], cut[i], keys_of, unsplit)
        only = None
        frequent = best is not None and best[0] == 0 and best[4] in common
        # a frequent word is a name after a place-type noun without the article ("بلدة
        # طويلة"); after one with it, the word is its adjective ("المعبر البري", by land)
        cued = frequent and i > 0 and bool(cues.get(fks[i - 1] or "")) \
            and not _definite(toks[i - 1][2])
        if best is not None and frequent and best[4] not in cues and not cued:
            only = in_country.get(best[4]) if in_country else None
            if only is None and i > 0 and fks[i - 1] in _AR_TO_PLACE \
                    and not _definite(toks[i][2]) and not (
                        i + 1 < n and toks[i + 1][2][:1].isdigit()):
                # "وصلوا إلى طويلة" (they reached Tawila): no adjective stands right after a
                # preposition, so the word is a noun, and a place of the countries of its
                # namesakes where the text is about one of them ("في سنة 2011" is a year)
                only = frozenset(c[0].country for c in best[5])
            if only is not None and not _in_country_name(toks, i, best[0], nisba):
                best = None
            elif only is not None:
                cands = tuple(c for c in best[5]
                              if c[0].country in only and c[0].kind != "neighbourhood")
                best = (best[0], best[1], best[2], best[3], best[4], cands) if cands else None
        if best is None or best[0] == 0 and (
                best[4] in cues or best[4] in common and only is None and not cued
                # "ريمة عبد الله": a given name before "عبد …" (Abdullah, Abd al-…)
                or i + 2 < n and fks[i + 1] == _ABD
                and not (i and cues.get(fks[i - 1] or ""))
                # "الدقيق الأبيض", the white flour: an adjective after a definite noun
                or best[4] in adjectives and i > 0 and toks[i][2].startswith("ال")
                and _definite(toks[i - 1][2]) and not cues.get(fks[i - 1] or "")
                and fks[i - 1] != _CAPITAL):
            i += 1
            continue
        dj, skip, length, surface, key, cands = best
        start, cue_kind = base + skip, None
        if dj and cues and (cue_kind := cues.get(fks[i] or "")) is not None \
                and fks[i] != _RIF:
            # "معبر نصيب", "محافظة الحديدة": a gazetteer name that begins with its place-type
            # noun; the noun is a cue, never part of the place's name ("ريف دمشق" is one)
            start = toks[i + 1][0]
            surface = text[start:base + skip + length]
        sp = Span(start, base + skip + length, surface, key, cands, dj + 1, False, False,
                  False, None, None, False, False, False, False, 0, 0, None, True)
        sp.only_cc = only
        if cue_kind in _AR_CUE_WORD:
            sp.kind_cue = _AR_CUE_WORD[cue_kind]
            sp.cue_level = cue_kind
        elif i and cues:
            kind = cues.get(fks[i - 1] or "")
            if kind in _AR_CUE_WORD:
                sp.kind_cue = _AR_CUE_WORD[kind]
                sp.cue_level = kind
        if nisba and i + dj + 1 < n and (nxt := fks[i + dj + 1] or "").startswith("ال"):
            # "طرابلس اللبنانية": the adjective of nationality after the name places it
            sp.place_cc = nisba.get(nxt)
        out.append(sp)
        i += dj + 1  # the first token after the span
    return out


#: "the capital", in apposition before its name: "العاصمة الخرطوم" (folded)
_CAPITAL = fold("العاصمة")
#: "servant of", the first word of many given names' second part ("عبد الله")
_ABD = fold("عبد")
#: "countryside": a place-type noun that is part of a governorate's name ("ريف دمشق")
_RIF = fold("ريف")
#: Prepositions of place before a name: in, to, from, towards, near (folded)
_AR_TO_PLACE = frozenset(fold(w) for w in "في إلى الى من نحو باتجاه قرب".split())
#: Particles before a verb: "لا أدري" (I do not know) is no town.
_AR_NEGATIONS = frozenset("لا ما لم لن".split())


def _definite(w: str) -> bool:
    """An Arabic word with the article (after at most one proclitic): الخيام، والخيام، للخيام."""
    return w.startswith(("ال", "لل")) or len(w) > 3 and w[0] in _AR_PREFIXES \
        and w[1:].startswith("ال")


def _in_country_name(toks: list[Tok], i: int, dj: int, nisba: dict[str, str] | None) -> bool:
    """Whether the everyday word at token ``i`` (``dj`` + 1 tokens) of an Arabic run stands
    where a name can: not after a negation ("لا أدري"), not as an adjective after a definite
    noun ("الخيام البيضاء", the white tents; "الخلاف القائم", the dispute at hand), not as
    the first noun of a construct before a definite one ("صور الأقمار", pictures of the
    satellites) unless that one is an adjective of nationality ("صور اللبنانية")."""
    w = toks[i][2]
    if i:
        prev = toks[i - 1][2]
        # (an adjective has no proclitic: "المرج والبيضاء" is al-Marj and al-Bayda)
        if prev in _AR_NEGATIONS or w.startswith("ال") and _definite(prev):
            return False
    j = i + dj + 1
    # (the next word with a conjunction is the next name: "صور والنبطية")
    if not _definite(w) and j < len(toks) and (nxt := toks[j][2]).startswith(("ال", "لل")):
        return nisba is not None and fold(nxt) in nisba
    return True


def _best_arabic(text: str, toks: list[Tok], i: int, stop: int, fks: list[str | None], joins: int,
                 found: dict, alone: bool, alone_cut: bool,
                 keys_of: dict[str, str],
                 unsplit: frozenset[str] = frozenset()) -> ArabicBest | None:
    """The longest name from Arabic-script token ``i`` (a one-letter prefix و ب ل ف may be
    dropped): (last token - i, letters skipped, length, surface, key, candidates), or None.
    ``alone``, ``alone_cut``: what ``_alone`` says of the token; ``fks``, ``joins``: see
    ``_token_keys``."""
    w = toks[i][2]
    prefixed = len(w) > 3 and w[0] in _AR_PREFIXES and fks[i] not in unsplit
    cut = keys_of[w[1:]] if prefixed else ""
    cands: Cands
    for j in range(stop - 1, i - 1, -1):
        start, end = toks[i][0], toks[j][1]
        # (an n-gram that cannot be a key is not in ``found``: not worth folding)
        if alone and j > i:
            cands = ()
        elif j < joins:
            cands = _lookup(found, cast(str, fks[i]) if j == i
                            else " ".join(cast(_Keys, fks[i:j + 1])))
        else:
            cands = _lookup(found, fold(text[start:end]))
        if not cands and prefixed:
            start += 1
            while text[start] in _AR_MARKS:  # the prefix's own vowel: "وَحلب"
                start += 1
            if alone_cut and j > i:
                cands = ()
            elif j == i:
                cands = _lookup(found, cut)
                if not cands and _two_prefixes(w):  # "وللبنان": and, to, Lebanon
                    start += 1
                    cands = _lookup(found, keys_of[w[2:]])
            elif cut and j < joins:
                cands = _lookup(found, cut + " " + " ".join(cast(_Keys, fks[i + 1:j + 1])))
            else:
                cands = _lookup(found, fold(text[start:end]))
        # (no village under 1,000 people; our own table's towns have no population figure:
        # "سرمدا", Sarmada, is one, nor have GeoNames' seats of districts: "مرجعيون")
        cands = tuple(c for c in cands if c[0].pop >= 1000 or c[0].kind != "city"
                      or c[0].curated or not c[0].pop)
        if cands and (end - start) >= 3:
            surface = text[start:end]
            return j - i, start - toks[i][0], end - start, surface, fold(surface), cands
    return None


_PARTICLES = frozenset("al el de da di du van von der den bin ibn abu ben la le del della dos das"
                       .split())


def _word_before(text: str, start: int) -> str | None:
    """The word that ``_LOWER_TITLE`` finds in the 30 characters before ``start`` (the last
    word, then maybe a full stop, then blanks), or None.

    The search tries each of the 30 starts; the last word split off at a blank is the same
    word when it is all letters and digits, at a tenth of the cost. Other words (with "_",
    a hyphen, a bracket…) are searched for as before.
    """
    if not start or not text[start - 1].isspace():
        return None  # no blank before start (what the pattern's closing blanks need)
    lo = start - 30 if start > 30 else 0
    s = text[lo:start].rstrip()
    if s.endswith("."):
        s = s[:-1]
    if not s or not (s[-1].isalnum() or s[-1] == "_"):
        return None  # no word (\w) right before the blanks: "Idlib, Hama"
    w = s.rsplit(None, 1)[-1]
    if not w.isalnum():
        m = _LOWER_TITLE.search(text, lo, start)
        return m.group(1) if m else None
    if len(w) == len(s) and lo and (text[lo - 1].isalnum() or text[lo - 1] == "_"):
        return None  # the window starts inside a word: no word boundary there
    return w


def _title_reaches(before: str, title: str) -> bool:
    """Whether the title that ends ``before`` (then maybe a full stop, then blanks) speaks for
    the name after it: not across a line break ("…before the storm.\n\nFerroviário da
    Beira"), nor across a full stop after a whole word (a sentence's end: "the storm. Beira"),
    only after an abbreviation ("Gen. Smith", "Dr. Ali")."""
    between = before[before.rfind(title) + len(title):]
    return "\n" not in between and ("." not in between or len(title) <= 4)


def _people(text: str, toks: list[Tok], words: WordLists, found: dict, persons: set[str],
            person_spans: list[tuple[int, int]], keys_of: dict[str, str]) -> None:
    """Collect the person names a run shows: names after a title, or a given name and more.
    ``keys_of``: the key of every token (``fold_words``)."""
    n = len(toks)
    start = toks[0][0]
    prev = _word_before(text, start)
    after_title = prev is not None and prev.lower() in words.titles and _title_reaches(
        text[start - 30 if start > 30 else 0:start], prev)
    # (one word with no title before it is no name of a person: only the speech rule below
    # may say it is one)
    i = 0 if n > 1 or after_title else n
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
        # a given name and another word: "Ann-Christin Nykvist", not "India-Pakistan" nor
        # "Geneva-based" (a word in lower case is no part of a name)
        is_given = (w in words.given and i + 1 < n and toks[i + 1][2] not in _CONNS
                    and not toks[i + 1][2][0].islower()
                    # (a weekday is no surname: "flew to Paris Tuesday"; "May" may be:
                    # "Theresa May")
                    and toks[i + 1][2] not in words.weekdays
                    and not (text[toks[i][1]:toks[i + 1][0]] == "-"
                             and _is_country(found.get(keys_of[toks[i + 1][2]], ()))))
        if not (after_title or is_given):
            i += 1
            continue
        j = i
        while j + 1 < n and (toks[j + 1][2] in _PARTICLES or toks[j + 1][2] not in _CONNS
                             and not toks[j + 1][2][0].islower()):
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
                # a big place begins the run: "Hong Kong Chief Executive" ("Hong" is a given
                # name too), "George Town police"
                or is_given and any(_is_big(found.get(fold(text[toks[i][0]:toks[k][1]]), ()))
                                    for k in range(i + 1, min(j, i + 3) + 1))
                or not is_given and any(_is_country(found.get(keys_of[t[2]], ()))
                                        for t in name[1:])):
            person_spans.append((toks[i][0], toks[j][1]))
            for t in name[(0 if after_title else 1):]:
                if not _is_country(found.get(keys_of[t[2]], ())):
                    persons.add(t[2])  # "Michael Jordan" says nothing of later "Jordan"s
        after_title = False
        i = j + 1
    if n == 1:
        w = toks[0][2]
        if _SPEECH.match(text, toks[0][1]) and not _LOCATIVE.search(
                text, max(0, toks[0][0] - 12), toks[0][0]):
            # "Rashad said" is a person, though Rashad is a Sudanese town we list; "a
            # doctor who fled to Tawila said" is the town
            cands = found.get(keys_of[w], ())
            if not any((r.kind in _STRONG_KINDS or r.curated and r.kind.startswith("admin"))
                       and h != 2 or r.pop >= 100_000 and h != 2 for r, h in cands):
                persons.add(w)


# How far _keep looks around a span (its farthest look-behind is 40 characters, its
# look-ahead 60), apart from the sentence start and "of" after a feature word.
_BEFORE = 40
_AFTER = 60


def _keep_cached(text: str, sp: Span, words: WordLists, persons: set[str],
                 memo: dict) -> bool:
    """:func:`_keep`, done once for all spans of the same name in the same surroundings.

    ``_keep`` reads the span's surface and candidates (the same for the same surface from the
    same matcher), the cues set before it, up to ``_BEFORE`` characters before and ``_AFTER``
    after the span, whether a sentence starts there, whether "of" follows a feature word and
    whether the words are known persons: with all that alike, the verdict, the cues it sets
    and the person it may add are alike too, and are copied instead of worked out again.
    """
    s, start, end = sp.surface, sp.start, sp.end
    if sp.ntok == 1:
        person = s in persons
        of_next = s in words.feature and _OF_NEXT.match(text, end) is not None
    else:
        person = all(t in persons for t in s.split())
        of_next = False
    lo = start - _BEFORE if start > _BEFORE else 0
    # _sentence_initial reads the same characters before the span, and further back only
    # when they are all blanks, quotes or dashes: only then is its answer more than them
    # (the first and last of them are tested first: one is seldom a blank when both are)
    ini = _sentence_initial(text, start) if start >= _BEFORE and text[lo] in _OPENERS \
        and text[start - 1] in _OPENERS and not text[lo:start].rstrip(_OPENERS) else None
    # the characters before, the span and those after as one string, and where the span starts
    key = (s, sp.arabic, sp.ntok, sp.in_org, sp.loose, sp.loose_left, sp.cued, person,
           of_next, ini, text[lo:end + _AFTER], start - lo)
    hit = memo.get(key)
    if hit is None:
        keep = _keep(text, sp, words, persons)
        added = sp.ntok == 1 and not person and s in persons
        hit = memo[key] = (keep, added, sp.cands, sp.initial, sp.common, sp.qualifier,
                           sp.kind_cue, sp.comma_next, sp.cue_end, sp.in_gap, sp.poss,
                           sp.place_cc, sp.the_before, sp.feature, sp.near_gap)
        return keep
    keep, added, sp.cands, sp.initial, sp.common, sp.qualifier, sp.kind_cue, \
        sp.comma_next, sp.cue_end, sp.in_gap, sp.poss, sp.place_cc, sp.the_before, \
        sp.feature, sp.near_gap = hit
    if added:
        persons.add(s)
    return keep


# a wire dateline after the capitalised name: ", Yemen (Reuters) —", " (AP) -", " —"
_DATELINE_AFTER = re.compile(r"(?:,[ \t]+[^\n,()—–]{2,40}?)?[ \t]*(?:\([^\n()]{1,40}\)[ \t]*)?"
                             r"(?:[—–]|--?[ \t])")


def _dateline(text: str, sp: Span) -> bool:
    """Whether the span opens a line as a wire dateline ("SANAA, Yemen (Reuters) —"): an
    all-capital word there is the place, not an abbreviation."""
    i = sp.start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return (i < 0 or text[i] == "\n") and _DATELINE_AFTER.match(text, sp.end) is not None


#: English words of two letters that are also codes of states ("IN", "OR", "ME"…), as a
#: heading in capitals writes them.
_SHORT_WORDS = frozenset("IN OF TO ON AT BY OR AS IS IT NO SO DO BE IF UP AN ME HI OK WE".split())
_PART_WORDS = frozenset({"Centre", "Center", "Middle", "Upper", "Lower", "Greater", "Inner",
                         "Outer"})


def _division_next(text: str, end: int) -> bool:
    """Whether a lower-case kind of division follows: "Centre department", "Upper region"."""
    kc = _kind_cue(text, end)
    return kc is not None and kc.group(1) in _ADMIN_CUES


def _heading(text: str, sp: Span) -> bool:
    """Whether the span is in a report's heading written in capitals ("SUDAN / CHAD — FLASH
    UPDATE No. 14", "YEMEN: FLOODS AND CHOLERA", "UNHCR SYRIA — RETURNS"): nothing in lower
    case on its line before it, nor after it up to the heading's dash or colon (or the line's
    end). There an all-capital word is a name, as in a dateline, not an abbreviation."""
    # (a heading is short: looking no further back keeps a long line of capitals linear)
    lo = sp.start - _HEADING_MAX if sp.start > _HEADING_MAX else 0
    line = text.rfind("\n", lo, sp.start) + 1
    if not line and lo:
        return False
    before = text[line:sp.start]
    if before != before.upper():  # (a lower-case letter of any alphabet: "Côte", not "CÔTE")
        return False
    m = _HEADING_REST.match(text, sp.end)
    return m is not None and m.group() == m.group().upper()


_HEADING_MAX = 120
# the rest of a heading's first part: up to its dash, colon or line end (in capitals: above)
_HEADING_REST = re.compile(r"[^\n:—–]{0,80}?(?:[ \t]*[—–:]|[ \t]+-[ \t]|[ \t]*(?:\n|\Z))")


# a kinship noun, then the name in apposition: "survived by his wife, Florence, …"
_KIN_BEFORE = re.compile(r"\b(?:wife|husband|son|daughter|mother|father|brother|sister|widow|"
                         r"widower|partner|grandson|granddaughter|niece|nephew|cousin),[ \t]+$")
#: Capitalised words that open a sentence before a name and are no part of it ("In Bay
#: region": Somalia's Bay, not the end of a name "… Bay")
_LEAD_WORDS = frozenset("in at on of the from to by for with and or near into across "
                        "around between".split())
# a physical feature's word after the name or before it: "the Nepean River", "Lake Dunstan"
_FEATURE_NEXT = re.compile(r"[ \t]+(?:Lake|River|Island|Islands|Isles|Strait|Straits|Bay|Gulf|"
                           r"Canal|Delta|Lagoon|Reservoir|Glacier|Peninsula|Sound|Creek|Atoll|"
                           r"Archipelago|Mountains|Range|Falls)\b")
_FEATURE_HEADS = ("Lake ", "Mount ", "Mt. ", "Mt ", "Isle of ", "River ")
_FEATURE_BEFORE = re.compile(r"\b(?:Lake|Mount|Mt\.?|Isle[ \t]+of|River)[ \t]+$")
#: A road's number after a code in capitals ("NH 27", "US-1"), not a year nor a figure
_ROAD_NUMBER = re.compile(r"[ \t]?-?\d{1,3}(?![\d.,]*\d)")
_LIST_BEFORE = re.compile(rf"[{_UP}][\w'’.-]*,[ \t]+$")
_LIST_AFTER = re.compile(rf"{LIST_GAP.pattern}[{_UP}]")


def _in_list(text: str, sp: Span) -> bool:
    """Whether the span stands inside a list of names: "Rabat, Casablanca and Marrakech"."""
    return bool(_LIST_BEFORE.search(text, max(0, sp.start - 40), sp.start)
                and _LIST_AFTER.match(text, sp.end))


def _keep(text: str, sp: Span, words: WordLists, persons: set[str]) -> bool:
    """Decide whether a span is a place mention; sets cues on the span as a side effect."""
    s = sp.surface
    st = sp.start
    sp.the_before = st >= 4 and text[st - 4:st] == "the " \
        and (st == 4 or not text[st - 5].isalnum())
    cands = sp.cands
    if s in words.orgnames:
        return False  # "IOM", "Red Cross": the organisation, whatever the gazetteer holds
    if s[0].islower() and not _LOWER_START.match(s):
        return False  # "balaka" of "Anti-balaka": the end of a word, not a name
    if sp.ntok == 1:
        if s in words.months or s in words.weekdays:
            return False
        if s in persons and not (_LOCATIVE.search(text, max(0, sp.start - 12), sp.start)
                                 and _best_strength(cands)[1] >= PERSON_TOWN_POP
                                 or _is_big(cands) and _in_list(text, sp)) \
                and not _KIND_OF.search(text, max(0, sp.start - 16), sp.start):
            # (a town of some size after "in", "to", "from" is the town, though someone
            # quoted bears its name: "Amadou Djibo, a trader" … "in Djibo")
            return False
        if s in words.feature and (_OF_NEXT.match(text, sp.end) or sp.tok_i > 0 and (
                _word_before(text, st) or "").lower() not in _LEAD_WORDS):
            # "Bay" of an unknown "Bay of …" is not Somalia's Bay region, nor the "Islands"
            # of "the Shepherd Islands" Hong Kong's Islands district: the end of a name
            return False
        if s.rstrip(".").lower() in words.titles or _free(s) or _CONTRACTION.search(s):
            return False
        if (s in words.org or s in _PART_WORDS) and not _division_next(text, sp.end):
            # "Centre", "Upper": a word of organisations' names or a part of something
            # (but "the Centre department", "the Centre region": Haiti's, Burkina Faso's)
            return False
        letters = s.replace(".", "")
        if letters.isupper() and len(letters) <= 5 and not _dateline(text, sp) \
                and not (len(letters) > 2 and _heading(text, sp)):
            if s in _SHORT_WORDS and _heading(text, sp):
                return False  # "FOOD AID IN GAZA": the word, not Indiana's code
            if _ROAD_NUMBER.match(text, sp.end):
                return False  # "NH 27", "US 1": a numbered road, not the state
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
    sp.initial = _sentence_initial(text, sp.start)
    if sp.ntok == 1:
        common = s.lower() in words.common
        # a common word is kept as a place only when it is the own name of a country, region
        # or division, or of a city of 100,000+ (an alternate name: 1,000,000+); worked out
        # only for common words (a tenth of the names)
        if common and not any(r.kind in ("country", "region") and h in (0, 1, 3)
                              for r, h in cands) \
                and (sp.initial or not any(
                    r.kind in ("country", "region") and h in (0, 1, 3)
                    or r.kind == "admin1" and h in (0, 3) and plain(s) == plain(r.name)
                    or r.pop >= 100_000 and h in (0, 3) or r.pop >= 1_000_000 and h == 1
                    for r, h in cands)) and not sp.cued and not (
                # mid-sentence after a preposition of place, a capitalised common word is
                # the town it names when the town is no village: "died in Paisley",
                # "moved to Reading" (not "in Hope", a village of 6,000)
                not sp.initial and _LOCATIVE.search(text, max(0, sp.start - 12), sp.start)
                and any(r.pop >= LOCATIVE_TOWN_POP and h in (0, 3) for r, h in cands)
                # nor when a kind of place follows in lower case: "Tubas governorate",
                # "Reading district" (not "the State Department")
                or (kc := _kind_cue(text, sp.end)) and kc.group(1).islower()):
            return False
        if sp.initial and not big and pop < 1000 and not sp.cued:
            return False
        sp.common = common
    after = text[sp.end:sp.end + 60]
    # the expressions that end right before the span each need one of a few words there:
    # one look at the word before spares the four searches for nearly every span
    if (wb := _word_before(text, sp.start)) in _BEFORE_WORDS:
        if wb in _PEOPLE_WORDS and not _is_country(cands):
            return False
        if _FEATURE_OF.search(text, max(0, sp.start - 16), sp.start) \
                and not _is_strong(cands):
            return False
        if _VESSEL_BEFORE.search(text, max(0, sp.start - 12), sp.start) \
                and not _is_country(cands):
            return False
        if (u := _UNIT_BEFORE.search(text, max(0, sp.start - 14), sp.start)) \
                or _CLUB_BEFORE.search(text, max(0, sp.start - 12), sp.start):
            if u and sp.ntok == 1 and u.group().split()[0] in _STORM_WORDS:
                persons.add(s)  # "Hurricane Helena ... Helena weakened": the storm again
            return False
    if s in _UNIT_WORDS and (_CAP_NEXT.match(after) or _UNIT_NAME_NEXT.match(after)):
        return False  # "Liwa" of "Liwa al-Quds" is not the oasis
    # the next five expressions each need one of a few words right after the span: one look
    # at that word spares them for nearly every span
    if (nw := _AFTER_WORD.match(after)) and (
            (w := nw.group(1)) in _AFTER_WORDS or w.lower() in _AFTER_WORDS
            or w in _team_heads(words.teams)
            or not w.isascii()):  # (which the expressions' case folding may still match)
        if _CLUB_AFTER.match(after):
            return False
        if _STREET_AFTER.match(after):
            return False
        if (t := _NEXT_WORDS.match(after)) and (t[1] in words.teams
                                                or t[2] and f"{t[1]} {t[2]}" in words.teams):
            return False  # "Green Bay Packers", "Chennai Super Kings": the team
        if _THING_AFTER.match(after) and not any(r.kind == "country" for r, _ in cands):
            return False  # "Reston virus", "West Nile fever": a thing named after a place
        if _GROUP_AFTER.match(after) and not _is_strong(cands) and not big:
            return False  # "Borana herders" (not "Darfur militias": the region's)
    if sp.ntok == 1 and after.startswith(",") and text.startswith(", ", st - 2) \
            and _KIN_BEFORE.search(text, max(0, st - 16), st):
        persons.add(s)
        return False  # "his wife, Florence, whom he met": a person named after a place
    if sp.loose and sp.ntok == 1 and _PERSON_AFTER.match(after) and not _is_country(cands):
        if not sp.initial:
            persons.add(s)
        return False  # "Aden Abdi, who chairs the committee": a person, though Aden is big
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
        sp.qualifier = _qualifier_before(text[max(0, sp.start - 40):sp.start])
    k = _kind_cue(after, 0)
    if k:
        sp.kind_cue = k.group(1).lower()
    elif text.endswith("of ", 0, sp.start) and _ISLAND_OF.search(text, max(0, sp.start - 14),
                                                                  sp.start):
        sp.kind_cue = "island"  # "the island of Flores": the island, named "Flores Island"
    sp.feature = _FEATURE_NEXT.match(after) is not None if after[1:2].isupper() else (
        text.endswith(_FEATURE_HEADS, max(0, st - 8), st)
        and _FEATURE_BEFORE.search(text, max(0, st - 8), st) is not None)
    sp.comma_next = after.startswith(", ")
    sp.cue_end = not _CAP_NEXT.match(after)
    g = _IN_GAP.match(after) if after.startswith((" in", ", in", "\tin")) else None
    sp.in_gap = g.end() if g else 0
    g = _NEAR_GAP.match(after) if after[:1] in ", " else None
    sp.near_gap = g.end() if g else 0
    before = text[sp.start - 3:sp.start]
    sp.poss = before == "'s " or before == "’s "
    if before == "of ":
        d = _DEMONYM_OF.search(text, max(0, sp.start - _BEFORE), sp.start)
        sp.place_cc = words.demonyms.get(d.group(1)) if d else None
    return True
