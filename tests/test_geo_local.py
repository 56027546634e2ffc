"""Local news: a town named like a bigger place far away is the local one when the text names
its neighbours ("York" beside Harrogate and Ripon is not Toronto's York Region)."""

from __future__ import annotations

import pytest

from geo import geoparse


def _where(text: str, name: str) -> str:
    return next(m.country for m in geoparse(text) if m.text == name)


def test_a_town_among_its_named_neighbours_is_the_local_one():
    text = ("A nursery from Ripon won the gold medal for its alpine garden, beating growers "
            "from York and Skipton, at the spring show outside Harrogate.")
    assert _where(text, "York") == "GB"
    text = ("The council passed its budget in Hoover on Monday. Sales tax receipts held up "
            "better than in Birmingham and Tuscaloosa, and Bessemer expects the same.")
    assert _where(text, "Birmingham") == "US"
    text = ("Growers around Boston in Lincolnshire cannot find enough pickers. A packhouse near "
            "Spalding has raised its rate, and recruiters visited Skegness and Peterborough.")
    assert _where(text, "Boston") == "GB"


def test_the_big_place_stays_when_nothing_local_is_named():
    assert _where("Talks resumed in Geneva on Monday, US diplomats said.", "Geneva") == "CH"
    assert _where("Flights from York to Boston were cancelled.", "Boston") == "US"


def test_a_state_listed_with_its_neighbours_stays_the_state():
    # the neighbours of New York City do not turn the state into the city
    got = [(m.text, m.kind) for m in geoparse(
        "People fell ill in New York City, Long Island, New York, Pennsylvania, and New Jersey.")]
    assert ("New York", "admin1") in got


def test_a_street_named_after_a_place_is_not_the_place():
    got = [m.text for m in geoparse(
        "His car hit a pole at the corner of Washington Avenue and Denver Street in Tulsa, "
        "and another crash closed Florence Road in Sand Springs.")]
    assert got == ["Tulsa", "Sand Springs"]


def test_a_team_named_after_its_city_is_not_the_city():
    got = [m.text for m in geoparse(
        "Fans of the Kansas City Chiefs will follow the team to Denver next week, and the "
        "Newcastle Knights beat the North Queensland Cowboys in Townsville.")]
    assert got == ["Denver", "Townsville"]
    # a nickname that is also a word of the news does not hide the place
    assert [m.text for m in geoparse("Gaza Rockets Hit Sderot")] == ["Gaza", "Sderot"]


def test_a_haemorrhagic_fever_named_after_a_town_is_not_the_town():
    assert geoparse("Both Ebola and the related Marburg hemorrhagic fever kill quickly.") == []
    assert [m.text for m in geoparse("Lassa haemorrhagic fever spread in Edo State.")] == [
        "Edo State"]


def test_a_common_word_opening_a_sentence_is_the_town_its_state_or_country_names():
    # "Mobile", "Reading", "Buffalo", "Bath" are English words: at the start of a sentence
    # they are dropped, unless ", " and a division or country that holds the town follow
    got = {m.text: m for m in geoparse("Mobile, Ala., police closed the road. Reading, Pa. — "
                                       "A fire destroyed two homes. Buffalo, New York may "
                                       "take patients. Bath, England is a spa town.")}
    assert (got["Mobile"].country, got["Mobile"].kind) == ("US", "city")
    assert got["Mobile"].lat == pytest.approx(30.69, abs=0.2)
    assert got["Reading"].lat == pytest.approx(40.34, abs=0.2)  # Pennsylvania, not England
    assert got["Buffalo"].lat == pytest.approx(42.89, abs=0.2)
    assert got["New York"].kind == "admin1"  # the state that holds Buffalo, not the city
    assert (got["Bath"].country, got["Bath"].kind) == ("GB", "city")


def test_a_common_word_before_a_division_that_does_not_hold_it_is_still_a_word():
    names = {m.text for m in geoparse("Police, Texas officials said, found nothing.")}
    assert "Police" not in names and "Texas" in names


@pytest.mark.parametrize("text, name, cc, kind", [
    ("Georgia lawmakers met in Atlanta on Monday.", "Georgia", "US", "admin1"),
    ("Protesters in Tbilisi said Georgia would join Europe.", "Georgia", "GE", "country"),
    ("Floods hit Punjab; Lahore was cut off.", "Punjab", "PK", "admin1"),
    ("Floods hit Punjab; Amritsar was cut off.", "Punjab", "IN", "admin1"),
])
def test_a_division_that_holds_a_town_the_text_names_wins_its_namesakes(text, name, cc, kind):
    m = next(m for m in geoparse(text) if m.text == name)
    assert (m.country, m.kind) == (cc, kind)


@pytest.mark.parametrize("text, word", [
    ("Melbourne Victory will play a charity match in Ballarat in April.", "Melbourne"),
    ("Supporters of Wakefield Trinity lobbied for a new stand in the city.", "Wakefield"),
    ("The bowler, who plays for the Perth Scorchers, was rested in Adelaide.", "Perth"),
])
def test_a_club_of_the_australian_and_english_leagues_is_no_place(text, word):
    assert word not in {m.text for m in geoparse(text)}
