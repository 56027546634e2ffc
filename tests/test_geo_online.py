"""The online fallback: off by default, cached on disk, rate-limited, harmless when it fails.

Every test talks to a canned geopy adapter (geopy's adapter injection); none uses the network.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import GeocoderParseError, GeocoderTimedOut, GeocoderUnavailable

import geo.online
from geo.mention import Mention
from geo.online import fill_unresolved, get_provider, online_enabled, unresolved_spans
from geo.online.cache import JsonCache
from geo.online.nominatim import DEFAULT_USER_AGENT, NominatimProvider

# Made-up Nominatim replies (the real service's JSON shape, our own values).
VILLAGE = {
    "place_id": 901, "osm_type": "node", "osm_id": 4242, "lat": "36.3101", "lon": "37.0402",
    "class": "place", "type": "village", "addresstype": "village", "name": "Tell Qarqur",
    "display_name": "Tell Qarqur, Jebel Saman District, Aleppo Governorate, Syria",
    "importance": 0.3, "address": {"village": "Tell Qarqur", "country_code": "sy"},
}
FAR_HOMONYM = {
    "place_id": 902, "osm_type": "relation", "osm_id": 77, "lat": "-33.9", "lon": "151.2",
    "class": "boundary", "type": "administrative", "addresstype": "suburb", "name": "Tell Qarqur",
    "display_name": "Tell Qarqur, Sydney, Australia", "importance": 0.5,
    "address": {"country_code": "au"},
}
SHOP = {**VILLAGE, "class": "shop", "type": "bakery", "osm_id": 5}


class CannedAdapter(BaseSyncAdapter):
    """A geopy adapter that answers from a dict and records what it was asked."""

    def __init__(self, replies: dict, clock=None, **kwargs) -> None:
        super().__init__(proxies=None, ssl_context=None)
        self.replies = replies
        self.calls: list[dict] = []
        self.clock = clock

    def get_json(self, url, *, timeout, headers):
        query = parse_qs(urlparse(url).query)
        self.calls.append({
            "q": query.get("q", [""])[0], "headers": dict(headers), "timeout": timeout,
            "at": self.clock() if self.clock else None, "params": query,
        })
        reply = self.replies.get(query.get("q", [""])[0], [])
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def get_text(self, url, *, timeout, headers):  # pragma: no cover - Nominatim wants JSON
        raise NotImplementedError


class FakeClock:
    """Time that only moves when the rate limiter sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_provider(tmp_path, replies, clock=None, **kwargs):
    clock = clock or FakeClock()
    adapter = CannedAdapter(replies, clock=clock)
    provider = NominatimProvider(
        cache=JsonCache(tmp_path / "nominatim.json"),
        adapter_factory=lambda **_: adapter,
        clock=clock,
        sleep=clock.sleep,
        **kwargs,
    )
    return provider, adapter


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.delenv("CORDON_ONLINE", raising=False)
    monkeypatch.delenv("CORDON_USER_AGENT", raising=False)
    # CORDON_CACHE is left alone: the gazetteer index lives there too; tests that write the
    # online cache give the provider its own file under tmp_path.
    monkeypatch.setattr(geo.online, "_default", None)


# ----------------------------------------------------------------------------- switched off


def test_disabled_by_default_and_switches(monkeypatch):
    assert online_enabled() is False
    assert get_provider() is None
    monkeypatch.setenv("CORDON_ONLINE", "1")
    assert online_enabled() is True
    assert online_enabled(False) is False  # an explicit argument wins over the environment
    monkeypatch.setenv("CORDON_ONLINE", "0")
    assert online_enabled() is False
    assert online_enabled(True) is True


def test_enabled_provider_is_nominatim_with_a_real_user_agent(monkeypatch):
    monkeypatch.setenv("CORDON_ONLINE", "1")
    provider = get_provider()
    assert isinstance(provider, NominatimProvider)
    assert provider.geocoder.headers["User-Agent"] == DEFAULT_USER_AGENT
    assert not provider.geocoder.headers["User-Agent"].startswith("geopy/")
    assert provider.limiter.min_delay_seconds >= 1.0


def test_fill_with_no_provider_returns_the_offline_result_untouched():
    text = "Convoys waited near Tell Qarqur."
    assert fill_unresolved(text, [], None) == []


