"""The workspace commands of ``python -m layers`` (layers/cli_workspace.py): workspace new /
list / export / import / actor, record control / access, correct, retract, history, and
summary / validate on a workspace — on every store backend.

Most commands run in this process through the same ``main`` the module entry point calls (an
exception escaping it would be a traceback); the entry point itself runs as real subprocesses
in :func:`test_round_trip_through_the_entry_point`.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from layers.catalog import find_scenario, load_scenario
from layers.timeline import change_dates, state_at
from layers.workspace import open_workspace, read_pack_records
from tests import conftest_workspace
from tests.conftest_workspace import (
    ENV,
    PACK,
    ROOT,
    SOURCE,
    as_user,
    cli,
    fork,
    holder,
    log_rows,
    signature,
    stamped_by,
    unique,
)

backend = conftest_workspace.backend  # a store per backend shared by this module's tests


@pytest.fixture(scope="module")
def shared(backend: str) -> str:
    """A fork made with ``workspace new`` that the tests here only fail to change."""
    name = unique("cli")
    code, out, err = cli("workspace", "new", name, "--from", PACK, "--store", backend,
                         "--by", "alice")
    assert (code, err) == (0, "")
    assert out == f"{name}\tversion {open_workspace(name, backend).version}\n"
    return name


def one_line_error(code: int, out: str, err: str, expected_code: int = 2) -> str:
    """Assert the CLI's contract for bad input; return the message."""
    assert code == expected_code, (code, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err and out == ""
    return lines[0]


# -- new, list, validate, summary -------------------------------------------------------------
def test_new_list_validate_and_summary(shared: str, backend: str) -> None:
    version = open_workspace(shared, backend).version
    code, out, _ = cli("workspace", "list", "--store", backend)
    assert code == 0
    [line] = [x for x in out.splitlines() if x.startswith(shared + "\t")]
    assert line.startswith(f"{shared}\tversion {version}\tAleppo 2016")
    assert line.endswith(f"by {stamped_by(backend, 'alice')}")

    code, out, err = cli("validate", shared, env={"CORDON_STORE": backend})
    assert (code, out, err) == (0, f"{shared}: ok (workspace, version {version})\n", "")

    # The workspace's summary is the pack's, but for the names.
    code, out, _ = cli("summary", "--scenario", shared, "--store", backend, "--date",
                       "2016-11-12", "--json")
    mine = json.loads(out)
    code_p, out_p, _ = cli("summary", "--scenario", PACK, "--date", "2016-11-12", "--json")
    theirs = json.loads(out_p)
    assert code == code_p == 0
    assert mine.pop("scenario") == shared and theirs.pop("scenario") == PACK
    assert mine == theirs


# -- record, history, correct, retract --------------------------------------------------------
def summary_km2(name: str, store: str, day: str, *more: str) -> dict[str, float]:
    code, out, err = cli("summary", "--scenario", name, "--store", store, "--date", day,
                         "--json", *more)
    assert code == 0, err
    return {a["id"]: a["area_km2"] for a in json.loads(out)["actors"]}


def test_record_history_correct_retract(backend: str) -> None:
    ws = fork(backend, "flow")
    t0 = ws.history()[-1]["recorded_at"]
    bob_store, by, bob = as_user(backend, "bob")
    code, out, err = cli("record", "control", ws.name, "--places", "alp-hanano", "--actor",
                         "gov", "--from", "2016-11-10", "--source", SOURCE, "--confidence",
                         "high", "--store", bob_store, "--by", by)
    assert code == 0, err
    rid = out.strip()
    assert rid.startswith("ctl-20161110-")
    assert err == "note: alp-hanano: runs until the next recorded change on 2016-11-26\n"
    assert holder(state_at(ws.scenario(), "2016-11-10"), "alp-hanano") == (
        "gov", "controlled", rid)

    # Without --by, $CORDON_USER says who records.
    code, out, err = cli("record", "control", ws.name, "--places", "alp-aajam", "--actor",
                         "gov", "--from", "2016-11-20", "--source", SOURCE, "--store", backend,
                         env={"CORDON_USER": "erin"})
    assert code == 0, err
    other = out.strip()
    assert ws.history(record=other)[0]["recorded_by"] == stamped_by(backend, "erin")

    code, out, _ = cli("history", ws.name, "--place", "alp-hanano", "--store", backend)
    assert code == 0
    lines = out.splitlines()
    [new] = [x for x in lines if f"control {rid}:" in x]
    assert new.startswith("#") and f"Z\t{bob}\trecord\tcontrol {rid}: alp-hanano gov " \
        f"2016-11-10..2016-11-26 [{SOURCE}]" in new
    assert any("control ctl-75: alp-hanano opp-city 2012-07-01..2016-11-10" in x
               and x.endswith(f"— ended by {rid}") for x in lines)
    assert not any(other in x for x in lines)  # another place's record
    code, out, _ = cli("history", ws.name, "--place", "alp-hanano", "--json", "--store",
                       backend)
    rows = [json.loads(x) for x in out.splitlines()]
    assert {r["id"] for r in rows} >= {"ctl-75", "ctl-76", rid}
    assert [r["seq"] for r in rows] == sorted(r["seq"] for r in rows)

    # The summary as known before the record is the pack's; after it, gov holds more.
    before = summary_km2(ws.name, backend, "2016-11-12", "--as-known-on", t0)
    now = summary_km2(ws.name, backend, "2016-11-12")
    code, out, _ = cli("summary", "--scenario", PACK, "--date", "2016-11-12", "--json")
    assert before == {a["id"]: a["area_km2"] for a in json.loads(out)["actors"]}
    assert now["gov"] > before["gov"] and now["opp-city"] < before["opp-city"]

    code, out, err = cli("correct", ws.name, rid, "actor=russia", "confidence=low",
                         "--reason", "Russian forces, per a second source", "--store",
                         backend)
    assert (code, out.strip(), err) == (0, rid, "")
    assert holder(state_at(ws.scenario(), "2016-11-12"), "alp-hanano")[0] == "russia"
    # A correction that breaks the ground rules is refused, naming the records.
    version = ws.version
    code, out, err = cli("correct", ws.name, rid, "to=2016-12-01", "--reason", "longer",
                         "--store", backend)
    assert f"record 'ctl-76' (alp-hanano): field 'from': overlaps record '{rid}'" in \
        one_line_error(code, out, err)
    assert ws.version == version
    code, out, err = cli("retract", ws.name, rid, "--reason", "a false report", "--store",
                         backend)
    assert (code, out.strip(), err) == (0, rid, "")
    assert holder(state_at(ws.scenario(), "2016-11-12"), "alp-hanano") == (
        "opp-city", "controlled", "ctl-75")
    code, out, _ = cli("history", ws.name, "--store", backend)
    mine = [x for x in out.splitlines() if f" {rid}:" in x]
    assert [x.split("\t")[3] for x in mine] == ["record", "correct", "retract"]
    assert mine[1].endswith("— Russian forces, per a second source")
    assert mine[2].endswith(f"control {rid}: retracted — a false report")


def test_record_access_and_a_new_source_by_url(backend: str) -> None:
    ws = fork(backend, "access")
    url = "https://example.org/aleppo/2016-12-01"
    args = ("record", "access", ws.name, "--target", "castello-road", "--status", "open",
            "--from", "2016-12-01", "--source", url, "--store", backend)
    code, _, err = cli(*args)
    assert "--publisher, --title and --published" in one_line_error(code, "", err)
    code, out, err = cli(*args, "--publisher", "Example News", "--title", "Road reopens",
                         "--published", "2016-12-01")
    assert (code, out, err) == (0, "castello-road\n", "")
    [src] = [i for k, i, b in ws.records() if k == "source" and b.get("url") == url]
    corridors = state_at(ws.scenario(), "2016-12-01").corridors.set_index("id")
    assert corridors.at["castello-road", "status"] == "open"
    assert src in corridors.at["castello-road", "sources"].split(";")
    # The same URL again is the same source, not a second one.
    code, _, err = cli("record", "control", ws.name, "--places", "alp-hanano", "--actor",
                       "gov", "--from", "2016-11-10", "--source", url, "--store", backend)
    assert code == 0, err
    assert [i for k, i, b in ws.records() if k == "source" and b.get("url") == url] == [src]


# -- conflicts --------------------------------------------------------------------------------
def test_stale_base_is_a_conflict_exit_3(backend: str) -> None:
    ws = fork(backend, "conflict")
    base = ws.version
    a_store, a_by, alice = as_user(backend, "alice")
    b_store, b_by, _ = as_user(backend, "bob")
    [rid], _ = open_workspace(ws.name, a_store).record_control(
        ["alp-hanano"], actor="gov", status="controlled", start="2016-11-10", sources=[SOURCE],
        by=a_by)
    rows = log_rows(backend)
    code, out, err = cli("correct", ws.name, "ctl-75", "confidence=low", "--reason", "weak",
                         "--base", str(base), "--store", b_store, "--by", b_by)
    msg = one_line_error(code, out, err, expected_code=3)
    assert f"control 'ctl-75' was changed by {alice}" in msg and f"ended by {rid}" in msg
    assert f"after version {base}" in msg
    assert log_rows(backend) == rows
    # The same stale base on a record nobody changed since is no conflict.
    code, out, err = cli("correct", ws.name, "ctl-76", "confidence=low", "--reason", "weak",
                         "--base", str(base), "--store", b_store, "--by", b_by)
    assert (code, out, err) == (0, "ctl-76\n", "")
    assert holder(state_at(ws.scenario(), "2016-11-10"), "alp-hanano")[2] == rid


# -- bad input --------------------------------------------------------------------------------
REC = ("record", "control", "{ws}", "--places", "alp-hanano", "--actor", "gov", "--from",
       "2016-11-11", "--source", SOURCE)
BAD_INPUT = {
    # name: (argv, a piece of the one-line message)
    "unknown workspace": (("record", "control", "nope", *REC[3:]), "no workspace 'nope'"),
    "unknown workspace, history": (("history", "nope"), "no workspace 'nope'"),
    "unknown workspace, correct": (("correct", "nope", "ctl-76", "actor=gov", "--reason", "r"),
                                   "no workspace 'nope'"),
    "unknown workspace, retract": (("retract", "nope", "ctl-76", "--reason", "r"),
                                   "no workspace 'nope'"),
    "unknown workspace, export": (("workspace", "export", "nope", "-o", "{tmp}/x"),
                                  "no workspace 'nope'"),
    "unknown workspace, actor": (("workspace", "actor", "nope", "x", "--name", "X",
                                  "--colour", "#000000"), "no workspace 'nope'"),
    "unknown workspace, delete": (("workspace", "delete", "nope"), "no workspace 'nope'"),
    "unknown workspace, access": (("record", "access", "nope", "--target", "castello-road",
                                   "--status", "open", "--from", "2016-12-01", "--source",
                                   SOURCE), "no workspace 'nope'"),
    "unknown place": (("record", "control", "{ws}", "--places", "alp-hanano,alp-nowhere",
                       *REC[5:]), "unknown place id 'alp-nowhere'"),
    "unknown place, history": (("history", "{ws}", "--place", "alp-nowhere"),
                               "unknown place id 'alp-nowhere'"),
    "unknown actor": ((*REC[:6], "martians", *REC[7:]),
                      "field 'actor': unknown actor id 'martians'"),
    "unknown source": ((*REC[:-1], "no-such-source"), "unknown source 'no-such-source'"),
    "new URL source undescribed": ((*REC[:-1], "https://example.org/x"),
                                   "give --publisher, --title and --published"),
    "bad published date": ((*REC[:-1], "https://example.org/x", "--publisher", "P",
                            "--title", "T", "--published", "last week"),
                           "--published 'last week' is not"),
    "bad date": ((*REC[:8], "2016-11-31", *REC[9:]), "--from '2016-11-31' is not a date"),
    "bad --to": ((*REC, "--to", "soon"), "--to 'soon' is not a date"),
    "--to before --from": ((*REC, "--to", "2016-11-01"),
                           "--to 2016-11-01 is not after --from 2016-11-11"),
    "neither actor nor status": ((*REC[:5], *REC[7:]), "give --actor ACTOR or --status"),
    "no places": ((*REC[:4], ",", *REC[5:]), "no places given"),
    "same start as a record": ((*REC[:8], "2016-11-26", *REC[9:]),
                               "record 'ctl-76' already starts on 2016-11-26; correct it"),
    "bad precision": ((*REC, "--precision", "roughly"), "--precision"),
    "base in the future": ((*REC, "--base", "999999999"), "--base 999999999 is not a version"),
    "access: unknown target": (("record", "access", "{ws}", "--target", "nope", "--status",
                                "open", "--from", "2016-12-01", "--source", SOURCE),
                               "no corridor or crossing 'nope'"),
    "access: status of a corridor on a crossing": (
        ("record", "access", "{ws}", "--target", "bab-al-salam", "--status", "under_fire",
         "--from", "2016-12-01", "--source", SOURCE), "--status 'under_fire'"),
    "correct: missing reason": (("correct", "{ws}", "ctl-76", "actor=russia"), "--reason"),
    "correct: empty reason": (("correct", "{ws}", "ctl-76", "actor=russia", "--reason", " "),
                              "a correction needs --reason"),
    "correct: FIELD without =": (("correct", "{ws}", "ctl-76", "actor", "--reason", "r"),
                                 "'actor' is not FIELD=VALUE"),
    "correct: the id": (("correct", "{ws}", "ctl-76", "id=ctl-1", "--reason", "r"),
                        "a record's id cannot be corrected"),
    "correct: unknown field": (("correct", "{ws}", "ctl-76", "colour=red", "--reason", "r"),
                               "control records have no field 'colour'"),
    "correct: unknown record": (("correct", "{ws}", "ctl-nope", "actor=gov", "--reason", "r"),
                                "has no record 'ctl-nope'"),
    "correct: overlap": (("correct", "{ws}", "ctl-76", "from=2016-11-01", "--reason", "r"),
                         "record 'ctl-76' (alp-hanano): field 'from': overlaps record "
                         "'ctl-75'"),
    "correct: bad date": (("correct", "{ws}", "ctl-76", "from=someday", "--reason", "r"),
                          "record 'ctl-76' (alp-hanano): field 'from': 'someday' is not a"),
    "correct: unknown actor": (("correct", "{ws}", "ctl-76", "actor=martians", "--reason",
                                "r"), "unknown actor id 'martians'"),
    "retract: missing reason": (("retract", "{ws}", "ctl-76"), "--reason"),
    "retract: empty reason": (("retract", "{ws}", "ctl-76", "--reason", ""),
                              "a retraction needs --reason"),
    "retract: the manifest": (("retract", "{ws}", "manifest", "--reason", "r"),
                              "the manifest cannot be retracted"),
    "retract: unknown record": (("retract", "{ws}", "nope", "--reason", "r"),
                                "has no record 'nope'"),
    "export: bad as-known-on": (("workspace", "export", "{ws}", "-o", "{tmp}/x",
                                 "--as-known-on", "2016-13-01"),
                                "as-known-on '2016-13-01' is not YYYY-MM-DD"),
    "export: as known before it existed": (("workspace", "export", "{ws}", "-o", "{tmp}/x",
                                            "--as-known-on", "2000-01-01"),
                                           "had no records by 2000-01-01"),
    "new: name taken": (("workspace", "new", "{ws}", "--from", PACK), "exists already"),
    "new: bad name": (("workspace", "new", "1-bad", "--from", PACK), "must start with a letter"),
    "new: unknown pack": (("workspace", "new", "fresh", "--from", "no-such-pack"),
                          "no scenario pack 'no-such-pack'"),
    "new: missing unit layer": (("workspace", "new", "fresh", "--units", "{tmp}/none.geojson",
                                 "--id-field", "a", "--name-field", "b"), "none.geojson"),
    "new: units without fields": (("workspace", "new", "fresh", "--units", "{tmp}/u.geojson"),
                                  "--units needs --id-field and --name-field"),
    "import: not a pack": (("workspace", "import", "{tmp}"), "not a pack directory"),
    "actor: bad colour": (("workspace", "actor", "{ws}", "blue", "--name", "Blue", "--colour",
                           "blue"), "'blue' is not #rrggbb"),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_is_one_line_exit_2_and_changes_nothing(case: str, shared: str,
                                                          backend: str,
                                                          tmp_path: Path) -> None:
    argv, expected = BAD_INPUT[case]
    argv = [a.format(ws=shared, tmp=tmp_path) for a in argv]
    before = (open_workspace(shared, backend).version, log_rows(backend))
    listed = conftest_workspace.list_names(backend)
    code, out, err = cli(*argv, "--store", backend)
    assert expected in one_line_error(code, out, err)
    assert (open_workspace(shared, backend).version, log_rows(backend)) == before
    assert conftest_workspace.list_names(backend) == listed
    assert not (tmp_path / "x").exists()


def test_summary_and_validate_of_bad_input(shared: str, backend: str) -> None:
    # summary and validate keep `python -m layers`' older convention for bad input: exit 1
    for moment, expected in (("2016-13-01", "as-known-on '2016-13-01' is not"),
                             ("2000-01-01", "had no records by 2000-01-01")):
        code, out, err = cli("summary", "--scenario", shared, "--store", backend,
                             "--as-known-on", moment)
        assert expected in one_line_error(code, out, err, expected_code=1)
    code, out, err = cli("validate", "nope", env={"CORDON_STORE": backend})
    assert "nope" in one_line_error(code, out, err, expected_code=1)


def test_a_store_that_is_not_one(backend: str, tmp_path: Path) -> None:
    if backend.startswith("postgresql://"):
        bad = backend.replace(":test-only-password@", ":wrong@")
        expected = "wrong user name or password"
    else:
        bad = str(tmp_path / "notes.gpkg")
        Path(bad).write_text("not a database\n")
        expected = "file is not a database"
    for argv in (("workspace", "list"), ("workspace", "new", "w", "--from", PACK),
                 ("history", "w"), ("record", "control", "w", *REC[3:])):
        code, out, err = cli(*argv, "--store", bad)
        assert expected in one_line_error(code, out, err)
    if not backend.startswith("postgresql://"):
        assert Path(bad).read_text() == "not a database\n"  # left as it was


def test_delete_hides_a_workspace_but_keeps_its_records(backend: str) -> None:
    ws = fork(backend, "doomed")
    rows = log_rows(backend)
    code, out, err = cli("workspace", "delete", ws.name, "--reason", "a duplicate", "--store",
                         backend)
    assert (code, err) == (0, "") and "its records are kept" in out
    assert ws.name not in conftest_workspace.list_names(backend)
    assert log_rows(backend) == rows
    code, out, err = cli("workspace", "new", ws.name, "--from", PACK, "--store", backend)
    assert "was deleted on" in one_line_error(code, out, err)
    code, out, err = cli("history", ws.name, "--store", backend)
    assert f"no workspace '{ws.name}'" in one_line_error(code, out, err)


# -- a workspace over a unit layer ------------------------------------------------------------
def square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1],
                                                [x0, y0]]]}


