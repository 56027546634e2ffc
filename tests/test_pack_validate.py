"""Pack validation: every problem named with file, record and field; the CLI's answers."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from layers.pack import PackError, PlaceInfo, load_pack, validate_pack

ROOT = Path(__file__).resolve().parent.parent
RING = Path(__file__).parent / "fixtures" / "packs" / "ring"
BROKEN = Path(__file__).parent / "fixtures" / "packs" / "broken"
NO_PLACES = ({}, {})


def copy(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(RING, pack)
    return pack


def edit_json(pack, name, fn):
    path = pack / name
    data = json.loads(path.read_text())
    fn(data)
    path.write_text(json.dumps(data))


def edit_text(pack, name, old, new):
    path = pack / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def problems(pack, places=NO_PLACES):
    found, _ = validate_pack(pack, places=places)
    return [str(p) for p in found]


def test_the_ring_pack_is_valid():
    assert problems(RING) == []


CONTROL_CASES = [
    ("r-32,red,controlled,2016-04-01", "r-32,red,held,2016-04-01",
     "control.csv: row 7 (r-32): field 'status': 'held'; expected one of controlled"),
    ("\ncore,blue", "\nnowhere,blue",
     "control.csv: row 2 (nowhere): field 'place': unknown place id 'nowhere'"),
    ("core,blue,controlled", "core,green,controlled",
     "control.csv: row 2 (core): field 'actor': unknown actor id 'green'"),
    ("core,blue,controlled", "core,,controlled",
     "control.csv: row 2 (core): field 'actor': is missing; 'controlled' needs an actor"),
    ("r-31,blue,controlled,2016-01-01,2016-03-01", "r-31,blue,controlled,2016-03-01,2016-01-01",
     "control.csv: row 3 (r-31): field 'to': 2016-01-01 is not after 'from' 2016-03-01"),
    ("core,blue,controlled,2016-01-01", "core,blue,controlled,2016-13-01",
     "control.csv: row 2 (core): field 'from': '2016-13-01' is not a date YYYY-MM-DD"),
    ("core,blue,controlled,2016-01-01,,day,day,high,mon-a",
     "core,blue,controlled,2016-01-01,,day,day,high,mon-z",
     "control.csv: row 2 (core): field 'sources': unknown source id 'mon-z'"),
    ("core,blue,controlled,2016-01-01,,day,day,high,mon-a",
     "core,blue,controlled,2016-01-01,,day,day,high,",
     "control.csv: row 2 (core): field 'sources': no source given"),
    ("core,blue,controlled,2016-01-01,,day,day,high",
     "core,blue,controlled,2016-01-01,,day,day,sure",
     "control.csv: row 2 (core): field 'confidence': 'sure'; expected one of high, medium, low"),
    ("r-31,red,controlled,2016-03-01", "r-31,red,controlled,2016-02-01",
     "control.csv: row 4 (r-31): field 'from': overlaps row 3 for unit 'r-31'"),
    ("core,blue,controlled,2016-01-01,,day", "core,blue,controlled,2016-01-01,,week",
     "control.csv: row 2 (core): field 'from_precision': 'week'; expected one of day, month"),
]


@pytest.mark.parametrize(("old", "new", "expected"), CONTROL_CASES)
def test_control_problems_name_row_and_field(tmp_path, old, new, expected):
    pack = copy(tmp_path)
    edit_text(pack, "control.csv", old, new)
    found = problems(pack)
    assert any(p.startswith(expected) for p in found), found


def test_missing_control_column(tmp_path):
    pack = copy(tmp_path)
    edit_text(pack, "control.csv", "from_precision,", "precision,")
    assert "control.csv: header: field 'from_precision': column missing" in problems(pack)


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    pack = copy(tmp_path)
    edit_text(pack, "control.csv", "core,blue,controlled", "core,green,held")
    edit_json(pack, "actors.json", lambda d: d["actors"][0].update(colour="blue"))
    assert len(problems(pack)) >= 3


JSON_CASES = [
    ("manifest.json", lambda d: d.update(default_date="2017-01-01"),
     "manifest.json: field 'default_date': 2017-01-01 is outside the window"),
    ("manifest.json", lambda d: d["view"].update(center=[137, 37]),
     "manifest.json: field 'view.center': must be [lat, lon]"),
    ("actors.json", lambda d: d["actors"][0].update(colour="blue"),
     "actors.json: actor 'blue': field 'colour': 'blue' is not #rrggbb"),
    ("actors.json", lambda d: d["alliances"].append(["red", "violet"]),
     "actors.json: alliance #2: unknown actor id 'violet'"),
    ("sources.json", lambda d: d["mon-a"].update(url="example.org/1"),
     "sources.json: source 'mon-a': field 'url': 'example.org/1' is not an http(s) address"),
    ("sources.json", lambda d: d["mon-a"].update(date="5 March 2016"),
     "sources.json: source 'mon-a': field 'date': '5 March 2016' is not YYYY"),
    ("sieges.json", lambda d: d[0]["populations"][1].update(low=2000),
     "sieges.json: id 'siege-core' population #2: field 'low': is greater than 'high'"),
    ("sieges.json", lambda d: d[0].update(besiegers=["violet"]),
     "sieges.json: id 'siege-core': field 'besiegers': unknown actor id 'violet'"),
    ("sieges.json", lambda d: d[0]["populations"][0].update(value=-5),
     "sieges.json: id 'siege-core' population #1: field 'value': -5 is not a whole number"),
    ("corridors.json",
     lambda d: d[0].update(geometry={"type": "Point", "coordinates": [37.0, 36.0]}),
     "corridors.json: id 'east-road': field 'geometry': is a Point; expected LineString"),
    ("corridors.json", lambda d: d[0]["statuses"][0].update(status="blocked"),
     "corridors.json: id 'east-road' status #1: field 'status': 'blocked'; expected one of"),
    ("corridors.json", lambda d: d[0]["statuses"][0].update(to="2016-05-01"),
     "corridors.json: id 'east-road': field 'statuses': status from 2016-04-15 overlaps"),
    ("crossings.json", lambda d: d[0].update(place="pl-nowhere", geometry=None),
     "crossings.json: id 'east-gate': field 'place': unknown place id 'pl-nowhere'"),
    ("events.json", lambda d: d[0].update(type="battle"),
     "events.json: id 'ev-1': field 'type': 'battle'; expected one of strike"),
    ("events.json", lambda d: d.append(dict(d[0])),
     "events.json: id 'ev-1': field 'id': duplicate id"),
    ("areas.geojson", lambda d: d["features"][0]["geometry"]["coordinates"][0].__setitem__(
        1, [37.03, 136.02]),
     "areas.geojson: feature #1 (core): field 'geometry': coordinates out of range"),
    ("areas.geojson", lambda d: d["features"][1]["properties"].update(edge="maybe"),
     "areas.geojson: feature #2 (r-11): field 'edge': 'maybe'"),
]


@pytest.mark.parametrize(("name", "fn", "expected"), JSON_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(JSON_CASES)])
def test_json_problems_name_record_and_field(tmp_path, name, fn, expected):
    pack = copy(tmp_path)
    edit_json(pack, name, fn)
    found = problems(pack)
    assert any(p.startswith(expected) for p in found), found


def test_self_intersecting_area_is_repaired_with_a_warning(tmp_path):
    pack = copy(tmp_path)
    bowtie = {"type": "Polygon", "coordinates": [[[37.02, 36.02], [37.03, 36.03], [37.03, 36.02],
                                                  [37.02, 36.03], [37.02, 36.02]]]}
    edit_json(pack, "areas.geojson", lambda d: d["features"][0].update(geometry=bowtie))
    found, warnings = validate_pack(pack, places=NO_PLACES)
    assert found == []
    assert any(w.startswith("areas.geojson: feature #1 (core): field 'geometry': invalid "
                            "geometry (Self-intersection") for w in warnings)
    core = load_pack(pack, places=NO_PLACES).geometries["core"]
    assert core.is_valid and core.area > 0


def test_invalid_json_names_line_and_column(tmp_path):
    pack = copy(tmp_path)
    (pack / "sieges.json").write_text('[\n  {"id": "x",\n}\n]')
    (found,) = problems(pack)
    assert found.startswith("sieges.json: line 3 column 1: invalid JSON")


def test_missing_required_file(tmp_path):
    pack = copy(tmp_path)
    (pack / "actors.json").unlink()
    assert "actors.json: file is missing" in problems(pack)


def test_optional_files_may_be_left_out(tmp_path):
    pack = copy(tmp_path)
    for name in ("sieges.json", "corridors.json", "crossings.json", "events.json"):
        (pack / name).unlink()
    assert problems(pack) == []


def test_area_id_may_not_shadow_a_shared_place(tmp_path):
    found = problems(RING, places=({"core": PlaceInfo("Core")}, {}))
    assert any(p.startswith("areas.geojson: id 'core': field 'id': collides") for p in found)


def test_load_raises_pack_error_listing_problems(tmp_path):
    pack = copy(tmp_path)
    edit_text(pack, "control.csv", "core,blue,controlled", "core,green,held")
    with pytest.raises(PackError) as err:
        load_pack(pack, places=NO_PLACES)
    assert len(err.value.problems) == 2
    assert "control.csv: row 2 (core)" in str(err.value)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "layers", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_validate_broken_pack_lists_problems_and_fails():
    r = run_cli("validate", str(BROKEN))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert any("control.csv: row 2 (alp-nowhere): field 'place'" in ln for ln in lines)
    assert any("sources.json: source 'src-1': field 'url'" in ln for ln in lines)
    assert lines[-1].endswith("problem(s)")


def test_cli_validate_good_pack():
    r = run_cli("validate", str(RING))
    assert r.returncode == 0 and r.stdout.strip().endswith(": ok")


def test_cli_summary_json():
    r = run_cli("summary", "--scenario", str(RING), "--date", "2016-04-05", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert {"zones", "corridors", "sieges", "besieged_population"} <= set(s)
    core = next(z for z in s["zones"] if z["units"] == ["core"])
    assert core["encircled"] is True and core["encircled_by"] == ["orange", "red"]
    assert isinstance(core["area_km2"], float)
    (c,) = s["corridors"]
    assert (c["name"], c["status"], c["derived_status"]) == ("East road", "open", "cut")
    assert [x["name"] for x in c["cut_at"]] == ["Ring 32"]
    bp = s["besieged_population"]
    assert (bp["low"], bp["high"]) == (800, 1500)
    assert [x["publisher"] for x in bp["sources"]] == ["Example Monitor", "Example Relief"]


def test_cli_summary_text():
    r = run_cli("summary", "--scenario", str(RING), "--date", "2016-03-05")
    assert r.returncode == 0, r.stderr
    assert "ENCIRCLED by Orange Militia, Red Army" in r.stdout
    assert "East road: open / contested" in r.stdout


@pytest.mark.parametrize(("args", "expected"), [
    (("summary", "--scenario", "no-such-pack"), "no scenario pack 'no-such-pack'"),
    (("summary", "--scenario", str(BROKEN)), "problem(s)"),
    (("summary", "--scenario", str(RING), "--date", "15/09/2016"), "is not a date YYYY-MM-DD"),
    (("validate", "/no/such/dir"), "no such pack directory"),
    (("validate", ""), "no pack directory given"),  # not the working folder, not data/scenarios
    (("summary",), "the following arguments are required: --scenario"),
])
def test_cli_errors_are_one_line_without_traceback(args, expected):
    r = run_cli(*args)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert expected in r.stderr.strip().splitlines()[-1]
    if args[0] != "validate" and "problem(s)" not in expected:
        assert len(r.stderr.strip().splitlines()) == 1


def test_cli_list_names_shipped_packs():
    from layers.catalog import list_scenarios

    r = run_cli("list")
    assert r.returncode == 0
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == list_scenarios()


def test_files_saved_with_a_byte_order_mark_load(tmp_path):
    pack = copy(tmp_path)
    for name in ("control.csv", "manifest.json"):
        text = (pack / name).read_text(encoding="utf-8")
        (pack / name).write_text("\ufeff" + text, encoding="utf-8")
    assert problems(pack) == []


def test_non_utf8_file_is_named(tmp_path):
    pack = copy(tmp_path)
    (pack / "control.csv").write_bytes(
        (pack / "control.csv").read_bytes().replace(b"fighting", "k\xe4mpfe".encode("latin-1")))
    assert "control.csv: is not UTF-8 text" in problems(pack)


@pytest.mark.parametrize("name", __import__("layers.catalog").catalog.list_scenarios())
def test_shipped_packs_validate(name):
    from layers.catalog import find_scenario

    found, _ = validate_pack(find_scenario(name))
    assert [str(p) for p in found] == []


def test_cli_output_cut_short_by_a_closed_pipe_is_not_an_error():
    # `python -m layers summary ... | head -1`: the reader goes away mid-output
    with subprocess.Popen([sys.executable, "-m", "layers", "summary", "--scenario",
                           "aleppo-2016", "--json"], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as proc:
        proc.stdout.read(10)
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert code == 0
    assert "error" not in err and "Traceback" not in err


def test_cli_offers_export_and_import():
    # they must not vanish silently if the exchange module fails to import
    r = run_cli("--help")
    assert r.returncode == 0 and "export" in r.stdout and "import" in r.stdout


def test_open_edge_area_changing_sides_is_flagged_for_the_author(tmp_path):
    # out-e opens onto Blue's hinterland; if Red takes it, Cordon would assume Red's instead
    pack = copy(tmp_path)
    _, before = validate_pack(pack, places=NO_PLACES)
    assert not any("edge: open" in w for w in before)
    edit_text(pack, "control.csv", "out-e,blue,controlled,2016-01-01,,",
              "out-e,blue,controlled,2016-01-01,2016-05-01,")
    with (pack / "control.csv").open("a") as fh:
        fh.write("out-e,red,controlled,2016-05-01,,day,day,medium,mon-a,\n")
    found, warnings = validate_pack(pack, places=NO_PLACES)
    assert found == []
    assert any(w.startswith("areas.geojson: 'out-e': edge: open, but its holder changes from "
                            "'blue' to 'red'") for w in warnings)
    # an ally taking it over keeps the same side beyond the map: nothing to flag
    edit_text(pack, "control.csv", "out-e,red,controlled,2016-05-01",
              "out-e,orange,controlled,2016-05-01")
    edit_text(pack, "control.csv", "out-e,blue,controlled,2016-01-01,2016-05-01,",
              "out-e,red,controlled,2016-01-01,2016-05-01,")
    _, warnings = validate_pack(pack, places=NO_PLACES)
    assert not any("edge: open" in w for w in warnings)


def test_published_count_is_set_beside_the_packs_own(tmp_path):
    # A pack may name sources whose headline count (e.g. the UN's list) the summary
    # quotes next to its own count of besieged places, from the count's date on.
    import layers

    pack = copy(tmp_path)
    edit_json(pack, "manifest.json", lambda m: m.update(reports=["mon-a"]))
    edit_json(pack, "sources.json", lambda s: s["mon-a"].update(figures={
        "date": "2016-03-10", "locations": 2, "population": 9000, "rounding": 1000}))
    sc = layers.load_scenario(pack)
    assert layers.summarize(sc, "2016-03-05")["published_count"] is None
    s = layers.summarize(sc, "2016-03-15")
    assert s["besieged_locations"] == 1
    assert s["published_count"]["locations"] == 2
    assert s["published_count"]["source"]["publisher"]
    text = layers.format_summary(s)
    assert "Besieged locations: 1 (published count of 2016-03-10: 2 locations, about 9,000" in text


@pytest.mark.parametrize("manifest,figures,expected", [
    (["nope"], None, "manifest.json: field 'reports': unknown source id 'nope'"),
    (["mon-a"], None, "manifest.json: field 'reports': source 'mon-a' has no 'figures'"),
    (["mon-a"], {"date": "June 2016"}, "field 'figures.date': 'June 2016' is not YYYY-MM-DD"),
    (["mon-a"], {"date": "2016-06-01", "locations": -3}, "field 'figures.locations': -3"),
])
def test_published_count_problems_are_named(tmp_path, manifest, figures, expected):
    pack = copy(tmp_path)
    edit_json(pack, "manifest.json", lambda m: m.update(reports=manifest))
    if figures is not None:
        edit_json(pack, "sources.json", lambda s: s["mon-a"].update(figures=figures))
    assert any(expected in p for p in problems(pack)), problems(pack)
