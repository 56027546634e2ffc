"""The record types: half-open intervals, alliances, population ranges, dated statuses."""

from datetime import date
from pathlib import Path

from layers.model import Corridor, Interval, PopulationEstimate, StatusInterval


def test_interval_is_half_open():
    iv = Interval(date(2016, 3, 1), date(2016, 4, 1))
    assert iv.contains(date(2016, 3, 1))
    assert iv.contains(date(2016, 3, 31))
    assert not iv.contains(date(2016, 4, 1))
    assert not iv.contains(date(2016, 2, 29))


def test_empty_end_means_ongoing():
    iv = Interval(date(2016, 3, 1))
    assert iv.contains(date(2030, 1, 1))
    assert iv.iso() == ("2016-03-01", "")


def test_adjacent_intervals_do_not_overlap():
    a = Interval(date(2016, 1, 1), date(2016, 3, 1))
    b = Interval(date(2016, 3, 1))
    assert not a.overlaps(b) and not b.overlaps(a)
    assert a.overlaps(Interval(date(2016, 2, 28), date(2016, 3, 2)))
    assert Interval(date(2016, 1, 1)).overlaps(Interval(date(2020, 1, 1)))


def test_population_range_falls_back_to_value():
    assert PopulationEstimate(1000, None, None, None, ("s",)).range == (1000, 1000)
    assert PopulationEstimate(None, 800, 1500, None, ("s",)).range == (800, 1500)
    assert PopulationEstimate(1000, None, 1200, None, ("s",)).range == (1000, 1200)


def test_status_at_picks_the_interval_in_force():
    st = (StatusInterval("open", Interval(date(2016, 1, 1), date(2016, 2, 1)), "high", ("s",)),
          StatusInterval("closed", Interval(date(2016, 2, 1)), "high", ("s",)))
    c = Corridor("c", "C", "route", None, (), st, "high", ("s",))
    assert c.status_at(date(2016, 1, 31)).status == "open"
    assert c.status_at(date(2016, 2, 1)).status == "closed"
    assert c.status_at(date(2015, 12, 31)) is None


def test_import_layers_stays_light():
    import subprocess
    import sys

    code = ("import sys, layers; assert callable(layers.load_scenario); "
            "print('geopandas' in sys.modules, 'shapely' in sys.modules)")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True, cwd=root).stdout.split()
    assert out == ["False", "False"]
