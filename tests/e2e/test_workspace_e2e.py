"""A workspace in headless Chromium: click a unit on the map, record who holds it, see the map
and the history change, then the earlier map "as known on" a moment before the record."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid

import pytest

from .conftest import ARTIFACTS
from .test_map import map_frame, wait_idle

pytestmark = pytest.mark.e2e

UNIT = "alp-hanano"  # held by the opposition on 2016-09-15 in the pack
GOV, OPP = "Syrian government forces", "Opposition factions in eastern Aleppo"
UNIT_JS = """(id) => {
  let out = null;
  window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.layer === 'control' && p.id === id) out = {tip: p._tip, fill: l.options.fillColor};
  });
  return out;
}"""
SELECTED_JS = """() => { const out = [];
  window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
    if (p && p.layer === 'selection') out.push(p.id); });
  return out; }"""


def until(frame, js: str, arg, check, timeout: float = 30):
    """Evaluate ``js`` in the map's frame until ``check`` holds for its value; return it."""
    deadline = time.monotonic() + timeout
    got = None
    while time.monotonic() < deadline:
        try:
            got = frame.evaluate(js, arg) if arg is not None else frame.evaluate(js)
        except Exception:  # noqa: BLE001 - the layers are being redrawn
            got = None
        if got is not None and check(got):
            return got
        time.sleep(0.2)
    raise AssertionError(f"not reached within {timeout} s; last value: {got}")


def test_record_by_clicking_a_unit_then_history_and_as_known_on(watched, server, store_path):
    from geo.places import load_places
    from layers.workspace import create_workspace

    name = f"e2e-{uuid.uuid4().hex[:6]}"
    ws = create_workspace(name, from_pack="aleppo-2016", store=store_path)
    forked = dt.datetime.fromisoformat(ws.history()[-1]["recorded_at"].rstrip("Z"))
    started = time.monotonic()
    page = watched.page
    page.goto(f"{server}/?scenario={name}&date=2016-09-15&layers=control")
    frame = map_frame(page)
    before = until(frame, UNIT_JS, UNIT, lambda v: bool(v))
    assert before["tip"] == f"Hanano · held by {OPP}", before

    # Click the unit on the map: it is selected (highlighted) and named in the panel.
    place = load_places()[UNIT]
    xy = frame.evaluate(f"() => window.map.latLngToContainerPoint([{place.lat}, {place.lon}])")
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
    until(frame, SELECTED_JS, None, lambda v: v == [UNIT])
    page.get_by_text("Units: Hanano", exact=True).wait_for(timeout=20000)

    # Record it held by the government (the first actor) from the map's date, citing a source.
    picker = page.get_by_role("combobox", name="Existing source")
    picker.click()
    picker.press_sequentially("Syrian troops capture")
    page.get_by_role("option", name=re.compile("Syrian troops capture")).first.click()
    wait_idle(page)
    page.get_by_role("button", name="Record", exact=True).click()
    page.get_by_text(re.compile("Recorded: Hanano held by Syrian government forces")).wait_for(
        timeout=30000)
    after = until(frame, UNIT_JS, UNIT, lambda v: v["tip"] != before["tip"])
    assert after["tip"] == f"Hanano · held by {GOV}" and after["fill"] != before["fill"], after
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-workspace-recorded.png"))

    # The history of the selected unit says who recorded what, when, from which source.
    page.get_by_role("tab", name="History").click()
    entry = page.get_by_text(re.compile(r"recorded control ctl-20160915-\w+: Hanano held by "
                                        "Syrian government forces"))
    entry.first.wait_for(timeout=20000)
    assert "The Seattle Times" in entry.first.inner_text()

    # As known on a second after the fork: the earlier map, and no recording.
    moment = forked.replace(microsecond=0) + dt.timedelta(seconds=1)
    assert moment.date() == dt.datetime.now(dt.UTC).date(), "forked on another day (UTC)"
    page.get_by_text("As known on an earlier moment").click()
    wait_idle(page)
    box = page.get_by_role("textbox", name="Time of day (UTC, optional)")
    box.fill(moment.strftime("%H:%M:%S"))
    box.press("Enter")
    page.wait_for_url(re.compile(r"known="), timeout=30000)
    until(frame, UNIT_JS, UNIT, lambda v: v["tip"] == before["tip"])
    page.get_by_text("Recording is off in this mode", exact=False).wait_for(timeout=20000)
    # (the page may show the last run's elements until this run is drawn)
    page.get_by_role("button", name="Record", exact=True).wait_for(state="detached",
                                                                   timeout=20000)
    page.screenshot(path=str(ARTIFACTS / "e2e-workspace-known-on.png"))
    assert watched.external == [] and watched.dialogs == []
    assert page.get_by_test_id("stException").count() == 0
    assert time.monotonic() - started < 60
