"""Write ``data/geo/words/arabic-common.txt``: frequent Arabic words that are also the Arabic
name of some place in the gazetteer, and mean the word far more often than the place.

GeoNames' Arabic alternate names include transliterations of foreign towns that are everyday
Arabic words: "كيف" (how) is an Arabic name of Kyiv, "كان" (was) of Caen, "إلى" (to) of
Ely, "سنة" (year) of Sanandaj, "زيارة" (visit) a Syrian sub-district. An Arabic report names
them in every sentence. This list is the Arabic counterpart of ``common-words.txt``: the
words among the 8,000 most frequent of wordfreq's Arabic list (``pip install wordfreq``; a
tool for this script only) whose folded form is a key of the gazetteer index (and, for such
a word that begins with و ب ل or ف, the rest of the word, which the recogniser would try as
the name after a proclitic: ``arabic-unsplit.txt``), minus the
words whose usual sense in news is the place (``PLACES`` below, our own judgement: "دمشق",
"الخرطوم", "غزة"…) and minus every name of ``data/geo/arabic-names.csv`` (countries,
regions), plus a few words by our judgement: past the cut (``WORDS``: "الخيام", the tents,
is also Khiam) or folding like a listed name (``NOT_NAMES``: "شأن", a matter, folds like
"شان", Shan State). The recogniser takes a listed word as a place only after a place-type noun
("بلدة طويلة", "مخيم كلمة").

wordfreq's data is CC BY-SA 4.0 (© Robyn Speer and contributors; see the package's
README), so the list made from it is shared under CC BY-SA 4.0 too.

Usage::

    PYTHONPATH=/path/to/wordfreq .venv/bin/python scripts/make_arabic_common.py
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "data" / "geo" / "words" / "arabic-common.txt"
UNSPLIT = ROOT / "data" / "geo" / "words" / "arabic-unsplit.txt"
NAMES = ROOT / "data" / "geo" / "arabic-names.csv"
TOP = 8000

#: Frequent words whose usual sense in news is the place they name (kept as places).
PLACES = frozenset("""
لبنان القاهرة فلسطين أفريقيا غزة عمان أوروبا نيويورك تونس الجزائر الرياض دمشق الكويت لندن
آسيا دبي باريس بيروت قم القدس بغداد حلب مدريد مكة واشنطن إيران الأبيض الجزيرة المدينة
مدينة جدة دوما صنعاء موسكو برشلونة كولومبيا طهران الموصل روما عدن الطبقة الإسكندرية برلين
الخليل حمص طرابلس الدوحة تعز مسقط ليفربول مانشستر جنيف طوكيو البصرة الزرقاء شيكاغو إدلب باري
حولي درعا الطائف القطيف أثينا الرقة حماة كردستان السويس بكين الخرطوم الرباط فلوريدا بوسطن
الدمام كانو الجيزة الشارقة صوفيا بنغازي كربلاء ليون ميامي ميلان اسطنبول سنغافورة القصير هولندا
الأرجنتين بيرو كوبا أبوظبي يورك العمارة
""".split())
#: (Not "الباب", the door, "يفتح الباب أمام", opens the door to, nor "تدمر", destroys: each is
#: a word of ours, and a Syrian town only in a text about Syria: arabic-in-country.txt.)

#: Everyday words past the frequency cut that name a place we list, added by our judgement:
#: "الخيام" (the tents) is also Khiam in south Lebanon, and humanitarian reports speak of
#: tents in every other line ("بلدة الخيام" is still the town).
WORDS = frozenset("خيام الخيام".split())
#: Words of humanitarian reporting past the cut that GeoNames gives some town elsewhere, found
#: by looking up our own list of the vocabulary of such reports (shelter, water, floods…):
#: "سيول" torrents (also an Arabic spelling of Seoul, which reports on Korea name after its
#: noun: "العاصمة الكورية سيول"), "مساكن" dwellings (Msaken), "مرفأ" port (Merefa), "كلفة"
#: cost (Calafat), "البري" by land, "المعبر البري" (Albury; a Khartoum quarter), "هزة" tremor
#: (Heze), "أفران" bakeries (Ifrane), "المزرعة" the farm, "الحمامات" latrines (Hammamet),
#: "أبراج" towers, of telecommunications (a quarter of Aleppo).
WORDS |= frozenset("سيول مساكن مرفأ كلفة البري هزة أفران المزرعة الحمامات أبراج الأبراج"
                   .split())
#: Everyday words past the cut seen taken for towns in the development sets' errors: "مفرق"
#: a road junction (the Jordanian city is "المفرق"), "جوياً" by air (Goya), "ألفين" two
#: thousand (Alvin), "لرسوم" for fees (Leersum), "دخان" smoke
#: (Dukhan).
WORDS |= frozenset("مفرق جويا ألفين لرسوم دخان".split())
#: Everyday words past the cut that are the Arabic names of south Lebanese villages added in the
#: seventh data round: "شمع", "الشمع" wax (Shamaa), "صديقين" two friends (Siddiqin),
#: "المنصوري"/"منصوري" a common surname (Mansouri), "برجا" the accusative of "tower" ("برجاً";
#: Barja). (Maarakeh, "معركة" a battle, Boustan, "البستان" the orchard, and Jebbayn, "الجبين"
#: the forehead, are given in the place table only with their place noun, "بلدة معركة": after
#: a preposition a listed word is still read as a town of the text's country, and "في معركة",
#: "في الجبين" are far too frequent in reports on Lebanon.)
WORDS |= frozenset("شمع الشمع صديقين المنصوري منصوري برجا".split())
#: Frequent words that fold like a name of ``arabic-names.csv`` but are another word, by our
#: judgement: "شأن" (a matter; "بشأن", about) folds like "شان", Shan State, which reports
#: name after its cue ("ولاية شان"); "هند" is the given name Hind, India being "الهند".
NOT_NAMES = frozenset("شأن هند".split())
UNSPLIT_WORDS = frozenset("بشأن".split())

_AR_WORD = re.compile(r"^[\u0621-\u064a]+$")
_MARKS = re.compile(r"[\u064b-\u0652]")


def main() -> None:
    from wordfreq import top_n_list

    from geo.gazetteer import get_index
    from geo.normalize import fold

    with NAMES.open(encoding="utf-8") as fh:
        named = {fold(r["name_ar"]) for r in csv.DictReader(fh)}
    keep = {fold(w) for w in PLACES} | named
    # (a vowel mark or tanween is no reason to skip a word: "دولاً", countries)
    words = [m for w in top_n_list("ar", TOP) if _AR_WORD.match(m := _MARKS.sub("", w))]
    keys = {}
    for w in words:
        k = fold(w)
        if k and k not in keep:
            keys.setdefault(k, w)
    index = get_index()
    found = index.find(list(keys))
    out = sorted({keys[k] for k in found}
                 | {w for w in WORDS | NOT_NAMES if index.find([fold(w)])})
    # a frequent word that begins with a letter the matcher may take for a proclitic
    # (و ب ل ف) is that word, not the proclitic and a name: "ولاية" (state) is not "and
    # Laya", "بلاد" (land) not "in Lad", "فاطمة" (Fatima) not "so Atmeh"
    rests = {}
    for w in words:
        k = fold(w[1:])
        if len(w) > 3 and w[0] in "وبلف" and k and k not in keep and fold(w) not in keep:
            rests.setdefault(k, w)
    found = index.find(list(rests))
    unsplit = sorted({rests[k] for k in found}
                     | {w for w in UNSPLIT_WORDS if index.find([fold(w[1:])])})
    header = ("# Frequent Arabic words that are also an Arabic name of some place (GeoNames),\n"
              "# meaning the word far more often: made by scripts/make_arabic_common.py from\n"
              "# wordfreq's Arabic list (CC BY-SA 4.0). One word a line.\n")
    OUT.write_text(header + "\n".join(out) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(out)} words")
    header = ("# Frequent Arabic words that begin with و ب ل or ف where the rest of the word is\n"
              "# an Arabic name of some place (GeoNames): the recogniser reads them whole, never\n"
              "# as a proclitic and a name. Made by scripts/make_arabic_common.py from wordfreq's\n"
              "# Arabic list (CC BY-SA 4.0). One word a line.\n")
    UNSPLIT.write_text(header + "\n".join(unsplit) + "\n", encoding="utf-8")
    print(f"{UNSPLIT.relative_to(ROOT)}: {len(unsplit)} words")


if __name__ == "__main__":
    main()