def test_geoparse_makes_no_request_unless_enabled(monkeypatch):
    """The real geoparser stays offline by default: constructing a provider would fail here."""
    def refuse(*a, **k):
        raise AssertionError("online provider created while online is off")

    monkeypatch.setattr("geo.online.nominatim.NominatimProvider.__init__", refuse)
    import geo

    assert geo.geoparse("Shelling near Tell Qarqur and in Aleppo, Syria.")  # offline mentions


# ----------------------------------------------------------------------------- requests


def test_user_agent_from_environment_and_query_parameters(monkeypatch, tmp_path):
    monkeypatch.setenv("CORDON_USER_AGENT", "cordon-test/9 (ops@example.org)")
    provider, adapter = make_provider(tmp_path, {"Tell Qarqur": [VILLAGE]})
    [cand] = provider.geocode("Tell Qarqur")
    call = adapter.calls[0]
    assert call["headers"]["User-Agent"] == "cordon-test/9 (ops@example.org)"
    assert call["params"]["limit"] == ["5"] and call["params"]["addressdetails"] == ["1"]
    assert (cand.name, cand.kind, cand.country, cand.source) == (
        "Tell Qarqur", "city", "SY", "osm:node/4242")
    assert (cand.lat, cand.lon) == (36.3101, 37.0402)


def test_businesses_are_not_places(tmp_path):
    provider, _ = make_provider(tmp_path, {"Tell Qarqur": [SHOP, VILLAGE]})
    assert [c.source for c in provider.geocode("Tell Qarqur")] == ["osm:node/4242"]


def test_results_are_cached_on_disk_and_reused(tmp_path):
    provider, adapter = make_provider(tmp_path, {"Tell Qarqur": [VILLAGE], "Nowhere Flats": []})
    first = provider.geocode("Tell Qarqur")
    assert provider.geocode("Nowhere Flats") == []
    assert len(adapter.calls) == 2
    cache_file = tmp_path / "nominatim.json"
    assert json.loads(cache_file.read_text(encoding="utf-8"))  # valid JSON on disk
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind

    again, adapter2 = make_provider(tmp_path, {})  # a new process: fresh provider, same cache
    assert again.geocode("tell  QARQUR") == first  # same name, other spacing and case
    assert again.geocode("Nowhere Flats") == []  # "not found" is cached too
    assert adapter2.calls == []


def test_default_cache_lives_in_cordon_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("CORDON_CACHE", str(tmp_path / "elsewhere"))
    clock = FakeClock()
    adapter = CannedAdapter({"Tell Qarqur": [VILLAGE]})
    provider = NominatimProvider(adapter_factory=lambda **_: adapter, clock=clock,
                                 sleep=clock.sleep)
    provider.geocode("Tell Qarqur")
    assert (tmp_path / "elsewhere" / "nominatim.json").is_file()


def test_corrupt_cache_is_ignored_not_fatal(tmp_path):
    (tmp_path / "nominatim.json").write_text("{not json", encoding="utf-8")
    provider, adapter = make_provider(tmp_path, {"Tell Qarqur": [VILLAGE]})
    assert provider.geocode("Tell Qarqur")[0].country == "SY"
    assert json.loads((tmp_path / "nominatim.json").read_text(encoding="utf-8"))


def test_cache_write_failure_keeps_the_old_file_and_the_answer(tmp_path, monkeypatch, caplog):
    provider, _ = make_provider(tmp_path, {"Tell Qarqur": [VILLAGE], "Other Town": []})
    provider.geocode("Tell Qarqur")
    before = (tmp_path / "nominatim.json").read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("geo.online.cache.os.replace", broken_replace)
    with caplog.at_level("WARNING"):
        assert provider.geocode("Other Town") == []  # the answer still comes back
    assert "not writable" in caplog.text
    assert (tmp_path / "nominatim.json").read_bytes() == before  # never half a file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nominatim.json"]


def test_rate_limit_is_at_least_one_second_between_requests(tmp_path):
    clock = FakeClock()
    provider, adapter = make_provider(tmp_path, {"A Town": [], "B Town": [], "C Town": []},
                                      clock=clock, min_delay_seconds=0.2)
    assert provider.limiter.min_delay_seconds == 1.0  # never below the policy
    for name in ("A Town", "B Town", "C Town", "A Town"):  # the last one is a cache hit
        provider.geocode(name)
    times = [c["at"] for c in adapter.calls]
    assert len(times) == 3
    assert all(b - a >= 1.0 for a, b in zip(times, times[1:], strict=False))
    assert sum(clock.sleeps) >= 2.0


# ----------------------------------------------------------------------------- failures

