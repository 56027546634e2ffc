"""The geoparser on hostile text: one mention per stretch of text, bounded work, control
characters.

Speed itself is measured by ``benchmarks/geo_adversarial.py``, not here; these tests check
what the speed rests on (repeats are worked out once, n-grams that cannot be names are not
looked up) and that none of it changes a result.
"""

from __future__ import annotations

import io
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo
import geo.gazetteer.index as gindex
import geo.recognize as recognize
from geo import cli
from geo.gazetteer import get_index
from geo.normalize import fold


def spans(mentions) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.name) for m in mentions]


def check_disjoint(text: str, mentions) -> None:
    """In text order, no two overlapping, offsets index the text."""
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.end <= b.start, (a, b)


# ------------------------------------------------------------------ one mention per stretch


def test_latin_article_before_an_arabic_name_gives_one_mention():
    """"Al-دمشق" is a Latin run and an Arabic-script run at once; both used to report دمشق."""
    for text, name in (("Al-دمشق", "Damascus"), ("Shelling in Al-حلب today.", "Aleppo"),
                       ("al-دمشق and Al-حلب", None)):
        mentions = geo.geoparse(text, demonyms=True)
        check_disjoint(text, mentions)
        if name:
            assert [m.name for m in mentions] == [name]
    assert spans(geo.geoparse("Al-دمشق")) == [(3, 7, "Damascus")]


PLACES = ["Aleppo", "Damascus", "Homs", "Idlib", "Geneva", "Syria", "Sheikh Maqsoud",
          "Bustan al-Qasr", "New York", "Paris, Texas", "Ras al-Ain", "Deir ez-Zor"]
ARABIC = ["حلب", "دمشق", "حمص", "إدلب", "سوريا", "الحلب", "وحلب", "بدمشق", "في", "قال",
          "الشيخ مقصود", "وال", "ال"]
LATIN = ["the", "in", "of", "near", "Al", "al", "El", "Ash", "Syrian", "John", "Smith", "said",
         "U.S.", "St.", "Mr", "March", "Bab", "Tell", "Kerry", "'s", "’s", "Aa", "Zq"]
GLUE = [" ", "  ", "-", "‐", "\t", "\n", ", ", ". ", " Al-", " al-", "Al-", " El-", " ash-", "'",
        "\x00"]
# pieces glued as they come: words run into each other, articles into Arabic script…
TEXTS = st.lists(st.sampled_from(GLUE + PLACES + ARABIC + LATIN), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, demonyms=st.booleans())
def test_mentions_never_overlap_and_are_sorted(text, demonyms):
    check_disjoint(text, geo.geoparse(text, demonyms=demonyms))


# ------------------------------------------------------------------ bounded work


def test_a_repeated_name_is_every_mention_but_judged_once(monkeypatch):
    """"حلب " forty thousand times over: every one a mention of Aleppo, and the filters run
    a few times per piece of text (near its ends the surroundings differ), not once per
    mention as they did."""
    calls = []
    real_keep = recognize._keep

    def counting_keep(*args, **kwargs):
        calls.append(1)
        return real_keep(*args, **kwargs)

    monkeypatch.setattr(recognize, "_keep", counting_keep)
    n = 40_000  # 160,000 characters: two pieces of geo.CHUNK
    text = "حلب " * n
    mentions = geo.geoparse(text)
    assert len(mentions) == n
    assert {m.name for m in mentions} == {"Aleppo"}
    assert [m.start for m in mentions[:3]] == [0, 4, 8] and mentions[-1].end == len(text) - 1
    assert len(calls) < 200, len(calls)


def test_an_arabic_name_behind_a_latin_article_repeated(monkeypatch):
    n = 20_000
    text = "Al-دمشق " * n
    mentions = geo.geoparse(text)
    assert len(mentions) == n and {m.text for m in mentions} == {"دمشق"}
    check_disjoint(text, mentions)


def random_capitalised(n_words: int, seed: int) -> str:
    rnd = random.Random(seed)
    return " ".join(rnd.choice("BDGKLMPRSTVZ") + "".join(rnd.choices("aeiouklmnrst", k=5))
                    for _ in range(n_words))


