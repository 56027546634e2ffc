"""Accepting a report's proposals into a workspace (issue 12): ``layers.accept``.

Real components throughout: a fork of the shipped aleppo-2016 pack in a real store on each
backend (tests/conftest_workspace.py), the real state at a date read back from it. Proposals
are built here the way the engine returns them (the contract in layers/propose/model.py), so
these tests do not depend on how well the engine reads reports.
"""

from __future__ import annotations

import datetime as dt

import pytest

import layers
from layers.propose.model import Proposal, Span, UnmappedPlace
from layers.timeline import state_at
from layers.workspace import Workspace, WorkspaceError
from tests import conftest_workspace
from tests.conftest_workspace import fork, holder, row_count

backend = conftest_workspace.backend  # a store per backend shared by this module's tests

REPORT = {"url": "https://news.example.org/aleppo/2016-11-21", "publisher": "Example News",
          "title": "Aleppo front line update", "published": "2016-11-21"}
SAKHOUR = "alp-sakhour"          # opp-city until the pack's gov record of 2016-11-28
HAYDARIYEH = "alp-haydariyeh"    # the same
TARIQ_AL_BAB = "alp-grp-tariq-al-bab"  # an alias standing for two units


def proposal(kind: str = "control", places: tuple[str, ...] = (SAKHOUR,),
             actor: str | None = "gov", status: str = "controlled",
             date: str | None = "2016-11-20", **more) -> Proposal:
    """A proposal as the engine would give it, with its sentence and evidence offsets."""
    sentence = more.pop("sentence", "Government forces captured al-Sakhour on Sunday, "
                                     "according to a monitoring group.")
    evidence = more.pop("evidence", (Span(0, len(sentence), "sentence"), Span(18, 26, "change")))
    return Proposal(kind=kind, places=places, actor=actor, status=status, date=date,
                    date_precision=more.pop("date_precision", "day"), evidence=evidence,
                    confidence=more.pop("confidence", 0.8), sentence=sentence, **more)


@pytest.fixture
def ws(backend: str) -> Workspace:
    """A fork of its own for one test."""
    return fork(backend, "accept")


def source_ids(state, place: str) -> list[str]:
    rows = state.control[state.control["id"] == place]
    return rows.iloc[0]["sources"].split(";")


# -- control -------------------------------------------------------------------------------
def test_accepted_control_changes_the_holder_from_its_date(ws: Workspace) -> None:
    before = holder(state_at(ws.scenario(), dt.date(2016, 11, 19)), SAKHOUR)
    assert before[0] != "gov"

    ids = layers.accept(ws, proposal(), source=REPORT, by="analyst")

    sc = ws.scenario()
    assert holder(state_at(sc, dt.date(2016, 11, 19)), SAKHOUR)[:2] == before[:2]
    actor, status, record = holder(state_at(sc, dt.date(2016, 11, 20)), SAKHOUR)
    assert (actor, status) == ("gov", "controlled") and [record] == ids


def test_the_report_is_the_source_and_the_note_quotes_it(ws: Workspace) -> None:
    p = proposal(reasons=("hedged: 'reportedly'", "date from the publication date"),
                 claimant="gov", confidence=0.55)
    [rid] = layers.accept(ws, p, source=REPORT, by="analyst")

    sc = ws.scenario()
    [sid] = source_ids(state_at(sc, dt.date(2016, 11, 20)), SAKHOUR)
    src = sc.sources[sid]
    assert (src.url, src.publisher, src.title, src.date) == (
        REPORT["url"], REPORT["publisher"], REPORT["title"], REPORT["published"])
    body = next(b for k, i, b in ws.records() if i == rid)
    assert f"“{p.sentence}”" in body["note"]
    assert "hedged: 'reportedly'" in body["note"] and "Claimed by gov" in body["note"]
    assert body["confidence"] == "medium"  # 0.55 maps to medium
    last = ws.history(record=rid)[-1]
    assert last["op"] == "record"


def test_an_existing_source_id_is_cited_without_a_new_source(ws: Workspace) -> None:
    sid = next(iter(ws.scenario().sources))
    sources_before = sum(1 for k, _, _ in ws.records() if k == "source")
    layers.accept(ws, proposal(), source=sid)
    assert sum(1 for k, _, _ in ws.records() if k == "source") == sources_before
    assert source_ids(state_at(ws.scenario(), dt.date(2016, 11, 20)), SAKHOUR) == [sid]


