"""The page as a briefing map in headless Chromium (issue 15): labels by zoom, the time bar
(typed date, play), the link's checks, dated user layers, search and a failed basemap."""

from __future__ import annotations

import re
import time

import pytest

from .test_map import CONTROL_JS, counts, map_frame, open_app, open_with_layer, wait_idle

pytestmark = pytest.mark.e2e

LABELS_JS = """() => [...document.querySelectorAll('.cordon-label')]
  .filter(e => !e.classList.contains('cordon-off')).map(e => e.textContent)"""


def href(page) -> str:
    """The address bar as the page has it now (Streamlit rewrites it with the history API)."""
    return page.evaluate("() => location.href")


def url_date(page) -> str | None:
    m = re.search(r"[?&]date=(\d{4}-\d{2}-\d{2})", href(page))
    return m.group(1) if m else None


def wait_for(check, timeout: float = 30, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.2)
    raise AssertionError(f"{what} not met within {timeout} s")


def test_names_show_at_city_zoom_and_thin_out_further_away(watched, server):
    page, frame = open_app(watched, server, "?zoom=14&center=36.20,37.16")
    near = wait_for(lambda: frame.evaluate(LABELS_JS), what="labels at zoom 14")
    assert len(near) >= 10, near
    # no two labels on screen overlap
    boxes = frame.evaluate("""() => [...document.querySelectorAll('.cordon-label')]
        .filter(e => !e.classList.contains('cordon-off'))
        .map(e => { const r = e.firstChild.getBoundingClientRect();
                    return [r.left, r.top, r.right, r.bottom]; })
        .filter(b => b[2] > 0 && b[3] > 0 && b[0] < innerWidth && b[1] < innerHeight)""")
    assert len(boxes) >= 5
    # and none is cut by the map's edge: a name near it is slid inside
    cut_js = """() => [...document.querySelectorAll('.cordon-label')]
        .filter(e => !e.classList.contains('cordon-off'))
        .map(e => { const r = e.firstChild.getBoundingClientRect();
                    return [e.textContent, r.left, r.right]; })
        .filter(b => b[1] < 0 || b[2] > innerWidth)"""
    # (polled: the map may still be taking its final size, and labels are placed after it)
    wait_for(lambda: not frame.evaluate(cut_js), timeout=10, what="no label cut by the edge")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1
                        and b[1] < a[3] - 1), (a, b)
    wait_idle(page)  # a zoom sent while the first run is still under way may be dropped
    frame.evaluate("() => { window.map.setZoom(11); }")
    far = wait_for(lambda: (lambda n: n if len(n) < len(near) else None)(
        frame.evaluate(LABELS_JS)), what="fewer labels at zoom 11")
    assert len(far) < len(near)
    # where the map looks is kept in the link
    wait_for(lambda: "zoom=11" in href(page), what="zoom in the URL")


def test_typed_date_moves_the_map(watched, server):
    page, frame = open_app(watched, server)
    wait_idle(page)
    before = frame.evaluate(CONTROL_JS)
    # The date box is a field of year, month and day: typed into, it takes the date when left.
    page.get_by_test_id("stDateInput").get_by_role("spinbutton", name="year").click()
    for part in ("2016", "12", "20"):  # each part moves the caret to the next
        page.keyboard.type(part)
        page.wait_for_timeout(200)
    page.get_by_text("Cordon ·").click()
    wait_for(lambda: url_date(page) == "2016-12-20", what="date in the URL")
    after = wait_for(lambda: (lambda c: c if c != before else None)(
        frame.evaluate(CONTROL_JS)), what="control redrawn")
    assert after != before


def test_play_steps_through_change_dates(watched, server):
    import layers

    changes = [d.isoformat() for d in layers.change_dates(layers.load_scenario("aleppo-2016"))]
    page, frame = open_app(watched, server, "?date=2016-09-15")
    wait_idle(page)
    page.get_by_role("button", name="Play").click()
    seen: list[str] = []
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and len(seen) < 2:
        day = url_date(page)
        if day and day != "2016-09-15" and day not in seen:
            seen.append(day)
        time.sleep(0.2)
    page.get_by_role("button", name="Pause").click()
    wait_idle(page)
    assert len(seen) == 2, seen
    later = [d for d in changes if d > "2016-09-15"]
    assert seen == later[:2], (seen, later[:3])  # each step is the next change date


