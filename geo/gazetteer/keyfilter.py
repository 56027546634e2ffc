"""A bitmap of an index's name keys that says which keys cannot be in it.

Most keys the recogniser asks for name no place: every n-gram of every run of capitalised
words is looked up, and in unseen text (a first pass, random capitalised words) nearly all of
them are new. Asking SQLite costs about 3.5 µs a key; this filter answers "not there" for
about 24 keys in 25 at a tenth of that, so only the rest reach SQLite.

It is one bit per value of the low ``BITS`` bits of the key's CRC-32 (a Bloom filter with one
hash): with the world index's ~690,000 keys about 4 % of the values are set, which is the
share of absent keys that still reach SQLite. No key of the index is ever filtered out. CRC-32
(``zlib``) is stable across processes, unlike ``hash()``, so the filter is built once with the
index and stored in it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

#: 2**24 bits: a 2 MB filter.
BITS = 24
_MASK = (1 << BITS) - 1


def build(keys: Iterable[str]) -> bytes:
    """The filter of ``keys`` (every key of an index's ``names`` table)."""
    bits = bytearray(1 << (BITS - 3))
    crc = zlib.crc32
    for key in keys:
        h = crc(key.encode("utf-8", "surrogatepass")) & _MASK
        bits[h >> 3] |= 1 << (h & 7)
    return bytes(bits)


def maybe(bits: bytes, keys: Iterable[str]) -> list[str]:
    """The keys of ``keys`` that may be in the index ``bits`` was built from (all those that
    are, and a few that are not)."""
    crc = zlib.crc32
    out = []
    for key in keys:
        # (surrogatepass: a lone surrogate from a decoded file is a key like any other)
        h = crc(key.encode("utf-8", "surrogatepass")) & _MASK
        if bits[h >> 3] >> (h & 7) & 1:
            out.append(key)
    return out
