"""The geocoder's cache folder: a new index keeps the two newest of other inputs from the last
week (two checkouts sharing a cache must not rebuild each other's index on every switch) and
deletes the rest."""

from __future__ import annotations

import os
import time

from geo.gazetteer import build


def test_a_new_index_keeps_two_recent_others_and_deletes_the_rest(tmp_path):
    now = time.time()
    ages = {"a": 60, "b": 3600, "c": 7200, "old": 8 * 86400}  # seconds since built
    for name, age in ages.items():
        f = tmp_path / f"geo-index-{name}.sqlite"
        f.write_bytes(b"x")
        os.utime(f, (now - age, now - age))
    (tmp_path / "other-file.txt").write_text("kept")
    new = tmp_path / "geo-index-new.sqlite"
    new.write_bytes(b"y")
    build._prune(new)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["geo-index-a.sqlite", "geo-index-b.sqlite", "geo-index-new.sqlite",
                    "other-file.txt"]
