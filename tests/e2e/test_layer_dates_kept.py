"""A dated user layer keeps its date columns in the working store (issue 15): confirmed once,
it follows the map's date in a new session too, with nothing ticked there."""

from __future__ import annotations

import pytest

from .test_briefing_map import upload_dated_points, wait_for
from .test_map import counts, map_frame, wait_idle

pytestmark = pytest.mark.e2e


def test_a_dated_layer_follows_the_slider_in_a_new_session(watched, browser, server,
                                                          store_path, tmp_path):
    from layers.store import Store

    page, frame = upload_dated_points(watched, server, tmp_path, "patrols", "seen")
    counts(frame, "user")
    page.get_by_test_id("stCheckbox").filter(has_text="“patrols” follows").locator(
        "label").click()
    wait_idle(page)
    wait_for(lambda: counts(frame, "user").get("user") == 3, what="3 patrols by 15 September")
    wait_for(lambda: Store(store_path).time("patrols") == ("seen", None),
             what="the date column kept in the store")
    assert "time" in list(Store(store_path).history("patrols")["operation"])

    # A new session (a reload, or a teammate): the layer is dated without asking again.
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        fresh = other.new_page()
        fresh.goto(f"{server}/?date=2016-09-15&mine=patrols")
        again = map_frame(fresh)
        wait_for(lambda: counts(again, "user").get("user") == 3,
                 what="3 patrols by 15 September in the new session")
        slider = fresh.get_by_role("slider").first
        slider.focus()
        slider.press("End")
        wait_for(lambda: counts(again, "user").get("user") == 5,
                 what="5 patrols by 31 December in the new session")
    finally:
        other.close()
