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
    ("جبل مرة", "region:jebel-marra"), ("جبال مرة", "region:jebel-marra"),
    ("الليطاني", "region:litani"), ("نهر الليطاني", "region:litani"),
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
    # Sudan: more towns GeoNames names in Latin script only
    ("أردمتا", "city:'Ārdamatā@SD"), ("أبو جبيهة", "city:Abu Jibeha@SD"), ("تلس", "city:Tullus@SD"),
    ("سنكات", "city:Sinkat@SD"), ("السوكي", "city:As Sūkī@SD"), ("تندلتي", "city:Tandaltī@SD"),
    ("الفاو", "city:Al-Fāw@SD"), ("الحواتة", "city:Al Ḩawātah@SD"), ("مايرنو", "city:Maiurno@SD"),
    ("رفاعة", "city:Rufā‘a@SD"), ("رهيد البردي", "city:Rahad al Bardi@SD"),
    ("أبو زبد", "city:Abū Zabad@SD"), ("غبيش", "city:Ghubaysh@SD"),
    ("جزيرة أبا", "city:Al Jazeera Aba@SD"), ("أم شوكة", "city:Umm Shawkah@SD"),
    ("دوكة", "city:Doka@SD"), ("الباوقة", "city:El Bauga@SD"), ("الهلالية", "city:Al Hilāliyya@SD"),
    ("أروما", "city:Aroma@SD"), ("لقاوة", "city:Al Lagowa@SD"), ("الكرمك", "city:Kurmuk@SD"),
    ("ود راوة", "city:Wad Rāwah@SD"), ("جلقني", "city:Jalqani@SD"),
    ("المسلمية", "city:Al Masallamiyya@SD"), ("ود الزاكي", "city:Wad az Zāki@SD"),
    ("أرقو", "city:Argo@SD"), ("كرمة النزل", "city:Karmah an Nuzul@SD"),
    ("الجريف غرب", "city:Al Giref Gharb@SD"),
    # Sudan: the bare names of localities, camps and crossings whose towns GeoNames lacks
    # (the place table has only "محلية كرنوي", "مخيم كساب")
    ("كرنوي", "pl-sd-kernoi-locality"), ("الطويشة", "pl-sd-at-tawisha-locality"),
    ("اللعيت", "pl-sd-al-lait-locality"), ("كلبس", "pl-sd-kulbus-locality"),
    ("قيسان", "pl-sd-geissan-locality"), ("المفازة", "pl-sd-al-mafaza-locality"),
    ("الميرم", "pl-sd-al-meiram-locality"), ("كيلك", "pl-sd-keilak-locality"),
    ("عد الفرسان", "pl-sd-ed-al-fursan-locality"), ("أم دخن", "pl-sd-um-dukhun-locality"),
    ("مكجر", "pl-sd-mukjar-locality"), ("بندسي", "pl-sd-bendasi-locality"),
    ("أزوم", "pl-sd-azum-locality"), ("أم برو", "pl-sd-um-baru-locality"),
    ("كبم", "pl-sd-kubum-locality"), ("عسلاية", "pl-sd-assalaya-locality"),
    ("أبو كرشولا", "pl-sd-abu-kershola-locality"),
    ("جبرة الشيخ", "pl-sd-gebrat-al-sheikh-locality"), ("سودري", "pl-sd-soudari-locality"),
    ("أم دم حاج أحمد", "pl-sd-um-dam-haj-ahmed-locality"), ("شيكان", "pl-sd-sheikan-locality"),
    ("باسندة", "pl-sd-basundah-locality"), ("همشكوريب", "pl-sd-hamashkoreib-locality"),
    ("تلكوك", "pl-sd-telkok-locality"), ("ود الحليو", "pl-sd-wad-el-hilew-locality"),
    ("أبو حجار", "pl-sd-abu-hujar-locality"), ("ود الماحي", "pl-sd-wad-al-mahi-locality"),
    ("أم رمتة", "pl-sd-um-rimta-locality"), ("الليري", "pl-sd-al-leri-locality"),
    ("دلامي", "pl-sd-delami-locality"), ("أم دورين", "pl-sd-um-durein-locality"),
    ("السريف", "pl-sd-as-serief-locality"), ("كلمندو", "pl-sd-kelemando-locality"),
    ("مرشينج", "pl-sd-mershing-locality"), ("أبو كارنكا", "pl-sd-abu-karinka-locality"),
    ("عديلة", "pl-sd-adila-locality"), ("أبو جابرة", "pl-sd-abu-jabrah-locality"),
    ("الطينة", "pl-sd-at-tina-locality"), ("جبل مون", "pl-sd-jebel-moon-locality"),
    ("فوربرنقا", "pl-sd-foro-baranga-locality"), ("باو", "pl-sd-baw-locality"),
    ("الرهد أبو دكنة", "pl-sd-ar-rahad-nk-locality"), ("كساب", "pl-kassab-camp"),
    ("أم راكوبة", "pl-um-rakuba-camp"), ("كريندنق", "pl-krinding-camp"), ("دريج", "pl-dereig-camp"),
    ("أرقين", "pl-argeen-crossing"), ("أشكيت", "pl-ashkeit-qustul-crossing"),
    ("وادي صالح", "pl-sd-wadi-salih-locality"),
    # Libya
    ("قصر بن غشير", "city:Qaşr Bin Ghashīr@LY"), ("تاجوراء", "city:Tājūrā’@LY"),
    ("السواني", "city:As Sawānī@LY"), ("ترهونة", "city:Tarhuna@LY"), ("شحات", "city:Shahhat@LY"),
    ("الأصابعة", "city:Al Aşābi‘ah@LY"), ("وادي عتبة", "city:Wādī 'Utbah@LY"),
    ("الرياينة", "city:Ar Rayāyinah@LY"), ("أبو زيان", "city:Abū Zayyān@LY"),
    ("جالو", "city:Jālū@LY"), ("ككلة", "city:Kiklah@LY"), ("وردامة", "city:Wardāmah@LY"),
    ("سيدي الصيد", "city:Sīdī aş Şayd@LY"), ("أمساعد", "city:Umm Sā'ad@LY"),
    ("قصر ليبيا", "city:Qaşr Lībiyā@LY"), ("الحوامد", "city:Al Ḩawāmid@LY"),
    ("قرنادة", "city:Qirnādah@LY"), ("العوينات", "city:Al ‘Awinat@LY"),
    ("الجغبوب", "city:Al Jaghbūb@LY"),
    # Chad
    ("بيبيجا", "city:Bébédja@TD"), ("قونو قايا", "city:Gounou Gaya@TD"), ("كيابي", "city:Kyabé@TD"),
    ("مانديليا", "city:Mandelia@TD"), ("دوربالي", "city:Dourbali@TD"),
    ("بايبوكوم", "city:Baïbokoum@TD"), ("أبو دية", "city:Abou Déïa@TD"),
    ("نقوري", "city:Ngouri@TD"), ("صلال", "city:Salal@TD"), ("قريدة", "city:Guéréda@TD"),
    # Egypt
    ("مدينة نصر", "city:Madīnat an Naşr@EG"), ("كوم أمبو", "city:Kom Ombo@EG"),
    ("مدينة السادس من أكتوبر", "city:6th of October City@EG"),
    ("الحوامدية", "city:Al Ḩawāmidīyah@EG"), ("سنورس", "city:Sinnūris@EG"),
    ("البدرشين", "city:Al Badrashayn@EG"), ("أبو النمرس", "city:Abū an Numrus@EG"),
    ("حوش عيسى", "city:Ḩawsh ‘Īsá@EG"), ("الخانكة", "city:Al Khānkah@EG"),
    ("مشتول السوق", "city:Mashtūl as Sūq@EG"), ("بسيون", "city:Basyūn@EG"),
    ("طامية", "city:Ţāmiyah@EG"), ("مدينة السادات", "city:Madīnat as Sādāt@EG"),
    ("إهناسيا", "city:Ihnāsīyah@EG"), ("إهناسيا المدينة", "city:Ihnāsyā al Madīnah@EG"),
    ("أبو المطامير", "city:Abū al Maţāmīr@EG"), ("دراو", "city:Darāw@EG"),
    ("الواسطى", "city:Al Wāsiţah@EG"), ("الزعفرانة", "city:Zaafarana@EG"),
    ("العياط", "city:Al ‘Ayyāţ@EG"), ("رأس غارب", "city:Ras Gharib@EG"),
    ("سمسطا", "city:Sumusţā as Sulţānī@EG"), ("فايد", "city:Fāyīd@EG"),
    ("مدينة بدر", "city:Badr@EG"), ("البصيلية", "city:Al Başalīyah Baḩrī@EG"),
    ("أبو صوير", "city:Abu Suweir-el-Mahatta@EG"),
    ("بني سويف الجديدة", "city:Banī Suwayf al Jadīdah@EG"), ("كفر شكر", "city:Kafr Shukr@EG"),
    ("حلايب", "city:Hala'ib@EG"), ("أطفيح", "city:Aţfīḩ@EG"), ("موط", "city:Mūţ@EG"),
    ("يوسف الصديق", "city:Yūsuf aṣ-Ṣiddīq@EG"),
    # Jordan
    ("قصر الحلابات", "city:Qaşr al Ḩallābāt@JO"),
    # Lebanon
    ("رأس بيروت", "city:Ra’s Bayrūt@LB"), ("بوداي", "city:Boudaï@LB"),
    ("دير الأحمر", "city:Deïr el Ahmar@LB"), ("بريتال", "city:Brîtel@LB"),
    # Palestine (Israeli settlements by the names WAFA and Arabic news give them)
    ("شعفاط", "city:Shu‘fāţ@PS"), ("عطروت", "city:‘Aţārūt@PS"), ("بلاطة البلد", "city:Balāţah@PS"),
    ("جفعات زئيف", "city:Givat Zeev@PS"), ("إفرات", "city:Efrata@PS"),
    ("أورانيت", "city:Oranit@PS"), ("بيتا الفوقا", "city:Baytā al Fawqā@PS"),
    ("كوخاف يعقوب", "city:Kokhav Ya‘aqov@PS"), ("ذنابة", "city:Dhannābah@PS"),
    ("ألفيه منشيه", "city:Alfei Menasheh@PS"), ("كرني شومرون", "city:Qarne Shomeron@PS"),
    ("بيت إيل", "city:Beit El@PS"), ("جيفع بنيامين", "city:Geva Binyamin@PS"),
    ("بيت أرييه", "city:Bet Arye@PS"), ("كدوميم", "city:Qedumim@PS"),
    ("ألي زهاف", "city:Alei Zahav@PS"), ("إلكانا", "city:Elqana@PS"),
    ("عمانوئيل", "city:‘Immanu‘el@PS"), ("ألون شفوت", "city:Alon shvut@PS"),
    ("مفو حورون", "city:Mevo H̱oron@PS"), ("نفيه دانيال", "city:Neve Daniel@PS"),
    ("ياكير", "city:Yaqqir@PS"), ("بدوئيل", "city:Pedu’el@PS"), ("عزون عتمة", "city:Azun Atme@PS"),
    ("كيدار", "city:Qedar@PS"), ("بات عاين", "city:Bat A'in@PS"), ("حلميش", "city:H̱allamish@PS"),
    ("معاليه مخماس", "city:Ma‘ale Mikhmas@PS"), ("ألمون", "city:‘Almon@PS"),
    ("حنانيت", "city:H̱innanit@PS"), ("سوسيا", "city:Suseya@PS"),
    ("معاليه إفرايم", "city:Ma‘ale Efrayim@PS"), ("سلعيت", "city:Sal‘it@PS"),
    ("بروخين", "city:Bruchin@PS"), ("عتنئيل", "city:Otniel@PS"), ("كرمي تسور", "city:Karme Ẕur@PS"),
    # Iraq
    ("حاجياوة", "city:Hajiawa@IQ"), ("الدجيل", "city:Ad Dujayl@IQ"),
    ("الفهود", "city:Nāḩiyat al Fuhūd@IQ"), ("الزوية", "city:AlZwya@IQ"),
    # Somalia
    ("عابدواق", "city:Cabudwaaq@SO"), ("رأس كامبوني", "city:Kaambooni@SO"),
    ("كامبوني", "city:Kaambooni@SO"), ("بلد حاوة", "city:Beled Hawo@SO"),
    ("أفجوي", "city:Afgooye@SO"), ("أفغوي", "city:Afgooye@SO"), ("قريولي", "city:Qoryooley@SO"),
    ("بارطيري", "city:Baardheere@SO"), ("بارديري", "city:Baardheere@SO"), ("لوق", "city:Luuq@SO"),
    ("بورهكبة", "city:Buurhakaba@SO"), ("عيل طير", "city:Ceeldheer@SO"),
    ("ونلاوين", "city:Wanlaweyn@SO"),
    # Mauritania
    ("امبره", "city:Mbera@MR"), ("لكصر", "city:Ksar@MR"), ("كرو", "city:Guerou@MR"),
    ("بوتلميت", "city:Boutilimitt@MR"), ("الطينطان", "city:Ṭinṭâne@MR"),
    ("مقطع لحجار", "city:Magṭa‘ Laḥjar@MR"), ("باسكنو", "city:Basseknou@MR"),
    ("ولاتة", "city:Oualata@MR"), ("فصالة", "city:Vassala@MR"), ("الركيز", "city:R'kiz@MR"),
    # Tunisia
    ("السيجومي", "city:Sejoumi@TN"), ("المحمدية", "city:La Mohammedia@TN"),
    ("وادي الليل", "city:Oued Lill@TN"), ("سقانص", "city:Skanes@TN"), ("زويلة", "city:Zouila@TN"),
    ("دار شعبان", "city:Dar Chabanne@TN"), ("قرمدة", "city:Gremda@TN"),
    ("بومهل", "city:Boumhel El Bassatine@TN"), ("دوز", "city:Douz@TN"), ("ميدون", "city:Midoun@TN"),
    ("برج السدرية", "city:Borj Cedria@TN"),
    # Algeria
    ("العلمة", "city:El Eulma@DZ"), ("عين البيضاء", "city:Aïn Beïda@DZ"), ("آفلو", "city:Aflou@DZ"),
    ("بني مراد", "city:Beni Mered@DZ"), ("الرويسات", "city:Rouissat@DZ"),
    ("عين مليلة", "city:Aïn M’Lila@DZ"), ("المشرية", "city:Mecheria@DZ"),
    ("علي منجلي", "city:Ali Mendjeli@DZ"), ("المحمدية", "city:Mohammadia@DZ"),
    ("الطاهير", "city:District of Taher@DZ"), ("الشطية", "city:Ech Chettia@DZ"),
    ("قصر البخاري", "city:Ksar el Boukhari@DZ"), ("الذرعان", "city:Drean@DZ"),
    ("الرغاية", "city:Reghaïa@DZ"), ("شلغوم العيد", "city:Chelghoum el Aïd@DZ"),
    ("حاسي بونيف", "city:Assi Bou Nif@DZ"), ("عين ولمان", "city:Aïn Oulmene@DZ"),
    ("فرندة", "city:Frenda@DZ"), ("مروانة", "city:Merouana@DZ"),
    ("عين الصفراء", "city:Aïn Sefra@DZ"), ("الميلية", "city:El Milia@DZ"),
    ("سيدي عمار", "city:Sidi Amar@DZ"), ("برج منايل", "city:Bordj Menaïel@DZ"),
    ("سور الغزلان", "city:Sour el Ghozlane@DZ"), ("ذراع الميزان", "city:Draa el Mizan@DZ"),
    ("تيميزار", "city:Timizart@DZ"), ("تبسبست", "city:Tebesbest@DZ"),
    ("بو إسماعيل", "city:Bou Ismaïl@DZ"), ("أولاد موسى", "city:Ouled Moussa@DZ"),
    ("تيغنيف", "city:Tighenif@DZ"), ("عين البية", "city:Aïn el Bya@DZ"), ("آريس", "city:Arris@DZ"),
    ("سيدي الشحمي", "city:Sidi ech Chahmi@DZ"), ("بني تامو", "city:Beni Tamou@DZ"),
    ("سبدو", "city:Sebdou@DZ"), ("بوقاعة", "city:Bougaa@DZ"),
    ("عين البنيان", "city:’Aïn Benian@DZ"), ("فريحة", "city:Freha@DZ"),
    ("سيدي موسى", "city:Sidi Moussa@DZ"), ("الأربعاء ناث إيراثن", "city:L’Arbaa Naït Irathen@DZ"),
    ("بوينان", "city:Bouinan@DZ"), ("عزازقة", "city:Azazga@DZ"),
    # Morocco (with the Al Haouz villages of the 2023 earthquake)
    ("تمارة", "city:Temara@MA"), ("سلا الجديدة", "city:Salé Al Jadida@MA"),
    ("أيت ملول", "city:Ait Melloul@MA"), ("دار بوعزة", "city:Dar Bouazza@MA"),
    ("فاس البالي", "city:Fès al Bali@MA"), ("إنزكان", "city:Inezgane@MA"),
    ("القصر الكبير", "city:Ksar El Kebir@MA"), ("بوسكورة", "city:Bouskoura@MA"),
    ("الدشيرة الجهادية", "city:Dchira El Jihadia@MA"), ("سيدي سليمان", "city:Sidi Slimane@MA"),
    ("جرسيف", "city:Guercif@MA"), ("أولاد تايمة", "city:Oulad Teïma@MA"),
    ("بنجرير", "city:Ben Guerir@MA"), ("ويسلان", "city:Ouislane@MA"), ("تيفلت", "city:Tiflet@MA"),
    ("القليعة", "city:Lqoliaa@MA"), ("الفنيدق", "city:Fnidek@MA"),
    ("سوق أربعاء الغرب", "city:Souk El Arbaa@MA"), ("اليوسفية", "city:Youssoufia@MA"),
    ("الهراويين", "city:Lahraouyine@MA"), ("مرتيل", "city:Martil@MA"),
    ("عين حرودة", "city:Aïn Harrouda@MA"),
    ("سوق السبت أولاد النمة", "city:Souq Sebt Oulad Nemma@MA"), ("الصخيرات", "city:Skhirate@MA"),
    ("وزان", "city:Ouezzane@MA"), ("بني انصار", "city:Beni Enzar@MA"),
    ("سيدي بنور", "city:Sidi Bennour@MA"), ("ميدلت", "city:Midelt@MA"),
    ("الدراركة", "city:My Drarga@MA"), ("عين عودة", "city:Ain El Aouda@MA"),
    ("الدروة", "city:Ad Darwa@MA"), ("العروي", "city:Al Aaroui@MA"),
    ("قصبة تادلة", "city:Kasba Tadla@MA"), ("أبي الجعد", "city:Bejaâd@MA"),
    ("سيدي الطيبي", "city:Sidi Taibi@MA"), ("مريرت", "city:Mrirt@MA"),
    ("أزمور", "city:Azemmour@MA"), ("أيت أورير", "city:Ait Ourir@MA"),
    ("سيدي يحيى الغرب", "city:Sidi Yahia El Gharb@MA"), ("بوزنيقة", "city:Bouznika@MA"),
    ("حد السوالم", "city:Had Soualem@MA"), ("إمزورن", "city:Imzouren@MA"), ("زايو", "city:Zaïo@MA"),
    ("أورير", "city:Aourir@MA"), ("زغنغن", "city:Zeghanghane@MA"),
    ("تيط مليل", "city:Tit Mellil@MA"), ("مشرع بلقصيري", "city:Mechraa Bel Ksiri@MA"),
    ("العطاوية", "city:Laâttaouia@MA"), ("سيدي سليمان الشراعة", "city:Sidi Slimane Echcharaa@MA"),
    ("دمنات", "city:Demnate@MA"), ("أرفود", "city:Arfoud@MA"), ("بوعرفة", "city:Bouarfa@MA"),
    ("جرف الملحة", "city:Souk et Tnine Jorf el Mellah@MA"), ("عين تاوجطات", "city:Aïn Taoujdat@MA"),
    ("تامسنا", "city:Tamesna@MA"), ("تاهلة", "city:Tahla@MA"), ("أمزميز", "city:Amizmiz@MA"),
    ("تلات نيعقوب", "city:Talat-n-Ya’qoub@MA"), ("ثلاث نيعقوب", "city:Talat-n-Ya’qoub@MA"),
    ("مولاي إبراهيم", "city:Moulay Brahim@MA"), ("أسني", "city:Asni@MA"),
    ("أداسيل", "city:Adassil@MA"),
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