def test_long_runs_of_capitalised_words_fold_about_once_per_word(monkeypatch):
    """Every n-gram of a run of capitalised words used to be folded and looked up (six per
    word); n-grams whose first word begins no multi-word name are now skipped."""
    folded: list[str] = []

    def counting_fold(name: str) -> str:
        folded.append(name)
        return fold(name)

    monkeypatch.setattr(recognize, "fold", counting_fold)
    # (a text long enough to read the first words, whatever length that takes)
    n = max(12_000, 3 * getattr(recognize, "HEADS_MIN_TOKENS", 0) // 2)
    geo.geoparse(random_capitalised(n, seed=7))
    several = sum(1 for s in folded if " " in s)
    assert several < n // 2, f"{several} multi-word n-grams folded for {n} words"


WORDS = ["New", "York", "San", "Jose", "Santa", "Cruz", "Ras", "Al", "al", "Ain", "Tel", "Aviv",
         "Abu", "Dhabi", "Sheikh", "Maqsoud", "Bab", "Hawa", "Deir", "Zor", "Tell", "Rifaat",
         "Saudi", "Arabia", "Arabian", "South", "Sudanese", "North", "Korea", "Korean", "Mount",
         "Lebanon", "El", "Paso", "Ash", "Sham", "Bustan", "Qasr", "Kafr", "Nabl", "Zqmo",
         "Tkduna", "Lnoruk", "Of", "of", "the", "and", "de", "la", "Ste", "St", "Aal", "Tolnaa"]
RUNS = st.lists(st.tuples(st.sampled_from([" ", " ", "-", "\t", " of ", ", ", "'s "]),
                          st.sampled_from(WORDS)), min_size=1, max_size=60).map(
    lambda parts: "".join(g + w for g, w in parts).strip())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=RUNS)
def test_skipping_impossible_ngrams_changes_no_result(text, monkeypatch_module):
    """The first-word filter only spares work: with it and without it, the same mentions."""
    index = get_index()
    index.heads()  # read once; the filter is then used for any text
    with_filter = spans(geo.geoparse(text, demonyms=True))
    monkeypatch_module.setattr(index, "_heads", None)
    monkeypatch_module.setattr(recognize, "HEADS_MIN_TOKENS", 10 ** 9)
    try:
        without = spans(geo.geoparse(text, demonyms=True))
    finally:
        monkeypatch_module.undo()
    assert with_filter == without


def test_a_word_that_folds_to_the_article_still_takes_the_next_word():
    """"Aal" folds to "al": "Aal-Tolnaa" is looked up as "al tolna" and, the article dropped,
    "tolna". A shortcut that matched "Aal" by itself left "Tolnaa" to be found alone."""
    assert [m.text for m in geo.geoparse("Near Aal-Tolnaa.")] == ["Aal-Tolnaa"]
    assert [m.text for m in geo.geoparse("Near Tolnaa.")] == ["Tolnaa"]


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_a_full_lookup_cache_loses_no_answer(monkeypatch):
    """The index's lookup cache is emptied when full; it used to be emptied after a batch was
    looked up, so that batch (a whole piece of a long text) found nothing."""
    index = gindex.Index(get_index().path)  # a private copy: the shared cache stays as it is
    limit = getattr(gindex, "CACHE_MAX", 500_000)
    aleppo, damascus = fold("Aleppo"), fold("Damascus")
    assert index.find([aleppo])  # now cached
    index._cache.update((f"zz-not-a-place-{i}", ()) for i in range(limit - 1))
    found = index.find([aleppo, damascus, "zz-also-not-a-place"])  # overflows the cache
    assert set(found) == {aleppo, damascus}
    assert index.find([aleppo, damascus]).keys() == {aleppo, damascus}


# ------------------------------------------------------------------ control characters

CONTROLS = "\x00\x01\x07\x08\x1b\x7f\u200b\ufeff\u2028\x85"


def test_control_characters_neither_truncate_nor_shift_offsets():
    text = ("Shelling hit\x00 eastern Aleppo\x00 and Homs\x1b; trucks reached Idlib\x07. "
            "\x00Damascus\x00Geneva\x7f Beirut\u200b Amman\ufeffBaghdad\r\nKabul")
    mentions = geo.geoparse(text)
    check_disjoint(text, mentions)
    assert [m.text for m in mentions] == ["Aleppo", "Homs", "Idlib", "Damascus", "Geneva",
                                          "Beirut", "Amman", "Baghdad", "Kabul"]
    assert mentions[0].qualifier == "eastern"
    # the same names whatever control character sits between them and the text around
    for ch in CONTROLS:
        clean = "Aid reached Aleppo and Homs."
        dirty = clean.replace(" ", ch + " ").replace(".", ch + ".")
        got = geo.geoparse(dirty)
        check_disjoint(dirty, got)
        assert [m.text for m in got] == ["Aleppo", "Homs"], repr(ch)


def test_nul_bytes_in_a_long_text_and_through_the_cli(tmp_path):
    """NULs (a C string, a pasted binary fragment) end nothing: names after them are found,
    and the CLI's offsets index the decoded text. (The CLI refuses a file with a NUL in its
    first 8 KB as binary, like git; that is tested in test_geo_cli.py.)"""
    text = ("Homs. " + "\x00" * 150_000 + " Aleppo is besieged. " + "x\x00" * 100_000
            + " Geneva talks.")
    mentions = geo.geoparse(text)
    assert [(m.start, m.text) for m in mentions] == [
        (0, "Homs"), (text.index("Aleppo"), "Aleppo"), (text.index("Geneva"), "Geneva")]
    text = ("Homs. " + "A quiet day. " * 1000 + "\x00" * 1000 + " Aleppo is besieged.\x00\x00"
            " Geneva\x00talks.")
    path = tmp_path / "nul.txt"
    path.write_bytes(text.encode("utf-8"))
    out, err = io.BytesIO(), io.StringIO()
    assert cli.main([str(path), "--format", "jsonl"], stdout=out, stderr=err) == 0, \
        err.getvalue()
    rows = [json.loads(line) for line in out.getvalue().decode("utf-8").splitlines()]
    assert [r["text"] for r in rows] == ["Homs", "Aleppo", "Geneva"]
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)


