"""``python -m layers propose``: human lines, one JSON object per line, and bad input as one
line with exit status 2 (never a traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from layers.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
REPORT = ("Government forces captured Jabal Badro on Sunday, state media said.\n\n"
          "The Castello Road remained cut. Talks in Geneva ended without agreement.\n")


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["propose", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_is_one_object_per_proposal(capsys, report):
    code, out, _ = run(capsys, str(report), "--scenario", "aleppo-2016", "--published",
                       "2016-11-29", "--json", "--source", "https://example.org/r1")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    kinds = {(r["kind"], r["status"]) for r in rows}
    assert kinds == {("control", "controlled"), ("access", "closed")}
    ctl = next(r for r in rows if r["kind"] == "control")
    assert ctl["places"] == ["alp-jabal-badro"] and ctl["actor"] == "gov"
    assert ctl["date"] == "2016-11-27" and ctl["claimant"] == "gov"
    assert ctl["source"] == "https://example.org/r1" and ctl["level"] in ("high", "medium")
    sentence = next(s for s in ctl["evidence"] if s["role"] == "sentence")
    assert REPORT[sentence["start"]:sentence["end"]] == ctl["sentence"]


def test_human_lines_name_actor_places_date_and_level(capsys, report):
    code, out, err = run(capsys, str(report), "--scenario", "aleppo-2016", "--published",
                         "2016-11-29")
    assert code == 0
    assert "alp-jabal-badro" in out and "Government" in out and "2016-11-27" in out
    assert "castello-road" in out
    assert "Geneva" not in out.replace("Talks in Geneva", "")  # only quoted, never proposed
    assert "2 proposal(s)" in err


def test_stdin_is_read_with_a_dash(tmp_path):
    done = subprocess.run([sys.executable, "-m", "layers", "propose", "-", "--scenario",
                           "aleppo-2016", "--published", "2016-11-29", "--json"],
                          input=REPORT.encode(), capture_output=True, env=ENV, cwd=tmp_path,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.decode().splitlines()) == 2


def _bad_cases(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Government forces captured Sakhour \xe9".encode("latin-1"))
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    common = ["--scenario", "aleppo-2016", "--published", "2016-11-29"]
    return {
        "missing": ([str(tmp_path / "nope.txt"), *common], "no such file"),
        "folder": ([str(tmp_path), *common], "not a file"),
        "empty": ([str(empty), *common], "empty"),
        "binary": ([str(binary), *common], "binary"),
        "not utf-8": ([str(latin), *common], "not UTF-8"),
        "date format": ([str(good), "--scenario", "aleppo-2016", "--published", "29/11/2016"],
                        "not a date YYYY-MM-DD"),
        "unknown scenario": ([str(good), "--scenario", "atlantis", "--published",
                              "2016-11-29"], "no scenario pack 'atlantis'"),
        "no scenario": ([str(good), "--published", "2016-11-29"], "required"),
    }


@pytest.mark.parametrize("case", ["missing", "folder", "empty", "binary", "not utf-8",
                                  "date format", "unknown scenario", "no scenario"])
def test_bad_input_is_one_line_and_exit_2(tmp_path, case):
    args, words = _bad_cases(tmp_path)[case]
    done = subprocess.run([sys.executable, "-m", "layers", "propose", *args],
                          capture_output=True, env=ENV, cwd=tmp_path, timeout=300)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert done.stdout == b""
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith("geo:")]
    assert len(lines) == 1 and words in lines[0], err
    assert "Traceback" not in err


def test_a_workspace_extends_the_aliases(capsys, tmp_path, report):
    """An alias added to a workspace's actors is recognised when proposing from it."""
    from layers.catalog import find_scenario
    from layers.workspace import create_workspace

    store = str(tmp_path / "store.gpkg")
    ws = create_workspace("aleppo-local", from_pack="aleppo-2016", store=store, by="tester")
    text = tmp_path / "local.txt"
    text.write_text("The Lions of the East seized Jabal Badro on Sunday.", encoding="utf-8")
    args = [str(text), "--workspace", "aleppo-local", "--store", store, "--published",
            "2016-11-29", "--json"]
    code, out, _ = run(capsys, *args)
    assert code == 0 and out == ""  # nobody the workspace knows by that name
    actors = json.loads((find_scenario("aleppo-2016") / "actors.json").read_text("utf-8"))
    for a in actors["actors"]:
        if a["id"] == "opp-city":
            a["aliases"].append("Lions of the East")
    ws.set_actors(actors, reason="local faction name", by="tester")
    code, out, _ = run(capsys, *args)
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and row["actor"] == "opp-city" and row["places"] == ["alp-jabal-badro"]


def test_an_unknown_workspace_is_one_line_exit_2(capsys, tmp_path, report):
    code, out, err = run(capsys, str(report), "--workspace", "nowhere", "--store",
                         str(tmp_path / "store.gpkg"), "--published", "2016-11-29")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "nowhere" in err