FAILURES = {
    "timeout": GeocoderTimedOut("Service timed out"),
    "no network": GeocoderUnavailable("Service not available"),
    "refused (403)": AdapterHTTPError("Forbidden", status_code=403, headers={}, text="blocked"),
    "rate limited (429)": AdapterHTTPError("Too Many", status_code=429, headers={}, text=""),
    "bad JSON": GeocoderParseError("Could not deserialize using deserializer"),
}


@pytest.mark.parametrize("failure", list(FAILURES), ids=list(FAILURES))
def test_failures_are_logged_and_leave_the_offline_result(tmp_path, caplog, failure):
    import geo

    text = "Aid reached the village of Tell Qarqur, west of Aleppo in Syria."
    offline = geo.geoparse(text)
    provider, adapter = make_provider(tmp_path, {"Tell Qarqur": FAILURES[failure]})
    with caplog.at_level("WARNING"):
        result = fill_unresolved(text, offline, provider)
    assert result == sorted(offline, key=lambda m: (m.start, m.end))
    assert len(adapter.calls) == 1
    assert "continuing offline" in caplog.text
    # After a failure the provider stops asking (one timeout per run, not one per name) …
    assert provider.failed and provider.geocode("Some Other Place") == []
    assert len(adapter.calls) == 1
    # … and the failure was not cached: a later run asks again.
    assert "tell qarqur" not in JsonCache(tmp_path / "nominatim.json")


def test_provider_tries_again_after_a_pause(tmp_path):
    from geo.online.nominatim import RETRY_AFTER_SECONDS

    clock = FakeClock()
    provider, adapter = make_provider(
        tmp_path, {"Tell Qarqur": GeocoderUnavailable("down"), "Other Town": []}, clock=clock)
    assert provider.geocode("Tell Qarqur") == [] and provider.failed
    clock.now += RETRY_AFTER_SECONDS / 2
    provider.geocode("Other Town")
    assert len(adapter.calls) == 1  # still resting
    clock.now += RETRY_AFTER_SECONDS
    provider.geocode("Other Town")
    assert len(adapter.calls) == 2 and not provider.failed  # the service is asked again


def test_domain_and_scheme_from_arguments_or_environment(monkeypatch):
    provider = NominatimProvider(domain="127.0.0.1:8", scheme="http")
    assert provider.geocoder.api == "http://127.0.0.1:8/search"
    monkeypatch.setenv("CORDON_NOMINATIM_DOMAIN", "http://nominatim.example.org:8080/")
    assert NominatimProvider().geocoder.api == "http://nominatim.example.org:8080/search"
    monkeypatch.setenv("CORDON_NOMINATIM_DOMAIN", "nominatim.example.org")
    assert NominatimProvider().geocoder.api == "https://nominatim.example.org/search"
    monkeypatch.setenv("CORDON_NOMINATIM_SCHEME", "http")
    assert NominatimProvider().geocoder.api == "http://nominatim.example.org/search"


class SilentServer:
    """A TCP server on a free loopback port that accepts connections and never answers."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(conn)  # held open, never read from or answered

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for conn in self.connections:
            conn.close()
        self.sock.close()


def test_a_silent_server_costs_one_short_try(monkeypatch, tmp_path, caplog):
    """geopy's HTTP adapter used to retry below the rate limiter (3 tries × 5 s); now a
    lookup is one connection and gives up within the deadline, with no result and no error."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.upper(), raising=False)
    server = SilentServer()
    try:
        provider = NominatimProvider(domain=f"127.0.0.1:{server.port}", scheme="http",
                                     cache=JsonCache(tmp_path / "nominatim.json"))
        t0 = time.monotonic()
        with caplog.at_level("WARNING"):
            assert provider.geocode("Tell Qarqur") == []
        elapsed = time.monotonic() - t0
        time.sleep(1.0)  # a hidden retry would connect right after the first timeout
        connections = len(server.connections)
    finally:
        server.close()
    assert elapsed < 6.0, f"{elapsed:.1f} s"
    assert connections == 1
    assert provider.failed and "continuing offline" in caplog.text


def test_garbage_reply_is_a_failure_not_a_crash(tmp_path):
    provider, _ = make_provider(tmp_path, {"Tell Qarqur": "<html>busy</html>"})
    assert provider.geocode("Tell Qarqur") == []
    assert provider.failed


