"""Spelling folding: map the many romanisations of one name to one lookup key.

The same rules run on gazetteer names (at index build) and on text spans (at parse time), so
``fold("Sheikh Maqsoud") == fold("Shaykh Maksud") == fold("Cheikh Maqsoud")`` without listing
every form. Rules, in order:

1. Unicode compatibility decomposition; combining marks (diacritics) dropped; a few letters
   without a decomposition mapped (ß→ss, ø→o, æ→ae, ł→l, đ→d, ı→i, þ→th).
2. Lower case; apostrophes and Arabic transliteration marks (' ’ ` ʿ ʾ ‘) dropped; full stops
   dropped ("U.S." → "us", "St." → "st").
3. Arabic article: ``al-, el-, ul-`` and the assimilated forms ``ash-, as-, ad-, adh-, ar-,
   an-, at-, ath-, az-, es-, ed-, er-, en-, et-, ez-`` become ``al``; a free-standing ``el`` too.
4. Sheikh/Shaykh/Shaikh/Sheik/Cheikh… → ``shaykh``; Saint → st; Mount → mt.
5. Hyphens, slashes and runs of blanks become one space.
6. ``q``→``k``; ``ou``/``oo``→``u``; ``ee``→``i``.
7. One sound, several romanisations: ``ei``, and ``ay``/``ey`` before a consonant → ``ai``
   ("Beit"/"Bayt", "Bureij"/"Burayj", "Deir"/"Dayr"); a ``y`` beside a vowel written ``i``
   elsewhere: ``ya``/``yu``/``ye`` → ``ia``/``iu``/``ie``, ``iy``/``yi`` → ``i`` ("Kupyansk"/
   "Kupiansk", "Avdiyivka"/"Avdiivka", "Kabkabiya"/"Kabkabia", "Mykolayiv"/"Mykolaiv"); a
   word-final ``ah`` after three letters or more → ``a`` ("Babanusah"/"Babanusa",
   "-iyah"/"-iya"; not "Utah").
8. Doubled letters → one (before rule 7 as well as after).

Arabic script: diacritics (harakat), tatweel and the superscript alef are dropped; alef forms
unify to ا, alef maqsura to ي, teh marbuta to ه, hamza carriers to their base letter, and Persian
yeh/kaf to the Arabic letters.

``fold`` is memoised: news repeats its names, and parse-time cost must stay at dictionary speed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_SPECIAL = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l",
    "Ł": "l", "đ": "d", "Đ": "d", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
    "'": "", "’": "", "‘": "", "`": "", "´": "", "ʿ": "", "ʾ": "", "ʻ": "", "ʼ": "", ".": "",
    "‐": "-", "‑": "-", "–": "-", "—": "-", "_": " ", "/": " ", ",": " ", "(": " ", ")": " ",
})
_ARTICLE_HYPHEN = re.compile(
    r"\b(?:al|el|ul|ol|ash|as|ad|adh|ar|an|at|ath|az|es|esh|ed|er|en|et|ez)-")
_ARTICLE_SPACE = re.compile(r"(?:^|(?<= ))el (?=\w)")
_SHEIKH = re.compile(r"\b(?:sheikh|shaykh|shaikh|sheik|shaik|shekh|sheykh|cheikh|cheik|"
                     r"chaikh|chaykh|shiekh)\b")
_SAINT = re.compile(r"\bsaint\b|\bste?\b")
_MOUNT = re.compile(r"\bmount\b")
_BLANKS = re.compile(r"[\s\-]+")
_VOWELS = re.compile(r"ou|oo")
# (not before a word-final s: "Jays", "Keys" are English plurals)
_DIPHTHONG = re.compile(r"ei|[ae]y(?=[bcdfghjklmnpqrtvwxz]|s\B)")
# (three letters before it at least: "Utah", "Noah", "IAH" keep theirs)
_FINAL_AH = re.compile(r"(?<=\w\w\w)ah\b")
_DOUBLE = re.compile(r"(\w)\1+")

# Arabic script
_AR_DROP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_MAP = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    "ی": "ي", "ک": "ك", "ې": "ي", "ە": "ه",
})
_HAS_ARABIC = re.compile("[\u0600-\u06ff]")


def strip_marks(text: str) -> str:
    """Drop diacritics and map special Latin letters (keeps case and punctuation)."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold_arabic(text: str) -> str:
    """Normalise Arabic script: drop harakat/tatweel, unify alef, yeh, teh marbuta, hamza."""
    text = _AR_DROP.sub("", text).translate(_AR_MAP)
    return " ".join(text.split())


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Return the lookup key of a place name (see the module docstring for the rules)."""
    text = name.translate(_SPECIAL)
    if not text.isascii():
        if _HAS_ARABIC.search(text):
            return fold_arabic(name)
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).translate(_SPECIAL)
    text = text.lower()
    if "-" in text:
        text = _ARTICLE_HYPHEN.sub("al ", text)
    text = " ".join(_BLANKS.split(text)).strip() if ("-" in text or "  " in text
                                                      or "\t" in text) else text.strip()
    if text.startswith("el ") or " el " in text:
        text = _ARTICLE_SPACE.sub("al ", text)
    if "sh" in text or "ch" in text:  # every spelling _SHEIKH knows has one of them
        text = _SHEIKH.sub("shaykh", text)
    if "st" in text or "saint" in text:
        text = _SAINT.sub("st", text)
    if "mount" in text:
        text = text.replace("mount", "mt") if text == "mount" else _MOUNT.sub("mt", text)
    return _letters(text)


def _letters(text: str) -> str:
    """Rules 6, 8, 7 and 8 again on lower-case text (``fold``'s last steps, and
    ``fold_words``' on many words joined by newlines). Doubled letters go before rule 7 too,
    so that a key of the rules without it (user gazetteers keep theirs) can be brought up to
    date from the key alone (``rekey``)."""
    text = text.replace("q", "k").replace("ou", "u").replace("oo", "u").replace("ee", "i")
    # = _DOUBLE.sub(r"\1", text): splitting on a one-group pattern keeps the group, and on
    # Python 3.11 a template with a group reference costs a Python call per sub
    return "".join(_DOUBLE.split(_romanised("".join(_DOUBLE.split(text)))))


def _romanised(text: str) -> str:
    """Rule 7 of the module docstring, on lower-case text. Each rewrite stays inside a word
    (no pattern holds a blank or a newline), so words folded one by one, or joined by a blank
    or a newline, get the same keys (what ``fold_words`` and the recogniser rely on)."""
    if "ei" in text or "ay" in text or "ey" in text:
        text = _DIPHTHONG.sub("ai", text)
    if "y" in text:
        text = text.replace("ya", "ia").replace("yu", "iu").replace("ye", "ie") \
            .replace("iy", "i").replace("yi", "i")
    if "ah" in text:
        text = _FINAL_AH.sub("a", text)
    return text


#: The version of the folding rules; keys stored outside the index (user gazetteers) record
#: it, and :func:`rekey` brings keys of version "1" (before rule 7, 2026-12-04) up to date.
RULES = "2"


def rekey(key: str) -> str:
    """The key that the current rules give a name whose key under rules "1" was ``key``.

    The old key is the text with rules 1–6 and 8 applied; the current rules apply rule 8,
    then rule 7, then rule 8 again, so the old key needs only the last two. An Arabic-script
    key is unchanged (rule 7 is for Latin letters, and Arabic keys keep their doubled
    letters); so is, wrongly, the key of a Latin name whose only Arabic-block characters
    were marks (``fold`` does not fold such a name at all).
    ``tests/test_geo_shortcuts.py`` checks ``rekey(old fold(w)) == fold(w)``.
    """
    if _HAS_ARABIC.search(key):
        return key
    return "".join(_DOUBLE.split(_romanised(key)))


#: Keys of single words, for :func:`fold_words` (emptied when it reaches ``fold``'s size).
_WORD_KEYS: dict[str, str] = {}
_WORD_KEYS_MAX = 200_000


def fold_words(words: Iterable[str]) -> dict[str, str]:
    """``{w: fold(w)}`` for single words, the new ones of ASCII letters folded all at once.

    A text of unseen words (a first pass, random capitalised words) costs one ``fold`` call
    each, most of it Python's per-call work. A word of ASCII letters has no blank, hyphen,
    mark or punctuation, so each of ``fold``'s rules stays inside it and the rules can run
    once over all such words joined by newlines (no rule matches across a newline: ``\b``
    sees a boundary there, and no replaced pair or doubled letter contains one). A word of
    letters with an Arabic one is folded by ``fold_arabic``, whose rules are per character,
    so those words go through together too.
    ``tests/test_geo_shortcuts.py`` checks the equality.
    """
    cache = _WORD_KEYS
    out: dict[str, str] = {}
    batch: list[str] = []
    arabic: list[str] = []
    for w in words:
        k = cache.get(w)
        if k is not None:
            out[w] = k
        elif w.isalpha():
            if w.isascii():
                batch.append(w)
            elif _HAS_ARABIC.search(w):
                arabic.append(w)
            else:
                out[w] = fold(w)
        else:
            out[w] = fold(w)
    if not batch and not arabic:
        return out
    if len(cache) + len(batch) + len(arabic) > _WORD_KEYS_MAX:
        cache.clear()
    if arabic:
        # fold_arabic's marks and letters, one character at a time; a letter word has no blank
        text = _AR_DROP.sub("", "\n".join(arabic)).translate(_AR_MAP)
        for w, k in zip(arabic, text.split("\n"), strict=True):
            out[w] = cache[w] = k
    if not batch:
        return out
    text = "\n".join(batch).lower()
    if "sh" in text or "ch" in text:
        text = _SHEIKH.sub("shaykh", text)
    if "st" in text or "saint" in text:
        text = _SAINT.sub("st", text)
    if "mount" in text:
        text = _MOUNT.sub("mt", text)
    for w, k in zip(batch, _letters(text).split("\n"), strict=True):
        out[w] = cache[w] = k
    return out


def clear_caches() -> None:
    """Forget every memoised key (``fold``, ``plain``, ``fold_words``): a first pass again."""
    fold.cache_clear()
    plain.cache_clear()
    _WORD_KEYS.clear()


def drop_article(key: str) -> str | None:
    """The key without a leading Arabic article ("al sukari" → "sukari"), or None."""
    if key.startswith("al ") and len(key) > 5:
        return key[3:]
    return None


@lru_cache(maxsize=200_000)
def plain(name: str) -> str:
    """Case- and diacritic-insensitive form used to tell an exact name from a folded variant."""
    return " ".join(strip_marks(name).lower().replace("’", "'").split())
