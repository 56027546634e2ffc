"""The geoparser on humanitarian reports: organisations that are not places, Arabic place-type
nouns, wire datelines, and the ways reports write divisions (issue 13)."""

from __future__ import annotations

import csv

import pytest

import geo
from geo.gazetteer.build import DATA_PLACES


def found(text: str) -> dict[str, geo.Mention]:
    return {m.text: m for m in geo.geoparse(text)}


@pytest.mark.parametrize("text", [
    "IOM and WFP teams reached the area on Monday.",
    "The ICRC and MSF said the hospital was hit.",
    "A convoy of the Syrian Arab Red Crescent and the Red Cross crossed at dawn.",
    "UNHCR registered new arrivals; OCHA called for access.",
])
def test_organisations_are_not_places(text):
    assert found(text) == {}


def test_isle_of_man_by_its_name_is_still_a_place():
    assert found("Staff flew from Douglas, Isle of Man.")["Isle of Man"].country == "IM"


def test_an_arabic_place_type_noun_is_never_a_place_itself():
    got = found("قصفت الطائرات مدينة حلب أمس")
    assert "مدينة" not in got  # not Medina
    assert got["حلب"].country == "SY"


def idlib(text: str) -> geo.Mention:
    (m,) = [m for m in geo.geoparse(text) if "إدلب" in m.text]
    return m


def test_an_arabic_governorate_noun_makes_the_name_the_governorate():
    assert idlib("سقطت قذائف على محافظة إدلب").kind == "admin1"
    assert idlib("سقطت قذائف على مدينة إدلب").kind == "city"
    assert idlib("سقطت قذائف على ريف إدلب الجنوبي").country == "SY"


def test_an_arabic_name_is_found_with_or_without_its_article():
    m = found("اشتباكات في حي الشيخ سعيد جنوب المدينة")["الشيخ سعيد"]
    assert m.source == "alp-sheikh-saeed"


@pytest.mark.parametrize("text,name,cc", [
    ("SANAA, Yemen (Reuters) — Air strikes hit the port.", "SANAA", "YE"),
    ("KYIV, Ukraine — Drones struck overnight.", "KYIV", "UA"),
    ("GAZA (AP) - Strikes continued.", "GAZA", "PS"),
])
def test_an_all_capital_dateline_is_the_place(text, name, cc):
    assert found(text)[name].country == cc


def test_all_capital_words_elsewhere_are_still_only_abbreviations():
    got = found("Officials said the SANAA office and AMMAN desk were shut.")
    assert "SANAA" not in got and "AMMAN" not in got


def test_adjectival_oblasts_and_rif_damascus_and_turkiye():
    got = found("Shelling in Donetska oblast; aid via Türkiye reached Rif Damascus governorate.")
    assert got["Donetska"].kind == "admin1" and got["Donetska"].country == "UA"
    assert got["Türkiye"].country == "TR"
    assert got["Rif Damascus"].source == "SY03"


@pytest.mark.parametrize("text, name", [
    ("Shelling hit Kafrbatna in Syria overnight.", "Kafr Batna"),  # the head glued on
    ("Shelling hit Kafr Batna in Syria overnight.", "Kafr Batna"),
    ("Families in Syria left Tal Biseh for Homs.", "Tallbīsah"),  # the head split off
    ("Families in Syria left Talbiseh for Homs.", "Tallbīsah"),
    ("Airstrikes in Syria on Deirhafer east of Aleppo.", "Dayr Ḩāfir"),
])
def test_arabic_names_with_their_first_word_glued_or_split(text, name):
    got = [m for m in geo.geoparse(text) if m.name == name]
    assert len(got) == 1 and got[0].country == "SY"


def test_every_ukrainian_oblast_by_its_official_adjectival_name():
    text = ("Strikes were reported in Cherkaska, Chernivetska, Dnipropetrovska, Donetska, "
            "Ivano-Frankivska, Kharkivska, Khersonska, Khmelnytska, Kirovohradska, Kyivska, "
            "Luhanska, Lvivska, Mykolaivska, Odeska, Poltavska, Rivnenska, Sumska, "
            "Ternopilska, Vinnytska, Volynska, Zakarpatska, Zaporizka and Zhytomyrska "
            "oblasts.")
    got = geo.geoparse(text)
    assert len(got) == 23
    assert all(m.kind == "admin1" and m.country == "UA" for m in got)
    assert len({m.source for m in got}) == 23


