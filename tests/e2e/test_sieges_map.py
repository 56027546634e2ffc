"""Syria's sieges at the zooms at which a user sees the country (issue 15): each siege a
symbol with its name, none overlapping another, each popup giving name, dates, population
and sources."""

from __future__ import annotations

from datetime import date

import pytest

from .test_briefing_map import wait_for
from .test_map import counts, map_frame, wait_idle

pytestmark = pytest.mark.e2e

#: Each siege symbol on the map: its name and the screen boxes of its ring and its name.
SIEGES_JS = """() => [...document.querySelectorAll('.cordon-siege')].map(e => {
  const box = el => { const r = el.getBoundingClientRect();
                      return [r.left, r.top, r.right, r.bottom]; };
  return {name: e.textContent, ring: box(e.querySelector('svg')),
          text: box(e.querySelector('span'))}; })"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _overlapping(symbols: list[dict]) -> list[tuple[str, str]]:
    """Pairs of siege symbols whose rings or names overlap on screen."""
    return [(a["name"], b["name"]) for i, a in enumerate(symbols) for b in symbols[i + 1:]
            if any(_overlap(box_a, box_b) for box_a in (a["ring"], a["text"])
                   for box_b in (b["ring"], b["text"]))]


def _separate(frame) -> None:
    """Wait for the symbols to be placed (30 ms after a zoom or pan ends; longer on a busy
    machine, and a zoom animates first), then none may overlap."""
    wait_for(lambda: not _overlapping(frame.evaluate(SIEGES_JS)), timeout=10,
             what="siege symbols apart")
    assert not _overlapping(frame.evaluate(SIEGES_JS))


def _in_force() -> set[str]:
    import layers

    sc = layers.load_scenario("syria-2016")
    sieges = layers.state_at(sc, date(2016, 6, 23)).sieges
    return set(sieges["name"].map(lambda n: n if len(n) <= 34 else n[:33].rstrip() + "…"))


def test_syrias_sieges_are_separate_and_named_at_country_and_region_zoom(watched, server):
    page = watched.page
    page.goto(f"{server}/?scenario=syria-2016&date=2016-06-23&zoom=7&center=33.8,36.8")
    frame = map_frame(page)
    counts(frame, "sieges")  # the pack has no control layer: sieges are what it shows
    names = _in_force()
    assert len(names) >= 8  # Damascus alone has six: the case that used to be one blob
    wait_for(lambda: {x["name"] for x in frame.evaluate(SIEGES_JS)} == names,
             what="every siege drawn with its name")
    _separate(frame)
    wait_idle(page)
    frame.evaluate("() => { window.map.setView([33.55, 36.25], 9); }")
    wait_for(lambda: frame.evaluate("() => window.map.getZoom()") == 9, what="zoom 9")
    _separate(frame)
    # the popup opens from where the symbol is drawn, and says what a briefing needs
    page.wait_for_timeout(500)  # a click in the wake of a zoom is not taken as one
    frame.locator(".cordon-siege", has_text="Darayya").locator("svg").click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10000)
    text = popup.inner_text()
    for part in ("Darayya", "Population", "8,000", "2016-08-27", "France Diplomatie"):
        assert part in text, (part, text)
