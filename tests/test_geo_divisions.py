"""A division named like its seat ("Idlib", "Kharkiv", "Kassala"): the text decides between
the division and the city (``geo/divisions.py``, issue 13). Texts written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo


def parse(text: str) -> list[geo.Mention]:
    return geo.geoparse(text, online=False)  # whatever CORDON_ONLINE says


def kind_of(text: str, surface: str) -> str:
    got = [m for m in parse(text) if m.text == surface]
    assert got, f"{surface!r} not found"
    return got[0].kind


@pytest.mark.parametrize("text,name", [
    # the towns of the division around the bare name, in several countries
    ("Shelling emptied Kafr Nabl, Khan Shaykhun and Ariha this week. Most families stayed "
     "inside Idlib, where the camps are full.", "Idlib"),
    ("In Kharkiv, teams repaired homes in Izium, Balakliia and Kupiansk before the frost.",
     "Kharkiv"),
    ("Farmers in Mhardeh, Kafr Zita and Suqaylabiyah lost the harvest, the directorate in "
     "Hama said.", "Hama"),
    ("Cholera spread in Bakhmut, Kramatorsk and Sloviansk as fighting continued in Donetsk.",
     "Donetsk"),
    # a town said to be in it
    ("Drones hit Beryslav and Kakhovka, both in Kherson, overnight.", "Kherson"),
    ("In Syria, aid reached Talbiseh in northern Homs on Sunday.", "Homs"),
    ("Shelling hit Saraqib, Idlib, on Monday.", "Idlib"),
    # an area, once one of its towns is named
    ("Families from New Halfa are now spread across Kassala.", "Kassala"),
    # its countryside
    ("Troops shelled villages in rural Daraa.", "Daraa"),
    ("Fires burnt forests in the Latakia countryside.", "Latakia"),
    ("قصفت المدفعية بلدة سراقب في ريف إدلب", "إدلب"),
])
def test_the_places_around_the_name_make_it_the_division(text, name):
    assert kind_of(text, name) == "admin1"


@pytest.mark.parametrize("text,name", [
    # alone: the ordinary news reading
    ("A strike in Kharkiv killed three people on Tuesday.", "Kharkiv"),
    ("Prices doubled in the market of Kassala.", "Kassala"),
    ("Talks were held in Khartoum.", "Khartoum"),
    # a town among the other towns of a list
    ("Strikes hit Kharkiv, Izium, Kupiansk and Chuhuiv overnight.", "Kharkiv"),
    ("Strikes hit Izium, Kharkiv and Kupiansk overnight.", "Kharkiv"),
    # amid the seat's own quarters and twin towns
    ("Fighting moved from Omdurman and Bahri into central Khartoum.", "Khartoum"),
    ("Rain flooded shelters in Aleppo, in Hanano, Sakhour and Bustan al-Qasr.", "Aleppo"),
    # two towns of the division are not yet enough
    ("Volunteers drove people from Vovchansk to Kharkiv; Kupiansk was shelled.", "Kharkiv"),
    # a wire dateline is a city
    ("KHARKIV, Ukraine (Reuters) - Repairs began in Izium, Kupiansk and Chuhuiv.", "KHARKIV"),
    # a neighbourhood said to be in it
    ("Shells fell on Hanano in eastern Aleppo.", "Aleppo"),
])
def test_otherwise_the_name_is_the_city(text, name):
    assert kind_of(text, name) == "city"


def test_a_kind_cue_still_wins_over_the_places_around():
    text = ("Clinics in al-Atareb, Manbij and al-Bab reopened; in Aleppo city the main hospital "
            "stayed shut.")
    assert kind_of(text, "Aleppo") == "city"
    assert kind_of("Strikes on Saraqib. Power returned to Idlib governorate.", "Idlib") == "admin1"


def test_a_first_level_cue_is_the_first_level_division_not_its_namesake_district():
    # "Kharkiv region" is the oblast (not Kharkiv raion), "Homs province" the governorate
    ms = {m.text: m for m in parse("Fighting in Kharkiv region; floods in Homs province; "
                                          "a school in Idlib district.")}
    assert ms["Kharkiv"].kind == "admin1" and ms["Homs"].kind == "admin1"
    assert ms["Idlib"].kind == "admin2"


@pytest.mark.parametrize("text,names", [
    ("Fighting went on in Idlib and Hama provinces.", ("Idlib", "Hama")),
    ("Shelling of the Aleppo, Homs and Idlib governorates.", ("Aleppo", "Homs", "Idlib")),
    ("Power cuts in the Kharkiv and Kherson regions.", ("Kharkiv", "Kherson")),
])
def test_a_plural_cue_speaks_for_every_name_of_its_list(text, names):
    kinds = {m.text: m.kind for m in parse(text)}
    assert all(kinds[n] == "admin1" for n in names), kinds


def test_the_choice_is_per_name_and_leaves_other_places_alone():
    text = ("Convoys reached Kafr Nabl, Khan Shaykhun and Saraqib in Idlib, and a strike hit "
            "a market in Kharkiv.")
    ms = {m.text: m for m in parse(text)}
    assert ms["Idlib"].kind == "admin1" and ms["Idlib"].source == "SY07"
    assert ms["Kharkiv"].kind == "city"  # no town of its oblast in the text
    assert ms["Saraqib"].kind == "city"


def test_a_name_with_nothing_around_it_is_passed_over_without_reading(monkeypatch):
    """Pasted text naming one city thousands of times costs no look around each mention; a
    countryside word anywhere in the text makes every mention worth reading again."""
    from geo import divisions

    calls = []
    real = divisions._reading
    monkeypatch.setattr(divisions, "_reading", lambda *a: calls.append(1) or real(*a))
    text = "حلب " * 3000
    ms = parse(text)
    assert len(ms) == 3000 and {m.kind for m in ms} == {"city"} and not calls
    ms = parse("قصف في ريف حلب " + "حلب " * 20)
    assert calls and ms[0].kind == "admin1" and ms[-1].kind == "city"


# Words that drive the division reading, mixed at random: whatever the mix, mentions are in
# order, do not overlap, index the text, and each name is read once at most.
_VOCAB = ["Idlib", "Hama", "Aleppo", "Saraqib", "Kharkiv", "Izium", " and ", ", ", " in ",
          " provinces", " governorate", " countryside", "rural ", "across ", "KHARKIV",
          "\n", " camp", " crossings", "ريف ", "حلب ", "إدلب ", "محافظة ", "\x00", "{{ x }}"]


@given(st.lists(st.sampled_from(_VOCAB), max_size=60))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_mix_of_cue_words_gives_ordered_disjoint_mentions(parts):
    text = "".join(parts)
    ms = parse(text)
    for m in ms:
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:], strict=False))
