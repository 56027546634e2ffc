"""Nominatim (OpenStreetMap) through geopy, within the service's usage policy.

Policy (https://operations.osmfoundation.org/policies/nominatim/): at most one
request per second, a user agent that identifies the application, results
cached. geopy's ``RateLimiter`` enforces the delay (never below 1 s here),
``CORDON_USER_AGENT`` sets the user agent, and every reply — including "not
found" — is kept in ``<cache dir>/nominatim.json``. After the first failure
(no network, timeout, refusal, malformed reply) the provider stops asking for
:data:`RETRY_AFTER_SECONDS`, so a run without network costs one timeout, not one
per name, and a long-lived process (the web page) tries again later.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from typing import Any

from geo.online.base import Candidate, Provider
from geo.online.cache import JsonCache, cache_dir

__all__ = ["NominatimProvider", "DEFAULT_USER_AGENT", "MIN_DELAY_SECONDS"]

log = logging.getLogger(__name__)

#: Nominatim's policy: no more than one request per second.
MIN_DELAY_SECONDS = 1.0
DEFAULT_USER_AGENT = "cordon/0.1 (siege and humanitarian access mapping; geo online fallback)"
#: Candidates asked for per name.
LIMIT = 5
#: After a failure, no request for this long.
RETRY_AFTER_SECONDS = 300.0

# OSM class/type → our kinds. Order matters: the first rule that matches wins.
_TYPE_KIND = {
    "country": "country",
    "state": "admin1", "province": "admin1",
    "state_district": "admin2", "county": "admin2", "district": "admin2",
    "municipality": "admin3", "subdistrict": "admin3",
    "city": "city", "town": "city", "village": "city", "hamlet": "city",
    "isolated_dwelling": "city", "locality": "city",
    "suburb": "neighbourhood", "neighbourhood": "neighbourhood", "quarter": "neighbourhood",
    "city_district": "neighbourhood", "borough": "neighbourhood", "city_block": "neighbourhood",
    "residential": "neighbourhood",
    "border_control": "crossing",
    "region": "region", "island": "region", "archipelago": "region",
}
# Classes whose hits are businesses, not places a report locates events at.
_REJECTED_CLASSES = frozenset({"shop", "office", "craft", "club"})


def _kind(raw: dict[str, Any]) -> str | None:
    cls = str(raw.get("class") or raw.get("category") or "")
    if cls in _REJECTED_CLASSES:
        return None
    for key in (raw.get("addresstype"), raw.get("type")):
        if key in _TYPE_KIND:
            return _TYPE_KIND[key]
    if cls == "highway":
        return "road"
    if cls == "natural":
        return "region"
    return "site"


def parse_result(raw: Any) -> Candidate | None:
    """Turn one Nominatim JSON record into a :class:`Candidate` (None if unusable)."""
    if not isinstance(raw, dict):
        return None
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    kind = _kind(raw)
    if kind is None:
        return None
    name = raw.get("name") or str(raw.get("display_name") or "").split(",")[0].strip()
    if not name:
        return None
    address = raw.get("address") if isinstance(raw.get("address"), dict) else {}
    cc = str(address.get("country_code") or "").upper()
    country = cc if re.fullmatch(r"[A-Z]{2}", cc) else None
    try:
        importance = min(1.0, max(0.0, float(raw.get("importance") or 0.0)))
    except (TypeError, ValueError):
        importance = 0.0
    if raw.get("osm_type") and raw.get("osm_id") is not None:
        source = f"osm:{raw['osm_type']}/{raw['osm_id']}"
    else:
        source = f"nominatim:{raw.get('place_id', '?')}"
    return Candidate(str(name), lat, lon, kind, country, importance, source)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class NominatimProvider(Provider):
    """geopy's Nominatim with a user agent, a ≥ 1 s rate limit and a disk cache.

    Parameters
    ----------
    user_agent : str, optional
        Defaults to ``CORDON_USER_AGENT`` or :data:`DEFAULT_USER_AGENT`.
    domain : str, optional
        Nominatim host; defaults to ``CORDON_NOMINATIM_DOMAIN`` or the public server.
    timeout : float
        Seconds per request.
    min_delay_seconds : float
        Delay between requests; raised to :data:`MIN_DELAY_SECONDS` if lower.
    cache : JsonCache, optional
        Defaults to ``<cache dir>/nominatim.json``.
    adapter_factory : callable, optional
        geopy adapter factory (tests inject a canned-reply adapter here).
    clock, sleep : callable, optional
        Time source and sleep used by the rate limiter (tests use a fake clock).
    """

    name = "nominatim"

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        domain: str | None = None,
        timeout: float = 5.0,
        min_delay_seconds: float = MIN_DELAY_SECONDS,
        cache: JsonCache | None = None,
        adapter_factory: Callable[..., Any] | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__()
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        self.user_agent = (user_agent or os.environ.get("CORDON_USER_AGENT", "").strip()
                           or DEFAULT_USER_AGENT)
        kwargs: dict[str, Any] = {"user_agent": self.user_agent, "timeout": timeout}
        domain = domain or os.environ.get("CORDON_NOMINATIM_DOMAIN", "").strip()
        if domain:
            kwargs["domain"] = domain
        if adapter_factory is not None:
            kwargs["adapter_factory"] = adapter_factory
        self.geocoder = Nominatim(**kwargs)
        self.cache = cache if cache is not None else JsonCache(cache_dir() / "nominatim.json")
        self.requests = 0
        self._now = clock or time.monotonic
        self._failed_at: float | None = None

        class _Limiter(RateLimiter):
            # geopy's limiter with an injectable clock and sleep (for tests).
            def _clock(self_inner) -> float:  # noqa: N805
                return clock() if clock else super()._clock()

            def _sleep(self_inner, seconds: float) -> None:  # noqa: N805
                if sleep:
                    sleep(seconds)
                else:
                    super()._sleep(seconds)

        # No retries and no swallowing: failures are caught below, once, and stop the provider.
        self.limiter = _Limiter(
            self.geocoder.geocode,
            min_delay_seconds=max(MIN_DELAY_SECONDS, float(min_delay_seconds)),
            max_retries=0,
            swallow_exceptions=False,
        )

    def geocode(self, name: str) -> list[Candidate]:
        """Candidates for ``name`` from the cache or, if needed, one request."""
        key = _key(name)
        if not key:
            return []
        if key in self.cache:
            return self._parse_all(self.cache.get(key))
        if self.failed:
            if self._now() - (self._failed_at or 0.0) < RETRY_AFTER_SECONDS:
                return []
            self.failed = False  # long enough: try the service again
        self.requests += 1
        try:
            locations = self.limiter(
                name, exactly_one=False, limit=LIMIT, addressdetails=True, language="en"
            )
            raws = [loc.raw for loc in locations or []]
        except Exception as exc:  # noqa: BLE001 - any failure must leave the offline result
            self.failed, self._failed_at = True, self._now()
            log.warning("online geocoder %s failed for %r (%s: %s); continuing offline",
                        self.name, name, type(exc).__name__, exc)
            return []
        self.cache.put(key, raws)
        return self._parse_all(raws)

    @staticmethod
    def _parse_all(raws: Any) -> list[Candidate]:
        if not isinstance(raws, list):
            return []
        return [c for c in map(parse_result, raws) if c is not None]
