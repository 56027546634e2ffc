"""Camps and crossings named with a lower-case tail (``geo/tails.py``, issue 13): the mention
covers the whole phrase and is the camp or crossing, also when the name alone is no place or
is a town. Texts written for these tests."""

from __future__ import annotations

import pytest

import geo


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
