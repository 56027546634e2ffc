"""The page in headless Chromium: renders offline, toggles without reloading, date, export,
report places, and injection payloads that must run nothing."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from .conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
COUNT_JS = """() => {
  const out = {};
  if (!window.map) return null;
  window.map.eachLayer(l => {
    if (l.feature && l.feature.properties && l.feature.properties.layer) {
      const k = l.feature.properties.layer; out[k] = (out[k] || 0) + 1;
    }
  });
  return out;
}"""
CONTROL_JS = """() => {
  const out = {};
  window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (p && p.layer === 'control' && p.id && p.id !== '_hatch') out[p.id] = l.options.fillColor;
  });
  return out;
}"""


def map_frame(page, timeout: float = 30):
    """The st_folium iframe once its Leaflet map exists."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            frame = page.locator(MAP_IFRAME).element_handle(timeout=1000).content_frame()
            if frame is not None and frame.evaluate("() => !!window.map"):
                return frame
        except Exception:  # noqa: BLE001 - frame still loading
            pass
        page.wait_for_timeout(200)
    raise AssertionError("the map did not appear")


def counts(frame, want: str | None = None, *, gone: bool = False, timeout: float = 20) -> dict:
    """Feature counts per layer, waiting until ``want`` is drawn (or gone)."""
    deadline = time.monotonic() + timeout
    got: dict = {}
    while time.monotonic() < deadline:
        got = frame.evaluate(COUNT_JS) or {}
        if want is None or (want in got) != gone:
            return got
        time.sleep(0.2)
    raise AssertionError(f"layer {want!r} {'still drawn' if gone else 'never drawn'}: {got}")


