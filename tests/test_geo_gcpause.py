"""The geoparser pauses the cyclic garbage collector while it parses: it must always hand it
back as it found it, whatever happens in the parse and whichever threads parse at once."""

from __future__ import annotations

import gc
import threading

import pytest

import geo
from geo.gcpause import paused


@pytest.fixture(autouse=True)
def _collector_on(monkeypatch):
    monkeypatch.delenv("CORDON_ONLINE", raising=False)  # never the network
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_during_a_parse_and_back_on_after():
    seen = []
    mentions = geo.geoparse("Shelling hit eastern Aleppo.\n" * 6000,
                            progress=lambda _share: seen.append(gc.isenabled()))
    assert len(mentions) == 6000 and len(seen) >= 2 and not any(seen)
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    assert [m.name for m in geo.geoparse("Talks in Geneva on Aleppo.")] == ["Geneva", "Aleppo"]
    assert not gc.isenabled()


def test_a_failing_parse_turns_the_collector_back_on():
    def boom(_share: float) -> None:
        raise RuntimeError("the page went away")

    with pytest.raises(RuntimeError):
        geo.geoparse("Aleppo. " * 30_000, progress=boom)
    assert gc.isenabled()


def test_overlapping_parses_in_two_threads_leave_it_on():
    """The first parse to start is not the last to end: the collector comes back only when
    the last one ends."""
    inside, release = threading.Event(), threading.Event()

    def slow() -> None:
        with paused():
            inside.set()
            release.wait(30)

    t = threading.Thread(target=slow)
    t.start()
    inside.wait(30)
    with paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread is still parsing
    release.set()
    t.join(30)
    assert gc.isenabled()
