"""Countries standing for their national teams in a sports report: "Kenya beat Tanzania 2–1",
"Senegal's coach said", "they face Morocco, Mali and Angola".

A country that plays, scores or is beaten is its team, not the place; a report of a match
also names the places it is played in ("the final in Dar es Salaam", "In Kenya, the stadium
…"), so only the team uses are dropped. ``drop_teams`` works only on a text that reads as a
sports report (several words of the game: striker, coach, tournament, stoppage time…), which
no humanitarian report or news story on other matters does. In such a text, a country is its
team where a verb or noun of the game follows it ("Kenya beat", "Tanzania's equaliser"), where
a word of the game comes before it ("against Morocco", "lost to Egypt", "face either Portugal
or Croatia"), and where it continues a list of teams ("against Morocco, Mali and Angola").
Once a country has been a team, its other mentions are the team too — unless a preposition
of place or a direction comes right before ("In Kenya, the renovation", "western Uganda") or
a word of the state right after ("the Tanzania government"), where the text speaks of the
country.
"""

from __future__ import annotations

import re

from geo.recognize import Span

#: Words of a match report. A text with ``SPORT_MIN`` of them (of ``SPORT_KINDS`` kinds or
#: more) is read as one.
_SPORT_WORD = re.compile(
    r"\b(?:striker|strikers|midfielder|goalkeeper|defender|winger|coach|equali[sz]er|"
    r"stoppage[- ]time|kick-off|hat-trick|tournament|World Cup|AFCON|Copa Am[eé]rica|"
    r"qualifier|group stage|round of 16|semi-final|quarter-final|final whistle|half-time|"
    r"penalty shoot-?out|offside|referee|scored|goal|goals)\b")
SPORT_MIN = 4
SPORT_KINDS = 3
_AP = "(?:'s|’s)"
#: After a team: a verb of the game, a score or a possessive with a noun of the game.
_TEAM_AFTER = re.compile(
    rf"(?:{_AP}[ \t]+(?:equali[sz]er|goal|goals|coach|manager|striker|strikers|goalkeeper|"
    r"keeper|defence|defense|midfield|attack|captain|winner|opener|squad|players|fans|"
    r"supporters|campaign|bench|substitutes?|line-?up)|"
    r"[ \t]+(?:beat|beats|drew|lost|loses|face|faces|faced|meet|meets|met|play|plays|played|"
    r"open|opens|opened|won|win|wins|took the lead|take the lead|takes the lead|"
    r"had taken the lead|led|trailed|equali[sz]ed|scored|came back|qualified|advanced|"
    r"move on|moved on|crashed out|were knocked out|were eliminated|thrashed|edged|"
    r"\d{1,2}[–-]\d{1,2}))\b")
#: Before a team: a preposition or verb of the game, or a score.
_TEAM_BEFORE = re.compile(
    r"\b(?:against|beat|beating|beats|face|faces|facing|meet|meets|meeting|vs\.?|v\.?|"
    r"versus|lost to|losing to|fell to|defeated by|beaten by|win over|victory over|"
    r"draw with|drew with|knocked out|eliminated|\d{1,2}[–-]\d{1,2})[ \t]+(?:either[ \t]+)?$")
_LIST_GAP = re.compile(r"(?:,[ \t]+|[ \t]+(?:and|or)[ \t]+|,[ \t]+(?:and|or)[ \t]+)$")
#: Right before a mention: the country, not its team ("In Kenya", "western Uganda").
_PLACE_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Aa]t|[Ff]rom|[Tt]o|[Aa]cross|[Tt]hroughout|[Aa]round|[Nn]ear|[Oo]f|[Ii]nto|"
    r"[Ww]ithin|[Nn]orthern|[Ss]outhern|[Ee]astern|[Ww]estern|[Cc]entral)[ \t]+$")


#: Right after a mention: the country's state or land ("the Tanzania government").
_PLACE_AFTER = re.compile(
    r"[ \t]+(?:government|authorities|ministry|officials|president|police|army|embassy|"
    r"border|economy|parliament)\b")


def is_sport_text(text: str) -> bool:
    """Whether ``text`` reads as a sports report (see the module's docstring)."""
    words = [m.group().lower() for m in _SPORT_WORD.finditer(text)]
    return len(words) >= SPORT_MIN and len(set(words)) >= SPORT_KINDS


def _country(sp: Span) -> bool:
    return any(r.kind == "country" and h in (0, 3) for r, h in sp.cands)


def drop_teams(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` without the countries that stand for their teams (in order, as given)."""
    if not is_sport_text(text):
        return spans
    teams: set[str] = set()
    team_at: set[int] = set()
    prev_team: Span | None = None
    for sp in spans:
        if not _country(sp):
            prev_team = None
            continue
        before = text[max(0, sp.start - 24):sp.start]
        team = bool(_TEAM_AFTER.match(text, sp.end) or _TEAM_BEFORE.search(before)) or (
            prev_team is not None
            and _LIST_GAP.fullmatch(text, prev_team.end, sp.start) is not None)
        if team:
            teams.add(sp.surface)
            team_at.add(sp.start)
        prev_team = sp if team else None
    if not teams:
        return spans
    return [sp for sp in spans
            if sp.start not in team_at and not (
                sp.surface in teams and _country(sp)
                and not _PLACE_BEFORE.search(text, max(0, sp.start - 14), sp.start)
                and not _PLACE_AFTER.match(text, sp.end))]
