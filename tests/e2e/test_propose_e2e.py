"""A report read into a workspace in headless Chromium (issue 12): paste a report, propose
changes, accept the control proposal, and see the unit change colour on the map."""

from __future__ import annotations

import re
import time
import uuid

import pytest

from .conftest import ARTIFACTS
from .test_map import map_frame, wait_idle
from .test_workspace_e2e import UNIT_JS, until

pytestmark = pytest.mark.e2e

UNIT = "alp-sakhour"  # held by the opposition until 2016-11-28 in the pack
GOV, OPP = "Syrian government forces", "Opposition factions in eastern Aleppo"
REPORT = ("ALEPPO, Nov 22 — Government forces captured the Sakhour district in the "
          "north-east of the city on Sunday, a monitoring group said.\n\nAid agencies said "
          "they were preparing for more families to leave.")
SOURCE = {"Publisher": "Example Wire", "Published (YYYY-MM-DD)": "2016-11-22",
          "URL": "https://wire.example.org/aleppo-2016-11-22",
          "Report title": "Sakhour taken, monitor says"}
CARDS = '[class*="st-key-prop-card-"]'  # one bordered container per proposal


def test_accept_a_proposal_and_the_unit_changes_colour(watched, server, store_path):
    from layers.workspace import create_workspace, open_workspace

    name = f"e2e-prop-{uuid.uuid4().hex[:6]}"
    create_workspace(name, from_pack="aleppo-2016", store=store_path)
    started = time.monotonic()
    page = watched.page
    page.goto(f"{server}/?scenario={name}&date=2016-11-22&layers=control")
    frame = map_frame(page)
    before = until(frame, UNIT_JS, UNIT, lambda v: bool(v))
    assert before["tip"].endswith(f"held by {OPP}"), before

    page.get_by_role("tab", name="Report").click()
    wait_idle(page)
    box = page.get_by_label("Report text")
    box.fill(REPORT)
    box.press("Control+Enter")
    wait_idle(page)
    for label, value in SOURCE.items():
        field = page.get_by_label(label, exact=True)
        field.fill(value)
        field.press("Enter")
        wait_idle(page)
    page.get_by_role("button", name="Propose changes").click()
    wait_idle(page)

    # The control proposal's card: its sentence with the change words marked.
    card = page.locator(CARDS).filter(has_text=re.compile("Control: controlled")).filter(
        has_text="Sakhour").first
    card.wait_for(timeout=60000)
    assert "by Syrian government forces" in card.inner_text()
    assert card.locator("mark.ev-change").first.inner_text().strip() == "captured"
    card.get_by_role("button", name="Accept").click()
    page.get_by_text(re.compile(r"Recorded in .*: Control controlled")).wait_for(timeout=30000)

    after = until(frame, UNIT_JS, UNIT, lambda v: v["fill"] != before["fill"])
    assert after["tip"].endswith(f"held by {GOV}"), after
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-proposal-accepted.png"))

    # The record cites the report and dates the change to the Sunday before publication.
    ws = open_workspace(name, store=store_path)
    rec = next(b for k, _, b in ws.records() if k == "control" and b["place"] == UNIT
               and b["actor"] == "gov" and b["from"] == "2016-11-20")
    assert ws.scenario().sources[rec["sources"]].url == SOURCE["URL"]
    assert watched.external == [] and watched.dialogs == []
    assert page.get_by_test_id("stException").count() == 0
    assert time.monotonic() - started < 90
