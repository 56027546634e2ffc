"""Behaviour of geo.geoparse and geo.lookup on sample texts written for these tests.

The first test to run builds the gazetteer index into the cache directory if it is missing
(``$CORDON_CACHE`` or ``~/.cache/cordon``; tens of seconds, once).
"""

from __future__ import annotations

import math

import pytest

import geo
from geo.mention import KINDS


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


ALEPPO_CITY = (36.20, 37.16)


def only(mentions, surface):
    found = [m for m in mentions if m.text == surface]
    assert found, f"{surface!r} not found in {[m.text for m in mentions]}"
    return found[0]


def test_empty_text_gives_nothing():
    assert geo.geoparse("") == []
    assert geo.geoparse("   \n\t ") == []
    assert geo.geoparse("no capitals here at all.") == []


def test_not_a_string_is_a_clear_error():
    with pytest.raises(TypeError, match="needs str"):
        geo.geoparse(b"Aleppo")  # type: ignore[arg-type]


def test_offsets_fields_and_confidence_are_valid():
    text = ("Aid trucks left Damascus for Homs on Monday; in Geneva, envoys from Russia and "
            "the United States argued about Aleppo’s besieged east.")
    ms = geo.geoparse(text)
    assert [m.text for m in ms] == ["Damascus", "Homs", "Geneva", "Russia", "United States",
                                    "Aleppo"]
    for m in ms:
        assert text[m.start:m.end] == m.text
        assert m.kind in KINDS
        assert 0.0 <= m.confidence <= 1.0
        assert -90 <= m.lat <= 90 and -180 <= m.lon <= 180
        assert m.source
    assert [m.start for m in ms] == sorted(m.start for m in ms)


def test_directional_phrase_before_the_name():
    m = only(geo.geoparse("Artillery pounded eastern Aleppo through the night."), "Aleppo")
    assert m.qualifier == "eastern"
    assert m.kind == "city" and m.country == "SY"
    assert km((m.lat, m.lon), ALEPPO_CITY) < 10


def test_possessive_with_part_after_the_name():
    text = "By dusk the fighting had reached Aleppo's southern outskirts."
    m = only(geo.geoparse(text), "Aleppo")
    assert (m.start, m.end) == (text.index("Aleppo"), text.index("Aleppo") + 6)
    assert m.qualifier == "southern outskirts"


def test_direction_of_phrase():
    ms = geo.geoparse("Rebels shelled villages north of Hama and south-west of Damascus.")
    assert only(ms, "Hama").qualifier == "north of"
    assert only(ms, "Damascus").qualifier == "south-west of"


def test_people_months_and_weekdays_are_not_places():
    text = ("Secretary of State John Kerry arrived on Thursday. Kerry and Foreign Minister "
            "Sergey Lavrov spoke for hours; Lavrov later said that President Barack Obama "
            "had called in March and again in May.")
    surfaces = {m.text for m in geo.geoparse(text)}
    assert not surfaces & {"Kerry", "John Kerry", "Lavrov", "Obama", "Barack Obama",
                           "Thursday", "March", "May"}


def test_homs_is_the_syrian_city_not_al_khums():
    m = only(geo.geoparse("Convoys reached Homs after a long wait."), "Homs")
    assert m.country == "SY" and m.kind == "city"


def test_admin_cue_picks_paris_texas():
    ms = geo.geoparse("A tornado damaged homes in Paris, Texas, late on Friday.")
    paris = only(ms, "Paris")
    assert paris.country == "US"
    assert km((paris.lat, paris.lon), (33.66, -95.56)) < 30
    assert only(ms, "Texas").kind == "admin1"


def test_paris_alone_is_the_french_capital():
    paris = only(geo.geoparse("Ministers met in Paris and Berlin."), "Paris")
    assert paris.country == "FR"


def test_geneva_stays_swiss_in_a_text_about_american_diplomats():
    text = ("Envoys of Russia and the United States met in Geneva to talk about Syria; the US "
            "side then flew home to Washington.")
    ms = geo.geoparse(text)
    assert only(ms, "Geneva").country == "CH"
    assert km((only(ms, "Washington").lat, only(ms, "Washington").lon), (38.9, -77.04)) < 20


def test_city_beats_governorate_unless_a_kind_cue_says_otherwise():
    assert only(geo.geoparse("Power returned to Aleppo."), "Aleppo").kind == "city"
    gov = only(geo.geoparse("Clashes went on across Aleppo province."), "Aleppo")
    assert gov.kind == "admin1"


def test_demonyms_only_when_asked():
    text = "The Syrian Observatory for Human Rights, a monitor based in the UK, counted the dead."
    plain = geo.geoparse(text)
    assert [m.text for m in plain] == ["UK"]
    with_dem = geo.geoparse(text, demonyms=True)
    syrian = only(with_dem, "Syrian")
    assert syrian.kind == "demonym" and syrian.country == "SY"


