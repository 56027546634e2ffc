"""A name the sentence itself places: "Tripoli in northern Lebanon", "Lebanon's Tripoli", "the
Lebanese city of Tripoli" — the country or division named right there wins over a bigger
namesake elsewhere, as after a comma ("Paris, Texas") (issue 13)."""

from __future__ import annotations

import pytest

import geo


def placed(text: str) -> dict[str, tuple[str, str]]:
    return {m.text: (m.country, m.kind) for m in geo.geoparse(text)}


@pytest.mark.parametrize("text, name, cc", [
    ("Clashes broke out in Tripoli in northern Lebanon on Sunday.", "Tripoli", "LB"),
    ("Clashes broke out in Tripoli, in the north of Lebanon, on Sunday.", "Tripoli", "LB"),
    ("Police in Athens in Georgia said the road was closed.", "Athens", "US"),
    ("Protesters gathered in Valencia in Venezuela.", "Valencia", "VE"),
    ("Lebanon's Tripoli saw clashes on Sunday.", "Tripoli", "LB"),
    ("Clashes broke out in the Lebanese city of Tripoli.", "Tripoli", "LB"),
    ("Aid reached the Lebanese coastal city of Tripoli.", "Tripoli", "LB"),
])
def test_the_sentence_places_the_name(text, name, cc):
    assert placed(text)[name][0] == cc


@pytest.mark.parametrize("text, name, cc", [
    ("The EU and US officials met in Athens.", "Athens", "GR"),  # no locator: the capital
    ("He was born in Paris in 1950.", "Paris", "FR"),
    ("Talks in Geneva in Switzerland ended.", "Geneva", "CH"),
    ("Belfast in Northern Ireland was calm.", "Belfast", "GB"),
    ("Libyan forces entered Tripoli.", "Tripoli", "LY"),
])
def test_other_sentences_keep_their_reading(text, name, cc):
    assert placed(text)[name][0] == cc


def test_the_locating_country_stays_a_country():
    got = placed("Troops were sent to Kherson in southern Ukraine.")
    assert got == {"Kherson": ("UA", "city"), "Ukraine": ("UA", "country")}


def test_a_repeated_name_is_placed_by_its_own_sentence():
    # the answer for a repeated name is shared only between spans with the same locator
    got = [(m.text, m.country) for m in geo.geoparse(
        "Libya's Tripoli was quiet. Lebanon's Tripoli saw clashes. Tripoli in Libya voted.")
        if m.text == "Tripoli"]
    assert got == [("Tripoli", "LY"), ("Tripoli", "LB"), ("Tripoli", "LY")]


def test_a_storm_named_again_without_its_title_is_still_the_storm():
    text = ("Hurricane Helena made landfall near Houma. Helena was expected to weaken as it "
            "moved north toward Jackson.")
    assert [m.text for m in geo.geoparse(text)] == ["Houma", "Jackson"]
    assert placed("He moved to Helena, Montana.")["Helena"] == ("US", "city")


def test_an_oil_benchmark_is_no_place():
    assert "Brent" not in placed("Brent crude slipped almost 2 percent in London.")
    assert placed("Protesters marched in Brent, north-west London.")["Brent"][0] == "GB"