def test_new_workspace_from_a_unit_layer(backend: str, tmp_path: Path) -> None:
    # Three ~1 km squares: B overlaps A by ~90 m, C is ~9 m from B (a sliver gap).
    x, y = 37.0, 36.0
    layer = tmp_path / "units.geojson"
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "A1", "label": "Alpha"},
         "geometry": square(x, y, x + 0.01, y + 0.01)},
        {"type": "Feature", "properties": {"code": "B2", "label": "Beta"},
         "geometry": square(x + 0.009, y, x + 0.02, y + 0.01)},
        {"type": "Feature", "properties": {"code": "C3", "label": "Gamma"},
         "geometry": square(x + 0.0201, y, x + 0.03, y + 0.01)}]}))
    name = unique("town")
    code, out, err = cli("workspace", "new", name, "--units", str(layer), "--id-field", "code",
                         "--name-field", "label", "--store", backend)
    assert code == 0, err
    assert out.startswith(f"{name}\tversion ")
    notes = err.splitlines()
    assert f"note: {name}-b2: 0.100 km² overlapping earlier units removed" in notes
    assert "note: 1 sliver gap(s) narrower than 25 m closed" in notes

    ws = open_workspace(name, backend)
    sc = ws.scenario()
    ids = [f"{name}-a1", f"{name}-b2", f"{name}-c3"]
    assert {i: sc.areas[i].name for i in ids} == dict(zip(ids, ("Alpha", "Beta", "Gamma"),
                                                          strict=True))
    areas = {b["properties"]["id"]: shape(b["geometry"]) for k, _, b in ws.records()
             if k == "area"}
    a, b, c = (areas[i] for i in ids)
    m2 = 111_320 * 90_100  # one square degree here, roughly, in m²
    assert shapely.intersection(a, b).area * m2 < 1  # the overlap went to A, listed first
    assert shapely.distance(b, c) < 1e-9             # the gap was closed
    assert a.area == pytest.approx(1e-4, rel=1e-3) and b.area < 0.95 * 1.1e-4
    assert {g.geom_type for g in (a, b, c)} == {"Polygon"}  # no crumbs left by the repair

    for actor, label, colour in (("blue", "Blue Front", "#0072b2"),
                                 ("red", "Red Army", "#d55e00")):
        code, out, err = cli("workspace", "actor", name, actor, "--name", label, "--colour",
                             colour, "--store", backend)
        assert (code, out, err) == (0, f"{actor}\n", "")
    assert [a.id for a in ws.scenario().actors.values()] == ["blue", "red"]
    day = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    code, out, err = cli("record", "control", name, "--places", ids[0], "--actor", "blue",
                         "--from", day, "--source", "units-units", "--store", backend)
    assert (code, err) == (0, "")
    rid = out.strip()
    state = state_at(ws.scenario(), day)
    assert holder(state, ids[0]) == ("blue", "controlled", rid)
    assert holder(state, ids[1]) is None
    assert state.zones.set_index("actor").at["blue", "units"] == ids[0]
    code, out, err = cli("record", "control", name, "--places", ids[1], "--actor", "red",
                         "--from", "2016-03-01", "--source", "units-units", "--store", backend)
    assert code == 0
    assert err == f"note: the window grows to 2016-03-01 .. {dt.date.today()} to hold " \
        f"{out.strip()}\n"
    assert ws.scenario().window[0] == dt.date(2016, 3, 1)
    code, out, err = cli("validate", name, env={"CORDON_STORE": backend})
    assert code == 0 and out.startswith(f"{name}: ok (workspace"), err
    code, out, err = cli("workspace", "new", unique("town"), "--units", str(layer),
                         "--id-field", "nope", "--name-field", "label", "--store", backend)
    assert "no field 'nope' (fields: code, label)" in one_line_error(code, out, err)


