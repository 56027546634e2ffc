"""The provider interface every online geocoder implements.

A provider turns one place name into ranked candidates. It never raises for
network trouble: the offline result must stand whatever the service does, so
failures are logged and reported as "no candidates".
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["Candidate", "Provider", "online_enabled"]

#: Kinds a candidate may carry (the geocoder's documented set, minus ``demonym``).
KINDS = frozenset(
    {"country", "admin1", "admin2", "admin3", "city", "neighbourhood", "road", "crossing",
     "site", "region"}
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place an online service proposes for a name.

    Attributes
    ----------
    name : str
        The service's short name for the place (not its full address).
    lat, lon : float
        WGS84 degrees.
    kind : str
        One of :data:`KINDS`.
    country : str | None
        ISO 3166 alpha-2 code (upper case) when the service gives one.
    importance : float
        The service's own 0–1 ranking score (0 when it gives none).
    source : str
        A stable record id, e.g. ``osm:relation/5832244``.
    """

    name: str
    lat: float
    lon: float
    kind: str
    country: str | None
    importance: float
    source: str


class Provider:
    """Base class: an online geocoder behind one small interface.

    Subclasses implement :meth:`geocode`. They must catch every failure of the
    service (no network, timeout, refusal, malformed reply), log it and return
    an empty list; :attr:`failed` tells callers a failure happened.
    """

    #: Short name used in logs and cache file names.
    name: str = "provider"

    def __init__(self) -> None:
        self.failed = False

    def geocode(self, name: str) -> list[Candidate]:
        """Return candidates for ``name``, best first (may be empty)."""
        raise NotImplementedError


def online_enabled(online: bool | None = None) -> bool:
    """Whether the online fallback is on.

    An explicit ``online`` argument wins; otherwise ``CORDON_ONLINE=1`` (or
    ``true``/``yes``/``on``) in the environment enables it. Off by default.
    """
    if online is not None:
        return bool(online)
    return os.environ.get("CORDON_ONLINE", "").strip().lower() in {"1", "true", "yes", "on"}
