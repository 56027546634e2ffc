"""The proposal lexicons (``data/lexicons/*.json``) read once and compiled to patterns.

The words live in data so that an analyst can add a verb or a hedge without touching code;
this module only checks their shape and turns each list into one case-insensitive regular
expression that matches whole words (longest phrase first).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parents[2] / "data" / "lexicons"

#: How each change entry reads its clause (documented in data/lexicons/README.md).
FRAMES = ("gain", "gain_to", "loss", "state", "siege_status", "event")
#: Up to this many words may stand in a phrase's gap (written "…").
GAP_WORDS = 6


class LexiconError(ValueError):
    """A lexicon file is missing or malformed (one line naming file and entry)."""


@dataclass(frozen=True, slots=True)
class ChangeRule:
    """One group of change words: what they change, to which status, read in which frame."""

    kind: str
    status: str
    frame: str
    base: float
    pattern: re.Pattern
    state: bool = False  # states who holds what rather than a change ("held by")
    first_words: frozenset[str] = frozenset()  # first word of each phrase (a fast pre-check)


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: one per directory
class Lexicon:
    """Every compiled word list the engine uses."""

    rules: tuple[ChangeRule, ...]
    exclude_after: dict[str, tuple[str, ...]]
    negation: re.Pattern
    intention: re.Pattern
    claim: re.Pattern
    denial: re.Pattern
    hedge: re.Pattern
    sources: re.Pattern
    venue_heads: re.Pattern
    venue_links: frozenset[str]
    not_object: re.Pattern
    not_object_after: tuple[str, ...]
    partial: re.Pattern
    state_background: re.Pattern
    passive_aux: frozenset[str]
    not_subject: frozenset[str]
    pronouns: re.Pattern
    clause_breaks: re.Pattern
    siege_nouns: re.Pattern
    abbreviations: tuple[str, ...]
    dates: dict


def _phrase(words: str) -> str:
    """A regex for one phrase: whole words, flexible spaces, '…' a gap of a few words."""
    parts = [p.strip() for p in words.split("…")]
    body = []
    for part in parts:
        toks = [re.escape(t) for t in part.split()]
        body.append(r"\s+".join(toks))
    gap = r"\s+((?:[\w'’.,-]+\s+){0,N}?[\w'’.,-]+)\s+".replace("N", str(GAP_WORDS - 1))
    inner = gap.join(body)
    # n't sticks to its verb ("didn't"): no word boundary on its left
    left = "" if words.startswith("n'") else r"(?<![\w-])"
    return left + inner + r"(?![\w-])"


def compile_words(words: list[str] | tuple[str, ...]) -> re.Pattern:
    """One case-insensitive pattern matching any of ``words`` as whole words (longest first)."""
    ordered = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not ordered:
        return re.compile(r"(?!x)x")
    return re.compile("|".join(f"(?:{_phrase(w)})" for w in ordered), re.IGNORECASE)


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(f"{path}: lexicon file is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LexiconError(f"{path}: not readable JSON ({exc})") from None
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: must be a JSON object")
    return data


def _words(data: dict, key: str, file: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise LexiconError(f"{file}: '{key}' must be a list of non-empty strings")
    return value


def _rules(data: dict, file: str) -> tuple[ChangeRule, ...]:
    from .model import KINDS, STATUSES

    entries = data.get("changes")
    if not isinstance(entries, list) or not entries:
        raise LexiconError(f"{file}: 'changes' must be a non-empty list")
    out = []
    for i, e in enumerate(entries, 1):
        where = f"{file}: change #{i}"
        if not isinstance(e, dict):
            raise LexiconError(f"{where}: must be an object")
        kind, status, frame = e.get("kind"), e.get("status"), e.get("frame")
        if kind not in KINDS:
            raise LexiconError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if kind in STATUSES and status not in STATUSES[kind]:
            raise LexiconError(f"{where}: status {status!r} is not one of "
                               f"{', '.join(STATUSES[kind])}")
        if not isinstance(status, str) or not status:
            raise LexiconError(f"{where}: status is missing")
        if frame not in FRAMES:
            raise LexiconError(f"{where}: frame {frame!r} is not one of {', '.join(FRAMES)}")
        base = e.get("base")
        if not isinstance(base, (int, float)) or not 0 < base <= 1:
            raise LexiconError(f"{where}: base must be a number in (0, 1]")
        words = _words(e, "words", where)
        out.append(ChangeRule(kind, status, frame, float(base), compile_words(words),
                              bool(e.get("state")),
                              frozenset(w.split()[0].lower() for w in words)))
    return tuple(out)


def _check_dates(d: dict) -> None:
    f = "dates.json"
    for key in ("weekdays", "months", "month_modifiers"):
        _words(d, key, f)
    rel = d.get("relative")
    if not isinstance(rel, list) or not rel:
        raise LexiconError(f"{f}: 'relative' must be a non-empty list")
    for i, e in enumerate(rel, 1):
        if not isinstance(e, dict) or e.get("precision") not in ("day", "week", "month"):
            raise LexiconError(f"{f}: relative #{i} needs 'words' and a precision "
                               "day|week|month")
        _words(e, "words", f"{f}: relative #{i}")
        if not isinstance(e.get("days", 0), int) or ("days" not in e and "parse" not in e):
            raise LexiconError(f"{f}: relative #{i} needs 'days' (whole days) or 'parse'")
    ago = d.get("ago")
    if not isinstance(ago, dict) or not isinstance(ago.get("units"), dict):
        raise LexiconError(f"{f}: 'ago' must hold 'numbers' and 'units'")
    _words(ago, "numbers", f"{f}: ago")


@lru_cache(maxsize=4)
def load_lexicon(directory: str | None = None) -> Lexicon:
    """Read and compile ``changes.json``, ``modifiers.json`` and ``dates.json`` (cached).

    Raises
    ------
    LexiconError
        When a file is missing or an entry is malformed.
    """
    root = Path(directory) if directory else LEXICON_DIR
    ch = _read(root / "changes.json")
    mod = _read(root / "modifiers.json")
    dates = _read(root / "dates.json")
    _check_dates(dates)
    excl_raw = ch.get("exclude_after", {})
    exclude = {k.lower(): tuple(v) for k, v in excl_raw.items()
               if k != "about" and isinstance(v, list)}
    m = "modifiers.json"
    breaks = sorted(_words(mod, "clause_breaks", m), key=len, reverse=True)
    return Lexicon(
        rules=_rules(ch, "changes.json"),
        exclude_after=exclude,
        negation=compile_words(_words(mod, "negation", m)),
        intention=compile_words(_words(mod, "intention", m)),
        claim=compile_words(_words(mod, "claim", m)),
        denial=compile_words(_words(mod, "denial", m)),
        hedge=compile_words(_words(mod, "hedge", m)),
        sources=compile_words(_words(mod, "sources", m)),
        venue_heads=compile_words(_words(mod, "venue_heads", m)),
        venue_links=frozenset(w.lower() for w in _words(mod, "venue_links", m)),
        not_object=compile_words(_words(mod, "not_object", m)),
        not_object_after=tuple(w.lower() for w in _words(mod, "not_object_after", m)),
        partial=compile_words(_words(mod, "partial", m)),
        state_background=compile_words(_words(mod, "state_background", m)),
        passive_aux=frozenset(w.lower() for w in _words(mod, "passive_aux", m)),
        not_subject=frozenset(w.lower() for w in _words(mod, "not_subject", m)),
        pronouns=compile_words(_words(mod, "pronouns", m)),
        clause_breaks=re.compile("|".join(re.escape(b) for b in breaks), re.IGNORECASE),
        siege_nouns=compile_words(_words(mod, "siege_nouns", m)),
        abbreviations=tuple(_words(mod, "abbreviations", m)),
        dates=dates,
    )
