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
of place or a direction comes right before ("In Kenya, the renovation", "western Uganda"), a
word of the state right after ("the Tanzania government"), or it places the name before it
("GUADALAJARA, Mexico —"), where the text speaks of the country.
"""

from __future__ import annotations

import re

from geo.recognize import LIST_GAP, Span

#: Words of a match report, of the team games news reports most (football, cricket, rugby,
#: basketball, hockey). A text with ``SPORT_MIN`` of them (of ``SPORT_KINDS`` kinds or more)
#: is read as one. Words that other news uses often ("match", "series", "captain", "lead")
#: are left out; "Test" counts only with its capital, as cricket writes it.
_SPORT_WORD = re.compile(
    r"\b(?:striker|strikers|midfielder|goalkeeper|defender|winger|coach|equali[sz]er|"
    r"stoppage[- ]time|kick-off|hat-trick|tournament|World Cup|AFCON|Copa Am[eé]rica|"
    r"qualifier|group stage|round of 16|semi-?final|quarter-?final|final whistle|half-time|"
    r"penalty shoot-?out|penalty|penalties|offside|referee|scored|goal|goals|substitute|"
    r"header|friendly|playoffs?|wicket|wickets|innings|bowled|bowler|bowlers|batsman|"
    r"batter|batters|Test|scrum|fly-half|try-line|touchdown|rebounds)\b")
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
    r"move on|moved on|crashed out|were knocked out|were eliminated|thrashed|edged|edge|"
    r"edges|bowled|"
    r"\d{1,2}[–-]\d{1,2}))\b")
#: The first word after a team that ``_TEAM_AFTER`` may go on from (looked at first: the
#: expression, 45 words long, is tried only after one of these).
_AFTER_FIRST = frozenset(
    "beat beats drew lost loses face faces faced meet meets met play plays played open opens "
    "opened won win wins took take takes had led trailed equalised equalized scored came "
    "qualified advanced move moved crashed were thrashed edged edge edges bowled".split())
_NEXT_WORD = re.compile(rf"({_AP})?[ \t]+([a-z]+|\d)")
#: Before a team: a word of the game ("against Morocco", "beat Tanzania"), or two ("lost to
#: Egypt", "win over Mali"), maybe then "either" or "the" ("face either Portugal or Croatia",
#: "against the United States").
_BEFORE_ONE = frozenset("against beat beaten beating beats face faces facing meet meets meeting "
                        "vs vs. v v. versus eliminated".split())
_BEFORE_TWO = {"to": {"lost", "losing", "fell"}, "by": {"defeated", "beaten"},
               "over": {"win", "victory"}, "with": {"draw", "drew"}, "out": {"knocked"}}
_SCORE = re.compile(r"\d{1,2}[–-]\d{1,2}$")


def _team_before(before: str) -> bool:
    """Whether the words right before a country make it a team (see ``_BEFORE_ONE``)."""
    if not before[-1:].isspace():
        return False
    b = before.rstrip()
    last = b[max(b.rfind(" "), b.rfind("\t"), b.rfind("\n")) + 1:].lower()
    if last not in _BEFORE_ONE and last not in _BEFORE_TWO and last not in ("either", "the") \
            and not last[:1].isdigit():
        return False  # (nearly every span: no list of words made)
    ws = before.split()
    if ws and ws[-1].lower() in ("either", "the"):  # "against the United States"
        ws.pop()
    if not ws:
        return False
    last = ws[-1].lower()
    if last in _BEFORE_ONE or _SCORE.match(last):
        return True
    return len(ws) > 1 and ws[-2].lower() in _BEFORE_TWO.get(last, ())


def _team_after(text: str, end: int) -> bool:
    """Whether a verb or score of the game, or a possessive with a noun of it, follows."""
    m = _NEXT_WORD.match(text, end)
    if m is None or not (m.group(1) or m.group(2) in _AFTER_FIRST or m.group(2).isdigit()):
        return False
    return _TEAM_AFTER.match(text, end) is not None


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


#: What a team can be named after: a country, or a division that fields one ("England",
#: "Scotland", "Queensland", "Yorkshire" in cricket's and rugby's competitions).
_TEAM_KINDS = frozenset({"country", "admin1", "admin2"})


def _country(sp: Span) -> bool:
    return any(r.kind in _TEAM_KINDS and h in (0, 3) for r, h in sp.cands)


def _nation(sp: Span) -> int:
    """2 for a country's name, 1 for a division's that may field a team, else 0."""
    if any(r.kind == "country" and h in (0, 3) for r, h in sp.cands):
        return 2
    return 1 if _country(sp) else 0


def drop_teams(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` without the countries that stand for their teams (in order, as given)."""
    teams: set[str] = set()
    team_at: set[int] = set()
    prev_team: Span | None = None
    country: dict[str, int] = {}  # per name (a text names a few names many times)
    for sp in spans:
        c = country.get(sp.key)
        if c is None:
            c = country[sp.key] = _nation(sp)
        if not c:
            prev_team = None
            continue
        # (a division is looked at further only once a team has been seen: a report names
        # hundreds of governorates, and "England beat" or "Yorkshire beat" comes first)
        team = _team_after(text, sp.end) or (c == 2 or teams) and (
            _team_before(text[max(0, sp.start - 24):sp.start]) or (
                prev_team is not None
                and LIST_GAP.fullmatch(text, prev_team.end, sp.start) is not None))
        if team:
            teams.add(sp.surface)
            team_at.add(sp.start)
        prev_team = sp if team else None
    # (whether the text is a sports report is asked only once a country looks like a team:
    # reading the whole text for words of the game cost 4 % of a first pass)
    if not teams or not is_sport_text(text):
        return spans
    out = []
    prev_end = -1
    for sp in spans:
        if sp.start not in team_at and not (
                sp.surface in teams and _country(sp)
                and not _PLACE_BEFORE.search(text, max(0, sp.start - 14), sp.start)
                and not _PLACE_AFTER.match(text, sp.end)
                # the country that places the town before it: "GUADALAJARA, Mexico —" (not
                # a team's name after a town: "In Kampala, Uganda Cranes fans")
                and not (prev_end == sp.start - 2 and text.startswith(", ", prev_end)
                         and sp.cue_end)):
            out.append(sp)
        prev_end = sp.end
    return out
