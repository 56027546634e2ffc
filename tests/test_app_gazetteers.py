"""The page's "Your gazetteers" box: a user's place list is added, used and removed on the page
(issue 13), and a malformed file is one line naming its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import geo

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def run(tab: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["tab"] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(autouse=True)
def own_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("CORDON_STORE", str(tmp_path / "store.gpkg"))
    monkeypatch.setenv("CORDON_GAZETTEERS", str(tmp_path / "gazetteers"))
    monkeypatch.delenv("CORDON_ONLINE", raising=False)


CAMPS = (b"name,alternate names,lat,lon,kind,country\n"
         b"Qurtuba Camp,Qurtubah camp,35.91,36.64,site,SY\n"
         b"Wadi Zaytoun,,35.95,36.61,city,SY\n")


def test_a_gazetteer_uploaded_on_the_page_is_used_and_can_be_removed():
    text = "Families from Wadi Zaytoun reached the camp."
    assert "Wadi Zaytoun" not in {m.text for m in geo.geoparse(text)}
    at = run(tab="My layers")
    at.file_uploader(key="gazetteer_file").upload("idlib-camps.csv", CAMPS, "text/csv")
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    said = at.success[0].value.replace("\\", "")  # Markdown escapes aside
    assert "idlib-camps" in said and "2 places" in said, said
    m = {m.text: m for m in geo.geoparse(text)}["Wadi Zaytoun"]
    assert m.source.startswith("user:idlib-camps:") and m.country == "SY"
    at.button(key="gazetteer_rm:idlib-camps").click().run()
    assert not at.exception
    assert "Wadi Zaytoun" not in {m.text for m in geo.geoparse(text)}


def test_a_malformed_gazetteer_is_one_line_naming_the_line():
    at = run(tab="My layers")
    bad = b"name,lat,lon\nGood Place,35.0,36.0\nBad Place,north,36.1\n"
    at.file_uploader(key="gazetteer_file").upload("bad.csv", bad, "text/csv")
    at.run()
    assert not at.exception
    msg = at.error[0].value.replace("\\", "")
    assert msg.startswith("bad.csv") and "line 3" in msg and "\n" not in msg.strip(), msg
    assert "Traceback" not in msg and "/tmp" not in msg
