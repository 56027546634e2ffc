"""Workspaces: living scenarios in the store (layers/workspace/, issue 10), through the API.

Real components throughout: a real store per backend (see tests/conftest_workspace.py), the
shipped aleppo-2016 pack, real processes for the concurrency and killed-writer tests. The CLI
is tested in tests/test_workspace_cli.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import random
import time
from pathlib import Path

import pytest

from layers.catalog import find_scenario, load_scenario
from layers.timeline import change_dates, changes, state_at
from layers.workspace import (
    ConflictError,
    Workspace,
    WorkspaceError,
    create_workspace,
    known_on,
    list_workspaces,
    open_backend,
    open_workspace,
    read_pack_records,
)
from tests import conftest_workspace
from tests.conftest_workspace import (
    PACK,
    SOURCE,
    as_user,
    fork,
    holder,
    log_rows,
    row_count,
    settle,
    signature,
    stamped_by,
)

backend = conftest_workspace.backend  # a store per backend shared by this module's tests

HANANO = "alp-hanano"  # opp-city (ctl-75) until 2016-11-26, then gov (ctl-76)


def stamp(text: str) -> dt.datetime:
    """A ``recorded_at`` as an aware datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def pack():
    return load_scenario(PACK)


@pytest.fixture(scope="module")
def aleppo(backend: str) -> Workspace:
    """A fork by alice that nobody writes to (tests that try must fail to)."""
    alice, by, _ = as_user(backend, "alice")
    return fork(alice, "aleppo", by=by)


@pytest.fixture(scope="module")
def scratch(backend: str) -> Workspace:
    """A fork shared by tests that each write to places of their own."""
    return fork(backend, "scratch")


@pytest.fixture
def ws(backend: str) -> Workspace:
    """A fork of its own for one test."""
    return fork(backend, "own")


# -- 1. fork ---------------------------------------------------------------------------------
def test_fork_keeps_every_record_and_id(aleppo: Workspace, backend: str) -> None:
    original = {(k, i): b for k, i, b in read_pack_records(find_scenario(PACK))}
    forked = {(k, i): b for k, i, b in aleppo.records()}
    assert forked.keys() == original.keys()
    for key, body in original.items():
        expect = {**body, "id": aleppo.name} if key == ("manifest", "manifest") else body
        assert forked[key] == expect, key
    # Control rows are named by their line in control.csv, the same way every time.
    assert forked[("control", "ctl-75")]["place"] == HANANO
    assert forked[("control", "ctl-76")]["actor"] == "gov"
    assert aleppo.scenario().manifest.id == aleppo.name
    hist = aleppo.history()
    assert len(hist) == len(original)
    assert {(h["op"], h["recorded_by"], h["reason"]) for h in hist} == {
        ("fork", as_user(backend, "alice")[2], f"forked from pack {PACK}")}
    assert aleppo.name in [w["name"] for w in list_workspaces(backend)]


def test_fork_state_equals_pack(aleppo: Workspace, pack) -> None:
    days = change_dates(pack)
    assert change_dates(aleppo.scenario()) == days
    for day in [*days[::6], days[-1], pack.default_date]:
        assert signature(state_at(aleppo.scenario(), day)) == signature(state_at(pack, day)), day
    # The state cites the record by its id.
    assert holder(state_at(aleppo.scenario(), "2016-11-27"), HANANO) == (
        "gov", "controlled", "ctl-76")


def test_open_unknown_workspace_names_the_store(aleppo: Workspace, backend: str) -> None:
    with pytest.raises(WorkspaceError, match=rf"no workspace 'nope' in store .*{aleppo.name}"):
        open_workspace("nope", backend)


def test_records_that_do_not_validate_leave_nothing_behind(store: str) -> None:
    records = read_pack_records(find_scenario(PACK))
    bad = [(k, i, {**b, "actor": "martians"} if i == "ctl-75" else b) for k, i, b in records]
    with pytest.raises(WorkspaceError, match="record 'ctl-75'.*martians"):
        create_workspace("broken", records=bad, store=store)
    assert list_workspaces(store) == []
    assert row_count(store) == 0
    create_workspace("broken", records=records, store=store)  # the name was not taken


