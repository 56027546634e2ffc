"""Read a report into proposed changes: sentences → change words → roles → proposals.

Each sentence is read on its own (a date or a subject pronoun may come from the sentence
before, in the same paragraph). For every change word of the lexicon found in a sentence the
frame of its entry says where the places and the actor are (layers/propose/README.md has the
rules with examples); the hedging words of the clause decide whether anything is proposed and
how sure it is.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from .actors import ActorMention, build_actor_index, find_actors, resolve_shared
from .confidence import Score
from .dates import DateMention, find_dates
from .lexicon import ChangeRule, Lexicon, load_lexicon
from .model import Proposal, Span
from .places import PlaceIndex, Target, build_index, expand_units, map_mention
from .text import Sentence, clause_bounds, sentences

#: Words that may stand between two places of one list ("Hanano, Sakhour and the Haydariyeh
#: district"); anything else ends the list.
_LIST_GLUE = {"and", "or", "the", "as", "well", "district", "districts", "neighbourhood",
              "neighbourhoods", "neighborhood", "neighborhoods", "area", "areas", "village",
              "villages", "town", "towns", "quarter", "quarters", "parts", "part", "most", "all",
              "of", "nearby", "also", "camp", "hill", "hills", "then", "its", "their", "whole",
              "entire", "rest", "remaining", "adjacent", "neighbouring", "neighboring", "both",
              "much", "large", "sections", "section", "project", "housing",
              "industrial", "zone", "base", "academy", "academies", "school", "complex"}
#: At most this many words between a change word and its first object.
_OBJECT_REACH = 9
#: At most this many words between a passive subject and its change word.
_SUBJECT_REACH = 7
_WORD = re.compile(r"[\w'’-]+")
_INFINITIVE_OK = {"managed", "able", "succeeded", "moved", "went", "began", "started", "continued"}
#: A siege change at a breach point is tied to a pack siege whose ground is this close.
BREACH_KM = 10.0


@dataclass(slots=True)
class Trigger:
    """A change word found in a sentence (offsets into the sentence)."""

    rule: ChangeRule
    start: int
    end: int
    gap: tuple[int, int] | None  # the "…" part of a phrase, where the object may sit


@dataclass(slots=True)
class Context:
    """What a sentence is read with."""

    scenario: object
    lex: Lexicon
    pidx: PlaceIndex
    published: date
    source: str | None
    text: str
    targets: list[Target]
    actors: list[ActorMention]
    venues: set[int] = field(default_factory=set)  # starts of venue-only mentions
    s_targets: list[Target] = field(default_factory=list)   # those of the current sentence
    s_actors: list[ActorMention] = field(default_factory=list)


def _words(s: str) -> list[str]:
    return _WORD.findall(s.lower())


def _upper_midsentence(sent: str, m: re.Match) -> bool:
    """A hedge-word match written with a capital inside a sentence is a name ("May", "Will")."""
    return m.start() > 0 and m.group(0)[:1].isupper()


def _overlaps(spans: list[tuple[int, int]], starts: list[int], a: int, b: int) -> bool:
    """True when ``[a, b)`` overlaps one of the sorted, non-overlapping ``spans``."""
    i = max(0, bisect_left(starts, a) - 1)
    while i < len(spans) and spans[i][0] < b:
        if a < spans[i][1]:
            return True
        i += 1
    return False


def _find_triggers(sent: str, lex: Lexicon, skip: list[tuple[int, int]]) -> list[Trigger]:
    skip = sorted(skip)
    skip_starts = [s for s, _ in skip]
    found: list[Trigger] = []
    # a phrase is tried only where a word that can start it stands (far faster than scanning
    # every position with every rule's pattern)
    tries = []
    for tok in _WORD.finditer(sent):
        word = tok.group(0).lower()
        for rule in lex.rules:
            if word in rule.first_words:
                m = rule.pattern.match(sent, tok.start())
                if m is not None:
                    tries.append((rule, m))
    for rule, m in tries:
        a, b = m.start(), m.end()
        gap = None
        for gi, g in enumerate(m.groups(), 1):
            if g is not None:
                gap = (m.start(gi), m.end(gi))
                break
        words = [(a, gap[0]), (gap[1], b)] if gap else [(a, b)]
        if any(_overlaps(skip, skip_starts, x, y) for x, y in words):
            continue  # the change words are part of a place or actor name
        first = m.group(0).split()[0].lower()
        after = sent[b:b + 40].lower().lstrip()
        if any(re.match(re.escape(x) + r"(?!\w)", after)
               for x in lex.exclude_after.get(first, ())):
            continue
        found.append(Trigger(rule, a, b, gap))
    # per kind, a longer phrase wins over the words inside it
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[Trigger] = []
    for t in found:
        if any(o.rule.kind == t.rule.kind and t.start < o.end and o.start < t.end and
               (o.end - o.start) >= (t.end - t.start) for o in out):
            continue
        out = [o for o in out if not (o.rule.kind == t.rule.kind and t.start <= o.start and
                                      o.end <= t.end and (o.end - o.start) < (t.end - t.start))]
        out.append(t)
    out.sort(key=lambda t: t.start)
    return out


def _mark_venues(ctx: Context, sent: Sentence) -> None:
    """Places only named as where talks or statements happen ("talks in Geneva")."""
    lex = ctx.lex
    for t in ctx.s_targets:
        m = t.mention
        if not (sent.start <= m.start < sent.end):
            continue
        before = ctx.text[max(sent.start, m.start - 70):m.start]
        after = ctx.text[m.end:min(sent.end, m.end + 50)]
        link = r"(?:" + "|".join(sorted(lex.venue_links)) + r")"
        heads = list(lex.venue_heads.finditer(before))
        if heads:
            tail = before[heads[-1].end():]
            if re.fullmatch(r"\s+(?:[\w'’-]+\s+){0,5}?" + link + r"\s+(?:the\s+)?", tail,
                            re.IGNORECASE):
                ctx.venues.add(m.start)
                continue
        if after.startswith("-based"):
            ctx.venues.add(m.start)
            continue
        if re.search(r"(?i)(?:^|\b)(?:in|at)\s+(?:the\s+)?$", before):
            nxt = lex.venue_heads.search(after)
            if nxt and re.fullmatch(r",?\s+(?:[\w'’-]+\s+){0,3}?", after[:nxt.start()]) and \
                    not any(r.pattern.search(after[:nxt.start()]) for r in lex.rules):
                ctx.venues.add(m.start)


def _usable(ctx: Context, t: Target) -> bool:
    return t.mention.start not in ctx.venues and not t.foreign


def _fringe(ctx: Context, t: Target) -> bool:
    """True for "Zabadani's outskirts": the change is at the edge, not in the place."""
    after = ctx.text[t.mention.end:t.mention.end + 16].lower().lstrip()
    return any(after.startswith(w) for w in ctx.lex.not_object_after)


_OF_OK = {"parts", "part", "most", "all", "much", "rest", "some", "areas", "sections"}


def _glue_only(s: str) -> bool:
    """True when only list words join two places; "X district of Y" names Y as X's container,
    so "of" joins only after "parts", "most", "all"…"""
    words = _words(s)
    return all(w in _LIST_GLUE and (w != "of" or (i and words[i - 1] in _OF_OK))
               for i, w in enumerate(words))


def _objects_after(ctx: Context, sent: Sentence, trig: Trigger, stop: int, want_access: bool
                   ) -> list[Target]:
    """The list of places right after a change word (or inside its gap)."""
    lex = ctx.lex
    base = sent.start
    lo = base + (trig.gap[0] if trig.gap else trig.end)
    cands = [t for t in ctx.s_targets if lo <= t.mention.start < base + stop and _usable(ctx, t)]
    out: list[Target] = []
    prev_end = base + trig.end
    for t in cands:
        if trig.gap and base + trig.gap[0] <= t.mention.start < base + trig.gap[1]:
            between = ""
        else:
            between = ctx.text[max(prev_end, base + trig.end):t.mention.start]
        if not out:
            if len(_words(between)) > _OBJECT_REACH:
                break
            if lex.not_object.search(between) and re.search(
                    r"(?:" + lex.not_object.pattern + r")\s*(?:the\s+)?$", between, re.IGNORECASE):
                continue
        else:
            if not _glue_only(between):
                break
        if t.is_access != want_access or _fringe(ctx, t):
            if out:
                break
            continue
        out.append(t)
        prev_end = t.mention.end
    return out


def _objects_before(ctx: Context, sent: Sentence, trig: Trigger, clause_start: int,
                    want_access: bool | None) -> list[Target]:
    """The list of places that is the subject of a passive or intransitive change word."""
    base = sent.start
    cands = [t for t in ctx.s_targets
             if base + clause_start <= t.mention.start and t.mention.end <= base + trig.start
             and _usable(ctx, t)]
    out: list[Target] = []
    nxt = base + trig.start
    for t in reversed(cands):
        between = ctx.text[t.mention.end:nxt]
        if not out:
            # "the Castello Road, the last route into the east, has been closed"
            between = re.sub(r"^\s*,[^,;:]{1,80},", " ", between)
            if len(_words(between)) > _SUBJECT_REACH or re.search(r"[;:]", between):
                break
        elif not _glue_only(between):
            break
        if want_access is not None and t.is_access != want_access:
            if out:
                break
            continue
        out.append(t)
        nxt = t.mention.start
    out.reverse()
    return out


def _actors_in(ctx: Context, a: int, b: int) -> list[ActorMention]:
    return [x for x in ctx.s_actors if a <= x.start and x.end <= b]


def _subject(ctx: Context, sent: Sentence, clause_start: int, trig: Trigger) -> ActorMention | None:
    """The actor acting: the nearest actor before the change word in its clause, skipping
    actors after "by/with/from/against…" (supporters, objects) unless there is no other."""
    base = sent.start
    cands = _actors_in(ctx, base + clause_start, base + trig.start)
    if not cands:
        cands = _actors_in(ctx, base, base + trig.start)
    plain = []
    for x in cands:
        prev = _words(ctx.text[max(base, x.start - 14):x.start])
        if prev and (prev[-1] in ctx.lex.not_subject or " ".join(prev[-2:]) in
                     ctx.lex.not_subject):
            continue
        plain.append(x)
    pick = plain or cands
    if not pick:
        return None
    last = pick[-1]
    # "Hezbollah and government forces besieged …": the first of a coordinated subject leads
    for x in reversed(pick[:-1]):
        if re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", ctx.text[x.end:last.start]):
            last = x
        else:
            break
    return last


def _agent(ctx: Context, sent: Sentence, trig: Trigger, stop: int, reach: int = 6
           ) -> ActorMention | None:
    """The actor after "by" following a passive change word ("was captured by the army")."""
    base = sent.start
    for x in _actors_in(ctx, base + trig.end, base + stop):
        between = ctx.text[base + trig.end:x.start]
        words = _words(between)
        if "by" in words and len(words) <= reach and "," not in between:
            return x
    return None


def _actor_after(ctx: Context, sent: Sentence, trig: Trigger, stop: int,
                 reach: int = 5) -> ActorMention | None:
    """The actor in a phrase's gap or just after it ("fell to government forces")."""
    base = sent.start
    lo = base + (trig.gap[0] if trig.gap else trig.end)
    for x in _actors_in(ctx, lo, base + stop):
        if len(_words(ctx.text[base + trig.end:x.start])) <= reach or trig.gap:
            return x
    return None


