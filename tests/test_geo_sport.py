"""Countries standing for their national teams in a match report (geo/sport.py)."""

from __future__ import annotations

import geo
from geo.sport import is_sport_text

REPORT = (
    "NAIROBI — Kenya beat Tanzania 2–1 on Saturday in the last warm-up match before the "
    "tournament. The striker headed the winner in stoppage time after Tanzania had come back "
    "from a goal down. Tanzania's coach said the match was the test they needed.\n\n"
    "In Kenya, the stadium in Eldoret was renovated. The team play their group matches in "
    "Kampala against Morocco, Mali and Angola. The Tanzania government said all venues in "
    "western Uganda would pass inspection. Kenya open the tournament against Nigeria.")


def _countries(text: str) -> list[tuple[int, str]]:
    return [(m.start, m.text) for m in geo.geoparse(text) if m.kind == "country"]


def test_countries_that_play_are_their_teams():
    got = dict(_countries(REPORT))
    for team in ("Morocco", "Mali", "Angola", "Nigeria"):
        assert team not in got.values(), team
    assert REPORT.index("Kenya beat") not in got
    assert REPORT.index("Tanzania 2") not in got
    assert REPORT.index("Tanzania's") not in got
    assert REPORT.index("Kenya open") not in got


def test_the_country_itself_stays_where_the_report_speaks_of_it():
    got = dict(_countries(REPORT))
    assert got.get(REPORT.index("Kenya, the stadium")) == "Kenya"  # "In Kenya"
    assert got.get(REPORT.index("Tanzania government")) == "Tanzania"
    assert got.get(REPORT.index("Uganda would")) == "Uganda"  # "western Uganda"
    # the venues are places
    assert {"Eldoret", "Kampala", "NAIROBI"} <= {m.text for m in geo.geoparse(REPORT)}


def test_other_texts_keep_their_countries():
    # the same verbs in a humanitarian report are about the countries themselves
    text = ("Kenya opened its border to refugees as Sudan faced a fifth month of fighting; "
            "Uganda won praise for its policy, and Ethiopia met donors in Addis Ababa.")
    assert not is_sport_text(text)
    assert {"Kenya", "Sudan", "Uganda", "Ethiopia"} <= {t for _s, t in _countries(text)}
    assert is_sport_text(REPORT)


CRICKET = (
    "Pakistan beat Sri Lanka by 60 runs in Galle Test\n\n"
    "GALLE, Sri Lanka — Pakistan bowled Sri Lanka out for 231 on the last afternoon to win "
    "the second Test, their seamers taking seven wickets after lunch. Sri Lanka's captain "
    "said the innings had turned on two dropped catches. The sides meet again in Colombo.")

FRIENDLY = (
    "ACCRA, Ghana — Ghana edge Egypt 1-0 in a friendly in Accra, a header from a substitute "
    "deciding it after a penalty was saved before half-time. Ghana then fly to Lagos for a "
    "qualifier against the United States.")


def test_other_games_than_football_have_teams_too():
    got = _countries(CRICKET)
    assert not any(t == "Pakistan" for _s, t in got)
    assert CRICKET.index("Sri Lanka out") not in dict(got)
    assert CRICKET.index("Sri Lanka's") not in dict(got)
    assert "Galle" in {m.text for m in geo.geoparse(CRICKET)}


def test_a_dateline_country_is_the_place_in_a_match_report():
    got = dict(_countries(FRIENDLY))
    assert got.get(FRIENDLY.index("Ghana —")) == "Ghana"  # "ACCRA, Ghana —": the country
    assert FRIENDLY.index("Ghana edge") not in got
    assert FRIENDLY.index("Egypt") not in got
    assert FRIENDLY.index("United States") not in got  # "against the United States"
    assert {"ACCRA", "Accra", "Lagos"} <= {m.text for m in geo.geoparse(FRIENDLY)}


def test_a_division_that_fields_a_team_is_the_team():
    text = ("LEEDS, England — England beat Australia by 40 runs at Headingley, bowling them "
            "out in the 47th over after a record innings. Australia's coach said the wickets "
            "fell too fast; the series moves to Manchester, and then the team fly to "
            "Edinburgh to face Scotland in the last Test.")
    got = dict(_countries(text))
    assert text.index("England beat") not in {m.start for m in geo.geoparse(text)}
    assert text.index("Scotland") not in {m.start for m in geo.geoparse(text)}
    assert got.get(text.index("England —")) is None  # (a division, not a country)
    assert text.index("England —") in {m.start for m in geo.geoparse(text)}  # the dateline
    assert {"Manchester", "Edinburgh", "LEEDS"} <= {m.text for m in geo.geoparse(text)}