def test_a_workspace_whose_creation_never_finished_says_so(store: str) -> None:
    # Registered, then the creating process died before its records were written.
    ws = Workspace("halfway", open_backend(store))
    ws.backend.create("halfway", "Half made", "tester")
    for attempt in (ws.scenario,
                    lambda: ws.record_control(["alp-hanano"], actor="gov",
                                              status="controlled", start="2016-11-10",
                                              sources=[SOURCE])):
        with pytest.raises(WorkspaceError, match="'halfway' holds no records"):
            attempt()
    assert row_count(store) == 0


# -- 2. recording control ---------------------------------------------------------------------
def test_record_control_changes_the_map_from_its_date(ws: Workspace, backend: str,
                                                      pack) -> None:
    bob_store, by, bob = as_user(backend, "bob")
    rows_before, t_before = row_count(backend), dt.datetime.now(dt.UTC)
    ids, notes = open_workspace(ws.name, bob_store).record_control(
        [HANANO], actor="gov", status="controlled", start="2016-11-10", sources=[SOURCE],
        confidence="high", by=by)
    t_after = dt.datetime.now(dt.UTC)
    [rid] = ids
    assert rid.startswith("ctl-20161110-")
    assert notes == [f"{HANANO}: runs until the next recorded change on 2016-11-26"]
    sc = ws.scenario()
    assert holder(state_at(sc, "2016-11-09"), HANANO) == ("opp-city", "controlled", "ctl-75")
    assert holder(state_at(sc, "2016-11-10"), HANANO) == ("gov", "controlled", rid)
    assert holder(state_at(sc, "2016-11-25"), HANANO) == ("gov", "controlled", rid)
    assert holder(state_at(sc, "2016-11-26"), HANANO) == ("gov", "controlled", "ctl-76")
    moved = changes(sc, "2016-11-09", "2016-11-10").control
    assert HANANO in set(moved["id"])
    assert dt.date(2016, 11, 10) in change_dates(sc)
    ws_km2, pack_km2 = (state_at(s, "2016-11-10").zones.query("actor == 'gov'")["area_km2"]
                        .sum() for s in (sc, pack))
    assert ws_km2 > pack_km2
    assert holder(state_at(pack, "2016-11-10"), HANANO)[0] == "opp-city"  # the pack is as was

    # The record in force was ended on that date by a new version naming the new record.
    old = ws.history(record="ctl-75")
    assert [h["body"]["to"] for h in old] == ["2016-11-26", "2016-11-10"]
    assert old[-1]["reason"] == f"ended by {rid}"
    assert old[-1]["supersedes"] == old[0]["seq"]
    assert (old[-1]["op"], old[-1]["recorded_by"]) == ("record", bob)
    assert row_count(backend) == rows_before + 2

    # The place's history says who recorded what, when, from which source.
    [new] = [h for h in ws.history(place=HANANO) if h["id"] == rid]
    assert new["recorded_by"] == bob and new["op"] == "record"
    assert t_before <= stamp(new["recorded_at"]) <= t_after
    assert new["body"]["sources"] == SOURCE and new["body"]["confidence"] == "high"
    assert new["body"]["from"] == "2016-11-10" and new["body"]["to"] == "2016-11-26"
    assert {"ctl-75", "ctl-76", rid} <= {h["id"] for h in ws.history(place=HANANO)}
    with pytest.raises(WorkspaceError, match="unknown place id 'alp-nowhere'"):
        ws.history(place="alp-nowhere")