def test_malformed_records_are_skipped_or_fail_cleanly(tmp_path):
    from geo.online.nominatim import parse_result

    provider, _ = make_provider(tmp_path, {"Tell Qarqur": [{"display_name": "No point"}, VILLAGE],
                                           "Bad Lat": [{"lat": "x", "lon": "1"}, VILLAGE]})
    assert [c.source for c in provider.geocode("Tell Qarqur")] == ["osm:node/4242"]
    assert provider.geocode("Bad Lat") == [] and provider.failed  # geopy rejects the reply
    # Off the globe, nameless, not a record at all: skipped.
    for raw in ({"lat": "95", "lon": "1", "name": "Off"}, {"lat": "1", "lon": "2"}, 7, None):
        assert parse_result(raw) is None, raw
    # A bad importance does not cost the place: it is kept with no importance.
    cand = parse_result({**VILLAGE, "importance": "high"})
    assert cand is not None and cand.importance == 0.0 and cand.name == "Tell Qarqur"


# ----------------------------------------------------------------------------- filling gaps


def test_candidate_spans_follow_locative_cues_and_skip_non_places():
    text = ("Talks resumed in March. Trucks entered Tell Qarqur's market; "
            "families fled the village of al-Mazraa. Kerry spoke in Geneva.")
    spans = [text[s:e] for s, e in unresolved_spans(text, [])]
    assert spans == ["Tell Qarqur", "al-Mazraa", "Geneva"]  # no month, no person
    geneva = text.index("Geneva")
    taken = [Mention(geneva, geneva + 6, "Geneva", None, "Geneva", 46.2, 6.1, "city", "CH",
                     0.9, "geonames:2660646")]
    assert "Geneva" not in [text[s:e] for s, e in unresolved_spans(text, taken)]


def test_fill_adds_an_online_mention_with_the_real_geoparser(tmp_path):
    import geo

    text = "Aid reached the village of Tell Qarqur, west of Aleppo in Syria."
    offline = geo.geoparse(text)
    assert "Tell Qarqur" not in [m.text for m in offline]  # the gazetteer lacks it
    provider, adapter = make_provider(tmp_path, {"Tell Qarqur": [FAR_HOMONYM, VILLAGE]})
    result = fill_unresolved(text, offline, provider)
    added = [m for m in result if m not in offline]
    assert len(added) == 1
    m = added[0]
    assert text[m.start:m.end] == m.text == "Tell Qarqur"
    # The text names Syria, so the Syrian village wins over the far homonym.
    assert (m.source, m.country, m.kind) == ("osm:node/4242", "SY", "city")
    assert 0.0 < m.confidence <= 0.7
    assert all(m in result for m in offline)  # offline mentions untouched
    assert [x.start for x in result] == sorted(x.start for x in result)


def test_far_homonym_alone_is_not_taken_when_the_text_names_countries(tmp_path):
    import geo

    text = "Aid reached the village of Tell Qarqur, west of Aleppo in Syria."
    offline = geo.geoparse(text)
    provider, _ = make_provider(tmp_path, {"Tell Qarqur": [FAR_HOMONYM]})
    assert fill_unresolved(text, offline, provider) == sorted(
        offline, key=lambda m: (m.start, m.end))


def test_caller_spans_are_used_and_each_name_is_asked_once(tmp_path):
    text = "Tell Qarqur was shelled; Tell Qarqur was shelled again."
    spans = [(0, 11), (25, 36), (3, 9)]
    provider, adapter = make_provider(tmp_path, {"Tell Qarqur": [VILLAGE], "l Qarq": []})
    result = fill_unresolved(text, [], provider, spans=spans)
    assert [(m.start, m.end) for m in result] == [(0, 11), (25, 36)]  # overlap dropped
    assert [c["q"] for c in adapter.calls] == ["Tell Qarqur"]


def test_geoparse_online_switch_uses_the_provider(tmp_path, monkeypatch):
    import geo
    import geo.online

    text = "Aid reached the village of Tell Qarqur, west of Aleppo in Syria."
    provider, _ = make_provider(tmp_path, {"Tell Qarqur": [FAR_HOMONYM, VILLAGE]})
    monkeypatch.setattr(geo.online, "get_provider",
                        lambda online=None: provider if online else None)
    assert "Tell Qarqur" not in [m.text for m in geo.geoparse(text, online=False)]
    found = {m.text: m for m in geo.geoparse(text, online=True)}
    assert found["Tell Qarqur"].source == "osm:node/4242"
    offline = geo.geoparse(text, online=False)
    assert all(m in found.values() for m in offline)  # the offline result stands
