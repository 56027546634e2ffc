"""State and province abbreviations after a place: "SPRINGFIELD, Ill. —", "Athens, Ga.",
"Portland, OR", "London, Ont.", "Townsville, Qld".

US local news writes the state after the town in the AP's abbreviations, and those are too
short or too common to be names on their own ("Ga", "Mo", "Miss", "Ind", "Ore"): the recogniser
drops them or reads another place ("Tenn" is not Sri Lanka's Southern province). Right after
"<capitalised word>, " they are the first-level division, and as such they are the admin cue
that says which Athens or Columbia the name before the comma is. ``add_states`` puts a span
there whose only candidates are the division(s) the abbreviation stands for
(``data/geo/words/state-abbreviations.txt``; "WA" is Washington or Western Australia, and the
resolver's cue for the division that holds the name before it decides). A two-letter postal
code counts only when no all-capital word follows it (a headline: "PARIS, IN TEXAS").
"""

from __future__ import annotations

import re
from functools import lru_cache

from geo.gazetteer import Index, Record
from geo.normalize import fold
from geo.recognize import Span, is_locator
from geo.stopwords import WORDS_DIR
from geo.tails import merge

ABBREVIATIONS_FILE = WORDS_DIR / "state-abbreviations.txt"
_CAPS_NEXT = re.compile(r"[ \t]+[A-Z]{2,}\b")


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """The pattern that finds ", <abbreviation>" and the place ids of each abbreviation."""
    targets: dict[str, list[str]] = {}
    for line in ABBREVIATIONS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            abbr, pid = line.split("\t")[:2]
            targets.setdefault(abbr, []).append(pid.strip())
    alts = "|".join(re.escape(a) for a in sorted(targets, key=len, reverse=True))
    return (re.compile(rf",[ \t]+({alts})(?!\w)"),
            {a: tuple(ids) for a, ids in targets.items()})


@lru_cache(maxsize=256)
def _records(index: Index, ids: tuple[str, ...]) -> tuple[tuple[Record, int], ...]:
    return tuple((r, 3) for pid in ids if (r := index.by_source(pid)) is not None)


def abbreviation_records(text: str, pos: int, index: Index) -> tuple[tuple[Record, int], ...]:
    """The divisions a state or province abbreviation right after ``pos`` (", Ga.") stands
    for, or ()."""
    pattern, targets = _table()
    m = pattern.match(text, pos)
    return _records(index, targets[m.group(1)]) if m else ()


def add_states(text: str, spans: list[Span], index: Index) -> list[Span]:
    """Add a span for each state or province abbreviation after "<Name>, " (it replaces a span
    the recogniser read there). ``spans`` in text order, not overlapping; so is the result."""
    if ", " not in text:
        return spans
    pattern, targets = _table()
    new: list[Span] = []
    for m in pattern.finditer(text):
        i = m.start() - 1
        while i >= 0 and (text[i].isalpha() or text[i] in ".'’-"):
            i -= 1
        word = text[i + 1:m.start()]
        if not word[:1].isupper():
            continue  # "…, Ga." after a number or a lower-case word: not a place's state
        abbr = m.group(1)
        if len(abbr) == 2 and abbr.isupper() and _CAPS_NEXT.match(text, m.end()):
            continue  # a headline in capitals: "PARIS, IN TEXAS"
        cands = _records(index, targets[abbr])
        if cands:
            start = m.start(1)
            new.append(Span(start, m.end(1), abbr, fold(abbr), cands, 1, cue_end=True))
    out = merge(spans, new) if new else spans
    _mark_datelines(text, out)
    return out


def _mark_datelines(text: str, spans: list[Span]) -> None:
    """Mark the place of each wire dateline: a name in capitals opening a line, then ", " and
    its state or country ("PERU, Ind. —", "NORWAY, Maine —", "KANSAS CITY, Mo. (AP)")."""
    for i in range(len(spans) - 1):
        sp, nxt = spans[i], spans[i + 1]
        if nxt.start == sp.end + 2 and text.startswith(", ", sp.end) \
                and (sp.start == 0 or text[sp.start - 1] == "\n") and sp.surface.isupper() \
                and (is_locator(nxt.cands) or any(r.kind == "admin2" for r, _h in nxt.cands)):
            sp.dateline = True  # (also after a county: "BOSTON, Lincolnshire —")