def wait_idle(page) -> None:
    """Wait for Streamlit to finish the current run: no running sign, and no element still
    marked stale (with the minimal toolbar, Streamlit 1.67 shows no running sign at all)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')", timeout=30000)


def open_app(watched, server, query: str = ""):
    page = watched.page
    page.goto(f"{server}/{query}")
    frame = map_frame(page)
    counts(frame, "control")
    return page, frame


def open_with_layer(watched, server, path: Path, features: list[dict], query: str = ""):
    """Open the page (at ``query``) and upload ``features`` (written to ``path``) as a layer."""
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    page, frame = open_app(watched, server, query)
    page.get_by_role("tab", name="My layers").click()
    wait_idle(page)
    page.get_by_test_id("stFileUploader").filter(has_text="Layer file").locator(
        "input[type=file]").set_input_files(str(path))
    wait_idle(page)
    return page, frame


def test_map_renders_scenario_offline(watched, server):
    page, frame = open_app(watched, server)
    got = counts(frame, "control")
    for layer in ("control", "sieges", "corridors", "crossings", "events"):
        assert got.get(layer, 0) > 0, f"no {layer} drawn: {got}"
    assert page.get_by_text("Legend").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-map.png"), full_page=False)
    assert watched.external == [], f"tried to load from outside: {watched.external[:5]}"
    # Leaflet itself came from our static folder.
    assert frame.evaluate("() => [...document.scripts].map(s => s.src).filter(Boolean)")\
        and all("/app/static/vendor/" in s or "/component/" in s for s in frame.evaluate(
            "() => [...document.scripts].map(s => s.src).filter(Boolean)"))


def test_every_tab_stays_offline(watched, server):
    # Charts, the attribution page (Markdown could link images) and the upload boxes too.
    page, frame = open_app(watched, server, "?compare=2016-07-01")
    for tab in ("Summary", "Report", "Over time", "Export", "My layers", "New workspace",
                "About the data"):
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
    page.get_by_text("Control by actor").click()
    wait_idle(page)
    page.wait_for_timeout(500)
    assert page.get_by_text("Attribution", exact=False).first.is_visible()
    assert watched.external == [], f"tried to load from outside: {watched.external[:5]}"
    assert "changes" in counts(frame, "changes")


def test_toggle_layer_keeps_map_and_zoom(watched, server):
    page, frame = open_app(watched, server)
    frame.evaluate("() => { window.__same_map = true; window.map.setZoom(14); }")
    toggle = page.get_by_test_id("stCheckbox").filter(has_text="Events")
    toggle.locator("label").click()
    wait_idle(page)
    got = counts(frame, "events", gone=True)
    assert "control" in got
    assert frame.evaluate("() => window.__same_map === true"), "the map was reloaded"
    assert frame.evaluate("() => window.map.getZoom()") == 14
    assert "events" not in page.url.split("layers=")[1].split("&")[0]
    toggle.locator("label").click()
    wait_idle(page)
    counts(frame, "events")
    assert frame.evaluate("() => window.__same_map === true")


def test_moving_the_date_changes_control(watched, server):
    page, frame = open_app(watched, server)
    before = frame.evaluate(CONTROL_JS)
    slider = page.get_by_role("slider").first
    slider.focus()
    slider.press("End")
    wait_idle(page)
    deadline = time.monotonic() + 20
    after = before
    while time.monotonic() < deadline and after == before:
        time.sleep(0.3)
        after = frame.evaluate(CONTROL_JS)
    assert after != before, "control did not change between the default date and the end"
    assert "date=2016-09-15" not in page.url


def test_geojson_download_is_rfc7946(watched, server, tmp_path):
    page, _ = open_app(watched, server)
    page.get_by_role("tab", name="Export").click()
    wait_idle(page)
    page.get_by_role("button", name="Prepare download").click()
    wait_idle(page)
    with page.expect_download(timeout=30000) as info:
        page.get_by_role("button", name="Download GeoJSON").click()
    path = Path(tmp_path) / "out.geojson"
    info.value.save_as(path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert doc["features"], "empty export"
    for f in doc["features"]:
        assert f["type"] == "Feature" and isinstance(f["properties"], dict)
        for lon, lat in _positions(f["geometry"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
        for ring in _exterior_rings(f["geometry"]):
            assert _signed_area(ring) > 0, "exterior ring not counter-clockwise (RFC 7946 §3.1.6)"


def _positions(geom):
    if geom is None:
        return
    if geom["type"] == "GeometryCollection":
        for g in geom["geometries"]:
            yield from _positions(g)
        return

    def walk(c):
        if isinstance(c[0], (int, float)):
            yield c[0], c[1]
        else:
            for x in c:
                yield from walk(x)

    yield from walk(geom["coordinates"])


def _exterior_rings(geom):
    if geom and geom["type"] == "Polygon":
        yield geom["coordinates"][0]
    elif geom and geom["type"] == "MultiPolygon":
        for poly in geom["coordinates"]:
            yield poly[0]


def _signed_area(ring) -> float:
    pairs = zip(ring[:-1], ring[1:], strict=True)
    return sum(x1 * y2 - x2 * y1 for (x1, y1, *_), (x2, y2, *_) in pairs) / 2


REPORT = ("Aid workers said on Monday that the convoy waited near Aleppo for two days. "
          "Residents of Bustan al-Qasr reported shelling overnight, and the road to "
          "Damascus stayed closed.")


def test_pasted_report_shows_its_places(watched, server):
    page, frame = open_app(watched, server)
    page.get_by_role("tab", name="Report").click()
    wait_idle(page)
    box = page.get_by_label("Report text")
    box.fill(REPORT)
    box.press("Control+Enter")
    wait_idle(page)
    page.get_by_role("button", name="Find places").click()
    wait_idle(page)
    got = counts(frame, "mentions", timeout=60)
    assert got["mentions"] >= 2
    assert page.get_by_text("places,", exact=False).first.is_visible()


PAYLOAD_NAMES = [
    '<img src=x onerror="window.top.__pwned=1;window.__pwned=1;alert(1)">',
    "${(window.top.__pwned=1, alert(1))}",
    "`);window.top.__pwned=1;alert(1);(`",
    "</script><script>window.top.__pwned=1;alert(1)</script>",
]


def test_injection_payloads_run_nothing(watched, server, tmp_path):
    features = [{"type": "Feature", "geometry": {"type": "Point",
                                                 "coordinates": [37.15 + i / 100, 36.2]},
                 "properties": {"name": p, "source": "javascript:window.top.__pwned=1",
                                "url": "javascript:alert(1)", "note": p,
                                p: f"column named {i}"}}  # column names are data too
                for i, p in enumerate(PAYLOAD_NAMES)]
    page, frame = open_with_layer(watched, server, tmp_path / "payloads.geojson", features)
    got = counts(frame, "user")
    assert got["user"] == len(PAYLOAD_NAMES) and got.get("control", 0) > 0
    # Open every popup and tooltip: their HTML is where payloads would fire.
    frame.evaluate("""() => { window.map.eachLayer(l => {
        if (l.getTooltip && l.getTooltip()) l.openTooltip();
        if (l.getPopup && l.getPopup() && l.feature && l.feature.properties.layer === 'user')
            l.openPopup();
    }); }""")
    page.wait_for_timeout(1000)
    assert page.evaluate("() => window.__pwned") is None
    assert frame.evaluate("() => window.__pwned") is None
    assert watched.dialogs == []
    injected = "() => document.querySelectorAll('img[src=x]').length"  # payload as markup
    assert frame.evaluate(injected) == 0 and page.evaluate(injected) == 0
    shown = frame.evaluate("() => document.querySelector('.leaflet-popup-content').textContent")
    assert "window.top.__pwned=1" in shown  # shown as text, not run
    assert "column named" in shown  # the payload-named column is listed too


def test_online_tiles_are_opt_in_with_attribution(watched, server):
    page, frame = open_app(watched, server)
    frame.evaluate("() => { window.__same_map = true; }")
    assert watched.external == []
    page.get_by_role("combobox", name="Basemap").click()
    page.get_by_role("option", name="OpenStreetMap (online)").click()
    # the rerun has happened once the URL carries the choice (a loaded machine is slow)
    page.wait_for_url(re.compile(r"basemap=osm"), timeout=30000)
    wait_idle(page)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not watched.external:
        time.sleep(0.2)
    assert watched.external, "no tile was requested"
    assert all("tile.openstreetmap.org" in u for u in watched.external)
    attribution = frame.evaluate(
        "() => document.querySelector('.leaflet-control-attribution').textContent")
    assert "OpenStreetMap contributors" in attribution
    assert frame.evaluate("() => window.__same_map === true"), "the map was reloaded"
    assert "basemap=osm" in page.url


def test_thousands_of_points_are_drawn_and_each_opens_its_popup(watched, server, tmp_path):
    # 3,000 points in a block, and one set apart: past the size from which the map stamps a
    # layer's points once onto an image it copies while panning (mapscript._drawRun).
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [
        37.10 + (i % 60) * 0.001, 36.20 + (i // 60) * 0.001]},
        "properties": {"name": f"dot {i}"}} for i in range(3000)]
    feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.20, 36.16]},
                  "properties": {"name": "the lone dot"}})
    page, frame = open_with_layer(watched, server, tmp_path / "many.geojson", feats)
    deadline = time.monotonic() + 30
    while counts(frame).get("user", 0) < len(feats) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert counts(frame)["user"] == len(feats)  # each point is its own map layer
    where = """() => { let lone = null;
      window.map.eachLayer(l => { const f = l.feature && l.feature.properties;
        if (f && f.layer === 'user' && String((f._pop || {}).t).includes('lone')) lone = l; });
      window.map.setView(lone.getLatLng(), window.map.getZoom(), {animate: false});
      const p = window.map.latLngToContainerPoint(lone.getLatLng());
      return [p.x, p.y]; }"""
    x, y = frame.evaluate(where)
    for _ in range(2):  # drawn where it is, also after a pan (the copied image moves with it)
        page.wait_for_timeout(500)
        painted = frame.evaluate("""([x, y]) => [...document.querySelectorAll(
            '.leaflet-overlay-pane canvas')].some(c => { const r = c.getBoundingClientRect();
            const d = c.getContext('2d').getImageData(Math.round(x - r.left + window.map
              .getContainer().getBoundingClientRect().left), Math.round(y - r.top + window.map
              .getContainer().getBoundingClientRect().top), 1, 1).data;
            return d[0] > 200 && d[1] > 200 && d[2] > 200 && d[3] > 200; })""", [x, y])
        assert painted, "the point's white fill is not on the canvas"
        frame.evaluate("() => { window.map.panBy([120, 80], {animate: false}); }")
        x, y = x - 120, y - 80
    wait_idle(page)  # the pan's rerun is over
    # Leaflet finds the point under the click on its canvas and opens its popup.
    ox, oy = frame.evaluate("""([x, y]) => { const r = window.map.getContainer()
        .getBoundingClientRect(), c = document.querySelector('.leaflet-overlay-pane canvas')
        .getBoundingClientRect(); return [x + r.left - c.left, y + r.top - c.top]; }""", [x, y])
    frame.locator(".leaflet-overlay-pane canvas").first.click(position={"x": ox, "y": oy})
    page.wait_for_timeout(500)
    shown = frame.evaluate("() => (document.querySelector('.leaflet-popup-content') || {})"
                           ".textContent")
    assert shown and "the lone dot" in shown