def _to_actor(ctx: Context, sent: Sentence, after: int, stop: int) -> ActorMention | None:
    """The gaining side of a loss: an actor right after "to" ("lost Sakhour to the army")."""
    base = sent.start
    for x in _actors_in(ctx, after, base + stop):
        prev = _words(ctx.text[after:x.start])
        if prev and "to" in prev[-3:]:
            return x
    return None


_ADVERBS = {"now", "also", "then", "later", "again", "since", "still", "all", "largely", "quickly"}


def _passive(sent: str, trig: Trigger, lex: Lexicon) -> bool:
    """True when an auxiliary ("was", "has been", "remained") stands before the change word,
    adverbs ("reportedly", "now") skipped."""
    before = _words(sent[max(0, trig.start - 40):trig.start])
    while before and (before[-1] in _ADVERBS or before[-1].endswith("ly")):
        before.pop()
    return bool(before) and before[-1] in lex.passive_aux


def _hedges(ctx: Context, sent: Sentence, clause_start: int, trig: Trigger
            ) -> tuple[str | None, list[Span]]:
    """('negation' | 'intention' | None, spans): what in the clause before the change word
    stops it from being a change that happened."""
    lex = ctx.lex
    s = sent.text
    lo = max(clause_start, trig.start - 70)
    window = s[lo:trig.start]
    for kind, pat in (("negation", lex.negation), ("intention", lex.intention)):
        for m in pat.finditer(window):
            if _upper_midsentence(s, m) and lo + m.start() > 0:
                continue
            return kind, [Span(sent.start + lo + m.start(), sent.start + lo + m.end(), "negation"
                               if kind == "negation" else "hedge")]
    prev = _words(window)
    if prev and prev[-1] == "to" and trig.rule.frame != "gain_to" and not (
            len(prev) > 1 and prev[-2] in _INFINITIVE_OK):
        return "intention", [Span(sent.start + trig.start - 3, sent.start + trig.start - 1,
                                  "hedge")]
    # negation right after an auxiliary that the window cut ("Hanano has not been taken")
    return None, []


