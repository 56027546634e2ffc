"""Nominatim (OpenStreetMap) through geopy, within the service's usage policy.

Policy (https://operations.osmfoundation.org/policies/nominatim/): at most one
request per second, a user agent that identifies the application, results
cached. geopy's ``RateLimiter`` enforces the delay (never below 1 s here),
``CORDON_USER_AGENT`` sets the user agent, and every reply — including "not
found" — is kept in ``<cache dir>/nominatim.json``. After the first failure
(no network, timeout, refusal, malformed reply) the provider stops asking for
:data:`RETRY_AFTER_SECONDS`, so a run without network costs one timeout, not one
per name, and a long-lived process (the web page) tries again later.

A request is one try with one deadline (:data:`DEFAULT_TIMEOUT` seconds for
everything: name resolution, connection, reply). geopy's default HTTP adapter
(requests) retries twice below geopy, whatever the rate limiter's
``max_retries`` says, so a silent server used to cost three timeouts; here that
adapter is built without retries and every request runs under a deadline that
also covers what the socket timeout does not (a slow name server, a reply that
trickles in).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from geopy.adapters import BaseSyncAdapter, RequestsAdapter, URLLibAdapter
from geopy.exc import GeocoderTimedOut

from geo.online.base import Candidate, Provider
from geo.online.cache import JsonCache, cache_dir

__all__ = ["NominatimProvider", "DEFAULT_TIMEOUT", "DEFAULT_USER_AGENT", "MIN_DELAY_SECONDS"]

log = logging.getLogger(__name__)

#: Nominatim's policy: no more than one request per second.
MIN_DELAY_SECONDS = 1.0
DEFAULT_USER_AGENT = "cordon/0.1 (siege and humanitarian access mapping; geo online fallback)"
#: Candidates asked for per name.
LIMIT = 5
#: After a failure, no request for this long.
RETRY_AFTER_SECONDS = 300.0
#: Seconds one request may take in all; it is tried once.
DEFAULT_TIMEOUT = 3.0

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
    address = raw.get("address")
    if not isinstance(address, dict):
        address = {}
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


def http_adapter(**kwargs: Any) -> BaseSyncAdapter:
    """geopy's requests adapter without retries (urllib's, which never retries, without
    requests). ``kwargs`` are geopy's adapter arguments (``proxies``, ``ssl_context``)."""
    if RequestsAdapter.is_available:
        return RequestsAdapter(max_retries=0, **kwargs)
    return URLLibAdapter(**kwargs)


class DeadlineAdapter(BaseSyncAdapter):
    """Run each request of another geopy adapter in a worker thread and give up after
    ``seconds`` in all, whatever the request is doing (resolving the name, connecting,
    reading a reply that never ends). The abandoned thread ends at its own socket timeout.

    Parameters
    ----------
    inner : BaseSyncAdapter
        The adapter that does the request.
    seconds : float
        Deadline per request.
    """

    def __init__(self, inner: BaseSyncAdapter, seconds: float) -> None:
        super().__init__(proxies=None, ssl_context=None)
        self.inner = inner
        self.seconds = float(seconds)

    def get_json(self, url: str, *, timeout: float, headers: dict) -> Any:
        """The decoded JSON reply, or geopy's ``GeocoderTimedOut`` past the deadline."""
        return self._call(self.inner.get_json, url, timeout=timeout, headers=headers)

    def get_text(self, url: str, *, timeout: float, headers: dict) -> str:
        """The text reply, or geopy's ``GeocoderTimedOut`` past the deadline."""
        return self._call(self.inner.get_text, url, timeout=timeout, headers=headers)

    def _call(self, fn: Callable[..., Any], url: str, **kwargs: Any) -> Any:
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["value"] = fn(url, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                box["error"] = exc

        worker = threading.Thread(target=run, name="cordon-nominatim", daemon=True)
        worker.start()
        worker.join(self.seconds)
        if worker.is_alive():
            raise GeocoderTimedOut(f"no reply within {self.seconds:g} s")
        if "error" in box:
            raise box["error"]
        return box["value"]


class NominatimProvider(Provider):
    """geopy's Nominatim with a user agent, a ≥ 1 s rate limit and a disk cache.

    Parameters
    ----------
    user_agent : str, optional
        Defaults to ``CORDON_USER_AGENT`` or :data:`DEFAULT_USER_AGENT`.
    domain : str, optional
        Nominatim host (``host[:port]``, or a URL ``http://host:port`` that also sets the
        scheme); defaults to ``CORDON_NOMINATIM_DOMAIN`` or the public server.
    scheme : str, optional
        ``"https"`` or ``"http"``; defaults to ``CORDON_NOMINATIM_SCHEME``, the domain's URL
        scheme, or https.
    timeout : float
        Seconds one request may take in all (one try, no retries; default
        :data:`DEFAULT_TIMEOUT`).
    min_delay_seconds : float
        Delay between requests; raised to :data:`MIN_DELAY_SECONDS` if lower.
    cache : JsonCache, optional
        Defaults to ``<cache dir>/nominatim.json``.
    adapter_factory : callable, optional
        geopy adapter factory (tests inject a canned-reply adapter here); its adapter runs
        under the deadline too. Default: :func:`http_adapter`.
    clock, sleep : callable, optional
        Time source and sleep used by the rate limiter (tests use a fake clock).
    """

    name = "nominatim"

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        domain: str | None = None,
        scheme: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
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
        scheme = scheme or os.environ.get("CORDON_NOMINATIM_SCHEME", "").strip().lower()
        url = re.match(r"(https?)://(.+)$", domain, re.I)
        if url:
            scheme = scheme or url.group(1).lower()
            domain = url.group(2)
        if domain:
            kwargs["domain"] = domain.rstrip("/")
        if scheme:
            kwargs["scheme"] = scheme  # geopy refuses anything but http and https
        inner = adapter_factory or http_adapter
        kwargs["adapter_factory"] = lambda **kw: DeadlineAdapter(inner(**kw), timeout)
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