def test_recorded_by_is_cordon_user_or_by(scratch: Workspace, backend: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORDON_USER", "carol")
    [a], _ = scratch.record_control(["alp-aajam"], actor="gov", status="controlled",
                                    start="2016-11-20", sources=[SOURCE])
    [b], _ = scratch.record_control(["alp-abraj"], actor="gov", status="controlled",
                                    start="2016-11-20", sources=[SOURCE], by="dave")
    who = {h["id"]: h["recorded_by"] for h in scratch.history() if h["op"] == "record"}
    # The new record and the one it ended; by= wins over $CORDON_USER (on a team store the
    # server stamps its own user over both).
    assert who[a] == who["ctl-2"] == stamped_by(backend, "carol")
    assert who[b] == who["ctl-5"] == stamped_by(backend, "dave")


def test_record_access_ends_the_status_in_force(scratch: Workspace) -> None:
    target, _ = scratch.record_access("castello-road", status="open", start="2016-12-01",
                                      sources=[SOURCE], by="bob")
    body = next(b for k, i, b in scratch.records() if i == target)
    assert [(s["status"], s["from"], s["to"]) for s in body["statuses"]][-2:] == [
        ("closed", "2016-07-17", "2016-12-01"), ("open", "2016-12-01", "2016-12-22")]

    def status(day: str) -> str:
        c = state_at(scratch.scenario(), day).corridors
        return c.loc[c["id"] == "castello-road", "status"].item()

    assert (status("2016-11-30"), status("2016-12-01")) == ("closed", "open")
    with pytest.raises(WorkspaceError, match="no corridor or crossing 'nope'"):
        scratch.record_access("nope", status="open", start="2016-12-01", sources=[SOURCE])


# -- 3. correct and retract -------------------------------------------------------------------
def test_correct_and_retract_supersede_and_keep_history(ws: Workspace, backend: str,
                                                        pack) -> None:
    [rid], _ = ws.record_control([HANANO], actor="gov", status="controlled",
                                 start="2016-11-10", sources=[SOURCE], by="bob")
    log = log_rows(backend)

    for reason in ("", "   "):
        with pytest.raises(WorkspaceError, match="needs --reason"):
            ws.correct(rid, {"actor": "russia"}, reason=reason)
        with pytest.raises(WorkspaceError, match="needs --reason"):
            ws.retract(rid, reason=reason)
    with pytest.raises(WorkspaceError, match="id cannot be corrected"):
        ws.correct(rid, {"id": "ctl-x"}, reason="rename")
    assert log_rows(backend) == log

    ws.correct(rid, {"actor": "russia"}, reason="Russian forces, per the source", by="erin")
    assert holder(state_at(ws.scenario(), "2016-11-12"), HANANO)[:2] == ("russia",
                                                                        "controlled")
    # A later start: the record it ended now ends on the new start (no gap, no overlap).
    ws.correct(rid, {"from": "2016-11-12"}, reason="the report was dated wrong", by="erin")
    sc = ws.scenario()
    assert holder(state_at(sc, "2016-11-11"), HANANO) == ("opp-city", "controlled", "ctl-75")
    assert holder(state_at(sc, "2016-11-12"), HANANO) == ("russia", "controlled", rid)
    ended = ws.history(record="ctl-75")[-1]
    assert ended["body"]["to"] == "2016-11-12" and rid in ended["reason"]

    # Retracting gives the span back to the record it had ended: the map is the pack's again.
    ws.retract(rid, reason="a false report", by="erin")
    sc = ws.scenario()
    assert rid not in {i for _, i, _ in ws.records()}
    assert holder(state_at(sc, "2016-11-12"), HANANO) == ("opp-city", "controlled", "ctl-75")
    assert ws.history(record="ctl-75")[-1]["body"]["to"] == "2016-11-26"
    for day in ("2016-11-09", "2016-11-12", "2016-11-26"):
        assert signature(state_at(sc, day)) == signature(state_at(pack, day)), day

    versions = ws.history(record=rid)
    assert [(h["op"], h["retracted"]) for h in versions] == [
        ("record", False), ("correct", False), ("correct", False), ("retract", True)]
    assert [h["body"]["actor"] for h in versions[:3]] == ["gov", "russia", "russia"]
    assert [h["body"]["from"] for h in versions[:3]] == ["2016-11-10"] * 2 + ["2016-11-12"]
    assert [h["supersedes"] for h in versions[1:]] == [h["seq"] for h in versions[:-1]]
    assert versions[-1]["reason"] == "a false report"
    # Append-only: every row there before is still there, unchanged; rows only grow.
    after = log_rows(backend)
    assert after[:len(log)] == log and len(after) > len(log)
    assert [r[0] for r in after] == sorted({r[0] for r in after})


def test_validation_names_record_ids(aleppo: Workspace, backend: str) -> None:
    before = (aleppo.version, row_count(backend))
    with pytest.raises(WorkspaceError) as exc:
        aleppo.correct("ctl-76", {"from": "2016-11-01"}, reason="an earlier report")
    msg = str(exc.value)
    assert "control.csv: record 'ctl-76' (alp-hanano): field 'from'" in msg
    assert "overlaps record 'ctl-75'" in msg and "\n" not in msg
    with pytest.raises(WorkspaceError, match="record 'ctl-76' .*unknown actor id 'martians'"):
        aleppo.correct("ctl-76", {"actor": "martians"}, reason="typo")
    with pytest.raises(WorkspaceError, match="already starts on 2016-11-26; correct it"):
        aleppo.record_control([HANANO], actor="russia", status="controlled",
                              start="2016-11-26", sources=[SOURCE])
    assert (aleppo.version, row_count(backend)) == before


# -- 4. as known on ---------------------------------------------------------------------------
def test_as_known_on_shows_the_map_as_known_then(ws: Workspace, backend: str, pack,
                                                 tmp_path: Path) -> None:
    t0 = ws.history()[-1]["recorded_at"]  # the fork
    time.sleep(0.01)
    [rid], _ = ws.record_control([HANANO], actor="gov", status="controlled",
                                 start="2016-11-10", sources=[SOURCE], by="bob")
    time.sleep(0.01)
    ws.correct(rid, {"actor": "russia"}, reason="Russian forces", by="erin")
    hist = ws.history(record=rid)
    t1, t2 = hist[0]["recorded_at"], hist[1]["recorded_at"]
    assert stamp(t0) < stamp(t1) < stamp(t2)
    between = stamp(t1) + (stamp(t2) - stamp(t1)) / 2
    day = "2016-11-12"

    def seen(moment) -> tuple | None:
        return holder(state_at(ws.scenario(as_known_on=moment), day), HANANO)

    assert seen(stamp(t0)) == ("opp-city", "controlled", "ctl-75")
    assert signature(state_at(ws.scenario(as_known_on=t0), day)) == signature(
        state_at(pack, day))
    assert seen(stamp(t1)) == seen(between) == ("gov", "controlled", rid)
    assert seen(t1) == seen(stamp(t1))  # the stored text works as well as a datetime
    assert seen(stamp(t2)) == seen(None) == ("russia", "controlled", rid)
    assert seen(dt.date.today()) == seen(dt.date.today().isoformat()) == seen(None)
    # state_at and load_scenario take the moment too.
    now = ws.scenario()
    assert holder(state_at(now, day, as_known_on=stamp(t0)), HANANO)[0] == "opp-city"
    assert holder(state_at(now, day, as_known_on=between), HANANO)[0] == "gov"
    assert holder(state_at(now, day), HANANO)[0] == "russia"
    old = load_scenario(ws.name, as_known_on=stamp(t0), store=backend)
    assert holder(state_at(old, day), HANANO)[0] == "opp-city"
    # The export as known then holds what was known then.
    ws.export(tmp_path / "then", as_known_on=stamp(t0))
    control = (tmp_path / "then" / "control.csv").read_text()
    assert rid not in control and "ctl-75,alp-hanano,opp-city,controlled,2012-07-01,2016-11-26" \
        in control

    with pytest.raises(WorkspaceError, match="had no records by 2000-01-01"):
        ws.scenario(as_known_on="2000-01-01")
    with pytest.raises(WorkspaceError, match="had no records by 2000-01-01"):
        ws.export(tmp_path / "never", as_known_on="2000-01-01")
    assert not (tmp_path / "never").exists()
    for bad in ("2016-13-01", "yesterday", "2016-11-10T25:00"):
        with pytest.raises(WorkspaceError, match="is not YYYY-MM-DD"):
            ws.scenario(as_known_on=bad)


@pytest.mark.parametrize(("value", "bound"), [
    ("2016-11-10", "2016-11-10T23:59:59.999999Z"),             # a day: all of it
    (dt.date(2016, 11, 10), "2016-11-10T23:59:59.999999Z"),
    ("20161110", "2016-11-10T23:59:59.999999Z"),
    ("2016-11-10T14:30", "2016-11-10T14:30:59.999999Z"),       # a minute: all of it
    ("2016-11-10 14:30", "2016-11-10T14:30:59.999999Z"),
    ("2016-11-10T14:30+02:00", "2016-11-10T12:30:59.999999Z"),  # to UTC
    ("2016-11-10T14:30:00", "2016-11-10T14:30:00.000000Z"),    # seconds: exact
    ("2016-11-10T14:30:05.25Z", "2016-11-10T14:30:05.250000Z"),
    (dt.datetime(2016, 11, 10, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
     "2016-11-10T19:30:00.000000Z"),
    (None, None), ("", None),
])
def test_known_on_bounds(value, bound) -> None:
    assert known_on(value) == bound


# -- 6. concurrency ---------------------------------------------------------------------------
def test_stale_base_on_the_same_record_conflicts(scratch: Workspace, backend: str) -> None:
    (a_store, a_by, alice), (b_store, b_by, _) = (as_user(backend, w) for w in ("alice",
                                                                                 "bob"))
    as_alice, as_bob = open_workspace(scratch.name, a_store), open_workspace(scratch.name,
                                                                             b_store)
    old = holder(state_at(scratch.scenario(), "2016-11-14"), "alp-bayyada")[2]
    base = scratch.version
    [mine], _ = as_alice.record_control(["alp-bayyada"], actor="gov", status="controlled",
                                        start="2016-11-15", sources=[SOURCE], by=a_by,
                                        base=base)
    ended = scratch.history(record=old)[-1]  # ended by alice's record
    assert ended["reason"] == f"ended by {mine}"
    rows = log_rows(backend)
    with pytest.raises(ConflictError) as exc:
        as_bob.correct(old, {"confidence": "low"}, reason="weak source", by=b_by, base=base)
    assert f"control '{old}' was changed by {alice} at {ended['recorded_at']}" in str(exc.value)
    assert f"after version {base} you based this on" in str(exc.value)
    with pytest.raises(ConflictError, match=f"was changed by {alice}"):  # ends alice's record
        as_bob.record_control(["alp-bayyada"], actor="opp-city", status="controlled",
                              start="2016-11-20", sources=[SOURCE], by=b_by, base=base)
    assert log_rows(backend) == rows  # the losing writer wrote nothing; nothing was lost
    assert holder(state_at(scratch.scenario(), "2016-11-16"), "alp-bayyada")[2] == mine
    # Based on the newest version, the same change goes through.
    as_bob.correct(old, {"confidence": "low"}, reason="weak source", by=b_by,
                   base=scratch.version)
    for bad in (-1, scratch.version + 1):
        with pytest.raises(WorkspaceError, match=f"--base {bad} is not a version"):
            scratch.correct(old, {"confidence": "high"}, reason="x", base=bad)


def test_stale_base_on_different_records_keeps_both(scratch: Workspace) -> None:
    base = scratch.version
    [a], _ = scratch.record_control(["alp-dallaleen"], actor="gov", status="controlled",
                                    start="2016-11-21", sources=[SOURCE], by="alice",
                                    base=base)
    [b], _ = scratch.record_control(["alp-dudu"], actor="gov", status="controlled",
                                    start="2016-11-22", sources=[SOURCE], by="bob",
                                    base=base)
    state = state_at(scratch.scenario(), "2016-11-23")
    assert holder(state, "alp-dallaleen")[2] == a and holder(state, "alp-dudu")[2] == b


def _correct_from(store: str, by: str, name: str, rid: str, base: int, go, results) -> None:
    """A writer in its own process: at the signal, correct ``rid`` based on ``base``."""
    ws = open_workspace(name, store)
    go.wait()
    try:
        ws.correct(rid, {"note": f"checked by {by}"}, reason=f"{by} checked it", by=by,
                   base=base)
        results.put((by, "done"))
    except ConflictError as exc:
        results.put((by, str(exc)))


def test_simultaneous_writers_on_the_same_record_exactly_one_conflicts(
        scratch: Workspace, backend: str) -> None:
    rid = holder(state_at(scratch.scenario(), "2016-11-01"), "alp-jalloum")[2]
    base = scratch.version
    writers = [as_user(backend, w) for w in ("alice", "bob")]
    ctx = multiprocessing.get_context("fork")
    go, results = ctx.Event(), ctx.Queue()
    settle(backend)
    procs = [ctx.Process(target=_correct_from,
                         args=(w_store, by, scratch.name, rid, base, go, results))
             for w_store, by, _ in writers]
    for p in procs:
        p.start()
    go.set()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    got = dict(results.get(timeout=5) for _ in procs)
    [winner] = [by for by, what in got.items() if what == "done"]
    [loser] = [by for by in got if by != winner]
    named = {by: name for _, by, name in writers}
    assert f"control '{rid}' was changed by {named[winner]}" in got[loser]
    versions = scratch.history(record=rid)
    assert versions[-1]["body"]["note"] == f"checked by {winner}"  # kept, nothing half done
    assert [v["reason"] for v in versions].count(f"{loser} checked it") == 0


CONCURRENT_UNITS = ("alp-farafra", "alp-jalloum", "alp-qarleq", "alp-sajlikhan")


def _record_when_told(store: str, name: str, place: str, go, results) -> None:
    """A writer in its own process: wait for the start signal, record one change."""
    go.wait()
    ws = open_workspace(name, store)
    ids, _ = ws.record_control([place], actor="gov", status="controlled", start="2016-11-18",
                               sources=[SOURCE], by=f"writer-{place}")
    results.put((place, ids[0]))


def test_concurrent_writers_in_processes_lose_nothing(store: str) -> None:
    ws = fork(store, "busy")
    ws.scenario()  # warm: each forked writer starts from the cached current version
    before = log_rows(store)
    ctx = multiprocessing.get_context("fork")
    go, results = ctx.Event(), ctx.Queue()
    settle(store)
    procs = [ctx.Process(target=_record_when_told, args=(store, ws.name, u, go, results))
             for u in CONCURRENT_UNITS]
    for p in procs:
        p.start()
    go.set()  # all at once
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    got = dict(results.get(timeout=5) for _ in procs)
    assert set(got) == set(CONCURRENT_UNITS)

    after = log_rows(store)
    assert after[:len(before)] == before
    new = after[len(before):]
    assert len(new) == 2 * len(CONCURRENT_UNITS)  # each: its record + the one it ended
    seqs = [r[0] for r in after]
    assert all(a < b for a, b in zip(seqs, seqs[1:], strict=False))  # strictly increasing
    created = [r[3] for r in new if r[2] == "control" and r[7] is None]
    assert sorted(created) == sorted(got.values())  # each record once, no duplicates
    state = state_at(ws.scenario(), "2016-11-18")
    for unit, rid in got.items():
        assert holder(state, unit) == ("gov", "controlled", rid)
        assert {h["recorded_by"] for h in ws.history(record=rid)} == {
            stamped_by(store, f"writer-{unit}")}


# -- 7. a writer killed mid-write -------------------------------------------------------------
KILL_UNITS = ("alp-altunbogha", "alp-aqabeh", "alp-asileh", "alp-bab-qinnasrin",
              "alp-ballat", "alp-ibn-yaaqoub", "alp-maysaloon-cemetery",
              "alp-national-hospital")


def _record_many(store: str, name: str, day: str, note: str, go, inside) -> None:
    """A writer in its own process. With ``inside``, it stops in the middle of its
    transaction — half its rows appended, the rest not, nothing committed — says so and
    waits to be killed there."""
    ws = open_workspace(name, store)
    if inside is not None:
        real = ws.backend.transaction

        @contextlib.contextmanager
        def halting(wname: str):
            with real(wname) as tx:
                append = tx.append

                def half_then_wait(rows, by):
                    append(rows[:len(rows) // 2], by)
                    inside.set()
                    time.sleep(60)
                    return append(rows[len(rows) // 2:], by)

                tx.append = half_then_wait
                yield tx

        ws.backend.transaction = halting
    go.wait()
    ws.record_control(KILL_UNITS, actor="gov", status="controlled", start=day,
                      sources=[SOURCE], note=note, by="doomed")


def test_killed_writer_leaves_the_old_state_or_the_new(store: str) -> None:
    ws = fork(store, "killed")
    ctx = multiprocessing.get_context("fork")
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    expected = 2 * len(KILL_UNITS)  # each unit: the record in force ended + the new one
    duration = None
    for i in range(7):
        ws.scenario()  # warm the cache the forked writer starts from
        before = row_count(store)
        note = f"attempt {i}"
        go, inside = ctx.Event(), (ctx.Event() if i % 2 else None)
        settle(store)
        p = ctx.Process(target=_record_many,
                        args=(store, ws.name, f"2016-11-{10 + i:02d}", note, go, inside))
        p.start()
        t = time.perf_counter()
        go.set()
        if duration is None:  # the first write runs to the end: how long until it commits
            while row_count(store) == before and p.is_alive():
                time.sleep(0.005)
            duration = time.perf_counter() - t
            p.join(60)
            assert p.exitcode == 0
        elif inside is not None:  # mid-transaction, rows half appended
            assert inside.wait(60)
            time.sleep(rng.uniform(0, 0.005))
            p.kill()
        else:  # anywhere from before the transaction to after the commit
            time.sleep(rng.uniform(0.2, 1.2) * duration)
            p.kill()
        p.join(10)
        # What a new reader finds: the whole write or none of it, and a workspace that loads.
        grown = row_count(store) - before
        why = f"attempt {i} (seed {seed}): {grown} rows of {expected} written"
        assert grown in (0, expected), why
        if inside is not None:
            assert grown == 0, why
        current = [b for k, _, b in ws.records() if k == "control" and b.get("note") == note]
        assert len(current) == (len(KILL_UNITS) if grown else 0), why
        ws.validate_records(ws.records())  # loads as a pack, overlaps checked
    # The store still takes writes after the kills (any lock and journal were cleared).
    ws.record_control(["alp-aqabeh"], actor="russia", status="controlled", start="2016-11-30",
                      sources=[SOURCE], by="survivor")
    assert holder(state_at(ws.scenario(), "2016-11-30"), "alp-aqabeh")[0] == "russia"


# -- 9. window growth -------------------------------------------------------------------------
def test_a_record_outside_the_window_grows_it(scratch: Workspace) -> None:
    start, end = scratch.scenario().window
    assert (start, end) == (dt.date(2016, 6, 1), dt.date(2016, 12, 31))
    [inside], notes = scratch.record_control(
        ["alp-ballat"], actor="gov", status="controlled",
        start="2016-12-20", sources=[SOURCE])
    assert not any("window" in n for n in notes)
    assert scratch.scenario().window == (start, end)

    [rid], notes = scratch.record_control(["alp-ballat"], actor="opp-city",
                                          status="controlled", start="2017-01-15",
                                          sources=[SOURCE])
    assert f"the window grows to 2016-06-01 .. 2017-01-15 to hold {rid}" in notes
    assert scratch.scenario().window == (start, dt.date(2017, 1, 15))
    man = scratch.history(record="manifest")[-1]
    assert man["reason"] == f"window grows to hold {rid}"
    assert man["body"]["window"] == {"start": "2016-06-01", "end": "2017-01-15"}
    assert holder(state_at(scratch.scenario(), "2017-01-15"), "alp-ballat") == (
        "opp-city", "controlled", rid)

    _, notes = scratch.record_access("bab-al-salam", status="closed", start="2016-05-20",
                                     sources=[SOURCE])
    assert "the window grows to 2016-05-20 .. 2017-01-15 to hold bab-al-salam" in notes
    assert scratch.scenario().window[0] == dt.date(2016, 5, 20)
