"""The geoparser on Arabic-language reports: everyday words that GeoNames also gives some town,
the names of countries, regions and divisions that GeoNames has only in Latin script, and
Arabic names of towns (issue 13)."""

from __future__ import annotations

import csv

import pytest

import geo
from geo.gazetteer.build import DATA_GEO, DATA_PLACES
from geo.normalize import fold
from geo.stopwords import word_lists


def places(text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.kind, m.country) for m in geo.geoparse(text)]


@pytest.mark.parametrize("text, word", [
    ("لا نعرف كيف وصلت المساعدات.", "كيف"),  # how: an Arabic name of Kyiv
    ("كان الوفد هناك يوما كاملا.", "كان"),  # was: of Caen; a day: of Yuma
    ("عاد الوفد إلى المخيم بعد الظهر.", "إلى"),  # to: of Ely
    ("قال إن الدولة لن تسمح بذلك لأول مرة منذ سنة.", "سنة"),  # year: of Sanandaj
    ("استمر القصف يوميا خلال زيارة الوفد.", "زيارة"),  # a visit: a Syrian sub-district
    ("وأكد أن الحرية حق للجميع.", "الحرية"),  # freedom: of Liberdade
    # the vocabulary of humanitarian reports
    ("جرفت السيول مئات المنازل وتضررت مساكن كثيرة.", "مساكن"),  # dwellings: Msaken
    ("جرفت سيول غزيرة الطرق الترابية.", "سيول"),  # torrents: Seoul
    ("ارتفعت كلفة النقل عبر المعبر البري.", "كلفة"),  # cost: Calafat; by land: Albury
    ("وصلت الشحنة إلى مرفأ الصيادين.", "مرفأ"),  # port: Merefa
    ("شعر السكان بهزة قوية وتوقفت أفران الخبز.", "أفران"),  # bakeries: Ifrane
    ("يعمل في ورشة عند مفرق الطرق المؤدي إلى المدينة.", "مفرق"),  # a junction: Mafraq
    ("وأبلغوا فوراً عن أي دخان يرونه.", "دخان"),  # smoke: Dukhan
])
def test_everyday_arabic_words_are_not_places(text, word):
    assert word in text
    assert places(text) == []


def test_a_frequent_word_after_a_place_type_noun_is_the_place():
    # طويلة is "long" — and the Darfur town the noun بلدة announces
    got = places("نزح آلاف السكان إلى بلدة طويلة خلال فترة طويلة من القتال.")
    assert got == [("طويلة", "city", "SD")]


@pytest.mark.parametrize("text, cc", [
    ("وصل اللاجئون إلى تشاد.", "TD"),
    ("قال مسؤول في العراق إن الحدود مغلقة.", "IQ"),
    ("عبرت الشاحنات من الأردن.", "JO"),
    ("وصلت سفينة إلى بنغلاديش.", "BD"),
    ("اتهمت أميركا وبريطانيا الطرفين.", "US"),
    ("تستضيف سورية ملايين النازحين.", "SY"),
    ("جرت المحادثات في جمهورية الكونغو الديمقراطية.", "CD"),
])
def test_countries_by_their_arabic_names(text, cc):
    got = places(text)
    assert (cc, "country") in {(c, k) for _t, k, c in got}