def _claim(ctx: Context, sent: Sentence) -> tuple[str | None, str | None, list[Span]]:
    """(claimant actor id, claimant words, spans) when the sentence reports what someone said."""
    lex = ctx.lex
    m = lex.claim.search(sent.text)
    if m is None:
        return None, None, []
    a, b = sent.start + m.start(), sent.start + m.end()
    spans = [Span(a, b, "claimant")]
    def speaker(x: ActorMention) -> bool:  # "the army said", "the army spokesman said"
        gap = ctx.text[x.end:a] if x.end <= a else ctx.text[b:x.start]
        return "," not in gap and len(_words(gap)) <= (3 if x.end <= a else 2)

    near = [x for x in ctx.s_actors if (x.end <= a or x.start >= b) and speaker(x)]
    if near:
        x = min(near, key=lambda x: min(abs(a - x.end), abs(x.start - b)))
        spans.append(Span(x.start, x.end, "claimant"))
        return x.ids[0], x.text, spans
    around = ctx.text[max(sent.start, a - 40):min(sent.end, b + 40)]
    src = lex.sources.search(around)
    if src:
        return None, src.group(0), spans
    # the words naming the speaker: up to four before the verb, or after "according to"
    if m.group(0).lower() == "according to":
        who = _words(ctx.text[b:sent.end])[:4]
    else:
        head = re.split(r"[,;:]", ctx.text[sent.start:a])[-1]
        who = _words(head)[-4:]
    return None, " ".join(who), spans