def test_an_edited_proposal_is_recorded_as_edited(ws: Workspace) -> None:
    edits = {"places": [HAYDARIYEH], "actor": None, "status": "contested",
             "date": "2016-11-22", "confidence": "low", "note": "Checked against a map."}
    [rid] = layers.accept(ws, proposal(), source=REPORT, edits=edits)

    sc = ws.scenario()
    assert holder(state_at(sc, dt.date(2016, 11, 22)), HAYDARIYEH)[1:] == ("contested", rid)
    assert holder(state_at(sc, dt.date(2016, 11, 21)), HAYDARIYEH)[1] == "controlled"
    assert holder(state_at(sc, dt.date(2016, 11, 22)), SAKHOUR)[0] != "gov"  # not the proposed
    body = next(b for k, i, b in ws.records() if i == rid)
    assert body["confidence"] == "low" and body["note"].startswith("Checked against a map.")


def test_an_alias_is_recorded_on_each_of_its_units(ws: Workspace) -> None:
    from geo.places import units_of

    units = units_of(TARIQ_AL_BAB)
    assert len(units) > 1
    ids = layers.accept(ws, proposal(places=(TARIQ_AL_BAB,)), source=REPORT)
    state = state_at(ws.scenario(), dt.date(2016, 11, 20))
    assert sorted(holder(state, u)[2] for u in units) == sorted(ids)
    assert all(holder(state, u)[0] == "gov" for u in units)


def test_week_precision_is_recorded_as_approximate(ws: Workspace) -> None:
    [rid] = layers.accept(ws, proposal(date_precision="week"), source=REPORT)
    body = next(b for k, i, b in ws.records() if i == rid)
    assert body["from_precision"] == "approximate"


# -- refusals: one clear line, nothing written ----------------------------------------------
def test_a_place_the_scenario_lacks_is_refused_for_control(ws: Workspace, backend: str) -> None:
    far = UnmappedPlace(text="Manbij", start=30, end=36, name="Manbij", lat=36.5281,
                        lon=37.9549, kind="city", country="SY", source="geonames:166365")
    rows = row_count(backend)
    with pytest.raises(WorkspaceError) as err:
        layers.accept(ws, proposal(places=(), unmapped=(far,)), source=REPORT)
    assert "'Manbij'" in str(err.value) and "no place" in str(err.value)
    assert "\n" not in str(err.value)
    assert row_count(backend) == rows  # not even the source


def test_accepting_twice_is_refused_not_duplicated(ws: Workspace, backend: str) -> None:
    [rid] = layers.accept(ws, proposal(), source=REPORT)
    rows = row_count(backend)
    for edits in (None, {"date": "2016-11-23"}):  # edited or not, it is the same claim
        with pytest.raises(WorkspaceError, match=f"accepted already.*{rid}"):
            layers.accept(ws, proposal(), source=REPORT, edits=edits)
    assert row_count(backend) == rows


@pytest.mark.parametrize("edits, words", [
    ({"actor": "nobody"}, "actor 'nobody' is not an actor"),
    ({"status": "held"}, "control status 'held'"),
    ({"date": "20/11/2016"}, "is not a date YYYY-MM-DD"),
    ({"date": None}, "has no date"),
    ({"confidence": "sure"}, "confidence 'sure'"),
    ({"places": ["alp-nowhere"]}, "not a unit, group or area"),
    ({"colour": "red"}, "cannot edit colour"),
])
def test_bad_edits_are_one_line_and_write_nothing(ws: Workspace, backend: str, edits: dict,
                                                  words: str) -> None:
    rows = row_count(backend)
    with pytest.raises(WorkspaceError) as err:
        layers.accept(ws, proposal(), source=REPORT, edits=edits)
    assert words in str(err.value) and "\n" not in str(err.value)
    assert row_count(backend) == rows


def test_a_report_without_a_url_or_an_unknown_source_is_refused(ws: Workspace) -> None:
    with pytest.raises(WorkspaceError, match="needs a URL"):
        layers.accept(ws, proposal(), source={**REPORT, "url": ""})
    with pytest.raises(WorkspaceError, match="not a source of this workspace"):
        layers.accept(ws, proposal(), source="no-such-source")
    with pytest.raises(WorkspaceError, match="not YYYY"):
        layers.accept(ws, proposal(), source={**REPORT, "published": "Monday"})


