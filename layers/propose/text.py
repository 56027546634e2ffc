"""Sentences and clauses of a report, always as offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon

_PARAGRAPH = re.compile(r"\n[ \t]*\n")
# a sentence ends at . ! ? (and closing quotes/brackets) followed by space and a capital,
# a digit or an opening quote
_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“'‘(\[]?[A-Z0-9])")
_LINE = re.compile(r"\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: ``text[start:end]``, and which paragraph it belongs to."""

    start: int
    end: int
    paragraph: int
    text: str


def _abbrev_before(text: str, pos: int, abbreviations: tuple[str, ...]) -> bool:
    """True when the full stop at ``pos`` ends an abbreviation ("Dec.", "U.N.") or an initial."""
    head = text[max(0, pos - 8):pos + 1]
    if any(head.endswith(a) and (len(head) == len(a) or not head[-len(a) - 1].isalpha())
           for a in abbreviations):
        return True
    # a single capital letter ("J. Smith")
    return pos >= 1 and text[pos - 1].isupper() and (pos < 2 or not text[pos - 2].isalpha())


def sentences(text: str, lex: Lexicon) -> list[Sentence]:
    """Split ``text`` into sentences with offsets; blank lines separate paragraphs.

    A line break inside a paragraph that follows no sentence end (wrapped text) does not cut
    the sentence; a line break after a line with no final punctuation (a headline) does.
    """
    out: list[Sentence] = []
    para_start = 0
    pieces = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    bounds = []
    for a, b in pieces:
        bounds.append((para_start, a))
        para_start = b
    bounds.append((para_start, len(text)))
    for pi, (ps, pe) in enumerate(bounds):
        cuts = [ps]
        for m in _END.finditer(text, ps, pe):
            if text[m.start()] == "." and _abbrev_before(text, m.start(), lex.abbreviations):
                continue
            cuts.append(m.end())
        for m in _LINE.finditer(text, ps, pe):  # headline lines without final punctuation
            before = text[ps:m.start()].rstrip()
            if before and before[-1] not in ".!?,;:\"”’)-–" and m.end() < pe:
                nxt = text[m.end():m.end() + 1]
                if nxt.isupper() or nxt in "\"“":
                    cuts.append(m.end())
        cuts = sorted(set(cuts)) + [pe]
        for lo, hi in zip(cuts, cuts[1:], strict=False):
            for a, b in _pieces(text, lo, hi):
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                if b > a:
                    out.append(Sentence(a, b, pi, text[a:b]))
    return out


#: A "sentence" longer than this (characters) is not prose: it is read in pieces of about
#: this size, cut at a space, so that the work per piece stays bounded.
MAX_SENTENCE = 1200


def _pieces(text: str, a: int, b: int):
    while b - a > MAX_SENTENCE:
        cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
        cut = a + MAX_SENTENCE if cut < 0 else cut
        yield a, cut
        a = cut
    yield a, b


def clause_bounds(sentence: str, lex: Lexicon) -> list[tuple[int, int]]:
    """``(start, end)`` of each clause of a sentence (offsets into the sentence)."""
    cuts = [0]
    for m in lex.clause_breaks.finditer(sentence):
        cuts.append(m.start())
    cuts.append(len(sentence))
    cuts = sorted(set(cuts))
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def words_between(sentence: str, a: int, b: int) -> list[str]:
    """The lower-cased words of ``sentence[a:b]``."""
    return re.findall(r"[\w'’-]+", sentence[a:b].lower())
