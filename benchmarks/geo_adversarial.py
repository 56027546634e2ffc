"""Time ``geo.geoparse`` on adversarial text shapes: is its cost linear and near news speed?

Usage::

    .venv/bin/python benchmarks/geo_adversarial.py [--runs 3] [--sizes 1 2] [--shape NAME …]
        [--limit 2.0] [--cold]

For each shape the script builds a text of each size (``--sizes`` in millions of characters;
default 1 and 2, to show linearity), calls ``geo.geoparse`` on it ``--runs`` times and prints
the median CPU seconds per million characters at each size ("s/MB": for ASCII shapes that is
also per megabyte of UTF-8; Arabic letters take 2 bytes, so per byte their figure is lower),
the median wall-clock s/MB at the largest size, the worst CPU seconds per 10^6 bytes of UTF-8
("s/MB8": a megabyte proper; the same figure for ASCII text), the number of mentions, the
growth of the time per character from the smallest to the largest size (1.0 = linear) and a
verdict against ``--limit`` (default 2): "ok" within it per million characters, "ok per byte"
within it per megabyte only (Arabic script), "SLOW" over it either way; the exit status is 1
when a shape is over the limit per megabyte. CPU time (``time.process_time``) is the measure
because the machines we share run other jobs; with an idle core the wall clock agrees with it.

The process is warmed up once (index open, built if needed) and keeps its caches between runs,
as a long-running page does; shapes built from random words use a new seed per run, so their
words are always unseen. ``--cold`` empties the fold and index lookup caches before each run
(every run a first pass). The news baseline reads ``../shared/eval/geovirus.jsonl`` when it is
there (our own ``benchmarks/data/cordon-news-dev.jsonl`` otherwise); not part of the test run.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: News for the baseline: GeoVirus (385,000 characters of distinct reports) when ../shared is
#: there, else our own development set (13,000 characters, so mostly repeats).
NEWS = [ROOT.parent / "shared" / "eval" / "geovirus.jsonl",
        ROOT / "benchmarks" / "data" / "cordon-news-dev.jsonl"]


def _repeat(unit: str) -> Callable[[int, int], str]:
    def make(n: int, _seed: int) -> str:
        return (unit * (n // len(unit) + 1))[:n]
    return make


def _random_words(alphabet: str, upper: str, sep: str) -> Callable[[int, int], str]:
    """Distinct-looking capitalised words (nothing repeats, so no cache can help)."""
    def make(n: int, seed: int) -> str:
        rnd = random.Random(seed)
        parts: list[str] = []
        size = 0
        while size < n:
            w = rnd.choice(upper) + "".join(rnd.choices(alphabet, k=rnd.randint(2, 7)))
            parts.append(w)
            size += len(w) + len(sep)
        return sep.join(parts)[:n]
    return make


def _no_whitespace(n: int, seed: int) -> str:
    """1 MB with no blank or newline: letters of both cases, digits, punctuation, hyphens."""
    rnd = random.Random(seed)
    return "".join(rnd.choices("AaBbCcDdEeHhLlMmSsTt0123-.,'’/()حلبدمشق", k=n))


def _news(n: int, _seed: int) -> str:
    path = next(p for p in NEWS if p.is_file())
    docs = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return _repeat("\n\n".join(docs) + "\n\n")(n, 0)


#: name → (builder(n_chars, seed), what it stresses)
SHAPES: dict[str, tuple[Callable[[int, int], str], str]] = {
    "news": (_news, "baseline: news reports (GeoVirus, else our dev set) repeated"),
    "ar-name-spaced": (_repeat("حلب "), "one Arabic name repeated: a mention every 4 chars"),
    "ar-name-glued": (_repeat("حلب"), "one Arabic name repeated with no spaces: one token"),
    "ar-random": (_random_words("ابتحدرسعفقكلمنهوي", "ابتحدرسعفقكلمنهوي", " "),
                  "distinct Arabic-script words"),
    "ar-prefix-wal": (_repeat("وال"), "Arabic prefixes و+ال repeated, no spaces"),
    "ar-prefix-wal-spaced": (_repeat("وال "), "Arabic prefixes و+ال as words"),
    "ar-prefixed-name": (_repeat("والحلب وبحلب "), "Arabic names behind prefixes"),
    "latin-name-spaced": (_repeat("Aleppo "), "one Latin name repeated: one long run"),
    "latin-name-glued": (_repeat("Aleppo"), "one Latin name repeated with no spaces"),
    "al-repeated": (_repeat("Al-"), "the article prefix repeated"),
    "al-arabic-name": (_repeat("Al-دمشق "), "Latin article + Arabic name (two runs meet)"),
    "al-latin-names": (_repeat("Al-Bab al-Sukkari "), "articles and names"),
    "hyphens": (_repeat("Aleppo-"), "a name joined by hyphens: one word of 1 MB"),
    "hyphens-only": (_repeat("-"), "nothing but hyphens"),
    "caps-cycle": (_repeat("Aa Bb Cc Dd Ee Ff Gg Hh Ii Jj Kk "), "capitalised words"),
    "caps-random": (_random_words("aeioulnrstmkdbh", "ABDEGHIKLMNOPRSTUWZ", " "),
                    "distinct capitalised words in one run"),
    "caps-random-hyphen": (_random_words("aeiourlnst", "ABDEHKMST", "-"),
                           "distinct capitalised words joined by hyphens"),
    "connectors": (_repeat("Aa" + " of the" * 50 + " "), "connector words after a name"),
    "people-places": (_repeat("Homs and John Smith and "), "people and places in one run"),
    "long-tokens": (_repeat("A" + "b" * 9_999 + " "), "capitalised tokens of 10,000 letters"),
    "no-whitespace": (_no_whitespace, "no blank or newline at all"),
    "possessives": (_repeat("Aleppo's "), "a name with 's repeated"),
    "abbreviations": (_repeat("U.S. "), "dotted abbreviations"),
    "controls": (_repeat("Aleppo\x00\x01\x1b "), "NUL and other control characters"),
    "comma-list": (_repeat("Idlib, Hama, "), "names in a comma list (each one an admin cue)"),
    "plural-cue": (_repeat("Idlib, Hama and Homs provinces, "),
                   "lists closed by a plural division word"),
    "in-chain": (_repeat("Saraqib in Idlib in "), "each name said to be in the next"),
    "tails": (_repeat("the Rafah and Kerem Shalom crossings, "),
              "camp and crossing words after lists of names"),
}


def _clear_caches() -> None:
    from geo.gazetteer import get_index
    from geo.normalize import clear_caches

    clear_caches()
    get_index()._cache.clear()
    get_index()._misses.clear()


def time_shape(build: Callable[[int, int], str], n: int, runs: int,
               cold: bool) -> tuple[float, float, int, float]:
    """Median wall and CPU seconds of ``geoparse`` on ``n`` characters, the mentions, and the
    text's UTF-8 bytes per character."""
    import geo

    walls, cpus, found, per_char = [], [], 0, 1.0
    for run in range(runs):
        text = build(n, run)
        per_char = len(text.encode("utf-8", "surrogatepass")) / max(1, len(text))
        if cold:
            _clear_caches()
        t0, c0 = time.perf_counter(), time.process_time()
        found = len(geo.geoparse(text))
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), found, per_char


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per shape and size (median)")
    ap.add_argument("--sizes", type=float, nargs="+", default=[1.0, 2.0],
                    help="text sizes in millions of characters")
    ap.add_argument("--shape", action="append", choices=sorted(SHAPES),
                    help="only these shapes (repeatable)")
    ap.add_argument("--limit", type=float, default=2.0, help="verdict: seconds per MB")
    ap.add_argument("--cold", action="store_true", help="empty the caches before each run")
    args = ap.parse_args(argv)

    import geo

    geo.geoparse("Shelling hit eastern Aleppo.")  # index open (or built) before any timing
    names = args.shape or list(SHAPES)
    sizes = sorted(args.sizes)
    print(f"geo_adversarial: median of {args.runs} run(s); s/MB = CPU seconds per 10^6 "
          f"characters; limit {args.limit:g} s/MB; caches {'emptied' if args.cold else 'kept'}"
          f" between runs")
    head = "".join(f"{f's/MB@{s:g}M':>10}" for s in sizes)
    print(f"{'shape':22}{head}{'wall s/MB':>10}{'s/MB8':>8}{'mentions':>10}{'growth':>8}"
          f"  verdict")
    worst = worst_bytes = 0.0
    for name in names:
        build, _what = SHAPES[name]
        per_mb, wall_mb, found, per_char = [], 0.0, 0, 1.0
        for size in sizes:
            n = int(size * 1_000_000)
            wall, cpu, found, per_char = time_shape(build, n, args.runs, args.cold)
            per_mb.append(cpu / size)
            wall_mb = wall / size
        growth = per_mb[-1] / per_mb[0] if len(per_mb) > 1 and per_mb[0] > 0 else 1.0
        worst = max(worst, *per_mb)
        # per megabyte of UTF-8 (an Arabic letter is 2 bytes): the same as s/MB for ASCII
        bytes_mb = max(per_mb) / per_char
        worst_bytes = max(worst_bytes, bytes_mb)
        verdict = "ok" if max(per_mb) <= args.limit else (
            "SLOW" if bytes_mb > args.limit else "ok per byte")
        cols = "".join(f"{v:10.2f}" for v in per_mb)
        print(f"{name:22}{cols}{wall_mb:10.2f}{bytes_mb:8.2f}{found:10d}{growth:8.2f}"
              f"  {verdict}", flush=True)
    print(f"worst {worst:.2f} s per 10^6 characters, {worst_bytes:.2f} s per 10^6 bytes of "
          f"UTF-8 (s/MB8): {'within' if worst_bytes <= args.limit else 'OVER'} the "
          f"{args.limit:g} s/MB limit per megabyte"
          + ("" if worst <= args.limit else " (over it per million characters)"))
    return 0 if worst_bytes <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