def _denial(ctx: Context, sent: Sentence) -> tuple[ActorMention | None, Span | None]:
    m = ctx.lex.denial.search(sent.text)
    if m is None:
        return None, None
    a = sent.start + m.start()
    before = [x for x in ctx.s_actors if sent.start <= x.start and x.end <= a]
    return (before[-1] if before else None), Span(a, sent.start + m.end(), "hedge")


@dataclass(slots=True)
class Finding:
    """A change read from a sentence, before it becomes a Proposal."""

    kind: str
    status: str
    targets: list[Target]
    actor: ActorMention | None
    actor_id: str | None
    trigger: Trigger
    base: float
    breach: bool = False
    reasons: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    carried_actor: bool = False


def _read_trigger(ctx: Context, sent: Sentence, trig: Trigger, clauses, triggers,
                  last_actor: ActorMention | None) -> Finding | None:
    rule = trig.rule
    cs, ce = next(((a, b) for a, b in clauses if a <= trig.start < b), (0, len(sent.text)))
    if rule.state and _background(ctx, sent.text, cs, ce, trig):
        return None
    later = [t.start for t in triggers if t.start >= trig.end and t.rule.kind != "event"]
    stop = min([ce, *later])
    actor = None
    targets: list[Target] = []
    breach = False
    access = rule.kind == "access"
    carried = False
    if rule.frame == "event":
        targets = [t for t in ctx.s_targets
                   if sent.start + cs <= t.mention.start < sent.start + ce and _usable(ctx, t)]
        if not targets:  # "… as the last buses left": the place is elsewhere in the sentence
            targets = [t for t in ctx.s_targets
                       if sent.start <= t.mention.start < sent.end and _usable(ctx, t)]
        actor = _subject(ctx, sent, cs, trig) or _agent(ctx, sent, trig, ce, reach=2)
        if actor is None:
            x = _actors_in(ctx, sent.start + cs, sent.start + trig.start)
            actor = x[-1] if x else None
    elif rule.frame == "gain_to":
        targets = _objects_before(ctx, sent, trig, cs, False)
        actor = _actor_after(ctx, sent, trig, ce)
    elif rule.frame == "state":
        targets = _objects_before(ctx, sent, trig, cs, False)
        actor = _agent(ctx, sent, trig, ce)
    elif rule.frame == "siege_status":
        noun = ctx.lex.siege_nouns.search(sent.text, cs, trig.start)
        if noun is None:
            return None
        targets = [t for t in ctx.s_targets if sent.start + noun.end() <= t.mention.start
                   < sent.start + trig.start and _usable(ctx, t) and not t.is_access]
        if not targets:
            targets = _objects_before(ctx, sent, trig, cs, False)
        actor = _agent(ctx, sent, trig, ce)
    elif rule.frame == "loss":
        targets = _objects_after(ctx, sent, trig, stop, False)
        if not targets:
            return None
        gainer = _to_actor(ctx, sent, targets[-1].mention.end, ce)
        if gainer is None:
            return None  # who holds it now is not stated: no proposal (README)
        actor = gainer
    else:  # gain
        passive = _passive(sent.text, trig, ctx.lex) or _agent(ctx, sent, trig, stop) is not None
        objs = [] if passive else _objects_after(ctx, sent, trig, stop, access)
        if objs:
            targets = objs
            actor = _subject(ctx, sent, cs, trig)
            if actor is None and last_actor is not None and ctx.lex.pronouns.search(
                    sent.text, cs, trig.start):
                actor, carried = last_actor, True
        else:
            targets = _objects_before(ctx, sent, trig, cs, access)
            actor = _agent(ctx, sent, trig, ce)
            if actor is None and not passive and rule.kind == "control":
                return None  # "Rebels in Sakhour captured …" with no object: not a change
        if rule.kind == "siege" and rule.status == "broken":
            breach = True
    status = rule.status
    if rule.kind == "control" and status == "controlled" and targets and \
            sent.start + trig.end <= targets[0].mention.start and ctx.lex.partial.search(
                ctx.text, sent.start + trig.end, targets[0].mention.start):
        status = "contested"  # "took parts of Sheikh Fares": a foothold, not the place
    if rule.kind == "access":
        targets = [t for t in targets if t.is_access]
    elif rule.kind in ("control", "siege"):
        targets = [t for t in targets if not t.is_access and (t.control or t.unmapped)]
    if not targets:
        return None
    if rule.kind == "control" and status == "contested" and rule.frame == "gain" and \
            actor is None:
        return None  # an advance needs someone advancing ("an aid convoy entered …")
    return Finding(rule.kind, status, targets, actor, None, trig, rule.base, breach,
                   carried_actor=carried)


