"""Date words in a sentence → an ISO date and a precision, relative to the publication date.

Finding the words is ours (``data/lexicons/dates.json`` and a few patterns for day-month
forms); resolving them is dateparser's, with the publication date as the relative base and
past dates preferred (a report tells what has happened). Two conventions of news writing are
applied on top, both documented in layers/propose/README.md:

- a weekday equal to the publication weekday is the publication day ("on Saturday" in a
  Saturday report), not a week before;
- "overnight" / "last night" is the night before publication: the day before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from .lexicon import Lexicon


@dataclass(frozen=True, slots=True)
class DateMention:
    """A resolved date phrase: offsets into the sentence, ISO date, precision."""

    start: int
    end: int
    text: str
    date: date
    precision: str


@dataclass(frozen=True, slots=True)
class _Patterns:
    relative: re.Pattern
    relative_rule: dict[str, dict]
    ago: re.Pattern
    weekday: re.Pattern
    day_month: re.Pattern
    month_day: re.Pattern
    month_only: re.Pattern
    weekdays: tuple[str, ...]
    month_word: re.Pattern


def _alts(words) -> str:
    return "|".join(r"\s+".join(re.escape(t) for t in w.split())
                    for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=4)
def _patterns(lex: Lexicon) -> _Patterns:
    d = lex.dates
    rule = {}
    words = []
    for entry in d["relative"]:
        for w in entry["words"]:
            rule[" ".join(w.lower().split())] = entry
            words.append(w)
    months = d["months"]
    mon = r"(?:" + _alts(months) + r")\.?"
    mods = r"(?:(?:" + _alts(d["month_modifiers"]) + r")\s*)?"
    ago = d["ago"]
    return _Patterns(
        relative=re.compile(r"(?<![\w-])(?:" + _alts(words) + r")(?![\w-])", re.IGNORECASE),
        relative_rule=rule,
        ago=re.compile(r"(?<![\w-])(\d+|" + _alts(ago["numbers"]) + r")\s+(" +
                       _alts(ago["units"]) + r")\s+ago(?![\w-])", re.IGNORECASE),
        weekday=re.compile(r"(?<![\w-])(" + _alts(d["weekdays"]) + r")(?:\s+(?:night|morning|"
                           r"afternoon|evening))?(?![\w-])"),
        # "22 December", "22 Dec. 2016" / "December 22", "Dec. 7, 2016"
        day_month=re.compile(r"(?<![\w-])(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + mon +
                             r"(?:,?\s+(\d{4}))?(?![\w-])"),
        month_day=re.compile(r"(?<![\w-])" + mon + r"\s+(\d{1,2})(?:st|nd|rd|th)?"
                             r"(?:,?\s+(\d{4}))?(?![\w-])"),
        month_only=re.compile(r"(?<![\w-])(?:(?:in|since|during|by|of|until)\s+)?" + mods + mon
                              + r"(?:\s+(\d{4}))?(?![\w-])"),
        weekdays=tuple(w.lower() for w in d["weekdays"]),
        month_word=re.compile(r"(?<![A-Za-z])(?:" + _alts(months) + r")(?![A-Za-z])"),
    )


def _parse(phrase: str, published: date) -> tuple[date, str] | None:
    """dateparser's reading of ``phrase`` with ``published`` as the base: (date, period)."""
    from dateparser.date import DateDataParser

    base = datetime(published.year, published.month, published.day, 12, 0)
    ddp = DateDataParser(languages=["en"], settings={
        "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True, "RELATIVE_BASE": base,
        "TIMEZONE": "UTC", "TO_TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": False})
    data = ddp.get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


@lru_cache(maxsize=4096)
def _resolve(kind: str, phrase: str, published: date) -> tuple[date, str] | None:
    got = _parse(phrase, published)
    if got is None:
        return None
    day, period = got
    if kind == "weekday":
        target = phrase.split()[0].lower()
        if published.strftime("%A").lower() == target:
            return published, "day"
        return day, "day"
    if kind == "month":
        return day.replace(day=1), "month"
    if kind == "date" and day > published:  # "22 December" read in a January report
        try:
            day = day.replace(year=day.year - 1)
        except ValueError:
            return None
    return day, ("day" if period in ("day", "time", "part_of_day") else period)


def find_dates(sentence: str, published: date, lex: Lexicon) -> list[DateMention]:
    """Every date phrase in ``sentence`` resolved against ``published`` (in text order)."""
    p = _patterns(lex)
    out: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(a: int, b: int, text: str, day: date, precision: str) -> None:
        taken.append((a, b))
        out.append(DateMention(a, b, text, day, precision))

    for m in p.day_month.finditer(sentence):
        got = _resolve("date", m.group(0), published)
        if got and free(m.start(), m.end()):
            add(m.start(), m.end(), m.group(0), got[0], "day")
    for m in p.month_day.finditer(sentence):
        got = _resolve("date", m.group(0), published)
        if got and free(m.start(), m.end()):
            add(m.start(), m.end(), m.group(0), got[0], "day")
    for m in p.relative.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        entry = p.relative_rule.get(" ".join(m.group(0).lower().split()))
        if entry is None:
            continue
        if "days" in entry:
            day = published + timedelta(days=int(entry["days"]))
        else:
            got = _resolve("relative", entry.get("parse", m.group(0)), published)
            if got is None:
                continue
            day = got[0]
        add(m.start(), m.end(), m.group(0), day, entry["precision"])
    for m in p.ago.finditer(sentence):
        phrase = m.group(0)
        got = _resolve("ago", phrase, published) if free(m.start(), m.end()) else None
        if got:
            unit = lex.dates["ago"]["units"].get(m.group(2).lower(), "day")
            add(m.start(), m.end(), phrase, got[0], unit)
    for m in p.weekday.finditer(sentence):
        got = _resolve("weekday", m.group(1), published) if free(m.start(), m.end()) else None
        if got:
            add(m.start(), m.end(), m.group(0), got[0], "day")
    for m in p.month_only.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        word = p.month_word.findall(m.group(0))[-1]
        if word == "May" and not m.group(1) and not re.match(
                r"(?i)(in|since|during|by|of|until)\s", m.group(0)):
            continue  # "May" alone at a sentence start is the modal
        phrase = word + (f" {m.group(1)}" if m.group(1) else "")
        got = _resolve("month", phrase, published)
        if got:
            add(m.start(), m.end(), m.group(0), got[0], "month")
    for m in _YEAR.finditer(sentence):
        year = int(m.group(1))
        if free(m.start(), m.end()) and 1900 < year <= published.year:
            add(m.start(), m.end(), m.group(0), date(year, 1, 1), "year")
    out.sort(key=lambda d: d.start)
    return out


_YEAR = re.compile(r"(?<![\w-])(?:in|during)\s+((?:19|20)\d\d)(?![\w-])",
                   re.IGNORECASE)