ASCII_WORDS = st.text(alphabet="abcdefhiklmnoqrstuyzABDEHKLMQSTZ", min_size=1, max_size=9)
ARABIC_WORDS = st.text(alphabet="ابتحدرسعفقكلمنهويأإآةىـَُ", min_size=1, max_size=7)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.one_of(ASCII_WORDS, st.sampled_from(
    ["Sheikh", "Saint", "St", "Mount", "Qouseir", "Deir", "Tell", "Shaykh", "cheikh"])),
    min_size=1, max_size=6), seps=st.lists(st.sampled_from([" ", "-", "\t", "  "]),
                                         min_size=6, max_size=6))
def test_the_key_of_a_name_is_the_keys_of_its_words_joined(words, seps):
    """What ``recognise`` relies on to key n-grams without folding each one (Latin words of
    ASCII letters that are no article; any Arabic-script word that keeps a letter)."""
    words = [w for w in words if w.lower() not in recognize._HYPHEN_ARTICLES] or ["Homs"]
    text = words[0] + "".join(s + w for s, w in zip(seps, words[1:], strict=False))
    assert fold(text) == " ".join(fold(w) for w in words)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(ARABIC_WORDS, min_size=1, max_size=6))
def test_the_key_of_an_arabic_name_is_the_keys_of_its_words_joined(words):
    words = [w for w in words if fold(w)] or ["حلب"]
    assert fold(" ".join(words)) == " ".join(fold(w) for w in words)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=RUNS)
def test_joining_word_keys_changes_no_result(text, monkeypatch_module):
    """With every n-gram folded whole, the same mentions as with keys joined word by word."""
    joined = spans(geo.geoparse(text, demonyms=True))
    real = recognize._token_keys

    def no_joins(toks, arabic, keys_of):
        fks, _lim = real(toks, arabic, keys_of)
        return [None] * len(fks), [0] * len(fks)

    monkeypatch_module.setattr(recognize, "_token_keys", no_joins)
    try:
        whole = spans(geo.geoparse(text, demonyms=True))
    finally:
        monkeypatch_module.undo()
    assert joined == whole


def test_a_repeated_comma_list_is_scored_once_not_once_per_name(monkeypatch):
    """Names next to an admin cue ("Idlib, Hama, …") were scored span by span: pasted lists
    cost ten times the rest. Now a name with the same neighbour is worked out once."""
    import geo.resolve as resolve

    calls = []
    real = resolve.Context.score
    monkeypatch.setattr(resolve.Context, "score",
                        lambda self, *a, **k: calls.append(1) or real(self, *a, **k))
    few = geo.geoparse("Idlib, Hama, " * 10)
    n_few = len(calls)
    calls.clear()
    many = geo.geoparse("Idlib, Hama, " * 2000)
    assert len(many) == 4000 and len(calls) <= n_few
    step = len("Idlib, Hama, ")
    assert [(m.name, m.kind) for m in many[:20]] == [(m.name, m.kind) for m in few]
    assert all(m.start == many[k % 20].start + (k // 20) * 10 * step
               for k, m in enumerate(many[:200]))
    for a, b in (("Paris, Texas, ", "Paris, France, "), ("Albany, New York, ", "Albany, ")):
        text = (a + b) * 500
        got = geo.geoparse(text)
        alone = geo.geoparse(a + b)
        assert [(m.name, m.country) for m in got[:len(alone)]] == \
            [(m.name, m.country) for m in alone]


def test_a_run_is_searched_for_organisation_names_once(monkeypatch):
    """A run of many words that begin organisation names ("Al" of "Al Jazeera") was searched
    for them once per word, each search over the whole run: quadratic ("Al-" repeated took
    90 s per MB)."""
    calls: list[int] = []
    real = recognize._org_name

    def counting(text, toks, words):
        calls.append(len(toks))
        return real(text, toks, words)

    monkeypatch.setattr(recognize, "_org_name", counting)
    assert geo.geoparse("Al-" * 5_000) == []
    assert len(calls) <= 1, f"{len(calls)} searches of one run"
    calls.clear()
    got = geo.geoparse("Al Jazeera and Al Arabiya said Al-Bab and Al-Rai were shelled.")
    assert {m.text for m in got} >= {"Al-Bab", "Al-Rai"}
    assert not {"Al Jazeera", "Al Arabiya"} & {m.text for m in got}
