"""Besieged population on a date: the range of the *current* estimates, with their date.

The rule (layers/analysis/sieges.py): estimates dated on or before the day; an estimate is
dropped when a newer one cites one of its sources; then those more than ``WINDOW_DAYS`` older
than the newest are dropped; ties on a date all count. Before any estimate, the first figures
are used and flagged as later. Hand-made figures only: unit-level estimates built here, and the
``ring-pops`` fixture pack (a made-up town with three sieges).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from layers import load_scenario, summarize
from layers.analysis.sieges import WINDOW_DAYS, population_range
from layers.model import Interval, PopulationEstimate, Siege
from layers.summary import format_summary
from layers.timeline import state_at

PACK = Path(__file__).parent / "fixtures" / "packs" / "ring-pops"
D0 = date(2016, 3, 1)


def _est(day: date | None, value: int | None = None, *, low: int | None = None,
         high: int | None = None, src: str = "s") -> PopulationEstimate:
    return PopulationEstimate(value, low, high, day, (src,))


def _siege(*ests: PopulationEstimate) -> Siege:
    return Siege("s1", "Test siege", ("core",), ("red",), ("blue",), Interval(D0), "", ests,
                 "medium", ("s",))


def _sources(rng) -> list[str]:
    return [s for p in rng.estimates for s in p.sources]


@pytest.fixture(scope="module")
def pack():
    return load_scenario(PACK)


# -- the rule, on hand-made estimates ------------------------------------------------------

def test_an_old_figure_leaves_the_range_once_a_newer_one_is_far_enough_ahead():
    old, new = _est(D0, 300_000, src="a"), _est(D0 + timedelta(days=40), 50_000, src="b")
    rng = population_range(_siege(old, new), D0 + timedelta(days=41))
    assert (rng.low, rng.high) == (50_000, 50_000)
    assert _sources(rng) == ["b"] and rng.as_of == D0 + timedelta(days=40)
    # before the new figure exists, the old one is all there is, and says so by its date
    rng = population_range(_siege(old, new), D0 + timedelta(days=39))
    assert (rng.low, rng.high, rng.as_of) == (300_000, 300_000, D0)


def test_window_edge_is_counted_back_from_the_newest_estimate():
    newest = D0 + timedelta(days=30)
    at_edge = _est(newest - timedelta(days=WINDOW_DAYS), 1_000, src="a")
    past_edge = _est(newest - timedelta(days=WINDOW_DAYS + 1), 9_000, src="b")
    rng = population_range(_siege(past_edge, at_edge, _est(newest, 2_000, src="c")),
                           newest + timedelta(days=100))  # the day asked does not move it
    assert (rng.low, rng.high) == (1_000, 2_000)
    assert sorted(_sources(rng)) == ["a", "c"] and rng.as_of == newest


def test_a_source_that_revises_its_figure_counts_once():
    first, revised = _est(D0, 5_000, src="un"), _est(D0 + timedelta(days=3), 4_000, src="un")
    other = _est(D0 + timedelta(days=1), 6_000, src="ngo")
    rng = population_range(_siege(first, other, revised), D0 + timedelta(days=5))
    assert (rng.low, rng.high) == (4_000, 6_000)
    assert sorted(_sources(rng)) == ["ngo", "un"]


def test_ties_on_the_newest_date_are_all_kept():
    day = D0 + timedelta(days=10)
    rng = population_range(_siege(_est(day, 700, src="a"), _est(day, low=500, high=650, src="b")),
                           day)
    assert (rng.low, rng.high, rng.as_of) == (500, 700, day)
    assert sorted(_sources(rng)) == ["a", "b"]


def test_before_any_estimate_the_first_figures_are_used_and_flagged():
    first = D0 + timedelta(days=5)
    s = _siege(_est(first, 1_000, src="a"), _est(first, 1_200, src="b"),
               _est(first + timedelta(days=2), 99, src="c"))
    rng = population_range(s, D0)
    assert (rng.low, rng.high, rng.as_of, rng.after) == (1_000, 1_200, first, True)
    assert not population_range(s, first).after


def test_undated_estimates_only_when_nothing_is_dated():
    undated = _est(None, 10)
    rng = population_range(_siege(undated), D0)
    assert (rng.low, rng.high, rng.as_of) == (10, 10, None)
    rng = population_range(_siege(undated, _est(D0, 20)), D0)
    assert (rng.low, rng.high) == (20, 20)


def test_no_estimate_is_unknown_not_zero():
    rng = population_range(_siege(), D0)
    assert (rng.low, rng.high, rng.estimates, rng.as_of) == (None, None, (), None)


# -- through the summary, on the fixture pack ------------------------------------------------

@pytest.mark.parametrize("day,low,high,as_of,sources", [
    ("2016-03-10", 1000, 1000, "2016-03-05", ["mon-a"]),
    ("2016-04-05", 800, 1500, "2016-03-20", ["mon-a", "mon-b"]),   # 15 days apart: both
    ("2016-04-25", 900, 900, "2016-04-20", ["mon-a"]),   # mon-a revised; mon-b too old
    ("2016-05-10", 600, 700, "2016-05-10", ["mon-c", "mon-d"]),    # a tie
    ("2016-06-20", 200, 200, "2016-06-01", ["mon-b"]),
])
def test_core_siege_range_and_date(pack, day, low, high, as_of, sources):
    s = next(g for g in summarize(pack, day)["sieges"] if g["id"] == "siege-core")
    p = s["population"]
    assert (p["low"], p["high"], p["as_of"], p["after_date"]) == (low, high, as_of, False)
    assert sorted(x["title"] for x in p["sources"]) == sorted(
        json.loads((PACK / "sources.json").read_text())[k]["title"] for k in sources)
    # the exported state uses the same rule
    row = state_at(pack, day).sieges.set_index("id").loc["siege-core"]
    assert (row["population_low"], row["population_high"]) == (low, high)


def test_on_the_first_day_the_later_first_count_is_shown_as_later(pack):
    s = summarize(pack, "2016-03-01")
    p = s["sieges"][0]["population"]
    assert (p["low"], p["as_of"], p["after_date"]) == (1000, "2016-03-05", True)
    assert "after 2016-03-01" in format_summary(s)


def test_total_over_several_sieges_adds_current_ranges_and_gives_their_dates(pack):
    s = summarize(pack, "2016-05-12")
    assert {g["id"] for g in s["sieges"]} == {"siege-core", "siege-east", "siege-north"}
    bp = s["besieged_population"]
    assert (bp["low"], bp["high"]) == (600 + 300, 700 + 300)
    assert (bp["as_of"], bp["as_of_newest"]) == ("2016-04-10", "2016-05-10")
    assert bp["sieges_without_estimate"] == ["siege-north"]
    assert sorted(x["publisher"] for x in bp["sources"]) == ["Example Council", "Example Wire"]
    text = format_summary(s)
    assert "Besieged population: 900–1,000 people, figures dated 2016-04-10 to 2016-05-10" in text
    assert "not counting 1 siege(s) with no estimate" in text
    assert "Siege of the north fields" in text and "population unknown" in text


def test_text_gives_the_as_of_date_and_only_current_sources(pack):
    text = format_summary(summarize(pack, "2016-04-25"))
    assert "900 people (as of 2016-04-20)" in text
    assert "Ring town needs assessment" not in text  # mon-b's March figure is out of date
    assert "Ring town update 1" in text


def test_text_start_dates_are_no_more_precise_than_the_sources(pack):
    text = format_summary(summarize(pack, "2016-05-12"))
    assert "since about 2016-03-01" in text   # from_precision approximate
    assert "since Apr 2016" in text           # from_precision month
    assert "since 2016-05-01" in text         # day
    s = summarize(pack, "2016-05-12")
    assert {g["id"]: g["since_precision"] for g in s["sieges"]} == {
        "siege-core": "approximate", "siege-east": "month", "siege-north": "day"}


def test_aleppo_in_december_reports_december_figures_not_the_autumn_ones():
    sc = load_scenario(Path(__file__).parents[1] / "data" / "scenarios" / "aleppo-2016")
    bp = summarize(sc, "2016-12-10")["besieged_population"]
    as_of = date.fromisoformat(bp["as_of"])
    assert as_of >= date(2016, 11, 15)
    for src in bp["sources"]:  # every figure used is current: inside the window of as_of
        assert date.fromisoformat(src["date"]) >= as_of - timedelta(days=WINDOW_DAYS)
    assert bp["high"] < 250_000  # the pocket's count fell as the east was retaken


def test_a_start_put_at_the_window_edge_reads_as_before_it_not_as_a_date():
    # Sheikh Maqsoud's pressure predates the pack; its record starts at the window, approximate
    sc = load_scenario(Path(__file__).parents[1] / "data" / "scenarios" / "aleppo-2016")
    text = format_summary(summarize(sc, "2016-06-15"))
    line = next(x for x in text.splitlines() if "Sheikh Maqsoud (Kurdish" in x)
    assert "since before 2016-06-01" in line
    # the distance is as the crow flies, and the line says so (roads are longer)
    assert re.search(r"nearest open crossing .+ \d+\.\d km in a straight line", line)
    assert "about 2016-06-01" not in line
