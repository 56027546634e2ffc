"""The link follows the last view (issue 15): a pan or zoom made while a run is still on its
way to the browser must not put an older date (or anything else) back into the address."""

from __future__ import annotations

import re

import pytest

from .test_briefing_map import href, url_date, wait_for
from .test_map import map_frame, wait_idle

pytestmark = pytest.mark.e2e


class HeldReplies:
    """Holds the server's messages to the page while ``on`` (the run the page asked for goes
    ahead on the server, but the page still shows, and sends, the old address), then lets
    them through in order."""

    def __init__(self, page):
        self.on = False
        self.held: list = []
        self.pages: list = []
        page.route_web_socket(re.compile(r"/_stcore/stream"), self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        self.pages.append(ws)
        server.on_message(lambda m: self.held.append((ws, m)) if self.on else ws.send(m))

    def release(self) -> None:
        self.on = False
        while self.held:
            ws, m = self.held.pop(0)
            ws.send(m)


def test_zoom_during_a_run_keeps_that_runs_date_in_the_link(watched, server):
    import layers

    page = watched.page
    replies = HeldReplies(page)
    page.goto(f"{server}/?date=2016-09-15")
    frame = map_frame(page)
    wait_idle(page)
    wait_for(lambda: url_date(page) == "2016-09-15", what="the link's date")
    later = [d for d in layers.change_dates(layers.load_scenario("aleppo-2016"))
             if d.isoformat() > "2016-09-15"][0].isoformat()
    replies.on = True
    page.locator(".st-key-day_next button").first.click()  # a run: the next change date
    page.wait_for_timeout(1500)  # it runs on the server; the page has not heard back
    frame.evaluate("() => { window.map.setView([36.21, 37.13], 14); }")
    page.wait_for_timeout(1500)  # the map's zoom goes to the server and is run there too
    assert replies.held, "no reply was held: the run did not reach the server"
    replies.release()
    wait_for(lambda: "zoom=14" in href(page) and url_date(page) == later, timeout=20,
             what=f"zoom 14 and {later} in the link")
    page.wait_for_timeout(1000)  # and it stays so once everything has arrived
    assert "zoom=14" in href(page) and "center=36.21" in href(page) and url_date(page) == later