def _background(ctx: Context, s: str, cs: int, ce: int, trig: Trigger) -> bool:
    """A state told as background, not news: ", held by the rebels", "still held",
    "which it controls", "held by the opposition since 2012"."""
    before = s[max(cs, trig.start - 25):trig.start]
    if re.search(r",\s*$", before) or ctx.lex.state_background.search(before):
        return True
    return bool(re.search(r"(?i)(?<![\w-])since(?![\w-])", s[trig.end:ce]))


def _date_for(dates: list[DateMention], trig: Trigger, clauses) -> DateMention | None:
    if not dates:
        return None
    cs, ce = next(((a, b) for a, b in clauses if a <= trig.start < b), (0, 10**9))
    inside = [d for d in dates if cs <= d.start < ce]
    pool = inside or dates
    return min(pool, key=lambda d: abs(d.start - trig.start))


def _link_sieges(ctx: Context, f: Finding, day: date | None, units: set[str]) -> list[str]:
    """Pack sieges this siege change is about: those on the same ground, or for a breach,
    the one in force whose ground lies within BREACH_KM of the breach point."""
    sc = ctx.scenario
    out = []
    for s in sc.sieges:
        ground = set(s.units or s.places)
        active = day is None or (s.interval.start <= day and (s.interval.end is None or
                                                              day <= s.interval.end))
        near_start = (day is not None and f.status == "imposed" and
                      abs((s.interval.start - day).days) <= 45)
        if ground & units and (active or near_start or f.status == "ended"):
            out.append(s.id)
    if out or not f.breach:
        return out
    from geo.resolve import km

    best = None
    for s in sc.sieges:
        active = day is None or (s.interval.start <= day and (s.interval.end is None or
                                                              day <= s.interval.end))
        if not active:
            continue
        for t in f.targets:
            for p in s.units or s.places:
                g = sc.geometries.get(p)
                if g is None:
                    continue
                pt = g.representative_point()
                d = km(t.mention.lat, t.mention.lon, pt.y, pt.x)
                if d <= BREACH_KM and (best is None or d < best[0]):
                    best = (d, s.id)
    return [best[1]] if best else []