@pytest.mark.parametrize("text, name, cc", [
    ("Raids on Jenin camp and Nur Shams camp.", "Nur Shams camp", "PS"),
    ("Raids on Jenin camp and Nur Shams camp.", "Jenin camp", "PS"),
    ("Families sheltered in Shatila camp in Beirut.", "Shatila camp", "LB"),
    ("Clashes in Ain al-Hilweh camp near Sidon.", "Ain al-Hilweh camp", "LB"),
])
def test_refugee_camps_of_the_west_bank_and_lebanon(text, name, cc):
    got = {m.name: m for m in geo.geoparse(text)}
    assert got[name].kind == "site" and got[name].country == cc
    assert "Nūr" not in got  # "Nur" of "Nur Shams" is not the town in Iran


@pytest.mark.parametrize("text, name, cc", [
    # the national (2010) romanisation of Ukrainian against the gazetteer's older one
    ("Shelling hit Kupiansk and Huliaipole overnight.", "Kupiansk", "UA"),
    ("Shelling hit Kupiansk and Huliaipole overnight.", "Huliaipole", "UA"),
    ("Residents left Avdiivka before the roads closed.", "Avdiivka", "UA"),
    # Arabic names: ei/ay, -iya/-iyah, a final -ah (the gazetteer writes Kabkābīyah, Babanūsah)
    ("Families fled Beit Lahia for the south of Gaza.", "Beit Lahia", "PS"),
    ("New arrivals were reported in Kabkabiya, North Darfur.", "Kabkabiya", "SD"),
    ("Fighting reached Babanusa in West Kordofan, Sudan.", "Babanusa", "SD"),
    # GeoNames writes the assimilated article apart ("An Nuşayrāt"); reports drop it or write
    # it al-/an-
    ("In Gaza, strikes hit al-Nuseirat and Deir al-Balah on Tuesday.", "al-Nuseirat", "PS"),
    ("In Gaza, strikes hit Nuseirat and Deir al-Balah on Tuesday.", "Nuseirat", "PS"),
    ("Yemen: flooding in Al Dhale'e governorate displaced families.", "Al Dhale'e", "YE"),
])
def test_a_town_in_another_romanisation_than_the_gazetteer_s(text, name, cc):
    got = found(text)
    assert name in got and got[name].country == cc, got


@pytest.mark.parametrize("text", [
    "The Blue Jays won in Toronto.",  # an English plural keeps its ay ("Jais" is in India)
    "Flights from IAH were cancelled.",  # a short word keeps its final ah (not "IA", Iowa)
    "Al Jazeera reported the strike.",  # a broadcaster, not Sudan's Al Jazirah state
])
def test_the_romanisation_rules_make_no_place_of_english_words(text):
    got = found(text)
    assert not {"Jays", "IAH", "Al Jazeera"} & set(got), got


@pytest.mark.parametrize("text, name, cc, kind", [
    ("Shelling hit Jobar on the eastern edge of Damascus.", "Jobar", "SY", "neighbourhood"),
    ("Aid trucks waited in Sarmada and Atmeh, Idlib, near the border.", "Atmeh", "SY", "city"),
    ("In Gaza, families fled Shujaiya and Tel al-Sultan.", "Tel al-Sultan", "PS",
     "neighbourhood"),
    ("Trucks crossed the Allenby Bridge into the West Bank.", "Allenby Bridge", "PS",
     "crossing"),
    ("Gangs attacked Solino and Tabarre in Port-au-Prince, Haiti.", "Tabarre", "HT", "city"),
    ("Refugees from Mali reached Mbera camp in Mauritania.", "Mbera camp", "MR", "site"),
    ("New arrivals were registered in Renk, South Sudan.", "Renk", "SS", "city"),
    ("Fighting was reported near Humera in western Tigray.", "Humera", "ET", "city"),
    ("Clashes in Pibor displaced thousands.", "Pibor", "SS", "city"),
    ("Shelling hit Latamneh and Kafr Zita.", "Latamneh", "SY", "city"),
])
def test_towns_camps_and_crossings_of_current_operations(text, name, cc, kind):
    m = found(text)[name]
    assert (m.country, m.kind) == (cc, kind)
    assert m.source.startswith("pl-")  # the project's own place, with its sources and note


