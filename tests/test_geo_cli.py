"""`python -m geo`: formats, RFC 7946, stdin, bad input and atomic output.

Texts are our own. Most tests run the real geoparser; the few about plumbing only (progress
bar, a failure half-way) swap in a stub geoparser to control what happens.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import geo
from geo import cli

ROOT = Path(__file__).resolve().parents[1]
TEXT_A = ("Government forces closed the last road into eastern Aleppo on Tuesday. "
          "Diplomats meeting in Geneva could not agree.\n\n"
          "Officials in Moscow blamed the delay on Washington.")
TEXT_B = "Water ran short in Homs after the pumping station near Damascus was damaged."


def offline_env() -> dict:
    """The environment without the online switch: tests never use the network."""
    return {k: v for k, v in os.environ.items() if k != "CORDON_ONLINE"}


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.delenv("CORDON_ONLINE", raising=False)


def run_cli(*args: str, stdin: bytes = b""):
    """Run `python -m geo` in a subprocess from the repository root, offline."""
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=120, env=offline_env())


def run_main(*args: str, stdin: bytes = b"", tty: bool = False):
    """Run the CLI in-process; returns (status, stdout bytes, stderr text)."""
    out = io.BytesIO()

    class Err(io.StringIO):
        def isatty(self) -> bool:
            return tty

    err = Err()
    status = cli.main(list(args), stdin=io.BytesIO(stdin), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture()
def texts(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT_A, encoding="utf-8")
    b.write_text(TEXT_B, encoding="utf-8")
    return a, b


def decimals(x: float) -> int:
    s = repr(x)
    return len(s.split(".")[1]) if "." in s and "e" not in s else 0


def check_rfc7946(doc: dict) -> None:
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in json.dumps(doc)  # RFC 7946 removed the crs member
    for f in doc["features"]:
        assert f["type"] == "Feature" and set(f) == {"type", "geometry", "properties"}
        g = f["geometry"]
        assert g["type"] == "Point" and len(g["coordinates"]) == 2
        lon, lat = g["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert decimals(lon) <= 7 and decimals(lat) <= 7


# ----------------------------------------------------------------------------- formats


def test_geojson_file_output_is_rfc7946_with_lon_lat_order(texts, tmp_path):
    a, b = texts
    out = tmp_path / "out.geojson"
    proc = run_cli(str(a), str(b), "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == b""
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_rfc7946(doc)
    by_text = {f["properties"]["text"]: f for f in doc["features"]}
    assert {"Aleppo", "Geneva", "Moscow", "Homs", "Damascus"} <= set(by_text)
    lon, lat = by_text["Geneva"]["geometry"]["coordinates"]
    assert abs(lon - 6.14) < 0.2 and abs(lat - 46.2) < 0.2  # [lon, lat], not [lat, lon]
    aleppo = by_text["Aleppo"]["properties"]
    assert aleppo["qualifier"] == "eastern" and aleppo["kind"] and aleppo["source"]
    assert aleppo["sentence"] == ("Government forces closed the last road into eastern Aleppo "
                                  "on Tuesday.")
    assert by_text["Moscow"]["properties"]["sentence"].startswith("Officials in Moscow")
    for f in doc["features"]:
        p = f["properties"]
        source_text = TEXT_A if p["file"] == str(a) else TEXT_B
        assert source_text[p["start"]:p["end"]] == p["text"]
        assert p["text"] in p["sentence"] and 0 <= p["confidence"] <= 1
        assert set(p) == set(cli.FIELDS) - {"lat", "lon"}


def test_csv_and_jsonl_parse_and_agree_with_geojson(texts):
    a, _ = texts
    status, gj, _ = run_main(str(a))
    assert status == 0
    features = json.loads(gj)["features"]
    status, raw_csv, _ = run_main(str(a), "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(raw_csv.decode("utf-8"))))
    assert list(rows[0]) == list(cli.FIELDS)
    status, raw_jsonl, _ = run_main(str(a), "--format", "jsonl")
    lines = [json.loads(line) for line in raw_jsonl.decode("utf-8").splitlines()]
    assert len(rows) == len(lines) == len(features) > 0
    for row, line, feat in zip(rows, lines, features, strict=True):
        assert int(row["start"]) == line["start"] == feat["properties"]["start"]
        assert row["text"] == line["text"] == TEXT_A[line["start"]:line["end"]]
        assert [line["lon"], line["lat"]] == feat["geometry"]["coordinates"]
        assert float(row["lat"]) == line["lat"]


def test_format_follows_the_output_suffix(texts, tmp_path):
    a, _ = texts
    for suffix, check in ((".csv", lambda s: s.startswith("file,start,end")),
                          (".jsonl", lambda s: json.loads(s.splitlines()[0])["file"]),
                          (".geojson", lambda s: json.loads(s)["type"] == "FeatureCollection")):
        out = tmp_path / f"o{suffix}"
        assert run_main(str(a), "-o", str(out))[0] == 0
        assert check(out.read_text(encoding="utf-8"))


def test_stdin_is_read_with_dash(texts):
    proc = run_cli("-", "--format", "jsonl", stdin=TEXT_B.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr.decode()
    lines = [json.loads(x) for x in proc.stdout.decode("utf-8").splitlines()]
    assert {x["text"] for x in lines} >= {"Homs", "Damascus"}
    assert {x["file"] for x in lines} == {"<stdin>"}


def test_mixed_scripts_come_out_in_text_order():
    text = "وصلت القافلة إلى حلب ثم إلى دمشق. Then Homs."
    status, out, _ = run_main("-", "--format", "jsonl", stdin=text.encode("utf-8"))
    rows = [json.loads(x) for x in out.decode("utf-8").splitlines()]
    assert status == 0 and [r["name"] for r in rows] == ["Aleppo", "Damascus", "Homs"]
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)
    assert rows[0]["sentence"] == "وصلت القافلة إلى حلب ثم إلى دمشق."


def test_empty_input_gives_an_empty_collection(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    status, out, err = run_main(str(empty))
    assert status == 0 and err == ""
    assert json.loads(out) == {"type": "FeatureCollection", "features": []}
    assert run_main(str(empty), "--format", "csv")[1].decode().splitlines() == [
        ",".join(cli.FIELDS)]


def test_demonyms_only_when_asked(tmp_path):
    f = tmp_path / "d.txt"
    f.write_text("Syrian negotiators arrived late.", encoding="utf-8")
    without = json.loads(run_main(str(f))[1])["features"]
    with_d = json.loads(run_main(str(f), "--demonyms")[1])["features"]
    assert [x["properties"]["kind"] for x in with_d] == ["demonym"]
    assert with_d[0]["properties"]["country"] == "SY"
    assert without == []


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("make", ["missing", "directory"])
def test_bad_path_is_one_line_naming_the_file_exit_2(texts, tmp_path, make):
    a, _ = texts
    bad = tmp_path / "nope.txt" if make == "missing" else tmp_path
    out = tmp_path / "out.geojson"
    proc = run_cli(str(a), str(bad), "-o", str(out))
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert len(err.strip().splitlines()) == 1 and str(bad) in err and "Traceback" not in err
    assert not out.exists()


def test_unreadable_file_is_reported(texts, monkeypatch):
    a, _ = texts
    monkeypatch.setattr(cli.os, "access", lambda p, mode: Path(p) != a)
    status, out, err = run_main(str(a))
    assert status == 2 and out == b"" and err == f"geo: error: {a}: permission denied\n"

    monkeypatch.undo()

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(cli.Path, "read_bytes", refuse)
    status, out, err = run_main(str(a))
    assert status == 2 and err == f"geo: error: {a}: cannot read (Permission denied)\n"


def test_usage_errors_exit_2(tmp_path):
    proc = run_cli()
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    proc = run_cli(str(tmp_path / "x.txt"), "--format", "kml")
    assert proc.returncode == 2 and b"invalid choice" in proc.stderr


def test_undecodable_bytes_are_replaced_with_a_warning(tmp_path):
    f = tmp_path / "latin1.txt"
    f.write_bytes("Convoys reached Homs despite the caf\u00e9 closures.".encode("latin-1")
                  + b"\xff\xfe Shelling in Aleppo.")
    status, out, err = run_main(str(f), "--format", "jsonl")
    assert status == 0
    assert err.count("\n") == 1 and str(f) in err and "not valid UTF-8" in err
    text = f.read_bytes().decode("utf-8", "replace")
    lines = [json.loads(x) for x in out.decode().splitlines()]
    assert {x["text"] for x in lines} >= {"Homs", "Aleppo"}
    assert all(text[x["start"]:x["end"]] == x["text"] for x in lines)


def test_binary_files_are_skipped_with_one_line_each(tmp_path):
    # Random bytes decoded with replacement "contain" short place names; they must not be
    # reported as mentions. The good file is still read; the exit status says something failed.
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(bytes(range(256)) * 40)
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("Shelling in Aleppo.".encode("utf-16"))
    good = tmp_path / "good.txt"
    good.write_text("Convoys reached Homs.", encoding="utf-8")
    status, out, err = run_main(str(junk), str(utf16), str(good), "--format", "jsonl")
    assert status == 2
    lines = [json.loads(x) for x in out.decode().splitlines()]
    assert [(x["file"], x["text"]) for x in lines] == [(str(good), "Homs")]
    assert err.count("\n") == 2 and "photo.jpg: not text" in err and "utf16.txt: not text" in err
    assert "Traceback" not in err
    status, out, err = run_main("-", stdin=b"\x00\x01\x02 SC PpI " * 50)
    assert status == 2 and json.loads(out)["features"] == [] and "<stdin>: not text" in err


def test_empty_input_is_an_empty_collection(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for args, stdin in (([str(empty)], b""), (["-"], b"")):
        status, out, err = run_main(*args, stdin=stdin)
        assert status == 0 and json.loads(out) == {"type": "FeatureCollection", "features": []}
        assert err == ""


def test_utf8_bom_is_not_part_of_the_text(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbfAleppo was quiet.")
    lines = [json.loads(x) for x in run_main(str(f), "--format", "jsonl")[1].splitlines()]
    assert lines[0]["start"] == 0 and lines[0]["text"] == "Aleppo"


# ----------------------------------------------------------------------------- atomic output


def test_output_is_replaced_atomically_and_kept_on_failure(texts, tmp_path, monkeypatch):
    a, b = texts
    out = tmp_path / "out.csv"
    out.write_text("previous result\n", encoding="utf-8")
    assert run_cli(str(a), str(tmp_path / "missing.txt"), "-o", str(out)).returncode == 2
    assert out.read_text(encoding="utf-8") == "previous result\n"

    real = geo.geoparse
    calls = []

    def fail_second(text, **kw):  # plumbing stub: the geoparser dies on the second file
        calls.append(text)
        if len(calls) == 2:
            raise RuntimeError("simulated crash")
        return real(text, **kw)

    monkeypatch.setattr(geo, "geoparse", fail_second)
    status, _, err = run_main(str(a), str(b), "-o", str(out))
    assert status == 1 and "simulated crash" in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "out.csv"]

    monkeypatch.undo()
    assert run_main(str(a), "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").startswith("file,start,end,text")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "out.csv"]
    assert (out.stat().st_mode & 0o777) != 0o600  # not mkstemp's private mode


def test_disk_full_while_writing_keeps_the_old_output(texts, tmp_path, monkeypatch):
    a, _ = texts
    out = tmp_path / "out.geojson"
    out.write_text("previous result\n", encoding="utf-8")

    def full(self):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cli.Writer, "close", full)
    status, _, err = run_main(str(a), "-o", str(out))
    assert (status, err) == (2, f"geo: error: {out}: cannot write (No space left on device)\n")
    assert out.read_text(encoding="utf-8") == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "out.geojson"]


def test_unwritable_output_directory_is_one_line(texts, tmp_path):
    a, _ = texts
    status, _, err = run_main(str(a), "-o", str(tmp_path / "no" / "such" / "out.geojson"))
    assert status == 2 and err.startswith("geo: error: ") and err.count("\n") == 1


# ----------------------------------------------------------------------------- progress, imports


def test_progress_bar_for_many_files_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(geo, "geoparse", lambda text, **kw: [])  # plumbing only
    files = []
    for i in range(5):
        files.append(tmp_path / f"f{i}.txt")
        files[-1].write_text("nothing here", encoding="utf-8")
    names = [str(f) for f in files]
    _, _, err = run_main(*names, tty=True)
    assert "5/5 files" in err and err.endswith("\n")
    assert run_main(*names, tty=False)[2] == ""  # not a terminal: no bar in logs
    assert run_main(*names[:2], tty=True)[2] == ""  # few files: no bar
    assert "2/2 files" in run_main(*names[:2], "--progress")[2]  # forced
    assert run_main(*names, "--no-progress", tty=True)[2] == ""


def test_cli_does_not_import_heavy_libraries(texts):
    """Nor geopy when offline: the online fallback costs nothing unless enabled."""
    a, _ = texts
    code = ("import sys, io; from geo.cli import main; "
            f"rc = main([{str(a)!r}, '--format', 'jsonl'], stdout=io.BytesIO()); "
            "heavy = {'geopandas', 'folium', 'streamlit', 'layers', 'geopy'} & set(sys.modules); "
            "print(rc, sorted(heavy))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          timeout=120, env=offline_env())
    assert proc.stdout.decode().split() == ["0", "[]"], proc.stderr.decode()


# ----------------------------------------------------------------------------- --online


def test_online_flag_uses_the_provider_and_survives_its_failure(tmp_path, monkeypatch):
    """--online fills names the gazetteer lacks; a dead service leaves the offline output."""
    from test_geo_online import VILLAGE, make_provider

    import geo.online

    f = tmp_path / "v.txt"
    f.write_text("Aid reached the village of Tell Qarqur, west of Aleppo in Syria.",
                 encoding="utf-8")
    offline = run_main(str(f), "--format", "jsonl")[1]
    assert b"Tell Qarqur" not in offline.split(b'"sentence"')[0]

    provider, adapter = make_provider(tmp_path, {"Tell Qarqur": [VILLAGE]})
    monkeypatch.setattr(geo.online, "get_provider", lambda online=None: provider)
    lines = [json.loads(x) for x in run_main(str(f), "--online", "--format", "jsonl")[1]
             .splitlines()]
    assert "osm:node/4242" in {x["source"] for x in lines} and len(adapter.calls) == 1

    from geopy.exc import GeocoderUnavailable

    dead, _ = make_provider(tmp_path / "dead", {"Tell Qarqur": GeocoderUnavailable("down")})
    (tmp_path / "dead").mkdir()
    monkeypatch.setattr(geo.online, "get_provider", lambda online=None: dead)
    status, out, _ = run_main(str(f), "--online", "--format", "jsonl")
    assert status == 0 and out == offline


def test_offline_unless_flag_or_environment(texts, monkeypatch, tmp_path):
    import geo.online
    from geo.online.nominatim import NominatimProvider

    def refuse(*a, **k):
        raise AssertionError("online provider created while online is off")

    monkeypatch.delenv("CORDON_ONLINE", raising=False)
    monkeypatch.setattr(geo.online, "_default", None)
    monkeypatch.setattr(NominatimProvider, "__init__", refuse)
    assert run_main(str(texts[0]))[0] == 0  # no provider created
    monkeypatch.undo()

    from test_geo_online import VILLAGE, make_provider

    f = tmp_path / "v.txt"
    f.write_text("Aid reached the village of Tell Qarqur near Aleppo, Syria.", encoding="utf-8")
    provider, adapter = make_provider(tmp_path, {"Tell Qarqur": [VILLAGE]})
    monkeypatch.delenv("CORDON_ONLINE", raising=False)
    monkeypatch.setattr(geo.online, "_default", provider)
    assert b"osm:node/4242" not in run_main(str(f))[1] and adapter.calls == []
    monkeypatch.setenv("CORDON_ONLINE", "1")  # the environment switch works for the CLI too
    assert b"osm:node/4242" in run_main(str(f))[1] and len(adapter.calls) == 1
