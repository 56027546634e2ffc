"""Write ``data/geo/arabic-names.csv``: Arabic names of places the gazetteer knows only in
Latin script — every country, and regions, divisions and cities that Arabic reports name.

GeoNames gives Arabic names to most cities and to the divisions of Arab countries, but none
to countries ("العراق", "تشاد" found nothing) and few to the regions and divisions of other
crises ("دارفور", "تيغراي", "راخين"). Sources:

- countries: the Unicode CLDR's Arabic territory names, read through Babel (``pip install
  babel``; a tool for this script only, not a dependency of Cordon). A name with a gloss in
  brackets gives both ("ميانمار (بورما)"); CLDR's "A - B" forms ("الكونغو - كينشاسا") are not
  how reports write the name and are left out (``HAND`` has the usual forms).
- ``HAND`` below: our own list of the spellings Arabic news uses beside CLDR's (سورية،
  أميركا، بريطانيا…) and of regions, divisions and cities, each with the place it names.

Targets are gazetteer ids (``geonames:ID``, ``region:…``, ``pl-…``); ``city:Name@CC`` is
resolved here to the most populous GeoNames city of that name in that country. The script
stops, naming the row, if a target is not found.

Usage::

    PYTHONPATH=/path/to/babel .venv/bin/python scripts/make_arabic_names.py
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "data" / "geo" / "arabic-names.csv"
COUNTRIES = ROOT / "data" / "places" / "world-countries.csv"

#: (Arabic name, target) — our own list. Country targets are ISO codes ("country:SY").
HAND: tuple[tuple[str, str], ...] = (
    # countries: the spellings news uses beside CLDR's
    ("سورية", "country:SY"), ("الجمهورية العربية السورية", "country:SY"),
    ("أمريكا", "country:US"), ("أميركا", "country:US"),
    ("الولايات المتحدة الأمريكية", "country:US"), ("الولايات المتحدة الأميركية", "country:US"),
    ("بريطانيا", "country:GB"), ("السعودية", "country:SA"), ("الإمارات", "country:AE"),
    ("فلسطين", "country:PS"), ("دولة فلسطين", "country:PS"),
    ("الكونغو الديمقراطية", "country:CD"), ("جمهورية الكونغو الديمقراطية", "country:CD"),
    ("جمهورية الكونغو", "country:CG"), ("كوت ديفوار", "country:CI"),
    ("أثيوبيا", "country:ET"), ("أفريقيا الوسطى", "country:CF"),
    ("جمهورية أفريقيا الوسطى", "country:CF"), ("إفريقيا الوسطى", "country:CF"),
    ("تركية", "country:TR"), ("روسيا الاتحادية", "country:RU"), ("البوسنة", "country:BA"),
    ("موريتانيا", "country:MR"), ("الصومال", "country:SO"), ("جيبوتي", "country:DJ"),
    ("جزر القمر", "country:KM"), ("القمر", "country:KM"), ("اليونان", "country:GR"),
    ("ألمانيا", "country:DE"), ("المانيا", "country:DE"), ("إيطاليا", "country:IT"),
    ("ايطاليا", "country:IT"), ("إسبانيا", "country:ES"), ("اسبانيا", "country:ES"),
    ("إندونيسيا", "country:ID"), ("اندونيسيا", "country:ID"), ("الهند", "country:IN"),
    ("باكستان", "country:PK"), ("أفغانستان", "country:AF"), ("افغانستان", "country:AF"),
    ("إريتريا", "country:ER"), ("ارتيريا", "country:ER"), ("إرتريا", "country:ER"),
    ("إسرائيل", "country:IL"), ("اسرائيل", "country:IL"), ("إيران", "country:IR"),
    ("ايران", "country:IR"), ("أوكرانيا", "country:UA"), ("اوكرانيا", "country:UA"),
    ("ليبيا", "country:LY"), ("مصر", "country:EG"), ("الجزائر", "country:DZ"),
    ("المغرب", "country:MA"), ("تونس", "country:TN"), ("السودان", "country:SD"),
    ("جنوب السودان", "country:SS"), ("تشاد", "country:TD"), ("النيجر", "country:NE"),
    ("نيجيريا", "country:NG"), ("مالي", "country:ML"), ("بوركينا فاسو", "country:BF"),
    ("الكاميرون", "country:CM"), ("كينيا", "country:KE"), ("أوغندا", "country:UG"),
    ("اوغندا", "country:UG"), ("بنغلاديش", "country:BD"), ("بنجلاديش", "country:BD"),
    ("بنغلادش", "country:BD"), ("ميانمار", "country:MM"), ("بورما", "country:MM"),
    ("هايتي", "country:HT"), ("الصين", "country:CN"), ("اليابان", "country:JP"),
    # regions, seas and rivers (ids of data/geo/regions.csv)
    ("دارفور", "region:darfur"), ("إقليم دارفور", "region:darfur"),
    ("كردفان", "region:kordofan"), ("إقليم كردفان", "region:kordofan"),
    ("جبال النوبة", "region:nuba-mountains"),
    ("سيناء", "region:sinai"), ("شبه جزيرة سيناء", "region:sinai"),
    ("الجولان", "region:golan-heights"), ("هضبة الجولان", "region:golan-heights"),
    ("مرتفعات الجولان", "region:golan-heights"),
    ("القلمون", "region:qalamoun"), ("حوران", "region:hauran"), ("سهل حوران", "region:hauran"),
    ("سهل البقاع", "region:bekaa-valley"), ("كردستان", "region:kurdistan"),
    ("منطقة الساحل", "region:sahel"), ("الساحل الأفريقي", "region:sahel"),
    ("الساحل الإفريقي", "region:sahel"), ("القرن الأفريقي", "region:horn-of-africa"),
    ("القرن الإفريقي", "region:horn-of-africa"), ("الشرق الأوسط", "region:middle-east"),
    ("شبه الجزيرة العربية", "region:arabian-peninsula"),
    ("الخليج العربي", "region:persian-gulf"), ("الخليج الفارسي", "region:persian-gulf"),
    ("خليج عدن", "region:gulf-of-aden"), ("بحر العرب", "region:arabian-sea"),
    ("خليج عمان", "region:gulf-of-oman"), ("البحر المتوسط", "region:mediterranean"),
    ("البحر الأبيض المتوسط", "region:mediterranean"), ("البحر الأحمر", "region:red-sea"),
    ("النيل", "region:nile"), ("نهر النيل", "region:nile"), ("الفرات", "region:euphrates"),
    ("نهر الفرات", "region:euphrates"), ("دجلة", "region:tigris"), ("نهر دجلة", "region:tigris"),
    ("القرم", "region:crimea"), ("شبه جزيرة القرم", "region:crimea"), ("دونباس", "region:donbas"),
    # first-level divisions of crises outside the Arab countries (ids of world-admin1.csv)
    ("تيغراي", "geonames:444187"), ("تيجراي", "geonames:444187"),
    ("أمهرة", "geonames:444180"), ("أمهرا", "geonames:444180"), ("عفار", "geonames:444179"),
    ("أوروميا", "geonames:444185"), ("راخين", "geonames:1298852"),
    ("أراكان", "geonames:1298852"), ("ولاية راخين", "geonames:1298852"),
    ("أعالي النيل", "geonames:381229"), ("ولاية أعالي النيل", "geonames:381229"),
    ("ساغاينغ", "geonames:1298480"), ("كاشين", "geonames:1321702"), ("شان", "geonames:1297099"),
    ("لوهانسك", "geonames:702657"), ("زابوريجيا", "city:Zaporizhzhya@UA"),
    ("خيرسون", "city:Kherson@UA"), ("خاركيف", "city:Kharkiv@UA"),
    ("خاركوف", "city:Kharkiv@UA"), ("ماريوبول", "city:Mariupol@UA"),
    ("أوديسا", "city:Odesa@UA"), ("دنيبرو", "city:Dnipro@UA"), ("لفيف", "city:Lviv@UA"),
    ("سومي", "city:Sumy@UA"), ("باخموت", "city:Bakhmut@UA"),
    # capitals and cities GeoNames leaves without an Arabic name
    ("واشنطن", "city:Washington@US"), ("نايبيداو", "city:Nay Pyi Taw@MM"),
    ("نايبيتاو", "city:Nay Pyi Taw@MM"), ("كوناكري", "city:Conakry@GN"),
    ("سيتوي", "city:Sittwe@MM"), ("كوكس بازار", "city:Cox’s Bāzār@BD"),
    ("كوتوبالونغ", "pl-kutupalong-camp"), ("لامبيدوزا", "city:Lampedusa@IT"),
    ("داداب", "city:Dadaab@KE"), ("بن قردان", "city:Ben Gardane@TN"),
    ("ميكيلي", "city:Mek'ele@ET"), ("مقلي", "city:Mek'ele@ET"),
    ("بحر دار", "city:Bahir Dar@ET"), ("غوندار", "city:Gonder@ET"),
    # Sudanese towns of the war's reporting that GeoNames names in Latin script only
    ("كتم", "city:Kutum@SD"), ("كبكابية", "city:Kabkābīyah@SD"), ("مليط", "city:Mellit@SD"),
    ("الدلنج", "city:Dilling@SD"), ("بابنوسة", "city:Babanūsah@SD"),
    ("الفولة", "city:Al Fūlah@SD"), ("كوستي", "city:Kosti@SD"), ("ربك", "city:Rabak@SD"),
    ("الحصاحيصا", "city:Al Hasaheisa@SD"), ("برام", "city:Burām@SD"),
    ("أم كدادة", "city:Umm Kaddadah@SD"),
)


def _cldr_countries(codes: set[str]) -> list[tuple[str, str]]:
    from babel import Locale

    out = []
    for cc, name in sorted(Locale("ar").territories.items()):
        if cc not in codes or " - " in name:
            continue
        m = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
        for nm in (m.group(1), m.group(2)) if m else (name,):
            out.append((nm.strip(), f"country:{cc}"))
    return out


def _city(name: str, cc: str) -> str:
    from geo.gazetteer import get_index

    con = get_index()._con
    row = con.execute("SELECT source FROM places WHERE kind = 'city' AND country = ? AND "
                      "name = ? ORDER BY capital DESC, pop DESC LIMIT 1", (cc, name)).fetchone()
    if row is None:
        sys.exit(f"{Path(__file__).name}: no city {name!r} in {cc}")
    return row[0]


def main() -> None:
    with COUNTRIES.open(encoding="utf-8") as fh:
        country_ids = {r["country_code"]: r["id"] for r in csv.DictReader(fh)}
    rows: dict[tuple[str, str], str] = {}
    for name, target in _cldr_countries(set(country_ids)):
        rows.setdefault((name, country_ids[target[8:]]), "cldr")
    for name, target in HAND:
        if target.startswith("country:"):
            if target[8:] not in country_ids:
                sys.exit(f"{Path(__file__).name}: no country {target}")
            target = country_ids[target[8:]]
        elif target.startswith("city:"):
            nm, cc = target[5:].rsplit("@", 1)
            target = _city(nm, cc)
        rows.setdefault((name, target), "cordon")
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name_ar", "target", "source"])
        for (name, target), src in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            w.writerow([name, target, src])
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} names")


if __name__ == "__main__":
    main()
