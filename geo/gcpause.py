"""Pause Python's cyclic garbage collector while the geoparser works.

A parse allocates a few small objects per name (spans, candidate tuples, mentions) and frees
nearly all of them by reference counting; none of them form cycles that need the collector.
Yet every 700 allocations start a collection, and the full ones walk the whole heap — the
geoparser's objects and, in the page, everything else the process holds — so on a text naming
a place every few characters a third of the time went to collections that find nothing.
"""

from __future__ import annotations

import gc
import threading

_lock = threading.Lock()
_depth = 0  # parses under way in any thread
_resume = False  # whether the collector was on when the first of them began


class _Paused:
    """The context manager :func:`paused` returns (a class: a parse of a short text should
    not pay for a generator)."""

    __slots__ = ()

    def __enter__(self) -> None:
        global _depth, _resume
        with _lock:
            if _depth == 0:
                _resume = gc.isenabled()
                gc.disable()
            _depth += 1

    def __exit__(self, *exc: object) -> None:
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()


_PAUSED = _Paused()


def paused() -> _Paused:
    """Turn the collector off for a ``with`` block; it comes back on (if it was on before
    the first of the overlapping blocks of all threads began) when the last block ends."""
    return _PAUSED
