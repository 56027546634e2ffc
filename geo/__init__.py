"""Offline geoparser: place mentions in news text to coordinates.

>>> from geo import geoparse, lookup
>>> [(m.text, m.qualifier, m.name) for m in geoparse("Shelling hit eastern Aleppo.")]
[('Aleppo', 'eastern', 'Aleppo')]

``geoparse(text, *, demonyms=False)`` finds and resolves every place named in ``text``;
``lookup(name, near=None, limit=10)`` ranks the gazetteer's candidates for one name. Both build
the gazetteer index into the cache directory on first use (``$CORDON_CACHE``, default
``~/.cache/cordon``; about 15 s, once). See ``geo/README.md`` for the method and the confidence
score. Importing this package is cheap: the index opens on the first call.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from geo import compiled as _compiled

# the compiled modules of these sources, when built (``python -m geo compile``), are imported
# in place of the plain ones: first on the package's path before any of them is imported
_compiled.activate(__path__)

from geo.mention import KINDS, Mention, new_mention  # noqa: E402 - after the activation

if TYPE_CHECKING:
    from geo.gazetteer import Index, Record
    from geo.stopwords import WordLists

__all__ = ["KINDS", "Mention", "geoparse", "lookup"]

_KIND_OUT = {"admin1", "admin2", "admin3", "country", "city", "neighbourhood", "road",
             "crossing", "site", "region"}


def _detection(sp) -> float:
    """How sure we are that the span names a place at all (before choosing which place)."""
    how = min((h for _, h in sp.cands), default=1)
    det = 0.95 if how in (0, 3) else (0.85 if how == 1 else 0.75)
    if sp.ntok > 1:
        det = min(0.98, det + 0.03)
    if sp.initial and sp.ntok == 1:
        det -= 0.1
    if sp.common:
        det -= 0.15
    if sp.in_org:
        det -= 0.1
    return max(0.05, det)


def geoparse(text: str, *, demonyms: bool = False, online: bool | None = None,
             progress: Callable[[float], object] | None = None) -> list[Mention]:
    """Find and resolve the places named in ``text``.

    Parameters
    ----------
    text : str
        Any text (English news; Arabic-script names are found too). Empty text → ``[]``.
    demonyms : bool
        Also return demonyms ("Syrian" → Syria, kind ``demonym``). They always count as
        context for resolution, returned or not.
    online : bool, optional
        Ask the online provider (Nominatim, see ``geo.online``) for names the gazetteer
        lacks. None (default) follows ``CORDON_ONLINE``, which is off unless set; a failing
        service leaves the offline result as it is.
    progress : callable, optional
        Called with the share of the text done (0–1] after each piece of about ``CHUNK``
        characters, so a page can show a progress bar for long texts.

    Returns
    -------
    list[Mention]
        In text order, non-overlapping; ``text[m.start:m.end] == m.text``.
    """
    if not isinstance(text, str):
        raise TypeError(f"geoparse() needs str, not {type(text).__name__}")
    if not text:
        return []
    from geo.gazetteer import get_index
    from geo.gcpause import paused
    from geo.stopwords import word_lists

    index = get_index()  # opened (or built, the first time) with the collector on
    words = word_lists()
    with paused():  # the parse frees its garbage itself: no collections in its loops
        out = _parse(text, index, words, demonyms, progress)
    from geo.online import get_provider

    provider = get_provider(online)
    if provider is not None:
        from geo.online import fill_unresolved

        out = fill_unresolved(text, out, provider)
    return out


def _parse(text: str, index: Index, words: WordLists, demonyms: bool,
           progress: Callable[[float], object] | None) -> list[Mention]:
    """The offline part of :func:`geoparse`: recognise and resolve, piece by piece."""
    from geo.divisions import settle
    from geo.recognize import recognise
    from geo.resolve import resolve
    from geo.sport import drop_teams
    from geo.states import add_states
    from geo.tails import add_tails

    out: list[Mention] = []
    for base, chunk in _chunks(text):
        if progress is not None and base:
            progress(base / len(text))
        spans, demonym_ccs = recognise(chunk, index, words)
        spans = add_tails(chunk, spans, index)  # "Roj camp", "the Nasib border crossing"
        spans = add_states(chunk, spans, index)  # "Athens, Ga.", "London, Ont."
        spans = drop_teams(chunk, spans)  # "Kenya beat Tanzania 2–1": the teams
        # a name repeated many times mostly has one kind and confidence: worked out once
        # (spans of one name share their candidate tuple, kept alive by ``spans``)
        scores: dict[tuple, tuple[str, float]] = {}
        # a division named like its seat ("Idlib"): the places around it decide
        for sp, rec, certainty in settle(chunk, resolve(spans, demonym_ccs)):
            skey = (id(sp.cands), sp.ntok, sp.initial, sp.common, sp.in_org, rec.kind,
                    certainty)
            hit = scores.get(skey)
            if hit is None:
                kind = rec.kind if rec.kind in _KIND_OUT else "site"
                hit = scores[skey] = (kind, round(_detection(sp) * certainty, 3))
            out.append(new_mention(base + sp.start, base + sp.end, sp.surface, sp.qualifier,
                                   rec.name, rec.lat, rec.lon, hit[0], rec.country, hit[1],
                                   rec.source))
        if demonyms:
            for sp in spans:
                country = index.country(sp.demonym) if sp.demonym else None
                if country is not None:
                    out.append(Mention(base + sp.start, base + sp.end, sp.surface, None,
                                       country.name, country.lat, country.lon, "demonym",
                                       country.country, 0.8, country.source))
    if demonyms:
        out.sort(key=lambda m: m.start)
    if progress is not None:
        progress(1.0)
    return out


CHUNK = 100_000
#: Two gazetteer records with the same name and kind this close are the same place (lookup).
SAME_PLACE_KM = 5.0


def _chunks(text: str):
    """Yield (offset, piece) of at most about ``CHUNK`` characters, cut at a paragraph or
    sentence end: a long input is many reports, and this bounds memory. Short texts (every
    single report) are one piece, so the whole text is the context."""
    n = len(text)
    start = 0
    while n - start > CHUNK * 1.5:
        cut = text.rfind("\n", start + CHUNK // 2, start + CHUNK)
        if cut < 0:
            cut = text.rfind(". ", start + CHUNK // 2, start + CHUNK)
        if cut < 0:
            cut = text.rfind(" ", start + CHUNK // 2, start + CHUNK)
        cut = start + CHUNK if cut < 0 else cut + 1
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]


def lookup(name: str, near: tuple[float, float] | None = None, limit: int = 10) -> list[Mention]:
    """Rank the gazetteer's places for one name (the search box).

    Parameters
    ----------
    name : str
        A place name in any spelling the folding rules cover, or in Arabic script; a prefix
        of three or more letters also finds longer names.
    near : (lat, lon), optional
        Prefer places near this point.
    limit : int
        At most this many results.

    Returns
    -------
    list[Mention]
        Best first; ``start``/``end`` are -1, ``text`` is the query, ``confidence`` the
        candidate's share of the score mass.
    """
    from geo.gazetteer import get_index
    from geo.normalize import fold
    from geo.resolve import km, name_score, prior

    name = (name or "").strip()
    if not name or limit <= 0:
        return []
    index = get_index()
    key = fold(name)
    if not key:
        return []
    scored: dict[int, tuple[float, Record]] = {}
    exact = index.find([key]).get(key, ())
    rows = [(r, h, 0.0) for r, h in exact]
    if len(key) >= 3:
        rows += [(r, h, -2.0) for r, h in index.prefix(key, 300)]
    for rec, how, penalty in rows:
        s = prior(rec) + name_score(rec, how, name) + penalty
        if near is not None:
            d = km(near[0], near[1], rec.lat, rec.lon)
            s -= 2.0 * math.log10(1.0 + d / 10.0)
        if rec.rid not in scored or scored[rec.rid][0] < s:
            scored[rec.rid] = (s, rec)
    ranked: list[tuple[float, Record]] = []
    for s, rec in sorted(scored.values(), key=lambda t: -t[0]):
        # The same place from two tables (e.g. a governorate from the admin list and from
        # GeoNames) is one choice for the user: keep the better-scored record only.
        if any(rec.name == r.name and rec.kind == r.kind
               and km(rec.lat, rec.lon, r.lat, r.lon) <= SAME_PLACE_KM for _, r in ranked):
            continue
        ranked.append((s, rec))
        if len(ranked) == limit:
            break
    if not ranked:
        return []
    top = ranked[0][0]
    mass = sum(math.exp(s - top) for s, _ in ranked)
    out = []
    for s, rec in ranked:
        kind = rec.kind if rec.kind in _KIND_OUT else "site"
        out.append(Mention(-1, -1, name, None, rec.name, rec.lat, rec.lon, kind, rec.country,
                           round(math.exp(s - top) / mass, 3), rec.source))
    return out
