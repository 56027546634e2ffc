"""A layer drawn once per epoch of its own is the layer of every day in that epoch.

The page draws each map layer (and the summary) once for the first day of the layer's own
epoch (``timesteps.layer_bounds``) and shows that drawing on every later day up to the next
bound; these tests hold that claim against drawing every day afresh, in both shipped packs.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

import layers
from layers.draw import DrawContext, layer_features
from layers.draw.groups import event_features, finish_layer
from layers.draw.labels import label_features
from layers.draw.timesteps import epoch, layer_bounds

LAYERS = ("control", "sieges", "corridors", "crossings", "events")


def _days(sc):
    """Every day of the window for a short one; else every day next to a bound and every
    fifth day between."""
    start, end = sc.window
    every = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    near = {d + timedelta(days=k) for bs in layer_bounds(sc).values() for d in bs
            for k in (-1, 0, 1)}
    return [d for i, d in enumerate(every) if len(every) <= 120 or i % 5 == 0 or d in near]


@pytest.mark.parametrize("name", ["aleppo-2016", "syria-2016"])
def test_each_layer_is_the_same_through_its_epoch(name):
    sc = layers.load_scenario(name)
    ctx = DrawContext.for_scenario(sc)
    bounds = layer_bounds(sc)
    start = sc.window[0]
    drawn: dict[tuple, tuple] = {}
    checked = 0
    for day in _days(sc):
        state = layers.state_at(sc, day)
        got = layer_features(state, ctx, LAYERS)
        for layer in LAYERS:
            first = epoch(day, bounds[layer], start)
            text = finish_layer(layer, got[layer])
            seen = drawn.setdefault((layer, first), (day, text))
            assert seen[1] == text, f"{name} {layer}: {seen[0]} and {day} differ"
            checked += seen[0] != day
        labels = finish_layer("labels", label_features(state, ctx, LAYERS))
        first = tuple(epoch(day, bounds[k], start) for k in LAYERS)
        seen = drawn.setdefault(("labels", first), (day, labels))
        assert seen[1] == labels, f"{name} labels: {seen[0]} and {day} differ"
    assert checked > 50  # the claim was put to the test on many days, not just bounds


@pytest.mark.parametrize("name", ["aleppo-2016", "syria-2016"])
def test_summary_is_the_same_through_its_epoch(name):
    sc = layers.load_scenario(name)
    bounds = layer_bounds(sc)["summary"]
    seen: dict = {}
    for day in _days(sc):
        s = {**layers.summarize(sc, day), "date": None}
        first = epoch(day, bounds, sc.window[0])
        assert seen.setdefault(first, s) == s, f"{name} summary differs within {first}"


def test_events_alone_are_the_events_of_the_state():
    sc = layers.load_scenario("aleppo-2016")
    ctx = DrawContext.for_scenario(sc)
    for day in (sc.window[0], sc.default_date, sc.window[1]):
        alone = finish_layer("events", event_features(layers.events_at(sc, day), ctx))
        full = finish_layer("events", layer_features(layers.state_at(sc, day), ctx,
                                                     ["events"])["events"])
        assert alone == full
    assert alone.features > 0