# -- sieges --------------------------------------------------------------------------------
def test_a_siege_imposed_is_a_new_siege_citing_the_report(ws: Workspace) -> None:
    p = proposal("siege", places=("alp-sheikh-maqsoud",), actor="gov", status="imposed",
                 date="2016-06-10", sentence="Government forces besieged Sheikh Maqsoud.")
    [rid] = layers.accept(ws, p, source=REPORT)
    sc = ws.scenario()
    siege = next(s for s in sc.sieges if s.id == rid)
    assert siege.besiegers == ("gov",) and siege.interval.start == dt.date(2016, 6, 10)
    assert siege.besieged == ("ypg",)  # who held the place then, hostile to the besieger
    assert sc.sources[siege.sources[0]].url == REPORT["url"]
    assert rid in set(state_at(sc, dt.date(2016, 6, 11)).sieges["id"])
    assert rid not in set(state_at(sc, dt.date(2016, 6, 9)).sieges["id"])


def test_a_siege_broken_ends_the_siege_in_question(ws: Workspace) -> None:
    day = dt.date(2016, 10, 20)
    assert "siege-east-aleppo" in set(state_at(ws.scenario(), day).sieges["id"])
    p = proposal("siege", places=("alp-sakhour",), actor="opp-city", status="broken",
                 date=day.isoformat(), sentence="Rebels broke the siege of eastern Aleppo.")
    assert layers.accept(ws, p, source=REPORT) == ["siege-east-aleppo"]

    sc = ws.scenario()
    assert "siege-east-aleppo" in set(state_at(sc, day - dt.timedelta(days=1)).sieges["id"])
    assert "siege-east-aleppo" not in set(state_at(sc, day).sieges["id"])
    siege = next(s for s in sc.sieges if s.id == "siege-east-aleppo")
    assert sc.sources[siege.sources[-1]].url == REPORT["url"]
    why = ws.history(record="siege-east-aleppo")[-1]["reason"]
    assert why.startswith("broken on 2016-10-20") and "Rebels broke the siege" in why
    with pytest.raises(WorkspaceError, match="ended on 2016-10-20 already"):
        layers.accept(ws, p, source={**REPORT, "url": REPORT["url"] + "?again"})


def test_a_siege_end_without_a_siege_in_force_is_refused(ws: Workspace) -> None:
    p = proposal("siege", places=("alp-sakhour",), actor="opp-city", status="ended",
                 date="2016-12-30")
    with pytest.raises(WorkspaceError, match="no siege in force on 2016-12-30"):
        layers.accept(ws, p, source=REPORT)


# -- access --------------------------------------------------------------------------------
def test_access_on_a_road_records_its_corridor_status(ws: Workspace) -> None:
    p = proposal("access", places=("pl-ramouseh-road",), actor=None, status="open",
                 date="2016-08-12", sentence="The Ramouseh road reopened to traffic.")
    assert layers.accept(ws, p, source=REPORT) == ["ramouseh-route"]
    sc = ws.scenario()

    def status(day: str) -> str:
        c = state_at(sc, dt.date.fromisoformat(day)).corridors
        return c[c["id"] == "ramouseh-route"].iloc[0]["status"]

    assert (status("2016-08-11"), status("2016-08-12")) == ("under_fire", "open")


def test_access_status_a_crossing_cannot_have_is_refused(ws: Workspace) -> None:
    p = proposal("access", places=("bab-al-salam",), actor=None, status="under_fire",
                 date="2016-08-12")
    with pytest.raises(WorkspaceError, match="'under_fire'"):
        layers.accept(ws, p, source=REPORT)


# -- events --------------------------------------------------------------------------------
def test_an_event_at_a_place_of_the_scenario(ws: Workspace) -> None:
    p = proposal("event", places=(SAKHOUR,), actor="russia", status="airstrike",
                 date="2016-11-16", sentence="Air strikes hit al-Sakhour overnight.")
    [rid] = layers.accept(ws, p, source=REPORT)
    ev = state_at(ws.scenario(), dt.date(2016, 11, 16)).events
    row = ev[ev["id"] == rid].iloc[0]
    assert (row["type"], row["date"]) == ("strike", "2016-11-16")
    assert "Air strikes hit al-Sakhour" in row["description"]


def test_an_event_at_an_unmapped_place_uses_the_geocoder_point(ws: Workspace) -> None:
    far = UnmappedPlace(text="Manbij", start=0, end=6, name="Manbij", lat=36.5281,
                        lon=37.9549, kind="city", country="SY", source="geonames:166365")
    p = proposal("event", places=(), unmapped=(far,), actor=None, status="offensive",
                 date="2016-08-12", sentence="Manbij was stormed.")
    [rid] = layers.accept(ws, p, source=REPORT)
    ev = state_at(ws.scenario(), dt.date(2016, 8, 12)).events
    point = ev[ev["id"] == rid].iloc[0].geometry
    assert (round(point.x, 4), round(point.y, 4)) == (37.9549, 36.5281)


