"""User gazetteers: GeoNames dumps, OCHA COD tables and plain CSV added on top of the index.

Every test keeps its gazetteers in its own folder (``CORDON_GAZETTEERS``); the shipped index is
the usual one. The places are made up, so only an added file can make them found.
"""

from __future__ import annotations

import json
import zipfile

import pytest

from geo import geoparse, lookup
from geo.cli import main as geo_main
from geo.gazetteer import (
    GazetteerError,
    add_gazetteer,
    get_index,
    list_gazetteers,
    remove_gazetteer,
)
from geo.gazetteer.formats.geonames import kind_of
from geo.normalize import fold

VILLAGE = "Qaryat Zanbaqiya"  # made up: no shipped record has this name


@pytest.fixture(autouse=True)
def gazetteers(tmp_path, monkeypatch):
    folder = tmp_path / "gazetteers"
    monkeypatch.setenv("CORDON_GAZETTEERS", str(folder))
    return folder


def geonames_line(gid, name, lat, lon, fclass="P", fcode="PPL", cc="SY", admin1="09",
                  alternates="", pop=0):
    cells = [str(gid), name, name, alternates, str(lat), str(lon), fclass, fcode, cc, "",
             admin1, "", "", "", str(pop), "", "350", "Asia/Damascus", "2024-01-01"]
    return "\t".join(cells) + "\n"


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def found(text):
    return {m.text: m for m in geoparse(text)}


def sources(name):
    return {r.source for r, _how in get_index().find([fold(name)]).get(fold(name), ())}


def test_plain_csv_place_is_found_and_resolved_to_its_record(tmp_path):
    assert VILLAGE not in found(f"Aid reached {VILLAGE} in Syria on Monday.")
    f = write(tmp_path / "villages.csv",
              "name,alternate_names,lat,lon,kind,country\n"
              f"{VILLAGE},Qaryet Zanbakiyeh;قرية زنبقية,36.31,37.02,village,SY\n"
              "Umm Sarabit Camp,,36.12,37.41,camp,SY\n")
    info = add_gazetteer(f, name="ngo")
    assert (info.name, info.format, info.places) == ("ngo", "plain", 2)
    ms = found(f"Aid reached {VILLAGE} in Syria on Monday; families left Umm Sarabit Camp.")
    m = ms[VILLAGE]
    assert (m.source, m.kind, m.country, m.lat, m.lon) == ("user:ngo:2", "city", "SY", 36.31,
                                                           37.02)
    assert ms["Umm Sarabit Camp"].kind == "site"
    assert found("Shelling hit Qaryet Zanbakiyeh.")["Qaryet Zanbakiyeh"].source == "user:ngo:2"
    # the type word may be written in lower case (the mention is then the whole phrase) or
    # left out
    assert found("Water ran short in Umm Sarabit camp.")["Umm Sarabit camp"].source == \
        "user:ngo:3"
    assert found("Water ran short in Umm Sarabit.")["Umm Sarabit"].source == "user:ngo:3"


