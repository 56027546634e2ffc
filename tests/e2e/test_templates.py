"""A stored layer whose names are Jinja syntax, in headless Chromium: the map draws and its
tooltips and popups show the braces as text; nothing runs, on the server or in the page."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from .test_map import counts, open_app, wait_idle

pytestmark = pytest.mark.e2e

NAMES = ["{{ 7*7 }}", "{# x", "{% x %}", "{% if true %}X{% endif %}"]


def test_template_names_in_a_stored_layer_show_as_text(watched, server, store_path):
    import geopandas as gpd
    from shapely.geometry import Point

    import layers

    pwned = Path("/tmp") / f"PWNED_e2e_{uuid.uuid4().hex}"
    os_ = "lipsum.__globals__.os"
    rce = ["{{ " + os_ + ".popen('touch " + str(pwned) + "').read() }}",
           # without quotes, which HTML escaping would break: built from Jinja's own objects
           "{{ " + os_ + ".popen((dict(touch=1)|first) ~ (lipsum|string)[9] ~ " + os_
           + ".sep ~ (dict(tmp=1)|first) ~ " + os_ + ".sep ~ (dict(" + pwned.name
           + "=1)|first)).read() }}"]
    names = [*NAMES, *rce]
    layer = gpd.GeoDataFrame(
        {"name": names, "{{ 7*7 }} column": [f"value {n}" for n in names],
         "note": ["{# note"] * len(names)},
        geometry=[Point(37.15 + i / 100, 36.2) for i in range(len(names))], crs="EPSG:4326")
    layers.Store(store_path).add_layer("braces", layer, source="e2e test")
    try:
        page, frame = open_app(watched, server)
        page.get_by_role("tab", name="My layers").click()
        wait_idle(page)
        picker = page.get_by_role("combobox", name="Layers in the working store")
        picker.click()
        picker.press("ArrowDown")  # opens the list of options
        page.get_by_role("option", name="braces").click()
        page.keyboard.press("Escape")
        wait_idle(page)
        got = counts(frame, "user")
        assert got["user"] == len(names) and got.get("control", 0) > 0, got
        # Every tooltip at once, then each popup in turn (Leaflet shows one popup at a time).
        tips = frame.evaluate("""() => { window.map.eachLayer(l => {
            if (l.feature && l.feature.properties.layer === 'user' && l.getTooltip())
                l.openTooltip(); });
            return [...document.querySelectorAll('.leaflet-tooltip')].map(t => t.textContent);
        }""")
        popups = frame.evaluate("""() => { const out = [];
            window.map.eachLayer(l => {
                if (l.feature && l.feature.properties.layer === 'user' && l.getPopup()) {
                    l.openPopup();
                    out.push(l.getPopup().getElement()
                        .querySelector('.leaflet-popup-content').textContent);
                }
            });
            return out; }""")
        assert len(popups) == len(names), popups
        # Exactly the names, braces and all: nothing evaluated ("49", "X") or swallowed ("{#").
        assert sorted(tips) == sorted(f"braces · {name}" for name in names), tips
        for name in names:
            assert any(p.startswith(name) for p in popups), (name, popups)
        text = " ".join(popups)
        assert "{{ 7*7 }} column" in text and "{# note" in text  # column names and values
        assert "value {{ 7*7 }}" in text and "value 49" not in text and "value X" not in text
        assert not pwned.exists(), "a template in a stored layer ran a shell command"
        assert page.evaluate("() => window.__pwned") is None
        assert watched.dialogs == [] and watched.external == []
        assert page.get_by_test_id("stException").count() == 0
    finally:
        pwned.unlink(missing_ok=True)
