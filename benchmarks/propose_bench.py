"""How long ``layers.propose`` takes on a 1,000-word report, after start-up.

    PYTHONPATH=. python benchmarks/propose_bench.py [--runs 7] [--words 1000]

The report is built from the development set's paragraphs (our own text, in order, several
per paragraph) until it holds the requested number of words, so it mixes changes, claims,
hedges and paragraphs with no change as a real report does. Start-up — loading the pack,
opening the gazetteer index, compiling the lexicons, dateparser's first call — is timed apart;
the figure that counts is the median of the runs that follow. Target: ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build_report(words: int) -> str:
    """Development-set paragraphs of aleppo-2016, three sentences a paragraph, to ``words``."""
    texts = [json.loads(line)["text"] for line in
             (HERE / "data" / "propose-dev.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip() and json.loads(line)["scenario"] == "aleppo-2016"]
    paragraphs, current, count, i = [], [], 0, 0
    while count < words:
        t = texts[i % len(texts)]
        current.append(t)
        count += len(t.split())
        i += 1
        if len(current) == 3:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--words", type=int, default=1000)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    import layers

    sc = layers.load_scenario("aleppo-2016")
    report = build_report(args.words)
    first = layers.propose(report, sc, published=date(2016, 12, 10))
    startup = time.perf_counter() - t0
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        props = layers.propose(report, sc, published=date(2016, 12, 10))
        times.append(time.perf_counter() - t)
    assert len(props) == len(first)
    med = statistics.median(times) * 1000
    print(f"report: {len(report.split())} words, {len(report)} characters, "
          f"{len(props)} proposals")
    print(f"start-up (pack, gazetteer index, lexicons, first call): {startup:.2f} s")
    print(f"propose, median of {args.runs}: {med:.0f} ms (min {min(times) * 1000:.0f}, "
          f"max {max(times) * 1000:.0f}); target ≤ 200 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