def test_bad_link_says_what_it_ignored(watched, server):
    page = watched.page
    page.goto(f"{server}/?date=2017-03-01&scenario=nope")
    map_frame(page)
    warning = page.get_by_test_id("stAlert").filter(has_text="cannot be shown")
    warning.wait_for(timeout=30000)
    text = warning.inner_text()
    assert "nope" in text and "2017-03-01" in text
    assert url_date(page) == "2016-09-15"  # then the default


def upload_dated_points(watched, server, tmp_path, stem: str, column: str):
    """Open the page on 2016-09-15 and upload ``<stem>.geojson``: five points dated (in
    ``column``) 5 June, July, August, October and November 2016. Returns (page, map frame)."""
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.1 + i / 50, 36.2]},
         "properties": {"name": f"Point {m}", column: f"2016-{m:02d}-05"}}
        for i, m in enumerate((6, 7, 8, 10, 11))]}
    return open_with_layer(watched, server, tmp_path / f"{stem}.geojson", doc["features"],
                           "?date=2016-09-15")


def test_dated_user_layer_follows_the_date(watched, server, tmp_path):
    page, frame = upload_dated_points(watched, server, tmp_path, "dated", "date")
    assert counts(frame, "user")["user"] == 5  # until confirmed, every feature shows
    page.get_by_test_id("stCheckbox").filter(has_text="follows the map's date").locator(
        "label").click()
    wait_idle(page)
    wait_for(lambda: counts(frame, "user").get("user") == 3, what="3 points by 15 September")
    slider = page.get_by_role("slider").first
    slider.focus()
    slider.press("End")
    wait_idle(page)
    wait_for(lambda: counts(frame, "user").get("user") == 5, what="5 points by 31 December")
    slider.press("Home")
    wait_idle(page)
    wait_for(lambda: "user" not in counts(frame), what="no point on 1 June")


def test_search_for_madaya_lands_in_syria(watched, server):
    page, frame = open_app(watched, server)
    box = page.get_by_label("Find a place")
    box.fill("Madaya")
    box.press("Enter")
    wait_idle(page)
    found = wait_for(lambda: frame.evaluate("""() => { let out = null;
        window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
          if (p && p.layer === 'search' && l.getLatLng) out = l.getLatLng(); }); return out; }"""),
        what="the search marker")
    assert 32 < found["lat"] < 37.5 and 35.5 < found["lng"] < 42.5, found  # Syria
    centre = wait_for(lambda: (lambda c: c if abs(c["lat"] - found["lat"]) < 0.05 else None)(
        frame.evaluate("() => window.map.getCenter()")), what="the map flies there")
    assert abs(centre["lng"] - found["lng"]) < 0.05


def test_failed_online_basemap_says_so(watched, server):
    page, frame = open_app(watched, server)
    page.get_by_role("combobox", name="Basemap").click()
    page.get_by_role("option", name="OpenStreetMap (online)").click()
    page.wait_for_url(re.compile(r"basemap=osm"), timeout=30000)
    note = wait_for(lambda: frame.evaluate("""() => {
        const n = document.querySelector('.cordon-tile-note');
        return n && n.getAttribute('data-failed') === 'yes' && n.offsetParent !== null
          ? n.textContent : null; }"""), what="the failed-basemap note")
    assert "could not be loaded" in note


def test_layout_keeps_the_map_on_the_first_screen(browser, server):
    for width, height in ((1366, 768), (1920, 1080)):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        page = ctx.new_page()
        page.goto(server)
        map_frame(page)
        box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
        assert box["y"] < 200 and box["y"] + box["height"] <= height + 1, (width, box)
        assert box["width"] >= 0.55 * width and box["height"] >= 0.6 * height, (width, box)
        ctx.close()


def test_updating_badge_rule_targets_the_map(watched, server):
    page, _ = open_app(watched, server)
    css = page.evaluate("""() => [...document.styleSheets].flatMap(s => {
        try { return [...s.cssRules].map(r => r.cssText); } catch (e) { return []; } })
        .filter(t => t.includes('updating'))""")
    # the rule is checked, not a race to catch a run in progress
    assert css and all('data-stale="true"' in t and "st_folium" in t for t in css)