def test_toponym_inside_an_organisation_name_is_a_mention():
    m = only(geo.geoparse("Footage from the Aleppo Media Centre showed the damage."), "Aleppo")
    assert m.country == "SY"


def test_abbreviations_are_countries_and_capitals_words_are_not():
    ms = geo.geoparse("The US and the UK backed the plan; the UN and NATO did not.")
    assert [(m.text, m.country) for m in ms] == [("US", "US"), ("UK", "GB")]


def test_arabic_script_names():
    m = only(geo.geoparse("قصف عنيف على حلب اليوم"), "حلب")
    assert m.country == "SY" and km((m.lat, m.lon), ALEPPO_CITY) < 10


def test_spelling_variants_resolve_to_the_same_place():
    a = only(geo.geoparse("Shelling hit Sheikh Maqsoud in Aleppo."), "Sheikh Maqsoud")
    b = only(geo.geoparse("Shelling hit Shaykh Maqsud in Aleppo."), "Shaykh Maqsud")
    c = only(geo.geoparse("Shelling hit Cheikh Maksoud in Aleppo."), "Cheikh Maksoud")
    assert a.source == b.source == c.source


NEIGHBOURHOODS = {  # 2016 reporting spelling -> the unit it lies in
    "Sheikh Maqsoud": "alp-sheikh-maqsoud",
    "Bustan al-Qasr": "alp-bustan-al-qaser",
    "Masaken Hanano": "alp-hanano",
    "al-Sukkari": "alp-sukkari",
    "Salaheddine": "alp-salah-ad-deen",
    "Sheikh Saeed": "alp-sheikh-saeed",
    "al-Shaar": "alp-shaar",
}


def test_aleppo_neighbourhoods_land_in_their_units():
    from geo.places import load_places

    places = load_places()
    text = ("Overnight strikes on Aleppo hit Sheikh Maqsoud and Bustan al-Qasr; by morning "
            "Masaken Hanano had fallen, and residents of al-Sukkari, Salaheddine, Sheikh Saeed "
            "and al-Shaar fled west.")
    ms = geo.geoparse(text)
    for surface, unit in NEIGHBOURHOODS.items():
        m = only(ms, surface)
        assert m.kind == "neighbourhood", surface
        units = places[m.source].units or (m.source,)
        assert unit in units, (surface, m.source, units)


def test_tariq_al_bab_is_an_aleppo_place():
    ms = geo.geoparse("Government forces pushed into Tariq al-Bab in eastern Aleppo.")
    m = only(ms, "Tariq al-Bab")
    assert m.source.startswith("alp-")
    assert km((m.lat, m.lon), ALEPPO_CITY) < 15


def test_common_words_at_sentence_start_are_not_places():
    text = "Police said the Mission would stay. Marathon talks followed; Orange smoke rose."
    assert geo.geoparse(text) == []


def test_lookup_ranks_candidates():
    res = geo.lookup("Aleppo")
    assert res[0].kind == "city" and res[0].country == "SY"
    assert all(m.start == -1 and m.end == -1 for m in res)
    assert len(geo.lookup("Paris", limit=3)) == 3
    assert geo.lookup("") == []


def test_lookup_arabic_and_near():
    assert geo.lookup("حلب")[0].name == "Aleppo"
    near_ny = geo.lookup("Geneva", near=(42.87, -76.98), limit=1)[0]
    assert near_ny.country == "US"
    assert geo.lookup("Geneva", limit=1)[0].country == "CH"


