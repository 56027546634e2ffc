"""Camps and crossings named with a lower-case tail (``geo/tails.py``, issue 13): the mention
covers the whole phrase and is the camp or crossing, also when the name alone is no place or
is a town. Texts written for these tests."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geo
from geo import tails as tl


def parse(text: str) -> list[geo.Mention]:
    return geo.geoparse(text, online=False)  # whatever CORDON_ONLINE says


def mentions(text: str) -> dict[str, geo.Mention]:
    return {m.text: m for m in parse(text)}


@pytest.mark.parametrize("text,phrase,source,kind", [
    # the name alone is no place in the gazetteer
    ("Measles spread in Roj camp last month.", "Roj camp", "pl-roj-camp", "site"),
    ("Trucks lined up at the Nasib border crossing before dawn.", "Nasib border crossing",
     "pl-nasib-crossing", "crossing"),
    # the name alone is a town elsewhere (Kassab in Syria; Vasylivka the town)
    ("Latrines overflowed in Kassab camp after the rains.", "Kassab camp", "pl-kassab-camp",
     "site"),
    ("Civilians waited at the Vasylivka checkpoint for a second day.", "Vasylivka checkpoint",
     "pl-vasylivka-checkpoint", "crossing"),
    # a word between the name and the tail
    ("New arrivals reached the Kalma IDP camp on foot.", "Kalma IDP camp", "pl-kalma-camp",
     "site"),
    ("Classes resumed in the Zaatari refugee camp.", "Zaatari refugee camp", "pl-zaatari-camp",
     "site"),
    # the name alone is already known: the phrase is the mention
    ("Water trucking resumed to the Zamzam camp for displaced people.", "Zamzam camp",
     "pl-zamzam-camp", "site"),
    ("Fuel entered through the Kerem Shalom crossing at noon.", "Kerem Shalom crossing",
     "pl-kerem-shalom", "crossing"),
    ("Aid went through the Bab al-Hawa crossing.", "Bab al-Hawa crossing", "pl-bab-al-hawa",
     "crossing"),
    ("Guards at al-Hol camp searched tents.", "al-Hol camp", "pl-al-hol-camp", "site"),
    # a plural tail names the last of a list
    ("Famine was confirmed in Zamzam, Abu Shouk and Al Salam camps.", "Al Salam camps",
     "pl-al-salam-camp-fasher", "site"),
])
def test_a_camp_or_crossing_with_its_tail_is_one_mention(text, phrase, source, kind):
    m = mentions(text)[phrase]
    assert (m.source, m.kind) == (source, kind)
    assert text[m.start:m.end] == phrase


@pytest.mark.parametrize("text", [
    "The Biden camp said a border crossing was shut.",
    "Families walked to the nearest refugee camp.",
    "Volunteers set up a checkpoint on the road.",
])
def test_a_tail_without_a_listed_name_is_no_place(text):
    assert mentions(text) == {}


def test_the_town_and_its_crossing_stay_apart():
    got = mentions("Strikes hit Rafah overnight; the Rafah crossing stayed shut.")
    assert got["Rafah"].kind == "city"
    assert got["Rafah crossing"].source == "pl-rafah-crossing"


def test_a_plural_tail_speaks_for_every_name_of_its_list():
    got = mentions("Fuel came through the Rafah and Kerem Shalom crossings; the Erez, Zikim and "
                   "Kissufim crossings stayed shut.")
    assert got["Rafah"].source == "pl-rafah-crossing"  # the crossing, not the town
    assert got["Kerem Shalom crossings"].source == "pl-kerem-shalom"
    assert {got[n].kind for n in ("Erez", "Zikim", "Kissufim crossings")} == {"crossing"}


def test_a_list_item_without_such_a_place_ends_the_list():
    got = mentions("Strikes hit Rafah, Khan Younis and Kerem Shalom crossings.")
    assert got["Rafah"].kind == "city" and got["Khan Younis"].kind == "city"


def test_mentions_stay_in_order_and_do_not_overlap():
    text = ("In Hasakah, al-Hol camp and Roj camp were searched; in Darfur the Kalma IDP camp and "
            "Otash camp near Nyala received new arrivals.")
    ms = parse(text)
    assert all(a.end <= b.start for a, b in zip(ms, ms[1:], strict=False))
    assert {"al-Hol camp", "Roj camp", "Kalma IDP camp", "Otash camp", "Nyala"} <= \
        {m.text for m in ms}


# --- the phrase expression: its shortcuts find exactly the phrases the plain form finds ---
# the plain form: every word of a name may be given back, and every count of words tried
_PLAIN_NAME = rf"(?:(?:[Aa]l|[Ee]l|[Aa][dnrstz]h?)-)?[{tl._UP}][\w'’]*(?:-[\w'’]+)*"
_PLAIN_PHRASE = re.compile(
    rf"(?<![\w'’-])({_PLAIN_NAME}(?:[ \t]+(?:(?:al|el|bin|ibn|abu|de|du)[ \t]+)?"
    rf"{_PLAIN_NAME}){{0,3}})"
    r"[ \t]+(?:(IDP|IDPs'?|refugee|refugees'?|displacement|border|transit|reception)[ \t]+)?"
    r"(camp|crossing point|crossing|checkpoint)s?\b")
TAIL_PIECES = ["Zamzam", "Abu", "abu", "al", "al-Hol", "Al-", "ash-Shaar", "a-", "Kerem",
               "Shalom", "IDP", "IDPs'", "IDPs", "refugee", "border", "camp", "camps",
               "Camp", "crossing", "crossing point", "checkpoint", "campsite", "O'", "d'",
               "Rafah-", "É", "x", "1", "'", "’", "-", "and", "the"]
TAIL_TEXT = st.lists(st.sampled_from(TAIL_PIECES + [" ", "  ", "\t", ", ", ". ", "\n", ""]),
                     max_size=14).map("".join)


@settings(max_examples=2000, deadline=None)
@given(text=TAIL_TEXT)
def test_the_phrase_expression_finds_what_its_plain_form_finds(text):
    assert [m.groups() + m.span() for m in tl._PHRASE.finditer(text)] == \
        [m.groups() + m.span() for m in _PLAIN_PHRASE.finditer(text)]


LONG_TAIL_TEXT = st.lists(st.sampled_from(TAIL_PIECES + [" ", "\t", ", ", ". ", "\n", "x" * 90,
                                                         " point", "s", "points"]),
                          max_size=60).map("".join)


@settings(max_examples=1000, deadline=None)
@given(text=LONG_TAIL_TEXT)
def test_searching_around_the_nouns_finds_what_the_whole_text_finds(text):
    # add_tails reads only the stretches around "camp", "crossing" and "checkpoint"
    assert [m.groups() + m.span() for m in tl._phrases_in(text)] == \
        [m.groups() + m.span() for m in tl._PHRASE.finditer(text)]


_PLAIN_NUMBERED = re.compile(r"(?<![\w'’-])Camp[ \t]+\d{1,3}[A-Za-z]?\b"
                             r"(?:[ \t]+(?:Extension\b|Ext\b\.?))?")
NUMBER_PIECES = ["Camp", "camp", " ", "\t", "9", "10", "1E", "4W", "123", "1234", "Extension",
                 "Ext", "Ext.", "x", "-", "'", "’", "(", ".", "É", "_"]


@settings(max_examples=2000, deadline=None)
@given(text=st.lists(st.sampled_from(NUMBER_PIECES), max_size=12).map("".join))
def test_the_numbered_camp_expression_finds_what_its_plain_form_finds(text):
    # (its look-behind stands after "Camp", so the text is scanned a word at a time)
    assert [m.span() for m in tl._NUMBERED.finditer(text)] == \
        [m.span() for m in _PLAIN_NUMBERED.finditer(text)]