# -- round trip through the entry point -------------------------------------------------------
def run(*argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "layers", *argv], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_round_trip_through_the_entry_point(shared: str, backend: str, tmp_path: Path) -> None:
    """pack → workspace (fork) → export → `python -m layers workspace import` → the same."""
    out = tmp_path / "exported"
    code, printed, err = cli("workspace", "export", shared, "-o", str(out), "--store", backend)
    assert (code, printed, err) == (0, f"{out}\n", "")
    other = unique("imported")
    rows = log_rows(backend)
    # The real entry point, three commands at once.
    procs = {"validate": run("validate", str(out)),
             "import": run("workspace", "import", str(out), "--name", other, "--store",
                           backend),
             "bad": run("correct", shared, "ctl-76", "from=2016-11-01", "--reason", "r",
                        "--store", backend)}
    done = {k: (p.wait(120), *p.communicate()) for k, p in procs.items()}
    assert done["validate"][:2] == (0, f"{out}: ok\n"), done["validate"]
    code, printed, err = done["import"]
    assert code == 0, err
    assert printed.startswith(f"{other}\tversion ")
    code, printed, err = done["bad"]
    assert "overlaps record 'ctl-75'" in one_line_error(code, printed, err)

    imported = open_workspace(other, backend)
    original = {(k, i) for k, i, _ in read_pack_records(find_scenario(PACK))}
    assert {(k, i) for k, i, _ in imported.records()} == original  # every record id kept
    assert set(imported.scenario().sources) == set(load_scenario(PACK).sources)
    assert {h["op"] for h in imported.history()} == {"create"}
    new_rows = log_rows(backend)[len(rows):]
    assert {r[1] for r in new_rows} == {other}  # the import wrote only the new workspace
    pack = load_scenario(PACK)
    days = change_dates(pack)
    assert change_dates(imported.scenario()) == days
    for day in days:
        assert signature(state_at(imported.scenario(), day)) == signature(
            state_at(pack, day)), day
    # Its history went along with the pack files.
    history = [json.loads(x) for x in (out / "history.jsonl").read_text().splitlines()]
    assert len(history) == len(open_workspace(shared, backend).history())