def test_progress_is_reported_for_long_texts():
    piece = "Shelling was reported in Homs.\n" + "Quiet day with nothing to note. " * 40 + "\n"
    text = piece * (3 * geo.CHUNK // len(piece))
    seen: list[float] = []
    found = geo.geoparse(text, progress=seen.append)
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == 1.0
    assert all(0 < x <= 1 for x in seen)
    assert [m.start for m in found] == [m.start for m in geo.geoparse(text)]  # same result
    short: list[float] = []
    geo.geoparse("Aleppo.", progress=short.append)
    assert short == [1.0]


def test_lookup_lists_each_place_once():
    # The governorate of Aleppo is in both the admin table and GeoNames: one choice, not two.
    for query in ("حلب", "Aleppo"):
        res = geo.lookup(query, limit=10)
        seen = [(m.name, m.kind, round(m.lat), round(m.lon)) for m in res]
        assert len(seen) == len(set(seen)), seen
        assert [m.kind for m in res if m.name == "Aleppo"].count("admin1") == 1
    assert len(geo.lookup("Paris", limit=5)) == 5  # the limit still counts distinct places


def test_control_words_between_possessive_and_part():
    text = "Air strikes hit Aleppo's rebel-held eastern districts again."
    assert only(geo.geoparse(text), "Aleppo").qualifier == "eastern districts"


def test_money_and_laws_are_not_places():
    text = "The fund pledged US$5 million under the Clean Air Act."
    assert [m.text for m in geo.geoparse(text)] == []


def test_things_named_after_places_are_not_mentions():
    text = "Farmers feared the Marburg virus more than West Nile fever."
    assert geo.geoparse(text) == []


def test_surname_after_an_unknown_given_name_stays_a_person_later():
    text = ("The clinic is run by Dr Huseyin Avni Sahin near Van. Sahin asked for more beds, "
            "Van officials said.")
    assert "Sahin" not in {m.text for m in geo.geoparse(text)}


def test_long_text_offsets_and_chunking():
    part = "Aid reached Homs, then Hama, while talks in Geneva stalled.\n"
    text = part * 5000  # 300,000 characters: parsed in pieces
    ms = geo.geoparse(text)
    assert len(ms) == 15000
    assert all(text[m.start:m.end] == m.text for m in ms)
    assert {m.country for m in ms} == {"SY", "CH"}


def test_mixed_arabic_and_english_stays_in_text_order():
    text = "Aid reached حمص (Homs) after leaving دمشق for Aleppo."
    ms = geo.geoparse(text)
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    assert {m.name for m in ms} >= {"Homs", "Damascus", "Aleppo"}
    assert all(text[m.start:m.end] == m.text for m in ms)


def test_us_county_with_its_state():
    ms = geo.geoparse("Flooding closed roads across Scott County, Iowa, on Monday.")
    county = only(ms, "Scott County")
    assert county.kind == "admin2" and county.country == "US"
    assert km((county.lat, county.lon), (41.64, -90.62)) < 30


def test_division_after_a_comma_holds_the_name_before_it():
    ms = geo.geoparse("Lawmakers met in Albany, New York, on Tuesday.")
    assert only(ms, "New York").kind == "admin1"
    assert only(geo.geoparse("Lawmakers flew to New York."), "New York").kind == "city"


def test_surname_that_is_a_city_is_no_place():
    ms = geo.geoparse("Midfielder Jordan Henderson trained with the squad before the final.")
    assert not [m for m in ms if m.text in ("Jordan", "Henderson")]


def test_given_name_before_a_country_is_a_person_but_the_country_stays():
    text = "Michael Jordan toured Amman and several other towns in Jordan."
    ms = geo.geoparse(text)
    assert [m.start for m in ms if m.text == "Jordan"] == [text.rindex("Jordan")]
    assert only(ms, "Jordan").kind == "country"


def test_unknown_first_name_marks_a_person_and_a_preposition_marks_the_place():
    text = "Denzel Washington spoke at the gala. The actor later flew to Washington for talks."
    ms = geo.geoparse(text)
    assert [m.start for m in ms if m.text == "Washington"] == [text.rindex("Washington")]


def test_sports_clubs_named_after_cities_are_not_places():
    text = "Manchester United drew with Real Madrid in a friendly played in Manchester."
    ms = geo.geoparse(text)
    assert [(m.text, m.start) for m in ms] == [("Manchester", text.rindex("Manchester"))]
    assert only(geo.geoparse("Troops left the United States for Manchester."),
                "United States").country == "US"


def test_tail_of_an_unknown_feature_name_is_no_place():
    ms = geo.geoparse("The fleet anchored in the Bay of Quelmaro overnight.")
    assert not [m for m in ms if m.text == "Bay"]
    ms = geo.geoparse("Tankers now sail around the Cape of Good Hope instead.")
    cape = only(ms, "Cape of Good Hope")
    assert km((cape.lat, cape.lon), (-34.36, 18.47)) < 50
    assert not [m for m in ms if m.text == "Good Hope"]
    # a country after "Gulf of" stays a place
    text = "Pirates raided ships in the Gulf of Guinea."
    assert any(m.start <= text.rindex("Guinea") < m.end for m in geo.geoparse(text))


def test_hyphenated_countries_are_no_person():
    ms = geo.geoparse("Shelling was reported along the India-Pakistan border on Friday.")
    assert {m.country for m in ms} >= {"IN", "PK"}


def test_named_vessels_are_not_places():
    ms = geo.geoparse("The cruiser Moskva sank off the coast; HMS Belfast is moored in London.")
    assert [m.text for m in ms] == ["London"]


def test_seas_and_straits_of_shipping_news():
    ms = geo.geoparse("Cargo ships crossed the Bay of Bengal and the Bosphorus last month.")
    assert km((only(ms, "Bay of Bengal").lat, only(ms, "Bay of Bengal").lon), (15, 88)) < 300
    assert only(ms, "Bosphorus").country == "TR"