# -- the page's review list (ui/proposals.py): what reaches the browser ---------------------
def test_evidence_is_marked_and_everything_from_the_report_is_escaped() -> None:
    from layers.catalog import load_scenario
    from ui.proposals import card_html, evidence_html

    text = ("Intro. Troops <b>captured</b> {{ 7*7 }} `x` ${alert(1)} on Sunday. Next.")
    start, end = text.index("Troops"), text.index(". Next") + 1
    change = text.index("captured")
    p = proposal(sentence=text[start:end], claimant="<i>gov</i>",
                 reasons=("hedged: '{% x %}'",),
                 evidence=(Span(start, end, "sentence"), Span(change, change + 8, "change"),
                           Span(change + 2, change + 5, "actor"),  # overlaps: not marked
                           Span(0, 5, "place")))                    # outside: not marked
    html = evidence_html(p, text)
    assert html.count("<mark") == 1 and 'class="ev-change"' in html
    assert ">captured</mark>" in html and "Intro" not in html and "Next" not in html
    for live in ("<b>", "{{", "}}", "`", "${"):
        assert live not in html.replace("<mark", "").replace("</mark>", "")
    card = card_html(load_scenario("aleppo-2016"), p, text)
    for live in ("<i>gov", "{%", "{{"):
        assert live not in card


def test_only_the_fields_the_analyst_changed_are_edits() -> None:
    from ui.proposals import edits_from

    p = proposal()
    key = "k_"
    untouched = {key + "places": [SAKHOUR], key + "actor": "gov", key + "status": "controlled",
                 key + "date": dt.date(2016, 11, 20), key + "confidence": "high",
                 key + "note": "", key + "title": ""}
    assert edits_from(p, key, untouched, "2016-11-21") == {}
    changed = {**untouched, key + "date": dt.date(2016, 11, 22), key + "actor": None,
               key + "note": "seen on a map"}
    assert edits_from(p, key, changed, "2016-11-21") == {
        "date": "2016-11-22", "date_precision": "day", "actor": None, "note": "seen on a map"}
    undated = proposal(date=None, date_precision="unknown")
    shown = {**untouched, key + "date": dt.date(2016, 11, 21)}  # the publication date
    assert edits_from(undated, key, shown, "2016-11-21") == {"date": "2016-11-21"}


def test_on_a_pack_the_page_forks_then_records_the_accepted_change(tmp_path, monkeypatch
                                                                    ) -> None:
    """The page end to end (Streamlit's AppTest, the real engine): propose on a pack, fork it
    from the proposals, accept — the workspace holds the change citing the report."""
    from streamlit.testing.v1 import AppTest

    from layers.workspace import open_workspace

    monkeypatch.setenv("CORDON_STORE", str(tmp_path / "store.gpkg"))
    at = AppTest.from_file(str(conftest_workspace.ROOT / "app.py"), default_timeout=180)
    at.query_params.update({"scenario": "aleppo-2016", "date": "2016-11-22"})
    at.session_state["tab"] = "Report"  # its widgets are drawn only while it is open
    at.run()
    at.text_area(key="report_text").set_value(
        "Government forces captured the Sakhour district on Sunday, a monitoring group said.")
    for key, value in (("report_publisher", REPORT["publisher"]),
                       ("report_date", "2016-11-22"), ("report_url", REPORT["url"]),
                       ("report_title", REPORT["title"])):
        at.text_input(key=key).set_value(value)
    at.run()
    at.button(key="prop_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    accept = next(b for b in at.button if (b.key or "").endswith("_accept"))
    assert accept.disabled  # a pack is never written to

    at.text_input(key="prop_fork_name").set_value("from-report")
    at.button(key="prop_fork_go").click().run()
    assert at.session_state["scenario"] == "from-report"
    accept = next(b for b in at.button if (b.key or "").endswith("_accept"))
    assert not accept.disabled
    accept.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith("Recorded in from") for s in at.success), [
        e.value for e in at.error]

    ws = open_workspace("from-report", store=str(tmp_path / "store.gpkg"))
    state = state_at(ws.scenario(), dt.date(2016, 11, 21))
    assert holder(state, SAKHOUR)[0] == "gov"
    assert ws.scenario().sources[source_ids(state, SAKHOUR)[0]].url == REPORT["url"]