@pytest.mark.parametrize("text, absent", [
    # armed groups, parties and news agencies that share a name with a town
    ("Hamas said the talks had failed; Hezbollah fired rockets.", {"Hamas", "Hezbollah"}),
    ("According to Xinhua, the Islah party and Wagner fighters were seen.",
     {"Xinhua", "Islah", "Wagner"}),
    ("Shares of Toyota fell after Toyota said sales slowed.", {"Toyota"}),
    # an armed unit named after a place: not Jerusalem, not an oasis in Oman
    ("Fighters of Liwa al-Quds entered Handarat; Faylaq al-Sham shelled the road.",
     {"Liwa", "al-Quds", "al-Sham"}),
    # the Islamic months (Ramadan is also another name of a Saudi town)
    ("During Ramadan and again in Muharram the market closed.", {"Ramadan", "Muharram"}),
    # the end of a word written in lower case is no name ("Balaka" is a town in Malawi)
    ("Anti-balaka militias attacked the camp.", {"balaka"}),
])
def test_groups_months_and_word_ends_are_not_places(text, absent):
    assert not absent & set(found(text))


@pytest.mark.parametrize("text, name, cc", [
    # a place before "-based", "-born"… is no person's given name and surname
    ("The Geneva-based group said aid was blocked.", "Geneva", "CH"),
    ("Sydney-based doctors flew out.", "Sydney", "AU"),
    # a given name that begins a big place's name ("Hong" of Hong Kong)
    ("said Donald Tsang, the Hong Kong Chief Executive.", "Hong Kong", "HK"),
    # a common English word after a preposition of place names the town
    ("She died at the Royal Alexandra Hospital in Paisley.", "Paisley", "GB"),
    # former states and regions of current crises
    ("Samples were made in the Soviet Union and kept in the USSR.", "Soviet Union", ""),
    ("Shelling resumed in Nagorno-Karabakh.", "Nagorno-Karabakh", "AZ"),
    ("Smugglers cross from the Qalamoun into the Bekaa Valley.", "Bekaa Valley", "LB"),
    ("Drought hit Puntland and Somaliland.", "Somaliland", "SO"),
])
def test_places_that_names_of_people_and_words_used_to_hide(text, name, cc):
    got = found(text)
    assert name in got and got[name].country == cc


@pytest.mark.parametrize("text", [
    "He lives in Hope now.",  # a village of 6,000: the word still wins
    "The talks in Progress stalled.",
    "Paris Hilton arrived late.",  # a given name and a surname are still a person
])
def test_common_words_and_people_stay_what_they_were(text):
    assert found(text) == {}


@pytest.mark.parametrize("text, name", [
    ("Fighting spread across North Wello and into the Wag Himra zone.", "North Wello"),
    ("Fighting spread across North Wello and into the Wag Himra zone.", "Wag Himra"),
    ("Aid reached the Oromia Special Zone and South Wollo.", "Oromia Special Zone"),
    ("Food reached Central Tigray; North Western Tigray remained cut off.",
     "North Western Tigray"),
    ("Clashes in East Wollega and Kellem Wollega displaced thousands.", "Kellem Wollega"),
])
def test_ethiopian_zones_by_the_names_reports_use(text, name):
    m = found(text)[name]
    assert (m.kind, m.country) == ("admin2", "ET")


def test_every_listed_zone_seat_places_its_zone():
    # data/places/admin2-seats.csv is read by scripts/build_admin2.py: each zone it lists is
    # in world-admin2.csv at its seat's point (a regenerated table must not lose one)
    with (DATA_PLACES / "admin2-seats.csv").open(encoding="utf-8", newline="") as fh:
        seats = list(csv.DictReader(fh))
    with (DATA_PLACES / "world-admin2.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["geonameid"]: r for r in csv.DictReader(fh)}
    assert len(seats) >= 30
    for seat in seats:
        row = rows[seat["geonameid"]]
        assert row["name"] == seat["name"]
        assert row["coord_source"].startswith(("seat-town:", "towns-median:", "namesake-town:"))
        assert seat["source"], seat["name"]
        assert set(filter(None, seat["variants"].split(";"))) <= set(row["variants"].split(";"))


def test_a_town_with_a_division_of_its_name_beside_it_is_kept_without_its_country():
    # GeoNames spells the town "Jarābulus"; the Syrian sub-district is "Jarablus" by its own
    # name: the word is a place even in a text that names no Syria
    assert found("Turkish troops entered Jarablus.")["Jarablus"].country == "SY"


@pytest.mark.parametrize("text, thing", [
    ("Hurricane Ian hit Fort Myers.", "Ian"),  # "Ian" folds like Ya'an, a Chinese city
    ("Operation Euphrates Shield began near Jarablus.", "Euphrates"),
    ("Storm Daniel flooded Derna.", "Daniel"),
])
def test_a_named_storm_or_operation_is_not_a_place(text, thing):
    got = found(text)
    assert not any(thing in name for name in got)
    assert got  # the places beside it are still found