def test_every_country_has_an_arabic_name():
    with (DATA_PLACES / "world-countries.csv").open(encoding="utf-8") as fh:
        countries = {r["id"] for r in csv.DictReader(fh)}
    with (DATA_GEO / "arabic-names.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    named = {r["target"] for r in rows}
    assert len(countries - named) <= 5, sorted(countries - named)
    assert all(r["name_ar"] and r["source"] in ("cldr", "cordon") for r in rows)


@pytest.mark.parametrize("text, name, kind", [
    ("تدهور الوضع في دارفور.", "Darfur", "region"),
    ("نزحت عائلات من البقاع.", "Béqaa", "admin1"),  # listed as "محافظة البقاع" only
    ("وصلت قافلة إلى تيغراي.", "Tigray", "admin1"),
    ("فر الآلاف من راخين.", "Rakhine", "admin1"),
    ("زار الوفد واشنطن.", "Washington", "city"),
    ("قال شهود إن القتال وصل إلى كتم.", "Kutum", "city"),
    ("وصلت المساعدات إلى سرمدا.", "Sarmada", "city"),  # our own place, no population figure
    ("وصل الوفد إلى جنين.", "Janīn", "city"),  # GeoNames' Arabic name is an "alternate"
])
def test_regions_divisions_and_towns_by_their_arabic_names(text, name, kind):
    got = {m.name: m.kind for m in geo.geoparse(text)}
    assert got.get(name) == kind, got


def test_the_common_list_holds_no_country_or_listed_name():
    common = word_lists().ar_common
    with (DATA_GEO / "arabic-names.csv").open(encoding="utf-8") as fh:
        names = {fold(r["name_ar"]) for r in csv.DictReader(fh)}
    # (but for the words that only fold like a name: "شأن", a matter, like "شان", Shan State;
    # "هند", Hind, like India's "هند" — scripts/make_arabic_common.py NOT_NAMES)
    assert common and not common & names - {fold("شأن"), fold("هند")}
    assert {fold(w) for w in ("كيف", "إلى", "سنة")} <= common
    assert not {fold(w) for w in ("دمشق", "غزة", "الخرطوم", "حلب")} & common


@pytest.mark.parametrize("text, surface, name", [
    ("وصل الوفد إلى عمّان أمس.", "عمّان", "Amman"),  # a shadda inside the name
    ("زار الوفدُ دِمَشْقَ أمس.", "دِمَشْقَ", "Damascus"),  # every vowel written
    ("وَحَلَب مدينةٌ كبيرة.", "حَلَب", "Aleppo"),  # a proclitic with its own vowel
])
def test_a_vocalised_name_is_one_word(text, surface, name):
    got = {m.text: m.name for m in geo.geoparse(text)}
    assert got == {surface: name}
    m = geo.geoparse(text)[0]
    assert text[m.start:m.end] == surface


@pytest.mark.parametrize("text", [
    "قالت فاطمة إن الوضع صعب.",  # Fatima, not "so" + Atmeh
    "أعلنت كل ولاية حالة الطوارئ.",  # a state, not "and" + Laya
    "زار البابا المنطقة.",  # the pope, not "in" + Aba
])
def test_a_frequent_word_is_not_read_as_a_proclitic_and_a_name(text):
    assert places(text) == []


def test_the_same_name_without_the_proclitic_is_still_found():
    assert ("أطمة", "city", "SY") in places("وصلت قافلة إلى أطمة قرب الحدود.")


@pytest.mark.parametrize("text, surface, name", [
    ("قدمت الدول مساعدات وللبنان أيضا.", "لبنان", "Lebanon"),  # and + to + Lebanon
    ("وبغزة انقطعت الكهرباء.", "غزة", "Gaza"),  # and + in + Gaza
    ("وبالخرطوم انقطعت الكهرباء.", "الخرطوم", "Khartoum"),
])
def test_a_name_with_two_proclitics(text, surface, name):
    got = geo.geoparse(text)
    assert [(m.text, m.name) for m in got] == [(surface, name)]
    assert text[got[0].start:got[0].end] == surface


@pytest.mark.parametrize("text, cc", [
    ("اندلعت اشتباكات في مدينة طرابلس اللبنانية أمس.", "LB"),  # Lebanese Tripoli
    ("اندلعت اشتباكات في طرابلس الليبية أمس.", "LY"),
    ("اندلعت اشتباكات في طرابلس أمس.", "LY"),  # no adjective: the capital
])
def test_an_adjective_of_nationality_after_the_name_places_it(text, cc):
    assert [(m.name, m.country) for m in geo.geoparse(text)] == [("Tripoli", cc)]


@pytest.mark.parametrize("text, ccs", [
    ("أعلن الصليب الأحمر اللبناني وصول مئات العائلات.", {"LB"}),
    ("عاد آلاف السوريين إلى قراهم، وقال مسؤولون أردنيون إن المعبر مفتوح.", {"SY", "JO"}),
    ("وصلت القافلة أمس.", set()),
])
def test_arabic_demonyms_are_context_for_the_whole_text(text, ccs):
    from geo.gazetteer import get_index
    from geo.recognize import recognise

    assert recognise(text, get_index(), word_lists())[1] == ccs


# An everyday word that is also a well-known town of one country (arabic-in-country.txt): the
# town in a text about that country, the word elsewhere and where grammar makes it a word.
_LEBANON = "قصفت الطائرات بلدات في جنوب لبنان قرب النبطية وبنت جبيل. "


@pytest.mark.parametrize("text, surface, name", [
    (_LEBANON + "ونزح آلاف السكان إلى صور أمس.", "صور", "Tyre"),
    (_LEBANON + "وفتحت المدارس في صور والنبطية أبوابها للنازحين.", "صور", "Tyre"),
    (_LEBANON + "النبطية وصور: الخدمات تحت الضغط.", "صور", "Tyre"),
    ("فرت عائلات من العراق والأنبار إلى القائم قرب الحدود السورية مع العراق.", "القائم",
     "Al Qā’im"),
])
def test_an_everyday_word_is_its_countrys_town_in_a_text_about_that_country(
        text, surface, name):
    got = [(m.text, m.name) for m in geo.geoparse(text)]
    assert (surface, name) in got


@pytest.mark.parametrize("text, word", [
    ("نشرت الوكالة صور الدمار في المدينة بعد الزلزال في تركيا.", "صور"),  # not about Lebanon
    (_LEBANON + "وأظهرت صور الأقمار الاصطناعية حجم الدمار.", "صور"),  # pictures of the satellites
    (_LEBANON + "وقالت إحدى النازحات: لا أدري أين أذهب.", "أدري"),  # I do not know
    ("نصبت الخيام البيضاء في بنغازي ودرنة في ليبيا بعد الفيضانات.", "البيضاء"),  # white tents
    ("وقال إن الخلاف القائم بين بغداد والأنبار في العراق لم يحل.", "القائم"),  # the dispute at hand
])
def test_an_everyday_word_stays_a_word_where_it_is_one(text, word):
    assert word not in {m.text for m in geo.geoparse(text)}


def test_every_in_country_word_is_a_frequent_word_of_that_countrys_place():
    from geo.gazetteer import get_index

    lists = word_lists()
    assert lists.ar_in_country, "the in-country list is empty"
    index = get_index()
    for key, ccs in lists.ar_in_country.items():
        assert key in lists.ar_common, key  # everyday sense first (else no list is needed)
        places = index.find([key]).get(key, ())
        assert any(r.country in ccs for r, _how in places), (key, ccs)


@pytest.mark.parametrize("text, word", [
    ("قال متحدث باسم البيت الأبيض إن الإدارة تدرس العقوبات على السودان.", "الأبيض"),  # White House
    ("خرجت ومعها الدقيق الأبيض والماء من كادقلي.", "الأبيض"),  # the white flour, not El Obeid
    ("تعيش الأسرة في الخيمة الزرقاء قرب المفرق في الأردن.", "الزرقاء"),  # the blue tent
    ("فقدت الأراضي الرطبة نصف مساحتها في العراق.", "الرطبة"),  # the wetlands, not Rutba
])
def test_an_adjective_after_a_definite_noun_is_no_town(text, word):
    assert word not in {m.text for m in geo.geoparse(text)}


@pytest.mark.parametrize("text, name", [
    ("وصلت القوافل إلى الأبيض في شمال كردفان.", "El Obeid"),
    ("نزح آلاف إلى مدينة الأبيض.", "El Obeid"),  # after a place-type noun
    ("عاد اللاجئون إلى الزرقاء في الأردن.", "Zarqa"),
])
def test_the_same_word_elsewhere_is_the_town(text, name):
    assert name in {m.name for m in geo.geoparse(text)}


@pytest.mark.parametrize("text, surface, name", [
    ("أعلنت دمشق إعادة فتح معبر نصيب أمام الشاحنات.", "نصيب", "Nasib crossing"),
    ("فاضت مياه الوادي في جنوب محافظة الحديدة.", "الحديدة", "Al Hudaydah"),
    ("نزح الآلاف من ريف دمشق إلى المدينة.", "ريف دمشق", "Rif Dimashq"),  # part of the name
])
def test_a_place_type_noun_is_no_part_of_the_name_found_with_it(text, surface, name):
    got = [(m.text, m.name, text[m.start:m.end]) for m in geo.geoparse(text)]
    assert (surface, name, surface) in got, got


def test_a_town_name_before_abd_is_a_given_name():
    # "ريمة عبد الله" is Reema Abdullah; "ريمة" alone is the Yemeni governorate
    assert "ريمة" not in {m.text for m in geo.geoparse(
        "وقالت ريمة عبد الله، منسقة إحدى المنظمات، إن الوضع صعب في اليمن.")}
    assert "ريمة" in {m.text for m in geo.geoparse("وصلت المساعدات إلى ريمة في اليمن.")}


def test_a_camp_or_crossing_is_found_by_its_name_without_its_noun_unless_a_town_has_it():
    got = {m.text: m.name for m in geo.geoparse(
        "قالت مصادر إن معبري باب الهوى وباب السلامة مع تركيا يستقبلان الشاحنات.")}
    assert got.get("باب الهوى") == "Bab al-Hawa crossing"
    assert got.get("باب السلامة") == "Bab al-Salam crossing"
    # "مخيم خان يونس" is a camp, but "خان يونس" alone is the city
    assert [(m.kind, m.country) for m in geo.geoparse("قصفت الطائرات خان يونس أمس.")] == [
        ("city", "PS")]


def test_an_everyday_word_after_a_preposition_is_a_town_of_the_texts_country():
    # "طويلة" (long) is Tawila in a report on Darfur when it stands after "إلى" or "في"
    text = ("وصل أكثر من ألف نازح من الفاشر إلى طويلة خلال الأسبوع، وتبدأ التوزيعات في طويلة "
            "صباحاً، بعد رحلة طويلة من شمال دارفور.")
    got = [(m.start, m.country) for m in geo.geoparse(text) if m.text == "طويلة"]
    assert [cc for _s, cc in got] == ["SD", "SD"], got
    assert text.rindex("طويلة") not in {s for s, _cc in got}  # "رحلة طويلة", a long journey


@pytest.mark.parametrize("text", [
    "دعت المنظمة إلى هدنة في دارفور تفتح الباب أمام إيصال المساعدات إلى الفاشر.",
    "قالت إنها أغلقت الباب وغادرت صور مع أطفالها.",
])
def test_the_door_is_no_syrian_town_outside_a_text_on_syria(text):
    assert "الباب" not in {m.text for m in geo.geoparse(text)}


def test_a_district_noun_is_no_part_of_the_name():
    text = "عاد آلاف النازحين إلى قرى قضاء بنت جبيل، ووصلت قوافل إلى محلية مليط."
    got = {m.text: m.country for m in geo.geoparse(text)}
    assert got.get("بنت جبيل") == "LB" and got.get("مليط") == "SD", got


def test_an_arabic_place_type_noun_names_its_level():
    # "قضاء" is a district (Iraq's qada): not a Syrian sub-district (ناحية) of the name
    text = "عادت عائلات من مخيمات دهوك إلى قضاء سنجار خلال الشهر، بعد إغلاق مخيم شاريا."
    got = {m.text: m.country for m in geo.geoparse(text)}
    assert got.get("سنجار") == "IQ", got
