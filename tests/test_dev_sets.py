"""The project's own geoparsing development sets (benchmarks/data/cordon-*-dev.jsonl).

Scores reported to the lead come from these files, so a set whose offsets drift from its text,
whose JSONL no longer matches its marked-up source, or whose gold breaks the conventions its
README states would make every figure wrong without anyone noticing.
"""

from __future__ import annotations

import json
import sys
from itertools import pairwise
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "benchmarks" / "data"
SETS = ("news", "arabic", "sitrep", "wire", "local", "arabic2", "field", "web", "field2", "arabic3",
        "long", "long2", "long3", "long4", "news2", "long5")
NEW_SETS = ("arabic", "sitrep", "wire")
ARABIC_CUES = ("حي", "مدينة", "بلدة", "قرية", "ريف", "مخيم", "معبر", "طريق", "محافظة", "ناحية",
               "قضاء", "محلية", "ولاية", "ميناء", "منطقة", "مديرية")
ORGANISATIONS = {"IOM", "WFP", "UNHCR", "ICRC", "MSF", "UNICEF", "UNRWA", "OCHA", "SARC", "WHO",
                 "RSF", "SDF", "NATO", "EU", "Red Crescent", "Red Cross", "Reuters", "AP", "AFP"}


def _docs(name: str) -> list[dict]:
    path = DATA / f"cordon-{name}-dev.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("name", SETS)
def test_gold_offsets_and_points_are_valid(name):
    docs = _docs(name)
    assert len({d["id"] for d in docs}) == len(docs)
    for d in docs:
        spans = sorted((t["start"], t["end"]) for t in d["toponyms"])
        for t in d["toponyms"]:
            assert d["text"][t["start"]:t["end"]] == t["name"], (d["id"], t["name"])
            assert -90 <= t["lat"] <= 90 and -180 <= t["lon"] <= 180
            assert (t["lat"], t["lon"]) != (0.0, 0.0), (d["id"], t["name"])
        assert all(a[1] <= b[0] for a, b in pairwise(spans)), f"{d['id']}: overlapping"


@pytest.mark.parametrize("name", NEW_SETS)
def test_new_sets_are_big_enough(name):
    docs = _docs(name)
    assert len(docs) >= 60
    assert sum(len(d["toponyms"]) for d in docs) >= 120


def test_local_set_is_big_enough_and_keeps_traps_out_of_gold():
    """The local-news set stands in for unseen news: 40+ paragraphs, 250+ toponyms, and the
    teams, streets, buildings and people named like places that it plants are never gold."""
    docs = _docs("local")
    assert len(docs) >= 40
    assert sum(len(d["toponyms"]) for d in docs) >= 250
    text = " ".join(d["text"] for d in docs)
    traps = ("Kansas City Chiefs", "Green Bay Packers", "Fremantle Dockers", "Newcastle Knights",
             "Leeds United", "Washington Avenue", "Denver Street", "Arrowhead Stadium",
             "Dallas Greer", "Madison Lee", "Austin Meyer", "Jordan Mills", "Hoosier", "Texan")
    for trap in traps:
        assert trap in text, trap
        for d in docs:
            for t in d["toponyms"]:
                start = d["text"].find(trap)
                while start >= 0:
                    assert not (t["start"] < start + len(trap) and start < t["end"]), (
                        d["id"], trap)
                    start = d["text"].find(trap, start + 1)


def test_long_set_holds_whole_documents_with_their_lines():
    """The long set stands in for the length of real articles and reports: 16 documents of
    2,000+ characters, their headings and paragraphs on lines of their own (a heading run into
    the next sentence reads as one run of capitalised words, which no real report has)."""
    docs = _docs("long")
    assert len(docs) >= 16 and sum(len(d["toponyms"]) for d in docs) >= 500
    docs += _docs("long2") + _docs("long3") + _docs("long4")
    assert all(len(d["text"]) >= 2000 for d in docs)
    assert all("\n\n" in d["text"] for d in docs)
    assert not any("\n\n\n" in d["text"] or d["text"] != d["text"].strip() for d in docs)


def test_builder_keeps_the_lines_of_the_source():
    sys.path.insert(0, str(DATA))
    try:
        from make_cordon_dev import parse
    finally:
        sys.path.remove(str(DATA))
    src = "## t-1 | T\n# a comment line\nHEADING ON [[Syria]]\n\n\nFirst line.\nSecond [[Syria]].\n"
    (doc,) = parse(src)
    assert doc["text"] == "HEADING ON Syria\n\nFirst line.\nSecond Syria."
    assert [doc["text"][t["start"]:t["end"]] for t in doc["toponyms"]] == ["Syria", "Syria"]


def test_jsonl_matches_its_marked_up_source():
    """Editing the .src.txt without rebuilding (or the JSONL by hand) is caught here."""
    sys.path.insert(0, str(DATA))
    try:
        from make_cordon_dev import Gold, parse
    finally:
        sys.path.remove(str(DATA))
    gold = Gold()
    for name in SETS:
        built = parse((DATA / f"cordon-{name}-dev.src.txt").read_text(encoding="utf-8"), gold)
        assert built == _docs(name), f"cordon-{name}-dev.jsonl is stale: rebuild it"


def test_arabic_gold_spans_leave_out_cue_nouns():
    for d in _docs("arabic") + _docs("arabic2"):
        for t in d["toponyms"]:
            assert not t["name"].startswith(tuple(c + " " for c in ARABIC_CUES)), t["name"]
    docs = _docs("arabic")
    # and the set does exercise every cue noun the issue lists, right before a gold span
    used = {c for d in docs for t in d["toponyms"] for c in ARABIC_CUES
            if d["text"][:t["start"]].endswith(c + " ")}
    assert {"حي", "مدينة", "بلدة", "قرية", "ريف", "مخيم", "معبر", "طريق", "محافظة",
            "ناحية"} <= used


def test_organisations_are_never_gold():
    for name in ("sitrep", "wire", "field"):
        for d in _docs(name):
            assert not {t["name"] for t in d["toponyms"]} & ORGANISATIONS, d["id"]
    text = " ".join(d["text"] for d in _docs("sitrep"))
    assert all(org in text for org in ("IOM", "WFP", "UNHCR", "ICRC", "MSF", "Red Crescent"))
