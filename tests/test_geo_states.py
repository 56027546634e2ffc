"""State and province abbreviations after a place name ("Athens, Ga.", "London, Ont.")."""

from __future__ import annotations

import pytest

from geo import geoparse


def _places(text: str) -> list[tuple[str, str, str, str]]:
    return [(m.text, m.name, m.country, m.kind) for m in geoparse(text)]


@pytest.mark.parametrize(("text", "town", "state"), [
    ("ATHENS, Ga. — Researchers say the dry summer cut peanut yields.", "ATHENS", "Georgia"),
    ("ROME, Ga. — A history teacher here spent her summer abroad.", "ROME", "Georgia"),
    ("COLUMBIA, Mo. — Volunteers cleared fallen trees on Saturday.", "COLUMBIA", "Missouri"),
    ("A man from London, Ky., was charged with receiving stolen property.", "London",
     "Kentucky"),
    ("The company, based in Franklin, Tenn., blamed a shortage of nurses.", "Franklin",
     "Tennessee"),
    ("Voters in Springfield, Ill., will decide in April.", "Springfield", "Illinois"),
])
def test_an_ap_state_abbreviation_is_the_state_and_places_the_town_before_it(text, town, state):
    got = geoparse(text)
    by_text = {m.text: m for m in got}
    assert town in by_text
    abbr = next(m for m in got if m.start == by_text[town].end + 2)
    assert (abbr.name, abbr.kind, abbr.country) == (state, "admin1", "US")
    # the town is the one in that state, not its big namesake abroad
    assert by_text[town].country == "US"


def test_a_canadian_province_abbreviation_places_london_in_ontario():
    assert _places("LONDON, Ont. — City council approved a transit line.") == [
        ("LONDON", "London", "CA", "city"), ("Ont.", "Ontario", "CA", "admin1")]


def test_a_shared_code_follows_the_town_before_it():
    got = _places("It was hot in Perth, WA, and cool in Seattle, WA.")
    assert [(t, n) for t, n, _c, _k in got] == [
        ("Perth", "Perth"), ("WA", "Western Australia"), ("Seattle", "Seattle"),
        ("WA", "Washington")]


def test_postal_codes_count_after_a_place_but_not_in_a_capitalised_headline():
    assert ("OR", "Oregon", "US", "admin1") in _places("PORTLAND, OR (AP) — Rain fell.")
    from geo.gazetteer import get_index
    from geo.states import add_states

    assert add_states("FLOODS HIT PARIS, IN TEXAS", [], get_index()) == []
    assert [sp.surface for sp in add_states("Paris, IN.", [], get_index())] == ["IN"]


def test_an_abbreviation_without_a_place_before_it_is_not_a_state():
    text = "He said, Ga. is short for Georgia, and 12, Mo. is not a place."
    assert not any(m.text in ("Ga.", "Mo.") for m in geoparse(text))