def read_report(text: str, scenario, *, published: date, source: str | None = None
                ) -> list[Proposal]:
    """The engine behind :func:`layers.propose.propose` (inputs already checked)."""
    from geo import geoparse

    lex = load_lexicon()
    pidx = build_index(scenario)
    aidx = build_actor_index(scenario)
    actors = find_actors(text, aidx)
    from .places import scan_names

    mentions = scan_names(text, pidx, geoparse(text))
    # an actor name wins over a place reading of the same words ("Russia", "Hezbollah")
    a_spans = [(a.start, a.end) for a in actors]
    a_first = [a.start for a in actors]
    mentions = [m for m in mentions if not _overlaps(a_spans, a_first, m.start, m.end)]
    targets = [map_mention(scenario, pidx, m) for m in mentions]
    ctx = Context(scenario, lex, pidx, published, source, text, targets, actors)
    out: list[Proposal] = []
    para_date: tuple[int, DateMention] | None = None
    para_actor: tuple[int, ActorMention] | None = None
    prev_props: tuple[int, int, list[int]] | None = None  # paragraph, sentence idx, indices
    t_starts = [t.mention.start for t in targets]
    a_starts = [a.start for a in actors]
    for si, sent in enumerate(sentences(text, lex)):
        ctx.s_targets = targets[bisect_left(t_starts, sent.start):bisect_left(t_starts, sent.end)]
        ctx.s_actors = actors[bisect_left(a_starts, sent.start):bisect_left(a_starts, sent.end)]
        _mark_venues(ctx, sent)
        skip = [(t.mention.start - sent.start, t.mention.end - sent.start)
                for t in ctx.s_targets]
        skip += [(a.start - sent.start, a.end - sent.start) for a in ctx.s_actors]
        triggers = _find_triggers(sent.text, lex, skip)
        dates = find_dates(sent.text, published, lex)
        clauses = clause_bounds(sent.text, lex)
        last_actor = para_actor[1] if para_actor and para_actor[0] == sent.paragraph else None
        claimant, claim_words, claim_spans = _claim(ctx, sent)
        denier, denial_span = _denial(ctx, sent)
        hedge = lex.hedge.search(sent.text)
        made: list[int] = []
        findings = [(trig, _read_trigger(ctx, sent, trig, clauses, triggers, last_actor))
                    for trig in triggers]
        changes = any(f is not None and f.kind == "control" and not trig.rule.state
                      for trig, f in findings)
        for trig, f in findings:
            if f is None or (changes and trig.rule.state):
                continue  # "…, still held by the rebels" beside a capture is background
            cs = next((a for a, b in clauses if a <= trig.start < b), 0)
            stop_kind, stop_spans = _hedges(ctx, sent, cs, trig)
            if stop_kind is not None:
                continue  # negated, failed, planned or threatened: no proposal (README)
            d = _date_for(dates, trig, clauses)
            score = Score(f.base)
            spans = [Span(sent.start, sent.end, "sentence"),
                     Span(sent.start + trig.start, sent.start + trig.end, "change")]
            if d is not None:
                day, precision = d.date, d.precision
                spans.append(Span(sent.start + d.start, sent.start + d.end, "date"))
            elif para_date is not None and para_date[0] == sent.paragraph:
                day, precision = para_date[1].date, para_date[1].precision
                score.lower("date_carried", "date from an earlier sentence of the paragraph")
            else:
                day, precision = published, "day"
                score.lower("date_guessed", "no date in the text: the publication date")
            ids: list[str] = []
            unmapped = []
            for t in f.targets:
                spans.append(Span(t.mention.start, t.mention.end, "place"))
                chosen = (t.access if f.kind == "access" and t.access else
                          t.control if f.kind in ("control", "siege") else t.ids)
                if chosen:
                    ids.extend(chosen)
                    if t.ambiguous:
                        score.lower("place_ambiguous", f"place '{t.mention.text}' ambiguous "
                                    "or standing for a larger one")
                elif t.unmapped is not None:
                    unmapped.append(t.unmapped)
            ids = list(dict.fromkeys(ids))
            if not ids:
                if f.kind != "event" and not unmapped:
                    continue
                score.lower("unmapped", "no place of the scenario: unmapped places only")
            actor_id = None
            if f.actor is not None:
                units = expand_units(pidx, ids)
                actor_id, shared = resolve_shared(scenario, f.actor.ids, units, day)
                spans.append(Span(f.actor.start, f.actor.end, "actor"))
                if shared:
                    score.lower("actor_shared", f"'{f.actor.text}' names several actors: "
                                f"chose {actor_id} from the pack's records on the place")
                if f.carried_actor:
                    score.lower("actor_carried", "actor from the previous sentence")
            if f.kind == "control" and f.status == "controlled" and actor_id is None:
                if claimant is None:
                    continue
                actor_id = claimant  # "the army declared that P had been retaken"
                score.lower("actor_claimant", f"actor taken from the claimant ({claimant})")
            if f.kind == "siege":
                linked = _link_sieges(ctx, f, day, expand_units(pidx, ids))
                ids = linked if f.breach and linked else list(dict.fromkeys(linked + ids))
                if not ids and not unmapped:
                    continue
            claim_id = None
            if claim_spans:
                spans.extend(claim_spans)
                if claimant is not None:
                    claim_id = claimant
                    if actor_id is None or scenario.allied(claimant, actor_id):
                        score.lower("claim", f"claimed by {claimant}")
                    else:
                        score.lower("concession", f"reported by the other side ({claimant})")
                else:
                    who = claim_words or "an unnamed source"
                    score.lower("attributed", f"attributed to {who}")
                    claim_id = claim_words or None
            if denial_span is not None:
                spans.append(denial_span)
                score.lower("denied", "denied by " + (denier.ids[0] if denier else "a party"))
            if hedge is not None:
                spans.append(Span(sent.start + hedge.start(), sent.start + hedge.end(), "hedge"))
                score.lower("hedge", f"hedged: '{hedge.group(0)}'")
            prop = Proposal(
                kind=f.kind, places=tuple(ids), actor=actor_id, status=f.status,
                date=day.isoformat(), date_precision=precision, evidence=tuple(spans),
                confidence=score.value, reasons=tuple(score.reasons),
                unmapped=tuple(unmapped), claimant=claim_id, sentence=sent.text, source=source)
            made.append(len(out))
            out.append(prop)
        if not made and denial_span is not None and prev_props and \
                prev_props[0] == sent.paragraph and prev_props[1] == si - 1:
            out = _lower_denied(out, prev_props[2], denier, scenario, denial_span)
        if made:
            prev_props = (sent.paragraph, si, made)
        if dates:
            para_date = (sent.paragraph, dates[0])
        if ctx.s_actors:
            para_actor = (sent.paragraph, ctx.s_actors[0])
    return _merge(out)