def test_multi_word_user_names_are_found_in_long_texts_too(tmp_path):
    # past HEADS_MIN_TOKENS the recogniser skips n-grams whose first word starts no known
    # multi-word name: the user gazetteers' first words must count
    from geo.recognize import HEADS_MIN_TOKENS

    f = write(tmp_path / "v.csv", "name,lat,lon\nZanbaqiya Gharbiya Tahta,36.3,37.0\n")
    add_gazetteer(f, name="v")
    filler = "Officials In Geneva Said The Talks On Aid Would Resume On Monday. "
    text = filler * (HEADS_MIN_TOKENS // 10) + "Aid reached Zanbaqiya Gharbiya Tahta today."
    m = [m for m in geoparse(text) if m.source.startswith("user:")]
    assert [(x.text, x.source) for x in m] == [("Zanbaqiya Gharbiya Tahta", "user:v:2")]


def test_geonames_dump_kinds_and_skipped_classes(tmp_path):
    f = write(tmp_path / "XX.txt",
              geonames_line(9000001, VILLAGE, 36.3, 37.0)
              + geonames_line(9000002, "Tal Nasrin Refugee Camp", 36.4, 37.1, "S", "CMPRF")
              + geonames_line(9000003, "Hay Bustan Zanbaq", 36.2, 37.15, "P", "PPLX")
              + geonames_line(9000004, "Bab Zanbaq Border Post", 36.6, 36.9, "S", "PSTB")
              + geonames_line(9000005, "Nahr Zanbaq", 36.5, 37.3, "H", "STM")
              + geonames_line(9000006, "Mintaqat Zanbaq", 36.3, 37.1, "A", "ADM2")
              + geonames_line(9000007, "Ayn Zanbaq", 36.5, 37.2, "H", "SPNG"))  # a spring
    info = add_gazetteer(f, name="sy")
    assert (info.format, info.places, info.skipped) == ("geonames", 6, 1)
    ms = found(f"People fled {VILLAGE} for Tal Nasrin Refugee Camp and Hay Bustan Zanbaq, "
               "then crossed at Bab Zanbaq Border Post from Mintaqat Zanbaq; Nahr Zanbaq rose.")
    assert {k: (m.kind, m.source) for k, m in ms.items() if "Zan" in k or "Nasrin" in k} == {
        VILLAGE: ("city", "user:sy:9000001"),
        "Tal Nasrin Refugee Camp": ("site", "user:sy:9000002"),
        "Hay Bustan Zanbaq": ("neighbourhood", "user:sy:9000003"),
        "Bab Zanbaq Border Post": ("crossing", "user:sy:9000004"),
        "Mintaqat Zanbaq": ("admin2", "user:sy:9000006"),
        "Nahr Zanbaq": ("region", "user:sy:9000005"),  # a river
    }


@pytest.mark.parametrize("fclass, fcode, name, kind", [
    ("P", "PPL", "Kutum", "city"), ("P", "PPLA2", "Kutum", "city"),
    ("P", "PPL", "Kalma Camp", "site"), ("S", "CMP", "Zamzam", "site"),
    ("P", "PPLX", "Cité Soleil", "neighbourhood"), ("S", "PSTB", "Kerem Shalom", "crossing"),
    ("S", "BDG", "Allenby Bridge", "crossing"), ("A", "ADM1", "Idlib", "admin1"),
    ("A", "ADM2", "Jebel Saman", "admin2"), ("A", "ADM3", "Tall Rifaat", "admin3"),
    ("A", "PCLI", "Syria", None), ("H", "STM", "Nahr Quwayq", "region"),
    ("H", "WAD", "Wadi Gaza", "region"), ("H", "LK", "Lake Azuei", "region"),
    ("H", "SPNG", "Ayn al Arab", None), ("H", "WLL", "Bir Ali", None),
    ("L", "RGN", "Jazira", "region"), ("R", "RD", "Castello Road", "road"),
])
def test_geonames_feature_codes_map_to_kinds(fclass, fcode, name, kind):
    assert kind_of(fclass, fcode, name) == kind


def test_geonames_zip_is_read_beside_its_readme(tmp_path):
    z = tmp_path / "XX.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("readme.txt", "GeoNames country extract\n")
        zf.writestr("XX.txt", geonames_line(9000001, VILLAGE, 36.3, 37.0))
    assert add_gazetteer(z).name == "xx"
    assert found(f"Aid reached {VILLAGE}.")[VILLAGE].source == "user:xx:9000001"


def test_zip_with_two_gazetteers_is_refused(tmp_path):
    z = tmp_path / "two.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("A.txt", geonames_line(1, "A", 1, 1))
        zf.writestr("B.txt", geonames_line(2, "B", 1, 1))
    with pytest.raises(GazetteerError, match=r"two\.zip: a zip must hold exactly one"):
        add_gazetteer(z)
    assert list_gazetteers() == []


def test_ocha_cod_csv_levels_languages_and_pcodes(tmp_path):
    f = write(tmp_path / "cod.csv",
              "admin0Name_en,admin0Pcode,admin1Name_en,admin1Pcode,admin2Name_en,admin2Name_ar,"
              "admin2RefName,admin2Pcode,Lat,Lon\n"
              "#country+name,#country+code,#adm1+name,#adm1+code,#adm2+name,#adm2+name+ar,"
              "#adm2+alt,#adm2+code,#geo+lat,#geo+lon\n"
              "Syria,SY,Aleppo,SY02,Zanbaqiya District,منطقة زنبقية,Zanbakiye,SY0299,36.3,37.0\n"
              "Syria,SY,Aleppo,SY02,Wadi Sarabit,وادي صرابيت,,SY0298,36.1,37.4\n")
    info = add_gazetteer(f, name="cod")
    assert (info.format, info.places) == ("ocha", 2)
    m = found("Fighting in Zanbaqiya District and Wadi Sarabit, Aleppo.")
    assert (m["Zanbaqiya District"].source, m["Zanbaqiya District"].kind) == \
        ("user:cod:SY0299", "admin2")
    assert m["Wadi Sarabit"].source == "user:cod:SY0298"
    # (the place-type noun is a cue, no part of the mention: the name after it is)
    assert found("قصف في منطقة زنبقية")["زنبقية"].source == "user:cod:SY0299"
    rec = get_index().by_source("user:cod:SY0299")
    assert rec.admin1 == get_index().by_source("geonames:170062").admin1  # Aleppo governorate


def test_format_is_sniffed_from_content_not_extension(tmp_path):
    f = write(tmp_path / "looks-like.csv", geonames_line(9000001, VILLAGE, 36.3, 37.0))
    assert add_gazetteer(f, name="a").format == "geonames"
    g = write(tmp_path / "places.txt", f"name;lat;lon\n{VILLAGE} Saghir;36.2;37.1\n")
    assert add_gazetteer(g, name="b").format == "plain"


def test_list_and_remove(tmp_path):
    f = write(tmp_path / "v.csv", f"name,lat,lon\n{VILLAGE},36.3,37.0\n")
    add_gazetteer(f, name="one")
    add_gazetteer(f, name="two")
    assert [g.name for g in list_gazetteers()] == ["one", "two"]
    assert sources(VILLAGE) == {"user:one:2", "user:two:2"}
    gone = remove_gazetteer("one")
    assert gone.name == "one"
    assert [g.name for g in list_gazetteers()] == ["two"]
    assert sources(VILLAGE) == {"user:two:2"}
    remove_gazetteer("two")
    assert VILLAGE not in found(f"Aid reached {VILLAGE}.")
    with pytest.raises(GazetteerError, match="no user gazetteer of that name"):
        remove_gazetteer("two")


def test_a_zip_bomb_is_cut_off_not_read_forever(tmp_path, monkeypatch):
    from geo.gazetteer import formats

    monkeypatch.setattr(formats, "MAX_BYTES", 100_000)
    z = tmp_path / "bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("XX.txt", "".join(geonames_line(i, "A", 1, 2) for i in range(5_000)))
    assert z.stat().st_size < 100_000
    with pytest.raises(GazetteerError, match=r"bomb\.zip: more than 0 MB of text"):
        add_gazetteer(z)
    assert list_gazetteers() == []


def test_same_name_twice_is_refused_unless_replaced(tmp_path):
    f = write(tmp_path / "v.csv", f"name,lat,lon\n{VILLAGE},36.3,37.0\n")
    add_gazetteer(f, name="v")
    with pytest.raises(GazetteerError, match="already added"):
        add_gazetteer(f, name="v")
    g = write(tmp_path / "w.csv", f"name,lat,lon\n{VILLAGE},35.0,38.0\n")
    add_gazetteer(g, name="v", replace=True)
    assert [(m.lat, m.lon) for m in lookup(VILLAGE)] == [(35.0, 38.0)]
    assert len(list((tmp_path / "gazetteers").glob("*.sqlite"))) == 1


@pytest.mark.parametrize("name, text, expected", [
    ("bad.csv", "name,lat,lon\nA,1,2\nB,north,2\n", r"bad\.csv: line 3: field lat: not a number"),
    ("bad.csv", "name,lat,lon\nA,1,2\nB,95,2\n", r"bad\.csv: line 3: field lat: 95.0 is outside"),
    ("bad.csv", "name,lat,lon,kind\nA,1,2,city\nB,1,2,spaceport\n",
     r"bad\.csv: line 3: field kind: unknown kind 'spaceport'"),
    ("bad.csv", "name,lat,lon\nA,1,2\n,1,2\n", r"bad\.csv: line 3: field name: empty name"),
    ("bad.csv", "name,lat,lon\nA,1,2\nB,1\n", r"bad\.csv: line 3: 2 columns, the header has 3"),
    ("bad.csv", "name,lat,lon,id\nA,1,2,x1\nB,1,2,x1\n",
     r"bad\.csv: line 3: id 'x1' is already used on line 2"),
    ("bad.txt", geonames_line(1, "A", 1, 2) + "2\tB\tB\n",
     r"bad\.txt: line 2: 3 tab-separated columns, a GeoNames line has 19"),
    ("bad.txt", geonames_line(1, "A", 1, 2) + geonames_line(2, "B", 1, 200),
     r"bad\.txt: line 2: field longitude: 200.0 is outside"),
    ("bad.txt", geonames_line(1, "A", 1, 2) + geonames_line("x2", "B", 1, 2).replace("x2", "2x"),
     None),
    ("cod.csv", "admin1Name_en,admin1Pcode,lat,lon\nAleppo,SY02,36,37\nIdlib,SY07,,36\n",
     r"cod\.csv: line 3: field lat: not a number"),
    ("cod.csv", "admin1Name_en,admin1Pcode\nAleppo,SY02\n",
     r"cod\.csv: line 1: no latitude and longitude columns"),
    ("words.txt", "Dear all,\nplease find the list attached.\n",
     r"words\.txt: not a gazetteer this tool reads"),
    ("empty.csv", "", r"empty\.csv: empty file"),
])
def test_malformed_file_is_named_with_its_line_and_nothing_is_added(tmp_path, gazetteers, name,
                                                                    text, expected):
    f = write(tmp_path / name, text)
    with pytest.raises(GazetteerError) as exc:
        add_gazetteer(f, name="bad")
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith(str(f))
    if expected:
        import re

        assert re.search(expected, msg), msg
    assert list_gazetteers() == []
    assert not [p for p in gazetteers.glob("*") if p.suffix in (".sqlite", ".tmp")]


def test_not_utf8_names_the_line(tmp_path):
    f = tmp_path / "latin1.csv"
    f.write_bytes(b"name,lat,lon\nA,1,2\n" + "Ḩalab,1,2\n".encode() + b"Caf\xe9,1,2\n")
    with pytest.raises(GazetteerError, match=r"line 4: not UTF-8"):
        add_gazetteer(f)


def test_an_error_on_the_last_line_of_a_long_file_adds_nothing(tmp_path, gazetteers):
    good = "".join(geonames_line(9000000 + i, f"Zanbaq {i}", 36.0, 37.0) for i in range(12_000))
    f = write(tmp_path / "long.txt", good + geonames_line(9999999, "Broken", 36.0, "37,5"))
    with pytest.raises(GazetteerError, match="line 12001: field longitude"):
        add_gazetteer(f, name="long")
    assert list_gazetteers() == []
    assert not lookup("Zanbaq 5")
    assert sorted(p.name for p in gazetteers.iterdir()) in ([], [".lock"])


def test_user_record_stands_in_for_the_shipped_record_of_the_same_place(tmp_path):
    before = found("Airstrikes hit Douma in eastern Ghouta, Syria.")["Douma"]
    assert not before.source.startswith("user:")
    # the analyst's own point of the town, 2 km from GeoNames'
    f = write(tmp_path / "cod.csv", "admin4Name_en,admin4Pcode,latitude,longitude\n"
              "Douma,C9999,33.58,36.41\n")
    add_gazetteer(f, name="cod")
    m = found("Airstrikes hit Douma in eastern Ghouta, Syria.")["Douma"]
    assert (m.source, m.lat, m.lon) == ("user:cod:C9999", 33.58, 36.41)
    rec = get_index().by_source("user:cod:C9999")
    assert rec.country == "SY" and rec.pop > 100_000  # the town's size


def test_user_village_wins_over_a_far_namesake_city_in_a_text_about_its_country(tmp_path):
    text = "Government forces shelled Tripoli near Talkalakh in Homs, Syria, on Monday."
    assert found(text)["Tripoli"].country != "SY"
    f = write(tmp_path / "v.csv", "name,lat,lon,country\nTripoli,34.68,36.26,SY\n")
    add_gazetteer(f, name="v")
    m = found(text)["Tripoli"]
    assert (m.source, m.country) == ("user:v:2", "SY")
    # elsewhere, the world's Tripoli stays the capital of Libya
    assert found("Talks opened in Tripoli, Libya.")["Tripoli"].country == "LY"


def test_cli_add_list_remove(tmp_path, capsys):
    f = write(tmp_path / "v.csv", f"name,lat,lon\n{VILLAGE},36.3,37.0\n")
    assert geo_main(["gazetteer", "add", str(f), "--name", "cli"]) == 0
    assert "added 'cli': 1 places" in capsys.readouterr().out
    assert geo_main(["gazetteer", "list"]) == 0
    assert capsys.readouterr().out.split("\t")[:3] == ["cli", "1", "plain"]
    bad = write(tmp_path / "bad.csv", "name,lat,lon\nX,1\n")
    assert geo_main(["gazetteer", "add", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.csv: line 2" in err and "Traceback" not in err
    assert geo_main(["gazetteer", "remove", "cli"]) == 0
    assert geo_main(["gazetteer", "remove", "cli"]) == 2
    assert json.loads((tmp_path / "gazetteers" / "registry.json").read_text())["gazetteers"] == []


def test_an_upload_is_added_from_its_bytes_and_named_by_its_file_name(gazetteers):
    from geo.gazetteer import add_gazetteer_bytes

    data = f"name,lat,lon\n{VILLAGE},36.3,37.0\n".encode()
    info = add_gazetteer_bytes(data, "C:\\Users\\me\\Camp List.csv")
    assert (info.name, info.file) == ("camp-list", "Camp List.csv")
    assert found(f"Aid reached {VILLAGE}.")[VILLAGE].source == "user:camp-list:2"
    with pytest.raises(GazetteerError, match=r"^bad\.csv: line 2: 2 columns"):
        add_gazetteer_bytes(b"name,lat,lon\nX,1\n", "../bad.csv")
    assert not list(gazetteers.glob(".upload*"))


def test_a_folder_that_cannot_be_written_is_one_line(tmp_path, monkeypatch):
    blocker = write(tmp_path / "not-a-folder", "x")
    monkeypatch.setenv("CORDON_GAZETTEERS", str(blocker / "gz"))
    f = write(tmp_path / "v.csv", f"name,lat,lon\n{VILLAGE},36.3,37.0\n")
    with pytest.raises(GazetteerError, match="cannot write"):
        add_gazetteer(f)
    assert list_gazetteers() == []
    assert found(f"Aid reached {VILLAGE}.").get(VILLAGE) is None


def test_bad_names_are_refused(tmp_path):
    f = write(tmp_path / "v.csv", f"name,lat,lon\n{VILLAGE},36.3,37.0\n")
    for bad in ("", "../x", "a:b", "x" * 65, "-x"):
        with pytest.raises(GazetteerError, match="not a usable gazetteer name"):
            add_gazetteer(f, name=bad)
    with pytest.raises(GazetteerError, match="no such file"):
        add_gazetteer(tmp_path / "missing.csv")


def test_template_text_in_a_gazetteer_name_reaches_the_map_as_text(tmp_path):
    """A user's place list is untrusted text: its names travel through geoparse onto the map
    and must stay text there (no Jinja, no script)."""
    from layers.draw import add_basemap, build_groups, offline_map
    from layers.draw.groups import mention_features

    payload = "Wadi {{ 7*7 }} {# x {% raw %}<script>alert(1)</script>"
    f = write(tmp_path / "hostile.csv",
              f'name,alternate names,lat,lon,country\n"{payload}",{VILLAGE},35.9,36.6,SY\n')
    add_gazetteer(f, name="hostile")
    (m,) = [m for m in geoparse(f"Families fled {VILLAGE} on Monday.") if m.text == VILLAGE]
    assert m.name == payload  # kept as written, not cut or cleaned
    fmap = add_basemap(offline_map((35.9, 36.6), 10))
    for g in build_groups({"mentions": mention_features([m])}):
        g.add_to(fmap)
    out = fmap.get_root().render()  # no TemplateSyntaxError
    assert "Wadi {{" not in out and "{#" not in out and "<script>alert" not in out
    assert "49" not in out.split("Wadi", 1)[-1][:40]


def test_a_gazetteer_added_under_older_spelling_rules_is_rekeyed_once(tmp_path, gazetteers,
                                                                      monkeypatch):
    """A gazetteer added before the folding rules changed stores keys of the old rules: it is
    brought up to date when first opened, and its places are found by every spelling."""
    import sqlite3

    from geo import normalize
    from geo.gazetteer import registry
    from geo.gazetteer.overlay import Overlay

    f = write(tmp_path / "villages.csv", "name,alternate_names,lat,lon,kind,country\n"
              "Bayt Zanbaqiyah,,36.31,37.02,village,SY\n")
    # written as the rules of version "1" would have: no rule 7, no 'fold' entry
    monkeypatch.setattr(normalize, "_romanised", lambda text: text)
    normalize.clear_caches()
    info = add_gazetteer(f, name="old-rules")
    monkeypatch.undo()
    monkeypatch.setenv("CORDON_GAZETTEERS", str(gazetteers))
    normalize.clear_caches()
    db = gazetteers / info.db
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM meta WHERE k = 'fold'")
        assert con.execute("SELECT count(*) FROM names WHERE key = ?",
                           (fold("Bayt Zanbaqiyah"),)).fetchone()[0] == 0  # "bait …" now
    Overlay(gazetteers, registry.read(gazetteers)[0])
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT v FROM meta WHERE k = 'fold'").fetchone()[0] == \
            normalize.RULES
        keys = {k for (k,) in con.execute("SELECT key FROM names")}
    assert fold("Bayt Zanbaqiyah") in keys
    get_index()._user_sig = None  # (an open index looks at the registry again)
    got = found("Shelling hit Beit Zanbaqiya near Aleppo, Syria.")
    assert got["Beit Zanbaqiya"].source.startswith("user:old-rules:")


def test_a_camp_known_by_its_number_is_found_from_the_users_camp_list(tmp_path):
    text = "Fire destroyed 400 shelters in Camp 15 and Camp 4 Extension on Sunday."
    assert {m.text for m in geoparse(text)} == set()  # no shipped record is a numbered camp
    f = write(tmp_path / "camps.csv",
              "name,lat,lon,kind,country\n"
              "Camp 15,21.17,92.14,camp,BD\n"
              "Camp 4 Extension,21.21,92.15,camp,BD\n")
    add_gazetteer(f, name="iscg")
    got = {m.text: (m.kind, m.source) for m in geoparse(text)}
    assert got == {"Camp 15": ("site", "user:iscg:2"),
                   "Camp 4 Extension": ("site", "user:iscg:3")}
    # a number the list does not hold is no place, nor "Camp" alone
    assert {m.text for m in geoparse("Camp 16 and the Camp were quiet.")} == set()
