"""Time ``python -m geo batch`` on a generated corpus: 1 worker vs 2, against plain geoparse.

Usage::

    .venv/bin/python benchmarks/geo_batch_bench.py [--mb 200] [--workers 1 2]
        [--partition-mb 4] [--baseline-mb 20] [--dir DIR] [--keep]

The corpus (JSON Lines, ``--mb`` MB) is made of articles of 4–24 sentences drawn at random from
the GeoVirus reports (``../shared/eval/geovirus.jsonl``, when there) and our development set
(``benchmarks/data/cordon-news-dev.jsonl``), in a new order each time, with every digit redrawn
— so no two articles are the same text, though sentences recur (as wire copy does).

Figures printed:

- *single process*: ``geo.geoparse`` called article by article in this process (index open,
  one warm-up article) over the first ``--baseline-mb`` MB of the corpus: characters per
  second of wall-clock time;
- the same per CPU second (``time.process_time``), which a loaded machine disturbs less;
- for each ``--workers N``: the whole CLI in a fresh process (wall, including cluster start
  and assembly), the processing rate the batch reports (characters per second from the first
  task to the last part kept), that rate per worker as a share of the single-process rate,
  the speed-up over the first worker count, and the peak resident memory of each worker
  process (from the batch summary) and of the CLI process (client + scheduler); and the
  characters per CPU second of the workers (their CPU time after start-up — the index open
  and geopandas imported — so: reading, Dask's own work, parsing, making the parts) against
  the single-process figure.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOURCES = [ROOT.parent / "shared" / "eval" / "geovirus.jsonl",
           ROOT / "benchmarks" / "data" / "cordon-news-dev.jsonl"]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def sentences() -> list[str]:
    """Every sentence of the available news texts."""
    out: list[str] = []
    for path in SOURCES:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text") or ""
            out += [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 20]
    return out


def make_corpus(path: Path, mb: float, seed: int = 1) -> tuple[int, int]:
    """Write about ``mb`` MB of articles as JSON Lines; (articles, bytes)."""
    rnd = random.Random(seed)
    pool = sentences()
    digits = re.compile(r"\d")
    target = int(mb * 1e6)
    size = n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while size < target:
            body = " ".join(rnd.sample(pool, rnd.randint(4, 24)))
            body = digits.sub(lambda _: str(rnd.randrange(10)), body)
            line = json.dumps({"id": f"art-{n:08d}", "text": body}, ensure_ascii=False) + "\n"
            fh.write(line)
            size += len(line.encode("utf-8"))
            n += 1
    return n, size


def baseline(path: Path, mb: float) -> tuple[float, float, int]:
    """Single-process geoparse over the first ``mb`` MB: (chars/s, chars per CPU s, chars)."""
    from geo import geoparse

    texts, size = [], 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            texts.append(json.loads(line)["text"])
            size += len(line)
            if size >= mb * 1e6:
                break
    geoparse(texts[0])  # open the index
    t0, c0 = time.perf_counter(), time.process_time()
    for t in texts:
        geoparse(t, online=False)
    spent, cpu = time.perf_counter() - t0, time.process_time() - c0
    chars = sum(map(len, texts))
    return chars / spent, chars / cpu, chars


def run_batch(corpus: Path, workers: int, partition_mb: float, out_dir: Path) -> dict:
    out = out_dir / f"out-{workers}.parquet"
    summary = out_dir / f"summary-{workers}.json"
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "geo", "batch", str(corpus), "-o", str(out),
                           "--workers", str(workers), "--partition-mb", str(partition_mb),
                           "--summary", str(summary), "--no-progress"],
                          cwd=ROOT, capture_output=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"geo batch failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    s = json.loads(summary.read_text(encoding="utf-8"))
    s["wall_s"] = wall
    # the CLI process (client and scheduler) is the largest child this script waited for
    # unless a worker was larger; workers report their own peak in the summary
    s["cli_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    s["out_mb"] = out.stat().st_size / 1e6
    out.unlink(missing_ok=True)
    return s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=200.0, help="corpus size in MB (200)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--partition-mb", type=float, default=4.0)
    ap.add_argument("--baseline-mb", type=float, default=20.0,
                    help="MB of the corpus for the single-process figure (20)")
    ap.add_argument("--dir", type=Path, help="where to write the corpus (a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus")
    args = ap.parse_args()

    work = args.dir or Path(tempfile.mkdtemp(prefix="geo-batch-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    t0 = time.perf_counter()
    n, size = make_corpus(corpus, args.mb)
    print(f"corpus: {n:,} articles, {size / 1e6:.1f} MB, mean article {size / n:,.0f} bytes "
          f"({time.perf_counter() - t0:.1f} s to write) at {corpus}")
    base, base_cpu, chars = baseline(corpus, min(args.baseline_mb, args.mb))
    print(f"single process geoparse: {base / 1e6:.3f} M chars/s, {base_cpu / 1e6:.3f} M chars "
          f"per CPU second (over {chars / 1e6:.1f} M chars)")
    first = None
    print(f"{'workers':>7} {'wall s':>8} {'batch s':>8} {'M chars/s':>10} {'per worker':>11} "
          f"{'vs single':>9} {'speed-up':>8} {'worker peak MB':>16} {'CLI peak MB':>11}")
    for w in args.workers:
        s = run_batch(corpus, w, args.partition_mb, work)
        rate = s["chars_per_s"]
        first = first or rate
        peaks = sorted(s["worker_peak_rss_mb"].values())
        print(f"{w:>7} {s['wall_s']:>8.1f} {s['elapsed_s']:>8.1f} {rate / 1e6:>10.3f} "
              f"{rate / w / 1e6:>11.3f} {rate / w / base:>9.0%} {rate / first:>8.2f} "
              f"{'/'.join(f'{p:.0f}' for p in peaks):>16} {s['cli_rss_mb']:>11.0f}")
        cpu = sum(s["worker_cpu_s"].values())
        print(f"        documents {s['documents']:,}, mentions {s['mentions']:,}, parts "
              f"{s['parts']}, median worker peak {statistics.median(peaks):.0f} MB; workers' "
              f"CPU {cpu:.1f} s = {s['characters'] / cpu / 1e6:.3f} M chars per CPU second "
              f"({s['characters'] / cpu / base_cpu:.0%} of single process); GeoParquet "
              f"{s['out_mb']:.1f} MB ({s['out_mb'] * 1e6 / max(1, s['mentions']):.0f} bytes a "
              "mention)")
    if not args.keep:
        corpus.unlink(missing_ok=True)
        for p in work.glob("summary-*.json"):
            p.unlink()
        if not args.dir:
            work.rmdir()


if __name__ == "__main__":
    main()