def _lower_denied(out: list[Proposal], idx: list[int], denier: ActorMention | None, scenario,
                  span: Span) -> list[Proposal]:
    """A denial in the next sentence ("Rebels denied this") lowers what the sentence before
    proposed, unless the denier is the actor itself."""
    from dataclasses import replace

    from .confidence import FACTORS

    for i in idx:
        p = out[i]
        if denier is not None and p.actor is not None and scenario.allied(denier.ids[0], p.actor):
            continue
        who = denier.ids[0] if denier else "a party"
        out[i] = replace(p, confidence=round(p.confidence * FACTORS["denied"], 2),
                         reasons=p.reasons + (f"denied by {who} in the next sentence",),
                         evidence=p.evidence + (span,))
    return out


def _merge(props: list[Proposal]) -> list[Proposal]:
    """One proposal per (kind, status, actor, places, date): the most confident reading; a
    reading with no actor gives way to the same change with one."""
    best: dict[tuple, int] = {}
    out: list[Proposal] = []
    with_actor = {(p.kind, p.status, frozenset(p.places), p.date) for p in props if p.actor}
    for p in props:
        if p.actor is None and (p.kind, p.status, frozenset(p.places), p.date) in with_actor:
            continue
        key = (p.kind, p.status, p.actor, frozenset(p.places),
               frozenset((u.name, round(u.lat, 3), round(u.lon, 3)) for u in p.unmapped), p.date)
        if key in best:
            i = best[key]
            if p.confidence > out[i].confidence:
                out[i] = p
            continue
        best[key] = len(out)
        out.append(p)
    return out
