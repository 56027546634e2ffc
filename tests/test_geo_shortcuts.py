"""The recogniser's shortcuts around its slowest regular expressions answer exactly as the
expressions do, on any text (speed is measured by ``benchmarks/``, not here)."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from geo import recognize as rz

# words and marks the expressions care about, and the characters that trip case-blind or
# Unicode-aware matching ("ſ" is "s" to a case-blind match, "İ" and "K" have odd cases)
PIECES = ["of", "Of", "OF", "the", "The", "THE", "north", "North", "south-eastern",
          "SouthWestern", "north-east", "northeast", "west", "old", "Old city", "old city",
          "outskirts", "suburb", "neighbourhoods", "neighborhood", "side", "front",
          "frontlines", "central", "rural", "greater", "downtown", "inner", "outer", "areas",
          "Mr", "mr", "Dr", "Gen", "said", "Aleppo", "al", "a_b", "x", "ſouth", "İnner", "oĸ",
          "Ｎorth", "nörth", "1st", "²", "é", "roof", "University", "bold", "5north",
          "x-north", "city", "Of the", "sector", "periphery", "suburbs", "—", "“", "Kilo",
          "ınner", "Manabí"]
GAPS = [" ", "  ", "\t", "\n", ".", ". ", ", ", "-", "(", ")", "'", "’", "_", "\u00a0",
        "\u2003", "", " the ", " of "]
TEXT = st.lists(st.sampled_from(PIECES + GAPS), max_size=14).map("".join)


@settings(max_examples=1500, deadline=None)
@given(text=TEXT, cut=st.integers(0, 60))
def test_the_word_before_a_run_is_the_one_the_expression_finds(text, cut):
    start = min(cut, len(text))
    m = rz._LOWER_TITLE.search(text, max(0, start - 30), start)
    assert rz._word_before(text, start) == (m.group(1) if m else None)


@settings(max_examples=1500, deadline=None)
@given(before=TEXT)
def test_the_qualifier_before_a_name_is_the_one_the_expression_finds(before):
    before = before[-40:]
    q = rz._QUAL_BEFORE.search(before)
    assert rz._qualifier_before(before) == ((q.group(1) or q.group(2)).lower() if q else None)


# the starts of a word of a name, and the words that look like one but are not
RUN_PIECES = ["al-", "Al-", "el-", "ash-", "ad-", "ul-", "an-", "ez-", "als-", "ab-", "a-",
              "d'", "D’", "l'", "L'", "o'", "St.", "Mt.", "Ste.", "U.N.", "U.", "A.B.C.",
              "Raqqa", "raqqa", "Ésa", "Ḥama", "Nusra", "'s", "’s", "of", "de", "bin", "abu",
              "x", "İdlib", "ſ", "Ｎ", "é", "1st", "_", "Aleppo", "north"]
RUN_TEXT = st.lists(st.sampled_from(RUN_PIECES + GAPS), max_size=16).map("".join)
_RUN_FORMS = re.compile(rf"(?<![\w.])(?:{rz._WORD_FORMS})"
                        rf"(?:[ \t]+(?:{rz._CONN}[ \t]+)*(?:{rz._WORD_FORMS}))*")


@settings(max_examples=2000, deadline=None)
@given(text=RUN_TEXT)
def test_runs_of_name_words_are_those_the_word_forms_alone_find(text):
    # _WORD_FIRST only turns words away early: it must never change which runs are found
    assert [m.span() for m in rz._RUN.finditer(text)] == \
        [m.span() for m in _RUN_FORMS.finditer(text)]


@settings(max_examples=1000, deadline=None)
@given(word=TEXT)
def test_a_free_direction_word_is_the_one_the_expression_matches(word):
    assert rz._free(word) == (rz._FREE.match(word) is not None)


def test_every_listed_direction_word_is_one():
    for w in rz._FREE_WORDS:
        assert rz._FREE.match(w) and rz._FREE.match(w.upper()) and rz._free(w.title())


def test_the_words_a_qualifier_ends_with_are_all_listed():
    """``_qualifier_before`` searches only when the last word is in ``_QUAL_DIRS`` (or, before
    "of", ``_QUAL_PARTS``): every direction and part the expression knows must be there, or a
    qualifier would be missed. Every spelling of them is tried, as the expression lists them."""
    dirs = set()
    for a in ("north", "south"):
        for b in ("east", "west"):
            for sep in ("", "-"):
                dirs |= {f"{a}{sep}{b}", f"{a}{sep}{b}ern"}
    dirs |= {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
             "central", "rural", "greater", "downtown", "outer", "inner", "old"}
    parts = {"outskirts", "outskirt", "suburb", "suburbs", "countryside", "edge", "edges",
             "district", "districts", "neighbourhood", "neighbourhoods", "neighborhood",
             "neighborhoods", "part", "parts", "area", "areas", "quarter", "quarters",
             "periphery", "centre", "center", "old city", "side", "sector", "front",
             "frontline", "frontlines"}
    for w in dirs:
        assert re.fullmatch(rz._DIR, w), w  # (the list above is the expression's)
        assert rz._last_letters(w) in rz._QUAL_DIRS, w
        assert rz._qualifier_before(f"the {w} ") == w
    for w in parts:
        assert re.fullmatch(rz._PART, w), w
        assert rz._last_letters(w) in rz._QUAL_PARTS, w
        assert rz._qualifier_before(f"the {w} of ") == w
    # a word added to either expression must be added above (and to the lists it checks)
    for expr, known in ((rz._DIR, dirs), (rz._PART, parts)):
        for run in re.findall("[a-z]+", expr):
            assert any(run in w for w in known), run


# ASCII letters and the pieces fold()'s rules rewrite (Sheikh, Saint/St/Ste, Mount, q, ou, oo,
# ee, doubled letters, the article "el"), in any case
FOLD_PIECES = ["sheikh", "Shaykh", "CHEIKH", "saint", "St", "ste", "Mount", "mountain", "q",
               "ou", "OO", "ee", "ll", "el", "al", "a", "b", "Z", "x", "ch", "sh",
               # the romanisation variants (ei, ay/ey before a consonant, y beside a vowel,
               # a final ah)
               "ei", "AY", "ey", "y", "ya", "iy", "yi", "ah", "s",
               # Arabic letters, the forms fold_arabic unifies, a mark and a tatweel, and a
               # Latin letter beside them ("Alحلب" is folded as Arabic script)
               "حلب", "أ", "إ", "ى", "ة", "ؤ", "ئ", "ی", "ک", "\u064e", "\u0640", "ٱ", "ß", "é"]


@settings(max_examples=800, deadline=None)
@given(words=st.lists(st.lists(st.sampled_from(FOLD_PIECES), min_size=1, max_size=5)
                      .map("".join), max_size=80),
       others=st.lists(st.text(max_size=6), max_size=5))
def test_words_folded_together_have_the_keys_fold_gives_each(words, others):
    from geo.normalize import clear_caches, fold, fold_words

    clear_caches()
    got = fold_words(words + others)
    assert got == {w: fold(w) for w in words + others}
    assert fold_words(words) == {w: fold(w) for w in words}  # from its own cache now


@settings(max_examples=600, deadline=None)
@given(words=st.lists(st.lists(st.sampled_from(FOLD_PIECES), min_size=1, max_size=5)
                      .map("".join), min_size=1, max_size=4).map(" ".join))
def test_a_key_of_the_old_rules_is_brought_to_the_current_rules(words):
    """User gazetteers store keys; one added before rule 7 is re-keyed with ``rekey``, which
    must give what ``fold`` gives now (the old key is ``fold`` without rule 7)."""
    from geo import normalize

    now = normalize.fold.__wrapped__(words)
    # (Latin words whose only Arabic-block characters are marks fold_arabic drops: fold
    # leaves them unfolded, and no key shows it; a gazetteer name of that shape is a typo)
    assume(not normalize._HAS_ARABIC.search(words) or normalize._HAS_ARABIC.search(now))
    real = normalize._romanised
    normalize._romanised = lambda text: text  # the rules of version "1"
    try:
        old = normalize.fold.__wrapped__(words)
    finally:
        normalize._romanised = real
    assert normalize.rekey(old) == now


BEFORE_PIECES = ["of", "the", "Cape", "Bay", "Gulf", "Straits", "HMS", "USS", "MV", "cruiser",
                 "Bay of ", "Cape of the ", "Sea of\t", "HMS ", "Liwa ", "FC  ", "Real\t",
                 "Cruiser", "Tanker", "Real", "Atlético", "Atletico", "FC", "Inter", "Liwa",
                 "Jaish", "Faylaq", "Aleppo", "said", "x", "1", "_", "é", "İ", "ſ"]
BEFORE_TEXT = st.lists(st.sampled_from(BEFORE_PIECES + GAPS), max_size=12).map("".join)


@settings(max_examples=2000, deadline=None)
@given(text=BEFORE_TEXT)
def test_the_words_before_a_span_cover_every_expression_that_ends_there(text):
    # _keep searches those four expressions only when the word before is one they need
    start = len(text)
    hits = [rz._FEATURE_OF.search(text, max(0, start - 16), start),
            rz._VESSEL_BEFORE.search(text, max(0, start - 12), start),
            rz._UNIT_BEFORE.search(text, max(0, start - 14), start),
            rz._CLUB_BEFORE.search(text, max(0, start - 12), start)]
    if any(hits):
        assert rz._word_before(text, start) in rz._BEFORE_WORDS


CUE_PIECES = ["provinces", "Provinces", "PROVINCES", "states", "Oblasts", "regions",
              "governorates", "countryside", "Countryside", "COUNTRYSIDE", "ريف", "province",
              "ſtates", "Idlib", "and", "x", "K", "K"]
CUE_TEXT = st.lists(st.sampled_from(CUE_PIECES + GAPS), max_size=10).map("".join)


@settings(max_examples=1500, deadline=None)
@given(text=CUE_TEXT)
def test_a_cue_looked_for_in_lower_case_is_found_as_the_expression_finds_it(text):
    from geo import divisions as dv

    assert dv._has(text, dv._PLURAL_CUE, dv._PLURAL_WORDS) == \
        (dv._PLURAL_CUE.search(text) is not None)
    assert dv._has(text, dv._ANY_COUNTRYSIDE, ("countryside", "ريف")) == \
        (dv._ANY_COUNTRYSIDE.search(text) is not None)


AFTER_PIECES = ["United", "United States", "F.C.", "FC", "F.C", "Street", "St.", "Ave", "Ave.",
                "Rd.", "Blvd", "Lane", "Parkway", "Streets", "virus", "VIRUS", "Fever",
                "hemorrhagic", "Haemorrhagic", "crude", "herders", "Herders", "militias",
                "clan", "Chiefs", "Red Sox", "Blue Jays", "Red", "Sox", "Super Kings", "49ers",
                "Kings", "ſtrain", "VİRUS", "said", "x", "1", "_", "é", "-", ".", ",", "İ", "ſ"]
AFTER_TEXT = st.lists(st.sampled_from(AFTER_PIECES + GAPS), max_size=10).map("".join)


@settings(max_examples=2000, deadline=None)
@given(text=AFTER_TEXT)
def test_the_word_after_a_span_covers_every_expression_that_starts_there(text):
    # _keep tries the club, street, team, thing and group expressions only when the word
    # after the span is one they need
    from geo.stopwords import word_lists

    teams = word_lists().teams
    after = text[:60]
    t = rz._NEXT_WORDS.match(after)
    hits = [rz._CLUB_AFTER.match(after), rz._STREET_AFTER.match(after),
            rz._THING_AFTER.match(after), rz._GROUP_AFTER.match(after),
            t and (t[1] in teams or t[2] and f"{t[1]} {t[2]}" in teams)]
    if any(hits):
        nw = rz._AFTER_WORD.match(after)
        assert nw is not None
        w = nw.group(1)
        assert w in rz._AFTER_WORDS or w.lower() in rz._AFTER_WORDS \
            or w in rz._team_heads(teams) or not w.isascii()
